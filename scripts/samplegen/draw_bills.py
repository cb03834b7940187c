"""Utility bills (electricity, gas, water, phone, internet) on A4: issuer styling, client block, references,
consumption table, the issue date and its decoys (due date, billing period, client since, next bill)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from samplegen.drawing import MM, RGB, Page, hex_rgb, hline, logo, new_page, paragraph, rect, text
from samplegen.french_text import (
    add_months,
    address_lines,
    digits,
    fr_date,
    fr_money,
    recipient_line,
)
from samplegen.spec import DocSpec
from samplegen.twoddoc_gen import build_2ddoc, draw_datamatrix


@dataclass(frozen=True)
class Issuer:
    """How one supplier's bills look and what they say about themselves."""

    name: str
    color: str
    color2: str
    logo: str
    legal: str
    web: str
    product: str
    client_digits: int = 10


ISSUERS: dict[str, tuple[Issuer, ...]] = {
    "electricity": (
        Issuer(
            "EDF",
            "#0a2d82",
            "#ff8c00",
            "disc",
            "EDF SA au capital de 2 084 365 041 € - 552 081 317 R.C.S. Paris - 22-30 avenue de Wagram 75382 Paris cedex 08",
            "edf.fr",
            "Tarif Bleu - Option Base",
        ),
        Issuer(
            "ENGIE",
            "#00aaff",
            "#003d7c",
            "wave",
            "ENGIE SA au capital de 2 435 285 011 € - RCS Nanterre 542 107 651 - 1 place Samuel de Champlain 92400 Courbevoie",
            "particuliers.engie.fr",
            "Elec Référence 3 ans",
        ),
        Issuer(
            "TotalEnergies",
            "#ed0000",
            "#003d9e",
            "star",
            "TotalEnergies Électricité et Gaz France SA au capital de 2 367 020 € - RCS Nanterre 750 599 912",
            "totalenergies.fr",
            "Offre Essentielle",
        ),
        Issuer(
            "Eni",
            "#ffd100",
            "#1a1a1a",
            "square",
            "Eni Plenitude France SA au capital de 28 875 000 € - RCS Nanterre 451 072 755",
            "eniplenitude.fr",
            "Offre Fixe Électricité",
        ),
        Issuer(
            "ekWateur",
            "#00c389",
            "#1c2841",
            "drop",
            "ekWateur SAS au capital de 1 164 170 € - RCS Paris 819 924 565 - 16 rue Washington 75008 Paris",
            "ekwateur.fr",
            "Électricité verte prix variable",
        ),
        Issuer(
            "Vattenfall",
            "#ffda00",
            "#2071b5",
            "rings",
            "Vattenfall Energies SAS au capital de 18 000 000 € - RCS Paris 509 760 666",
            "vattenfall.fr",
            "Électricité Eco",
        ),
    ),
    "gas": (
        Issuer(
            "ENGIE",
            "#00aaff",
            "#003d7c",
            "wave",
            "ENGIE SA au capital de 2 435 285 011 € - RCS Nanterre 542 107 651 - Acheminement GRDF",
            "particuliers.engie.fr",
            "Gaz Tarif Référence",
        ),
        Issuer(
            "TotalEnergies",
            "#ed0000",
            "#003d9e",
            "star",
            "TotalEnergies Électricité et Gaz France SA - RCS Nanterre 750 599 912 - Distributeur : GRDF",
            "totalenergies.fr",
            "Gaz Online",
        ),
        Issuer(
            "Eni",
            "#ffd100",
            "#1a1a1a",
            "square",
            "Eni Plenitude France SA - RCS Nanterre 451 072 755 - Gestionnaire de réseau : GRDF",
            "eniplenitude.fr",
            "Gaz Fixe",
        ),
        Issuer(
            "EDF",
            "#0a2d82",
            "#ff8c00",
            "disc",
            "EDF SA au capital de 2 084 365 041 € - 552 081 317 R.C.S. Paris - Distributeur GRDF",
            "edf.fr",
            "Avantage Gaz",
        ),
    ),
    "water": (
        Issuer(
            "Veolia Eau",
            "#e30613",
            "#00a3e0",
            "drop",
            "Veolia Eau - Compagnie Générale des Eaux SCA au capital de 2 207 287 340 € - RCS Paris 572 025 526",
            "eau.veolia.fr",
            "Abonnement eau potable",
        ),
        Issuer(
            "SAUR",
            "#0069b4",
            "#7ab929",
            "drop",
            "SAUR SAS au capital de 101 529 000 € - RCS Versailles 339 379 984",
            "saurclient.fr",
            "Service de l'eau",
        ),
        Issuer(
            "Eau de Paris",
            "#00a0e1",
            "#0a2d5a",
            "wave",
            "Eau de Paris - Régie à autonomie financière et personnalité morale - SIRET 514 991 461 00011",
            "eaudeparis.fr",
            "Abonnement Eau de Paris",
        ),
        Issuer(
            "SUEZ Eau France",
            "#41b6e6",
            "#00205b",
            "wave",
            "SUEZ Eau France SAS au capital de 422 224 040 € - RCS Nanterre 410 034 607",
            "toutsurmoneau.fr",
            "Distribution d'eau potable",
        ),
    ),
    "phone": (
        Issuer(
            "Orange",
            "#ff7900",
            "#000000",
            "square",
            "Orange SA au capital de 10 640 226 396 € - 380 129 866 RCS Paris - 111 quai du Président Roosevelt 92130 Issy-les-Moulineaux",
            "orange.fr",
            "Forfait mobile 100 Go 5G",
        ),
        Issuer(
            "SFR",
            "#e2001a",
            "#ffffff",
            "square",
            "SFR SA au capital de 3 423 265 598,40 € - RCS Paris 343 059 564 - 16 rue du Général Alain de Boissieu 75015 Paris",
            "sfr.fr",
            "Forfait SFR Power 130 Go",
        ),
        Issuer(
            "Bouygues Telecom",
            "#009dcc",
            "#1b1b5f",
            "rings",
            "Bouygues Telecom SA au capital de 1 106 180 000 € - RCS Paris 397 480 930 - 37-39 rue Boissière 75116 Paris",
            "bouyguestelecom.fr",
            "Forfait B&You 130 Go",
        ),
        Issuer(
            "Free Mobile",
            "#cd1e25",
            "#333333",
            "triangle",
            "Free Mobile SAS au capital de 365 138 779 € - RCS Paris 499 247 138 - 16 rue de la Ville l'Évêque 75008 Paris",
            "mobile.free.fr",
            "Forfait Free 5G 250 Go",
            8,
        ),
    ),
    "internet": (
        Issuer(
            "Free",
            "#cd1e25",
            "#333333",
            "triangle",
            "Free SAS au capital de 3 441 812 € - RCS Paris 421 938 861 - 16 rue de la Ville l'Évêque 75008 Paris",
            "free.fr",
            "Freebox Pop",
            8,
        ),
        Issuer(
            "Orange",
            "#ff7900",
            "#000000",
            "square",
            "Orange SA au capital de 10 640 226 396 € - 380 129 866 RCS Paris",
            "orange.fr",
            "Livebox Fibre",
        ),
        Issuer(
            "SFR",
            "#e2001a",
            "#ffffff",
            "square",
            "SFR SA au capital de 3 423 265 598,40 € - RCS Paris 343 059 564",
            "sfr.fr",
            "SFR Box Fibre Premium",
        ),
        Issuer(
            "Bouygues Telecom",
            "#009dcc",
            "#1b1b5f",
            "rings",
            "Bouygues Telecom SA au capital de 1 106 180 000 € - RCS Paris 397 480 930",
            "bouyguestelecom.fr",
            "Bbox Must fibre",
        ),
    ),
}


def pick_issuer(subtype: str, name: str | None, rng: random.Random) -> Issuer:
    """The catalogue issuer matching ``name`` (loosely), else a random one of the subtype."""
    options = ISSUERS[subtype]
    if name:
        key = name.lower().replace(" ", "")
        for iss in options:
            n = iss.name.lower().replace(" ", "")
            if key in n or n in key:
                return iss
        base = options[rng.randrange(len(options))]
        return Issuer(
            name,
            base.color,
            base.color2,
            base.logo,
            f"{name} - société anonyme - RCS Paris",
            name.lower().replace(" ", "") + ".fr",
            base.product,
        )
    return options[rng.randrange(len(options))]


def _lines(
    subtype: str, iss: Issuer, rng: random.Random, start: date, end: date
) -> list[tuple[str, str, float]]:
    """(label, detail, amount HT) rows of the consumption table."""
    period = f"du {fr_date(start)} au {fr_date(end)}"
    if subtype == "electricity":
        kwh = rng.randint(150, 900)
        price = rng.uniform(0.18, 0.27)
        return [
            (f"Abonnement {iss.product}", period, rng.uniform(10, 25)),
            ("Consommation", f"{kwh} kWh x {price:.4f} €".replace(".", ","), kwh * price),
            ("Accise sur l'électricité (ex-CSPE)", f"{kwh} kWh", kwh * 0.0337),
            ("Contribution Tarifaire d'Acheminement", "", rng.uniform(2, 5)),
        ]
    if subtype == "gas":
        kwh = rng.randint(300, 2500)
        price = rng.uniform(0.09, 0.13)
        return [
            (f"Abonnement {iss.product}", period, rng.uniform(9, 22)),
            ("Consommation gaz naturel", f"{kwh} kWh (coef. 11,2)", kwh * price),
            ("Accise sur le gaz naturel", f"{kwh} kWh", kwh * 0.0164),
            ("Contribution Tarifaire d'Acheminement (GRDF)", "", rng.uniform(2, 6)),
        ]
    if subtype == "water":
        m3 = rng.randint(8, 60)
        return [
            ("Abonnement eau potable", period, rng.uniform(8, 20)),
            ("Consommation eau", f"{m3} m³ x {rng.uniform(1.5, 2.4):.2f} €".replace(".", ","), m3 * 1.9),
            ("Assainissement collectif", f"{m3} m³", m3 * rng.uniform(1.2, 2.0)),
            ("Redevance pollution domestique (Agence de l'eau)", f"{m3} m³", m3 * 0.35),
        ]
    if subtype == "phone":
        return [
            (iss.product, period, rng.choice([9.99, 15.99, 19.99, 24.99, 29.99])),
            ("Communications hors forfait", f"{rng.randint(0, 12)} min", rng.uniform(0, 4)),
            ("Option Multi-SIM", "", rng.choice([0.0, 3.0, 5.0])),
        ]
    return [
        (f"Abonnement {iss.product}", period, rng.choice([29.99, 34.99, 39.99, 44.99, 49.99])),
        ("Location décodeur TV", "", rng.choice([0.0, 5.0, 7.0])),
        ("Appels vers mobiles", f"{rng.randint(0, 40)} min", rng.uniform(0, 3)),
    ]


def render_bill(spec: DocSpec, rng: random.Random) -> Page:
    """One utility bill; ``spec.layout`` picks one of three page designs."""
    sub = spec.subtype or "electricity"
    iss = pick_issuer(sub, spec.issuer, rng)
    issue = spec.issue_date or date(2026, 3, 12)
    layout = spec.layout % 3
    col, col2 = hex_rgb(iss.color), hex_rgb(iss.color2)
    dark: RGB = (0.12, 0.12, 0.15)
    pg = new_page(title=f"Facture {iss.name}")
    c = pg.canvas
    W, H = pg.width, pg.height
    # periods and decoy dates
    per_end = issue - timedelta(days=rng.randint(1, 12))
    per_start = add_months(per_end, -rng.choice([1, 1, 2])) + timedelta(days=1)
    due = issue + timedelta(days=rng.choice([10, 14, 15, 20, 30]))
    since = date(issue.year - rng.randint(1, 9), rng.randint(1, 12), rng.randint(1, 28))
    next_bill = add_months(issue, rng.choice([1, 2]))
    client_no = digits(rng, iss.client_digits)
    invoice_no = digits(rng, rng.choice([10, 12]))
    style = rng.choice(["slash", "long", "abbr", "slash"])
    date_label = rng.choice(
        [
            f"Facture du {fr_date(issue, style)}",
            f"Date de facture : {fr_date(issue)}",
            f"Facture émise le {fr_date(issue, style)}",
            f"Date d'émission : {fr_date(issue, style)}",
        ]
    )
    if spec.extra.get("date_label"):
        date_label = f"{spec.extra['date_label']} {fr_date(issue, style)}"
    # ----- header
    if layout == 1:
        rect(c, 0, H - 32 * MM, W, 32 * MM, fill=col)
        logo(c, iss.logo, 15 * MM, H - 25 * MM, 16 * MM, (1, 1, 1), col2)
        text(c, 35 * MM, H - 18 * MM, iss.name, "Sans-Bold", 22, (1, 1, 1))
        text(c, 35 * MM, H - 25 * MM, iss.web, "Sans", 9, (1, 1, 1))
        top = H - 42 * MM
    else:
        logo(c, iss.logo, 15 * MM, H - 30 * MM, 15 * MM, col, col2)
        text(c, 33 * MM, H - 22 * MM, iss.name, "Sans-Bold", 20, col)
        text(c, 33 * MM, H - 28 * MM, iss.web, "Sans", 8.5, dark)
        top = H - 40 * MM
    # ----- client block (right, window-envelope position)
    bx = 112 * MM
    by = H - 50 * MM if layout != 2 else H - 58 * MM
    text(c, bx, by, recipient_line(spec, rng), "Sans-Bold", 10, dark)
    for i, line in enumerate(address_lines(spec.holder)):
        text(c, bx, by - (5 + 4.6 * i) * MM, line.upper(), "Sans", 10, dark)
    # ----- 2D-Doc
    if spec.with_2ddoc:
        shown = issue
        if spec.extra.get("2ddoc_mismatch") == "1":
            shown = issue - timedelta(days=rng.choice([45, 92, 200, 380]))
        payload = build_2ddoc("01", shown, spec.holder, [], rng)
        pg.twoddoc = payload
        dm_x, dm_y = W - 37 * MM, H - 30 * MM
        draw_datamatrix(c, payload, dm_x, dm_y, 20 * MM)
        text(c, dm_x + 10 * MM, dm_y - 3 * MM, "2D-DOC", "Sans", 6, dark, "center")
    # ----- references block (left)
    refs: list[tuple[str, str]] = [
        ("N° client" if layout != 1 else "Référence client", client_no),
        ("N° de facture", invoice_no),
    ]
    if sub == "electricity":
        refs.append(("PDL / PRM", digits(rng, 14)))
    elif sub == "gas":
        refs.append(("PCE", "GI" + digits(rng, 6) if rng.random() < 0.2 else digits(rng, 14)))
    elif sub == "water":
        refs.append(("Référence abonné", digits(rng, 9)))
    elif sub == "phone":
        refs.append(("Numéro de ligne", "06 " + " ".join(digits(rng, 2) for _ in range(4))))
    else:
        refs.append(("Identifiant ligne", "0" + rng.choice("1234589") + digits(rng, 8)))
    refs.append(("Client depuis le" if rng.random() < 0.5 else "Date de début de contrat", fr_date(since)))
    y = top
    if layout == 0:
        text(c, 15 * MM, y, date_label, "Sans-Bold", 13, col)
        y -= 8 * MM
    rect(c, 15 * MM, y - 34 * MM, 80 * MM, 34 * MM, stroke=col, radius=2 * MM if layout == 2 else 0)
    text(c, 18 * MM, y - 5 * MM, "Vos références" if layout != 2 else "VOS RÉFÉRENCES", "Sans-Bold", 9.5, col)
    yy = y - 11 * MM
    for label, value in refs:
        text(c, 18 * MM, yy, f"{label} :", "Sans", 8.5, dark)
        text(c, 58 * MM, yy, value, "Sans-Bold", 8.5, dark)
        yy -= 5.2 * MM
    y -= 44 * MM
    if layout != 0:
        text(c, 15 * MM, y, date_label, "Sans-Bold", 12, col)
        y -= 7 * MM
    period_label = rng.choice(["Période de facturation", "Période", "Consommation"])
    text(c, 15 * MM, y, f"{period_label} du {fr_date(per_start)} au {fr_date(per_end)}", "Sans", 9, dark)
    y -= 10 * MM
    # ----- table
    rows = _lines(sub, iss, rng, per_start, per_end)
    rect(c, 15 * MM, y - 2 * MM, W - 30 * MM, 7 * MM, fill=col if layout != 2 else (0.92, 0.92, 0.92))
    head_col: RGB = (1, 1, 1) if layout != 2 else dark
    text(c, 17 * MM, y, "Détail de votre facture", "Sans-Bold", 9, head_col)
    text(c, 130 * MM, y, "Quantité", "Sans-Bold", 9, head_col)
    text(c, W - 17 * MM, y, "Montant HT", "Sans-Bold", 9, head_col, "right")
    y -= 8 * MM
    total_ht = 0.0
    for label, detail, amount in rows:
        text(c, 17 * MM, y, label, "Sans", 9, dark)
        text(c, 130 * MM, y, detail[:34], "Sans", 8, dark)
        text(c, W - 17 * MM, y, fr_money(amount), "Sans", 9, dark, "right")
        hline(c, 15 * MM, W - 15 * MM, y - 2.2 * MM, (0.85, 0.85, 0.85))
        total_ht += amount
        y -= 6.5 * MM
    rate = 0.2
    tva = total_ht * rate
    y -= 3 * MM
    for label, amount in [("Total HT", total_ht), ("TVA 20 %", tva)]:
        text(c, 120 * MM, y, label, "Sans", 9, dark)
        text(c, W - 17 * MM, y, fr_money(amount), "Sans", 9, dark, "right")
        y -= 5.5 * MM
    y -= 3 * MM
    rect(c, 115 * MM, y - 3 * MM, W - 130 * MM, 9 * MM, fill=col if layout != 2 else (0.9, 0.9, 0.9))
    ttc_col: RGB = (1, 1, 1) if layout != 2 else dark
    text(c, 118 * MM, y, "Montant TTC", "Sans-Bold", 11, ttc_col)
    text(c, W - 17 * MM, y, fr_money(total_ht + tva), "Sans-Bold", 11, ttc_col, "right")
    y -= 16 * MM
    # ----- payment box with the due date (decoy)
    due_label = rng.choice(
        [
            f"À payer avant le {fr_date(due, style)}",
            f"Date d'échéance : {fr_date(due)}",
            f"Montant prélevé le {fr_date(due, style)} sur votre compte",
            f"Date limite de paiement : {fr_date(due)}",
        ]
    )
    rect(c, 15 * MM, y - 14 * MM, W - 30 * MM, 18 * MM, fill=(0.96, 0.96, 0.97))
    text(c, 18 * MM, y - 2 * MM, due_label, "Sans-Bold", 10, dark)
    text(c, 18 * MM, y - 9 * MM, f"Prochaine facture vers le {fr_date(next_bill, 'long')}", "Sans", 8.5, dark)
    y -= 26 * MM
    adr = ", ".join(address_lines(spec.holder))
    place = (
        "Adresse du lieu de consommation"
        if sub in ("electricity", "gas", "water")
        else "Adresse d'installation"
    )
    if sub == "phone":
        place = "Adresse de facturation"
    text(c, 15 * MM, y, f"{place} : {adr}", "Sans", 8.5, dark)
    y -= 6 * MM
    text(c, 15 * MM, y, "Titulaire du contrat : " + recipient_line(spec, rng), "Sans", 8.5, dark)
    y -= 10 * MM
    paragraph(
        c,
        15 * MM,
        y,
        rng.choice(
            [
                "En cas de réclamation, contactez votre service client. Si la réponse ne vous satisfait pas, vous pouvez "
                "saisir gratuitement le médiateur national de l'énergie ou le médiateur des communications électroniques.",
                "Conservez cette facture : elle peut vous servir de justificatif de domicile. Pénalités de retard : trois "
                "fois le taux d'intérêt légal. Indemnité forfaitaire pour frais de recouvrement : 40 €.",
            ]
        ),
        W - 30 * MM,
        "Sans",
        7.5,
        color=(0.35, 0.35, 0.35),
    )
    # ----- legal footer
    hline(c, 15 * MM, W - 15 * MM, 16 * MM, col)
    paragraph(c, 15 * MM, 12 * MM, iss.legal, W - 30 * MM, "Sans", 6.5, color=(0.4, 0.4, 0.4))
    text(c, W - 15 * MM, 6 * MM, "Page 1/1", "Sans", 6.5, (0.4, 0.4, 0.4), "right")
    return pg
