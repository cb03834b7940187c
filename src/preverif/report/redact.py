"""Masking of document numbers: reports and logs show only the last three characters (SPEC §7)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from preverif.records import Document

_KEEP = 3
_MIN_LEN_TO_SEARCH = 4  # shorter 'numbers' would mask ordinary words in the evidence text


def mask_number(number: str | None) -> str | None:
    """'X4RTBPFW4' → '******FW4'. Numbers of three characters or fewer are masked entirely."""
    if number is None:
        return None
    value = number.strip()
    if not value:
        return None
    if len(value) <= _KEEP:
        return "*" * len(value)
    return "*" * (len(value) - _KEEP) + value[-_KEEP:]


def document_numbers(doc: Document) -> set[str]:
    """Every document number known for a document (printed, MRZ), to be masked wherever it appears."""
    numbers: set[str] = set()
    candidates = [doc.fields.document_number]
    if doc.fields.mrz is not None:
        candidates.append(doc.fields.mrz.document_number)
    for number in candidates:
        if number:
            value = number.strip().strip("<")
            if len(value) >= _MIN_LEN_TO_SEARCH:
                numbers.add(value)
    return numbers


def redact_text(text: str, numbers: Iterable[str]) -> str:
    """Replace each known document number in ``text`` (case-insensitive, spaces tolerated) by its mask."""
    out = text
    for number in sorted(set(numbers), key=len, reverse=True):
        if len(number) < _MIN_LEN_TO_SEARCH:
            continue
        pattern = r"\s?".join(re.escape(ch) for ch in number)
        out = re.sub(pattern, mask_number(number) or "", out, flags=re.IGNORECASE)
    return out
