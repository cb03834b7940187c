"""The self-contained HTML report of one dossier, and the index page of a batch.

The page must be usable offline and forwarded by e-mail: CSS is inline, page thumbnails are JPEG
``data:`` URIs, there is no script, no web font and no link leaving the file (a Content-Security-Policy
forbids any fetch). The verdict and what to fix come first, so that a back office sees in a few seconds
what the candidate must bring.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import cv2
import jinja2
import numpy as np
import numpy.typing as npt

from preverif import __version__
from preverif.extract.ephoto import mark_doubtful
from preverif.extract.mrz import describe_mrz_state
from preverif.records import Box, Document, DossierReport, Evidence, Image, Page
from preverif.report.json_report import holder_text
from preverif.report.labels import (
    applicant_source_label,
    check_label,
    check_status_label,
    document_label,
    document_status_label,
    evidence_label,
    mrz_format_label,
    nationality_label,
    problem_label,
    signature_status_label,
    verdict_label,
)
from preverif.report.output import write_text_atomic
from preverif.report.redact import document_numbers, mask_number, redact_text
from preverif.report.summary import applicant_name, sorted_checks, summary_line, todo_checks, unreadable_files

THUMB_WIDTH = 400
THUMB_QUALITY = 72
CONTEXT_CHARS = 90  # characters of the page line shown on each side of a highlighted evidence


# ---------------------------------------------------------------- small formatting helpers


def fr_date(value: date | None) -> str:
    """02/09/2026; an em dash when absent."""
    return value.strftime("%d/%m/%Y") if value is not None else "—"


def fr_percent(value: float) -> str:
    """0.873 → '87 %' (French narrow no-break space)."""
    return f"{round(min(max(value, 0.0), 1.0) * 100)}\u202f%"


def encode_thumbnail(
    image: Image, width: int = THUMB_WIDTH, quality: int = THUMB_QUALITY, hide: Sequence[Box] = ()
) -> str | None:
    """A page image as a JPEG data: URI at most ``width`` pixels wide; None if it cannot be encoded.

    ``hide`` are regions (document numbers) painted over before encoding: the report shows numbers masked,
    so its thumbnails must not show them either.
    """
    try:
        array: npt.NDArray[Any] = np.asarray(image)
        if array.dtype != np.uint8:
            array = np.clip(array, 0, 255).astype(np.uint8)
        if hide and array.ndim >= 2:
            array = array.copy()
            for box in hide:
                top, left = max(box.top - 2, 0), max(box.left - 2, 0)
                array[top : max(box.bottom + 2, 0), left : max(box.right + 2, 0)] = 128
        if array.ndim == 3 and array.shape[2] == 4:
            array = cv2.cvtColor(array, cv2.COLOR_BGRA2BGR)
        elif array.ndim == 3 and array.shape[2] == 1:
            array = array[:, :, 0]
        if array.ndim not in (2, 3) or array.shape[0] < 1 or array.shape[1] < 1:
            return None
        height, current = array.shape[:2]
        if current > width:
            new_height = max(1, round(height * width / current))
            array = cv2.resize(array, (width, new_height), interpolation=cv2.INTER_AREA)
        ok, buffer = cv2.imencode(".jpg", array, [cv2.IMWRITE_JPEG_QUALITY, quality])
    except (cv2.error, ValueError, TypeError):
        return None
    if not ok:
        return None
    return "data:image/jpeg;base64," + base64.b64encode(buffer.tobytes()).decode("ascii")


# ---------------------------------------------------------------- view model


@dataclass
class Overlay:
    """A translucent rectangle over a thumbnail, in percentages of the page image."""

    number: int
    left: float
    top: float
    width: float
    height: float


@dataclass
class Thumbnail:
    page: int
    data_uri: str | None
    overlays: list[Overlay] = field(default_factory=list)
    error: str | None = None


@dataclass
class EvidenceView:
    label: str
    before: str
    text: str
    after: str
    page: int | None
    number: int | None  # the overlay number on the thumbnail, when the evidence has a box


@dataclass
class DocumentView:
    anchor: str
    title: str
    file: str
    pages: str
    confidence: str
    status: str
    status_label: str
    error: str | None
    rows: list[tuple[str, str]]
    evidence: list[EvidenceView]
    thumbnails: list[Thumbnail]
    notes: list[str]
    quality_problems: list[str]


class _ThumbnailCache:
    """Encodes each page once, even when several documents share it."""

    def __init__(self, pages: Sequence[Page], numbers: set[str]) -> None:
        self._pages = {(page.file, page.number): page for page in pages}
        self._uris: dict[tuple[str, int], str | None] = {}
        self._numbers = numbers

    def page(self, file: str, number: int) -> Page | None:
        return self._pages.get((file, number))

    def uri(self, file: str, number: int) -> str | None:
        key = (file, number)
        if key not in self._uris:
            page = self._pages.get(key)
            self._uris[key] = (
                encode_thumbnail(
                    page.image, hide=[page.to_image(box) for box in number_boxes(page, self._numbers)]
                )
                if page is not None
                else None
            )
        return self._uris[key]


def _squash(text: str) -> str:
    return "".join(text.split()).casefold()


def number_boxes(page: Page, numbers: set[str]) -> list[Box]:
    """Boxes of the words of a page that show one of the document numbers (alone or inside an MRZ line)."""
    wanted = [_squash(number) for number in numbers if len(number) >= 4]
    if not wanted:
        return []
    boxes: list[Box] = []
    words = page.text.words
    for index, word in enumerate(words):
        text = _squash(word.text)
        if any(number in text for number in wanted):
            boxes.append(word.box)
            continue
        following = words[index + 1] if index + 1 < len(words) else None
        if following is None or following.line != word.line:
            continue
        after = _squash(following.text)
        pair = text + after
        if any(number in pair and number not in after for number in wanted):
            boxes.extend((word.box, following.box))  # number read as two words: 'X4RT BPFW4'
    return boxes


def _overlay(evidence: Evidence, page: Page, number: int) -> Overlay | None:
    box = evidence.box
    if box is None or page.image.ndim < 2:
        return None
    # boxes are in page pixels; the image may be a thumbnail, so percentages come from the page's size
    width, height = page.quality.width, page.quality.height
    if width <= 0 or height <= 0:
        height, width = page.image.shape[:2]
    if width <= 0 or height <= 0 or box.width <= 0 or box.height <= 0:
        return None

    def pct(value: float, total: int) -> float:
        return round(min(max(value / total * 100.0, 0.0), 100.0), 2)

    left, top = pct(box.left, width), pct(box.top, height)
    right, bottom = pct(box.right, width), pct(box.bottom, height)
    if right <= left or bottom <= top:
        return None
    return Overlay(number, left, top, round(right - left, 2), round(bottom - top, 2))


def _context(evidence_text: str, page: Page | None, numbers: set[str]) -> tuple[str, str, str]:
    """The page line that holds the evidence, split around it, so the template can wrap it in <mark>."""
    text = redact_text(evidence_text, numbers)
    if page is None or not text.strip():
        return "", text, ""
    needle = text.strip().casefold()
    for line in page.text.lines:
        clean = redact_text(line, numbers)
        index = clean.casefold().find(needle)
        if index >= 0:
            before = clean[:index]
            after = clean[index + len(needle) :]
            if len(before) > CONTEXT_CHARS:
                before = "…" + before[-CONTEXT_CHARS:]
            if len(after) > CONTEXT_CHARS:
                after = after[:CONTEXT_CHARS] + "…"
            return before, clean[index : index + len(needle)], after
    return "", text, ""


def _document_rows(doc: Document) -> list[tuple[str, str]]:
    fields = doc.fields
    rows: list[tuple[str, str]] = []
    holder = holder_text(doc)
    if holder:
        rows.append(("Titulaire", holder))
    if fields.host is not None:
        rows.append(("Hébergeant", fields.host.raw))
    if fields.hosted is not None:
        rows.append(("Hébergé(e)", fields.hosted.raw))
    if fields.issue_date is not None:
        rows.append(("Date du document", fr_date(fields.issue_date)))
    if fields.expiry_date is not None:
        rows.append(("Valable jusqu'au", fr_date(fields.expiry_date)))
    if fields.birth_date is not None:
        rows.append(("Date de naissance", fr_date(fields.birth_date)))
    if fields.issuer:
        rows.append(("Émetteur", fields.issuer))
    if fields.document_number:
        rows.append(("Numéro", mask_number(fields.document_number) or ""))
    if fields.ephoto_code:
        rows.append(("Code e-photo", mark_doubtful(fields.ephoto_code, fields.ephoto_code_doubtful)))
    if fields.mrz is not None:
        mrz = fields.mrz
        state = describe_mrz_state(mrz)
        rows.append(("MRZ", f"{mrz_format_label(mrz.format)}, {state}"))
    if fields.twoddoc is not None:
        message = fields.twoddoc.signature_message or signature_status_label(fields.twoddoc.signature_status)
        rows.append(("2D-Doc", message))
    if fields.handwritten:
        rows.append(("Écriture", "manuscrit"))
    if fields.signed is not None:
        rows.append(("Signature", "présente" if fields.signed else "absente"))
    return rows


def _document_view(index: int, doc: Document, thumbs: _ThumbnailCache) -> DocumentView:
    numbers = document_numbers(doc)
    evidence_views: list[EvidenceView] = []
    overlays: dict[int, list[Overlay]] = {}
    counter = 0
    for item in doc.fields.evidence:
        page_number = item.page if item.page > 0 else None
        file = item.file or doc.file
        page = thumbs.page(file, page_number) if page_number is not None else None
        number: int | None = None
        if page is not None and file == doc.file:
            overlay = _overlay(item, page, counter + 1)
            if overlay is not None:
                counter += 1
                number = counter
                overlays.setdefault(page.number, []).append(overlay)
        before, text, after = _context(item.text, page, numbers)
        evidence_views.append(
            EvidenceView(evidence_label(item.label), before, text, after, page_number, number)
        )
    for text in doc.classification.evidence:
        clean = redact_text(text, numbers)
        if not any(view.text == clean for view in evidence_views):
            evidence_views.append(EvidenceView(evidence_label("type"), "", clean, "", None, None))
    thumbnails: list[Thumbnail] = []
    for number in doc.pages:
        page = thumbs.page(doc.file, number)
        thumbnails.append(
            Thumbnail(
                page=number,
                data_uri=thumbs.uri(doc.file, number),
                overlays=overlays.get(number, []),
                error=page.error if page is not None else None,
            )
        )
    pages = ", ".join(str(number) for number in doc.pages)
    return DocumentView(
        anchor=f"doc-{index}",
        title=document_label(doc.classification.type, doc.classification.subtype),
        file=doc.file,
        pages=f"page{'s' if len(doc.pages) > 1 else ''} {pages}" if doc.pages else "",
        confidence=(
            fr_percent(doc.classification.confidence)
            if doc.classification.type != "unknown" and doc.status != "error"
            else ""
        ),
        status=doc.status,
        status_label=document_status_label(doc.status),
        error=doc.error,
        rows=_document_rows(doc),
        evidence=evidence_views,
        thumbnails=thumbnails,
        notes=[redact_text(note, numbers) for note in doc.fields.notes],
        quality_problems=list(doc.quality_problems),
    )


def _check_view(
    check_code: str, status: str, message: str, files: Sequence[str], anchors: Mapping[str, str]
) -> Any:
    return {
        "label": check_label(check_code),
        "status": status,
        "status_label": check_status_label(status),
        "message": message,
        "files": [{"name": name, "anchor": anchors.get(name)} for name in files],
    }


def report_context(report: DossierReport) -> dict[str, Any]:
    """Everything the template shows, already in French and masked; no record reaches the template."""
    all_numbers: set[str] = set()
    for doc in report.documents:
        all_numbers |= document_numbers(doc)
    thumbs = _ThumbnailCache(report.pages, all_numbers)
    documents = [_document_view(index, doc, thumbs) for index, doc in enumerate(report.documents, start=1)]
    anchors: dict[str, str] = {}
    for view in documents:
        anchors.setdefault(view.file, view.anchor)

    def check_views(checks: Sequence[Any]) -> list[Any]:
        return [
            _check_view(c.code, c.status, redact_text(c.message, all_numbers), c.documents, anchors)
            for c in checks
        ]

    applicant = report.judgement.applicant
    proof = report.judgement.proof_of_address
    applicant_rows = [
        ("Nom", applicant.surname or "inconnu"),
        ("Prénoms", " ".join(applicant.given_names) or "—"),
        ("Date de naissance", fr_date(applicant.birth_date)),
        ("Nationalité", nationality_label(applicant.nationality) or "—"),
        ("Identité", applicant_source_label(applicant.source)),
    ]

    def yes_no(value: bool | None) -> str:
        return "—" if value is None else ("oui" if value else "non")

    proof_rows = [
        ("Fichier", proof.file or "aucun"),
        ("Date", fr_date(proof.date)),
        ("Moins de 6 mois", yes_no(proof.recent)),
        ("Au nom du candidat", yes_no(proof.in_applicant_name)),
    ]
    if proof.host_attestation_required or proof.host_attestation_present:
        proof_rows += [
            ("Attestation d'hébergement", "présente" if proof.host_attestation_present else "absente"),
            ("Pièce d'identité de l'hébergeant", "présente" if proof.host_id_present else "absente"),
        ]
    unreadable = unreadable_files(report)
    problems = [
        {"file": problem.file, "label": problem_label(problem.code), "message": problem.message}
        for problem in report.problems
    ]
    name = applicant_name(applicant)
    todo = todo_checks(report)
    blocking = sum(1 for check in todo if check.status in ("missing", "fail"))
    doubtful = len(todo) - blocking
    notes = []
    if blocking:
        notes.append(f"{blocking} point{'s' if blocking > 1 else ''} à corriger")
    if doubtful:
        notes.append(f"{doubtful} point{'s' if doubtful > 1 else ''} à vérifier")
    if unreadable:
        notes.append(
            f"{len(unreadable)} fichier{'s' if len(unreadable) > 1 else ''} non lu{'s' if len(unreadable) > 1 else ''}"
        )
    if notes:
        banner_note = " · ".join(notes) + " : détails ci-dessous."
    elif report.verdict == "complete":
        banner_note = "Toutes les pièces demandées sont présentes et conformes."
    else:
        banner_note = "Aucun contrôle n'a pu être appliqué : vérifier le dossier à la main."
    return {
        "dossier": report.dossier,
        "verdict": report.verdict,
        "verdict_label": verdict_label(report.verdict),
        "candidate": name,
        "birth_date": fr_date(applicant.birth_date) if applicant.birth_date else None,
        "reference_date": fr_date(report.reference_date),
        "summary": redact_text(summary_line(report), all_numbers),
        "banner_note": banner_note,
        "todo": check_views(todo),
        "checks": check_views(sorted_checks(report)),
        "unreadable_count": len(unreadable),
        "applicant_rows": applicant_rows,
        "proof_rows": proof_rows,
        "documents": documents,
        "problems": problems,
        "version": __version__,
    }


# ---------------------------------------------------------------- templates


def _load_template_source(name: str) -> str:
    """Templates ship inside the package (``preverif/data``), found the same way installed or editable."""
    try:
        return resources.files("preverif").joinpath("data", name).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError) as exc:
        raise jinja2.TemplateNotFound(name) from exc


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FunctionLoader(_load_template_source),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(report: DossierReport) -> str:
    """The HTML report of one dossier, as one self-contained string."""
    return _environment().get_template("report.html").render(page="dossier", **report_context(report))


def write_html(report: DossierReport, path: Path | str) -> None:
    """Write the HTML report of one dossier to ``path`` (parent folders are created)."""
    write_text_atomic(Path(path), render_html(report))


def _index_row(report: DossierReport, links: Mapping[str, str]) -> dict[str, Any]:
    todo = todo_checks(report)
    items = [f"{check_label(check.code)} : {check.message}" for check in todo]
    unreadable = unreadable_files(report)
    if unreadable:
        items.append(f"Fichier(s) illisible(s) : {', '.join(unreadable)}")
    return {
        "dossier": report.dossier,
        "href": links.get(report.dossier),
        "candidate": applicant_name(report.judgement.applicant) or "inconnu",
        "verdict": report.verdict,
        "verdict_label": verdict_label(report.verdict),
        "todo": items,
    }


_VERDICT_ORDER = {"incomplete": 0, "needs_review": 1, "complete": 2}


def render_index(reports: Sequence[DossierReport], links: Mapping[str, str]) -> str:
    """The index page of a batch: one row per dossier (worst verdicts first), linking to each report.

    ``links`` maps a dossier name to the (relative) address of its HTML report.
    """
    ordered = sorted(reports, key=lambda r: (_VERDICT_ORDER.get(r.verdict, 1), r.dossier))
    counts = {verdict: sum(1 for r in reports if r.verdict == verdict) for verdict in _VERDICT_ORDER}
    return (
        _environment()
        .get_template("report.html")
        .render(
            page="index",
            rows=[_index_row(report, links) for report in ordered],
            total=len(reports),
            counts=counts,
            version=__version__,
        )
    )


def write_index(reports: Sequence[DossierReport], path: Path | str, links: Mapping[str, str]) -> None:
    """Write the batch index page to ``path``."""
    write_text_atomic(Path(path), render_index(reports, links))
