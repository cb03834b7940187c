"""Pages made from text lines, for tests of the stages after OCR (fields, names, rules): each line's words
get boxes on their own row, as the read stage would give them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from preverif.records import Box, Page, PageQuality, PageText, Word


@dataclass(frozen=True)
class NoLabels:
    """A document type with no labels of its own: the extractor falls back on its built-in ones."""

    date_labels: tuple[str, ...] = ()
    decoy_labels: tuple[str, ...] = ()
    holder_labels: tuple[str, ...] = ()
    issuers: tuple[str, ...] = ()


def text_page(lines: list[str], file: str = "page.png") -> Page:
    """One page of ``file`` whose OCR text is ``lines``."""
    words = [
        Word(token, Box(10 + 60 * j, 10 + 20 * i, 50, 15), 90.0, i)
        for i, line in enumerate(lines)
        for j, token in enumerate(line.split())
    ]
    quality = PageQuality(width=10, height=10, dpi=300.0, sharpness=100.0, brightness=200.0, contrast=50.0)
    return Page(file, 1, np.zeros((10, 10), dtype=np.uint8), PageText(tuple(words), "ocr", 90.0), quality)
