"""The JSON report of SPEC §5: a plain dict that integrators read, validated by ``data/report.schema.json``.

Dates are ISO strings (YYYY-MM-DD), absent values are explicit ``null``s, document numbers are masked
everywhere (including inside evidence text) and page images are never included.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from preverif import __version__
from preverif.records import (
    Applicant,
    Check,
    Classification,
    Document,
    DossierReport,
    Evidence,
    FileProblem,
    MrzResult,
    PersonName,
    ProofOfAddress,
    TwoDDoc,
)
from preverif.report.output import write_text_atomic
from preverif.report.redact import document_numbers, mask_number, redact_text
from preverif.report.summary import summary_line

SCHEMA_VERSION = "1.1"
GENERATOR_NAME = "preverif"
TOP_SCORES = 3


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _round(value: float) -> float:
    return round(float(value), 4)


def _person(name: PersonName | None) -> str | None:
    return name.raw if name is not None and name.raw.strip() else None


def holder_text(doc: Document) -> str | None:
    """The holder as read; joint holders ('M. X et Mme Y' read as two names) joined with ' / '."""
    names: list[str] = []
    for person in (doc.fields.holder, *doc.fields.joint_holders):
        raw = _person(person)
        if raw and raw not in names:
            names.append(raw)
    return " / ".join(names) if names else None


def _applicant(applicant: Applicant) -> dict[str, Any]:
    return {
        "surname": applicant.surname,
        "given_names": list(applicant.given_names),
        "birth_date": _iso(applicant.birth_date),
        "nationality": applicant.nationality,
        "source": applicant.source,
    }


def _evidence(items: tuple[Evidence, ...], classification: Classification, numbers: set[str]) -> list[Any]:
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for item in items:
        text = redact_text(item.text, numbers)
        seen.add((item.label, text))
        box = item.box
        out.append(
            {
                "label": item.label,
                "text": text,
                "page": item.page if item.page > 0 else None,
                "box": (
                    {"left": box.left, "top": box.top, "width": box.width, "height": box.height}
                    if box is not None
                    else None
                ),
            }
        )
    for text in classification.evidence:
        clean = redact_text(text, numbers)
        if ("type", clean) not in seen:
            seen.add(("type", clean))
            out.append({"label": "type", "text": clean, "page": None, "box": None})
    return out


def _mrz(mrz: MrzResult | None) -> dict[str, Any] | None:
    if mrz is None:
        return None
    return {
        "format": mrz.format,
        "valid": mrz.valid,
        "document_code": mrz.document_code,
        "issuing_state": mrz.issuing_state,
        "document_number": mask_number(mrz.document_number),
        "surname": mrz.surname,
        "given_names": list(mrz.given_names),
        "nationality": mrz.nationality,
        "birth_date": _iso(mrz.birth_date),
        "sex": mrz.sex,
        "expiry_date": _iso(mrz.expiry_date),
        "issue_date": _iso(mrz.issue_date),
        "checks": {str(name): bool(ok) for name, ok in mrz.checks.items()},
    }


def _twoddoc(doc2d: TwoDDoc | None, numbers: set[str]) -> dict[str, Any] | None:
    if doc2d is None:
        return None
    return {
        "version": doc2d.version,
        "ca_id": doc2d.ca_id,
        "certificate_id": doc2d.certificate_id,
        "issue_date": _iso(doc2d.issue_date),
        "signature_date": _iso(doc2d.signature_date),
        "document_type": doc2d.document_type,
        "perimeter": doc2d.perimeter,
        "country": doc2d.country,
        "fields": {str(key): redact_text(str(value), numbers) for key, value in doc2d.fields.items()},
        "signature_status": doc2d.signature_status,
        "signature_message": doc2d.signature_message,
    }


def _scores(classification: Classification) -> list[dict[str, Any]]:
    ranked = sorted(classification.scores.items(), key=lambda item: (-item[1], item[0]))
    return [{"id": key, "score": _round(score)} for key, score in ranked[:TOP_SCORES]]


def document_to_dict(doc: Document) -> dict[str, Any]:
    """One entry of ``documents``: what the document is, what it says, and why preverif thinks so."""
    fields = doc.fields
    numbers = document_numbers(doc)
    return {
        "file": doc.file,
        "pages": list(doc.pages),
        "type": doc.classification.type,
        "subtype": doc.classification.subtype,
        "confidence": _round(min(max(doc.classification.confidence, 0.0), 1.0)),
        "holder": holder_text(doc),
        "date": _iso(fields.issue_date),
        "date_source": fields.issue_date_source,
        "expiry_date": _iso(fields.expiry_date),
        "birth_date": _iso(fields.birth_date),
        "issuer": fields.issuer,
        "document_number": mask_number(fields.document_number),
        "host": _person(fields.host),
        "hosted": _person(fields.hosted),
        "handwritten": fields.handwritten,
        "signed": fields.signed,
        "evidence": _evidence(fields.evidence, doc.classification, numbers),
        "error": doc.error,
        "status": doc.status,
        "ephoto_code": fields.ephoto_code,
        "ephoto_code_doubtful": list(fields.ephoto_code_doubtful),
        "mrz": _mrz(fields.mrz),
        "twoddoc": _twoddoc(fields.twoddoc, numbers),
        "notes": [redact_text(note, numbers) for note in fields.notes],
        "quality_problems": list(doc.quality_problems),
        "scores": _scores(doc.classification),
    }


def _proof(proof: ProofOfAddress) -> dict[str, Any]:
    return {
        "file": proof.file,
        "date": _iso(proof.date),
        "recent": proof.recent,
        "in_applicant_name": proof.in_applicant_name,
        "host_attestation_required": proof.host_attestation_required,
        "host_attestation_present": proof.host_attestation_present,
        "host_id_present": proof.host_id_present,
    }


def _check(check: Check, numbers: set[str]) -> dict[str, Any]:
    return {
        "code": check.code,
        "status": check.status,
        "message": redact_text(check.message, numbers),
        "documents": list(check.documents),
    }


def _problem(problem: FileProblem) -> dict[str, Any]:
    return {"file": problem.file, "code": problem.code, "message": problem.message}


def report_to_dict(report: DossierReport) -> dict[str, Any]:
    """The JSON report (SPEC §5) as a dict of plain JSON types; key order is the documented one."""
    all_numbers: set[str] = set()
    for doc in report.documents:
        all_numbers |= document_numbers(doc)
    return {
        "schema_version": SCHEMA_VERSION,
        "dossier": report.dossier,
        "reference_date": _iso(report.reference_date),
        "verdict": report.verdict,
        "applicant": _applicant(report.judgement.applicant),
        "documents": [document_to_dict(doc) for doc in report.documents],
        "proof_of_address": _proof(report.judgement.proof_of_address),
        "checks": [_check(check, all_numbers) for check in report.judgement.checks],
        "problems": [_problem(problem) for problem in report.problems],
        "summary": redact_text(summary_line(report), all_numbers),
        "generator": {"name": GENERATOR_NAME, "version": __version__},
    }


def report_to_json(report: DossierReport) -> str:
    """The JSON text of a report: UTF-8 friendly (accents kept), indented, ending with a newline."""
    return json.dumps(report_to_dict(report), ensure_ascii=False, indent=2) + "\n"


def write_json(report: DossierReport, path: Path | str) -> None:
    """Write the JSON report of one dossier to ``path`` (parent folders are created)."""
    write_text_atomic(Path(path), report_to_json(report))
