"""Identity photos that fill their whole file (a print scanned to its edges, an e-photo) and a print
photographed on a lit, textured table: each must be recognised as a portrait and turned upright. Pages of
the same proportions that are no photo must not pass for one."""

from __future__ import annotations

import hashlib
from pathlib import Path

import cv2
import numpy as np
import pytest

from preverif.classify.doctypes import load_doctypes
from preverif.classify.scorer import classify_document
from preverif.classify.visual import detect_portrait, portrait_rotation
from preverif.imaging.orient import rotate_clockwise
from preverif.reading import analyse_file
from preverif.records import InputFile, Page, PageQuality, PageText
from preverif.settings import Settings

TURNS = [pytest.param(t, id=f"turned-{t}") for t in (0, 90, 180, 270)]


def _head(
    img: np.ndarray, *, skin: int, hair: int, shoulders: bool, clothes: tuple[int, int, int] = (70, 60, 50)
) -> None:
    """Draw an ID photo's subject (ISO/IEC 19794-5 layout) on ``img`` in place: hair capping an oval face
    above the middle, the neck, and shoulders cut by the bottom edge (or, tighter, the neck ending above)."""
    height, width = img.shape[:2]
    face = (skin - 40, skin - 15, skin + 15)
    if shoulders:
        cv2.ellipse(
            img,
            (width // 2, int(1.1 * height)),
            (int(0.52 * width), int(0.36 * height)),
            0,
            0,
            360,
            clothes,
            -1,
        )
    neck_end = int(0.82 * height) if shoulders else int(0.74 * height)
    cv2.rectangle(img, (int(0.42 * width), int(0.55 * height)), (int(0.58 * width), neck_end), face, -1)
    cv2.ellipse(
        img,
        (width // 2, int(0.35 * height)),
        (int(0.27 * width), int(0.2 * height)),
        0,
        180,
        360,
        (hair,) * 3,
        -1,
    )
    cv2.ellipse(
        img, (width // 2, int(0.42 * height)), (int(0.24 * width), int(0.2 * height)), 0, 0, 360, face, -1
    )
    for side in (-1, 1):
        eye = (width // 2 + side * int(0.09 * width), int(0.39 * height))
        cv2.circle(img, eye, max(2, width // 60), (40, 40, 40), -1)
    mouth = (width // 2, int(0.5 * height))
    cv2.ellipse(img, mouth, (int(0.07 * width), int(0.02 * height)), 0, 0, 180, (50, 50, 110), 2)


def _tight_photo(
    width: int, height: int, *, shoulders: bool = True, skin: int = 190, seed: int = 3
) -> np.ndarray:
    """The file is the photo: 35×45 mm cropped to its edges, a scanner's dark band along one edge, a tint."""
    rng = np.random.default_rng(seed)
    img = np.full((height, width, 3), (214, 220, 224), np.uint8)
    _head(img, skin=skin, hair=35, shoulders=shoulders)
    band = max(3, height // 60)
    img[-band:] = np.linspace(150, 60, band, dtype=np.uint8)[:, None, None]  # the lid's shadow
    blurred = cv2.GaussianBlur(img, (3, 3), 0).astype(np.float64)
    return np.clip(blurred + rng.normal(0, 3, img.shape), 0, 255).astype(np.uint8)


def _text_crop(width: int, height: int) -> np.ndarray:
    """A page of a document of photo proportions (a receipt cut to its print): lines of small print."""
    img = np.full((height, width, 3), 238, np.uint8)
    rng = np.random.default_rng(4)
    y = 30
    while y < height - 20:
        words = " ".join("".join(chr(65 + int(c)) for c in rng.integers(0, 26, 5)) for _ in range(4))
        cv2.putText(img, words, (12, y), cv2.FONT_HERSHEY_SIMPLEX, 0.35, (30, 30, 30), 1, cv2.LINE_AA)
        y += 16
    return img


def _shaded_gradient(width: int, height: int) -> np.ndarray:
    """A photo-shaped picture of nothing in particular: a dark lower half fading to a light top."""
    column = np.linspace(230, 60, height)[:, None]
    return np.repeat(np.repeat(column, width, axis=1)[:, :, None], 3, axis=2).astype(np.uint8)


def _print_on_lit_table(seed: int = 2) -> np.ndarray:
    """A phone photo of an ID print on a grey woven table whose lit parts are nearly as light as the print,
    the print itself in a shadow that darkens one side: the table's shades pass for the subject's."""
    rng = np.random.default_rng(seed)
    height, width = 1600, 1240
    weave = ((np.arange(height)[:, None] // 3 + np.arange(width)[None, :] // 3) % 2) * 14.0
    light = np.linspace(1.0, 0.7, height)[:, None] * np.linspace(1.15, 0.85, width)[None, :]
    table = (150 + weave) * light
    scene = np.repeat(table[:, :, None], 3, axis=2)
    photo = np.full((900, 700, 3), (222, 226, 230), np.uint8)
    _head(photo, skin=200, hair=45, shoulders=True, clothes=(90, 50, 40))
    source = np.array([[0, 0], [700, 0], [700, 900], [0, 900]], dtype=np.float32)
    target = np.array([[170, 210], [1090, 170], [1050, 1380], [200, 1420]], dtype=np.float32)
    warp = cv2.getPerspectiveTransform(source, target)
    warped = cv2.warpPerspective(photo.astype(np.float64), warp, (width, height))
    inside = cv2.warpPerspective(np.ones((900, 700), np.float32), warp, (width, height))[:, :, None] > 0.5
    shade = np.clip(np.linspace(1.05, 0.6, width), 0, 1)[
        None, :, None
    ]  # a shadow over the print's right side
    scene = np.where(inside, warped * shade, scene)
    return np.clip(scene + rng.normal(0, 3, scene.shape), 0, 255).astype(np.uint8)


def _grey(image: np.ndarray) -> np.ndarray:
    return np.asarray(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), dtype=np.uint8)


TIGHT = [
    pytest.param(lambda: _tight_photo(207, 266), id="150dpi-shoulders"),
    pytest.param(lambda: _tight_photo(207, 266, shoulders=False, skin=120), id="150dpi-head-only-dark-skin"),
    pytest.param(lambda: _tight_photo(413, 531, skin=215), id="300dpi-shoulders-light-skin"),
    pytest.param(lambda: _tight_photo(413, 531, shoulders=False), id="300dpi-head-only"),
]


@pytest.mark.parametrize("turned", TURNS)
@pytest.mark.parametrize("make", TIGHT)
def test_photo_filling_its_file_is_a_portrait_turned_upright(make: object, turned: int) -> None:
    """A photo cropped to its edges has no paper around it and its subject touches the frame: the frame
    itself, of an ID photo's proportions, is the photo."""
    assert callable(make)
    page = _grey(rotate_clockwise(make(), turned))
    assert detect_portrait(page) >= 0.5
    found = portrait_rotation(page)
    assert found is not None and found[0] == (360 - turned) % 360, found


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: _text_crop(207, 266), id="small-print-207x266"),
        pytest.param(lambda: _text_crop(600, 800), id="small-print-600x800"),
        pytest.param(lambda: _shaded_gradient(300, 400), id="gradient-300x400"),
        pytest.param(lambda: np.full((266, 207, 3), 225, np.uint8), id="flat-207x266"),
    ],
)
def test_photo_shaped_non_photo_is_no_portrait(make: object) -> None:
    assert callable(make)
    assert detect_portrait(_grey(make())) < 0.5


CLEAR = (
    0.9  # a head-and-shoulders layout told without doubt (not the weak fallback on a subject's mere share)
)


def test_lit_table_blurs_the_print_on_the_page_as_sent() -> None:
    """The premise of the read-stage test below: on the page as sent, the table hides the print's layout."""
    assert detect_portrait(_grey(_print_on_lit_table())) < CLEAR


@pytest.mark.parametrize("turned", [pytest.param(0, id="upright"), pytest.param(90, id="turned-90")])
def test_print_on_lit_table_is_read_as_a_portrait(tmp_path: Path, turned: int) -> None:
    """The read stage measures the portrait cue on the print that preparation cut out of the phone photo,
    not on the whole scene, and turns it upright."""
    image = rotate_clockwise(_print_on_lit_table(), turned)
    path = tmp_path / "IMG_0001.png"
    cv2.imwrite(str(path), image)
    data = path.read_bytes()
    file = InputFile(path=path, relpath=path.name, size=len(data), sha256=hashlib.sha256(data).hexdigest())
    analysis = analyse_file(file, Settings(cache_dir=None), with_images=False)
    (page,) = analysis.pages
    assert page.visual["portrait"] >= CLEAR, page.visual
    assert page.rotation == (360 - turned) % 360


def _cued(portrait: float, card: float) -> Page:
    """A wordless page as the read stage leaves it, with its measured image cues."""
    quality = PageQuality(width=150, height=200, dpi=150, sharpness=100, brightness=200, contrast=50)
    cues = {"portrait": portrait, "handwriting": 0.0, "photo_grid": 0.0, "id_card": card}
    return Page(
        file="scan.png",
        number=1,
        image=np.zeros((200, 150), np.uint8),
        text=PageText((), "ocr", 0.0),
        quality=quality,
        visual=cues,
    )


@pytest.mark.parametrize(
    ("portrait", "card", "is_photo"),
    [
        pytest.param(0.64, 0.8, False, id="face-on-a-card"),
        pytest.param(0.9, 0.7, False, id="clear-face-on-a-card-close-up"),
        pytest.param(0.64, 0.0, True, id="photo-alone"),
        pytest.param(0.9, 0.3, True, id="photo-faint-card-cue"),
    ],
)
def test_face_on_an_id_card_is_no_photo(portrait: float, card: float, is_photo: bool) -> None:
    """A wordless scan of a card shows the card's own photo: the portrait cue alone must not make it one."""
    result = classify_document([_cued(portrait, card)], load_doctypes())
    assert (result.type == "photo") is is_photo, (result.type, result.subtype, result.scores)
