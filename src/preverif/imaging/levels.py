"""Grey-level statistics and mappings of uint8 pages without full-page float copies.

``np.percentile`` and float arithmetic on a 300-dpi A4 page (8.7 megapixels) make float64/float32 copies of
35–70 MB each, and those copies were a worker's memory peak. A page has only 256 grey levels: percentiles
come exactly from its histogram and per-pixel mappings from a 256-entry table, with the same results.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from preverif.records import Image


def grey_histogram(grey: Image) -> np.ndarray:
    """The 256 grey-level counts of a uint8 image (int64).

    OpenCV counts in float32, exact below 2**24 pixels; a larger page is counted by numpy instead."""
    if grey.size >= 1 << 24:
        return np.bincount(grey.ravel(), minlength=256).astype(np.int64)
    return cv2.calcHist([np.ascontiguousarray(grey)], [0], None, [256], [0, 256]).ravel().astype(np.int64)


def grey_percentiles(grey: Image, percents: Sequence[float], counts: np.ndarray | None = None) -> list[float]:
    """Exactly ``np.percentile(grey, percents)`` (linear interpolation) for a 2-D uint8 image.

    ``counts`` is ``grey_histogram(grey)`` when the caller has it already (one pass over the page saved)."""
    if grey.dtype != np.uint8 or grey.ndim != 2 or grey.size == 0:
        return [float(v) for v in np.percentile(grey, list(percents))] if grey.size else [0.0] * len(percents)
    if counts is None:
        counts = grey_histogram(grey)
    cumulative = np.cumsum(counts)
    n = int(cumulative[-1])
    values: list[float] = []
    for p in percents:
        rank = p / 100.0 * (n - 1)
        low = int(np.floor(rank))
        high = min(low + 1, n - 1)
        # the k-th smallest value (0-based) is the first level whose cumulative count exceeds k
        v_low = int(np.searchsorted(cumulative, low, side="right"))
        v_high = int(np.searchsorted(cumulative, high, side="right"))
        # numpy's own interpolation, from the nearer end, so that the result is numpy's to the last bit
        weight = rank - low
        step = float(v_high - v_low)
        values.append(v_high - step * (1 - weight) if weight >= 0.5 else v_low + step * weight)
    return values


def map_levels(grey: Image, table: np.ndarray) -> Image:
    """Each grey level replaced through a 256-entry uint8 table (one pass, no float copy)."""
    return np.ascontiguousarray(cv2.LUT(np.ascontiguousarray(grey), table.astype(np.uint8)))


def mean_and_std(grey: Image) -> tuple[float, float]:
    """Mean and (population) standard deviation of the grey levels, without a float64 copy of the page."""
    mean, std = cv2.meanStdDev(np.ascontiguousarray(grey))
    return float(mean[0][0]), float(std[0][0])
