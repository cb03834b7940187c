"""Shared test set-up: a private OCR cache per test session, and the sample fixtures' location."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
REALDOCS = ROOT.parent / "shared" / "realdocs"


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Never touch the user's cache; share one cache across the session so repeated reads stay cheap."""
    folder = tmp_path_factory.mktemp("ocr-cache")
    old = os.environ.get("PREVERIF_CACHE_DIR")
    os.environ["PREVERIF_CACHE_DIR"] = str(folder)
    os.environ["OMP_THREAD_LIMIT"] = "1"
    yield folder
    if old is None:
        os.environ.pop("PREVERIF_CACHE_DIR", None)
    else:
        os.environ["PREVERIF_CACHE_DIR"] = old


@pytest.fixture
def tesseract_cli() -> Iterator[None]:
    """The page-level engine the read stage uses for the e-photo re-read (tesserocr when installed: it gives
    each character's box), restored afterwards."""
    from preverif.ocr.tesseract import configure, current_engine

    before = current_engine()
    configure("tesseract")
    yield
    configure("tesseract", before)
