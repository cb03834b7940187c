"""French date parsing, date finding and label-driven choice of the issue date."""

from __future__ import annotations

import itertools
import re
from datetime import date

import pytest
from dateutil import parser as du_parser

from preverif.extract.dates import (
    DateMention,
    find_dates,
    find_period_end,
    parse_french_date,
    pick_issue_date,
    pick_labelled_date,
)

TODAY = date(2026, 5, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("12/03/2026", date(2026, 3, 12), id="slash"),
        pytest.param("12-03-26", date(2026, 3, 12), id="dash-2digit-year"),
        pytest.param("12.03.2026", date(2026, 3, 12), id="dots"),
        pytest.param("2026-03-12", date(2026, 3, 12), id="iso"),
        pytest.param("2/3/2026", date(2026, 3, 2), id="single-digits"),
        pytest.param("12 mars 2026", date(2026, 3, 12), id="mars"),
        pytest.param("1er mars 2026", date(2026, 3, 1), id="1er"),
        pytest.param("1 er mars 2026", date(2026, 3, 1), id="1-er-spaced"),
        pytest.param("ler mars 2026", date(2026, 3, 1), id="ocr-ler"),
        pytest.param("Ler octobre 2023", date(2023, 10, 1), id="ocr-capital-ler"),
        pytest.param("3 janv. 2026", date(2026, 1, 3), id="janv"),
        pytest.param("3 janvier 2026", date(2026, 1, 3), id="janvier"),
        pytest.param("3 févr. 2026", date(2026, 2, 3), id="fevr-accent"),
        pytest.param("3 fevrier 2026", date(2026, 2, 3), id="fevrier-no-accent"),
        pytest.param("3 février 2026", date(2026, 2, 3), id="fevrier-accent"),
        pytest.param("3 avr. 2026", date(2026, 4, 3), id="avr"),
        pytest.param("3 mai 2026", date(2026, 5, 3), id="mai"),
        pytest.param("3 juin 2026", date(2026, 6, 3), id="juin"),
        pytest.param("3 juil. 2025", date(2025, 7, 3), id="juil"),
        pytest.param("02 Juillet 2015", date(2015, 7, 2), id="juillet-title"),
        pytest.param("15 août 2025", date(2025, 8, 15), id="aout-accent"),
        pytest.param("15 aout 2025", date(2025, 8, 15), id="aout"),
        pytest.param("3 sept. 2025", date(2025, 9, 3), id="sept"),
        pytest.param("3 septembre 2025", date(2025, 9, 3), id="septembre"),
        pytest.param("3 oct. 2025", date(2025, 10, 3), id="oct"),
        pytest.param("3 nov. 2025", date(2025, 11, 3), id="nov"),
        pytest.param("3 déc. 2025", date(2025, 12, 3), id="dec-accent"),
        pytest.param("3 DECEMBRE 2025", date(2025, 12, 3), id="DECEMBRE-caps"),
        pytest.param("3 DÉCEMBRE 2025", date(2025, 12, 3), id="DECEMBRE-caps-accent"),
        pytest.param("3 decernbre 2025", date(2025, 12, 3), id="ocr-rn-for-m"),
        pytest.param("3 fevrler 2026", date(2026, 2, 3), id="ocr-one-letter"),
        pytest.param("3-mars-2026", date(2026, 3, 3), id="written-dashes"),
        pytest.param("Lundi 3 mars 2026", date(2026, 3, 3), id="weekday"),
        pytest.param("le 3 mars 2026 à Lyon", date(2026, 3, 3), id="in-sentence"),
        pytest.param("l2/03/2O26", date(2026, 3, 12), id="ocr-l-and-O"),
        pytest.param("I2/O3/2026", date(2026, 3, 12), id="ocr-I-and-O"),
        pytest.param("12 /03/ 2026", date(2026, 3, 12), id="ocr-spaces"),
        pytest.param("12/03/48", date(1948, 3, 12), id="2digit-year-past-century"),
        pytest.param("12/03/30", date(2030, 3, 12), id="2digit-year-near-future"),
        pytest.param("3 mars 26", date(2026, 3, 3), id="written-2digit-year"),
        pytest.param("11 02 2030", date(2030, 2, 11), id="cni2021-spaced"),
        pytest.param("Facture émise le 31 juil.i2026", date(2026, 7, 31), id="speck-read-i-before-year"),
        pytest.param("le 3 mars|2026", date(2026, 3, 3), id="rule-read-bar-before-year"),
    ],
)
def test_parse_french_date(text: str, expected: date) -> None:
    assert parse_french_date(text, today=TODAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("31/02/2026", id="feb-31"),
        pytest.param("30 février 2026", id="feb-30-written"),
        pytest.param("12/13/2026", id="month-13"),
        pytest.param("12/03/1850", id="too-old"),
        pytest.param("12/03/2150", id="absurd-future"),
        pytest.param("mars 2026", id="no-day"),
        pytest.param("2026", id="year-only"),
        pytest.param("Facture 562044387", id="number"),
        pytest.param("32 mars 2026", id="day-32"),
        pytest.param("3 brumaire 2026", id="unknown-month"),
        pytest.param("3 mars 12026", id="five-digit-year-is-no-year"),
        pytest.param("", id="empty"),
    ],
)
def test_parse_french_date_rejects(text: str) -> None:
    assert parse_french_date(text, today=TODAY) is None


def test_french_parserinfo_vs_plain_dateutil() -> None:
    """dateutil alone reads 'sept.' only through the English 'Sept'; it fails on French names and '1er'."""
    assert du_parser.parse("3 sept. 2025", dayfirst=True).date() == date(2025, 9, 3)  # English luck
    for text in ("3 septembre 2025", "3 févr. 2026", "3 déc. 2025", "1er mars 2026"):
        with pytest.raises(du_parser.ParserError):
            du_parser.parse(text, dayfirst=True)
    # ours handles all of them
    assert parse_french_date("3 sept. 2025", today=TODAY) == date(2025, 9, 3)
    assert parse_french_date("3 déc. 2025", today=TODAY) == date(2025, 12, 3)


@pytest.mark.parametrize(
    "junk",
    [
        pytest.param(None, id="none"),
        pytest.param(12, id="int"),
        pytest.param("\x00\x01\x02", id="control"),
        pytest.param("9" * 500, id="long-digits"),
        pytest.param("99/99/9999", id="nines"),
        pytest.param("00/00/0000", id="zeros"),
        pytest.param("𝟙𝟚/𝟘𝟛/𝟚𝟘𝟚𝟞", id="math-digits"),
        pytest.param("/" * 300, id="slashes"),
    ],
)
def test_junk_never_raises(junk: object) -> None:
    assert parse_french_date(junk, today=TODAY) is None  # type: ignore[arg-type]
    assert isinstance(find_dates([junk, "x" * 1000, ""]), list)  # type: ignore[list-item]
    assert pick_issue_date([junk], ["Date"], []) is None  # type: ignore[list-item]
    assert pick_labelled_date([junk], ["Date"]) is None  # type: ignore[list-item]


# ---------------------------------------------------------------- find_dates


def test_find_dates_spans_and_text() -> None:
    lines = ["Facture du 12/03/2026 - réf 123", "rien", "Le 3 mars 2026"]
    mentions = find_dates(lines, today=TODAY)
    assert mentions == [
        DateMention(date(2026, 3, 12), "12/03/2026", 0, (11, 21), "single"),
        DateMention(date(2026, 3, 3), "3 mars 2026", 2, (3, 14), "single"),
    ]
    assert lines[0][11:21] == "12/03/2026"


@pytest.mark.parametrize(
    ("line", "start", "end"),
    [
        pytest.param(
            "Période du 01/02/2026 au 28/02/2026", date(2026, 2, 1), date(2026, 2, 28), id="periode-du-au"
        ),
        pytest.param(
            "du 1er février 2026 au 28 février 2026", date(2026, 2, 1), date(2026, 2, 28), id="written"
        ),
        pytest.param(
            "Free Haut Débit du 1er au 31 Juillet 2015",
            date(2015, 7, 1),
            date(2015, 7, 31),
            id="borrowed-month",
        ),
        pytest.param(
            "consommation du 01/01 au 31/01/2026", date(2026, 1, 1), date(2026, 1, 31), id="borrowed-year"
        ),
        pytest.param("Période : 01/02/2026 - 28/02/2026", date(2026, 2, 1), date(2026, 2, 28), id="dash"),
    ],
)
def test_find_dates_ranges(line: str, start: date, end: date) -> None:
    mentions = find_dates([line], today=TODAY)
    kinds = {(m.date, m.kind) for m in mentions}
    assert (start, "range_start") in kinds
    assert (end, "range_end") in kinds


# ---------------------------------------------------------------- pick_issue_date


def test_birth_dates_alone_give_no_issue_date() -> None:
    """A handwritten attestation whose 'Fait le' date is illegible still prints the host's and the hosted
    person's birth dates: neither is the date it was written."""
    lines = [
        "Je soussigné Anatole DUPRE, né Le 15/04/1944 à NANTES",
        "héberger Océane DOS SANTOS, née le 14/04/44",
    ]
    assert pick_issue_date(lines, ("Fait à … le",), (), reference_date=date(2026, 11, 27)) is None


def test_handwritten_birth_label_read_n6_gives_no_issue_date() -> None:
    """OCR of handwriting reads 'né le' as 'n6 Le': still a birth date, never the attestation's date."""
    lines = [
        "Je soussigné Fioï Émile LEMOÏ, n6 Le 23 août 1999 A NIMES (30),",
        "Fait à Saint-Etienne, Le 20 jovembæ 2054",
    ]
    assert pick_issue_date(lines, ("Fait à … le",), (), reference_date=date(2026, 11, 27)) is None


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(
            [
                "23/09/2026 18:06 DE : +33 455 18 78 43. P. 001",
                "AVIS D'ÉCHÉANCE",
                "Fait à Lyon, le illisible",
            ],
            None,
            id="fax-header-alone-is-no-issue-date",
        ),
        pytest.param(
            ["0 26/09/2026 0822 DE: 433.4 64 34:19 52 POOL", "Facture du 12/09/2026"],
            date(2026, 9, 12),
            id="fax-header-beside-the-real-date",
        ),
        pytest.param(
            ["12/03/2026 10:30 Rendez-vous confirmé"], date(2026, 3, 12), id="date-and-time-is-no-header"
        ),
    ],
)
def test_fax_header_date_is_never_the_issue_date(lines: list[str], expected: date | None) -> None:
    found = pick_issue_date(lines, ("Facture du",), (), reference_date=date(2026, 11, 27))
    assert (found.date if found else None) == expected


def test_birth_label_also_listed_as_decoy_still_gives_no_issue_date() -> None:
    """An ASSR's type lists 'né(e) le' among its decoys: the birth date must not come back by position when
    the 'Obtenue le' date is unreadable."""
    lines = ["ASSR 2", "Nom : BONNET", "Né(e) le : 12/11/2006", "Obtenue le : illisible"]
    decoys = (re.compile(r"\bne\(?e?\)? le\b"),)
    assert pick_issue_date(lines, ("Obtenue le",), decoys, reference_date=date(2026, 11, 27)) is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param("Obtenue le : 2710712021", date(2021, 7, 27), id="slashes-read-as-ones-after-le"),
        pytest.param("Facture du 0311012026", date(2026, 10, 3), id="slashes-read-as-ones-after-du"),
        pytest.param("Tél. 0612101990", None, id="phone-number-is-no-date"),
        pytest.param("N° client 2710712021", None, id="reference-number-is-no-date"),
        pytest.param("le : 27107120215", None, id="eleven-digits-are-no-date"),
    ],
)
def test_find_dates_slashes_read_as_ones(line: str, expected: date | None) -> None:
    found = [m.date for m in find_dates([line], today=date(2026, 11, 27))]
    assert found == ([expected] if expected else [])


BILL_LABELS = ("Date de facture", "Facture du", "Facture … du", "Date d'émission")
BILL_DECOYS = ("Date limite de paiement", "Échéance", "Période", "Date de début de contrat", "Prélèvement le")

BILL_LINES = (
    "Date de facture : 14/03/2026",
    "Date limite de paiement : 02/04/2026",
    "Période de consommation du 01/01/2026 au 28/02/2026",
    "Date de début de contrat : 05/09/2019",
    "Prélèvement le 30/03/2026",
)


@pytest.mark.parametrize(
    "order",
    [pytest.param(p, id="order-" + "".join(map(str, p))) for p in itertools.permutations(range(5))][::7],
)
def test_issue_date_wins_whatever_the_order(order: tuple[int, ...]) -> None:
    lines = ["EDF", "M. DUPONT Jean", *(BILL_LINES[i] for i in order), "Montant TTC 84,20 €"]
    found = pick_issue_date(lines, BILL_LABELS, BILL_DECOYS, reference_date=date(2026, 4, 15))
    assert found is not None
    assert found.date == date(2026, 3, 14)
    assert found.source == "label:Date de facture"


@pytest.mark.parametrize(
    ("lines", "expected", "source"),
    [
        pytest.param(
            ["Facture n°562044387 du 02 Juillet 2015", "Date limite de paiement le 05 Juillet 2015"],
            date(2015, 7, 2),
            "label:Facture … du",
            id="wildcard-label",
        ),
        pytest.param(
            ["Date limite de paiement le 05 Juillet 2015", "Facture n°562044387 du 02 Juillet 2015"],
            date(2015, 7, 2),
            "label:Facture … du",
            id="decoy-first",
        ),
        pytest.param(
            ["Date de facture", "14/03/2026", "Échéance", "02/04/2026"],
            date(2026, 3, 14),
            "label:Date de facture",
            id="label-above",
        ),
        pytest.param(
            ["Date de facture      Date d'échéance", "14/03/2026           02/04/2026"],
            date(2026, 3, 14),
            "label:Date de facture",
            id="table-columns",
        ),
        pytest.param(
            ["Échéance           Date de facture", "02/04/2026         14/03/2026"],
            date(2026, 3, 14),
            "label:Date de facture",
            id="table-columns-swapped",
        ),
        pytest.param(
            ["DATE DE FACTURE : 14/03/2026", "DATE LIMITE DE PAIEMENT : 02/04/2026"],
            date(2026, 3, 14),
            "label:Date de facture",
            id="upper-case-labels",
        ),
        pytest.param(
            ["date d'emission: 14 mars 2026", "echeance : 2 avril 2026"],
            date(2026, 3, 14),
            "label:Date d'émission",
            id="accentless-labels",
        ),
        pytest.param(
            ["Je soussigné Jean DUPONT, né le 12/03/1970", "Fait à Lyon, le 3 mars 2026"],
            date(2026, 3, 3),
            "label:Fait à … le",
            id="fait-a-le",
        ),
        pytest.param(
            ["Né(e) le 01/02/2005", "Fait à Saint-Étienne le 3 mars 2026"],
            date(2026, 3, 3),
            "label:Fait à … le",
            id="birth-penalised",
        ),
        pytest.param(
            ["Période du 01/02/2026 au 28/02/2026", "Montant", "Établi le 05/03/2026"],
            date(2026, 3, 5),
            "label:Établi le",
            id="range-ends-penalised",
        ),
    ],
)
def test_pick_issue_date_by_label(lines: list[str], expected: date, source: str) -> None:
    found = pick_issue_date(lines, BILL_LABELS, BILL_DECOYS, reference_date=date(2026, 4, 15))
    assert found is not None
    assert (found.date, found.source) == (expected, source)


def test_future_dates_are_unlikely_issue_dates() -> None:
    lines = ["Le 20/06/2026", "Document du 10/03/2026"]
    found = pick_issue_date(lines, ["Document du"], [], reference_date=date(2026, 4, 1))
    assert found is not None and found.date == date(2026, 3, 10)
    unlabelled = pick_issue_date(["20/06/2026", "10/03/2026"], [], [], reference_date=date(2026, 4, 1))
    assert unlabelled is not None and unlabelled.date == date(2026, 3, 10)
    assert unlabelled.source == "position"


def test_no_date_gives_none() -> None:
    assert pick_issue_date(["Facture", "Montant 12,00"], BILL_LABELS, BILL_DECOYS) is None


@pytest.mark.parametrize(
    ("lines", "labels", "expected"),
    [
        pytest.param(
            ["Carte valable jusqu'au 11.02.2030"],
            ["Carte valable jusqu'au"],
            date(2030, 2, 11),
            id="cni-expiry",
        ),
        pytest.param(
            ["Date d'expir. / Expiry date", "11 02 2030"],
            ["Date d'expir."],
            date(2030, 2, 11),
            id="expiry-below",
        ),
        pytest.param(
            ["Date d'expiration : 04/10/2031"], ["Date d'expiration"], date(2031, 10, 4), id="expiration"
        ),
        pytest.param(["Né(e) le : 13.07.1990 à BORDEAUX"], ["Né(e) le"], date(1990, 7, 13), id="born-e"),
        pytest.param(["Née le 13 juillet 1990"], ["Né(e) le"], date(1990, 7, 13), id="nee-matches-ne-e"),
        pytest.param(
            ["Date de naissance", "13/07/1990"], ["Date de naissance"], date(1990, 7, 13), id="birth-below"
        ),
        pytest.param(
            ["Délivrée le 12/02/2020 par la préfecture"], ["Délivrée le"], date(2020, 2, 12), id="issued"
        ),
        pytest.param(["Date : 12/02/2020"], ["Date de naissance"], None, id="unlabelled-none"),
        pytest.param(
            ["Carte valable jusqu'au : 13.12-2023", "délivrée le: 14.12. 2013"],
            ["Carte valable jusqu'au"],
            date(2023, 12, 13),
            id="ocr-mixed-separators",
        ),
        pytest.param(
            ["Carte valable jusqu'au : 13.I2.2O2x", "délivréele: 14.12. 2013"],
            ["Carte valable jusqu'au"],
            None,
            id="next-line-date-has-its-own-label",
        ),
    ],
)
def test_pick_labelled_date(lines: list[str], labels: list[str], expected: date | None) -> None:
    found = pick_labelled_date(lines, labels, today=TODAY)
    assert (found.date if found else None) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(
            ["Dale de début dé contral: 19/05/2018", "Période du 03/09/2026 au 02/10/2026"],
            date(2026, 10, 2),
            id="billing-period",
        ),
        pytest.param(
            ["Consommation du 1er juillet au 31 août 2026", "Abonnement du 01/09/2026 au 30/09/2026"],
            date(2026, 9, 30),
            id="latest-of-two-periods",
        ),
        pytest.param(["Contrat du 01/01/2020 au 31/12/2027"], None, id="running-contract-says-nothing"),
        pytest.param(["Date limite de paiement : 22/09/2026"], None, id="no-period"),
        pytest.param(["", "\x00"], None, id="junk"),
    ],
)
def test_find_period_end(lines: list[str], expected: date | None) -> None:
    assert find_period_end(lines, today=date(2026, 11, 27)) == expected
