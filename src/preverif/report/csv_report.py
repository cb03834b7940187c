"""The CSV summary of a batch: one row per dossier, for a spreadsheet (LibreOffice, Excel).

UTF-8 with a BOM (Excel otherwise reads accents as Latin-1), ';' as separator (the French Excel default),
CRLF line ends, quotes only where needed (a ';', a quote or a line break inside a field). Text cells that
start like a formula ('=', '+', '-', '@') get a leading apostrophe so that no spreadsheet runs them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from preverif.records import DossierReport
from preverif.report.labels import verdict_label
from preverif.report.output import write_text_atomic
from preverif.report.summary import todo_checks, unreadable_files

HEADER: tuple[str, ...] = (
    "Dossier",
    "Nom",
    "Prénoms",
    "Date de naissance",
    "Verdict",
    "Manquants / à corriger",
    "Justificatif de domicile (date)",
    "Nombre de documents",
    "Fichiers illisibles",
)
SEPARATOR = " | "
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    """One text cell: on one line, and never taken for a formula."""
    text = " ".join(value.split())
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def csv_row(report: DossierReport) -> list[str]:
    """The cells of one dossier's row, in the order of :data:`HEADER`."""
    applicant = report.judgement.applicant
    proof = report.judgement.proof_of_address
    todo = SEPARATOR.join(check.message for check in todo_checks(report))
    return [
        _cell(report.dossier),
        _cell(applicant.surname or ""),
        _cell(" ".join(applicant.given_names)),
        applicant.birth_date.isoformat() if applicant.birth_date else "",
        _cell(verdict_label(report.verdict)),
        _cell(todo),
        proof.date.isoformat() if proof.date else "",
        str(len(report.documents)),
        _cell(SEPARATOR.join(unreadable_files(report))),
    ]


def render_csv(reports: Sequence[DossierReport]) -> str:
    """The CSV text (without the BOM, which the writer adds), CRLF line ends."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(
        buffer, delimiter=";", quotechar='"', quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n"
    )
    writer.writerow(HEADER)
    for report in reports:
        writer.writerow(csv_row(report))
    return buffer.getvalue()


def write_csv(reports: Sequence[DossierReport], path: Path | str) -> None:
    """Write the batch summary CSV to ``path`` (UTF-8 with BOM, ';', CRLF)."""
    write_text_atomic(Path(path), render_csv(reports), encoding="utf-8-sig")
