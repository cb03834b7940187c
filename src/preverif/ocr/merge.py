"""Two readings of one page joined line by line: a closer re-read of part of the page and the page's own.

A card scanned small on a blank sheet is read twice when its holder is missing: once as a page (which may
drop whole lines) and once on the card alone, enlarged. The re-read is the cleaner of the two where it read
something; the page reading still holds what the re-read dropped (a card's back beside its front). Lines
are placed by where they lie on the page, so that a value lands under its label.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from preverif.records import Box, PageText, Word


def place_words(text: PageText, left: int, top: int, scale: float) -> PageText:
    """A reading of an enlarged crop put back in page pixels: the crop was cut at (left, top) of the page
    and enlarged ``scale`` times before it was read."""
    if scale <= 0:
        return text

    def to_page(box: Box) -> Box:
        return Box(
            round(box.left / scale) + left,
            round(box.top / scale) + top,
            max(1, round(box.width / scale)),
            max(1, round(box.height / scale)),
        )

    return replace(text, words=tuple(replace(w, box=to_page(w.box)) for w in text.words))


@dataclass(frozen=True)
class TextLine:
    """One line as read, with the box around its words (page pixels)."""

    words: tuple[Word, ...]
    left: int
    top: int
    right: int
    bottom: int

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    def same_row(self, other: TextLine) -> bool:
        """Mostly at the same height (half the shorter line) and side by side or overlapping."""
        shared = min(self.bottom, other.bottom) - max(self.top, other.top)
        shorter = max(1, min(self.bottom - self.top, other.bottom - other.top))
        return shared >= 0.5 * shorter

    def same_column(self, other: TextLine) -> bool:
        return min(self.right, other.right) > max(self.left, other.left)


def text_lines(words: Sequence[Word]) -> list[TextLine]:
    """The words grouped by their line, in reading order, each line with its box."""
    grouped: dict[int, list[Word]] = {}
    for word in words:
        grouped.setdefault(word.line, []).append(word)
    out: list[TextLine] = []
    for line_words in grouped.values():
        out.append(
            TextLine(
                words=tuple(line_words),
                left=min(w.box.left for w in line_words),
                top=min(w.box.top for w in line_words),
                right=max(w.box.left + w.box.width for w in line_words),
                bottom=max(w.box.top + w.box.height for w in line_words),
            )
        )
    return out


def _insert_at(merged: list[TextLine], line: TextLine) -> int:
    """After the lowest line above it in its column; else before the highest below it; else at the end."""
    above = [i for i, m in enumerate(merged) if m.same_column(line) and m.middle < line.middle]
    if above:
        return max(above, key=lambda i: (merged[i].bottom, i)) + 1
    below = [i for i, m in enumerate(merged) if m.same_column(line) and m.middle >= line.middle]
    if below:
        return min(below, key=lambda i: (merged[i].top, i))
    return len(merged)


def merge_readings(primary: PageText, secondary: PageText) -> PageText:
    """``primary``'s lines, with each line of ``secondary`` that lies where ``primary`` read nothing put in
    its place (both in page pixels). A line both readings saw is ``primary``'s."""
    merged = text_lines(primary.words)
    kept = list(merged)
    for line in text_lines(secondary.words):
        if any(line.same_row(m) and line.same_column(m) for m in kept):
            continue
        merged.insert(_insert_at(merged, line), line)
    words = tuple(replace(word, line=index) for index, line in enumerate(merged) for word in line.words)
    mean = sum(w.confidence for w in words) / len(words) if words else 0.0
    return PageText(
        words=words, source=primary.source if primary.words else secondary.source, mean_confidence=mean
    )
