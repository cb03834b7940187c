"""Wordless unsure pages: a card on a blank sheet, a faxed portrait with its header line (drawn here)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from preverif.imaging.orient import (
    content_region,
    detect_orientation,
    enlarge_small_text,
    header_rotation,
    rotate_clockwise,
)
from preverif.imaging.upright import find_turn_by_reading
from preverif.ocr.tesseract import ocr_image

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(FONT, size)
    except OSError:
        return ImageFont.load_default()


def _card_on_sheet(width: int = 1240, height: int = 1754) -> np.ndarray:
    """A tinted card with a few lines of text in the top-left corner of a blank sheet."""
    sheet = PILImage.new("L", (width, height), 245)
    draw = ImageDraw.Draw(sheet)
    draw.rounded_rectangle((40, 60, 440, 320), radius=12, fill=205)
    lines = ("PERMIS DE CONDUIRE", "REPUBLIQUE FRANCAISE", "MARTIN Claire", "Préfecture de Lyon")
    for i, line in enumerate(lines):
        draw.text((60, 80 + 50 * i), line, fill=20, font=_font(22))
    return np.asarray(sheet, dtype=np.uint8)


def _faxed_portrait(width: int = 1240, height: int = 1754) -> np.ndarray:
    """A bilevel page: a silhouette near the top, the fax's header line at the very top."""
    page = PILImage.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    draw.text((40, 10), "12/11/2026 10:32  DE: +33 5 66 95 10 41   P. 001", fill=0, font=_font(20))
    draw.ellipse((100, 90, 220, 240), fill=0)
    draw.rectangle((50, 260, 270, 330), fill=0)
    draw.ellipse((50, 220, 270, 300), fill=0)
    return np.asarray(page, dtype=np.uint8)


@pytest.mark.parametrize(
    "image, found",
    [
        pytest.param(_card_on_sheet(), True, id="card-in-corner"),
        pytest.param(np.full((400, 300), 250, np.uint8), False, id="blank"),
        pytest.param(np.zeros((10, 10), np.uint8), False, id="tiny"),
    ],
)
def test_content_region(image: np.ndarray, found: bool) -> None:
    region = content_region(image)
    assert (region is not None) == found
    if region is not None:
        assert region.shape[0] < image.shape[0] / 2 and region.shape[1] < image.shape[1] / 2


def test_full_page_of_text_is_no_region() -> None:
    page = PILImage.new("L", (600, 800), 255)
    draw = ImageDraw.Draw(page)
    for i in range(30):
        draw.text((20, 20 + 25 * i), "Ligne de texte qui remplit la page " * 2, fill=0, font=_font(14))
    assert content_region(np.asarray(page, dtype=np.uint8)) is None


def test_enlarge_small_text_keeps_high_resolution() -> None:
    region = np.full((100, 200), 200, np.uint8)
    assert enlarge_small_text(region, 300.0) is region
    assert enlarge_small_text(region, 150.0).shape == (200, 400)


@pytest.mark.parametrize("turned", [pytest.param(0, id="upright"), pytest.param(180, id="upside-down")])
def test_fax_header_beats_silhouette(turned: int) -> None:
    page = rotate_clockwise(_faxed_portrait(), turned)
    assert header_rotation(page) is not None
    assert detect_orientation(page, text_layer_present=False).rotate == (360 - turned) % 360


@pytest.mark.parametrize("turned", [pytest.param(0, id="upright"), pytest.param(90, id="quarter")])
def test_turn_found_by_reading_the_card(turned: int) -> None:
    region = content_region(rotate_clockwise(_card_on_sheet(), turned))
    assert region is not None
    turn, readings = find_turn_by_reading(
        region, lambda image: ocr_image(image, lang="fra", psm=3, timeout=30.0)
    )
    assert turn == (360 - turned) % 360
    assert readings <= 4
