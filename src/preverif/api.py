"""The Python API for integrators (driving-school software). The CLI is built on it.

>>> from datetime import date
>>> from preverif.api import check_dossier, report_to_json
>>> report = check_dossier("dossiers/dupont", reference_date=date(2026, 11, 27))
>>> report.verdict                       # 'complete' | 'incomplete' | 'needs_review'
>>> report_to_json(report)               # the JSON report of SPEC §5 (schema in preverif/data)
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

from preverif.errors import InputError
from preverif.pipeline import Engine, iter_reports
from preverif.records import DossierReport
from preverif.report.json_report import report_to_dict
from preverif.settings import Settings

__all__ = ["DossierReport", "Settings", "check_batch", "check_dossier", "report_to_json"]


def _settings(reference_date: date | None, settings: Settings | None) -> Settings:
    base = settings or Settings()
    return replace(base, reference_date=reference_date) if reference_date is not None else base


def check_batch(
    path: str | Path,
    *,
    reference_date: date | None = None,
    settings: Settings | None = None,
    single: bool = False,
) -> Iterator[DossierReport]:
    """Check one dossier or a batch (a folder of dossier folders or zips); yield a report per dossier.
    ``single`` takes ``path`` as one dossier whatever its sub-folders."""
    root = Path(path)
    if not root.exists():
        raise InputError(f"Chemin introuvable : {root}")
    engine = Engine.create(_settings(reference_date, settings))
    try:
        with tempfile.TemporaryDirectory(prefix="preverif-") as workdir:
            yield from iter_reports(root, engine, Path(workdir), single=single)
    finally:
        engine.close()


def check_dossier(
    path: str | Path, *, reference_date: date | None = None, settings: Settings | None = None
) -> DossierReport:
    """Check exactly one dossier (a folder or a .zip, sub-folders included) and return its typed report."""
    reports = list(check_batch(path, reference_date=reference_date, settings=settings, single=True))
    if len(reports) != 1:
        raise InputError(f"{path} contient {len(reports)} dossiers : utilisez check_batch().")
    return reports[0]


def report_to_json(report: DossierReport, *, indent: int | None = 2) -> str:
    """The JSON report (SPEC §5), as a string."""
    return json.dumps(report_to_dict(report), ensure_ascii=False, indent=indent)
