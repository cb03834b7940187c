#!/usr/bin/env python3
"""Run preverif's reading, classification and extraction on the real public specimens of ../shared/realdocs.

    python3 scripts/check_realdocs.py [REALDOCS]

Prints, per specimen, the expected class from labels.json and what preverif read: type, subtype, confidence,
holder, the date that matters (issue, else expiry) and whether an MRZ validated. A reality check beside the
generated corpora: these ten files were made by nobody on this project.
"""

from __future__ import annotations

import hashlib
import json
import sys
from datetime import date
from pathlib import Path

from preverif.classify.doctypes import load_doctypes
from preverif.pipeline import build_documents
from preverif.reading import analyse_file
from preverif.records import InputFile
from preverif.settings import Settings


def main() -> int:
    root = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parents[2] / "shared" / "realdocs"
    )
    labels_path = root / "labels.json"
    if not labels_path.exists():
        print(f"no labels.json in {root}", file=sys.stderr)
        return 2
    settings = Settings(cache_dir=None, reference_date=date(2026, 11, 27), workers=1)
    doctypes = load_doctypes()
    for label in json.loads(labels_path.read_text(encoding="utf-8")):
        path = root / label["file"]
        data = path.read_bytes()
        file = InputFile(path, path.name, len(data), hashlib.sha256(data).hexdigest())
        documents, _ = build_documents(analyse_file(file, settings), doctypes, settings)
        read = [
            (
                f"{d.classification.type}/{d.classification.subtype or '-'}",
                round(d.classification.confidence, 2),
                d.fields.holder.raw if d.fields.holder else None,
                str(d.fields.issue_date or d.fields.expiry_date or ""),
                None if d.fields.mrz is None else ("MRZ valide" if d.fields.mrz.valid else "MRZ invalide"),
            )
            for d in documents
        ]
        print(f"{label['file']:36s} expected {label['expected_class']:28s} read {read}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
