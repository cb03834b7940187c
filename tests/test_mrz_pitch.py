"""MRZ band reading where the line height misleads (blur, fax streaks) and Tesseract's boxes drift: pitch
measured from the line length, witness aligned in reading order, chevrons told from K by shape."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from tests.test_mrz_glyph import OCRB, TODAY, UTOPIA_TD3, _card

from mrz_bands import td1_band
from preverif.extract.mrz import (
    _align_witness,
    _glyph_band,
    _settle_chevron,
    parse_mrz,
    read_mrz_with_rotation,
)

pytestmark = pytest.mark.skipif(not OCRB.is_file(), reason="OCR-B font absent")

CNI_TD1 = td1_band("9SYLNW6UJ", "031112", "M", "320721", "RICHARD<<WEI<MARIE")


def _swollen(image: np.ndarray, sigma: float) -> np.ndarray:
    """A strong blur then a dark threshold: strokes thicken, so every line measures taller than its caps."""
    blurred = cv2.GaussianBlur(image, (0, 0), sigma)
    return np.asarray(np.where(blurred < 200, 20, 250), np.uint8)


@pytest.mark.parametrize(
    ("lines", "sigma"),
    [
        pytest.param(CNI_TD1, 2.2, id="td1-swollen"),
        pytest.param(UTOPIA_TD3, 2.2, id="td3-swollen"),
    ],
)
def test_swollen_band_read_at_its_pitch(lines: tuple[str, ...], sigma: float) -> None:
    assert parse_mrz(lines, today=TODAY).valid
    page = _swollen(_card(lines), sigma)
    band = _glyph_band(page[page.shape[0] // 3 : 2 * page.shape[0] // 3])
    assert band is not None
    assert [len(line) for line in band.lines] == [len(line) for line in lines]
    reading = read_mrz_with_rotation(page, today=TODAY)
    assert reading is not None
    # never a wrong reading reported valid
    assert not reading.result.valid or reading.result.lines == lines


@pytest.mark.parametrize(
    ("read", "glyph", "expected", "agree"),
    [
        pytest.param("45CI494007FRA", "45CJ494OO7FRA", "45CI494007FRA", 12, id="same-length"),
        # one character dropped by Tesseract: the rest stays on its cells, the gap is no opinion
        pytest.param("45CJ49407FRA", "45CJ494OO7FRA", "45CJ494?07FRA", 12, id="dropped"),
        pytest.param("45CJX494OO7FRA", "45CJ494OO7FRA", "45CJ494OO7FRA", 13, id="inserted"),
        pytest.param("", "ABC", "???", 0, id="nothing-read"),
    ],
)
def test_align_witness(read: str, glyph: str, expected: str, agree: int) -> None:
    line, count = _align_witness(read, glyph)
    assert line == expected
    assert count == agree


def _cell(char: str, streak: bool) -> np.ndarray:
    """One binarised OCR-B cell (cap 18 px), optionally crossed by a one-pixel fax streak at its left."""
    from PIL import Image, ImageDraw, ImageFont

    canvas = Image.new("L", (19, 24), 255)
    ImageDraw.Draw(canvas).text((2, -2), char, font=ImageFont.truetype(str(OCRB), 25), fill=0)
    ink = (np.asarray(canvas) < 128).astype(np.uint8)
    if streak:
        ink[:, 1] = 1
    return ink


@pytest.mark.parametrize(
    ("char", "streak", "settled"),
    [
        pytest.param("<", False, True, id="chevron"),
        pytest.param("<", True, True, id="chevron-fax-streak"),
        pytest.param("K", False, False, id="real-K"),
        pytest.param("K", True, False, id="real-K-streak"),
    ],
)
def test_chevron_settled_by_shape(char: str, streak: bool, settled: bool) -> None:
    ranked = (("<", 0.86), ("K", 0.82), ("X", 0.6))
    out = _settle_chevron(ranked, _cell(char, streak), 0, 19.0)
    assert ("K" not in dict(out)) is settled
    assert out[0][0] == "<"
