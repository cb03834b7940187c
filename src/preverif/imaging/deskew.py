"""Small-angle deskew (≤ 10°): the angle at which the ink's row profile is sharpest is the text-line angle.

Projecting a sample of ink pixels along candidate angles is much cheaper than rotating the image for
each candidate, and it is robust to pictures and stamps (they blur every profile alike).
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from preverif.records import Image

MAX_ANGLE = 10.0
WORK_LONG_SIDE = 1000
MAX_POINTS = 60_000


# how far a pixel's luminance may sit above its darkest channel before it counts as coloured ink: a tinted
# scan, JPEG chroma noise and a photo's skin stay under it; a yellow or orange heading is 150 and more above
COLOURED_INK_MARGIN = 80
_PLUS_MARGIN = np.minimum(np.arange(256) + COLOURED_INK_MARGIN, 255).astype(np.uint8)


def to_grey(image: Image) -> Image:
    """uint8 grey from grey or BGR (the one conversion imaging and the read stage share).

    Luminance, except for strongly coloured pixels, which take their darkest channel plus a margin: plain
    luminance renders a bill's yellow or orange heading ('Facture émise le …' in the issuer's colour) nearly as
    light as the paper, and OCR loses it. Neutral, tinted and ordinary dark pixels keep their luminance.
    """
    if image.ndim != 3:
        return image
    colour = np.ascontiguousarray(image[:, :, :3])
    luminance: Image = np.ascontiguousarray(cv2.cvtColor(colour, cv2.COLOR_BGR2GRAY), dtype=np.uint8)
    # two grey planes at most besides the colour page (a phone photo's plane is 12 MB): worked in place
    darkest = np.ascontiguousarray(
        cv2.reduce(colour.reshape(-1, 3), 1, cv2.REDUCE_MIN).reshape(luminance.shape)
    )
    cv2.LUT(darkest, _PLUS_MARGIN, dst=darkest)
    cv2.min(luminance, darkest, dst=luminance)
    return luminance


def _ink_points(grey: Image) -> tuple[np.ndarray, np.ndarray] | None:
    scale = min(1.0, WORK_LONG_SIDE / max(grey.shape[:2]))
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else grey
    binary = cv2.adaptiveThreshold(small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)
    ys, xs = np.nonzero(binary)
    if xs.size < 200:
        return None
    if xs.size > MAX_POINTS:
        pick = np.random.default_rng(0).choice(xs.size, MAX_POINTS, replace=False)
        xs, ys = xs[pick], ys[pick]
    return xs.astype(np.float64), ys.astype(np.float64)


def _sharpness(xs: np.ndarray, ys: np.ndarray, angle: float) -> float:
    """Sum of squared profile differences when ink is projected along ``angle`` (degrees, counter-clockwise)."""
    theta = math.radians(angle)
    # a line rotated counter-clockwise by theta has y + x·tan(theta) constant
    proj = ys * math.cos(theta) + xs * math.sin(theta)
    lo = proj.min()
    hist = np.bincount((proj - lo).astype(np.int64))
    diff = np.diff(hist.astype(np.float64))
    return float((diff * diff).sum())


def estimate_skew(image: Image) -> float:
    """The angle (degrees, counter-clockwise positive, |angle| ≤ 10) by which the text lines are tilted."""
    points = _ink_points(to_grey(image))
    if points is None:
        return 0.0
    xs, ys = points
    coarse = np.arange(-MAX_ANGLE, MAX_ANGLE + 0.01, 0.5)
    best = max(coarse, key=lambda a: _sharpness(xs, ys, float(a)))
    fine = np.arange(best - 0.5, best + 0.51, 0.05)
    refined = max(fine, key=lambda a: _sharpness(xs, ys, float(a)))
    return round(float(refined), 2)


def deskew(image: Image, angle: float) -> Image:
    """Rotate by ``-angle`` about the centre, keeping the size; uncovered corners become white paper."""
    if abs(angle) < 0.05:
        return image
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2.0, height / 2.0), -angle, 1.0)
    border = (255, 255, 255) if image.ndim == 3 else 255
    rotated = cv2.warpAffine(
        image,
        matrix,
        (width, height),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=border,
    )
    return np.ascontiguousarray(rotated)


AXIS_RATIO = 1.5
LINE_ELONGATION = 8  # length / thickness of a smeared blob that counts as a text line
MIN_LINE_THICKNESS = 4
AXIS_LONG_SIDE = 1200


def _line_blobs(binary: Image, horizontal: bool) -> float:
    """Total length of text-line-like blobs once letters are smeared along one direction.

    Letters of a line are a few pixels apart; smearing them along the line's direction joins them into long
    thin blobs, while smearing across lines joins nothing of that shape. Photos and logos are big blobs of
    neither shape and count for nothing.
    """
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (15, 1) if horizontal else (1, 15))
    smeared = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, kernel)
    _, _, stats, _ = cv2.connectedComponentsWithStats(smeared, connectivity=8)
    widths, heights = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]
    along, across = (widths, heights) if horizontal else (heights, widths)
    # a line is many letters long; a column of a monospaced grid (an MRZ) is only as tall as its rows;
    # edge to edge is a streak or a rule, never a line of text
    limit = 0.9 * (binary.shape[1] if horizontal else binary.shape[0])
    lines = (
        (along <= limit)
        & (along >= 30)
        & (across >= MIN_LINE_THICKNESS)
        & (across <= 45)
        & (along >= LINE_ELONGATION * across)
    )
    return float(along[lines].astype(np.int64).sum())


def keep_character_marks(binary: Image) -> Image:
    """Only letter-sized ink marks: scanner shadows, page edges, rules and photos would smear into long
    blobs of their own (a shadow along the page's edge outweighs a whole card's lines of text)."""
    _, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    widths, heights = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    # thin slivers go too: fax streaks and dotted rules come as columns of dashes one or two pixels wide
    keep = (heights >= 3) & (heights <= 40) & (widths >= 3) & (widths <= 40)
    keep[0] = False
    return marks_from_labels(labels, keep)


def marks_from_labels(labels: np.ndarray, keep: np.ndarray) -> Image:
    """255 where a pixel's component is kept: one uint8 lookup per pixel, no int64 page-sized copy."""
    table = np.where(keep, 255, 0).astype(np.uint8)
    return np.ascontiguousarray(table[labels])


def text_axis(image: Image, marks: Image | None = None) -> int | None:
    """0 when text lines run horizontally, 90 when vertically (within ±10° of tilt), None when unclear.

    ``marks`` is ``keep_character_marks`` of the image's adaptive threshold when the caller has it already
    (orient.py counts the same marks); only valid for an image at most ``AXIS_LONG_SIDE`` long.
    """
    grey = to_grey(image)
    if grey.size == 0 or min(grey.shape[:2]) < 16:
        return None
    scale = min(1.0, AXIS_LONG_SIDE / max(grey.shape[:2]))
    if marks is not None and scale >= 1:
        binary = marks
    else:
        small = (
            cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else grey
        )
        binary = keep_character_marks(
            np.ascontiguousarray(
                cv2.adaptiveThreshold(small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15),
                dtype=np.uint8,
            )
        )
    rows = _line_blobs(binary, horizontal=True)
    cols = _line_blobs(binary, horizontal=False)
    if rows < 60 and cols < 60:
        return None  # no text lines to speak of (a photo, a blank page)
    if rows > AXIS_RATIO * cols:
        return 0
    if cols > AXIS_RATIO * rows:
        return 90
    return None
