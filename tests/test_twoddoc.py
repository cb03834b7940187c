"""2D-Doc: header by version, fields per the specification table, holder, signature status, barcode decoding."""

from __future__ import annotations

import base64
import random
from datetime import date
from pathlib import Path

import cv2
import numpy as np
import pytest
import zxingcpp

from preverif.barcodes.twoddoc import (
    GS,
    MSG_INVALID,
    MSG_NO_CERT,
    MSG_SPECIMEN,
    MSG_VERIFIED,
    US,
    crop_code_regions,
    decode_barcodes,
    decode_code_crops,
    find_code_regions,
    hex_days_to_date,
    holder_from_2ddoc,
    parse_2ddoc,
    parse_fields,
)
from preverif.records import TwoDDoc

REALDOCS = Path(__file__).resolve().parents[2] / "shared" / "realdocs"
FAKE_SIGNATURE = base64.b32encode(bytes(range(64))).decode().rstrip("=")

SPEC_V03 = "DC03FR000001123F1636010126FR247500010MME/SPECIMEN/NATACHA<GS>22145 AVENUE DES SPECIMENS<GS>"
TAX_V04 = (
    "DC04FR000001FFFF25472801FR432,75<GS>44227801234567845202146RETI PATRICK<GS>4A31072022"
    "4Y145 RUE JULLIARD/ZASPECIMEN/78320/LEVIS STNOM<GS>4163198<GS>47300112345678948RETISOPHIE<GS>"
    "4907019877654324V3542<GS>4X3724<GS>4Z182<GS><US>" + FAKE_SIGNATURE
)


def _parse(text: str) -> TwoDDoc:
    doc = parse_2ddoc(text)
    assert doc is not None
    return doc


def test_hex_dates() -> None:
    assert hex_days_to_date("123F") == date(2012, 10, 15)
    assert hex_days_to_date("1636") == date(2015, 7, 27)
    assert hex_days_to_date("FFFF") is None
    assert hex_days_to_date("XYZW") is None


def test_spec_example_v03() -> None:
    doc = _parse(SPEC_V03)
    assert (doc.version, doc.ca_id, doc.certificate_id) == ("03", "FR00", "0001")
    assert doc.issue_date == date(2012, 10, 15)
    assert doc.signature_date == date(2015, 7, 27)
    assert (doc.document_type, doc.perimeter, doc.country) == ("01", "01", None)
    assert dict(doc.fields) == {
        "26": "FR",
        "24": "75000",
        "10": "MME/SPECIMEN/NATACHA",
        "22": "145 AVENUE DES SPECIMENS",
    }
    assert doc.signature_status == "absent"


@pytest.mark.parametrize(
    ("text", "version", "doc_type", "perimeter", "country"),
    [
        pytest.param(
            "DC02FR000001123F163601" + "2475001" + "10M/DUPONT/JEAN" + GS, "02", "01", None, None, id="v02"
        ),
        pytest.param(
            "DC03FR000001123F16360001" + "2475001" + "10M/DUPONT/JEAN" + GS, "03", "00", "01", None, id="v03"
        ),
        # py2ddoc reads this v04 code as type '0101' dated 2274: the header is 26 characters here
        pytest.param(
            "DC04FR000001123F16360101FR" + "2475001" + "10M/DUPONT/JEAN" + GS,
            "04",
            "01",
            "01",
            "FR",
            id="v04",
        ),
    ],
)
def test_header_length_depends_on_version(
    text: str, version: str, doc_type: str, perimeter: str | None, country: str | None
) -> None:
    doc = _parse(text + US + FAKE_SIGNATURE)
    assert (doc.version, doc.document_type, doc.perimeter, doc.country) == (
        version,
        doc_type,
        perimeter,
        country,
    )
    assert doc.issue_date == date(2012, 10, 15)
    assert doc.fields["24"] == "75001"
    assert doc.fields["10"] == "M/DUPONT/JEAN"
    holder = holder_from_2ddoc(doc)
    assert holder is not None
    assert (holder.civility, holder.surname, holder.given_names) == ("M", "DUPONT", ("JEAN",))


def test_tax_notice_v04_type_28() -> None:
    doc = _parse(TAX_V04)
    assert (doc.document_type, doc.perimeter, doc.country) == ("28", "01", "FR")
    assert doc.issue_date is None  # FFFF
    assert doc.fields["44"] == "2278012345678"
    assert doc.fields["45"] == "2021"
    assert doc.fields["4A"] == "31072022"
    assert doc.fields["41"] == "63198"
    assert doc.fields["47"] == "3001123456789"
    assert doc.fields["49"] == "0701987765432"
    assert doc.fields["4V"] == "3542"
    holder = holder_from_2ddoc(doc)
    assert holder is not None and holder.surname == "RETI" and holder.given_names == ("PATRICK",)
    assert doc.signature_status == "unverifiable"
    assert doc.signature_message == MSG_SPECIMEN


def test_holder_from_fields_11_12_13() -> None:
    doc = _parse("DC03FR000001123F16360001" + "11MME" + GS + "12MARIE CLAIRE" + GS + "13DURAND" + GS)
    holder = holder_from_2ddoc(doc)
    assert holder is not None
    assert (holder.civility, holder.surname, holder.given_names) == ("MME", "DURAND", ("MARIE", "CLAIRE"))
    assert holder_from_2ddoc(_parse("DC03FR000001123F16360001" + "2475001")) is None


def test_variable_field_ends_at_its_maximum_length() -> None:
    name = "X" * 38
    fields = parse_fields("10" + name + "2475001")  # no GS: field 10 stops at 38 characters
    assert fields == {"10": name, "24": "75001"}


def test_unknown_certificate_is_unverifiable() -> None:
    doc = _parse("DC04FR050001123F16360101FR2475001" + US + FAKE_SIGNATURE)
    assert doc.signature_status == "unverifiable"
    assert doc.signature_message == MSG_NO_CERT


def test_ecdsa_signature_against_offline_certificate(tmp_path: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "AB12")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(__import__("datetime").datetime(2020, 1, 1))
        .not_valid_after(__import__("datetime").datetime(2040, 1, 1))
        .sign(key, hashes.SHA256())
    )
    (tmp_path / "FR99_AB12.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    message = "DC04FR99AB12123F16360101FR" + "2475001" + "10M/DUPONT/JEAN" + GS
    r, s = decode_dss_signature(key.sign(message.encode("latin-1"), ec.ECDSA(hashes.SHA256())))
    signature = base64.b32encode(r.to_bytes(32, "big") + s.to_bytes(32, "big")).decode().rstrip("=")

    good = parse_2ddoc(message + US + signature, cert_dir=tmp_path)
    assert good is not None and good.signature_status == "verified"
    assert good.signature_message == MSG_VERIFIED
    tampered = parse_2ddoc(message.replace("DUPONT", "DUPOND") + US + signature, cert_dir=tmp_path)
    assert tampered is not None and tampered.signature_status == "invalid"
    assert tampered.signature_message == MSG_INVALID


def test_real_specimen_image() -> None:
    path = REALDOCS / "tax_notice_specimen_2ddoc.jpg"
    if not path.is_file():
        pytest.skip(f"{path} absent")
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    codes = decode_barcodes(image)
    docs = [d for d in (parse_2ddoc(c.text) for c in codes) if d is not None]
    assert len(docs) == 1
    doc = docs[0]
    assert codes[0].format == "DataMatrix" and codes[0].box is not None
    assert (doc.version, doc.document_type, doc.ca_id) == ("02", "01", "FR00")
    assert doc.issue_date == date(2012, 11, 15)
    assert doc.signature_date == date(2012, 11, 12)
    assert doc.fields["10"] == "MME/SPECIMEN/NATACHA"
    assert doc.fields["22"] == "145 AVENUE DES SPECIMENS"
    assert doc.fields["24"] == "75000"
    assert doc.signature_status == "unverifiable"
    assert doc.signature_message == MSG_SPECIMEN
    holder = holder_from_2ddoc(doc)
    assert holder is not None and holder.surname == "SPECIMEN"


def _page_with_code(text: str, scale: int, fmt: zxingcpp.BarcodeFormat) -> np.ndarray:
    code = np.asarray(zxingcpp.create_barcode(text, fmt).to_image(scale=scale), dtype=np.uint8)
    page = np.full((600, 500), 255, dtype=np.uint8)
    page[200 : 200 + code.shape[0], 150 : 150 + code.shape[1]] = code
    cv2.putText(page, "Facture du 12/03/2025", (40, 80), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2)
    return page


@pytest.mark.parametrize(
    ("scale", "fmt"),
    [
        pytest.param(3, zxingcpp.BarcodeFormat.DataMatrix, id="datamatrix"),
        pytest.param(4, zxingcpp.BarcodeFormat.QRCode, id="qr"),
    ],
)
def test_decode_generated_codes(scale: int, fmt: zxingcpp.BarcodeFormat) -> None:
    text = "DC04FR000001123F16360101FR2475001" + "10M/DUPONT/JEAN" + GS + US + FAKE_SIGNATURE
    page = _page_with_code(text, scale, fmt)
    codes = decode_barcodes(cv2.cvtColor(page, cv2.COLOR_GRAY2BGR))
    assert [c.text for c in codes] == [text]
    doc = parse_2ddoc(codes[0].text)
    assert doc is not None and doc.fields["10"] == "M/DUPONT/JEAN"


def _photo_like_page(module_px: float, sigma: float, with_code: bool = True) -> np.ndarray:
    """A bill photographed by a phone: a 2D-Doc of 2-3 px modules, low contrast, blurred, grainy."""
    text = (
        "DC04FR000001123F16360101FR2475001"
        + "10M/DUPONT/JEAN"
        + GS
        + US
        + "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" * 5
    )
    page = np.full((1800, 1270), 235, dtype=np.uint8)
    for i in range(12):
        cv2.putText(page, "Consommation du 01/02/2026 au 28/02/2026", (80, 300 + 90 * i), 0, 1.1, 40, 2)
    if with_code:
        code = np.asarray(zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.DataMatrix).to_image(scale=10))
        small = cv2.resize(code, None, fx=module_px / 10, fy=module_px / 10, interpolation=cv2.INTER_AREA)
        small = (small.astype(np.float32) * (195 / 255) + 40).astype(np.uint8)
        page[60 : 60 + small.shape[0], 1000 : 1000 + small.shape[1]] = small
    page = cv2.GaussianBlur(page, (0, 0), sigma)
    noise = np.random.default_rng(1).normal(0, 3, page.shape)
    return np.clip(page + noise, 0, 255).astype(np.uint8)


@pytest.mark.parametrize(
    ("module_px", "sigma"),
    [
        pytest.param(2.0, 1.1, id="2px-modules"),
        pytest.param(2.3, 1.1, id="2.3px-modules"),
        pytest.param(2.6, 1.3, id="2.6px-modules-more-blur"),
    ],
)
def test_blurred_photo_code_read_from_its_region(module_px: float, sigma: float) -> None:
    """The whole-page reader misses a blurred small code; its region, enlarged and sharpened, reads."""
    page = _photo_like_page(module_px, sigma)
    assert decode_barcodes(page) == ()  # the case the regions are for
    codes = decode_code_crops(crop_code_regions(page))
    assert len(codes) == 1 and codes[0].text.startswith("DC04FR000001123F1636")


def test_no_code_region_on_a_text_page() -> None:
    assert find_code_regions(_photo_like_page(2.0, 1.1, with_code=False)) == ()


def test_junk_never_crashes() -> None:
    rng = random.Random(2)
    samples: list[object] = ["", "DC", "DC99", "DC04", "DC04FR00", "XX" * 100, None, 42, b"DC04"]
    samples += ["DC0" + str(rng.randrange(10)) + "".join(chr(rng.randrange(0, 256)) for _ in range(80))]
    for _ in range(200):
        head = rng.choice(("DC02", "DC03", "DC04", ""))
        body = "".join(rng.choice("0123456789ABCDEFZ<>/ \x1d\x1f\x1e") for _ in range(rng.randrange(0, 120)))
        samples.append(head + body)
    samples.append("DC04FR000001123F16360101FR" + "10" + "A" * 1_000_000)
    for sample in samples:
        doc = parse_2ddoc(sample)  # type: ignore[arg-type]
        if doc is not None:
            holder_from_2ddoc(doc)
    assert decode_barcodes(np.zeros((3, 3), dtype=np.uint8)) == ()
    assert decode_barcodes(np.full((200, 200, 3), 255, dtype=np.uint8)) == ()
    assert decode_barcodes(np.random.default_rng(0).integers(0, 256, (300, 300), dtype=np.uint8)) == ()
    assert decode_barcodes(np.zeros((50, 50, 4), dtype=np.uint8)) == ()
    for junk in (np.zeros((3, 3), np.uint8), np.zeros((50, 50, 3), np.uint8), None, "x"):
        assert decode_code_crops(crop_code_regions(junk)) == ()  # type: ignore[arg-type]
    assert decode_code_crops((np.zeros((2, 2), np.uint8), np.full((40, 40), 255, np.uint8))) == ()


def test_low_resolution_code_still_enlarged_without_the_binarised_retry() -> None:
    """The read stage skips the binarised whole-page retry on pages with no code-like square; a small
    page's code of 1-px modules, which only the ×2 enlargement reads, is still read."""
    text = "DC04FR000001123F16360101FR2475001" + "10M/DUPONT/JEAN" + GS + US + FAKE_SIGNATURE
    page = _page_with_code(text, 1, zxingcpp.BarcodeFormat.DataMatrix)
    assert decode_barcodes(page, binarised_retry=False)[0].text == text
