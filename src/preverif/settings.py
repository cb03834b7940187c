"""Settings built once at the edge (CLI or API) and passed down; stages never read the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import platformdirs


def default_cache_dir() -> Path:
    """The user's cache folder for preverif (OCR results); ``PREVERIF_CACHE_DIR`` overrides it."""
    override = os.environ.get("PREVERIF_CACHE_DIR")
    return Path(override) if override else Path(platformdirs.user_cache_dir("preverif"))


def default_workers() -> int:
    """One OCR process per core: Tesseract runs single-threaded (OMP_THREAD_LIMIT=1)."""
    return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know, fixed for the run."""

    reference_date: date = field(default_factory=date.today)
    languages: str = "fra+eng"
    tesseract_cmd: str = "tesseract"
    workers: int = field(default_factory=default_workers)
    cache_dir: Path | None = field(default_factory=default_cache_dir)  # None: no cache
    ocr_dpi: int = 300  # resolution scanned PDF pages are rendered at
    ocr_timeout_s: float = 60.0  # per page
    file_timeout_s: float = 180.0  # per file, loading included
    max_pixels: int = 80_000_000  # decompression-bomb limit per image
    max_file_bytes: int = 200 * 1024 * 1024
    max_pages_per_file: int = 50
    keep_page_images: bool = True  # needed for HTML thumbnails
