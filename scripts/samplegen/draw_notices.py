"""Other proofs of address (tax notices, quittances, insurance, CAF…) and the distractors (payslip, bank
statement, shop receipt), all A4 except the narrow till receipt."""

from __future__ import annotations

import random
from datetime import date, timedelta

from samplegen.drawing import MM, RGB, Page, hline, logo, marianne, new_page, paragraph, rect, signature, text
from samplegen.french_text import (
    MONTHS,
    add_months,
    address_lines,
    alnum,
    digits,
    fr_date,
    fr_money,
    person_line,
    recipient_line,
    town_of,
)
from samplegen.spec import DocSpec
from samplegen.twoddoc_gen import build_2ddoc, draw_datamatrix

DARK: RGB = (0.1, 0.1, 0.12)
GOV_BLUE: RGB = (0.0, 0.14, 0.58)


def _issue(spec: DocSpec) -> date:
    return spec.issue_date or date(2026, 3, 12)


def _addressee(pg: Page, spec: DocSpec, rng: random.Random, x: float, y: float, size: float = 10) -> None:
    text(pg.canvas, x, y, recipient_line(spec, rng), "Sans-Bold", size, DARK)
    for i, line in enumerate(address_lines(spec.holder)):
        text(pg.canvas, x, y - (4.8 + 4.4 * i) * MM, line.upper(), "Sans", size, DARK)


def _twoddoc(
    pg: Page,
    spec: DocSpec,
    rng: random.Random,
    doc_type: str,
    fields: list[tuple[str, str]],
    x: float,
    y: float,
) -> None:
    if not spec.with_2ddoc:
        return
    shown = _issue(spec)
    if spec.extra.get("2ddoc_mismatch") == "1":
        shown = shown - timedelta(days=rng.choice([60, 120, 400]))
    payload = build_2ddoc(doc_type, shown, spec.holder, fields, rng)
    pg.twoddoc = payload
    draw_datamatrix(pg.canvas, payload, x, y, 20 * MM)
    text(pg.canvas, x + 10 * MM, y - 3 * MM, "2D-DOC", "Sans", 6, DARK, "center")


def render_tax_notice(spec: DocSpec, rng: random.Random) -> Page:
    """DGFiP avis d'impôt sur le revenu (or ASDIR), with 'Date de mise en recouvrement' as issue date."""
    issue = _issue(spec)
    year = issue.year if issue.month >= 7 else issue.year - 1
    asdir = spec.extra.get("asdir") == "1" or spec.layout % 3 == 2
    pg = new_page(title="Avis d'impôt")
    c = pg.canvas
    W, H = pg.width, pg.height
    marianne(c, 15 * MM, H - 28 * MM, 18 * MM)
    text(c, 60 * MM, H - 15 * MM, "DIRECTION GÉNÉRALE DES FINANCES PUBLIQUES", "Sans", 9, DARK)
    if asdir:
        text(
            c,
            60 * MM,
            H - 21 * MM,
            "Avis de situation déclarative à l'impôt sur le revenu",
            "Sans-Bold",
            11,
            DARK,
        )
        text(c, 60 * MM, H - 26.5 * MM, f"ASDIR {year} sur les revenus de {year - 1}", "Sans-Bold", 9.5, DARK)
    else:
        text(c, 60 * MM, H - 21 * MM, f"Impôt sur les revenus de {year - 1}", "Sans-Bold", 12, DARK)
        text(
            c,
            60 * MM,
            H - 26.5 * MM,
            f"Avis d'impôt {year} sur les revenus de {year - 1}",
            "Sans-Bold",
            9.5,
            DARK,
        )
    text(c, 60 * MM, H - 31.5 * MM, f"Avis d'impôt établi en {year}", "Sans-Bold", 9.5, DARK)
    text(c, 120 * MM, H - 44 * MM, "CENTRE DES FINANCES PUBLIQUES", "Sans", 8, DARK)
    numero_fiscal = str(rng.randint(0, 3)) + digits(rng, 9)
    numero_fiscal += f"{int(numero_fiscal) % 511:03d}"
    ref = f"{year % 100}{digits(rng, 2)}A{digits(rng, 9)}"[:13]
    rfr = rng.randint(8000, 65000)
    _twoddoc(
        pg,
        spec,
        rng,
        "28",
        [
            ("41", str(rfr)),
            ("43", "1"),
            ("44", ref),
            ("45", str(year - 1)),
            ("46", person_line(spec.holder, random.Random(1), with_civility=False)[:38]),
            ("47", numero_fiscal),
            ("4A", issue.strftime("%d%m%Y")),
        ],
        62 * MM,
        H - 58 * MM,
    )
    _addressee(pg, spec, rng, 115 * MM, H - 62 * MM)
    box_top = H - 90 * MM
    rect(c, 15 * MM, box_top - 80 * MM, 78 * MM, 80 * MM, stroke=GOV_BLUE, line_width=1)
    rect(c, 25 * MM, box_top - 4 * MM, 45 * MM, 7 * MM, fill=(0.27, 0.45, 0.77))
    text(c, 28 * MM, box_top - 2 * MM, "Vos références", "Sans-Bold", 10, (1, 1, 1))
    etab = issue - timedelta(days=rng.randint(2, 5))
    items = [
        ("Numéro fiscal", numero_fiscal),
        ("Déclarant 1", person_line(spec.holder, rng, with_civility=False, surname_first=True)[:34]),
        ("Référence de l'avis", ref),
        (f"Adresse au 01/01/{year}", ""),
        ("", ", ".join(address_lines(spec.holder))[:40]),
        ("Numéro FIP", digits(rng, 7)),
        ("Numéro de rôle", f"0{rng.randint(10, 99)}"),
        ("Date d'établissement", fr_date(etab)),
        ("Date de mise en recouvrement", fr_date(issue)),
        ("Identifiant service", "AVIS_IR_RG" if not asdir else "AVIS_IR_RS"),
    ]
    y = box_top - 11 * MM
    for label, value in items:
        if label:
            text(c, 18 * MM, y, f"{label} :", "Sans-Bold", 7.5, DARK)
            text(c, 62 * MM, y, value, "Sans", 7.5, DARK)
        else:
            text(c, 18 * MM, y + 1.5 * MM, value, "Sans", 7.5, DARK)
        y -= 6.2 * MM
    # right column: amount
    rect(c, 100 * MM, box_top - 8 * MM, W - 115 * MM, 8 * MM, fill=(0.27, 0.45, 0.77))
    text(c, W - 18 * MM, box_top - 5.5 * MM, "Somme qu'il vous reste à payer", "Sans", 10, (1, 1, 1), "right")
    amount = 0 if asdir else rng.randint(0, 2400)
    text(
        c, W - 18 * MM, box_top - 14 * MM, fr_money(amount).replace(",00", ""), "Sans-Bold", 12, DARK, "right"
    )
    limit = issue + timedelta(days=rng.randint(20, 40))
    text(
        c,
        103 * MM,
        box_top - 26 * MM,
        f"Date limite de paiement : {fr_date(limit)}"
        if amount
        else f"Vous n'avez rien à payer au titre des revenus de {year - 1}.",
        "Sans",
        9,
        DARK,
    )
    rect(c, 100 * MM, box_top - 80 * MM, W - 115 * MM, 22 * MM, stroke=GOV_BLUE, line_width=1)
    text(
        c,
        103 * MM,
        box_top - 66 * MM,
        f"Revenu fiscal de référence : {rfr:,}".replace(",", " "),
        "Sans-Bold",
        9,
        DARK,
    )
    text(
        c,
        103 * MM,
        box_top - 72 * MM,
        f"Nombre de parts : {rng.choice(['1', '1,5', '2', '2,5', '3'])}",
        "Sans-Bold",
        9,
        DARK,
    )
    paragraph(
        c,
        18 * MM,
        box_top - 100 * MM,
        f"Cet avis fait suite à la déclaration, en {year}, de vos revenus {year - 1}. Le montant porté sur "
        "cet avis prend en compte les prélèvements et retenues à la source qui ont pu être réalisés en "
        f"{year - 1}.",
        W - 36 * MM,
        "Sans",
        10,
    )
    paragraph(
        c,
        18 * MM,
        box_top - 120 * MM,
        "Pour retrouver toutes les informations relatives à votre prélèvement à la source (taux, options...), "
        "rendez-vous sur le service « Gérer mon prélèvement à la source » accessible dans votre espace "
        "particulier sur impots.gouv.fr.",
        W - 36 * MM,
        "Sans",
        10,
    )
    text(c, W / 2, 10 * MM, "impots.gouv.fr", "Sans", 8, GOV_BLUE, "center")
    return pg


def render_property_tax(spec: DocSpec, rng: random.Random) -> Page:
    """Avis de taxes foncières (probably refused as a proof, but users send it)."""
    issue = _issue(spec)
    pg = new_page(title="Taxes foncières")
    c = pg.canvas
    W, H = pg.width, pg.height
    marianne(c, 15 * MM, H - 28 * MM, 18 * MM)
    text(c, 60 * MM, H - 15 * MM, "DIRECTION GÉNÉRALE DES FINANCES PUBLIQUES", "Sans", 9, DARK)
    text(c, 60 * MM, H - 22 * MM, f"Taxes foncières {issue.year}", "Sans-Bold", 14, DARK)
    text(c, 60 * MM, H - 28 * MM, "Avis d'impôt - taxe foncière sur les propriétés bâties", "Sans", 9, DARK)
    _addressee(pg, spec, rng, 115 * MM, H - 55 * MM)
    y = H - 90 * MM
    numero_fiscal = str(rng.randint(0, 3)) + digits(rng, 12)
    for label, value in [
        ("Numéro fiscal", numero_fiscal),
        ("Référence de l'avis", f"{issue.year % 100}{digits(rng, 2)}{alnum(rng, 9)}"),
        ("Date d'établissement", fr_date(issue - timedelta(days=3))),
        ("Date de mise en recouvrement", fr_date(issue)),
        ("Date limite de paiement", fr_date(issue + timedelta(days=rng.randint(30, 45)))),
        ("Adresse du bien", ", ".join(address_lines(spec.holder))),
    ]:
        text(c, 18 * MM, y, f"{label} :", "Sans-Bold", 9, DARK)
        text(c, 75 * MM, y, value, "Sans", 9, DARK)
        y -= 7 * MM
    y -= 6 * MM
    for label in [
        "Commune",
        "Syndicats de communes",
        "Intercommunalité",
        "Taxe spéciale équipement",
        "Taxe ordures ménagères",
        "Frais de gestion de la fiscalité directe locale",
    ]:
        text(c, 18 * MM, y, label, "Sans", 9, DARK)
        text(c, W - 18 * MM, y, fr_money(rng.uniform(20, 700)), "Sans", 9, DARK, "right")
        hline(c, 15 * MM, W - 15 * MM, y - 2 * MM)
        y -= 6.5 * MM
    return pg


AGENCIES = (
    ("Foncia", "disc"),
    ("Nexity", "square"),
    ("Citya Immobilier", "rings"),
    ("Century 21", "star"),
    ("Paris Habitat OPH", "bars"),
    ("Immobilière 3F", "triangle"),
    ("Orpi", "disc"),
    ("Laforêt", "wave"),
)


def render_rent_receipt(spec: DocSpec, rng: random.Random) -> Page:
    """Typed QUITTANCE DE LOYER from an agency or bailleur social; ``extra['echeance']='1'`` draws an
    AVIS D'ÉCHÉANCE instead (a rent call, not a receipt)."""
    issue = _issue(spec)
    agency = spec.issuer or rng.choice(AGENCIES)[0]
    kind = next((k for n, k in AGENCIES if n == agency), "disc")
    echeance = spec.extra.get("echeance") == "1"
    pg = new_page(title="Quittance de loyer")
    c = pg.canvas
    W, H = pg.width, pg.height
    col: RGB = rng.choice([(0.0, 0.3, 0.6), (0.6, 0.1, 0.2), (0.1, 0.45, 0.3), (0.85, 0.65, 0.0)])
    logo(c, kind, 15 * MM, H - 30 * MM, 14 * MM, col, (0.5, 0.5, 0.5))
    text(c, 32 * MM, H - 21 * MM, agency, "Sans-Bold", 16, col)
    text(c, 32 * MM, H - 27 * MM, f"Agence de {town_of(spec.holder)} - Gestion locative", "Sans", 8.5, DARK)
    text(
        c,
        32 * MM,
        H - 31.5 * MM,
        f"Carte professionnelle CPI {digits(rng, 4)} {digits(rng, 4)} 000 {digits(rng, 3)}",
        "Sans",
        7,
        DARK,
    )
    _addressee(pg, spec, rng, 112 * MM, H - 50 * MM)
    month_start = (
        date(issue.year, issue.month, 1)
        if spec.layout % 2 == 0
        else add_months(date(issue.year, issue.month, 1), -1)
    )
    month_end = add_months(month_start, 1) - timedelta(days=1)
    title = "AVIS D'ÉCHÉANCE" if echeance else "QUITTANCE DE LOYER"
    text(c, W / 2, H - 88 * MM, title, "Sans-Bold", 16, DARK, "center")
    text(
        c,
        W / 2,
        H - 95 * MM,
        f"Période du {fr_date(month_start)} au {fr_date(month_end)}",
        "Sans-Bold",
        10.5,
        DARK,
        "center",
    )
    rent = round(rng.uniform(380, 1400), 2)
    charges = round(rng.uniform(30, 180), 2)
    y = H - 110 * MM
    for label, value in [
        ("Locataire", recipient_line(spec, rng)),
        ("Adresse du bien loué", ", ".join(address_lines(spec.holder))),
        ("Référence du lot", f"{digits(rng, 4)}-{digits(rng, 3)}"),
        (
            "Bailleur",
            rng.choice(
                ["SCI " + alnum(rng, 3), "M. et Mme " + rng.choice(["Bernard", "Petit", "Roux"]), agency]
            ),
        ),
    ]:
        text(c, 18 * MM, y, f"{label} :", "Sans-Bold", 9.5, DARK)
        text(c, 65 * MM, y, value, "Sans", 9.5, DARK)
        y -= 7 * MM
    y -= 4 * MM
    for label, amount in [("Loyer", rent), ("Provision pour charges", charges)]:
        text(c, 18 * MM, y, label, "Sans", 10, DARK)
        text(c, W - 20 * MM, y, fr_money(amount), "Sans", 10, DARK, "right")
        hline(c, 15 * MM, W - 15 * MM, y - 2 * MM)
        y -= 7 * MM
    text(c, 18 * MM, y, "Total", "Sans-Bold", 10.5, DARK)
    text(c, W - 20 * MM, y, fr_money(rent + charges), "Sans-Bold", 10.5, DARK, "right")
    y -= 14 * MM
    if echeance:
        body = (
            f"Nous vous prions de bien vouloir régler la somme de {fr_money(rent + charges)} avant le "
            f"{fr_date(month_start + timedelta(days=4))}. Ce document ne vaut pas quittance."
        )
    else:
        body = (
            f"Le bailleur déclare avoir reçu de {recipient_line(spec, rng)} la somme de "
            f"{fr_money(rent + charges)} au titre du loyer et des charges pour la période du "
            f"{fr_date(month_start)} au {fr_date(month_end)} et lui en donne quittance, sous réserve de tous "
            "ses droits."
        )
    y = paragraph(c, 18 * MM, y, body, W - 36 * MM, "Sans", 10)
    y -= 8 * MM
    text(
        c,
        18 * MM,
        y,
        f"Fait à {town_of(spec.holder)}, le {fr_date(issue, rng.choice(['long', 'slash']))}",
        "Sans",
        10,
        DARK,
    )
    signature(c, 130 * MM, y - 20 * MM, 40 * MM, 12 * MM, rng)
    paragraph(
        c,
        15 * MM,
        14 * MM,
        f"{agency} - SAS au capital de {rng.randint(10, 900)} 000 € - RCS "
        f"{rng.choice(['Paris', 'Lyon', 'Nanterre'])} {digits(rng, 3)} {digits(rng, 3)} {digits(rng, 3)} - "
        "Garantie financière GALIAN",
        W - 30 * MM,
        "Sans",
        6.5,
        color=(0.4, 0.4, 0.4),
    )
    return pg


INSURERS = (
    ("MAIF", "#c8102e", "disc"),
    ("MACIF", "#e4003a", "square"),
    ("AXA", "#00008f", "triangle"),
    ("Matmut", "#00953a", "rings"),
    ("GMF", "#005eb8", "bars"),
    ("MAAF", "#ffcc00", "star"),
)


def render_home_insurance(spec: DocSpec, rng: random.Random) -> Page:
    """Attestation d'assurance multirisque habitation."""
    issue = _issue(spec)
    name, colhex, kind = next(
        ((n, ch, k) for n, ch, k in INSURERS if spec.issuer and n.lower() in spec.issuer.lower()),
        rng.choice(INSURERS),
    )
    col = tuple(int(colhex[i : i + 2], 16) / 255 for i in (1, 3, 5))
    pg = new_page(title="Attestation d'assurance")
    c = pg.canvas
    W, H = pg.width, pg.height
    logo(c, kind, 15 * MM, H - 30 * MM, 15 * MM, col, (0.7, 0.7, 0.7))  # type: ignore[arg-type]
    text(c, 34 * MM, H - 22 * MM, name, "Sans-Bold", 20, col)  # type: ignore[arg-type]
    _addressee(pg, spec, rng, 112 * MM, H - 50 * MM)
    text(c, W / 2, H - 90 * MM, "ATTESTATION D'ASSURANCE", "Sans-Bold", 15, DARK, "center")
    text(c, W / 2, H - 97 * MM, "Multirisque habitation", "Sans", 11, DARK, "center")
    start = date(issue.year if issue.month >= 2 else issue.year - 1, rng.choice([1, 4, 9]), 1)
    end = add_months(start, 12) - timedelta(days=1)
    body = (
        f"{name}, société d'assurance mutuelle, atteste que {recipient_line(spec, rng)}, demeurant "
        f"{', '.join(address_lines(spec.holder))}, est titulaire du contrat n° {digits(rng, 10)} garantissant "
        "les risques locatifs (incendie, explosion, dégât des eaux) et la responsabilité civile vie privée "
        f"pour les locaux situés à l'adresse ci-dessus. Période de validité : du {fr_date(start)} au "
        f"{fr_date(end)}."
    )
    y = paragraph(c, 20 * MM, H - 115 * MM, body, W - 40 * MM, "Sans", 10.5, 15)
    y = paragraph(
        c,
        20 * MM,
        y - 6 * MM,
        "La présente attestation ne peut engager l'assureur au-delà des limites "
        "et conditions du contrat auquel elle se réfère.",
        W - 40 * MM,
        "Sans",
        10.5,
        15,
    )
    text(
        c,
        20 * MM,
        y - 10 * MM,
        f"Fait à {rng.choice(['Niort', 'Paris', 'Nanterre'])}, le {fr_date(issue, 'long')}",
        "Sans",
        10.5,
        DARK,
    )
    signature(c, 130 * MM, y - 35 * MM, 40 * MM, 12 * MM, rng)
    return pg


def render_other_proof(spec: DocSpec, rng: random.Random) -> Page:
    """An address-bearing document outside the accepted list: CAF attestation, phone-shop invoice, or an
    avis d'échéance (chosen by ``spec.layout`` or ``extra['kind']``)."""
    kind = spec.extra.get("kind") or ("caf", "shop_invoice", "echeance")[spec.layout % 3]
    if kind == "echeance":
        spec2 = DocSpec(**{**spec.__dict__, "extra": {**spec.extra, "echeance": "1"}})
        return render_rent_receipt(spec2, rng)
    issue = _issue(spec)
    pg = new_page(title="Document")
    c = pg.canvas
    W, H = pg.width, pg.height
    if kind == "caf":
        rect(c, 15 * MM, H - 32 * MM, 22 * MM, 14 * MM, fill=(0.0, 0.42, 0.7), radius=2 * MM)
        text(c, 26 * MM, H - 27 * MM, "caf", "Sans-Bold", 16, (1, 1, 1), "center")
        text(
            c,
            42 * MM,
            H - 24 * MM,
            f"Caisse d'Allocations Familiales de {town_of(spec.holder)}",
            "Sans-Bold",
            10,
            DARK,
        )
        _addressee(pg, spec, rng, 112 * MM, H - 50 * MM)
        text(c, W / 2, H - 90 * MM, "ATTESTATION DE PAIEMENT", "Sans-Bold", 14, DARK, "center")
        text(c, 20 * MM, H - 102 * MM, f"Numéro allocataire : {digits(rng, 7)}", "Sans", 10, DARK)
        text(c, 20 * MM, H - 109 * MM, f"Édité le {fr_date(issue)}", "Sans", 10, DARK)
        y = H - 122 * MM
        for m in range(3):
            d = add_months(issue, -m - 1)
            text(
                c,
                20 * MM,
                y,
                f"Aide personnalisée au logement - {MONTHS[d.month - 1]} {d.year}",
                "Sans",
                10,
                DARK,
            )
            text(c, W - 20 * MM, y, fr_money(rng.uniform(90, 320)), "Sans", 10, DARK, "right")
            y -= 7 * MM
    else:
        text(
            c,
            15 * MM,
            H - 22 * MM,
            rng.choice(["Phone Shop Center", "Mobile Réparation Express", "Télécom Plus"]),
            "Sans-Bold",
            16,
            (0.2, 0.2, 0.5),
        )
        text(c, 15 * MM, H - 28 * MM, f"SIRET {digits(rng, 14)} - TVA FR{digits(rng, 11)}", "Sans", 8, DARK)
        _addressee(pg, spec, rng, 112 * MM, H - 45 * MM)
        text(c, 15 * MM, H - 80 * MM, f"FACTURE N° {alnum(rng, 8)}", "Sans-Bold", 13, DARK)
        text(c, 15 * MM, H - 87 * MM, f"Date : {fr_date(issue)}", "Sans", 10, DARK)
        y = H - 100 * MM
        total = 0.0
        for item in rng.sample(
            [
                "Smartphone reconditionné 128 Go",
                "Coque de protection",
                "Verre trempé",
                "Chargeur rapide USB-C",
                "Remplacement écran",
            ],
            3,
        ):
            amount = rng.uniform(9, 400)
            total += amount
            text(c, 15 * MM, y, item, "Sans", 10, DARK)
            text(c, W - 15 * MM, y, fr_money(amount), "Sans", 10, DARK, "right")
            y -= 7 * MM
        text(c, 120 * MM, y - 4 * MM, "Total TTC", "Sans-Bold", 11, DARK)
        text(c, W - 15 * MM, y - 4 * MM, fr_money(total), "Sans-Bold", 11, DARK, "right")
    return pg


def render_payslip(spec: DocSpec, rng: random.Random) -> Page:
    """BULLETIN DE PAIE (distractor)."""
    issue = _issue(spec)
    pg = new_page(title="Bulletin de paie")
    c = pg.canvas
    W, H = pg.width, pg.height
    company = rng.choice(
        ["SAS Boulangerie Martin", "Transports Dumas SARL", "Groupe Hexa Conseil", "Clinique du Parc"]
    )
    text(c, 15 * MM, H - 20 * MM, "BULLETIN DE PAIE", "Sans-Bold", 16, DARK)
    month = add_months(issue, -1)
    text(
        c,
        15 * MM,
        H - 27 * MM,
        f"Période du {fr_date(date(month.year, month.month, 1))} au "
        f"{fr_date(date(issue.year, issue.month, 1) - timedelta(days=1))}",
        "Sans",
        9.5,
        DARK,
    )
    text(c, 15 * MM, H - 40 * MM, company, "Sans-Bold", 10, DARK)
    text(c, 15 * MM, H - 45 * MM, f"SIRET {digits(rng, 14)} - Code NAF {digits(rng, 4)}Z", "Sans", 8.5, DARK)
    _addressee(pg, spec, rng, 112 * MM, H - 45 * MM)
    text(
        c,
        15 * MM,
        H - 70 * MM,
        f"Emploi : {rng.choice(['Employé polyvalent', 'Chauffeur', 'Assistant'])}   "
        f"N° SS : {rng.choice('12')} {digits(rng, 2)} {digits(rng, 2)} {digits(rng, 2)} {digits(rng, 3)} ***",
        "Sans",
        9,
        DARK,
    )
    y = H - 85 * MM
    gross = rng.uniform(1800, 3200)
    rows = [
        ("Salaire de base", gross),
        ("Sécurité sociale plafonnée", -gross * 0.069),
        ("Complémentaire retraite", -gross * 0.0401),
        ("CSG déductible", -gross * 0.068),
        ("CSG/CRDS non déductible", -gross * 0.029),
    ]
    for label, amount in rows:
        text(c, 15 * MM, y, label, "Sans", 9.5, DARK)
        text(c, W - 15 * MM, y, fr_money(amount), "Sans", 9.5, DARK, "right")
        hline(c, 15 * MM, W - 15 * MM, y - 2 * MM)
        y -= 7 * MM
    net = sum(a for _, a in rows)
    text(c, 15 * MM, y - 5 * MM, "NET À PAYER AVANT IMPÔT SUR LE REVENU", "Sans-Bold", 10, DARK)
    text(c, W - 15 * MM, y - 5 * MM, fr_money(net), "Sans-Bold", 10, DARK, "right")
    text(c, 15 * MM, y - 15 * MM, f"Payé le {fr_date(issue)} par virement", "Sans", 9, DARK)
    return pg


def render_bank_statement(spec: DocSpec, rng: random.Random) -> Page:
    """Relevé de compte: holder name and address + dates, a hard negative for proofs of address."""
    issue = _issue(spec)
    bank = rng.choice(
        [
            ("Crédit Agricole", "#006a4e"),
            ("BNP Paribas", "#00915a"),
            ("Société Générale", "#e60028"),
            ("LCL", "#003d7a"),
            ("Caisse d'Épargne", "#d0021b"),
            ("La Banque Postale", "#003da5"),
        ]
    )
    col = tuple(int(bank[1][i : i + 2], 16) / 255 for i in (1, 3, 5))
    pg = new_page(title="Relevé de compte")
    c = pg.canvas
    W, H = pg.width, pg.height
    logo(c, "square", 15 * MM, H - 28 * MM, 12 * MM, col, (1, 1, 1))  # type: ignore[arg-type]
    text(c, 31 * MM, H - 22 * MM, bank[0], "Sans-Bold", 16, col)  # type: ignore[arg-type]
    _addressee(pg, spec, rng, 112 * MM, H - 45 * MM)
    start = add_months(issue, -1)
    text(
        c,
        15 * MM,
        H - 75 * MM,
        f"RELEVÉ DE COMPTE du {fr_date(start)} au {fr_date(issue - timedelta(days=1))}",
        "Sans-Bold",
        11,
        DARK,
    )
    text(
        c,
        15 * MM,
        H - 82 * MM,
        f"Compte de dépôt n° {digits(rng, 11)}  -  IBAN FR76 {digits(rng, 4)} "
        f"{digits(rng, 4)} {digits(rng, 4)} {digits(rng, 4)} {digits(rng, 4)} {digits(rng, 3)}",
        "Sans",
        8.5,
        DARK,
    )
    y = H - 95 * MM
    text(c, 15 * MM, y, "Date", "Sans-Bold", 9, DARK)
    text(c, 40 * MM, y, "Libellé", "Sans-Bold", 9, DARK)
    text(c, W - 45 * MM, y, "Débit", "Sans-Bold", 9, DARK, "right")
    text(c, W - 15 * MM, y, "Crédit", "Sans-Bold", 9, DARK, "right")
    y -= 7 * MM
    d = start
    for _ in range(12):
        d = d + timedelta(days=rng.randint(1, 3))
        label = rng.choice(
            [
                "CB CARREFOUR",
                "PRLV SEPA EDF",
                "VIR SALAIRE",
                "CB SNCF",
                "PRLV FREE MOBILE",
                "RETRAIT DAB",
                "CB PHARMACIE",
                "VIR CAF",
            ]
        )
        amount = rng.uniform(5, 150) if not label.startswith("VIR") else rng.uniform(200, 2200)
        text(c, 15 * MM, y, d.strftime("%d/%m"), "Sans", 8.5, DARK)
        text(c, 40 * MM, y, label, "Sans", 8.5, DARK)
        text(
            c,
            (W - 15 * MM) if label.startswith("VIR") else (W - 45 * MM),
            y,
            fr_money(amount, False),
            "Sans",
            8.5,
            DARK,
            "right",
        )
        y -= 6 * MM
    text(
        c,
        15 * MM,
        y - 6 * MM,
        f"Nouveau solde au {fr_date(issue)} : {fr_money(rng.uniform(-200, 3000))}",
        "Sans-Bold",
        10,
        DARK,
    )
    return pg


def render_receipt(spec: DocSpec, rng: random.Random) -> Page:
    """A narrow till receipt (80 mm wide)."""
    issue = _issue(spec)
    pg = new_page(80, 160, "Ticket")
    c = pg.canvas
    W, H = pg.width, pg.height
    shop = rng.choice(["CARREFOUR CITY", "MONOPRIX", "LECLERC", "FNAC", "DECATHLON", "BOULANGERIE DU MARCHÉ"])
    text(c, W / 2, H - 12 * MM, shop, "Mono-Bold", 11, DARK, "center")
    text(
        c,
        W / 2,
        H - 17 * MM,
        f"{digits(rng, 2)} rue {rng.choice(['Victor Hugo', 'Jean Jaurès', 'de la Gare'])}",
        "Mono",
        7.5,
        DARK,
        "center",
    )
    y = H - 28 * MM
    total = 0.0
    for item in rng.sample(
        [
            "PAIN COMPLET",
            "LAIT 1L",
            "PILES AA X4",
            "CAHIER A4",
            "CAFE 250G",
            "POMMES 1KG",
            "SHAMPOOING",
            "EAU 6X1.5L",
        ],
        5,
    ):
        amount = rng.uniform(0.8, 12)
        total += amount
        text(c, 5 * MM, y, item, "Mono", 8, DARK)
        text(c, W - 5 * MM, y, fr_money(amount, False), "Mono", 8, DARK, "right")
        y -= 4.5 * MM
    text(c, 5 * MM, y - 3 * MM, "TOTAL EUR", "Mono-Bold", 9, DARK)
    text(c, W - 5 * MM, y - 3 * MM, fr_money(total, False), "Mono-Bold", 9, DARK, "right")
    text(
        c,
        5 * MM,
        y - 12 * MM,
        f"{issue.strftime('%d/%m/%Y')} {rng.randint(8, 20):02d}:{rng.randint(0, 59):02d}",
        "Mono",
        8,
        DARK,
    )
    text(c, 5 * MM, y - 17 * MM, f"CLIENT FIDELITE {spec.holder.surname.upper()}", "Mono", 7.5, DARK)
    text(c, W / 2, y - 27 * MM, "MERCI DE VOTRE VISITE", "Mono", 8, DARK, "center")
    return pg
