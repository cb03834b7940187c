"""2D-Doc (ANTS DataMatrix): find barcodes in a page image, parse the 2D-Doc header and fields, name the holder.

Parsed per the specification (ants-rules §2.7), not with py2ddoc, which assumes a 24-character header and
base-36 dates and so misreads v02 and v04 codes. The header length depends on the version (v02 22, v03 24,
v04 26 characters); dates are hexadecimal days since 2000-01-01 ('FFFF' = none); fields are an identifier of two
characters followed by a value that is either of fixed length (per the specification's table) or ends at GS
(0x1D), at its maximum length, or at the end of the message. US (0x1F) ends the message; the base32
signature follows.

The signature is checked only against certificates found offline in ``preverif/data/2ddoc_certs/`` named
``<CA id>_<certificate id>.pem`` (or ``.der``/``.cer``); none are bundled, so real codes come out
'unverifiable' with a French message saying why.
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

import numpy as np

from preverif.records import Barcode, Box, Image, PersonName, TwoDDoc

log = logging.getLogger(__name__)

GS = "\x1d"
US = "\x1f"
RS = "\x1e"  # truncation marker: the field was cut to fit

HEADER_LENGTHS = {"01": 22, "02": 22, "03": 24, "04": 26}
CERT_DIR = Path(__file__).resolve().parent.parent / "data" / "2ddoc_certs"
TEST_AUTHORITIES = frozenset({"FR00"})  # ANTS test authority: specimens only

MSG_SPECIMEN = "2D-Doc décodé, signature non vérifiable (spécimen)"
MSG_NO_CERT = "2D-Doc décodé, signature non vérifiable (certificat absent hors ligne)"
MSG_VERIFIED = "2D-Doc signé, signature vérifiée"
MSG_INVALID = "2D-Doc dont la signature est fausse : document possiblement modifié"
MSG_ABSENT = "2D-Doc sans signature"

# Fixed-length data identifiers (2D-Doc specification, « Liste des données »); every other identifier is of
# variable length and ends at GS, at its maximum length (``_MAX_LENGTHS``) or at the end of the message.
_FIXED_LENGTHS: Mapping[str, int] = {
    "06": 6, "07": 6, "08": 4, "09": 4, "0A": 9, "0B": 9,
    "1C": 8, "1G": 1, "1H": 1,
    "24": 5, "26": 2, "2B": 5, "2D": 2,
    "34": 2, "36": 4, "37": 4,
    "40": 13, "44": 13, "45": 4, "47": 13, "49": 13, "4A": 8, "4B": 8,
    "50": 14, "51": 6, "52": 7, "53": 4, "54": 4, "55": 8, "56": 4, "57": 8,
    "5H": 5, "5J": 2, "5N": 21, "5T": 1, "5V": 12, "5W": 2, "5Y": 12,
    "65": 2, "67": 2, "68": 1, "69": 8, "6B": 3, "6C": 2, "6I": 2, "6J": 1, "6K": 19, "6L": 8,
    "6N": 8, "6O": 8, "6R": 12, "6W": 5, "6Y": 2,
}  # fmt: skip
_MAX_LENGTHS: Mapping[str, int] = {
    **{fid: 38 for fid in ("10", "11", "12", "13", "14", "15", "16", "17", "20", "21", "22", "23")},
    **{fid: 38 for fid in ("27", "28", "29", "2A", "46", "48", "6S", "6T", "6U", "6V")},
    "25": 32, "2C": 32, "6X": 32, "1D": 16, "1E": 30, "1F": 30,
}  # fmt: skip

DOCUMENT_TYPES: Mapping[str, str] = {
    "00": "justificatif de domicile",
    "01": "facture",
    "02": "avis de taxe d'habitation",
    "04": "avis d'impôt sur les revenus",
    "28": "avis d'impôt sur les revenus",
    "07": "titre d'identité",
    "08": "MRZ",
}

_FIELD_ID = re.compile(r"[0-9A-Z]{2}")
_ALIASES = {"<GS>": GS, "<US>": US, "<RS>": RS, "␝": GS, "␟": US, "␞": RS}

SignatureStatus = Literal["verified", "invalid", "unverifiable", "absent"]


# ---------------------------------------------------------------- decoding barcodes


def _barcode_box(position: Any) -> Box | None:
    try:
        corners = (position.top_left, position.top_right, position.bottom_right, position.bottom_left)
        xs = [int(p.x) for p in corners]
        ys = [int(p.y) for p in corners]
    except (AttributeError, TypeError, ValueError):
        return None
    return Box(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


def _read(image: Image, scale: float) -> list[Barcode]:
    import zxingcpp

    formats = zxingcpp.barcode_formats_from_str("DataMatrix,QRCode")
    # no inverted (light-on-dark) pass: 2D-Doc and document QR codes are printed dark on light, and that
    # pass was 30% of the reader's time without finding any code the normal pass missed (measured)
    found = zxingcpp.read_barcodes(
        image, formats=formats, text_mode=zxingcpp.TextMode.Plain, try_invert=False
    )
    out = []
    for code in found:
        box = _barcode_box(code.position)
        if box is not None and scale != 1.0:
            box = Box(
                round(box.left / scale),
                round(box.top / scale),
                round(box.width / scale),
                round(box.height / scale),
            )
        name = "DataMatrix" if code.format == zxingcpp.BarcodeFormat.DataMatrix else "QRCode"
        out.append(Barcode(format=name, text=str(code.text), box=box))
    return out


_UPSCALE_MAX_SIDE = 2000  # pixels: a 150-dpi A4 page is 1754 px high


def decode_barcodes(image: Image, *, binarised_retry: bool = True) -> tuple[Barcode, ...]:
    """DataMatrix and QR codes of a page image; retries upscaled ×2 on low-resolution pages when none is
    found, then binarised. ``binarised_retry`` False skips the binarised pass: the caller saw no code-like
    square on the page (``find_code_regions``), and a page without codes is most pages.

    A 2D-Doc's modules are 5–8 px at 300 dpi, which zxing reads at once; the ×2 retry of a 300-dpi page
    (35 megapixels) found no code that the first pass missed on the development corpus, and it was the
    largest memory peak of a worker and 0.25 s of CPU per page. At 150 dpi the modules are 2–4 px.
    """
    import cv2

    if not isinstance(image, np.ndarray) or image.ndim not in (2, 3) or min(image.shape[:2]) < 8:
        return ()
    work = np.ascontiguousarray(image if image.ndim == 2 or image.shape[2] == 3 else image[:, :, :3])
    try:
        found = _read(work, 1.0)
        if not found:
            grey = work if work.ndim == 2 else cv2.cvtColor(work, cv2.COLOR_BGR2GRAY)
            if max(grey.shape) <= _UPSCALE_MAX_SIDE:
                big = cv2.resize(grey, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
                found = _read(np.ascontiguousarray(big), 2.0)
            if not found and binarised_retry:
                _, binary = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
                found = _read(np.ascontiguousarray(binary), 1.0)
    except (RuntimeError, ValueError) as exc:  # zxing-cpp rejects odd buffers with these
        log.warning("Lecture des codes-barres impossible : %s", exc)
        return ()
    unique: dict[str, Barcode] = {}
    for code in found:
        unique.setdefault(code.text, code)
    return tuple(unique.values())


# A phone photo of a bill: the page's preparation (perspective straightened, lighting flattened) blurs a
# DataMatrix whose modules are only 2-3 px, and zxing no longer finds it on the whole page. The code is then
# looked for as a square of dense edges on the page as sent, and read on that crop alone, enlarged and
# sharpened: a few small images instead of whole-page retries.
_REGION_LONG_SIDE = 1000  # pixels of the copy the regions are searched on
_REGION_SIDE = (20, 250)  # side of a region on that copy (a 2D-Doc is 2-4 cm wide on an A4 page)
_REGION_MAX_COUNT = 4
_CROP_SCALES = (2, 3, 4)


def find_code_regions(grey: Image) -> tuple[Box, ...]:
    """Square patches of dense dark/light edges (a DataMatrix, a QR code) on a grey page, in its pixels."""
    import cv2

    if not isinstance(grey, np.ndarray) or grey.ndim != 2 or min(grey.shape) < 32:
        return ()
    factor = _REGION_LONG_SIDE / max(grey.shape)
    small = cv2.resize(grey, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    edges = cv2.morphologyEx(small, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8))
    _, edges = cv2.threshold(edges, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    blobs = cv2.morphologyEx(edges, cv2.MORPH_CLOSE, np.ones((7, 7), np.uint8))
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(blobs)
    found: list[tuple[float, Box]] = []
    low, high = _REGION_SIDE
    for x, y, w, h, area in stats[1:count]:
        # a code is a filled square; a text block is wider than high or full of holes between its lines
        if not (low <= w <= high and low <= h <= high and 0.75 <= w / h <= 1.33 and area >= 0.85 * w * h):
            continue
        density = float(edges[y : y + h, x : x + w].mean()) / 255
        box = Box(round(x / factor), round(y / factor), round(w / factor), round(h / factor))
        found.append((density, box))
    found.sort(key=lambda item: -item[0])
    return tuple(box for _, box in found[:_REGION_MAX_COUNT])


def crop_code_regions(grey: Image) -> tuple[Image, ...]:
    """The candidate code regions of ``grey`` as small crops with a quiet-zone margin (kept to read later)."""
    crops: list[Image] = []
    for box in find_code_regions(grey):
        margin = round(0.15 * max(box.width, box.height))
        top, left = max(0, box.top - margin), max(0, box.left - margin)
        crop = grey[top : box.top + box.height + margin, left : box.left + box.width + margin]
        crops.append(np.array(crop, np.uint8))
    return tuple(crops)


def decode_code_crops(crops: tuple[Image, ...]) -> tuple[Barcode, ...]:
    """Read each crop enlarged (×2, ×3, ×4), as is then sharpened; the first reading per crop is kept.
    Boxes are dropped: they are in the page as sent, not in the prepared page."""
    import cv2

    found: dict[str, Barcode] = {}
    try:
        for crop in crops:
            if not isinstance(crop, np.ndarray) or crop.ndim != 2 or min(crop.shape) < 8:
                continue
            for scale in _CROP_SCALES:
                big = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
                sharp = cv2.addWeighted(big, 2.0, cv2.GaussianBlur(big, (0, 0), float(scale)), -1.0, 0)
                codes = _read(np.ascontiguousarray(big), 1.0) or _read(np.ascontiguousarray(sharp), 1.0)
                if codes:
                    for code in codes:
                        found.setdefault(code.text, Barcode(format=code.format, text=code.text))
                    break
    except (RuntimeError, ValueError) as exc:  # zxing-cpp rejects odd buffers with these
        log.warning("Lecture des codes-barres impossible : %s", exc)
    return tuple(found.values())


# ---------------------------------------------------------------- parsing


def hex_days_to_date(text: str) -> date | None:
    """Header dates: 4 hex digits of days since 2000-01-01; 'FFFF' means none."""
    if len(text) != 4 or text.upper() == "FFFF":
        return None
    try:
        return date(2000, 1, 1) + timedelta(days=int(text, 16))
    except ValueError:
        return None


def _normalise(text: str) -> str:
    for alias, char in _ALIASES.items():
        text = text.replace(alias, char)
    return text


def parse_fields(message: str) -> dict[str, str]:
    """The data fields of a 2D-Doc message (header removed, signature removed)."""
    fields: dict[str, str] = {}
    i, n = 0, len(message)
    while i < n:
        if message[i] in (GS, RS):
            i += 1
            continue
        fid = message[i : i + 2]
        if not _FIELD_ID.fullmatch(fid):
            next_gs = message.find(GS, i + 1)  # unknown bytes: resume at the next field
            if next_gs < 0:
                break
            i = next_gs + 1
            continue
        i += 2
        if fid in _FIXED_LENGTHS:
            value = message[i : i + _FIXED_LENGTHS[fid]]
            i += len(value)
        else:
            limit = min(n, i + _MAX_LENGTHS[fid]) if fid in _MAX_LENGTHS else n
            j = i
            while j < limit and message[j] not in (GS, RS):
                j += 1
            value = message[i:j]
            i = j + 1 if j < n and message[j] in (GS, RS) else j
        fields.setdefault(fid, value)
    return fields


def parse_2ddoc(text: str, *, cert_dir: Path | None = None) -> TwoDDoc | None:
    """A TwoDDoc from a barcode's text, or None when the text is not a 2D-Doc of version 01–04."""
    if not isinstance(text, str):
        return None
    data = _normalise(text).lstrip("\ufeff \r\n")
    if not data.startswith("DC") or len(data) < 4:
        return None
    version = data[2:4]
    header_length = HEADER_LENGTHS.get(version)
    if header_length is None or len(data) < header_length:
        return None
    header = data[:header_length]
    if not re.fullmatch(r"[0-9A-Z]+", header):
        return None
    ca_id, certificate_id = header[4:8], header[8:12]
    message, _, signature = data[header_length:].partition(US)
    fields = parse_fields(message)
    status, note = check_signature(
        header + message, signature.strip(), ca_id, certificate_id, cert_dir=cert_dir
    )
    return TwoDDoc(
        version=version,
        ca_id=ca_id,
        certificate_id=certificate_id,
        issue_date=hex_days_to_date(header[12:16]),
        signature_date=hex_days_to_date(header[16:20]),
        document_type=header[20:22],
        perimeter=header[22:24] if header_length >= 24 else None,
        country=header[24:26] if header_length >= 26 else None,
        fields=fields,
        signature_status=status,
        signature_message=note,
        raw=data,
    )


# ---------------------------------------------------------------- signature


def _decode_signature(signature: str) -> bytes | None:
    cleaned = re.sub(r"\s+", "", signature).upper()
    if not cleaned:
        return None
    try:
        return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    except (binascii.Error, ValueError):
        return None


def _find_certificate(ca_id: str, certificate_id: str, cert_dir: Path) -> Path | None:
    for suffix in (".pem", ".der", ".cer", ".crt"):
        path = cert_dir / f"{ca_id}_{certificate_id}{suffix}"
        if path.is_file():
            return path
    return None


def _verify_ecdsa(message: bytes, signature: bytes, cert_path: Path) -> bool | None:
    """True/False when the signature was checked, None when the certificate is unusable."""
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
    from cryptography.hazmat.primitives.serialization import load_der_public_key, load_pem_public_key

    raw = cert_path.read_bytes()
    key: Any
    try:
        if b"-----BEGIN CERTIFICATE" in raw:
            key = x509.load_pem_x509_certificate(raw).public_key()
        elif b"-----BEGIN PUBLIC KEY" in raw:
            key = load_pem_public_key(raw)
        else:
            try:
                key = x509.load_der_x509_certificate(raw).public_key()
            except ValueError:
                key = load_der_public_key(raw)
    except ValueError:
        return None
    if not isinstance(key, ec.EllipticCurvePublicKey) or len(signature) % 2:
        return None
    digests = {256: hashes.SHA256(), 384: hashes.SHA384(), 521: hashes.SHA512()}
    digest = digests.get(key.curve.key_size, hashes.SHA256())
    half = len(signature) // 2
    der = encode_dss_signature(
        int.from_bytes(signature[:half], "big"), int.from_bytes(signature[half:], "big")
    )
    try:
        key.verify(der, message, ec.ECDSA(digest))
    except InvalidSignature:
        return False
    return True


def check_signature(
    message: str, signature: str, ca_id: str, certificate_id: str, *, cert_dir: Path | None = None
) -> tuple[SignatureStatus, str]:
    """Status and French message of a 2D-Doc signature; 'verified' only against an offline certificate."""
    raw = _decode_signature(signature)
    if raw is None:
        return "absent", MSG_ABSENT
    if ca_id in TEST_AUTHORITIES:
        return "unverifiable", MSG_SPECIMEN
    cert = _find_certificate(ca_id, certificate_id, cert_dir or CERT_DIR)
    if cert is None:
        return "unverifiable", MSG_NO_CERT
    try:
        payload = message.encode("latin-1")
    except UnicodeEncodeError:
        payload = message.encode("utf-8")
    try:
        outcome = _verify_ecdsa(payload, raw, cert)
    except (OSError, ValueError, TypeError) as exc:
        log.warning("Certificat 2D-Doc illisible (%s) : %s", cert.name, exc)
        outcome = None
    if outcome is None:
        return "unverifiable", MSG_NO_CERT
    return ("verified", MSG_VERIFIED) if outcome else ("invalid", MSG_INVALID)


# ---------------------------------------------------------------- holder


def _split_person(raw: str) -> PersonName | None:
    """Field 10 is written CIVILITY/SURNAME/GIVEN NAMES ('MME/SPECIMEN/NATACHA'); some issuers omit parts."""
    value = raw.strip()
    if not value:
        return None
    parts = [p.strip() for p in value.split("/")]
    civility: str | None = None
    if len(parts) >= 3:
        civility, surname, given = parts[0] or None, parts[1], " ".join(parts[2:])
    elif len(parts) == 2:
        surname, given = parts
    else:
        words = value.split()
        civilities = {"M", "MR", "MME", "MLLE", "MONSIEUR", "MADAME", "M.", "MME."}
        if len(words) > 1 and words[0].upper() in civilities:
            civility, words = words[0], words[1:]
        return PersonName(raw=raw, surname=" ".join(words) or None, civility=civility)
    return PersonName(raw=raw, surname=surname or None, given_names=tuple(given.split()), civility=civility)


def holder_from_2ddoc(doc: TwoDDoc) -> PersonName | None:
    """Who the document is for: field 10, else 11/12/13 (civility, given name, surname), else 46 (tax)."""
    fields = doc.fields
    if fields.get("10", "").strip():
        return _split_person(fields["10"])
    surname = fields.get("13", "").strip()
    if surname:
        given = fields.get("12", "").strip()
        civility = fields.get("11", "").strip() or None
        raw = " ".join(part for part in (civility or "", given, surname) if part)
        return PersonName(raw=raw, surname=surname, given_names=tuple(given.split()), civility=civility)
    declarant = fields.get("46", "").strip()
    if declarant:
        if "/" in declarant:
            return _split_person(declarant)
        # tax notices write 'SURNAME GIVEN NAMES' in one field: the first word is taken as the surname
        words = declarant.split()
        return PersonName(raw=declarant, surname=words[0], given_names=tuple(words[1:]))
    return None
