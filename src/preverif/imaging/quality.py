"""Page quality: is the picture sharp, bright and detailed enough to be read — and if not, what to tell
the candidate ('photo floue, à refaire')."""

from __future__ import annotations

import cv2
import numpy as np

from preverif.imaging.deskew import to_grey
from preverif.imaging.levels import grey_percentiles, mean_and_std
from preverif.records import Image, PageQuality

NORMAL_LONG_SIDE = 1200  # sharpness is measured at one scale so that thresholds mean the same everywhere
TILE = 48
BLUR_THRESHOLD = 400.0  # top-decile tile variance of the Laplacian below which text edges are smeared
MIN_DPI = 150
DARK_LEVEL = 70.0
INK_LEVEL = 120.0  # the darkest pixels (ink) must be darker than this, or the page is washed out
INK_PERCENTILE = 0.5
MIN_STRUCTURE = 8.0  # grey-level spread under which a page is blank, not blurred
A4_LONG_INCHES = 11.69
CARD_LONG_INCHES = 3.37
A4_RATIO = 1.414
CARD_RATIO = 1.586

MSG_BLUR = "photo floue, à refaire"
MSG_DARK = "image trop sombre"
MSG_LIGHT = "image trop claire / délavée"


def low_resolution_message(dpi: float) -> str:
    return f"résolution trop faible ({round(dpi)} dpi), numérisez à 300 dpi"


def resize_for_sharpness(grey: Image) -> Image:
    """The page at the one scale sharpness is measured at."""
    scale = NORMAL_LONG_SIDE / max(grey.shape[:2])
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    return np.asarray(cv2.resize(grey, None, fx=scale, fy=scale, interpolation=interpolation), dtype=np.uint8)


def measure_sharpness(grey: Image, work: Image | None = None) -> float:
    """Variance of the Laplacian in the most detailed tiles (text), at a fixed working size.

    ``work`` is ``resize_for_sharpness(grey)`` when the caller has that very array already."""
    if work is None:
        work = resize_for_sharpness(grey)
    lap = cv2.Laplacian(work, cv2.CV_32F, ksize=3)
    rows, cols = lap.shape[0] // TILE, lap.shape[1] // TILE
    if rows == 0 or cols == 0:
        return float(lap.var())
    tiles = lap[: rows * TILE, : cols * TILE].reshape(rows, TILE, cols, TILE).var(axis=(1, 3)).ravel()
    top = np.sort(tiles)[-max(1, tiles.size // 10) :]
    return float(top.mean())


def estimate_dpi(shape: tuple[int, ...], dpi: float) -> float:
    """The file's dpi when it gave one, else from the page size assuming an A4 page or an ID-1 card."""
    if dpi > 0:
        return dpi
    long_side, short_side = max(shape[:2]), max(1, min(shape[:2]))
    ratio = long_side / short_side
    inches = (
        CARD_LONG_INCHES
        if abs(ratio - CARD_RATIO) < abs(ratio - A4_RATIO) and ratio > 1.5
        else A4_LONG_INCHES
    )
    return long_side / inches


def measure_quality(
    image: Image,
    dpi: float,
    *,
    born_digital: bool = False,
    sharpness_work: Image | None = None,
    counts: np.ndarray | None = None,
) -> PageQuality:
    """Sharpness, resolution, brightness and contrast of a page, with the French problems they imply.

    Born-digital pages are drawn, not captured: they are never blurred nor under-resolved.
    ``sharpness_work`` is ``resize_for_sharpness`` of the image and ``counts`` its ``grey_histogram``, when the
    caller made them already.
    """
    grey = to_grey(image)
    height, width = grey.shape[:2]
    if grey.size == 0:
        return PageQuality(width=width, height=height, dpi=0.0, sharpness=0.0, brightness=0.0, contrast=0.0)
    effective = estimate_dpi(grey.shape, dpi)
    sharpness = measure_sharpness(grey, sharpness_work)
    brightness, contrast = mean_and_std(grey)
    ink = grey_percentiles(grey, [INK_PERCENTILE], counts)[0]
    problems: list[str] = []
    if not born_digital:
        if contrast > MIN_STRUCTURE and sharpness < BLUR_THRESHOLD:
            problems.append(MSG_BLUR)
        if effective < MIN_DPI:
            problems.append(low_resolution_message(effective))
    if brightness < DARK_LEVEL:
        problems.append(MSG_DARK)
    elif ink >= INK_LEVEL and MSG_BLUR not in problems:  # blur greys the ink too: say the cause once
        problems.append(MSG_LIGHT)
    return PageQuality(
        width=width,
        height=height,
        dpi=round(effective, 1),
        sharpness=round(sharpness, 1),
        brightness=round(brightness, 1),
        contrast=round(contrast, 1),
        problems=tuple(problems),
    )
