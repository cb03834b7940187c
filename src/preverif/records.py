"""The typed records that flow between stages. All frozen: a stage returns a new record, never mutates one.

Flow: InputFile → RawPage → Page → Document → DossierReport (see README, Architecture).
Images are numpy arrays (uint8, grey or BGR); records holding one use ``eq=False`` so that
comparison never walks pixels.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

Image = npt.NDArray[np.uint8]

# ---------------------------------------------------------------- document types (SPEC §3)

DOCUMENT_TYPES: Mapping[str, tuple[str, ...]] = {
    "identity": ("cni", "cni_2021", "passport", "residence_permit", "driving_licence", "foreign_id"),
    "proof_of_address": (
        "electricity",
        "gas",
        "water",
        "phone",
        "internet",
        "rent_receipt",
        "tax_notice",
        "home_insurance",
        "property_tax",
        "other",
    ),
    "host_attestation": (),
    "jdc": ("certificate", "exemption", "administrative_situation", "provisional"),
    "assr": ("assr2", "asr", "honour_statement"),
    "photo": ("ephoto", "portrait"),
    "unknown": (),
}

CheckStatus = Literal["ok", "missing", "fail", "review"]
Verdict = Literal["complete", "incomplete", "needs_review"]
TextSource = Literal["text_layer", "ocr", "none"]


# ---------------------------------------------------------------- geometry and text


@dataclass(frozen=True)
class Box:
    """A rectangle in page-image pixels (origin top-left)."""

    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height


@dataclass(frozen=True)
class Word:
    """One word as read, with where it is and how sure the reader was (0–100; 100 for a text layer)."""

    text: str
    box: Box
    confidence: float
    line: int  # reading-order index of the line on its page; words of one line share it
    block: int = 0


@dataclass(frozen=True)
class PageText:
    """All words of one page, in reading order."""

    words: tuple[Word, ...]
    source: TextSource
    mean_confidence: float = 0.0

    @property
    def lines(self) -> list[str]:
        """The page's text, one string per line, words joined by single spaces."""
        out: list[str] = []
        current: list[str] = []
        last: int | None = None
        for word in self.words:
            if last is not None and word.line != last:
                out.append(" ".join(current))
                current = []
            current.append(word.text)
            last = word.line
        if current:
            out.append(" ".join(current))
        return out

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


EMPTY_TEXT = PageText(words=(), source="none", mean_confidence=0.0)


@dataclass(frozen=True)
class Barcode:
    """A decoded 2D barcode (DataMatrix for 2D-Doc, QR…)."""

    format: str
    text: str
    box: Box | None = None


# ---------------------------------------------------------------- input


@dataclass(frozen=True)
class InputFile:
    """A file of a dossier, found by discovery. ``relpath`` is POSIX, relative to the dossier root."""

    path: Path
    relpath: str
    size: int
    sha256: str


@dataclass(frozen=True)
class FileProblem:
    """Something wrong with one input file. ``message`` is French and says what to do."""

    file: str
    code: str  # empty, corrupt, truncated, encrypted, unsupported, too_large, unsafe_path, timeout, duplicate, skipped…
    message: str


@dataclass(frozen=True)
class DossierInput:
    """One dossier as discovered: the files to read and the problems already known."""

    root: Path
    name: str
    files: tuple[InputFile, ...]
    problems: tuple[FileProblem, ...] = ()
    stated_identity: Applicant | None = None


# ---------------------------------------------------------------- pages


@dataclass(frozen=True)
class PageQuality:
    """Measures of one page image, and the French problems they imply ('photo floue, à refaire')."""

    width: int
    height: int
    dpi: float  # estimated effective resolution
    sharpness: float  # variance of the Laplacian on a normalised size
    brightness: float  # mean grey level 0–255
    contrast: float  # grey-level standard deviation
    problems: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class RawPage:
    """A page as loaded, before any preparation. ``number`` is 1-based within its file."""

    file: str
    number: int
    image: Image | None  # None only for a born-digital page that was not rendered
    dpi: float
    text_layer: PageText | None = None  # born-digital text, boxes in ``image`` pixel space
    content_hash: str = ""  # hash of the page's pixels or of its PDF content: the OCR cache key's base


@dataclass(frozen=True, eq=False)
class Page:
    """A prepared, read page: upright image, its words, its barcodes, its quality."""

    file: str
    number: int
    image: Image
    text: PageText
    quality: PageQuality
    rotation: int = 0  # degrees (clockwise) applied to make the page upright
    skew: float = 0.0
    perspective_fixed: bool = False
    barcodes: tuple[Barcode, ...] = ()
    content_hash: str = ""
    error: str | None = None  # French message when the page could not be read
    # image cues (handwriting, portrait, photo_grid, id_card) measured on the full-resolution page by the
    # read stage; ``image`` itself may be a thumbnail
    visual: Mapping[str, float] = field(default_factory=dict)
    # codes re-read by the read stage on the full-resolution page ('ephoto' → the e-photo code), since
    # the thumbnail in ``image`` is too small for them
    codes: Mapping[str, str] = field(default_factory=dict)

    @property
    def image_scale(self) -> float:
        """``image`` pixels per page pixel: word boxes are in page pixels, ``image`` may be smaller."""
        if self.quality.width > 0 and self.image.ndim >= 2 and self.image.shape[1] > 0:
            return float(self.image.shape[1]) / float(self.quality.width)
        return 1.0

    def to_image(self, box: Box) -> Box:
        """A word box (page pixels) in ``image`` pixels."""
        k = self.image_scale
        if k == 1.0:
            return box
        return Box(round(box.left * k), round(box.top * k), round(box.width * k), round(box.height * k))


# ---------------------------------------------------------------- fields


@dataclass(frozen=True)
class Evidence:
    """The text that decided something, and where it was read."""

    label: str  # what it supports: 'type', 'date', 'holder', 'mrz', '2ddoc'…
    text: str
    file: str = ""
    page: int = 0
    box: Box | None = None


@dataclass(frozen=True)
class PersonName:
    """A person as written on a document. ``raw`` keeps the text exactly as read."""

    raw: str
    surname: str | None = None
    given_names: tuple[str, ...] = ()
    civility: str | None = None
    birth_surname: str | None = None  # 'née X'
    usage_surname: str | None = None  # 'épouse Y' / 'nom d'usage'


@dataclass(frozen=True)
class MrzResult:
    """A machine-readable zone, parsed and checked. Dates are None when absent or invalid."""

    format: Literal["cni_old", "td1", "td2", "td3"]
    lines: tuple[str, ...]
    document_code: str
    issuing_state: str
    surname: str
    given_names: tuple[str, ...]
    document_number: str
    nationality: str
    birth_date: date | None
    sex: str
    expiry_date: date | None
    issue_date: date | None  # old CNI only: first day of the issue month
    checks: Mapping[str, bool]  # check-digit name → holds

    @property
    def valid(self) -> bool:
        return bool(self.checks) and all(self.checks.values())


@dataclass(frozen=True)
class TwoDDoc:
    """A decoded 2D-Doc (ANTS DataMatrix): header, fields, and what the signature check said."""

    version: str
    ca_id: str
    certificate_id: str
    issue_date: date | None
    signature_date: date | None
    document_type: str
    perimeter: str | None
    country: str | None
    fields: Mapping[str, str]
    signature_status: Literal["verified", "invalid", "unverifiable", "absent"]
    signature_message: str  # French, e.g. "2D-Doc décodé, signature non vérifiable (spécimen)"
    raw: str = ""


@dataclass(frozen=True)
class Fields:
    """What was extracted from one document. Every value that matters has a matching Evidence."""

    holder: PersonName | None = None
    joint_holders: tuple[PersonName, ...] = ()
    issue_date: date | None = None
    issue_date_source: str | None = None  # '2ddoc', 'label:Date de facture', 'mrz', 'fait le'…
    expiry_date: date | None = None
    birth_date: date | None = None
    issuer: str | None = None
    document_number: str | None = None
    nationality: str | None = None
    address: str | None = None
    mrz: MrzResult | None = None
    twoddoc: TwoDDoc | None = None
    ephoto_code: str | None = None
    # 0-based positions of ephoto_code the reader could not settle (O/0, S/5…): the report asks a human
    # to check them
    ephoto_code_doubtful: tuple[int, ...] = ()
    host: PersonName | None = None  # attestation d'hébergement: who hosts
    hosted: PersonName | None = None  # attestation d'hébergement: who is hosted
    handwritten: bool = False
    signed: bool | None = None
    evidence: tuple[Evidence, ...] = ()
    notes: tuple[str, ...] = ()  # French remarks for the report (e.g. '2D-Doc et texte imprimé en désaccord')
    # the year a tax notice was drawn up ('Avis d'impôt établi en 2026') when its full date is unreadable
    issue_year: int | None = None
    # the end of the latest billing period a proof prints, read when its issue date was not (or only by
    # position): a bill is drawn up around the end of the period it charges for
    period_end: date | None = None
    # how sure OCR was of the holder's surname (0–100, its least sure word); None when signed or not read
    holder_confidence: float | None = None


@dataclass(frozen=True)
class Classification:
    """Type and subtype with the scores of every candidate and the evidence that decided."""

    type: str
    subtype: str | None
    confidence: float  # 0–1
    scores: Mapping[str, float] = field(default_factory=dict)  # 'type' or 'type/subtype' → score
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """One document of a dossier: which pages of which file, what it is, what it says."""

    file: str
    pages: tuple[int, ...]  # 1-based page numbers within ``file``
    classification: Classification
    fields: Fields
    status: Literal["ok", "review", "error"] = "ok"
    error: str | None = None
    quality_problems: tuple[str, ...] = ()


# ---------------------------------------------------------------- rules and report


@dataclass(frozen=True)
class Applicant:
    """The candidate. ``source`` says where the identity came from."""

    surname: str | None
    given_names: tuple[str, ...] = ()
    birth_date: date | None = None
    nationality: str | None = None  # ISO 3166 alpha-3, 'FRA' for French
    source: Literal["stated", "documents", "unknown"] = "unknown"
    usage_surname: str | None = None  # 'nom d'usage' (spouse's name) printed on the ID beside the birth name


@dataclass(frozen=True)
class Check:
    """One rule's result. ``message`` is French and says what to do."""

    code: str
    status: CheckStatus
    message: str
    documents: tuple[str, ...] = ()  # files the check relied on


@dataclass(frozen=True)
class ProofOfAddress:
    """The proof-of-address summary of SPEC §5."""

    file: str | None
    date: date | None
    recent: bool | None
    in_applicant_name: bool | None
    host_attestation_required: bool
    host_attestation_present: bool
    host_id_present: bool


@dataclass(frozen=True)
class Judgement:
    """What the rules engine says about a dossier."""

    verdict: Verdict
    checks: tuple[Check, ...]
    applicant: Applicant
    proof_of_address: ProofOfAddress
    roles: Mapping[str, str] = field(
        default_factory=dict
    )  # file → 'candidate_id', 'host_id', 'legal_rep_id'…


@dataclass(frozen=True)
class DossierReport:
    """Everything preverif says about one dossier; serialised as the JSON report (SPEC §5)."""

    dossier: str
    root: Path
    reference_date: date
    judgement: Judgement
    documents: tuple[Document, ...]
    problems: tuple[FileProblem, ...]
    pages: tuple[Page, ...] = ()  # kept for the HTML thumbnails; never serialised to JSON
    timings: Mapping[str, float] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def verdict(self) -> Verdict:
        return self.judgement.verdict
