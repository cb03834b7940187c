"""The watch folder's journal: which dossier state was already reported, so a restart redoes nothing.

One JSON line per finished dossier (append-only, fsync'd); the last line for a dossier wins. A torn last
line (power cut mid-write) is ignored on load.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Journal:
    """Fingerprints of the dossiers already reported, backed by an append-only file."""

    path: Path
    done: dict[str, str] = field(default_factory=dict)

    @classmethod
    def open(cls, path: Path) -> Journal:
        journal = cls(path=path)
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError:
            lines = []
        for line in lines:
            try:
                entry = json.loads(line)
                journal.done[str(entry["dossier"])] = str(entry["fingerprint"])
            except (ValueError, KeyError, TypeError):
                continue
        return journal

    def is_done(self, dossier: str, fingerprint: str) -> bool:
        return self.done.get(dossier) == fingerprint

    def record(self, dossier: str, fingerprint: str, verdict: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(
            {"dossier": dossier, "fingerprint": fingerprint, "verdict": verdict}, ensure_ascii=False
        )
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        self.done[dossier] = fingerprint
