"""The e-photo code (photo-signature numérique) printed on an approved photo-booth sheet.

ANTS publishes no check digit for it (ants-rules §1.6), so nothing can prove an O/0 or I/1 repair:
the code is reported exactly as read (spaces and dashes removed), and the shape check stays soft.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import cv2

from preverif.errors import PreverifError
from preverif.extract.dates import ODD_INPUT_ERRORS, fold, label_regex
from preverif.records import Box, Image, Page, PageText, Word

EPHOTO_LABELS: tuple[str, ...] = (
    "code e-photo",
    "code ephoto",
    "e-photo",
    "ephoto",
    "code photo-signature",
    "code photo signature",
    "photo-signature",
    "photo signature",
    "code ANTS",
    "ANTS",
    "code",
)
EXPECTED_LENGTH = 22
_RUN_RE = re.compile(r"[A-Z0-9](?:[A-Z0-9]|[ \-](?=[A-Z0-9])){17,34}")


def _candidates(line: str) -> list[str]:
    """Compact 20–24-character runs of capitals and digits holding both letters and digits."""
    out: list[str] = []
    for m in _RUN_RE.finditer(line):
        groups = re.split(r"[ \-]", m.group(0))
        # drop leading/trailing plain words ('CODE', 'ANTS') glued to the run by a space
        while groups and groups[0].isalpha() and len(groups[0]) > 1 and len(groups) > 1:
            if 20 <= len("".join(groups)) <= 24 and len(groups[0]) <= 4:
                break
            groups = groups[1:]
        code = "".join(groups)
        digits = sum(c.isdigit() for c in code)
        letters = sum(c.isalpha() for c in code)
        if 20 <= len(code) <= 24 and digits >= 2 and letters >= 2:
            out.append(code)
    return out


def find_ephoto_code(lines: Sequence[str]) -> str | None:
    """The e-photo code as read (20–24 alphanumerics, 22 expected), preferring one near an e-photo label."""
    try:
        clean = [x.replace("\u00a0", " ") if isinstance(x, str) else "" for x in lines]
        regexes = [label_regex(x) for x in EPHOTO_LABELS]
        label_lines: dict[int, float] = {}
        stripped: list[str] = []
        for i, line in enumerate(clean):
            folded = fold(line)
            masked = list(line)
            for weight, rx in zip(range(len(regexes), 0, -1), regexes, strict=True):
                for m in rx.finditer(folded):
                    label_lines[i] = max(label_lines.get(i, 0.0), float(weight))
                    masked[m.start() : m.end()] = " " * (m.end() - m.start())
            stripped.append("".join(masked))
        best: tuple[float, int, str] | None = None
        for i, line in enumerate(stripped):
            for code in _candidates(line.upper() if line.isupper() else line):
                score = 0.0
                if i in label_lines:
                    score += 3.0 + label_lines[i] / 10
                elif (i - 1) in label_lines or (i - 2) in label_lines:
                    score += 2.0 + label_lines.get(i - 1, label_lines.get(i - 2, 0.0)) / 10
                score += (
                    2.0
                    if len(code) == EXPECTED_LENGTH
                    else 1.0
                    if abs(len(code) - EXPECTED_LENGTH) == 1
                    else 0.0
                )
                key = (score, -i, code)
                if best is None or key[:2] > best[:2]:
                    best = key
        return best[2] if best else None
    except ODD_INPUT_ERRORS:
        return None


# ---------------------------------------------------------------- targeted re-read of the code

_LABEL_WORD = re.compile(r"^(?:e-?photo|ephoto|ants|photo-?signature)\W*$", re.IGNORECASE)
_WHITELIST = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_TARGET_HEIGHT = 48  # px of text height Tesseract reads best


def _label_boxes(page: Page) -> list[Box]:
    """Boxes of the words that end an e-photo label ('e-photo', 'ANTS'…) on the page."""
    return [page.to_image(w.box) for w in page.text.words if _LABEL_WORD.match(w.text.strip(" :"))]


def _code_regions(label: Box, width: int, height: int) -> list[tuple[int, int, int, int]]:
    """Where the code sits relative to its label: on the same line to the right, or on the next lines."""
    h = max(8, label.height)
    right = (label.left + label.width, label.top - h // 2, width, label.top + label.height + h // 2)
    below_left = max(0, label.left - 10 * h)
    below = (below_left, label.top + label.height, min(width, label.left + 30 * h), label.top + 4 * h)
    regions = []
    for x0, y0, x1, y1 in (right, below):
        x0, y0, x1, y1 = max(0, x0), max(0, y0), min(width, x1), min(height, y1)
        if x1 - x0 >= 2 * h and y1 - y0 >= h:
            regions.append((x0, y0, x1, y1))
    return regions


def _grey_crop(crop: Any) -> Any:
    """A crop in grey, whatever the page image's channels (grey, BGR, BGRA)."""
    return cv2.cvtColor(crop[:, :, :3], cv2.COLOR_BGR2GRAY) if crop.ndim == 3 else crop


def _read_region(image: Image, region: tuple[int, int, int, int], text_h: int) -> str:
    """OCR one crop as a single line of capitals and digits, upscaled to a comfortable text height."""
    from preverif.ocr.tesseract import ocr_text

    x0, y0, x1, y1 = region
    crop: Any = image[y0:y1, x0:x1]
    crop = _grey_crop(crop)
    scale = min(4.0, max(1.0, _TARGET_HEIGHT / max(1, text_h)))
    if scale > 1.0:
        crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    _level, crop = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    crop = cv2.copyMakeBorder(crop, 10, 10, 10, 10, cv2.BORDER_CONSTANT, value=255)
    config = f"-c tessedit_char_whitelist={_WHITELIST}"
    return ocr_text(crop, lang="eng", psm=7, config=config)


_TWINS = {"O": "0", "0": "O", "I": "1", "1": "I"}


@dataclass(frozen=True)
class EphotoReading:
    """The code as read, and the positions (0-based) of O/0 or I/1 that neither reading could settle."""

    code: str
    ambiguous: tuple[int, ...] = ()


def _code_words_box(
    words: Sequence[Word], code: str, to_image: Callable[[Box], Box] | None = None
) -> Box | None:
    """The image box around the words that make up ``code`` (groups of 2+ characters)."""
    boxes = []
    for word in words:
        chunk = re.sub(r"[^A-Za-z0-9]", "", word.text).upper()
        if len(chunk) >= 2 and chunk in code:
            boxes.append(to_image(word.box) if to_image is not None else word.box)
    if not boxes:
        return None
    x0, y0 = min(b.left for b in boxes), min(b.top for b in boxes)
    x1 = max(b.left + b.width for b in boxes)
    y1 = max(b.top + b.height for b in boxes)
    return Box(x0, y0, x1 - x0, y1 - y0)


def _crop_readings(image: Image | None, box: Box) -> list[str]:
    """The code region OCR'd as one line with the code's character set, with and without binarisation,
    in both quarter turns when the words run vertically (the words' frame is not always upright)."""
    from preverif.ocr.tesseract import ocr_image

    if image is None or image.size == 0:
        return []
    pad = max(3, min(box.width, box.height) // 2)
    crop: Any = image[
        max(0, box.top - pad) : box.top + box.height + pad,
        max(0, box.left - pad) : box.left + box.width + pad,
    ]
    if crop.size == 0:
        return []
    crop = _grey_crop(crop)
    turns: list[int | None] = (
        [cv2.ROTATE_90_COUNTERCLOCKWISE, cv2.ROTATE_90_CLOCKWISE] if box.height > box.width else [None]
    )
    readings: list[str] = []
    config = f"-c tessedit_char_whitelist={_WHITELIST}"
    for turn in turns:
        line: Any = crop if turn is None else cv2.rotate(crop, turn)
        scale = min(6.0, max(1.0, 60.0 / max(1, line.shape[0])))
        line = cv2.resize(line, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        _level, binary = cv2.threshold(line, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        for variant in (binary, line):
            framed: Any = cv2.copyMakeBorder(variant, 20, 20, 20, 20, cv2.BORDER_CONSTANT, value=255)
            text = ocr_image(framed, lang="eng", psm=7, config=config)
            readings.append("".join(w.text for w in text.words).upper())
    return readings


def reconcile_code(page_code: str, others: Sequence[str]) -> EphotoReading:
    """Settle the O/0 and I/1 of the page reading by a vote with the targeted re-reads.

    Only twin characters can change, and only to their twin, when more re-reads aligned on that position
    say the twin than agree with the page (the page's own reading counts as one vote). A tie leaves the
    page's character and marks the position as ambiguous; a twin no re-read saw is ambiguous as well, since
    ANTS publishes no check digit that could prove either. Never adds or removes a character."""
    votes: list[dict[str, int]] = [{} for _ in page_code]
    for other in others:
        matcher = difflib.SequenceMatcher(None, page_code, other, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
                for k in range(i2 - i1):
                    seen = other[j1 + k]
                    votes[i1 + k][seen] = votes[i1 + k].get(seen, 0) + 1
    out = list(page_code)
    ambiguous: list[int] = []
    for i, char in enumerate(page_code):
        twin = _TWINS.get(char)
        if twin is None:
            continue
        keep, change = votes[i].get(char, 0) + 1, votes[i].get(twin, 0)
        if change > keep:
            out[i] = twin
        elif change == keep or keep == 1:
            ambiguous.append(i)
    return EphotoReading("".join(out), tuple(ambiguous))


def _glyph_rings(image: Image, box: Box, length: int) -> list[bool | None] | None:
    """For each character of a code of ``length`` glyphs in ``box``: whether its ring has a mark inside
    the hole (a dotted or slashed zero: True), a plain hole (False), or no hole (None). None when the
    crop does not split into exactly ``length`` glyphs (touching or broken characters)."""
    pad = max(2, box.height // 4)
    crop: Any = image[
        max(0, box.top - pad) : box.top + box.height + pad,
        max(0, box.left - pad) : box.left + box.width + pad,
    ]
    if crop.size == 0:
        return None
    crop = _grey_crop(crop)
    scale = min(6.0, max(1.0, 90.0 / max(1, box.height)))
    crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    _level, ink = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    contours, hierarchy = cv2.findContours(ink, cv2.RETR_TREE, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return None
    tree = hierarchy[0]
    min_h = 0.5 * box.height * scale
    glyphs: list[tuple[int, int, bool | None]] = []
    for i, contour in enumerate(contours):
        if tree[i][3] != -1:
            continue
        x, _y, w, h = cv2.boundingRect(contour)
        if h < min_h:
            continue  # specks and dashes between groups
        holes, marked = 0, False
        hole = tree[i][2]
        while hole != -1:
            if cv2.contourArea(contours[hole]) > 0.02 * h * h:
                holes += 1
                marked = marked or tree[hole][2] != -1  # a dot floating in the hole
            hole = tree[hole][0]
        # a dot or slash that touches the ring splits its hole in two (an O never has two holes)
        glyphs.append((x, w, None if holes == 0 else marked or holes >= 2))
    return _glyphs_to_chars(sorted(glyphs), length)


def _glyphs_to_chars(glyphs: Sequence[tuple[int, int, bool | None]], length: int) -> list[bool | None] | None:
    """Glyph components (left, width, ring) spread over ``length`` characters: the code's print is
    monospaced, so a component about two pitches wide is two touching characters (ring unknown)."""
    if len(glyphs) < 2:
        return None
    centres = [x + w / 2 for x, w, _r in glyphs]
    steps = sorted(b - a for a, b in itertools.pairwise(centres))
    pitch = steps[len(steps) // 2]
    if pitch <= 0:
        return None
    out: list[bool | None] = []
    for _x, w, ring in glyphs:
        count = max(1, round(w / pitch + 0.15))
        out.extend([ring] if count == 1 else [None] * count)
    return out if len(out) == length else None


def settle_zeros(code: str, rings: Sequence[bool | None] | None) -> str:
    """O/0 settled by the glyphs' shape when the print uses a dotted or slashed zero: once one ring of the
    code shows a mark in its hole, marked rings are zeros and plain rings are letters O. Nothing changes
    when no ring is marked (a plain zero font, or a print too coarse to show the mark)."""
    if rings is None or len(rings) != len(code) or not any(r is True for r in rings):
        return code
    out = list(code)
    for i, (char, ring) in enumerate(zip(code, rings, strict=True)):
        if char in "O0" and ring is not None:
            out[i] = "0" if ring else "O"
    return "".join(out)


def reread_code_full(image: Image | None, text: PageText) -> str | None:
    """The e-photo code re-read on the full-resolution page, or None when the page shows no code.

    Run by the read stage, the only one that holds the full page: later stages get a thumbnail on which
    the code is about 10 px high. The code's own words are cropped, upscaled and OCR'd as one line of
    capitals and digits and voted with the page OCR on O/0 and I/1 (``reconcile_code``; S/5 and B/8 are
    left as the page read them: the whitelisted re-reads turn 5 into S too often), then O/0 are settled by
    the glyphs' shape when the print uses a dotted or slashed zero (``settle_zeros``). ``text`` word boxes must be
    in ``image`` pixels."""
    try:
        if image is None or image.size == 0:
            return None
        found = find_ephoto_code(text.lines)
        if found is None:
            labels = [w.box for w in text.words if _LABEL_WORD.match(w.text.strip(" :"))]
            return _reread_label_regions(image, labels)
        box = _code_words_box(text.words, found)
        if box is None:
            return found
        readings = [c for r in _crop_readings(image, box) for c in (_candidates(r) or [r])]
        code = reconcile_code(found, readings).code
        return settle_zeros(code, _glyph_rings(image, box, len(code)))
    except (PreverifError, cv2.error, ValueError, RuntimeError, TypeError, AttributeError, IndexError):
        return None


_LABEL_HINT = re.compile(
    r"e\W?ph[o0]t[o0]|ph[o0]t[o0]\W?signature|c[o0]de\W+ants|services en ligne ants", re.IGNORECASE
)


def has_ephoto_label(text: str) -> bool:
    """Whether a page's text shows an e-photo label: the cheap test before any re-read."""
    return isinstance(text, str) and _LABEL_HINT.search(text) is not None


def reread_page_codes(image: Image | None, text: PageText) -> dict[str, str]:
    """The codes the read stage re-reads on the full-resolution page ('ephoto'), for ``Page.codes``."""
    try:
        if not has_ephoto_label(text.text):
            return {}
    except (TypeError, AttributeError):
        return {}
    code = reread_code_full(image, text)
    return {"ephoto": code} if code else {}


def read_ephoto_code(pages: Sequence[Page], lines: Sequence[str]) -> EphotoReading | None:
    """The e-photo code with the positions still uncertain: the page reading, its O/0 and I/1 settled by
    targeted re-reads of the code's own words; when the page text holds no code, a re-read next to its
    label. The report should ask the user to check the code by hand when ``ambiguous`` is not empty."""
    for page in pages:
        full = page.codes.get("ephoto") if isinstance(page.codes, Mapping) else None
        if isinstance(full, str) and 20 <= len(full) <= 24:
            return EphotoReading(full)
    found = find_ephoto_code(lines)
    if found is None:
        fallback = _reread_near_label(pages)
        return EphotoReading(fallback, tuple(range(len(fallback)))) if fallback else None
    try:
        for page in pages:
            box = _code_words_box(page.text.words, found, page.to_image)
            if box is not None:
                return reconcile_code(found, _crop_readings(page.image, box))
    except (PreverifError, cv2.error, ValueError, RuntimeError):
        pass
    return reconcile_code(found, ())


def reread_ephoto_code(pages: Sequence[Page], lines: Sequence[str]) -> str | None:
    """The e-photo code as best read (see ``read_ephoto_code``), or None when no 20–24-character code."""
    reading = read_ephoto_code(pages, lines)
    return reading.code if reading is not None else None


def _reread_near_label(pages: Sequence[Page]) -> str | None:
    """A targeted re-read of the region next to an e-photo label ('Code e-photo', 'Code ANTS'), OCR'd as
    one line of capitals and digits, when the page OCR did not yield the code at all."""
    for page in pages:
        if page.image is None or page.image.size == 0:
            continue
        code = _reread_label_regions(page.image, _label_boxes(page))
        if code:
            return code
    return None


def _reread_label_regions(image: Image, labels: Sequence[Box]) -> str | None:
    """The first code read in the regions next to the given label boxes (``image`` pixels)."""
    try:
        height, width = image.shape[:2]
        for label in labels[:4]:
            for region in _code_regions(label, width, height):
                text = _read_region(image, region, label.height)
                for line in text.splitlines():
                    codes = _candidates(line.replace(" ", ""))
                    exact = [c for c in codes if len(c) == EXPECTED_LENGTH]
                    if exact or codes:
                        return (exact or codes)[0]
    except (PreverifError, cv2.error, ValueError, RuntimeError):
        return None
    return None
