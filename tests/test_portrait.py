"""Identity photos drawn here (a print on a table, a small photo scanned on an A4 sheet, a faxed silhouette),
turned every quarter: each must be recognised as a portrait and turned upright, with no OCR."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from preverif.classify.doctypes import load_doctypes
from preverif.classify.scorer import classify_document
from preverif.classify.visual import detect_portrait, portrait_rotation
from preverif.imaging.orient import detect_orientation, rotate_clockwise
from preverif.records import Box, Page, PageQuality, PageText, Word

TURNS = [pytest.param(t, id=f"turned-{t}") for t in (0, 90, 180, 270)]


def _id_photo(
    width: int = 350, height: int = 450, *, skin: int = 200, hair: int = 45, shoulders: bool = True
) -> np.ndarray:
    """An ID photo's layout (ISO/IEC 19794-5): plain light background, a head centred in the upper part
    (hair capping a lighter face), the neck, and shoulders cut by the bottom edge (or a tighter crop that
    stops at the neck). BGR."""
    img = np.full((height, width, 3), (232, 230, 228), np.uint8)
    clothes, face = (80, 70, 60), (skin - 30, skin - 10, skin + 20)
    if shoulders:
        centre, axes = (width // 2, int(1.08 * height)), (int(0.5 * width), int(0.33 * height))
        cv2.ellipse(img, centre, axes, 0, 0, 360, clothes, -1)
    neck_end = int(0.8 * height) if shoulders else height  # a tight crop cuts the neck
    cv2.rectangle(img, (int(0.41 * width), int(0.55 * height)), (int(0.59 * width), neck_end), face, -1)
    cv2.ellipse(
        img,
        (width // 2, int(0.36 * height)),
        (int(0.3 * width), int(0.26 * height)),
        0,
        0,
        360,
        (hair,) * 3,
        -1,
    )
    cv2.ellipse(
        img, (width // 2, int(0.43 * height)), (int(0.25 * width), int(0.22 * height)), 0, 0, 360, face, -1
    )
    for side in (-1, 1):  # eyes and mouth: a face, not a blank oval
        cv2.circle(img, (width // 2 + side * int(0.09 * width), int(0.4 * height)), 5, (40, 40, 40), -1)
    cv2.line(
        img,
        (int(0.44 * width), int(0.53 * height)),
        (int(0.56 * width), int(0.53 * height)),
        (60, 60, 120),
        3,
    )
    noise = np.random.default_rng(7).normal(0, 4, img.shape)
    return np.clip(img + noise, 0, 255).astype(np.uint8)


def _print_on_table(seed: int = 1) -> np.ndarray:
    """A phone photo of an ID print lying a little askew on a wooden table, lit unevenly."""
    rng = np.random.default_rng(seed)
    height, width = 1600, 1240
    grain = cv2.resize(rng.normal(0, 1, (height // 8, 12)), (width, height), interpolation=cv2.INTER_CUBIC)
    wood = 110 + 18 * grain + 6 * np.sin(np.arange(width) / 9.0)[None, :]
    table = np.dstack([wood * 0.55, wood * 0.8, wood * 1.15])
    photo = _id_photo(700, 900).astype(np.float64)
    source = np.array([[0, 0], [700, 0], [700, 900], [0, 900]], dtype=np.float32)
    target = np.array([[290, 330], [975, 365], [955, 1290], [255, 1255]], dtype=np.float32)
    warp = cv2.getPerspectiveTransform(source, target)
    warped = cv2.warpPerspective(photo, warp, (width, height))
    inside = cv2.warpPerspective(np.ones((900, 700), np.float32), warp, (width, height))[:, :, None] > 0.5
    scene = np.where(inside, warped, table)
    light = np.linspace(1.0, 0.78, width)[None, :, None] * np.linspace(1.0, 0.9, height)[:, None, None]
    scene = scene * light + rng.normal(0, 3, scene.shape)
    return np.clip(scene, 0, 255).astype(np.uint8)


def _small_photo_on_a4(corner: str = "top-left", *, shoulders: bool = True) -> np.ndarray:
    """An A4 sheet scanned at 150 dpi with one 35×45 mm photo in a corner and the scanner's edge shadow."""
    page = np.full((1754, 1240, 3), 246, np.uint8)
    photo = _id_photo(207, 266, shoulders=shoulders, skin=215)
    y, x = (60, 70) if corner == "top-left" else (1754 - 266 - 60, 1240 - 207 - 70)
    page[y : y + 266, x : x + 207] = photo
    page[-18:] = np.linspace(200, 120, 18, dtype=np.uint8)[:, None, None]  # lid shadow along the bottom
    noise = np.random.default_rng(5).normal(0, 3, page.shape)
    return np.clip(page + noise, 0, 255).astype(np.uint8)


def _faxed_silhouette() -> np.ndarray:
    """A faxed page: the photo binarised to a black silhouette (its light background became the paper)."""
    page = np.full((2339, 1654), 255, np.uint8)
    grey = cv2.cvtColor(_id_photo(300, 385, skin=120, hair=40), cv2.COLOR_BGR2GRAY)
    page[120:505, 140:440] = np.where(grey < 170, 0, 255).astype(np.uint8)
    speckle = np.random.default_rng(9).random(page.shape) < 0.001
    page[speckle] = 0
    return page


def _hooded_head_on_a4() -> np.ndarray:
    """A 150-dpi A4 scan with a small head-only photo whose face is as light as its grey background: the
    dark hair (or a hood) makes a ring around it (seeds 18000 d0053 and 20000 d0057)."""
    page = np.full((1754, 1240), 238, np.uint8)
    photo = np.full((266, 207), 205, np.uint8)
    cv2.ellipse(photo, (103, 133), (62, 95), 0, 0, 360, 50, -1)  # the hood
    cv2.ellipse(photo, (103, 140), (45, 55), 0, 0, 360, 208, -1)  # the face, light as the background
    for side in (-1, 1):
        cv2.ellipse(photo, (103 + side * 18, 128), (6, 4), 0, 0, 360, 40, -1)
    cv2.line(photo, (101, 133), (98, 150), 60, 2)
    cv2.ellipse(photo, (103, 165), (16, 5), 0, 0, 180, 60, 2)
    page[70 : 70 + 266, 60 : 60 + 207] = cv2.GaussianBlur(photo, (5, 5), 0)
    noise = np.random.default_rng(4).normal(0, 3, page.shape)
    return np.clip(page + noise, 0, 255).astype(np.uint8)


CASES = [
    pytest.param(_print_on_table, id="print-on-table"),
    pytest.param(_hooded_head_on_a4, id="hooded-head-light-face-on-a4"),
    pytest.param(_small_photo_on_a4, id="small-photo-on-a4"),
    pytest.param(lambda: _small_photo_on_a4("bottom-right"), id="small-photo-bottom-right"),
    pytest.param(lambda: _small_photo_on_a4(shoulders=False), id="small-head-only-photo-on-a4"),
    pytest.param(_faxed_silhouette, id="faxed-silhouette"),
]


@pytest.mark.parametrize("turned", TURNS)
@pytest.mark.parametrize("make", CASES)
def test_portrait_turned_any_way_is_put_upright(make: object, turned: int) -> None:
    assert callable(make)
    page = rotate_clockwise(make(), turned)  # as sent: turned ``turned`` degrees clockwise
    orientation = detect_orientation(page, text_layer_present=False)
    assert orientation.rotate == (360 - turned) % 360, orientation


@pytest.mark.parametrize("turned", TURNS)
@pytest.mark.parametrize("make", CASES)
def test_portrait_turned_any_way_is_recognised(make: object, turned: int) -> None:
    assert callable(make)
    page = rotate_clockwise(make(), turned)
    grey = np.asarray(page if page.ndim == 2 else cv2.cvtColor(page, cv2.COLOR_BGR2GRAY), dtype=np.uint8)
    assert detect_portrait(grey) >= 0.5  # the classifier's threshold for a confident photo/portrait


@pytest.mark.parametrize(
    "page",
    [
        pytest.param(np.full((1754, 1240), 246, np.uint8), id="blank-sheet"),
        pytest.param(np.zeros((0, 0), np.uint8), id="empty"),
        pytest.param(np.random.default_rng(1).integers(0, 255, (300, 200), dtype=np.uint8), id="noise"),
        pytest.param(np.full((10, 4000), 128, np.uint8), id="sliver"),
    ],
)
def test_no_portrait_no_turn(page: np.ndarray) -> None:
    """Junk and blank pages never crash and are not turned as photos."""
    assert portrait_rotation(page) is None
    assert detect_portrait(page) < 0.5


def _cued_page(words: str, portrait: float) -> Page:
    """A page as the read stage leaves it: its OCR words and its measured image cues."""
    tokens = tuple(Word(t, Box(10 + 60 * i, 20, 50, 16), 95.0, 0) for i, t in enumerate(words.split()))
    quality = PageQuality(width=150, height=200, dpi=300, sharpness=100, brightness=128, contrast=50)
    cues = {"portrait": portrait, "handwriting": 0.0, "photo_grid": 0.0, "id_card": 0.0}
    return Page(
        file="photo.jpg",
        number=1,
        image=np.zeros((200, 150), np.uint8),
        text=PageText(tokens, "ocr", 95.0),
        quality=quality,
        visual=cues,
    )


@pytest.mark.parametrize(
    ("words", "portrait", "confident"),
    [
        pytest.param("", 0.54, True, id="wordless-fair-layout"),
        pytest.param("", 0.9, True, id="wordless-clear-layout"),
        pytest.param("", 0.3, False, id="wordless-faint-layout"),
    ],
)
def test_wordless_portrait_is_typed_with_confidence(words: str, portrait: float, confident: bool) -> None:
    """A page with no word at all and a fair portrait layout is the photo, sure enough for the photo check."""
    result = classify_document([_cued_page(words, portrait)], load_doctypes())
    assert (result.type, result.subtype) == ("photo", "portrait"), result.scores
    assert (result.confidence >= 0.5) is confident, result.confidence


def test_hair_ring_around_a_light_face_is_one_head() -> None:
    """The subject mask of a head-only photo whose face is as light as its background is a ring (the hair or
    a hood) with the eyes and mouth inside: the head is the ring with what it encloses (seeds 18000 d0053
    and 20000 d0057 scored 0 on this layout, and their photos were left « à vérifier »)."""
    from preverif.classify.visual import _head_only

    mask = np.zeros((160, 125), np.uint8)
    cv2.ellipse(mask, (62, 80), (38, 58), 0, 0, 360, 1, -1)
    cv2.ellipse(mask, (62, 84), (27, 33), 0, 0, 360, 0, -1)  # the face: background-light, not subject
    for side in (-1, 1):
        cv2.circle(mask, (62 + side * 11, 77), 3, 1, -1)
    assert _head_only(mask.astype(bool)) >= 0.5
    assert _head_only(np.rot90(mask).astype(bool)) == 0.0  # lying on its side: not upright
