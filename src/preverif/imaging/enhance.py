"""Lighting normalisation: flatten shadows and uneven lighting of phone photos, then stretch contrast.

Dividing by a background estimate (a large morphological closing removes the ink) keeps ink dark and turns
a shadowed page white again; on an evenly lit scan it reduces to a plain contrast stretch.
"""

from __future__ import annotations

import cv2
import numpy as np

from preverif.imaging.deskew import to_grey
from preverif.imaging.levels import grey_percentiles, map_levels
from preverif.records import Image

UNEVEN_SPREAD = 25.0  # grey-level spread of the background estimate that means shadows
WORK_LONG_SIDE = 600


def estimate_background(grey: Image) -> Image:
    """The paper's brightness everywhere, ink removed (closing with a kernel wider than any stroke)."""
    scale = min(1.0, WORK_LONG_SIDE / max(grey.shape[:2]))
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else grey
    size = max(15, (min(small.shape[:2]) // 20) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    closed = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel)
    closed = cv2.GaussianBlur(closed, (0, 0), size / 2)
    back = cv2.resize(closed, (grey.shape[1], grey.shape[0]), interpolation=cv2.INTER_LINEAR)
    return np.ascontiguousarray(back)


def stretch_contrast(
    grey: Image, low_pct: float = 1.0, high_pct: float = 99.0, counts: np.ndarray | None = None
) -> Image:
    """Map the 1st–99th percentiles onto 0–255 (``counts``: the page's ``grey_histogram`` if known)."""
    lo, hi = grey_percentiles(grey, [low_pct, high_pct], counts)
    if hi - lo < 10:
        return grey
    levels = (np.arange(256, dtype=np.float32) - float(lo)) * (255.0 / float(hi - lo))
    return map_levels(grey, np.clip(levels, 0, 255).astype(np.uint8))


def _divide_by_background(grey: Image, back: Image, rows: int = 256) -> Image:
    """grey / background × 255, a band of rows at a time (float copies of one band, not of the page)."""
    flat = np.empty_like(grey)
    for top in range(0, grey.shape[0], rows):
        band = grey[top : top + rows].astype(np.float32)
        ratio = band / np.maximum(back[top : top + rows].astype(np.float32), 1.0) * 255.0
        flat[top : top + rows] = np.clip(ratio, 0, 255).astype(np.uint8)
    return flat


def normalise_lighting(image: Image, counts: np.ndarray | None = None) -> Image:
    """Grey uint8 with shadows flattened (when there are any) and contrast stretched.

    ``counts`` is the grey page's ``grey_histogram`` when the caller has it (the quality measure made it)."""
    grey = to_grey(image)
    if grey.size == 0:
        return grey
    back = estimate_background(grey)
    low, high = grey_percentiles(back, [5, 95])
    if high - low > UNEVEN_SPREAD:
        grey = _divide_by_background(grey, back)
        counts = None  # another page now
    return stretch_contrast(grey, counts=counts)
