"""European driving licences (permis de conduire) used as identity: holder, birth, issue and expiry dates read
from the numbered fields as OCR really returns them (numbers merged with values, garbled or lost on a fax,
two columns, the back page's category dates), then judged by the identity rule."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from preverif.extract.dates import find_licence_birth_date, find_licence_validity, looks_like_licence
from preverif.extract.fields import extract_fields
from preverif.extract.names import find_licence_name
from preverif.records import Classification, Fields, Page
from preverif.rules.config import load_rules
from preverif.rules.validity import identity_accepted
from text_pages import NoLabels, text_page

REF = date(2026, 11, 27)
TITLE = ["PERMIS DE CONDUIRE", "RÉPUBLIQUE FRANÇAISE"]


def _licence(pages: list[Page]) -> Fields:
    return extract_fields(
        pages,
        Classification(type="identity", subtype="driving_licence", confidence=0.9),
        NoLabels(),
        reference_date=REF,
    )


# ---------------------------------------------------------------- validity row (4a. issue, 4b. expiry)


@pytest.mark.parametrize(
    ("lines", "issue", "expiry"),
    [
        pytest.param(
            [*TITLE, "4a. 18.03.2018 4b. 17.03.2033"], date(2018, 3, 18), date(2033, 3, 17), id="one-row"
        ),
        pytest.param(
            [*TITLE, "4a.12.03.2016 4c. PREFET DE POLICE", "4b 12.03.2031", "5. 16AA00001"],
            date(2016, 3, 12), date(2031, 3, 12), id="merged-numbers-two-columns",
        ),
        pytest.param(
            [*TITLE, "4a 31012025 4b. 30.01.2040"], date(2025, 1, 31), date(2040, 1, 30), id="compact-no-dot"
        ),
        pytest.param(
            [*TITLE, "da 16.08.2020 4b. 15.08.2025"], date(2020, 8, 16), date(2025, 8, 15), id="4a-read-da"
        ),
        pytest.param(
            [*TITLE, "4a, 29062016 4b. 28.06.2031"], date(2016, 6, 29), date(2031, 6, 28), id="comma-compact"
        ),
        pytest.param(
            [*TITLE, "27.06.2020 4b, 26.06.2025 |"], date(2020, 6, 27), date(2025, 6, 26), id="4a-mark-lost"
        ),
        pytest.param(
            [*TITLE, "KOWALSKI", "06.10.1973 BREST (29)", "27.06.2020 26.06.2025"],
            date(2020, 6, 27), date(2025, 6, 26), id="fax-no-marks",
        ),
        pytest.param(
            [*TITLE, "à5.04.2014 4b. 24.04.2029"], None, date(2029, 4, 24), id="garbled-issue-keeps-expiry"
        ),
        pytest.param(
            [*TITLE, "9. 10. 11. 12.", "AM 20.01.21 19.01.36", "B 20.01.2021 19.01.2036", "BE"],
            None, None, id="back-page-category-dates-are-not-the-card",
        ),
        pytest.param(
            [*TITLE, "4a. 12.03.2016 4b. 12.03.2045"], None, date(2045, 3, 12), id="validity-too-long-drops-issue"
        ),
        pytest.param(["Facture du 27.06.2020", "échéance 26.06.2025"], None, None, id="not-a-licence"),
        pytest.param(["Total 4b 12.03.2031"], None, None, id="mark-without-licence-layout"),
        pytest.param([], None, None, id="empty"),
        pytest.param(["\x00\x01", "4b" * 3000, "PERMIS DE CONDUIRE 4a. 99.99.9999"], None, None, id="junk"),
    ],
)  # fmt: skip
def test_licence_validity(lines: list[str], issue: date | None, expiry: date | None) -> None:
    found = find_licence_validity(lines, today=REF)
    assert (found.issue.date if found.issue else None, found.expiry.date if found.expiry else None) == (
        issue,
        expiry,
    )


# ---------------------------------------------------------------- field 3: birth date and place


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(["1.DUPONT", "2.JEAN", "3.01.02.1990 PARIS"], date(1990, 2, 1), id="merged-number"),
        pytest.param([*TITLE, "3-— 10.06.1982 NANTES (44)"], date(1982, 6, 10), id="dash-after-number"),
        pytest.param(
            [*TITLE, "1 BENALI", "4. 28.07.2003 CLERMONT-FERRAND (63)", "4a. 20.01.2021 4b, 19.01.2036"],
            date(2003, 7, 28), id="number-misread-row-above-validity",
        ),
        pytest.param(
            [*TITLE, "ROBERT", "AMÉLIE MARIE", "27.07.1987 ORLÉANS (45)", "à5.04.2014 4b. 24.04.2029"],
            date(1987, 7, 27), id="fax-numbers-lost",
        ),
        pytest.param(
            [*TITLE, "ROBERT", "27.07.2012 ORLÉANS", "4a. 25.04.2014 4b. 24.04.2029"],
            None, id="too-young-at-issue-is-no-birth",
        ),
        pytest.param(["3. 20.03.1980 SAINT-ETIENNE (42)"], None, id="field-3-alone-is-not-a-licence"),
    ],
)  # fmt: skip
def test_licence_birth_date(lines: list[str], expected: date | None) -> None:
    found = find_licence_birth_date(lines, today=REF)
    assert (found.date if found else None) == expected


# ---------------------------------------------------------------- fields 1 and 2: the holder


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(["1.DUPONT", "2.JEAN PAUL"], ("DUPONT", ("JEAN", "PAUL"), None), id="merged-numbers"),
        pytest.param(
            ["1. KOWALSKI (DUPRÉ)", "2. NOÉMIE"], ("KOWALSKI", ("NOÉMIE",), "DUPRÉ"), id="bracketed-usage-name"
        ),
        pytest.param(
            [*TITLE, "4g. .", "KOWALSKI", "JEAN-LUC MICHEL", "06.10.1973 BREST (29) |", "27.06.2020 4b, 26.06.2025"],
            ("KOWALSKI", ("JEAN-LUC", "MICHEL"), None), id="fax-numbers-lost",
        ),
        pytest.param(
            [*TITLE, "‘ DUBOIS |", "-2. SOLÈNE ANNE", "10.06.1982 NANTES (44)", "4a, 29062016 4b. 28.06.2031"],
            ("DUBOIS", ("SOLÈNE", "ANNE"), None), id="debris-before-values",
        ),
        pytest.param(
            [*TITLE, "1 ROBERT", "à AMELIE MARIE", "PA 3. 27.07.1987 ORLEANS (45)", "*,. 4a, 25.04.2014 4b, 24.04.2029"],
            ("ROBERT", ("AMELIE", "MARIE"), None), id="field-2-read-as-a-letter",
        ),
        pytest.param(
            ["KOWALSKI", "JEAN-LUC MICHEL", "06.10.1973 BREST (29)", "27.06.2020 4b, 26.06.2025"],
            None, id="untitled-unnumbered-is-nothing",
        ),
        pytest.param(
            [*TITLE, "Préfecture 33", "Lorem ipsum", "06.10.1973 BREST (29)", "4a. 27.06.2020 4b. 26.06.2025"],
            None, id="lines-above-birth-not-names",
        ),
        pytest.param(
            ["PERMIS DE CONDUIRE", "2, GAËTAN MICHEL", "3. 29.07.2008 CLERMONT-FERRAND (63)", "4a 30.09.2022 4b. 29.09.2037"],
            None, id="title-above-field-2-is-no-surname",
        ),
        pytest.param(["1. 12 rue X", "2. ###"], None, id="not-names"),
        pytest.param(["\x00", "1." * 2000, "2." * 2000], None, id="junk"),
    ],
)  # fmt: skip
def test_licence_name(lines: list[str], expected: tuple[str, tuple[str, ...], str | None] | None) -> None:
    person = find_licence_name(lines)
    got = (person.surname, person.given_names, person.usage_surname) if person else None
    assert got == expected


def test_looks_like_licence_needs_title_or_two_numbered_fields() -> None:
    assert looks_like_licence(["permis de conduire"])
    assert looks_like_licence(["1.DUPONT", "5. 16AA00001"])
    assert not looks_like_licence(["1.5 kg", "Total 2,50 €", "12.05.2030"])


# ---------------------------------------------------------------- the whole document, then the rule


def test_fax_licence_fields_and_back_page() -> None:
    """A faxed two-page licence: numbers lost on the front, category dates on the back (not the expiry)."""
    front = text_page(
        [*TITLE, "KOWALSKI", "JEAN-LUC MICHEL", "06.10.1973 BREST (29) |", "27.06.2020 4b, 26.06.2025 |",
         "Préfecture 33", "‘ 20AG58762"]
    )  # fmt: skip
    back = text_page(["9. 10. 11. 12.", "AM 27.06.20 26.06.25", "B 27.06.2020 26.06.2040"])
    fields = _licence([front, back])
    assert fields.holder is not None
    assert (fields.holder.surname, fields.holder.given_names) == ("KOWALSKI", ("JEAN-LUC", "MICHEL"))
    assert (fields.birth_date, fields.issue_date, fields.expiry_date) == (
        date(1973, 10, 6),
        date(2020, 6, 27),
        date(2025, 6, 26),
    )


@pytest.mark.parametrize(
    ("expiry", "status"),
    [
        pytest.param("26.06.2025", "fail", id="expired-licence-has-no-grace"),
        pytest.param("26.06.2035", "ok", id="valid-licence"),
    ],
)
def test_licence_is_judged_on_its_expiry(expiry: str, status: str) -> None:
    fields = _licence(
        [text_page([*TITLE, "1. MARTIN", "2. PAUL", "3. 14.06.1985 PARIS", f"4a. 27.06.2020 4b. {expiry}"])]
    )
    decision = identity_accepted(fields, "driving_licence", REF, load_rules())
    assert decision.status == status


# ---------------------------------------------------------------- end to end: a rendered licence through OCR

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def _render_licence_png(tmp_path: Path, rotation: int = 0) -> Path:
    sys.path.insert(0, str(SCRIPTS))
    from samplegen.documents import render_document  # type: ignore[import-not-found, unused-ignore]
    from samplegen.spec import DocSpec, Person  # type: ignore[import-not-found, unused-ignore]

    holder = Person(
        surname="Kowalski",
        given_names=("Jean-Luc", "Michel"),
        birth_date=date(1973, 10, 6),
        sex="M",
        birth_place="Brest (29)",
        address_lines=("5 allée des Tilleuls", "29200 BREST"),
    )
    spec = DocSpec(
        type="identity",
        subtype="driving_licence",
        holder=holder,
        issue_date=date(2020, 6, 27),
        expiry_date=date(2025, 6, 26),
        seed=7,
    )
    pdf = pdfium.PdfDocument(render_document(spec).pdf)
    image = pdf[0].render(scale=300 / 72).to_pil().convert("L").rotate(rotation, expand=True)
    path = tmp_path / "permis.png"
    image.save(path)
    return path


def test_rendered_licence_end_to_end(tmp_path: Path) -> None:
    """A licence drawn by the sample generator, rasterised, read by Tesseract, extracted and judged expired."""
    from preverif.classify.doctypes import load_doctypes
    from preverif.ingest.discover import file_sha256
    from preverif.pipeline import build_documents
    from preverif.reading import analyse_file
    from preverif.records import InputFile
    from preverif.settings import Settings

    path = _render_licence_png(tmp_path)
    settings = Settings(reference_date=REF, workers=1, cache_dir=None)
    file = InputFile(path, path.name, path.stat().st_size, file_sha256(path))
    documents, _ = build_documents(analyse_file(file, settings, with_images=False), load_doctypes(), settings)
    assert len(documents) == 1
    fields = documents[0].fields
    assert documents[0].classification.subtype == "driving_licence"
    assert fields.holder is not None and fields.holder.surname == "KOWALSKI"
    assert (fields.birth_date, fields.expiry_date) == (date(1973, 10, 6), date(2025, 6, 26))
    assert identity_accepted(fields, "driving_licence", REF, load_rules()).status == "fail"
