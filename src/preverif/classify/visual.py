"""Image cues for pages whose text says little: handwriting, a single portrait, a photo-booth sheet.

Heuristics over OpenCV primitives, not learned models: each returns a score in 0–1 that the scorer weighs
only when OCR found few words. They work on a downscaled copy so that a 40-megapixel phone photo costs the
same as a thumbnail.
"""

from __future__ import annotations

import math
from functools import lru_cache
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
    comps = _outside_boxes(comps, _object_boxes(grey))
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


# ---------------------------------------------------------------- objects on the page


def _object_boxes(grey: Image, min_share: float = 0.01) -> list[tuple[int, int, int, int]]:
    """Bounding boxes of solid non-paper rectangles (a card, a printed photo) lying on white paper.

    Guilloché backgrounds, portraits and card edges make ink components that look handwritten; masking the
    objects keeps the handwriting cue on what was written on the paper itself. A page without paper around
    (a close-up photo of a card) is itself the object: its whole frame is returned.
    """
    height, width = grey.shape[:2]
    level = float(np.percentile(grey, 90))  # the paper's own shade (scanners and cameras differ)
    smooth = cv2.medianBlur(grey, 5)
    mask = np.where(smooth < level - 10, 255, 0).astype(np.uint8)
    if level < 150 or float(mask.mean()) / 255.0 > 0.6:
        return [(0, 0, int(width), int(height))]  # no paper to speak of: the frame is the object
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
    contours, _ = cv2.findContours(closed, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    page = float(grey.size)
    boxes: list[tuple[int, int, int, int]] = []
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        if w * h > 0.6 * page:
            return [(0, 0, int(width), int(height))]
        if min_share * page <= w * h and min(w, h) >= 12:
            fill = float(cv2.contourArea(contour)) / float(w * h)
            if fill > 0.8:
                boxes.append((int(x), int(y), int(w), int(h)))
    return boxes


def _outside_boxes(comps: _FloatArray, boxes: list[tuple[int, int, int, int]]) -> _FloatArray:
    """The components whose centre lies outside every box."""
    if len(comps) == 0 or not boxes:
        return comps
    cx = comps[:, 0] + comps[:, 2] / 2
    cy = comps[:, 1] + comps[:, 3] / 2
    keep = np.ones(len(comps), dtype=bool)
    for x, y, w, h in boxes:
        keep &= ~((cx >= x) & (cx <= x + w) & (cy >= y) & (cy <= y + h))
    return comps[keep]


def _is_photo_shape(width: int, height: int) -> bool:
    """Identity-photo proportions (35×45 mm and nearby print formats), upright or lying on its side.

    An ID-1 card (85.6×54 mm, ratio 1.59) and an A4 page (1.41) fall outside, so neither reads as a photo.
    """
    if width <= 0 or height <= 0:
        return False
    ratio = max(width, height) / min(width, height)
    return 1.12 <= ratio <= 1.38


def detect_id_card(image: Image) -> float:
    """0–1: the page shows an ID-1 card (a bank-card-sized rectangle) on paper, or is a close-up of one."""
    grey = _grey_small(image, 900)
    if grey is None:
        return 0.0
    height, width = grey.shape[:2]
    best = 0.0
    for x, y, w, h in _object_boxes(grey, 0.02):
        ratio = max(w, h) / max(1, min(w, h))
        if not 1.45 <= ratio <= 1.75:
            continue
        crop = grey[y : y + h, x : x + w]
        # a card carries print: some dark ink, not a flat tint
        ink = float((crop < 110).mean())
        if 0.01 <= ink <= 0.5:
            best = max(best, 0.7 if (w, h) == (width, height) else 0.8)
    return best


# ---------------------------------------------------------------- portrait and photo sheet


@lru_cache(maxsize=1)
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


def _tone_and_skin(image: Image, grey: Image) -> float:
    """0–1 from a photo region's content: a subject filling the frame and a skin-toned centre.

    ID photos have a plain light background by regulation, so the cue is the share of the frame that is
    not background (hair, face, clothes), not continuous tones everywhere.
    """
    subject = float((grey < 215).mean())
    fill = min(1.0, max(0.0, (subject - 0.25) / 0.25))
    skin = _skin_fraction(image)
    if skin is None:
        return 0.6 * fill
    skin_cue = min(1.0, max(0.0, (skin - 0.05) / 0.15)) if skin < 0.8 else 0.3
    return fill * (0.3 + 0.7 * skin_cue)


def _haar_face(grey: Image) -> float:
    """0–1 from the largest frontal face OpenCV finds (0 when this build has no cascade)."""
    cascade = _face_cascade()
    if cascade is None:
        return 0.0
    faces = cascade.detectMultiScale(grey, 1.1, 5, minSize=(24, 24))  # type: ignore[attr-defined]
    if len(faces) == 0:
        return 0.0
    area = max(int(w) * int(h) for _x, _y, w, h in faces) / float(grey.size)
    return min(1.0, max(0.0, (area - 0.03) / 0.12))


def detect_portrait(image: Image) -> float:
    """0–1: the page is one identity photograph (alone, or a single print scanned on a white sheet).

    The photograph is first located: the whole frame, or the one photo-shaped object on the paper. On it a
    frontal face (Haar cascade) or, failing that, continuous tones with a skin-toned centre decide; a
    document with a small ID photo on it does not qualify (its shape is a card's or a page's, not a photo's).
    """
    grey = _grey_small(image, 600)
    if grey is None:
        return 0.0
    height, width = grey.shape[:2]
    boxes = _object_boxes(grey, 0.005)
    if boxes == [(0, 0, width, height)]:
        region = (0, 0, width, height)
    else:
        photos = [b for b in boxes if _is_photo_shape(b[2], b[3])]
        if len(photos) != 1 or len(boxes) > 2:
            return 0.0
        region = photos[0]
    x, y, w, h = region
    if not _is_photo_shape(w, h):
        return 0.0
    crop_grey = np.ascontiguousarray(grey[y : y + h, x : x + w])
    scale_y, scale_x = image.shape[0] / height, image.shape[1] / width
    crop = np.ascontiguousarray(
        image[int(y * scale_y) : int((y + h) * scale_y), int(x * scale_x) : int((x + w) * scale_x)]
    )
    if crop.size == 0 or min(crop_grey.shape[:2]) < 16:
        return 0.0
    return round(max(_haar_face(crop_grey), _tone_and_skin(crop, crop_grey)), 3)


def _tiles(grey: Image) -> list[tuple[int, int, int, int]]:
    """Bounding boxes of large non-paper rectangles (printed photos on a white sheet)."""
    mask = np.where(grey < 225, 255, 0).astype(np.uint8)
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((7, 7), np.uint8))
    contours, _ = cv2.findContours(closed, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    page = float(grey.size)
    boxes: list[tuple[int, int, int, int]] = []
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        if 0.02 * page <= w * h <= 0.45 * page and 1.0 <= max(w, h) / max(1, min(w, h)) <= 1.7:
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
        size = (24, 32) if h >= w else (32, 24)
        crop = cv2.resize(grey[y : y + h, x : x + w], size, interpolation=cv2.INTER_AREA).astype(np.float64)
        crop -= crop.mean()
        norm = float(np.linalg.norm(crop))
        crops.append((crop / norm if norm > 0 else crop, w * h))
    best = 0
    for i, (a, area_a) in enumerate(crops):
        twins = sum(
            1
            for j, (b, area_b) in enumerate(crops)
            if j != i
            and a.shape == b.shape
            and 0.75 <= area_a / max(1, area_b) <= 1.33
            and float((a * b).sum()) > 0.85
        )
        best = max(best, twins + 1)
    if best < 2:
        return 0.0
    return round(min(1.0, 0.6 + 0.2 * (best - 2)), 3)
