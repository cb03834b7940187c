"""Identity documents at their physical size: old CNI, CNI 2021, passport, titre de séjour, permis, EU ID."""

from __future__ import annotations

import random
from datetime import date

from samplegen import mrz_gen
from samplegen.drawing import (
    MM,
    RGB,
    Page,
    flag_fr,
    guilloche,
    hline,
    new_page,
    portrait,
    rect,
    signature,
    text,
)
from samplegen.fonts import draw_mrz
from samplegen.french_text import add_years, address_lines, alnum, digits, shifted
from samplegen.spec import DocSpec, Person

BLUE: RGB = (0.0, 0.2, 0.55)
DEPTS = ("75", "69", "13", "33", "59", "92", "93", "94", "31", "44", "67", "06", "2A", "974")


def _issue(spec: DocSpec, rng: random.Random) -> date:
    return spec.issue_date or date(2021 + rng.randint(0, 4), rng.randint(1, 12), rng.randint(1, 28))


def _card_bg(pg: Page, rng: random.Random, tint: RGB, lines: RGB) -> None:
    c = pg.canvas
    rect(c, 0, 0, pg.width, pg.height, fill=(1, 1, 1))
    rect(c, 0.6 * MM, 0.6 * MM, pg.width - 1.2 * MM, pg.height - 1.2 * MM, fill=tint, radius=3 * MM)
    guilloche(c, 1 * MM, 1 * MM, pg.width - 2 * MM, pg.height - 2 * MM, rng, lines, count=18)


def _given(p: Person, sep: str = ", ") -> str:
    return sep.join(p.given_names)


def _birth_place(p: Person) -> str:
    return p.birth_place.upper()


def _usage(p: Person) -> str:
    return (
        f"Nom d'usage : {'épouse ' if p.sex == 'F' else ''}{p.usage_surname.upper()}"
        if p.usage_surname
        else ""
    )


def render_cni_old(spec: DocSpec, rng: random.Random) -> Page:
    """1988–2021 CNI: 105×74 mm, front with 2×36 MRZ, back with address and validity."""
    p = spec.holder
    issue = _issue(spec, rng)
    dept = rng.choice(DEPTS[:-2]) + rng.choice("0123456789")
    number = spec.document_number or f"{issue:%y%m}{dept}{digits(rng, 5)}"
    adult = (issue - p.birth_date).days >= 18 * 365.25
    expiry = spec.expiry_date or shifted(
        add_years(issue, 15 if adult and issue >= date(2014, 1, 1) else 10), -1
    )
    mrz = mrz_gen.make_old_cni(p.surname, p.given_names, p.birth_date, p.sex, number, dept + digits(rng, 3))
    pg = new_page(105, 74, "Carte nationale d'identité")
    pg.meta(mrz, number, expiry)
    c = pg.canvas
    _card_bg(pg, rng, (0.86, 0.93, 0.96), (0.55, 0.75, 0.85))
    rect(c, 2 * MM, 63 * MM, 101 * MM, 9 * MM, fill=(0.12, 0.2, 0.6), radius=1.5 * MM)
    text(
        c,
        52.5 * MM,
        65.5 * MM,
        "R É P U B L I Q U E   F R A N Ç A I S E",
        "Sans-Bold",
        11,
        (1, 1, 1),
        "center",
    )
    text(c, 5 * MM, 58.5 * MM, "CARTE NATIONALE D'IDENTITÉ N° :", "Sans-Bold", 6.5, BLUE)
    text(c, 45 * MM, 58.5 * MM, number, "Mono", 8.5)
    text(c, 100 * MM, 58.5 * MM, "Nationalité Française", "Sans-Bold", 6, BLUE, "right")
    photo_x = 4 * MM if spec.layout % 2 == 0 else 5 * MM
    portrait(c, photo_x, 24 * MM, 27 * MM, 32 * MM, rng, p.sex, gray=True)
    x0 = 35 * MM
    rows = [("Nom :", p.surname.upper(), 52), ("Prénom(s) :", _given(p), 46)]
    for label, value, y in rows:
        text(c, x0, y * MM, label, "Sans-Bold", 6.5, BLUE)
        text(c, x0 + 16 * MM, y * MM, value, "Mono", 8.5)
    if p.usage_surname:
        text(c, x0, 49 * MM, _usage(p), "Sans", 5.5, BLUE)
    text(c, x0, 40 * MM, "Sexe :", "Sans-Bold", 6.5, BLUE)
    text(c, x0 + 9 * MM, 40 * MM, p.sex, "Mono", 8.5)
    text(c, x0 + 28 * MM, 40 * MM, "Né(e) le :", "Sans-Bold", 6.5, BLUE)
    text(c, x0 + 42 * MM, 40 * MM, p.birth_date.strftime("%d.%m.%Y"), "Mono", 8.5)
    text(c, x0, 35 * MM, "à :", "Sans-Bold", 6.5, BLUE)
    text(c, x0 + 5 * MM, 35 * MM, _birth_place(p), "Mono", 8.5)
    text(c, x0, 30 * MM, "Taille :", "Sans-Bold", 6.5, BLUE)
    text(c, x0 + 10 * MM, 30 * MM, f"{rng.randint(1, 1)}m{rng.randint(55, 92)}", "Mono", 8.5)
    text(c, x0, 25 * MM, "Signature", "Sans-Bold", 6, BLUE)
    text(c, x0, 22.5 * MM, "du titulaire :", "Sans-Bold", 6, BLUE)
    signature(c, x0 + 20 * MM, 20 * MM, 35 * MM, 8 * MM, rng, (0.1, 0.1, 0.1))
    rect(c, 1 * MM, 1 * MM, 103 * MM, 18 * MM, fill=(0.97, 0.98, 0.98), radius=2 * MM)
    draw_mrz(c, 4 * MM, 16.5 * MM, mrz, 2.6, 6.0)
    pg.next_page()
    _card_bg(pg, rng, (0.9, 0.94, 0.97), (0.6, 0.78, 0.86))
    addr = address_lines(p)
    text(c, 6 * MM, 64 * MM, "Adresse :", "Sans-Bold", 6.5, BLUE)
    for i, line in enumerate(addr):
        text(c, 22 * MM, (64 - 4.5 * i) * MM, line.upper(), "Mono", 8)
    text(c, 6 * MM, 44 * MM, "Carte valable jusqu'au :", "Sans-Bold", 6.5, BLUE)
    text(c, 38 * MM, 44 * MM, expiry.strftime("%d.%m.%Y"), "Mono", 8.5)
    text(c, 6 * MM, 38 * MM, "délivrée le :", "Sans-Bold", 6.5, BLUE)
    text(c, 24 * MM, 38 * MM, issue.strftime("%d.%m.%Y"), "Mono", 8.5)
    text(c, 6 * MM, 32 * MM, "par :", "Sans-Bold", 6.5, BLUE)
    text(
        c,
        14 * MM,
        32 * MM,
        rng.choice(["PRÉFECTURE", "SOUS-PRÉFECTURE"]) + f" {rng.choice(DEPTS)}",
        "Mono",
        8,
    )
    text(c, 6 * MM, 22 * MM, "Signature de l'autorité :", "Sans-Bold", 6, BLUE)
    signature(c, 40 * MM, 14 * MM, 28 * MM, 9 * MM, rng, (0.1, 0.1, 0.3))
    c.saveState()
    c.setStrokeColorRGB(0.2, 0.3, 0.6)
    c.circle(85 * MM, 20 * MM, 9 * MM)
    c.restoreState()
    text(c, 85 * MM, 19.5 * MM, "TIMBRE", "Sans-Bold", 6, (0.2, 0.3, 0.6), "center")
    return pg


def _td1_back(pg: Page, rng: random.Random, mrz: list[str], top_lines: list[tuple[str, str]]) -> None:
    c = pg.canvas
    _card_bg(pg, rng, (0.93, 0.95, 0.97), (0.75, 0.82, 0.9))
    y = 49 * MM
    for label, value in top_lines:
        text(c, 24 * MM, y, label, "Sans", 4.6, (0.3, 0.3, 0.4))
        y -= 2.6 * MM
        text(c, 24 * MM, y, value, "Sans-Bold", 6.3)
        y -= 3.6 * MM
    # chip and 2D code area
    rect(c, 5 * MM, 30 * MM, 11 * MM, 9 * MM, fill=(0.85, 0.72, 0.35), radius=1.5 * MM)
    rect(c, 1 * MM, 1 * MM, pg.width - 2 * MM, 18 * MM, fill=(0.98, 0.98, 0.98))
    draw_mrz(c, 4 * MM, 17.5 * MM, mrz, 2.5, 5.3)


def render_cni_2021(spec: DocSpec, rng: random.Random) -> Page:
    """ID-1 card (85.6×54 mm), bilingual labels on the front, TD1 MRZ on the back."""
    p = spec.holder
    issue = _issue(spec, rng)
    number = spec.document_number or alnum(rng, 9)
    expiry = spec.expiry_date or shifted(add_years(issue, 10), -1)
    mrz = mrz_gen.make_td1("ID", "FRA", number, p.birth_date, p.sex, expiry, "FRA", p.surname, p.given_names)
    pg = new_page(85.6, 54, "Carte nationale d'identité")
    pg.meta(mrz, number, expiry)
    c = pg.canvas
    _card_bg(pg, rng, (0.92, 0.94, 0.98), (0.72, 0.8, 0.92))
    flag_fr(c, 4 * MM, 46 * MM, 7 * MM, 4.5 * MM)
    text(c, 14 * MM, 48 * MM, "RÉPUBLIQUE FRANÇAISE", "Sans-Bold", 8, BLUE)
    text(c, 14 * MM, 45.3 * MM, "CARTE NATIONALE D'IDENTITÉ / IDENTITY CARD", "Sans", 4.8, BLUE)
    rect(c, 73 * MM, 45 * MM, 8 * MM, 6 * MM, fill=(0.1, 0.2, 0.6))
    text(c, 77 * MM, 46.8 * MM, "FR", "Sans-Bold", 6, (1, 0.85, 0.1), "center")
    portrait(c, 4 * MM, 12 * MM, 23 * MM, 30 * MM, rng, p.sex)
    x0 = 30 * MM
    lab = (0.25, 0.3, 0.45)
    rows: list[tuple[str, str, float]] = [
        ("NOM / Surname", p.surname.upper(), 41.5),
        ("Prénoms / Given names", _given(p, ", "), 35.0),
    ]
    if p.usage_surname:
        rows.append(
            ("Nom d'usage / Usage name", ("ép. " if p.sex == "F" else "") + p.usage_surname.upper(), 29.0)
        )
    for label, value, y in rows:
        text(c, x0, y * MM, label, "Sans", 4.5, lab)
        text(c, x0, (y - 2.8) * MM, value, "Sans-Bold", 7)
    y = 23.5
    text(c, x0, y * MM, "SEXE / Sex", "Sans", 4.2, lab)
    text(c, x0 + 11 * MM, y * MM, "NATIONALITÉ / Nationality", "Sans", 4.2, lab)
    text(c, x0 + 32 * MM, y * MM, "Date de naiss. / Date of birth", "Sans", 4.2, lab)
    text(c, x0, (y - 2.8) * MM, p.sex, "Sans-Bold", 7)
    text(c, x0 + 11 * MM, (y - 2.8) * MM, "FRA", "Sans-Bold", 7)
    text(c, x0 + 32 * MM, (y - 2.8) * MM, p.birth_date.strftime("%d %m %Y"), "Sans-Bold", 7)
    text(c, x0, 16.5 * MM, "LIEU DE NAISSANCE / Place of birth", "Sans", 4.2, lab)
    text(c, x0, 13.7 * MM, _birth_place(p), "Sans-Bold", 7)
    text(c, 4 * MM, 8.8 * MM, "N° du document / Document No", "Sans", 4.2, lab)
    text(c, 4 * MM, 4.5 * MM, number, "Mono-Bold", 10)
    text(c, 48 * MM, 8.8 * MM, "Date d'expir. / Expiry date", "Sans", 4.2, lab)
    text(c, 48 * MM, 4.5 * MM, expiry.strftime("%d %m %Y"), "Sans-Bold", 8)
    signature(c, 66 * MM, 12 * MM, 15 * MM, 5 * MM, rng, (0.1, 0.1, 0.1))
    pg.next_page()
    addr = ", ".join(address_lines(p)).upper()
    _td1_back(
        pg,
        rng,
        mrz,
        [
            (
                "Taille / Height   Date de délivrance / Date of issue",
                f"{rng.randint(150, 192) / 100:.2f} m    {issue.strftime('%d %m %Y')}",
            ),
            ("Adresse / Address", addr[:52]),
            ("Autorité de délivrance / Issuing authority", f"PRÉFECTURE {rng.choice(DEPTS)}"),
        ],
    )
    return pg


def render_residence_permit(spec: DocSpec, rng: random.Random) -> Page:
    """Titre de séjour (TD1 'IRFRA'), ID-1 front/back."""
    p = spec.holder
    issue = _issue(spec, rng)
    years = rng.choice([1, 2, 4, 10])
    expiry = spec.expiry_date or shifted(add_years(issue, years), -1)
    number = spec.document_number or f"{rng.choice('ABCDEFGHK')}{digits(rng, 1)}{alnum(rng, 7)}"
    nationality = p.nationality if p.nationality != "FRA" else "SEN"
    mrz = mrz_gen.make_td1(
        "IR",
        "FRA",
        number,
        p.birth_date,
        p.sex,
        expiry,
        nationality,
        p.surname,
        p.given_names,
        digits(rng, 10),
    )
    title = "CARTE DE RÉSIDENT" if years == 10 else "TITRE DE SÉJOUR"
    kind = (
        "RÉSIDENT"
        if years == 10
        else rng.choice(
            [
                "VIE PRIVÉE ET FAMILIALE",
                "ÉTUDIANT",
                "SALARIÉ",
                "PASSEPORT TALENT",
                "CARTE PLURIANNUELLE GÉNÉRALE",
            ]
        )
    )
    pg = new_page(85.6, 54, title)
    pg.meta(mrz, number, expiry)
    c = pg.canvas
    _card_bg(pg, rng, (0.95, 0.92, 0.9), (0.88, 0.75, 0.72))
    flag_fr(c, 4 * MM, 46 * MM, 7 * MM, 4.5 * MM)
    text(c, 14 * MM, 48 * MM, "RÉPUBLIQUE FRANÇAISE", "Sans-Bold", 7.5, BLUE)
    text(c, 14 * MM, 45 * MM, f"{title} / RESIDENCE PERMIT", "Sans-Bold", 5.5, (0.5, 0.1, 0.1))
    portrait(c, 4 * MM, 13 * MM, 22 * MM, 29 * MM, rng, p.sex)
    x0 = 29 * MM
    lab = (0.4, 0.25, 0.25)
    y = 40.5
    for label, value in [
        ("NOM / Surname", p.surname.upper()),
        ("Prénoms / Given names", _given(p)),
        ("Nationalité / Nationality", nationality),
        ("Date de naissance / Date of birth", p.birth_date.strftime("%d %m %Y") + f"   Sexe : {p.sex}"),
        ("Type de titre / Type of permit", kind),
    ]:
        text(c, x0, y * MM, label, "Sans", 4.2, lab)
        text(c, x0, (y - 2.6) * MM, value, "Sans-Bold", 6.4)
        y -= 5.6
    text(c, 4 * MM, 8 * MM, "N° du titre", "Sans", 4.2, lab)
    text(c, 4 * MM, 4 * MM, number, "Mono-Bold", 9)
    text(c, 46 * MM, 8 * MM, "Valable jusqu'au / Valid until", "Sans", 4.2, lab)
    text(c, 46 * MM, 4 * MM, expiry.strftime("%d %m %Y"), "Sans-Bold", 8)
    pg.next_page()
    _td1_back(
        pg,
        rng,
        mrz,
        [
            (
                "Remarques / Remarks",
                rng.choice(["AUTORISE SON TITULAIRE À TRAVAILLER", "ARTICLE L.423-23 CESEDA"]),
            ),
            ("Date de délivrance / Date of issue", issue.strftime("%d %m %Y")),
            ("Adresse / Address", ", ".join(address_lines(p)).upper()[:50]),
            ("Lieu de délivrance", f"PRÉFECTURE {rng.choice(DEPTS)}"),
        ],
    )
    return pg


def render_passport(spec: DocSpec, rng: random.Random) -> Page:
    """Passport data page (125×88 mm), TD3 MRZ."""
    p = spec.holder
    issue = _issue(spec, rng)
    minor = (issue - p.birth_date).days < 18 * 365.25
    expiry = spec.expiry_date or shifted(add_years(issue, 5 if minor else 10), -1)
    number = (
        spec.document_number
        or f"{issue:%y}{rng.choice('ABCDEFGHKLMPRTVX')}{rng.choice('ABCDEFGHKLMPRTVX')}{digits(rng, 5)}"
    )
    mrz = mrz_gen.make_td3("FRA", number, p.birth_date, p.sex, expiry, "FRA", p.surname, p.given_names)
    pg = new_page(125, 88, "Passeport")
    pg.meta(mrz, number, expiry)
    c = pg.canvas
    _card_bg(pg, rng, (0.93, 0.9, 0.95), (0.8, 0.7, 0.85))
    text(c, 62 * MM, 82 * MM, "RÉPUBLIQUE FRANÇAISE", "Sans-Bold", 10, BLUE, "center")
    text(c, 62 * MM, 78 * MM, "PASSEPORT / PASSPORT", "Sans-Bold", 7.5, (0.4, 0.1, 0.3), "center")
    portrait(c, 5 * MM, 25 * MM, 32 * MM, 42 * MM, rng, p.sex)
    lab = (0.35, 0.25, 0.4)
    x0, x1 = 42 * MM, 86 * MM
    items = [
        (x0, 73, "Type / Type", "P"),
        (x0 + 14 * MM, 73, "Code du pays / Country code", "FRA"),
        (x1, 73, "Passeport N° / Passport No", number),
        (x0, 66, "Nom / Surname", p.surname.upper()),
        (x0, 59, "Prénoms / Given names", _given(p)),
        (x0, 52, "Nationalité / Nationality", "Française"),
        (x1, 52, "Date de naissance / Date of birth", p.birth_date.strftime("%d %m %Y")),
        (x0, 45, "Sexe / Sex", p.sex),
        (x0 + 14 * MM, 45, "Lieu de naissance / Place of birth", _birth_place(p)),
        (x0, 38, "Date de délivrance / Date of issue", issue.strftime("%d %m %Y")),
        (x1, 38, "Autorité / Authority", f"Préfecture {rng.choice(DEPTS)}"),
        (x0, 31, "Date d'expiration / Date of expiry", expiry.strftime("%d %m %Y")),
        (x1, 31, "Signature du titulaire", ""),
    ]
    if p.usage_surname:
        items.append((x1, 66, "Nom d'usage", ("épouse " if p.sex == "F" else "") + p.usage_surname.upper()))
    for x, y, label, value in items:
        text(c, x, y * MM, label, "Sans", 5, lab)
        text(c, x, (y - 3.3) * MM, value, "Sans-Bold", 8)
    signature(c, x1, 22 * MM, 28 * MM, 6 * MM, rng, (0.1, 0.1, 0.1))
    rect(c, 1 * MM, 1 * MM, 123 * MM, 19 * MM, fill=(0.98, 0.97, 0.98))
    draw_mrz(c, 4 * MM, 17 * MM, mrz, 2.6, 7.0)
    return pg


def render_driving_licence(spec: DocSpec, rng: random.Random) -> Page:
    """EU-format French permis de conduire (pink ID-1 card), numbered fields 1–9, categories on the back."""
    p = spec.holder
    issue = _issue(spec, rng)
    expiry = spec.expiry_date or add_years(issue, 15)
    number = (
        spec.document_number or f"{issue:%y}{rng.choice('ABCDEFGH')}{rng.choice('ABCDEFGH')}{digits(rng, 5)}"
    )
    pg = new_page(85.6, 54, "Permis de conduire")
    pg.meta([], number, expiry)
    c = pg.canvas
    _card_bg(pg, rng, (0.98, 0.87, 0.9), (0.92, 0.7, 0.78))
    rect(c, 3 * MM, 40 * MM, 10 * MM, 10 * MM, fill=(0.1, 0.2, 0.6))
    text(c, 8 * MM, 43 * MM, "F", "Sans-Bold", 12, (1, 1, 1), "center")
    text(c, 16 * MM, 47 * MM, "PERMIS DE CONDUIRE", "Sans-Bold", 9, (0.15, 0.15, 0.4))
    text(c, 16 * MM, 43.5 * MM, "RÉPUBLIQUE FRANÇAISE", "Sans-Bold", 6.5, BLUE)
    portrait(c, 3 * MM, 9 * MM, 21 * MM, 28 * MM, rng, p.sex, gray=rng.random() < 0.5)
    x0 = 27 * MM
    rows = [
        ("1.", p.surname.upper() + (f" ({p.usage_surname.upper()})" if p.usage_surname else "")),
        ("2.", " ".join(p.given_names).upper()),
        ("3.", f"{p.birth_date.strftime('%d.%m.%Y')}  {_birth_place(p)}"),
        ("4a.", issue.strftime("%d.%m.%Y") + f"   4b. {expiry.strftime('%d.%m.%Y')}"),
        ("4c.", f"Préfecture {rng.choice(DEPTS)}"),
        ("5.", number),
    ]
    y = 38.5
    for num, value in rows:
        text(c, x0, y * MM, num, "Sans", 6, (0.3, 0.2, 0.3))
        text(c, x0 + 5 * MM, y * MM, value, "Sans-Bold", 6.8)
        y -= 4.6
    text(c, x0, 10 * MM, "7.", "Sans", 6, (0.3, 0.2, 0.3))
    signature(c, x0 + 5 * MM, 8 * MM, 22 * MM, 5 * MM, rng, (0.1, 0.1, 0.1))
    text(c, x0, 4 * MM, "9.  AM/B1/B", "Sans-Bold", 6.5)
    pg.next_page()
    _card_bg(pg, rng, (0.98, 0.9, 0.92), (0.92, 0.75, 0.8))
    cats = ["AM", "A1", "A2", "A", "B1", "B", "C1", "C", "D1", "D", "BE", "C1E", "CE", "D1E", "DE"]
    text(c, 4 * MM, 49 * MM, "9.", "Sans-Bold", 5)
    text(c, 14 * MM, 49 * MM, "10.", "Sans-Bold", 5)
    text(c, 32 * MM, 49 * MM, "11.", "Sans-Bold", 5)
    text(c, 50 * MM, 49 * MM, "12.", "Sans-Bold", 5)
    y = 46
    for cat in cats:
        hold = cat in ("AM", "B1", "B")
        text(c, 4 * MM, y * MM, cat, "Sans-Bold", 5)
        if hold:
            text(c, 14 * MM, y * MM, issue.strftime("%d.%m.%y"), "Sans", 5)
            text(c, 32 * MM, y * MM, expiry.strftime("%d.%m.%y"), "Sans", 5)
        hline(c, 3 * MM, 80 * MM, (y - 0.8) * MM, (0.8, 0.6, 0.65), 0.2)
        y -= 2.8
    return pg


_FOREIGN = {
    "D": (
        "BUNDESREPUBLIK DEUTSCHLAND",
        "PERSONALAUSWEIS / IDENTITY CARD",
        "Name / Surname",
        "Vornamen / Given names",
        "Geburtstag / Date of birth",
        "Gültig bis / Date of expiry",
        "D<<",
        "D",
        "DEUTSCH",
    ),
    "ITA": (
        "REPUBBLICA ITALIANA",
        "CARTA DI IDENTITÀ / IDENTITY CARD",
        "COGNOME / SURNAME",
        "NOME / NAME",
        "DATA DI NASCITA / DATE OF BIRTH",
        "SCADENZA / EXPIRY",
        "ITA",
        "ITA",
        "ITA",
    ),
    "ESP": (
        "REINO DE ESPAÑA",
        "DOCUMENTO NACIONAL DE IDENTIDAD",
        "APELLIDOS",
        "NOMBRE",
        "FECHA DE NACIMIENTO",
        "VALIDEZ",
        "ESP",
        "ESP",
        "ESP",
    ),
    "BEL": (
        "BELGIQUE · BELGIË · BELGIEN",
        "CARTE D'IDENTITÉ / IDENTITEITSKAART",
        "Nom / Name",
        "Prénoms / Voornamen",
        "Date de naissance / Geboortedatum",
        "Valable jusqu'au / Geldig tot",
        "BEL",
        "BEL",
        "BEL",
    ),
    "PRT": (
        "REPÚBLICA PORTUGUESA",
        "CARTÃO DE CIDADÃO / CITIZEN CARD",
        "APELIDO(S) / SURNAME",
        "NOME(S) / GIVEN NAMES",
        "DATA DE NASCIMENTO",
        "VALIDADE",
        "PRT",
        "PRT",
        "PRT",
    ),
}
_NAT_TO_KEY = {"DEU": "D", "D": "D", "ITA": "ITA", "ESP": "ESP", "BEL": "BEL", "PRT": "PRT"}


def render_foreign_id(spec: DocSpec, rng: random.Random) -> Page:
    """Another EU country's ID-1 identity card with a TD1 MRZ."""
    p = spec.holder
    key = spec.extra.get("country") or _NAT_TO_KEY.get(p.nationality) or rng.choice(list(_FOREIGN))
    key = key if key in _FOREIGN else "ITA"
    country, title, l_sur, l_giv, l_dob, l_exp, state, nat, nat_text = _FOREIGN[key]
    issue = _issue(spec, rng)
    expiry = spec.expiry_date or shifted(add_years(issue, 10), -1)
    number = spec.document_number or (
        f"{rng.choice('CLMNPRTVWXYZ')}{alnum(rng, 8)}"
        if key == "D"
        else f"{rng.choice('ABCY')}{alnum(rng, 8)}"
    )
    mrz = mrz_gen.make_td1(
        "ID" if key != "ITA" else "CI",
        state,
        number,
        p.birth_date,
        p.sex,
        expiry,
        nat,
        p.surname,
        p.given_names,
    )
    pg = new_page(85.6, 54, title)
    pg.meta(mrz, number, expiry)
    c = pg.canvas
    tints = {
        "D": (0.9, 0.95, 0.9),
        "ITA": (0.93, 0.95, 0.98),
        "ESP": (0.97, 0.93, 0.88),
        "BEL": (0.95, 0.95, 0.88),
        "PRT": (0.92, 0.95, 0.93),
    }
    _card_bg(pg, rng, tints[key], (0.75, 0.82, 0.8))
    text(c, 4 * MM, 48 * MM, country, "Sans-Bold", 7.5, (0.2, 0.2, 0.3))
    text(c, 4 * MM, 45 * MM, title, "Sans", 5.2, (0.2, 0.2, 0.3))
    portrait(c, 4 * MM, 10 * MM, 22 * MM, 29 * MM, rng, p.sex)
    x0 = 29 * MM
    y = 40.0
    for label, value in [
        (l_sur, p.surname.upper()),
        (l_giv, " ".join(p.given_names).upper()),
        (l_dob, p.birth_date.strftime("%d.%m.%Y")),
        ("Nationalität / Nationality" if key == "D" else "NAZ. / NAT.", nat_text),
        (l_exp, expiry.strftime("%d.%m.%Y")),
    ]:
        text(c, x0, y * MM, label, "Sans", 4.3, (0.35, 0.35, 0.4))
        text(c, x0, (y - 2.7) * MM, value, "Sans-Bold", 6.8)
        y -= 6
    text(c, 60 * MM, 5 * MM, number, "Mono-Bold", 8)
    pg.next_page()
    _td1_back(
        pg,
        rng,
        mrz,
        [
            (
                "Anschrift / Address" if key == "D" else "Indirizzo / Address",
                ", ".join(address_lines(p)).upper()[:50],
            ),
            (
                "Ausstellungsdatum / Date of issue" if key == "D" else "Data di rilascio / Date of issue",
                issue.strftime("%d.%m.%Y"),
            ),
            (
                "Behörde / Authority",
                rng.choice(["STADT", "COMUNE DI", "AYUNTAMIENTO", "COMMUNE DE"])
                + " "
                + p.birth_place.upper()[:20],
            ),
        ],
    )
    return pg
