"""The e-photo code read glyph by glyph on rendered sheets: fonts with and without marked zeros, blur,
fax-like binarisation, 150 dpi. A code comes out exact, or its wrong characters are flagged doubtful."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from preverif.extract.ephoto import (
    EXPECTED_LENGTH,
    _ink,
    read_code_line,
    read_ephoto_code,
    reread_page_codes,
    segment_glyphs,
)
from preverif.ocr.tesseract import ocr_image
from preverif.records import Box, Page, PageQuality

FONTS = Path("/usr/share/fonts/truetype")
DEJAVU_MONO = FONTS / "dejavu" / "DejaVuSansMono.ttf"
DEJAVU_MONO_BOLD = FONTS / "dejavu" / "DejaVuSansMono-Bold.ttf"
LIBERATION_MONO = FONTS / "liberation2" / "LiberationMono-Regular.ttf"
LIBERATION_MONO_BOLD = FONTS / "liberation2" / "LiberationMono-Bold.ttf"
LABEL_FONT = FONTS / "dejavu" / "DejaVuSans-Bold.ttf"


pytestmark = pytest.mark.usefixtures("tesseract_cli")


def _sheet(code: str, font: Path, *, dpi: int = 300, grouped: bool = False) -> np.ndarray:
    """A strip of an e-photo sheet: label, the code (10 pt), the shooting date; at ``dpi``."""
    k = dpi / 300
    img = PILImage.new("L", (round(1150 * k), round(330 * k)), 255)
    draw = ImageDraw.Draw(img)
    draw.text(
        (round(60 * k), round(50 * k)),
        "Code e-photo :",
        font=ImageFont.truetype(str(LABEL_FONT), round(34 * k)),
        fill=20,
    )
    shown = " ".join(code[i : i + 4] for i in range(0, len(code), 4)) if grouped else code
    draw.text(
        (round(60 * k), round(125 * k)), shown, font=ImageFont.truetype(str(font), round(44 * k)), fill=20
    )
    draw.text(
        (round(60 * k), round(220 * k)),
        "Date de prise de vue : 03/11/2026",
        font=ImageFont.truetype(str(LABEL_FONT), round(28 * k)),
        fill=20,
    )
    return np.array(img)


def _blur(image: np.ndarray, sigma: float) -> np.ndarray:
    return np.asarray(cv2.GaussianBlur(image, (0, 0), sigma))


def _fax(image: np.ndarray) -> np.ndarray:
    """Blurred then hard-thresholded, with speckle: what a fax or a 1-bit scan leaves."""
    rng = np.random.default_rng(7)
    soft = cv2.GaussianBlur(image, (0, 0), 1.3).astype(np.int16) + rng.integers(-40, 40, image.shape)
    return np.where(soft < 140, 0, 255).astype(np.uint8)


def _binarise(image: np.ndarray) -> np.ndarray:
    """A 1-bit scan: slightly soft print cut at mid-grey."""
    return np.where(cv2.GaussianBlur(image, (0, 0), 0.7) < 128, 0, 255).astype(np.uint8)


def _check(code: str, image: np.ndarray) -> None:
    text = ocr_image(image, lang="eng", psm=3)
    codes = reread_page_codes(image, text)
    got = codes.get("ephoto", "")
    doubtful = {int(x) for x in codes.get("ephoto_doubtful", "").split(",") if x}
    assert len(got) == EXPECTED_LENGTH, codes
    wrong = {i for i, (a, b) in enumerate(zip(got, code, strict=True)) if a != b}
    assert wrong <= doubtful, f"silently wrong at {sorted(wrong - doubtful)}: {got}"
    assert len(doubtful) <= 4, f"too many doubts: {codes}"


CASES = [
    pytest.param(
        "H1B2LJRS5EUAIKAZPTSSXD", LIBERATION_MONO_BOLD, 300, "blur", False, id="liberation-bold-blur-split-5"
    ),
    pytest.param(
        "TT8IF80NCQ0B2ZSSDOI82U", LIBERATION_MONO_BOLD, 300, "blur", True, id="liberation-bold-grouped-8-vs-S"
    ),
    pytest.param("0EPCQM549PTTN31YR6PI7Y", DEJAVU_MONO, 300, "blur", False, id="dejavu-blur-leading-zero"),
    pytest.param("SN1VHZOMCQ8PXJ210UX485", DEJAVU_MONO_BOLD, 300, "fax", False, id="dejavu-bold-fax"),
    pytest.param("OCCQ8LQ6RQX2PMMSZK40IF", LIBERATION_MONO, 150, "none", False, id="liberation-150dpi"),
    pytest.param(
        "36DTAVR7LJI732RUK5BR1I",
        LIBERATION_MONO_BOLD,
        150,
        "binarised",
        True,
        id="liberation-bold-150dpi-binarised-grouped",
    ),
]


@pytest.mark.parametrize(("code", "font", "dpi", "defect", "grouped"), CASES)
def test_code_is_exact_or_flagged(code: str, font: Path, dpi: int, defect: str, grouped: bool) -> None:
    if not font.exists() or not LABEL_FONT.exists():
        pytest.skip("police de test absente")
    image = _sheet(code, font, dpi=dpi, grouped=grouped)
    if defect == "blur":
        image = _blur(image, 1.6 * dpi / 300)
    elif defect == "fax":
        image = _fax(image)
    elif defect == "binarised":
        image = _binarise(image)
    _check(code, image)


@pytest.mark.skipif(not LIBERATION_MONO_BOLD.exists(), reason="police de test absente")
def test_dotted_zero_and_plain_o_in_one_code() -> None:
    """A print that marks its zeros tells O from 0 by the mark, whatever Tesseract prefers."""
    code = "M0CUP7OMBMIFD465JE0PCO"
    image = _sheet(code, LIBERATION_MONO_BOLD)
    text = ocr_image(image, lang="eng", psm=3)
    assert reread_page_codes(image, text) == {"ephoto": code}


@pytest.mark.skipif(not DEJAVU_MONO.exists(), reason="police de test absente")
@pytest.mark.parametrize("grouped", [pytest.param(False, id="one-run"), pytest.param(True, id="groups-of-4")])
def test_segmentation_finds_every_glyph(grouped: bool) -> None:
    image = _sheet("K7P2QX9LM4TR8ZW3HN6BVD", DEJAVU_MONO, grouped=grouped)
    ink = _ink(image[110:190, :])
    cells = segment_glyphs(ink, Box(50, 15, 1000, 32))
    assert cells is not None and len(cells) == EXPECTED_LENGTH
    lefts = [c[0] for c in cells]
    assert lefts == sorted(lefts)


def test_doubtful_positions_reach_the_reading() -> None:
    page = Page(
        file="e-photo.png",
        number=1,
        image=np.full((10, 10), 255, np.uint8),
        text=ocr_image(np.full((10, 10), 255, np.uint8)),
        quality=PageQuality(width=10, height=10, dpi=300, sharpness=100, brightness=200, contrast=50),
        codes={"ephoto": "K7P2QX9LM4TR8ZW3HN6BVD", "ephoto_doubtful": "3,17,x,99"},
    )
    reading = read_ephoto_code([page], [])
    assert reading is not None and reading.code == "K7P2QX9LM4TR8ZW3HN6BVD"
    assert reading.ambiguous == (3, 17)


@pytest.mark.parametrize(
    ("image", "box"),
    [
        pytest.param(None, Box(0, 0, 10, 10), id="no-image"),
        pytest.param(np.zeros((0, 0), np.uint8), Box(0, 0, 10, 10), id="empty"),
        pytest.param(np.full((50, 50), 255, np.uint8), Box(-20, -20, 5, 0), id="degenerate-box"),
        pytest.param(
            np.random.default_rng(3).integers(0, 256, (80, 900), dtype=np.uint8),
            Box(10, 20, 880, 40),
            id="noise",
        ),
        pytest.param(np.zeros((80, 900, 4), np.uint8), Box(10, 20, 880, 40), id="bgra-black"),
    ],
)
def test_read_code_line_junk_never_raises(image: np.ndarray | None, box: Box) -> None:
    line = read_code_line(image, box)
    assert line is None or len(line.code) == EXPECTED_LENGTH
