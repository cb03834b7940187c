"""Letters and certificates: attestation d'hébergement (handwritten or typed), JDC, ASSR/ASR, the ASSR honour
statement, and the photos (e-photo sheet, plain portrait)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from samplegen.drawing import (
    MM,
    RGB,
    Page,
    hand_paragraph,
    marianne,
    new_page,
    paragraph,
    portrait,
    rect,
    signature,
    text,
    wavy_text,
)
from samplegen.fonts import HANDWRITING_FONTS
from samplegen.french_text import address_lines, alnum, digits, fr_date, person_line, town_of
from samplegen.spec import DocSpec, Person

DARK: RGB = (0.1, 0.1, 0.12)
INKS: tuple[RGB, ...] = ((0.05, 0.08, 0.35), (0.08, 0.08, 0.1), (0.1, 0.15, 0.45))


def _issue(spec: DocSpec) -> date:
    return spec.issue_date or date(2026, 3, 12)


def _ne(p: Person) -> str:
    return "née" if p.sex == "F" else "né"


def _soussigne(p: Person) -> str:
    return "soussignée" if p.sex == "F" else "soussigné"


def _name(p: Person, rng: random.Random) -> str:
    return person_line(p, rng, with_civility=rng.random() < 0.4)


def _paper(pg: Page, rng: random.Random, lined: bool) -> None:
    c = pg.canvas
    if not lined:
        return
    c.saveState()
    c.setStrokeColorRGB(0.65, 0.75, 0.9)
    c.setLineWidth(0.4)
    y = pg.height - 25 * MM
    while y > 12 * MM:
        c.line(0, y, pg.width, y)
        y -= 8 * MM
    c.setStrokeColorRGB(0.9, 0.5, 0.55)
    c.line(25 * MM, 0, 25 * MM, pg.height)
    c.restoreState()
    _ = rng


def render_host_attestation(spec: DocSpec, rng: random.Random) -> Page:
    """Attestation d'hébergement: host, hosted, 'Fait à …, le …' (the issue date) and two signatures."""
    issue = _issue(spec)
    host = spec.host or spec.holder
    hosted = spec.hosted or spec.holder
    since = issue - timedelta(days=rng.randint(90, 3000))
    addr = ", ".join(address_lines(host))
    pg = new_page(title="Attestation d'hébergement")
    c = pg.canvas
    W, H = pg.width, pg.height
    body = (
        f"Je {_soussigne(host)} {_name(host, rng)}, {_ne(host)} le {fr_date(host.birth_date, rng.choice(['slash', 'long']))}"
        f" à {host.birth_place}, demeurant {addr}, atteste sur l'honneur héberger à mon domicile "
        f"{_name(hosted, rng)}, {_ne(hosted)} le {fr_date(hosted.birth_date)} à {hosted.birth_place}, "
        f"depuis le {fr_date(since, rng.choice(['slash', 'long']))}"
        + rng.choice([" à titre gratuit.", ".", ", à cette adresse."])
    )
    closing = rng.choice(
        [
            "Fait pour servir et valoir ce que de droit.",
            "Je certifie l'exactitude des informations ci-dessus. Fait pour servir et valoir ce que de droit.",
        ]
    )
    made = f"Fait à {town_of(host)}, le {fr_date(issue, rng.choice(['slash', 'long', 'slash']))}"
    if spec.handwritten:
        lined = rng.random() < 0.5
        _paper(pg, rng, lined)
        face = rng.choice(HANDWRITING_FONTS)
        ink = rng.choice(INKS)
        size = rng.uniform(13, 16)
        lead = 8 * MM if lined else size * rng.uniform(1.5, 1.8)
        x0 = 30 * MM if lined else rng.uniform(18, 28) * MM
        y = H - 25 * MM - (lead if lined else 15 * MM) + (1.5 if lined else 0)
        title = rng.choice(
            ["Attestation d'hébergement", "ATTESTATION D'HÉBERGEMENT", "Attestation sur l'honneur"]
        )
        wavy_text(pg.canvas, W / 2 - 40 * MM, y, title, face, size * 1.2, rng, ink)
        y -= lead * 2
        y = hand_paragraph(c, x0, y, body, W - x0 - 18 * MM, face, size, lead, rng, ink)
        y -= lead * 0.5
        y = hand_paragraph(c, x0, y, closing, W - x0 - 18 * MM, face, size, lead, rng, ink)
        y -= lead
        wavy_text(c, x0 + 60 * MM, y, made, face, size, rng, ink)
        y -= lead * 1.5
        wavy_text(c, x0, y, "Signature de l'hébergeant", face, size * 0.9, rng, ink)
        wavy_text(c, x0 + 90 * MM, y, "Signature de l'hébergé(e)", face, size * 0.9, rng, ink)
        signature(c, x0 + 5 * MM, y - 25 * MM, 45 * MM, 15 * MM, rng, ink)
        signature(c, x0 + 95 * MM, y - 25 * MM, 45 * MM, 15 * MM, rng, ink)
        return pg
    # typed variant
    text(c, 20 * MM, H - 25 * MM, _name(host, rng), "Sans", 10, DARK)
    for i, line in enumerate(address_lines(host)):
        text(c, 20 * MM, H - (30 + 4.6 * i) * MM, line, "Sans", 10, DARK)
    text(c, W / 2, H - 70 * MM, "ATTESTATION D'HÉBERGEMENT", "Sans-Bold", 15, DARK, "center")
    y = paragraph(c, 22 * MM, H - 90 * MM, body, W - 44 * MM, "Serif", 11.5, 17)
    y = paragraph(c, 22 * MM, y - 6 * MM, closing, W - 44 * MM, "Serif", 11.5, 17)
    y = paragraph(
        c,
        22 * MM,
        y - 4 * MM,
        "Je suis informé(e) que toute fausse déclaration m'expose aux sanctions "
        "prévues par l'article 441-7 du Code pénal.",
        W - 44 * MM,
        "Serif",
        10,
        15,
    )
    text(c, W - 22 * MM, y - 10 * MM, made, "Serif", 11.5, DARK, "right")
    text(c, 25 * MM, y - 25 * MM, "L'hébergeant", "Serif", 10.5, DARK)
    text(c, 125 * MM, y - 25 * MM, "L'hébergé(e)", "Serif", 10.5, DARK)
    signature(c, 25 * MM, y - 50 * MM, 45 * MM, 15 * MM, rng)
    signature(c, 125 * MM, y - 50 * MM, 45 * MM, 15 * MM, rng)
    return pg


_JDC = {
    "certificate": (
        "CERTIFICAT INDIVIDUEL DE PARTICIPATION",
        "À LA JOURNÉE DÉFENSE ET CITOYENNETÉ",
        "a participé à la Journée défense et citoyenneté le {d}.",
    ),
    "exemption": (
        "ATTESTATION INDIVIDUELLE D'EXEMPTION",
        "JOURNÉE DÉFENSE ET CITOYENNETÉ",
        "est exempté(e) de la Journée défense et citoyenneté en application de l'article L.114-7 du code "
        "du service national. Décision du {d}.",
    ),
    "administrative_situation": (
        "ATTESTATION DE SITUATION ADMINISTRATIVE",
        "VIS-À-VIS DU SERVICE NATIONAL",
        "est en règle avec les obligations du service national (Journée défense et "
        "citoyenneté). Attestation délivrée en remplacement du certificat perdu, volé ou "
        "détérioré, le {d}.",
    ),
    "provisional": (
        "ATTESTATION PROVISOIRE",
        "JOURNÉE DÉFENSE ET CITOYENNETÉ",
        "est en instance de convocation à la Journée défense et citoyenneté. La présente attestation "
        "est valable un an à compter du {d}.",
    ),
}


def render_jdc(spec: DocSpec, rng: random.Random) -> Page:
    """JDC documents (CIP, exemption, situation administrative, attestation provisoire)."""
    issue = _issue(spec)
    p = spec.holder
    sub = spec.subtype if spec.subtype in _JDC else "certificate"
    title1, title2, sentence = _JDC[sub]
    pg = new_page(title="Journée défense et citoyenneté")
    c = pg.canvas
    W, H = pg.width, pg.height
    marianne(c, 15 * MM, H - 28 * MM, 18 * MM)
    text(c, 60 * MM, H - 16 * MM, "MINISTÈRE DES ARMÉES", "Sans-Bold", 10, DARK)
    text(c, 60 * MM, H - 21 * MM, "Direction du service national et de la jeunesse", "Sans", 9, DARK)
    csn = rng.choice(
        ["Versailles", "Rennes", "Lyon", "Marseille", "Bordeaux", "Lille", "Toulouse", "Perpignan"]
    )
    text(c, 60 * MM, H - 26 * MM, f"Centre du service national et de la jeunesse de {csn}", "Sans", 9, DARK)
    text(c, W / 2, H - 62 * MM, title1, "Sans-Bold", 13, DARK, "center")
    text(c, W / 2, H - 69 * MM, title2, "Sans-Bold", 12, DARK, "center")
    if sub == "provisional":
        text(c, W / 2, H - 76 * MM, "« en instance de convocation »", "Sans-Italic", 11, DARK, "center")
    y = H - 95 * MM
    rows = [
        ("Nom", p.surname.upper()),
        ("Prénom(s)", " ".join(p.given_names)),
        ("Date de naissance", fr_date(p.birth_date)),
        ("Lieu de naissance", p.birth_place),
        ("Identifiant", f"{digits(rng, 4)}-{digits(rng, 6)}"),
    ]
    if p.usage_surname:
        rows.insert(1, ("Nom d'usage", p.usage_surname.upper()))
    for label, value in rows:
        text(c, 30 * MM, y, f"{label} :", "Sans", 10.5, DARK)
        text(c, 75 * MM, y, value, "Sans-Bold", 10.5, DARK)
        y -= 7.5 * MM
    y -= 6 * MM
    y = paragraph(
        c,
        30 * MM,
        y,
        f"{'La jeune' if p.sex == 'F' else 'Le jeune'} {' '.join(p.given_names)} "
        f"{p.surname.upper()} " + sentence.format(d=fr_date(issue, "long")),
        W - 60 * MM,
        "Sans",
        10.5,
        15,
    )
    text(
        c,
        W - 30 * MM,
        y - 12 * MM,
        f"Fait à {csn}, le {fr_date(issue, rng.choice(['slash', 'long']))}",
        "Sans",
        10.5,
        DARK,
        "right",
    )
    text(c, W - 30 * MM, y - 19 * MM, "Le chef du centre", "Sans", 10, DARK, "right")
    signature(c, W - 75 * MM, y - 42 * MM, 40 * MM, 14 * MM, rng)
    text(
        c,
        W / 2,
        15 * MM,
        "Document téléchargé sur majdc.fr - à conserver précieusement",
        "Sans",
        7.5,
        (0.4, 0.4, 0.4),
        "center",
    )
    return pg


COLLEGES = (
    "Collège Jean Moulin",
    "Collège Victor Hugo",
    "Collège Jules Ferry",
    "Collège Marie Curie",
    "Collège Louise Michel",
    "Collège Albert Camus",
    "Collège Simone Veil",
)
ACADEMIES = (
    "Paris",
    "Versailles",
    "Créteil",
    "Lyon",
    "Aix-Marseille",
    "Lille",
    "Bordeaux",
    "Toulouse",
    "Rennes",
)


def render_assr(spec: DocSpec, rng: random.Random) -> Page:
    """ASSR 2 (collège, Éducation nationale) or ASR (GRETA) attestation; the issue date is 'obtenue le'."""
    issue = _issue(spec)
    p = spec.holder
    asr = spec.subtype == "asr"
    pg = new_page(title="Attestation de sécurité routière")
    c = pg.canvas
    W, H = pg.width, pg.height
    marianne(c, 15 * MM, H - 28 * MM, 18 * MM)
    academy = rng.choice(ACADEMIES)
    text(c, 60 * MM, H - 16 * MM, "MINISTÈRE DE L'ÉDUCATION NATIONALE", "Sans-Bold", 10, DARK)
    text(c, 60 * MM, H - 21 * MM, f"Académie de {academy}", "Sans", 9.5, DARK)
    if asr:
        text(c, 60 * MM, H - 26 * MM, f"GRETA {academy} - Formation continue des adultes", "Sans", 9, DARK)
        titles = ["ATTESTATION DE SÉCURITÉ ROUTIÈRE", "(ASR)"]
        school = f"GRETA {academy}"
    else:
        school = f"{rng.choice(COLLEGES)}, {town_of(p)}"
        titles = ["ATTESTATION SCOLAIRE DE SÉCURITÉ ROUTIÈRE", "DE SECOND NIVEAU (ASSR 2)"]
    rect(c, 20 * MM, H - 82 * MM, W - 40 * MM, 24 * MM, stroke=(0.0, 0.3, 0.6), line_width=1.2)
    text(c, W / 2, H - 67 * MM, titles[0], "Sans-Bold", 13, (0.0, 0.2, 0.5), "center")
    text(c, W / 2, H - 75 * MM, titles[1], "Sans-Bold", 12, (0.0, 0.2, 0.5), "center")
    y = H - 100 * MM
    for label, value in [
        ("Nom", p.surname.upper()),
        ("Prénom(s)", " ".join(p.given_names)),
        ("Né(e) le", fr_date(p.birth_date)),
        ("à", p.birth_place),
        ("Établissement", school),
        ("Obtenue le", fr_date(issue, rng.choice(["slash", "long"]))),
        ("Numéro d'attestation", f"{digits(rng, 2)}{alnum(rng, 3)}{digits(rng, 6)}"),
    ]:
        text(c, 30 * MM, y, f"{label} :", "Sans", 10.5, DARK)
        text(c, 80 * MM, y, value, "Sans-Bold", 10.5, DARK)
        y -= 8 * MM
    paragraph(
        c,
        30 * MM,
        y - 5 * MM,
        "Le titulaire de cette attestation a satisfait aux épreuves de l'attestation "
        f"{'de sécurité routière' if asr else 'scolaire de sécurité routière de second niveau'}. Ce document "
        "est à présenter lors de l'inscription à l'examen du permis de conduire.",
        W - 60 * MM,
        "Sans",
        9.5,
    )
    text(c, W - 30 * MM, y - 30 * MM, "Le chef d'établissement", "Sans", 10, DARK, "right")
    signature(c, W - 75 * MM, y - 52 * MM, 40 * MM, 14 * MM, rng)
    c.saveState()
    c.setStrokeColorRGB(0.2, 0.3, 0.6)
    c.circle(60 * MM, y - 45 * MM, 13 * MM)
    c.restoreState()
    text(c, 60 * MM, y - 46 * MM, "CACHET", "Sans-Bold", 8, (0.2, 0.3, 0.6), "center")
    return pg


def render_honour_statement(spec: DocSpec, rng: random.Random) -> Page:
    """Déclaration sur l'honneur replacing a lost ASSR 2 / ASR (handwritten when ``spec.handwritten``)."""
    issue = _issue(spec)
    p = spec.holder
    which = rng.choice(
        ["l'attestation scolaire de sécurité routière de second niveau", "l'attestation de sécurité routière"]
    )
    body = (
        f"Je {_soussigne(p)} {_name(p, rng)}, {_ne(p)} le {fr_date(p.birth_date)} à {p.birth_place}, demeurant "
        f"{', '.join(address_lines(p))}, déclare sur l'honneur avoir obtenu {which} et ne plus être en "
        "possession de cette attestation."
    )
    made = f"Fait à {town_of(p)}, le {fr_date(issue, rng.choice(['slash', 'long']))}"
    pg = new_page(title="Déclaration sur l'honneur")
    c = pg.canvas
    W, H = pg.width, pg.height
    if spec.handwritten:
        _paper(pg, rng, rng.random() < 0.5)
        face = rng.choice(HANDWRITING_FONTS)
        ink = rng.choice(INKS)
        size = rng.uniform(13, 16)
        lead = 8 * MM
        y = H - 41 * MM
        wavy_text(c, W / 2 - 40 * MM, y, "Déclaration sur l'honneur", face, size * 1.2, rng, ink)
        y = hand_paragraph(c, 30 * MM, y - 2 * lead, body, W - 50 * MM, face, size, lead, rng, ink)
        y = hand_paragraph(
            c,
            30 * MM,
            y - lead / 2,
            "Fait pour servir et valoir ce que de droit.",
            W - 50 * MM,
            face,
            size,
            lead,
            rng,
            ink,
        )
        wavy_text(c, 95 * MM, y - lead, made, face, size, rng, ink)
        signature(c, 110 * MM, y - 40 * MM, 45 * MM, 16 * MM, rng, ink)
        return pg
    text(c, W / 2, H - 40 * MM, "DÉCLARATION SUR L'HONNEUR", "Sans-Bold", 15, DARK, "center")
    text(
        c,
        W / 2,
        H - 47 * MM,
        "(perte de l'ASSR 2 ou de l'ASR - permis de conduire)",
        "Sans",
        10,
        DARK,
        "center",
    )
    y = paragraph(c, 22 * MM, H - 70 * MM, body, W - 44 * MM, "Serif", 11.5, 17)
    y = paragraph(
        c,
        22 * MM,
        y - 6 * MM,
        "Fait pour servir et valoir ce que de droit. Toute fausse déclaration "
        "expose à des sanctions pénales (article 441-7 du Code pénal).",
        W - 44 * MM,
        "Serif",
        11,
        16,
    )
    text(c, W - 22 * MM, y - 12 * MM, made, "Serif", 11.5, DARK, "right")
    text(c, W - 22 * MM, y - 20 * MM, "Signature", "Serif", 10.5, DARK, "right")
    signature(c, W - 75 * MM, y - 45 * MM, 45 * MM, 15 * MM, rng)
    return pg


_EPHOTO_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def render_ephoto(spec: DocSpec, rng: random.Random) -> Page:
    """Photo-booth sheet 10×15 cm: 2–4 identical portraits, the 22-char e-photo code and the ANTS sticker text."""
    code = spec.ephoto_code or "".join(rng.choice(_EPHOTO_CHARS) for _ in range(22))
    issue = _issue(spec)
    pg = new_page(100, 150, "Planche photo")
    c = pg.canvas
    W, H = pg.width, pg.height
    rect(c, 0, 0, W, H, fill=(1, 1, 1))
    n = rng.choice([2, 4, 4, 3])
    state = rng.getstate()
    g = rng.uniform(0.85, 0.93)
    bg: RGB = (g, g, g)
    positions = [(10, 95), (55, 95), (10, 46), (55, 46)][:n]
    for px, py in positions:
        rng.setstate(state)  # identical portraits
        portrait(c, px * MM, py * MM, 35 * MM, 45 * MM, rng, spec.holder.sex, bg)
    rng.setstate(state)
    rng.random()
    y = 36 * MM if n > 2 else 80 * MM
    label = rng.choice(["Code e-photo", "Code ANTS", "Code photo-signature numérique", "E-PHOTO CODE"])
    text(c, 10 * MM, y, f"{label} :", "Sans-Bold", 8.5, DARK)
    grouped = " ".join(code[i : i + 4] for i in range(0, len(code), 4)) if rng.random() < 0.3 else code
    text(c, 10 * MM, y - 5.5 * MM, grouped, "Mono-Bold", 10, DARK)
    text(c, 10 * MM, y - 11 * MM, f"Date de prise de vue : {fr_date(issue)}", "Sans", 7, DARK)
    rect(c, 10 * MM, y - 24 * MM, 55 * MM, 9 * MM, fill=(0.0, 0.25, 0.6), radius=1.5 * MM)
    text(c, 37.5 * MM, y - 20.5 * MM, "Agréé services en ligne ANTS", "Sans-Bold", 8, (1, 1, 1), "center")
    text(
        c,
        W - 8 * MM,
        6 * MM,
        rng.choice(["Photomaton", "Prestophoto", "Studio Photo Ident"]),
        "Sans",
        6.5,
        (0.5, 0.5, 0.5),
        "right",
    )
    return pg


def render_portrait(spec: DocSpec, rng: random.Random) -> Page:
    """A single ID photo (35×45 mm), no text at all."""
    pg = new_page(35, 45, "")
    portrait(pg.canvas, 0, 0, pg.width, pg.height, rng, spec.holder.sex)
    return pg
