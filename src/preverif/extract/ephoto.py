"""The e-photo code (photo-signature numérique) printed on an approved photo-booth sheet.

ANTS publishes no check digit for it (ants-rules §1.6), so nothing can prove an O/0 or I/1 repair. The
read stage reads the code glyph by glyph on the full page (``read_code_line``): the glyphs' own shapes
settle what they can (a dotted zero, a 5's square corner, holes), and the positions that stay uncertain
are reported with the code (``EphotoLine.doubtful``, ``Page.codes['ephoto_doubtful']``) for a human to
check, rather than guessed. The shape check of the code stays soft.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

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


def _candidates(line: str, *, labelled: bool = False) -> list[str]:
    """Compact 20–24-character runs of capitals and digits holding both letters and digits.

    On a ``labelled`` line (the label's own or one of the two after it) a run of exactly the code's
    length may hold fewer than two digits: the code is random, some codes hold one digit or none, and a
    fax or a 150-dpi scan turns digits into their look-alike capitals (6 → G, 0 → O, 5 → S). It must then
    be one unbroken run or evenly grouped ('ABCD EFGH…'), which no line of capitalised words is.
    """
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
        mixed = 20 <= len(code) <= 24 and digits >= 2 and letters >= 2
        if mixed or (labelled and len(code) == EXPECTED_LENGTH and _evenly_grouped(groups)):
            out.append(code)
    return out


def _evenly_grouped(groups: Sequence[str]) -> bool:
    """One run, or groups of one length (the last may be shorter) of at least three characters."""
    if len(groups) == 1:
        return True
    size = len(groups[0])
    return size >= 3 and all(len(g) == size for g in groups[:-1]) and 0 < len(groups[-1]) <= size


_STRAY = re.compile(r"(?<=[A-Z0-9])[.,;'’·*](?=\s|$)")


def _tidy(line: str) -> str:
    """A line with the OCR's strays around the code's groups undone: a dot or comma glued to a group
    ('A93M. DBOH') and a dotted zero read as '@' ('K@51')."""
    return _STRAY.sub("", line).replace("@", "0")


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
            labelled = any(k in label_lines for k in (i, i - 1, i - 2))
            for code in _candidates(_tidy(line.upper() if line.isupper() else line), labelled=labelled):
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


def _is_label_word(text: str) -> bool:
    """Whether an OCR'd word ends an e-photo label, accents folded ('E-PHÔTO' read off a fax)."""
    return _LABEL_WORD.match(fold(text).strip(" :")) is not None


def _label_boxes(page: Page) -> list[Box]:
    """Boxes of the words that end an e-photo label ('e-photo', 'ANTS'…) on the page."""
    return [page.to_image(w.box) for w in page.text.words if _is_label_word(w.text)]


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
    """The image box around the words that make up ``code`` (groups of 2+ characters).

    The code is printed on one line: only the words on the line of its longest piece count, so that a
    short group that happens to occur elsewhere on the page (a '33' in a fax header's phone number)
    cannot stretch the box over half the page."""
    pieces: list[tuple[int, Box]] = []
    for word in words:
        chunk = re.sub(r"[^A-Za-z0-9]", "", word.text.replace("@", "0")).upper()
        if len(chunk) >= 2 and chunk in code:
            pieces.append((len(chunk), to_image(word.box) if to_image is not None else word.box))
    if not pieces:
        return None
    anchor = max(pieces, key=lambda piece: piece[0])[1]
    middle = anchor.top + anchor.height / 2
    boxes = [
        b for _n, b in pieces if abs(b.top + b.height / 2 - middle) <= 0.6 * max(anchor.height, b.height)
    ]
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


# ---------------------------------------------------------------- per-glyph re-read of the code line
#
# The code is printed on one line, in practice in a monospaced or plain sans font. Tesseract reading the
# line now and then splits a glyph in two ('5' → 'S5') or swings on O/0, I/1, S/5, B/8, G/6 with the
# binarisation. So the line is first cut into its glyph cells (connected components on the print's pitch),
# read under a few renderings, and every character Tesseract reports (with its alternatives) votes for the
# cell its box falls in: a split glyph still votes for one cell, and a cell whose vote stays split is
# reported as doubtful instead of being guessed. The count of closed holes settles what blur cannot add:
# a glyph with a hole is not an S, 5, G or E, whatever the vote (holes vanish in blur, never appear).

_GLYPH_HEIGHT = 40  # px of capital height the line is scaled to (Tesseract's comfortable size)
_DOUBT_RATIO = 0.5  # a cell is doubtful when its runner-up scores more than this share of the winner
_HOLES: dict[str, int] = {c: 1 for c in "0ODPQRA469"} | {"8": 2, "B": 2}
_Cell = tuple[int, int, int, int]  # left, top, right, bottom in line pixels


@dataclass(frozen=True)
class EphotoLine:
    """The code read glyph by glyph: the code and the positions (0-based) a human should check."""

    code: str
    doubtful: tuple[int, ...] = ()


@dataclass(frozen=True)
class _Symbol:
    """One character Tesseract reported: its box centre (line pixels) and its alternatives (char, 0–1)."""

    centre: float
    choices: tuple[tuple[str, float], ...]


def _line_image(image: Image, box: Box) -> tuple[Any, Box] | None:
    """The grey crop around the code's words scaled to a capital height of ``_GLYPH_HEIGHT``, and the
    words' box in its pixels."""
    pad_x, pad_y = max(4, box.height), max(3, box.height // 2)
    x0, y0 = max(0, box.left - pad_x), max(0, box.top - pad_y)
    x1 = min(image.shape[1], box.left + box.width + pad_x)
    y1 = min(image.shape[0], box.top + box.height + pad_y)
    if x1 - x0 < 8 or y1 - y0 < 6 or box.height <= 0:
        return None
    crop = _grey_crop(image[y0:y1, x0:x1])
    scale = min(8.0, max(0.5, _GLYPH_HEIGHT / box.height))
    line = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    band = Box(
        round((box.left - x0) * scale),
        round((box.top - y0) * scale),
        round(box.width * scale),
        round(box.height * scale),
    )
    return line, band


def _ink(grey: Any) -> Any:
    """Ink as 255 on 0: Otsu on a lightly smoothed line (noise specks would otherwise count as glyphs)."""
    smooth = cv2.GaussianBlur(grey, (3, 3), 0)
    _level, ink = cv2.threshold(smooth, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return ink


def _bridge(ink: Any, height: int) -> Any:
    """Ink with thin horizontal gaps closed: a fax's white streaks cut glyphs into top and bottom halves."""
    size = max(3, round(0.12 * height)) | 1
    return cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((size, 1), np.uint8))


def segment_glyphs(ink: Any, band: Box, expected: int = EXPECTED_LENGTH) -> list[_Cell] | None:
    """The ``expected`` glyph cells of the code line in ``ink`` (the words' ``band``), left to right, or None.

    Components that sit on the band and are at least ~half its height are glyphs (dots, dashes between
    groups and specks are not); pieces of one broken glyph that overlap in x are merged; a component about
    n pitches wide is n touching glyphs (monospace print). None when the count is not ``expected``: a
    wrong cut would shift every vote."""
    count, _labels, stats, _centroids = cv2.connectedComponentsWithStats(
        _bridge(ink, band.height), connectivity=8
    )
    band_top, band_bottom = band.top, band.top + band.height
    parts: list[list[int]] = []
    for i in range(1, count):
        x, y, w, h = (int(v) for v in stats[i][:4])
        overlap = min(y + h, band_bottom) - max(y, band_top)
        if h < 0.45 * band.height or overlap < 0.5 * h or h > 2.2 * band.height or w > 4 * band.height:
            continue
        parts.append([x, y, x + w, y + h])
    if len(parts) < expected // 2:
        return None
    parts.sort()
    merged: list[list[int]] = []
    for part in parts:
        if merged:
            last = merged[-1]
            shared = min(last[2], part[2]) - max(last[0], part[0])
            if shared > 0.5 * min(last[2] - last[0], part[2] - part[0]):
                last[:] = [
                    min(last[0], part[0]),
                    min(last[1], part[1]),
                    max(last[2], part[2]),
                    max(last[3], part[3]),
                ]
                continue
        merged.append(part)
    steps = sorted(b[0] + b[2] - a[0] - a[2] for a, b in itertools.pairwise(merged))
    if not steps:
        return None
    # the lower quartile of the centre steps is one pitch: group spaces and merged pairs only lengthen
    # steps, and they can be half of them in a grouped code ('ABCD EFGH')
    quartile = steps[len(steps) // 4]
    near = [s for s in steps if 0.75 * quartile <= s <= 1.25 * quartile]
    pitch = sum(near) / len(near) / 2 if near else quartile / 2
    if pitch <= 0:
        return None
    cells: list[_Cell] = []
    for x0, y0, x1, y1 in merged:
        n = max(1, round((x1 - x0) / pitch - 0.2))
        for k in range(n):
            cells.append((round(x0 + k * (x1 - x0) / n), y0, round(x0 + (k + 1) * (x1 - x0) / n), y1))
    return cells if len(cells) == expected else None


_BORDER = 12  # px of white framed around each rendering of the line
_RIVAL_SHARE = 0.45  # an alternative this close to its rendering's first choice makes a cell doubtful


def _renderings(line: Any) -> list[tuple[Any, float]]:
    """The line in renderings whose OCR errors differ, each with its scale to the line: stretched grey and
    Otsu black on white at the working size, and the grey at three quarters of it (the LSTM's slips
    depend on the glyph size, so a slip that is not in the other readings shows as a disagreement).
    (A rendering with a fax's white streaks closed helped faxes but cost more on photos; the streaks are
    closed for the glyph cut only, see ``segment_glyphs``.)"""
    lo, hi = np.percentile(line, 2), np.percentile(line, 98)
    scaled = (line.astype(np.float32) - lo) * 255.0 / max(1.0, float(hi - lo))
    grey = np.clip(scaled, 0, 255).astype(np.uint8)
    ink = _ink(grey)
    small = cv2.resize(grey, None, fx=0.75, fy=0.75, interpolation=cv2.INTER_AREA)
    frame = _BORDER
    return [
        (cv2.copyMakeBorder(x, frame, frame, frame, frame, cv2.BORDER_CONSTANT, value=255), k)
        for x, k in ((grey, 1.0), (255 - ink, 1.0), (small, 0.75))
    ]


def _contested(char: str, tops: set[str], rivals: Mapping[str, float], holes: int) -> bool:
    """Whether a cell's reading is in doubt although the summed vote is clear: the renderings' first
    choices differ, or one of them ranked a look-alike close behind (an S with a 5 at 0.4 of it). A rival
    that needs a hole the glyph does not have, or has none where the glyph has one, does not count."""
    if len(tops) > 1:
        return True
    for rival, share in rivals.items():
        if share < _RIVAL_SHARE or rival == char:
            continue
        if holes and rival not in _HOLES:
            continue
        return True
    return False


def _read_symbols(line: Any) -> list[_Symbol]:
    """Tesseract's characters on one line with their alternatives, restricted to the code's alphabet."""
    from preverif.ocr import tesseract

    config = f"-c tessedit_char_whitelist={_WHITELIST} -c lstm_choice_mode=2"
    return [_Symbol(s.centre_x, s.choices) for s in tesseract.ocr_symbols(line, "eng", 7, config)]


def _holes(ink: Any, cell: _Cell) -> tuple[int, bool]:
    """Closed holes in a glyph cell's ink (big enough to be a counter, not a noise pore) and whether one
    holds a mark floating inside (a dotted or slashed zero; a mark that touches the ring splits its hole
    in two instead, which the caller reads as a mark only for a glyph already read O or 0)."""
    holes, marked, _high = _hole_shape(ink, cell)
    return holes, marked


def _hole_shape(ink: Any, cell: _Cell) -> tuple[int, bool, bool]:
    """``_holes`` and whether the glyph's biggest hole sits in its upper part only (a 9's or a P's bowl,
    never an O's, a 0's or a D's ring, which spans the glyph's middle)."""
    x0, y0, x1, y1 = cell
    glyph = ink[y0:y1, max(0, x0 - 1) : x1 + 1]
    if glyph.size == 0:
        return 0, False, False
    contours, hierarchy = cv2.findContours(glyph, cv2.RETR_TREE, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return 0, False, False
    tree = hierarchy[0]
    ys = np.nonzero(glyph.any(axis=1))[0]
    top, h = (int(ys[0]), int(ys[-1] - ys[0] + 1)) if len(ys) else (0, y1 - y0)
    holes, marked, biggest, high = 0, False, 0.0, False
    for i, contour in enumerate(contours):
        parent = tree[i][3]
        if parent == -1 or tree[parent][3] != -1:
            continue  # a hole is the child of an outer contour
        area = cv2.contourArea(contour)
        if area > 0.015 * (y1 - y0) ** 2:
            holes += 1
            marked = marked or tree[i][2] != -1
            if area > biggest:
                _x, hy, _w, hh = cv2.boundingRect(contour)
                biggest = area
                high = (hy + hh) - top < 0.62 * h  # the hole ends above the lower third
    return holes, marked, high


_DRIFTS = tuple(0.93 + 0.01 * k for k in range(15))  # symbol pitch over glyph pitch tried by ``_align``


def _align(symbols: Sequence[_Symbol], cells: Sequence[_Cell], offset: float) -> list[list[_Symbol]]:
    """Tesseract's characters given to the glyph cells in reading order (an edit-distance alignment on
    the x positions): a split glyph gives two characters to one cell, a missed glyph leaves its cell empty.

    The LSTM engine's symbol boxes are approximate: on a long line their pitch may drift a few per cent
    from the print's (a fax line of 22 glyphs read one pitch too far by its end), which would shift every
    later character into its neighbour's cell. So the alignment is made under a few stretches of the
    symbols' positions (anchored at the first cell) and the cheapest one kept.
    """
    if not symbols or not cells:
        return [[] for _ in cells]
    anchor = (cells[0][0] + cells[0][2]) / 2
    best: tuple[float, list[list[_Symbol]]] | None = None
    for drift in _DRIFTS:
        stretched = [_Symbol(anchor + (s.centre - offset - anchor) / drift, s.choices) for s in symbols]
        cost, out = _align_at(stretched, cells)
        if best is None or cost < best[0] - 1e-9 or (abs(cost - best[0]) <= 1e-9 and drift == 1.0):
            best = (cost, out)
    return best[1] if best is not None else [[] for _ in cells]


def _align_at(symbols: Sequence[_Symbol], cells: Sequence[_Cell]) -> tuple[float, list[list[_Symbol]]]:
    """``_align`` for symbols already in cell pixels: the alignment's cost and the characters per cell."""
    offset = 0.0
    pitch = max(1.0, (cells[-1][2] - cells[0][0]) / len(cells))
    centres = [(c[0] + c[2]) / 2 for c in cells]
    m, n = len(symbols), len(cells)
    inf = float("inf")
    # cost[j][i]: best cost with the first j symbols placed and the first i cells used
    cost = [[inf] * (n + 1) for _ in range(m + 1)]
    move: list[list[int]] = [[0] * (n + 1) for _ in range(m + 1)]
    cost[0][0] = 0.0
    for j in range(m + 1):
        for i in range(n + 1):
            here = cost[j][i]
            if here == inf:
                continue
            if i < n and here + 1.0 < cost[j][i + 1]:  # cell i gets nothing (yet)
                cost[j][i + 1], move[j][i + 1] = here + 1.0, 1
            if j < m and i < n:
                step = here + (abs(symbols[j].centre - offset - centres[i]) / pitch) ** 2
                if step < cost[j + 1][i + 1]:
                    cost[j + 1][i + 1], move[j + 1][i + 1] = step, 2
            if j < m and i > 0 and move[j][i] in (2, 3):  # one more character in the same cell
                step = here + 0.5 + (abs(symbols[j].centre - offset - centres[i - 1]) / pitch) ** 2
                if step < cost[j + 1][i]:
                    cost[j + 1][i], move[j + 1][i] = step, 3
    out: list[list[_Symbol]] = [[] for _ in cells]
    total = cost[m][n]
    j, i = m, n
    while j > 0 or i > 0:
        kind = move[j][i]
        if kind == 1:
            i -= 1
        elif kind == 2:
            out[i - 1].append(symbols[j - 1])
            j, i = j - 1, i - 1
        elif kind == 3:
            out[i - 1].append(symbols[j - 1])
            j -= 1
        else:
            break
    return total, out


def _shape_verdict(glyph: Any, group: str) -> str | None:
    """Which of a look-alike group ('S53', 'B8', 'I1', 'D0', 'UV') the glyph's ink (255 on 0) shows, from traits
    most print fonts share, or None when it is not clear-cut: a 3 is open on the left of its upper half; a 5
    has a square top-left corner where an S is round; a B (and a D) has a straight left stem and square corners where an 8 (a 0) curves; a 1 has a flag
    to the left of its top and none to the right, where an I is symmetric (serifs) or plain; a U's sides
    stand upright where a V's close in."""
    ys, xs = np.nonzero(glyph)
    if len(xs) < 10:
        return None
    g = glyph[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1] > 0
    h, w = g.shape
    if h < 12 or w < 3:
        return None
    corner = float(g[: max(1, round(0.2 * h)), : max(1, round(0.25 * w))].mean())
    if group == "S53":
        lefts = [int(np.argmax(row)) for row in g[round(0.25 * h) : round(0.45 * h)] if row.any()]
        if not lefts:
            return None
        opening = max(lefts) / w  # a 3 is open on the left of its upper half, S and 5 are not
        if opening >= 0.4:
            return "3"
        if opening > 0.2:
            return None
        return "5" if corner >= 0.68 else "S" if corner <= 0.5 else None
    if group in ("B8", "D0"):
        rows = [r for r in range(round(0.15 * h), round(0.85 * h)) if g[r].any()]
        if len(rows) < 4:
            return None
        lefts = [int(np.argmax(g[r])) for r in rows]
        stem = (max(lefts) - min(lefts)) / w
        if stem <= 0.05 and corner >= 0.78:
            return group[0]
        return group[1] if stem >= 0.08 else None
    if group == "UV":
        lefts = [int(np.argmax(g[r])) for r in range(round(0.1 * h), round(0.6 * h)) if g[r].any()]
        if len(lefts) < 4:
            return None
        slant = (max(lefts) - min(lefts)) / w  # a U's sides stand upright, a V's close in
        return "U" if slant <= 0.08 else "V" if slant >= 0.18 else None
    if group == "I1":
        middle = np.nonzero(g[round(0.35 * h) : round(0.75 * h)].any(axis=0))[0]
        top = np.nonzero(g[: max(1, round(0.22 * h))].any(axis=0))[0]
        if len(middle) == 0 or len(top) == 0:
            return None
        skew = ((middle.min() - top.min()) - (top.max() - middle.max())) / w
        return "1" if skew >= 0.2 else "I" if abs(skew) <= 0.12 else None
    return None


_GROUPS = {
    "U": "UV",
    "V": "UV",
    "S": "S53",
    "5": "S53",
    "3": "S53",
    "B": "B8",
    "8": "B8",
    "I": "I1",
    "1": "I1",
    "D": "D0",
    "0": "D0",
    "O": "D0",
}


def read_code_line(image: Image | None, box: Box, expected: int = EXPECTED_LENGTH) -> EphotoLine | None:
    """The code in ``box`` (image pixels) read glyph by glyph, or None when the line does not cut into
    ``expected`` glyphs or a glyph got no reading at all."""
    try:
        return _read_code_line(image, box, expected)
    except (PreverifError, cv2.error, ValueError, RuntimeError, TypeError, IndexError):
        return None


def _read_code_line(image: Image | None, box: Box, expected: int) -> EphotoLine | None:
    if image is None or image.size == 0:
        return None
    prepared = _line_image(image, box)
    if prepared is None:
        return None
    line, band = prepared
    ink = _ink(line)
    cells = segment_glyphs(ink, band, expected)
    if cells is None:
        return None
    heights = sorted(c[3] - c[1] for c in cells)
    factor = _GLYPH_HEIGHT / max(1, heights[len(heights) // 2])
    if not 0.8 <= factor <= 1.25:  # the words' box was taller than the glyphs (a tilted line)
        line = cv2.resize(line, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
        band = Box(*(round(v * factor) for v in (band.left, band.top, band.width, band.height)))
        ink = _ink(line)
        cells = segment_glyphs(ink, band, expected)
        if cells is None:
            return None
    scores: list[dict[str, float]] = [{} for _ in cells]
    tops: list[set[str]] = [set() for _ in cells]  # each rendering's first choice for the cell
    rivals: list[dict[str, float]] = [{} for _ in cells]  # alternatives, as a share of their rendering's top
    for rendering, scale in _renderings(line):
        symbols = [
            _Symbol((s.centre - _BORDER) / scale + _BORDER, s.choices) for s in _read_symbols(rendering)
        ]
        by_cell = _align(symbols, cells, offset=_BORDER)
        for i, found in enumerate(by_cell):
            for symbol in found:
                for char, conf in symbol.choices:
                    scores[i][char] = scores[i].get(char, 0.0) + conf / len(found)
            if len(found) == 1 and found[0].choices:
                (first, best), *others = found[0].choices
                tops[i].add(first)
                for char, conf in others:
                    rivals[i][char] = max(rivals[i].get(char, 0.0), conf / max(best, 1e-6))
    shapes = [_hole_shape(ink, cell) for cell in cells]
    rings = [(count, marked) for count, marked, _high in shapes]
    marked_zeros = any(
        marked or count >= 2
        for (count, marked), sc in zip(rings, scores, strict=True)
        if sc and max(sc.items(), key=lambda kv: kv[1])[0] in ("O", "0")
    )
    code: list[str] = []
    doubtful: list[int] = []
    for i, (cell, cell_scores, (holes, marked)) in enumerate(zip(cells, scores, rings, strict=True)):
        if not cell_scores:
            return None
        ranked = sorted(cell_scores.items(), key=lambda kv: (-kv[1], kv[0]))
        if holes:
            fits = [kv for kv in ranked if kv[0] in _HOLES]
            ranked = fits or ranked
        char, top = ranked[0]
        runner = ranked[1][1] if len(ranked) > 1 else 0.0
        group = _GROUPS.get(char)
        verdict = _shape_verdict(ink[cell[1] : cell[3], cell[0] : cell[2]], group) if group else None
        settled = False
        if char in "O0DQ" and holes == 1 and not marked and shapes[i][2]:
            # one plain bowl in the upper part only is a 9 or a P, whatever the reading: for a human
            code.append(char)
            doubtful.append(i)
            continue
        if char in "O0" and holes and (marked or holes >= 2):
            char, runner, verdict, settled = "0", 0.0, None, True  # a ring with a dot or slash inside
        elif char in "O0" and holes == 1 and marked_zeros:
            char, runner, verdict, settled = "O", 0.0, None, True  # the print marks its zeros, not this ring
        elif char in "O0" and holes == 1:
            runner, verdict = top, None  # a plain ring and no marked zero to compare with: O or 0?
        if verdict is not None and not (verdict == "0" and char in "O0"):
            # the shape only tells the group's members apart: the doubt that is left is a reading
            # outside the group (a J read as 1), or a verdict Tesseract never offered
            outside = [v for c, v in cell_scores.items() if c not in (group or "")]
            runner = max(outside, default=0.0) if verdict in cell_scores else top
            char, settled = verdict, verdict in cell_scores
        code.append(char)
        if runner > _DOUBT_RATIO * top or (not settled and _contested(char, tops[i], rivals[i], holes)):
            doubtful.append(i)
    return EphotoLine("".join(code), tuple(doubtful))


_PROSE = re.compile(r"[a-zà-ÿ]{2}")


def _glyph_row_near(image: Image, label: Box, words: Sequence[Word] = ()) -> Box | None:
    """The box of a row of ~22 glyph-sized ink blobs on the label's line (right of it) or on the next
    lines, for a code the page OCR did not read as text at all (a fax, a 150-dpi scan).

    The words the OCR did read as prose (lower-case letters: the label, 'Date de prise de vue') are
    blanked first, so that the label's own line cannot pass for the code. Each row's glyph size is its
    own (a code is often printed larger than its label), and its glyph count comes from its pitch: at
    low resolution neighbouring glyphs touch and make one blob."""
    h = max(6, label.height)
    height, width = image.shape[:2]
    x0, y0 = max(0, label.left - 4 * h), max(0, label.top - h // 2)
    x1, y1 = width, min(height, label.top + label.height + 6 * h)
    if x1 - x0 < 4 * h or y1 - y0 < h:
        return None
    grey = _grey_crop(image[y0:y1, x0:x1]).copy()
    for word in words:
        b = word.box
        if _PROSE.search(word.text) or _is_label_word(word.text):
            grey[
                max(0, b.top - y0) : max(0, b.top + b.height - y0),
                max(0, b.left - x0) : max(0, b.left + b.width - x0),
            ] = 255
    ink = _bridge(_ink(grey), h)
    count, _labels, stats, _centroids = cv2.connectedComponentsWithStats(ink, connectivity=8)
    blobs = [
        tuple(int(v) for v in stats[i][:4])
        for i in range(1, count)
        if 0.4 * h <= stats[i][3] <= 3.0 * h and stats[i][2] <= 4 * stats[i][3]
    ]
    rows: list[list[tuple[int, ...]]] = []
    for blob in sorted(blobs, key=lambda b: b[1] + b[3] / 2):
        centre = blob[1] + blob[3] / 2
        if rows and abs(rows[-1][-1][1] + rows[-1][-1][3] / 2 - centre) < 0.3 * max(blob[3], rows[-1][-1][3]):
            rows[-1].append(blob)
        else:
            rows.append([blob])
    for row in rows:  # top to bottom: the label's own line first, then the next ones
        tall = sorted(b[3] for b in row)[len(row) // 2]
        glyphs = sorted(b for b in row if b[3] >= 0.7 * tall)
        if len(glyphs) < 4:
            continue
        run = _steady_run(glyphs)
        if run is None:
            continue
        # the band is the glyphs' usual top and bottom: a fax's vertical streak or a stray mark that
        # touches one glyph must not stretch it (the line is scaled to its height)
        left, right = min(b[0] for b in run), max(b[0] + b[2] for b in run)
        top = sorted(b[1] for b in run)[len(run) // 2]
        bottom = sorted(b[1] + b[3] for b in run)[len(run) // 2]
        return Box(x0 + left, y0 + top, right - left, bottom - top)
    return None


def _steady_run(glyphs: Sequence[tuple[int, ...]]) -> list[tuple[int, ...]] | None:
    """The longest run of blobs (left to right) without a gap of over three pitches, when it holds about
    ``EXPECTED_LENGTH`` glyphs at its pitch (a blob two pitches wide is two touching glyphs)."""
    steps = sorted(b[0] + b[2] / 2 - a[0] - a[2] / 2 for a, b in itertools.pairwise(glyphs))
    widths = sorted(b[2] for b in glyphs)
    pitch = min(steps[len(steps) // 4], 1.6 * widths[len(widths) // 2])
    if pitch <= 0:
        return None
    runs: list[list[tuple[int, ...]]] = [[glyphs[0]]]
    for a, b in itertools.pairwise(glyphs):
        if b[0] - (a[0] + a[2]) > 3 * pitch:
            runs.append([])
        runs[-1].append(b)

    def glyph_count(blobs: list[tuple[int, ...]]) -> int:
        return sum(max(1, round(b[2] / pitch - 0.2)) for b in blobs)

    run = max(runs, key=glyph_count)
    return run if EXPECTED_LENGTH - 3 <= glyph_count(run) <= EXPECTED_LENGTH + 3 else None


def reread_code_line(image: Image | None, text: PageText) -> EphotoLine | None:
    """The e-photo code re-read on the full-resolution page with its doubtful positions, or None when the
    page shows no code.

    Run by the read stage, the only one that holds the full page: later stages get a thumbnail on which
    the code is about 10 px high. The code's own words are cut into glyphs and read glyph by glyph
    (``read_code_line``). When the line does not cut into 22 glyphs (a proportional font, touching print,
    a broken scan), the older whole-line re-reads are voted with the page OCR on O/0 and I/1
    (``reconcile_code``) and O/0 settled by a dotted or slashed zero (``settle_zeros``); the positions that
    vote could not settle are the doubtful ones. ``text`` word boxes must be in ``image`` pixels."""
    try:
        if image is None or image.size == 0:
            return None
        found = find_ephoto_code(text.lines)
        if found is None:
            labels = [w.box for w in text.words if _is_label_word(w.text)]
            for label in labels[:4]:
                row = _glyph_row_near(image, label, text.words)
                line = read_code_line(image, row) if row is not None else None
                if line is not None and row is not None:
                    return _with_coarse_doubt(line, image, row)
            code = _reread_label_regions(image, labels)
            return EphotoLine(code, _twin_positions(code)) if code else None
        box = _code_words_box(text.words, found)
        if box is None:
            return EphotoLine(found, _twin_positions(found))
        if len(found) in range(EXPECTED_LENGTH - 2, EXPECTED_LENGTH + 3):
            line = read_code_line(image, box)
            if line is not None:
                return _with_coarse_doubt(line, image, box)
        readings = [c for r in _crop_readings(image, box) for c in (_candidates(r) or [r])]
        reading = reconcile_code(found, readings)
        code = settle_zeros(reading.code, _glyph_rings(image, box, len(reading.code)))
        settled = {i for i, (a, b) in enumerate(zip(code, reading.code, strict=True)) if a != b}
        return _with_coarse_doubt(
            EphotoLine(code, tuple(i for i in reading.ambiguous if i not in settled)), image, box
        )
    except (PreverifError, cv2.error, ValueError, RuntimeError, TypeError, AttributeError, IndexError):
        return None


# characters a glyph of a few real pixel rows cannot tell from their look-alikes, whatever the vote
_COARSE_TWINS = frozenset("0OQD9" + "1IL" + "5S" + "6G" + "8B" + "2Z" + "4A" + "UV")


def half_height_rows(grey: Image) -> bool:
    """Whether the image's rows come in identical pairs: a fax in standard mode scans 98 lines per inch
    against 204 dots across, and its page is stored with each line twice. Its glyphs then have half the
    rows they seem to: a 6 and a G, a 1 and an L differ by a pixel that was never scanned."""
    if grey is None or grey.ndim != 2 or grey.shape[0] < 8 or grey.shape[1] < 4:
        return False
    same = np.all(grey[1:] == grey[:-1], axis=1)
    first, second = float(same[0::2].mean()), float(same[1::2].mean())
    return max(first, second) >= 0.9 and min(first, second) <= 0.6


def _with_coarse_doubt(line: EphotoLine, image: Image, box: Box) -> EphotoLine:
    """The line with every look-alike character doubtful when the code was printed on a fax's half rows:
    the votes there agree on the wrong twin as readily as on the right one, and no check digit tells."""
    try:
        crop = _grey_crop(
            image[max(0, box.top) : box.top + box.height, max(0, box.left) : box.left + box.width]
        )
    except (cv2.error, ValueError, TypeError, IndexError):
        return line
    if not half_height_rows(crop):
        return line
    coarse = {i for i, char in enumerate(line.code) if char in _COARSE_TWINS}
    return EphotoLine(line.code, tuple(sorted(set(line.doubtful) | coarse)))


def _twin_positions(code: str) -> tuple[int, ...]:
    """Where a code read without any cross-check holds a character with a look-alike (O/0, I/1…)."""
    return tuple(i for i, c in enumerate(code) if c in "O0I1S5B8G6Z2")


def reread_code_full(image: Image | None, text: PageText) -> str | None:
    """The e-photo code re-read on the full-resolution page, or None (see ``reread_code_line``)."""
    line = reread_code_line(image, text)
    return line.code if line is not None else None


_LABEL_HINT = re.compile(
    r"e\W?ph[o0]t[o0]|ph[o0]t[o0]\W?signature|c[o0]de\W+ants|services en ligne ants", re.IGNORECASE
)


def has_ephoto_label(text: str) -> bool:
    """Whether a page's text shows an e-photo label: the cheap test before any re-read."""
    return isinstance(text, str) and _LABEL_HINT.search(text) is not None


def reread_page_codes(image: Image | None, text: PageText) -> dict[str, str]:
    """The codes the read stage re-reads on the full-resolution page, for ``Page.codes``: 'ephoto' (the
    code) and, when some of its characters stay uncertain, 'ephoto_doubtful' (their 0-based positions,
    comma-separated, for the report to ask a human to check them)."""
    try:
        if not has_ephoto_label(text.text):
            return {}
    except (TypeError, AttributeError):
        return {}
    line = reread_code_line(image, text)
    if line is None or not line.code:
        return {}
    codes = {"ephoto": line.code}
    if line.doubtful:
        codes["ephoto_doubtful"] = ",".join(str(i) for i in line.doubtful)
    return codes


def _doubtful_positions(value: object, length: int) -> tuple[int, ...]:
    """The stored 'ephoto_doubtful' positions, tolerant of junk (an older cache, a hand-edited file)."""
    if not isinstance(value, str):
        return ()
    out = {int(x) for x in value.split(",") if x.strip().isdigit()}
    return tuple(sorted(i for i in out if i < length))


def read_ephoto_code(pages: Sequence[Page], lines: Sequence[str]) -> EphotoReading | None:
    """The e-photo code with the positions still uncertain: the page reading, its O/0 and I/1 settled by
    targeted re-reads of the code's own words; when the page text holds no code, a re-read next to its
    label. The report should ask the user to check the code by hand when ``ambiguous`` is not empty."""
    for page in pages:
        codes = page.codes if isinstance(page.codes, Mapping) else {}
        full = codes.get("ephoto")
        if isinstance(full, str) and 20 <= len(full) <= 24:
            return EphotoReading(full, _doubtful_positions(codes.get("ephoto_doubtful"), len(full)))
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


def mark_doubtful(code: str, doubtful: Sequence[int]) -> str:
    """The code with each uncertain character in brackets ('0EPC[Q]M…'), for a person to check on the sheet."""
    marked = set(doubtful)
    return "".join(f"[{char}]" if k in marked else char for k, char in enumerate(code))


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
