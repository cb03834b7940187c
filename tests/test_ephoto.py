"""The e-photo code: read from the page text, or re-read next to its label when the page OCR mangled it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from preverif.extract.ephoto import find_ephoto_code, reconcile_code, reread_ephoto_code
from preverif.records import Box, Page, PageQuality, PageText, Word

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
CODE = "K7P2QX9LM4TR8ZW3HN6BVD"


def _sheet() -> tuple[np.ndarray, Box]:
    img = PILImage.new("L", (1400, 200), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 32)
    draw.text((20, 80), "Code e-photo :", font=font, fill=0)
    label_right = int(draw.textlength("Code e-photo", font=font)) + 20
    draw.text((340, 80), CODE, font=font, fill=0)
    left = 20 + int(draw.textlength("Code ", font=font))
    return np.array(img), Box(left, 80, label_right - left, 34)


@pytest.mark.skipif(not Path(FONT).exists(), reason="police de test absente")
def test_code_is_reread_next_to_its_label_when_page_ocr_mangled_it() -> None:
    image, label = _sheet()
    words = (
        Word("Code", Box(20, 80, 80, 34), 90.0, 0),
        Word("e-photo", label, 90.0, 0),
        Word("K7P2-QX9", Box(340, 80, 150, 34), 30.0, 0),
    )
    page = Page(
        file="e-photo.png",
        number=1,
        image=image,
        text=PageText(words, "ocr", 60.0),
        quality=PageQuality(width=1400, height=200, dpi=300, sharpness=100, brightness=200, contrast=50),
    )
    assert reread_ephoto_code([page], ["Code e-photo : K7P2-QX9"]) == CODE


@pytest.mark.parametrize(
    "lines",
    [
        pytest.param([], id="empty"),
        pytest.param(["\x00\xff" * 500], id="binary"),
        pytest.param(["CODE " * 10000], id="huge"),
        pytest.param([None, 3], id="not-strings"),  # type: ignore[list-item]
    ],
)
def test_junk_input_never_raises(lines: list[str]) -> None:
    assert find_ephoto_code(lines) is None
    assert reread_ephoto_code([], lines) is None


def test_code_in_page_text_is_kept() -> None:
    assert find_ephoto_code(["Code e-photo : " + CODE]) == CODE
    assert reread_ephoto_code([], ["Code e-photo : " + CODE]) == CODE


@pytest.mark.parametrize(
    ("page", "others", "code", "ambiguous"),
    [
        pytest.param("ABCO1234", ["ABC01234", "ABC01234"], "ABC01234", (), id="two-rereads-flip-O-to-0"),
        pytest.param("ABCO1234", ["ABC01234"], "ABCO1234", (3,), id="tie-keeps-page-and-flags"),
        pytest.param("ABCO1234", [], "ABCO1234", (3, 4), id="no-reread-flags-every-twin"),
        pytest.param("ABCD5678", ["ABCD5G78", "ABCD5G78"], "ABCD5678", (), id="only-twins-may-change"),
        pytest.param("AB0I5678", ["AB0I5678", "AB0I"], "AB0I5678", (), id="rereads-confirm-page"),
        pytest.param("ABCO1234", ["XYZ", "ABC0123455"], "ABCO1234", (3,), id="misaligned-rereads-never-add"),
    ],
)
def test_reconcile_code_votes_only_on_twins(
    page: str, others: list[str], code: str, ambiguous: tuple[int, ...]
) -> None:
    reading = reconcile_code(page, others)
    assert reading.code == code
    assert reading.ambiguous == ambiguous
    assert len(reading.code) == len(page)
