"""Image cues for pages whose text says little: handwriting, a single portrait, a photo-booth sheet.

Heuristics over OpenCV primitives, not learned models: each returns a score in 0–1 that the scorer weighs
only when OCR found few words. They work on a downscaled copy so that a 40-megapixel phone photo costs the
same as a thumbnail.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

from preverif.imaging.levels import grey_percentiles
from preverif.records import Image, Page

_MAX_SIDE = 1000
# the long side each cue works at (its page copy is made once per size: see measure_visual_cues)
_HANDWRITING_SIDE = 1400
_PORTRAIT_SIDE = 1000
_OBJECT_SIDE = 900  # the ID card and the photo sheet
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


def _ink_components(grey: Image) -> tuple[_FloatArray, float]:
    """Stats (x, y, w, h, area) of text-sized ink components, and the page's speck density.

    The density (ink specks of at most 4 pixels per megapixel) tells a fax or a noisy binarised scan: clean
    pages, printed or handwritten, have almost none; a fax has thousands.
    """
    ink = cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)
    count, _labels, stats, _centroids = cv2.connectedComponentsWithStats(ink, connectivity=8)
    height, width = grey.shape[:2]
    if count <= 1:
        return np.zeros((0, 5)), 0.0
    stats = stats[1:].astype(np.float64)
    w, h, area = stats[:, 2], stats[:, 3], stats[:, 4]
    specks = float((area <= 4).sum()) / (grey.size / 1e6)
    keep = (h >= 5) & (h <= 0.12 * height) & (w <= 0.6 * width) & (area >= 8)
    # Fax and binarising-scanner noise: solid blots (nearly fill their box) and thin streak segments (one
    # or two pixels across) are no pen stroke; a written or printed glyph leaves much of its box empty.
    fill = area / np.maximum(1.0, w * h)
    keep &= (fill <= 0.8) & (np.minimum(w, h) >= 3)
    return stats[keep], specks


def detect_handwriting(image: Image) -> float:
    """0–1: how much the page's ink looks handwritten rather than machine-printed.

    Printed glyphs are separate blobs of a few fixed heights sitting on straight baselines. Handwriting joins
    letters into wide word-blobs, and its baselines wander; the cues are measured and combined. On a speckled
    page (a fax, a noisy binarised scan) the blob shapes lie — glyphs break into fragments of every height,
    dropout rows cut them, streaks fuse them — so only the baseline wander, measured over whole lines,
    is trusted there.
    """
    return _handwriting_of(_grey_small(image, _HANDWRITING_SIDE))


def _handwriting_of(grey: Image | None) -> float:
    """detect_handwriting on the page already made small (``_grey_small`` at ``_HANDWRITING_SIDE``)."""
    if grey is None:
        return 0.0
    comps, specks = _ink_components(grey)
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
    # Specks per megapixel: handwritten pages under 1, other non-fax pages a median of ~50 (90 % under
    # ~400), faxes 1900–2100. Between 200 and 800 the shape cues fade out.
    clean = _clip01((800.0 - specks) / 600.0)
    joined = clean * _sigmoid(20.0 * (wide - 0.30))
    irregular = clean * _sigmoid(20.0 * (height_cv - 0.27))
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
    level = grey_percentiles(grey, [90])[0]  # the paper's own shade (scanners and cameras differ)
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
    return _id_card_of(_grey_small(image, _OBJECT_SIDE))


def _id_card_of(grey: Image | None) -> float:
    """detect_id_card on the page already made small (``_grey_small`` at ``_OBJECT_SIDE``)."""
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
    low, high = grey_percentiles(grey, [10, 90])
    if high - low < 40:
        return 0.0  # one flat shade (a blacked-out block, a filled box) pictures nobody
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


def _clip01(value: float) -> float:
    return min(1.0, max(0.0, value))


def _bright_print(grey: Image) -> tuple[tuple[int, int, int, int], Image] | None:
    """The box of the largest light area of a close-up (a photo print lying on a darker table), and the
    page with everything outside that print's outline turned white.

    A tight crop of the photo returns (nearly) the whole frame; a print on a table returns the print, the
    table masked so that it cannot pass for the subject.
    """
    height, width = grey.shape[:2]
    blur = cv2.GaussianBlur(grey, (5, 5), 0)
    _level, light = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    light = cv2.morphologyEx(light, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    count, labels, stats, _centroids = cv2.connectedComponentsWithStats(light, connectivity=4)
    if count <= 1:
        return None
    best = 1 + int(np.argmax(stats[1:, 4]))
    x, y, w, h = (int(v) for v in stats[best, :4])
    if w * h < 0.25 * height * width:
        return None
    hull = np.zeros_like(grey)
    cv2.fillConvexPoly(hull, cv2.convexHull(_row_ends(labels[y : y + h, x : x + w] == best, x, y)), 255)
    masked = np.where(hull > 0, grey, 255).astype(np.uint8)
    return (x, y, w, h), masked


def _row_ends(mask: npt.NDArray[np.bool_], x: int, y: int) -> npt.NDArray[np.int32]:
    """The leftmost and rightmost pixel of each row of a region (offset by ``x``, ``y``), in row order.

    Its convex hull is the whole region's: a hull's corners are extreme points of their rows. Hulling a
    megapixel print's every pixel took a fifth of the portrait cue.
    """
    rows = np.flatnonzero(mask.any(axis=1))
    width = mask.shape[1]
    left = np.argmax(mask[rows], axis=1)
    right = width - 1 - np.argmax(mask[rows, ::-1], axis=1)
    ends = np.empty((2 * len(rows), 1, 2), np.int32)
    ends[0::2, 0, 0], ends[1::2, 0, 0] = left + x, right + x
    ends[0::2, 0, 1] = ends[1::2, 0, 1] = rows + y
    return ends


def _dark_blobs(grey: Image) -> list[tuple[int, int, int, int]]:
    """Boxes of large solid dark blobs on paper: an ID photo that a fax or a binarising scanner reduced
    to a black silhouette (its light background became the paper)."""
    height, width = grey.shape[:2]
    # a box mean, not a median: a fax's photo mode dithers the hair into black and white dots, which only
    # an average reads as the dark area it was (a thin streak or a speck averages out to light)
    dark = np.where(cv2.blur(grey, (5, 5)) < 90, 255, 0).astype(np.uint8)
    # each shape's outline with what it encloses: hair (or a hood) around a face the fax turned white is
    # one solid head, as a black face is
    contours, hierarchy = cv2.findContours(dark, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return []
    boxes: list[tuple[int, int, int, int]] = []
    for contour, (_next, _previous, _child, parent) in zip(contours, hierarchy[0], strict=True):
        if parent != -1:
            continue  # a hole's outline
        x, y, w, h = cv2.boundingRect(contour)
        area = float(cv2.contourArea(contour))
        if area < 0.002 * height * width or min(w, h) < 15 or max(w, h) > 0.5 * max(height, width):
            continue
        if area / float(w * h) >= 0.45:  # solid, not a scribble or a line of text
            boxes.append((int(x), int(y), int(w), int(h)))
    return boxes


def _without_neck(subject: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """The subject cut where it narrows below its widest row: a neck under a head whose clothes were lost
    (light clothes on a fax turn paper-white) is no part of the head's oval."""
    widths = subject.sum(axis=1)
    widest = int(np.argmax(widths))
    narrow = np.flatnonzero(widths[widest:] < 0.6 * widths[widest])
    if len(narrow) == 0:
        return subject
    cut = subject.copy()
    cut[widest + int(narrow[0]) :] = False
    return cut


def _silhouette(subject: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """The one dark shape a fax left of a photo, its holes filled: the face a fax turned white inside
    the hair (or a hood) is part of the head, and the header's text or a streak caught in the crop is not.
    """
    # a streak a few pixels thick crossing the shape would join it to the crop's edges: opened away
    solid = cv2.morphologyEx(subject.astype(np.uint8), cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    count, labels, stats, _centroids = cv2.connectedComponentsWithStats(solid, connectivity=8)
    if count <= 1:
        return subject
    return _filled(labels == 1 + int(np.argmax(stats[1:, 4])))


def _filled(shape: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """The shape with its holes filled: everything the paper cannot reach from the border is inside it."""
    outside = np.pad(shape.astype(np.uint8), 1, constant_values=0)
    flood = np.zeros((outside.shape[0] + 2, outside.shape[1] + 2), np.uint8)
    cv2.floodFill(outside, flood, (0, 0), 2)
    return np.asarray(outside[1:-1, 1:-1] != 2)


def _head_only(subject: npt.NDArray[np.bool_], *, silhouette: bool = False) -> float:
    """0–1: one oval blob (a head, clothes lost in the background) centred in a plain light frame.

    A fax's ``silhouette`` of a head has no frame or tones left to tell it from any dark oval: its neck is
    cut off and it must be a head's shape, clearly taller than wide (a round stamp or a dot is not).
    """
    if silhouette:
        subject = _without_neck(subject)
    height, width = subject.shape
    count, _labels, stats, _centroids = cv2.connectedComponentsWithStats(
        subject.astype(np.uint8), connectivity=8
    )
    if count <= 1:
        return 0.0
    best = 1 + int(np.argmax(stats[1:, 4]))
    x, y, w, h, area = (int(v) for v in stats[best])
    # a face as light as the background leaves the hair (a hood) as a ring around it: the head is the ring
    # with what it encloses (the face, its eyes and mouth)
    head = _filled(_labels == best)
    area = int(head.sum())
    if area < 0.8 * float((subject | head).sum()) or y <= 0.02 * height or x <= 0 or x + w >= width:
        return 0.0
    size = _clip01((h / height - 0.35) / 0.1) * _clip01((0.95 - h / height) / 0.1)
    size *= _clip01((w / width - 0.3) / 0.1) * _clip01((0.85 - w / width) / 0.1)
    # an ellipse fills 0.79 of its box; one cut off below (at the chin, under the neck) a little more
    oval = _clip01(1.0 - abs(area / float(w * h) - (0.83 if silhouette else 0.78)) / 0.13)
    centred = _clip01(1.0 - (abs((x + w / 2) / width - 0.5) - 0.05) / 0.1)
    upright = 1.0 if h >= w else 0.0
    if silhouette:  # a head is taller than wide; a circle (a seal, a dot) or a lying oval is no head
        upright = _clip01((h / max(1.0, w) - 1.05) / 0.1) * _clip01((1.8 - h / max(1.0, w)) / 0.1)
    return 0.65 * float(size * oval * centred * upright)


def _head_and_shoulders(subject: npt.NDArray[np.bool_]) -> float:
    """0–1: the subject mask (upright) has an ID photo's layout.

    A head centred in the upper half, narrower than the shoulders that fill the bottom of the frame, and a
    plain background in the top corners. Measured on the mask, so it holds for colour, grey and binarised
    photos alike.
    """
    rows = np.flatnonzero(subject.mean(axis=1) >= 0.05)
    if len(rows) < 10:
        return 0.0
    mask = subject[: rows[-1] + 1]  # a silhouette on paper ends where the shoulders end
    height, width = mask.shape
    if height < 20 or width < 15:
        return 0.0
    band = max(2, height // 10)
    bottom = mask[height - band :]
    shoulders_share = float(bottom.mean())
    bottom_cols = np.flatnonzero(bottom.mean(axis=0) >= 0.5)
    bottom_width = (bottom_cols[-1] - bottom_cols[0] + 1) / width if len(bottom_cols) else 0.0
    corner_w = max(1, width // 5)
    top = mask[: int(0.25 * height)]
    corners = float(np.concatenate([top[:, :corner_w], top[:, width - corner_w :]], axis=1).mean())
    head = mask[int(0.15 * height) : int(0.5 * height)]
    head_cols = head.mean(axis=0)
    if float(head_cols.sum()) <= 0:
        return 0.0
    centre = float((head_cols * np.arange(width)).sum() / head_cols.sum()) / width
    head_width = float((head_cols >= 0.5).mean())
    shoulders = _clip01((shoulders_share - 0.35) / 0.3) * _clip01((bottom_width - 0.5) / 0.25)
    background = _clip01((0.3 - corners) / 0.2)
    centred = _clip01(1.0 - (abs(centre - 0.5) - 0.05) / 0.12)
    head_ok = _clip01((head_width - 0.15) / 0.1) * _clip01((0.85 - head_width) / 0.1)
    narrower = _clip01((bottom_width - head_width - 0.05) / 0.15)
    return float(math.sqrt(shoulders * background * centred * head_ok * narrower))


def _light_plane(small: _FloatArray) -> _FloatArray:
    """The background's shade as a plane fitted to the lighter pixels: a phone photo of a print is lit
    unevenly, and one threshold for the whole print would take its shaded side for the subject."""
    height, width = small.shape
    ys, xs = np.mgrid[0:height, 0:width]
    light = small >= np.percentile(small, 60)
    design = np.column_stack([np.ones(int(light.sum())), xs[light], ys[light]])
    coef, *_rest = np.linalg.lstsq(design, small[light], rcond=None)
    plane: _FloatArray = coef[0] + coef[1] * xs + coef[2] * ys
    return np.minimum(plane, 255.0)


def _small_shades(crop: Image) -> _FloatArray:
    """The crop at ~160 px on its long side, lightly blurred, as floats."""
    height, width = crop.shape[:2]
    scale = 160 / max(height, width)
    small = cv2.resize(
        crop, (max(8, int(width * scale)), max(8, int(height * scale))), interpolation=cv2.INTER_AREA
    )
    return np.asarray(cv2.GaussianBlur(small, (3, 3), 0), dtype=np.float64)


def _subject_mask(crop: Image) -> npt.NDArray[np.bool_] | None:
    """The subject (hair, face, clothes) of a photo crop at ~160 px: what is darker than its light background.

    None when the background is not light (ID photos have a light background by regulation).
    """
    shades = _small_shades(crop)
    background = float(np.percentile(shades, 90))
    if background < 120:
        return None
    mask = np.asarray(shades - _light_plane(shades) < -max(25.0, 0.12 * background), dtype=np.uint8)
    mask = np.asarray(cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)), dtype=np.uint8)
    subject = np.asarray(cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8)), dtype=np.uint8)
    return subject.astype(bool)


def _head_region(subject: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_] | None:
    """The convex hull of the subject's parts that stay clear of the frame (the head; the clothes are cut by
    the photo's edge), or None when everything touches it (no head to tell apart)."""
    height, width = subject.shape
    count, labels, stats, _centroids = cv2.connectedComponentsWithStats(
        subject.astype(np.uint8), connectivity=8
    )
    head = np.zeros((height, width), dtype=bool)
    for i in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[i])
        if x > 0 and y > 0 and x + w < width and y + h < height and area >= 0.01 * height * width:
            head |= labels == i
    points = cv2.findNonZero(head.astype(np.uint8))
    if points is None or int(head.sum()) < 0.03 * height * width:
        return None
    hull = np.zeros((height, width), dtype=np.uint8)
    cv2.fillConvexPoly(hull, cv2.convexHull(points), 1)
    return hull.astype(bool)


def _flatness(subject: npt.NDArray[np.bool_]) -> float:
    """0–1: how straight the subject ends at the bottom: its width over its last rows, against its widest.

    A photo's edge cuts the shoulders (or the neck) straight; a head ends round."""
    rows = subject.sum(axis=1)
    filled = np.flatnonzero(rows > 0)
    if len(filled) < 10:
        return 0.0
    depth = max(1, len(filled) // 30)
    return float(rows[filled[-depth:]].mean()) / float(rows.max())


def _cap_offset(
    shades: _FloatArray, hull: npt.NDArray[np.bool_], subject: npt.NDArray[np.bool_]
) -> tuple[float, float]:
    """How far (rows, columns) the face's centre lies below / right of the cap's: > 0 when the cap is on top.

    The head splits into two tones: the hair (or a head covering) capping it and the face. Mostly the hair
    is the darker (and where the face is as light as the background, the head's outline holds only hair and
    background). Light hair (grey, fair, a light scarf) on a darker face is told by place: when the lighter
    tone is part of the subject too (darker than the background) and lies off the head's middle, where the
    face is not, it is the cap. (0, 0) when the head has one tone.
    """
    level, _binary = cv2.threshold(
        shades[hull].astype(np.uint8).reshape(-1, 1), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU
    )
    dark = hull & (shades < level)
    light = hull & ~dark
    if not dark.any() or not light.any() or float(shades[light].mean() - shades[dark].mean()) <= 20:
        return 0.0, 0.0
    dark_y, dark_x = (float(v.mean()) for v in np.nonzero(dark))
    light_y, light_x = (float(v.mean()) for v in np.nonzero(light))
    centre_y, centre_x = (float(v.mean()) for v in np.nonzero(hull))
    off_dark = math.hypot(dark_y - centre_y, dark_x - centre_x)
    off_light = math.hypot(light_y - centre_y, light_x - centre_x)
    light_is_subject = float(subject[light].mean()) >= LIGHT_CAP_SUBJECT
    if light_is_subject and off_light > off_dark:  # light hair capping a darker face
        return dark_y - light_y, dark_x - light_x
    return light_y - dark_y, light_x - dark_x


LIGHT_CAP_SUBJECT = 0.7  # share of the head's lighter tone darker than the background for it to be a cap
TAPER_WEIGHT = 3.0  # weight of the head's taper (wide crown, narrow chin and neck) among the up cues


def _one_shape(mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_] | None:
    """The mask's largest shape when it holds nearly all of it (one head), else None: two photos of a
    sheet, or a head with lines of text beside it, have no one outline to read."""
    count, labels, stats, _centroids = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    if count <= 1:
        return None
    best = 1 + int(np.argmax(stats[1:, 4]))
    if float(stats[best, 4]) < ONE_SHAPE_SHARE * float(stats[1:, 4].sum()):
        return None
    return np.asarray(labels == best)


ONE_SHAPE_SHARE = 0.85  # share of the subject the head's own outline must hold for its shape to count


def _taper(head: npt.NDArray[np.bool_]) -> float:
    """-1–1: how much wider the head's top third is than its bottom third, against its widest row.

    A head is widest at the temples (with its hair, at the crown) and narrows to the chin and on to the
    neck: the narrow end is the bottom, whatever the shades of the hair and the skin. A subject widest at
    one end is a head over shoulders (dark clothes kept, the photo's edge lost): no taper to go by there.
    """
    rows = head.sum(axis=1)
    filled = np.flatnonzero(rows > 0.15 * rows.max())  # not a speck or a streak's end past the head
    if len(filled) < 6:
        return 0.0
    widest = float(np.flatnonzero(rows >= 0.95 * rows.max()).mean() - filled[0]) / len(filled)
    depth = max(1, len(filled) // 20)
    ends = max(float(rows[filled[:depth]].mean()), float(rows[filled[-depth:]].mean()))
    if min(widest, 1.0 - widest) < 0.2 or ends >= 0.75 * float(rows.max()):
        return 0.0  # wide at one end: shoulders (cut straight by the photo's edge), not a head's temples
    third = max(1, len(filled) // 3)
    top, bottom = float(rows[filled[:third]].mean()), float(rows[filled[-third:]].mean())
    return (top - bottom) / float(rows.max())


def _up_evidence(crop: Image, *, silhouette: bool = False) -> tuple[float, float, float] | None:
    """Signed evidence of where the top of a portrait crop is: (vertical, horizontal, strength).

    vertical > 0: the top is up; < 0: it is down. horizontal > 0: the top is on the left; < 0: on the right.
    Two layouts of an ID photo (ISO/IEC 19794-5) say it. The shoulders are cut by the photo's bottom edge,
    so the one edge the subject clearly touches is the bottom. With no such edge (a head alone, a small or
    tightly cropped print), the head itself: its hair caps it at the top (dark on a light face, or light on
    a dark one), it narrows from the crown to the chin and the neck, and it sits above the middle of the
    frame (crown near the top, chin well above the bottom). A ``silhouette``
    (a fax's black shape, its frame lost) also ends straight at the bottom, where the photo's edge cut it.
    """
    subject = _subject_mask(crop)
    if subject is None or float(subject.mean()) < 0.03:
        return None
    height, width = subject.shape
    band_h, band_w = max(2, height // 12), max(2, width // 12)
    mid_w, mid_h = slice(width // 5, width - width // 5), slice(height // 5, height - height // 5)
    touch = {
        "bottom": float(subject[-band_h:, mid_w].mean()),
        "top": float(subject[:band_h, mid_w].mean()),
        "right": float(subject[mid_h, -band_w:].mean()),
        "left": float(subject[mid_h, :band_w].mean()),
    }
    ranked = sorted(touch.items(), key=lambda kv: -kv[1])
    (side, first), (_other, second) = ranked[0], ranked[1]
    if first >= 0.5 and first - second >= 0.25:
        strength = min(1.0, first - second + 0.25)
        vertical = {"bottom": 1.0, "top": -1.0}.get(side, 0.0)
        horizontal = {"right": 1.0, "left": -1.0}.get(side, 0.0)
        return vertical * strength, horizontal * strength, strength
    hull = _head_region(subject)
    if hull is None:
        return None
    shades = _small_shades(crop)
    ys, xs = np.nonzero(hull)
    span_y, span_x = float(np.ptp(ys) + 1), float(np.ptp(xs) + 1)
    cap_y, cap_x = _cap_offset(shades, hull, subject)
    cap_y, cap_x = cap_y / span_y, cap_x / span_x
    high_y = (height / 2 - float(ys.mean())) / height  # head above the middle: > 0
    high_x = (width / 2 - float(xs.mean())) / width  # head left of the middle: > 0
    head = _one_shape(subject & hull)
    taper_y, taper_x = (0.0, 0.0) if head is None else (_taper(head), _taper(np.ascontiguousarray(head.T)))
    vertical = 3.0 * cap_y + 4.0 * high_y + TAPER_WEIGHT * taper_y
    horizontal = 3.0 * cap_x + 4.0 * high_x + TAPER_WEIGHT * taper_x
    if (
        silhouette
    ):  # a black silhouette on paper: its bottom is the photo's straight edge, its top a round head
        flat = {
            side: _flatness(np.rot90(subject, turn))
            for turn, side in enumerate(("bottom", "left", "top", "right"))
        }
        vertical += 2.0 * (flat["bottom"] - flat["top"])
        horizontal += 2.0 * (flat["right"] - flat["left"])
    # a head is taller than wide: the hull's long axis is the photo's vertical
    elongation = math.log(max(0.25, min(4.0, span_y / span_x)))
    strength = abs(vertical) - abs(horizontal) + elongation
    if strength >= 0:
        return vertical, 0.0, min(1.0, abs(vertical))
    return 0.0, horizontal, min(1.0, abs(horizontal))


UP_EVIDENCE_MIN = 0.05  # weaker evidence of the top than this: no decision


def portrait_rotation(image: Image) -> tuple[int, float] | None:
    """How many degrees clockwise turn a single ID photo upright, and how sure (0–1); None when the page
    shows no portrait to go by."""
    grey = _grey_small(image, 1000)
    if grey is None:
        return None
    best: tuple[float, tuple[int, int, int, int], Image, bool] | None = None
    for box, source, framed in _photo_candidates(grey):
        x, y, w, h = box
        if min(w, h) < 16:
            continue
        crop = np.ascontiguousarray(source[y : y + h, x : x + w])
        layout = _layout_score(crop, framed=framed)
        if best is None or layout > best[0]:
            best = (layout, box, crop, framed)
    if best is None:
        return None
    evidence = _up_evidence(best[2], silhouette=not best[3])
    if evidence is None:
        return None
    vertical, horizontal, strength = evidence
    if abs(vertical) >= abs(horizontal):
        if abs(vertical) < UP_EVIDENCE_MIN:
            return None
        rotate = 0 if vertical > 0 else 180
    else:
        if abs(horizontal) < UP_EVIDENCE_MIN:
            return None
        rotate = 90 if horizontal > 0 else 270  # top on the left: a quarter turn clockwise brings it up
    return rotate, round(min(1.0, strength), 3)


def _turn_scores(crop: Image, *, framed: bool = True) -> list[float]:
    """0–1 per quarter turn k (``np.rot90(crop, k)``, counter-clockwise): how much the crop, so turned, shows
    a head and shoulders (or a head alone) upright on a light background. A crop not ``framed`` is a
    fax's black silhouette on the paper: its one shape, holes filled, must make the head by itself."""
    subject = _subject_mask(crop)
    if subject is None:
        return [0.0, 0.0, 0.0, 0.0]
    if not framed:  # a fax's black silhouette on the paper, its frame lost
        subject = _silhouette(subject)
    scores = []
    for turn in range(4):
        turned = np.rot90(subject, turn)
        scores.append(max(_head_and_shoulders(turned), _head_only(turned, silhouette=not framed)))
    return scores


def _layout_score(crop: Image, *, framed: bool = True) -> float:
    """0–1 over the four orientations: the crop (grey) shows a head and shoulders on a light background."""
    return max(_turn_scores(crop, framed=framed))


def _text_like(crop: Image) -> float:
    """Share of the crop's small ink components that look like glyphs (many → a document, not a photo)."""
    ink = cv2.adaptiveThreshold(crop, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 15, 12)
    ink = cv2.medianBlur(ink, 3)  # a photo print's grain makes specks; printed glyphs survive
    _count, _labels, stats, _centroids = cv2.connectedComponentsWithStats(ink, connectivity=8)
    height = crop.shape[0]
    glyphs = int(((stats[1:, 3] >= 4) & (stats[1:, 3] <= 0.05 * height) & (stats[1:, 4] >= 6)).sum())
    return _clip01((glyphs - 40) / 80)


def _without_edge_shadows(grey: Image) -> Image:
    """The page with the scanner's dark bands along its edges painted paper-white: a small photo scanned in
    a corner would merge with them into one shapeless object."""
    level = grey_percentiles(grey, [90])[0]
    dark = cv2.medianBlur(grey, 5) < level - 10
    height, width = grey.shape[:2]
    out = grey.copy()
    for axis, depth in ((0, height), (1, width)):
        shadowed = dark.mean(axis=1 - axis) >= 0.9  # per row (axis 0) or per column (axis 1)
        limit = int(0.06 * depth)
        for edge in (np.arange(depth), np.arange(depth)[::-1]):
            run = int(np.argmin(shadowed[edge])) if not shadowed[edge].all() else depth
            if (
                0 < run <= limit
            ):  # a thin band along the edge; a thicker one is content (a close-up's shoulders)
                rows = edge[:run]
                if axis == 0:
                    out[rows, :] = np.uint8(level)
                else:
                    out[:, rows] = np.uint8(level)
    return out


def _photo_candidates(grey: Image) -> list[tuple[tuple[int, int, int, int], Image, bool]]:
    """Regions of the (small) grey page that may hold the one photograph: (box, page to crop it from,
    whether the photo kept its frame; False for a fax's silhouette, whose frame was lost in the paper)."""
    height, width = grey.shape[:2]
    boxes = _object_boxes(grey, 0.004)
    if boxes != [(0, 0, width, height)]:  # paper around: a photo near its edge may have merged with a shadow
        boxes = _object_boxes(_without_edge_shadows(grey), 0.004)
    if boxes == [(0, 0, width, height)]:
        found = _bright_print(grey)
        if found is None:
            return [((0, 0, width, height), grey, True)]
        x, y, w, h = found[0]
        mx, my = w // 12, h // 12  # the print's edges, where perspective lets the table in
        return [((x + mx, y + my, w - 2 * mx, h - 2 * my), found[1], True)]
    photos = [b for b in boxes if 1.05 <= max(b[2], b[3]) / max(1, min(b[2], b[3])) <= 1.45]
    if len(photos) > 2:
        return []  # several objects: a sheet of photos or a document, not one portrait
    candidates = [(b, grey, True) for b in photos]
    if not photos and _is_photo_shape(width, height):
        # no object on a light ground of an ID photo's proportions: the file may be the photo itself, cropped
        # to its edges (a scanned print, an e-photo), its plain background taken for paper and its subject,
        # neither a rectangle nor apart from the edges, for no object
        candidates.append(((0, 0, width, height), _without_edge_shadows(grey), True))
    for x, y, w, h in _dark_blobs(grey) if not photos else []:
        pad_x, pad_y = w // 3, h // 3
        x0, y0 = max(0, x - pad_x), max(0, y - pad_y)
        box = (x0, y0, min(width, x + w + pad_x) - x0, min(height, y + h + pad_y) - y0)
        candidates.append((box, grey, False))
    return candidates[:4]


ORIENTED_PORTRAIT = 0.8  # portrait cue of a photo-shaped region whose top is told for sure


def detect_portrait(image: Image) -> float:
    """0–1: the page is one identity photograph (alone, a print on a table, or scanned on a white sheet).

    The photograph is located first (the frame, the light print in it, the one photo-shaped object on the
    paper, or a black silhouette left by a fax); on it the layout of an ID photo — a head centred over
    shoulders that fill the bottom, light background corners — decides, in any of the four orientations
    (a photo has no text to tell the orientation). A frontal-face cascade or skin tones add support when
    available. A document with a small ID photo on it does not qualify: its text and shape are not a photo's.
    """
    return _portrait_of(_grey_small(image, _PORTRAIT_SIDE), image)


def _portrait_of(grey: Image | None, image: Image) -> float:
    """detect_portrait on the page already made small (``_grey_small`` at ``_PORTRAIT_SIDE``); ``image`` is
    the page itself, for the colour crop of a candidate photo."""
    if grey is None:
        return 0.0
    height, width = grey.shape[:2]
    best = 0.0
    for (x, y, w, h), source, framed in _photo_candidates(grey):
        if min(w, h) < 16:
            continue
        crop_grey = np.ascontiguousarray(source[y : y + h, x : x + w])
        plain = 1.0 - _text_like(crop_grey)
        layout = _layout_score(crop_grey, framed=framed) * plain
        print_shape = source is not grey and max(w, h) <= 1.4 * min(
            w, h
        )  # a print on a table, in perspective
        if framed and (_is_photo_shape(w, h) or (w, h) == (width, height) or print_shape):
            # a photo whose layout tells its top clearly (shoulders cut by one edge, or a hair-capped head
            # above the middle) is a portrait even when the head-and-shoulders template misses it
            evidence = _up_evidence(crop_grey)
            if evidence is not None:
                layout = max(layout, ORIENTED_PORTRAIT * evidence[2] * plain)
        scale_y, scale_x = image.shape[0] / height, image.shape[1] / width
        crop = np.ascontiguousarray(
            image[int(y * scale_y) : int((y + h) * scale_y), int(x * scale_x) : int((x + w) * scale_x)]
        )
        support = 0.0
        if crop.size and _is_photo_shape(w, h):
            support = max(_haar_face(crop_grey), _tone_and_skin(crop, crop_grey))
        best = max(best, layout, min(0.6, support) if layout < 0.3 else 0.0, min(1.0, layout + 0.2 * support))
    return round(best, 3)


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


def _silhouettes(grey: Image) -> list[tuple[int, int, int, int]]:
    """Boxes of the black silhouettes a fax left of a sheet's photos (their frames lost in the paper):
    the dark blobs whose surroundings read as a head and shoulders or a head."""
    height, width = grey.shape[:2]
    found = []
    for x, y, w, h in _dark_blobs(grey)[:12]:
        pad_x, pad_y = w // 3, h // 3
        x0, y0 = max(0, x - pad_x), max(0, y - pad_y)
        crop = np.ascontiguousarray(grey[y0 : min(height, y + h + pad_y), x0 : min(width, x + w + pad_x)])
        if min(crop.shape[:2]) >= 16 and _layout_score(crop, framed=False) >= 0.3:
            found.append((x, y, w, h))
    return found


def detect_photo_grid(image: Image) -> float:
    """0–1: the page is a photo-booth/e-photo sheet, i.e. 2–6 identical portrait-shaped photos side by side."""
    return _photo_grid_of(_grey_small(image, _OBJECT_SIDE))


def _photo_grid_of(grey: Image | None) -> float:
    """detect_photo_grid on the page already made small (``_grey_small`` at ``_OBJECT_SIDE``)."""
    if grey is None:
        return 0.0
    boxes = _tiles(grey)
    if len(boxes) < 2:
        boxes = _silhouettes(grey)
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


# ---------------------------------------------------------------- cues as measured once per page

VISUAL_CUES: dict[str, Callable[[Image], float]] = {
    "handwriting": detect_handwriting,
    "portrait": detect_portrait,
    "photo_grid": detect_photo_grid,
    "id_card": detect_id_card,
}


def measure_visual_cues(image: Image) -> dict[str, float]:
    """Every image cue of one page, measured on the full-resolution page (the read stage does it once,
    in its worker, and caches it: the rest of the pipeline only sees a thumbnail).

    Each small grey copy is made once and shared by the cues measured at its size: shrinking a 300-dpi
    page is a third of the cues' cost. The values are exactly those of the ``detect_*`` functions.
    """
    smalls: dict[int, Image | None] = {}

    def small(side: int) -> Image | None:
        if side not in smalls:
            smalls[side] = _grey_small(image, side)
        return smalls[side]

    measured = {
        "handwriting": lambda: _handwriting_of(small(_HANDWRITING_SIDE)),
        "portrait": lambda: _portrait_of(small(_PORTRAIT_SIDE), image),
        "photo_grid": lambda: _photo_grid_of(small(_OBJECT_SIDE)),
        "id_card": lambda: _id_card_of(small(_OBJECT_SIDE)),
    }
    return {name: round(float(measured[name]()), 4) for name in VISUAL_CUES}


def page_cue(page: Page, name: str) -> float:
    """A page's cue: the one the read stage measured, else measured now on the page's image."""
    value = page.visual.get(name)
    if value is not None:
        return float(value)
    if page.image is None or page.image.size == 0:
        return 0.0
    return float(VISUAL_CUES[name](page.image))
