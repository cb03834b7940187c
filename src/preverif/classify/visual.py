"""Image cues for pages whose text says little: handwriting, a single portrait, a photo-booth sheet.

Heuristics over OpenCV primitives, not learned models: each returns a score in 0–1 that the scorer weighs
only when OCR found few words. They work on a downscaled copy so that a 40-megapixel phone photo costs the
same as a thumbnail.
"""

from __future__ import annotations

import math
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

from preverif.records import Image

_MAX_SIDE = 1000
_FloatArray = npt.NDArray[np.float64]


def _grey_small(image: Image, max_side: int = _MAX_SIDE) -> Image | None:
    """A grey copy at most ``max_side`` pixels wide or high; None for empty or flat images."""
    if image is None or image.size == 0 or image.ndim not in (2, 3):
        return None
    grey = image if image.ndim == 2 else cv2.cvtColor(image[:, :, :3], cv2.COLOR_BGR2GRAY)
    height, width = grey.shape[:2]
    if min(height, width) < 16:
        return None
    scale = min(1.0, max_side / max(height, width))
    if scale < 1.0:
        grey = cv2.resize(
            grey, (max(1, int(width * scale)), max(1, int(height * scale))), interpolation=cv2.INTER_AREA
        )
    if float(grey.std()) < 6.0:
        return None
    return np.ascontiguousarray(grey, dtype=np.uint8)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, x))))


# ---------------------------------------------------------------- handwriting


def _ink_components(grey: Image) -> tuple[_FloatArray, int]:
    """Stats (x, y, w, h, area) of text-sized ink components, and the page height used for the limits."""
    ink = cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)
    count, _labels, stats, _centroids = cv2.connectedComponentsWithStats(ink, connectivity=8)
    height, width = grey.shape[:2]
    if count <= 1:
        return np.zeros((0, 5)), height
    stats = stats[1:].astype(np.float64)
    w, h, area = stats[:, 2], stats[:, 3], stats[:, 4]
    keep = (h >= 5) & (h <= 0.12 * height) & (w <= 0.6 * width) & (area >= 8)
    return stats[keep], height


def detect_handwriting(image: Image) -> float:
    """0–1: how much the page's ink looks handwritten rather than machine-printed.

    Printed glyphs are separate blobs of a few fixed heights sitting on straight baselines. Handwriting joins
    letters into wide word-blobs, and its baselines wander; both cues are measured and combined.
    """
    grey = _grey_small(image, 1400)
    if grey is None:
        return 0.0
    comps, _height = _ink_components(grey)
    if len(comps) < 12:
        return 0.0
    heights = comps[:, 3]
    med_h = float(np.median(heights))
    letters = comps[heights >= 0.6 * med_h]
    if len(letters) < 8 or med_h <= 0:
        return 0.0
    wide = float((letters[:, 2] / letters[:, 3] > 1.5).mean())
    height_cv = float(np.std(letters[:, 3]) / max(1e-6, float(np.mean(letters[:, 3]))))

    # Baseline wander: group blobs into lines by vertical centre, fit a straight baseline per line.
    residuals: list[float] = []
    order = np.argsort(letters[:, 1] + letters[:, 3] / 2)
    lines: list[list[int]] = []
    last_centre = -1e9
    for idx in order:
        centre = letters[idx, 1] + letters[idx, 3] / 2
        if centre - last_centre > 0.6 * med_h or not lines:
            lines.append([])
        lines[-1].append(int(idx))
        last_centre = centre
    for line in lines:
        if len(line) < 4:
            continue
        xs = letters[line, 0] + letters[line, 2] / 2
        bottoms = letters[line, 1] + letters[line, 3]
        if float(np.ptp(xs)) <= 0:
            continue
        slope, intercept = np.polyfit(xs, bottoms, 1)
        res = np.abs(bottoms - (slope * xs + intercept))
        residuals.append(float(np.median(res)) / med_h)
    wander = float(np.median(residuals)) if residuals else 0.0

    # Printed pages measure wide≈0–0.2, height_cv≈0.15–0.2, wander≈0.02–0.04 (DejaVu/Liberation, 22–34 px);
    # script fonts and jittered writing go well beyond at least one of them.
    joined = _sigmoid(20.0 * (wide - 0.30))
    irregular = _sigmoid(20.0 * (height_cv - 0.27))
    wavy = _sigmoid(40.0 * (wander - 0.07))
    score = 1.0 - (1.0 - 0.85 * joined) * (1.0 - 0.8 * irregular) * (1.0 - 0.8 * wavy)
    return round(float(score), 3)


# ---------------------------------------------------------------- portrait and photo sheet


def _face_cascade() -> object | None:
    """OpenCV's frontal-face Haar cascade when this OpenCV build ships it (the headless wheel may not)."""
    classifier = getattr(cv2, "CascadeClassifier", None)
    data = getattr(cv2, "data", None)
    base = getattr(data, "haarcascades", None)
    if classifier is None or not isinstance(base, str):
        return None
    path = Path(base) / "haarcascade_frontalface_default.xml"
    if not path.exists():
        return None
    cascade = classifier(str(path))
    return None if cascade.empty() else cascade


def _skin_fraction(image: Image) -> float | None:
    """Share of skin-toned pixels (YCrCb box) in the central region; None for a grey image."""
    if image.ndim != 3 or image.shape[2] < 3:
        return None
    height, width = image.shape[:2]
    scale = min(1.0, 400 / max(height, width))
    small = cv2.resize(image[:, :, :3], (max(1, int(width * scale)), max(1, int(height * scale))))
    h, w = small.shape[:2]
    centre = small[h // 8 : h - h // 8, w // 6 : w - w // 6]
    if centre.size == 0:
        return None
    ycrcb = cv2.cvtColor(centre, cv2.COLOR_BGR2YCrCb)
    cr, cb, y = ycrcb[:, :, 1], ycrcb[:, :, 2], ycrcb[:, :, 0]
    skin = (cr >= 135) & (cr <= 175) & (cb >= 80) & (cb <= 128) & (y >= 50)
    return float(skin.mean())


def detect_portrait(image: Image) -> float:
    """0–1: the page is mostly one photograph of a face (not a document with a small ID photo on it).

    Uses the Haar face detector when available; otherwise photographs are told from documents by their
    continuous tones (documents are mostly white paper and black ink) and a skin-toned centre.
    """
    grey = _grey_small(image, 600)
    if grey is None:
        return 0.0
    cascade = _face_cascade()
    if cascade is not None:
        faces = cascade.detectMultiScale(grey, 1.1, 5, minSize=(24, 24))  # type: ignore[attr-defined]
        if len(faces) == 0:
            return 0.0
        area = max(int(w) * int(h) for _x, _y, w, h in faces) / float(grey.size)
        return round(min(1.0, max(0.0, (area - 0.03) / 0.12)), 3)
    midtones = float(((grey > 40) & (grey < 215)).mean())
    paper = float((grey >= 215).mean())
    tone = min(1.0, max(0.0, (midtones - 0.35) / 0.35)) * (1.0 - min(1.0, max(0.0, (paper - 0.4) / 0.3)))
    skin = _skin_fraction(image)
    if skin is None:
        return round(0.6 * tone, 3)
    skin_cue = min(1.0, max(0.0, (skin - 0.05) / 0.15)) if skin < 0.8 else 0.3
    return round(tone * (0.3 + 0.7 * skin_cue), 3)


def _tiles(grey: Image) -> list[tuple[int, int, int, int]]:
    """Bounding boxes of large non-paper rectangles (printed photos on a white sheet)."""
    mask = np.where(grey < 225, 255, 0).astype(np.uint8)
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((7, 7), np.uint8))
    contours, _ = cv2.findContours(closed, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    page = float(grey.size)
    boxes: list[tuple[int, int, int, int]] = []
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        if 0.02 * page <= w * h <= 0.45 * page and 1.0 <= h / max(1, w) <= 1.7:
            fill = float(cv2.contourArea(contour)) / float(w * h)
            if fill > 0.8:
                boxes.append((int(x), int(y), int(w), int(h)))
    return boxes


def detect_photo_grid(image: Image) -> float:
    """0–1: the page is a photo-booth/e-photo sheet, i.e. 2–6 identical portrait-shaped photos side by side."""
    grey = _grey_small(image, 900)
    if grey is None:
        return 0.0
    boxes = _tiles(grey)
    if len(boxes) < 2:
        return 0.0
    crops = []
    for x, y, w, h in boxes[:12]:
        crop = cv2.resize(grey[y : y + h, x : x + w], (24, 32), interpolation=cv2.INTER_AREA).astype(
            np.float64
        )
        crop -= crop.mean()
        norm = float(np.linalg.norm(crop))
        crops.append((crop / norm if norm > 0 else crop, w * h))
    best = 0
    for i, (a, area_a) in enumerate(crops):
        twins = sum(
            1
            for j, (b, area_b) in enumerate(crops)
            if j != i and 0.75 <= area_a / max(1, area_b) <= 1.33 and float((a * b).sum()) > 0.85
        )
        best = max(best, twins + 1)
    if best < 2:
        return 0.0
    return round(min(1.0, 0.6 + 0.2 * (best - 2)), 3)
