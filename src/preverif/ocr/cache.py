"""On-disk cache of page analyses (OCR words, orientation, quality, barcodes, MRZ), keyed by content and settings.

A re-run on an unchanged dossier — the watch folder's everyday case — then does no OCR at all. Entries are
small JSON files under the user's cache folder; ``preverif cache clear`` removes them. Writes are atomic
(temporary file + rename), so two processes can share the cache.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from preverif.records import Barcode, Box, MrzResult, PageQuality, PageText, Word

CACHE_FORMAT = 4  # bump when the cached analysis changes shape or meaning


def cache_key(*parts: object) -> str:
    """A stable key from the content hash and every setting that changes the result."""
    digest = hashlib.sha256(json.dumps([CACHE_FORMAT, *map(str, parts)]).encode("utf-8"))
    return digest.hexdigest()


@dataclass(frozen=True)
class AnalysisCache:
    """A folder of JSON entries, two-level fan-out to keep directories small."""

    root: Path

    def _path(self, key: str) -> Path:
        return self.root / "analysis" / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        path = self._path(key)
        try:
            with path.open("r", encoding="utf-8") as handle:
                value = json.load(handle)
        except (OSError, ValueError):
            return None
        return value if isinstance(value, dict) else None

    def put(self, key: str, value: dict[str, Any]) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(value, handle, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, path)
        except OSError:
            return  # a cache that cannot be written only costs time

    def clear(self) -> int:
        """Remove every entry; return how many there were."""
        folder = self.root / "analysis"
        count = sum(1 for _ in folder.rglob("*.json")) if folder.exists() else 0
        shutil.rmtree(folder, ignore_errors=True)
        return count

    def stats(self) -> tuple[int, int]:
        """(entries, bytes) currently stored."""
        folder = self.root / "analysis"
        if not folder.exists():
            return 0, 0
        files = list(folder.rglob("*.json"))
        return len(files), sum(f.stat().st_size for f in files)


# ---------------------------------------------------------------- (de)serialisation of cached records


def text_to_json(text: PageText) -> dict[str, Any]:
    return {
        "source": text.source,
        "mean": round(text.mean_confidence, 2),
        "words": [
            [
                w.text,
                w.box.left,
                w.box.top,
                w.box.width,
                w.box.height,
                round(w.confidence, 1),
                w.line,
                w.block,
            ]
            for w in text.words
        ],
    }


def text_from_json(value: dict[str, Any]) -> PageText:
    words = tuple(
        Word(
            text=str(t),
            box=Box(int(x), int(y), int(w), int(h)),
            confidence=float(c),
            line=int(ln),
            block=int(b),
        )
        for t, x, y, w, h, c, ln, b in value["words"]
    )
    return PageText(words=words, source=value["source"], mean_confidence=float(value["mean"]))


def quality_to_json(q: PageQuality) -> dict[str, Any]:
    return {
        "width": q.width,
        "height": q.height,
        "dpi": q.dpi,
        "sharpness": q.sharpness,
        "brightness": q.brightness,
        "contrast": q.contrast,
        "problems": list(q.problems),
    }


def quality_from_json(v: dict[str, Any]) -> PageQuality:
    return PageQuality(
        width=int(v["width"]),
        height=int(v["height"]),
        dpi=float(v["dpi"]),
        sharpness=float(v["sharpness"]),
        brightness=float(v["brightness"]),
        contrast=float(v["contrast"]),
        problems=tuple(v["problems"]),
    )


def barcodes_to_json(codes: tuple[Barcode, ...]) -> list[dict[str, Any]]:
    return [
        {"format": b.format, "text": b.text, "box": None if b.box is None else [*_box(b.box)]} for b in codes
    ]


def barcodes_from_json(v: list[dict[str, Any]]) -> tuple[Barcode, ...]:
    return tuple(
        Barcode(format=b["format"], text=b["text"], box=None if b["box"] is None else Box(*b["box"]))
        for b in v
    )


def _box(b: Box) -> tuple[int, int, int, int]:
    return (b.left, b.top, b.width, b.height)


def _d(v: date | None) -> str | None:
    return v.isoformat() if v else None


def _pd(v: str | None) -> date | None:
    return date.fromisoformat(v) if v else None


def mrz_to_json(m: MrzResult | None) -> dict[str, Any] | None:
    if m is None:
        return None
    return {
        "format": m.format,
        "lines": list(m.lines),
        "document_code": m.document_code,
        "issuing_state": m.issuing_state,
        "surname": m.surname,
        "given_names": list(m.given_names),
        "document_number": m.document_number,
        "nationality": m.nationality,
        "birth_date": _d(m.birth_date),
        "sex": m.sex,
        "expiry_date": _d(m.expiry_date),
        "issue_date": _d(m.issue_date),
        "checks": dict(m.checks),
    }


def mrz_from_json(v: dict[str, Any] | None) -> MrzResult | None:
    if v is None:
        return None
    return MrzResult(
        format=v["format"],
        lines=tuple(v["lines"]),
        document_code=v["document_code"],
        issuing_state=v["issuing_state"],
        surname=v["surname"],
        given_names=tuple(v["given_names"]),
        document_number=v["document_number"],
        nationality=v["nationality"],
        birth_date=_pd(v["birth_date"]),
        sex=v["sex"],
        expiry_date=_pd(v["expiry_date"]),
        issue_date=_pd(v["issue_date"]),
        checks=dict(v["checks"]),
    )


def image_to_json(image: Any) -> str:
    """A grey page thumbnail as base64 PNG: lossless, so a warm run sees exactly what the cold run saw."""
    import cv2

    ok, buffer = cv2.imencode(".png", image, [cv2.IMWRITE_PNG_COMPRESSION, 3])
    return base64.b64encode(buffer.tobytes()).decode("ascii") if ok else ""


def image_from_json(value: str | None) -> Any:
    """The thumbnail back, or None when absent or damaged."""
    if not value:
        return None
    import cv2
    import numpy as np

    try:
        data = np.frombuffer(base64.b64decode(value), dtype=np.uint8)
        image = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
    except (ValueError, cv2.error):
        return None
    return image
