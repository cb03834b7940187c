"""The sample generator's document renderers: every type/subtype draws a valid PDF whose text layer, MRZ and
2D-Doc carry what the DocSpec asked for."""

from __future__ import annotations

import io
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest
import zxingcpp

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from samplegen.documents import render_document, supported
from samplegen.french_text import all_date_forms
from samplegen.spec import DocSpec, Person

HOLDER = Person(
    surname="N'Diaye",
    given_names=("Aïssatou", "Marie"),
    birth_date=date(2004, 3, 14),
    sex="F",
    birth_place="Saint-Denis (93)",
    address_lines=("5 allée des Tilleuls", "93200 SAINT-DENIS"),
)
HOST = Person(
    surname="de La Fontaine",
    given_names=("Jean-Pierre",),
    birth_date=date(1975, 1, 1),
    sex="M",
    birth_place="Lyon",
    address_lines=("5 allée des Tilleuls", "93200 SAINT-DENIS"),
)
ISSUE = date(2026, 3, 1)
PAGES = {"cni": 2, "cni_2021": 2, "residence_permit": 2, "driving_licence": 2, "foreign_id": 2}


def _spec(doc_type: str, subtype: str | None, **kw: object) -> DocSpec:
    base: dict[str, object] = {
        "type": doc_type,
        "subtype": subtype,
        "holder": HOLDER,
        "issue_date": ISSUE,
        "host": HOST,
        "hosted": HOLDER,
        "seed": 7,
    }
    base.update(kw)
    return DocSpec(**base)  # type: ignore[arg-type]


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def _icao(field: str) -> int:
    """Independent ICAO 9303 check digit (written separately from mrz_gen on purpose)."""
    values = {**{str(d): d for d in range(10)}, **{chr(65 + i): 10 + i for i in range(26)}, "<": 0}
    return sum(values[ch] * (7, 3, 1)[i % 3] for i, ch in enumerate(field)) % 10


def _assert_mrz_valid(lines: tuple[str, ...]) -> None:
    assert all(set(line) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<") for line in lines)
    if len(lines) == 3:  # TD1
        l1, l2, _l3 = lines
        assert all(len(line) == 30 for line in lines)
        if l1[14] != "<":
            assert _icao(l1[5:14]) == int(l1[14])
        assert _icao(l2[0:6]) == int(l2[6])
        assert _icao(l2[8:14]) == int(l2[14])
        assert _icao(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]) == int(l2[29])
    elif len(lines[0]) == 44:  # TD3
        _l1, l2 = lines
        assert _icao(l2[0:9]) == int(l2[9])
        assert _icao(l2[13:19]) == int(l2[19])
        assert _icao(l2[21:27]) == int(l2[27])
        assert _icao(l2[28:42]) == int(l2[42])
        assert _icao(l2[0:10] + l2[13:20] + l2[21:43]) == int(l2[43])
    else:  # old French CNI 2×36
        l1, l2 = lines
        assert len(l1) == len(l2) == 36
        assert _icao(l2[0:12]) == int(l2[12])
        assert _icao(l2[27:33]) == int(l2[33])
        assert _icao(l1 + l2[0:35]) == int(l2[35])


CASES = [pytest.param(t, s, id=f"{t}-{s}") for t, s in supported() if not (t == "unknown" and s is None)]


@pytest.mark.parametrize(("doc_type", "subtype"), CASES)
def test_render_every_type(doc_type: str, subtype: str | None) -> None:
    spec = _spec(doc_type, subtype, handwritten=doc_type in ("host_attestation", "assr"))
    start = time.perf_counter()
    rendered = render_document(spec)
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0, f"render too slow: {elapsed:.2f}s"
    assert rendered.pdf.startswith(b"%PDF")
    with pdfplumber.open(io.BytesIO(rendered.pdf)) as doc:
        assert len(doc.pages) == rendered.page_count == PAGES.get(subtype or "", 1)
    text = _text(rendered.pdf)
    if subtype == "portrait":
        assert text.strip() == ""
        return
    if subtype != "ephoto":
        assert "n'diaye" in text.casefold()
    assert any(form in text for form in all_date_forms(ISSUE)), text[:400]
    if rendered.mrz:
        _assert_mrz_valid(rendered.mrz)
        assert rendered.mrz[0] in text.replace(" ", "")  # the invisible text layer carries the MRZ
    if doc_type == "identity" and subtype != "driving_licence":
        assert rendered.mrz, "identity documents other than the permis carry an MRZ"


def test_host_attestation_names_both_people() -> None:
    for handwritten in (True, False):
        text = _text(render_document(_spec("host_attestation", None, handwritten=handwritten)).pdf)
        assert "DE LA FONTAINE" in text
        assert "atteste sur l'honneur" in text
        assert "Fait à" in text


def test_render_is_deterministic_and_layouts_differ() -> None:
    a = render_document(_spec("proof_of_address", "electricity", layout=0))
    b = render_document(_spec("proof_of_address", "electricity", layout=0))
    c = render_document(_spec("proof_of_address", "electricity", layout=1))
    assert a.pdf == b.pdf
    assert a.pdf != c.pdf


def test_usage_surname_and_joint_holders_printed() -> None:
    married = Person(
        "Dupont",
        ("Claire",),
        date(1980, 5, 1),
        "F",
        "Paris",
        usage_surname="Martin",
        address_lines=("1 rue X", "75001 PARIS"),
    )
    spec = _spec("proof_of_address", "gas", holder=married, second_holder=HOST, joint_style="et")
    text = _text(render_document(spec).pdf)
    assert "DUPONT" in text and "MARTIN" in text
    assert "DE LA FONTAINE" in text


def _decode_2ddoc(pdf: bytes) -> str:
    doc = pdfium.PdfDocument(pdf)
    image = doc[0].render(scale=200 / 72).to_pil()
    found = [b for b in zxingcpp.read_barcodes(image) if b.format == zxingcpp.BarcodeFormat.DataMatrix]
    assert found, "no DataMatrix found"
    return str(found[0].bytes.decode("latin-1"))


@pytest.mark.parametrize(
    ("subtype", "doc_code", "mismatch"),
    [
        pytest.param("internet", "01", False, id="bill"),
        pytest.param("tax_notice", "28", False, id="tax-notice"),
        pytest.param("electricity", "01", True, id="tampered"),
    ],
)
def test_2ddoc_decodes_with_the_issue_date(subtype: str, doc_code: str, mismatch: bool) -> None:
    extra = {"2ddoc_mismatch": "1"} if mismatch else {}
    rendered = render_document(_spec("proof_of_address", subtype, with_2ddoc=True, extra=extra))
    payload = _decode_2ddoc(rendered.pdf)
    assert payload == rendered.twoddoc
    assert payload.startswith("DC04FR00")
    header_date = date(2000, 1, 1) + timedelta(days=int(payload[12:16], 16))
    assert payload[20:22] == doc_code
    assert payload[22:26] == "01FR"
    assert (header_date == ISSUE) is not mismatch
    assert "\x1f" in payload
    if doc_code == "01":
        assert "10MME/N DIAYE/AISSATOU MARIE" in payload


def test_unknown_type_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="inconnu"):
        render_document(_spec("nonsense", "x"))


@pytest.mark.parametrize(
    ("kind", "marker"),
    [
        pytest.param("caf", "ATTESTATION DE PAIEMENT", id="caf"),
        pytest.param("echeance", "AVIS D'ÉCHÉANCE", id="echeance"),
        pytest.param("shop_invoice", "FACTURE N°", id="shop-invoice"),
    ],
)
def test_other_proof_kinds_draw_their_document(kind: str, marker: str) -> None:
    spec = _spec("proof_of_address", "other", issuer="CAF", extra={"kind": kind})
    text = _text(render_document(spec).pdf)
    assert marker in text
    assert "n'diaye" in text.casefold()
    assert any(form in text for form in all_date_forms(ISSUE)), text[:400]


@pytest.mark.parametrize(
    ("nationality", "state"),
    [
        pytest.param("ITA", "ITA", id="italy"),
        pytest.param("ESP", "ESP", id="spain"),
        pytest.param("BEL", "BEL", id="belgium"),
        pytest.param("DEU", "D<<", id="germany"),
        pytest.param("PRT", "PRT", id="portugal"),
    ],
)
def test_eu_identity_card_has_its_country_mrz(nationality: str, state: str) -> None:
    holder = Person(
        surname="Rossi",
        given_names=("Giulia",),
        birth_date=date(1999, 7, 2),
        sex="F",
        birth_place="NAPOLI (ITALIE)",
        nationality=nationality,
        address_lines=("5 allée des Tilleuls", "93200 SAINT-DENIS"),
    )
    expiry = date(2031, 2, 28)
    rendered = render_document(_spec("identity", "foreign_id", holder=holder, expiry_date=expiry))
    assert rendered.page_count == 2 and len(rendered.mrz) == 3
    _assert_mrz_valid(rendered.mrz)
    assert rendered.mrz[0][2:5] == state
    assert rendered.mrz[1][8:14] == "310228"
    assert rendered.expiry_date == expiry
    assert "ROSSI" in _text(rendered.pdf)


def test_driving_licence_prints_the_planned_expiry() -> None:
    expiry = date(2023, 4, 9)  # a 5-year limited licence, expired
    rendered = render_document(_spec("identity", "driving_licence", expiry_date=expiry))
    text = _text(rendered.pdf)
    assert "PERMIS DE CONDUIRE" in text
    assert "09.04.2023" in text
    assert rendered.document_number and rendered.document_number in text
    assert not rendered.mrz
