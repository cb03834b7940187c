"""Phone-photo rescue: find the page or card lying on a table and warp it flat, with its true aspect ratio.

Flatbed scans are left alone: a quadrilateral is only accepted when it is clearly a document on a
*different* background (darker or textured surroundings) and not just a frame printed on the page.
"""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

from preverif.imaging.deskew import to_grey
from preverif.records import Image

Quad = npt.NDArray[np.float32]  # 4×2, ordered top-left, top-right, bottom-right, bottom-left

WORK_LONG_SIDE = 800
MIN_AREA_SHARE = 0.15
MAX_AREA_SHARE = 0.97
MIN_BACKGROUND_GAP = 20.0  # grey levels between the document and what surrounds it
KNOWN_RATIOS = (1.4142, 1.5858, 1.4205)  # A4/A-series, ID-1 card (85.6×54), passport page (125×88)
RATIO_SNAP = 0.1


def order_quad(points: npt.NDArray[np.float32]) -> Quad:
    """Order four corners as top-left, top-right, bottom-right, bottom-left."""
    pts = points.reshape(4, 2).astype(np.float32)
    sums = pts.sum(axis=1)
    diffs = np.diff(pts, axis=1).ravel()
    ordered = np.array(
        [pts[np.argmin(sums)], pts[np.argmin(diffs)], pts[np.argmax(sums)], pts[np.argmax(diffs)]],
        dtype=np.float32,
    )
    return ordered


def _candidate_quads(grey: Image) -> list[npt.NDArray[np.float32]]:
    """Quadrilaterals from two views: strong edges, and the bright paper region."""
    blurred = cv2.GaussianBlur(grey, (5, 5), 0)
    edges = cv2.Canny(blurred, 40, 120)
    edges = cv2.dilate(edges, np.ones((3, 3), np.uint8), iterations=2)
    _, bright = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    quads: list[npt.NDArray[np.float32]] = []
    for mask in (edges, bright):
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:5]:
            hull = cv2.convexHull(contour)
            perimeter = cv2.arcLength(hull, True)
            for eps in (0.02, 0.04, 0.06):
                approx = cv2.approxPolyDP(hull, eps * perimeter, True)
                if len(approx) == 4 and cv2.isContourConvex(approx):
                    quads.append(approx.reshape(4, 2).astype(np.float32))
                    break
    return quads


def _touches_border(quad: Quad, shape: tuple[int, ...]) -> bool:
    """A corner on the image border: edges of the background texture or of the frame, not a whole document."""
    height, width = shape[:2]
    margin = 0.01 * max(width, height)
    xs, ys = quad[:, 0], quad[:, 1]
    return bool(
        ((xs < margin) | (xs > width - 1 - margin) | (ys < margin) | (ys > height - 1 - margin)).any()
    )


def _background_gap(grey: Image, quad: Quad) -> float:
    """Median grey inside the quad minus median grey outside it."""
    mask = np.zeros(grey.shape[:2], np.uint8)
    cv2.fillConvexPoly(mask, quad.astype(np.int32), 255)
    inside = grey[mask > 0]
    outside = grey[mask == 0]
    if inside.size == 0 or outside.size < 0.02 * grey.size:
        return 0.0
    return float(np.median(inside)) - float(np.median(outside))


def find_document_quad(image: Image) -> Quad | None:
    """The corners (in ``image`` pixels) of a document photographed on a background, or None."""
    grey = to_grey(image)
    if grey.size == 0:
        return None
    scale = min(1.0, WORK_LONG_SIDE / max(grey.shape[:2]))
    small: Image = (
        np.asarray(cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA), dtype=np.uint8)
        if scale < 1
        else grey
    )
    area = float(small.shape[0] * small.shape[1])
    best: Quad | None = None
    best_score = 0.0
    for raw in _candidate_quads(small):
        quad = order_quad(raw)
        share = cv2.contourArea(quad) / area
        if not MIN_AREA_SHARE <= share <= MAX_AREA_SHARE or _touches_border(quad, small.shape):
            continue
        gap = _background_gap(small, quad)
        if gap < MIN_BACKGROUND_GAP:
            continue
        if gap * share > best_score:
            best, best_score = quad, gap * share
    if best is None:
        return None
    return np.asarray(best / scale, dtype=np.float32)


def _target_size(quad: Quad) -> tuple[int, int]:
    tl, tr, br, bl = quad
    width = max(float(np.linalg.norm(tr - tl)), float(np.linalg.norm(br - bl)))
    height = max(float(np.linalg.norm(bl - tl)), float(np.linalg.norm(br - tr)))
    long_side, short_side = max(width, height), max(1.0, min(width, height))
    ratio = long_side / short_side
    for known in KNOWN_RATIOS:  # perspective shortens the far edge: snap to the document's real shape
        if abs(ratio - known) / known < RATIO_SNAP:
            short_side = long_side / known
            break
    if width >= height:
        return round(long_side), round(short_side)
    return round(short_side), round(long_side)


def rectify(image: Image, quad: Quad) -> Image:
    """Warp the quadrilateral ``quad`` of ``image`` onto an upright rectangle."""
    width, height = _target_size(quad)
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(quad.astype(np.float32), target)
    warped = cv2.warpPerspective(
        image, matrix, (width, height), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
    )
    return np.ascontiguousarray(warped)
