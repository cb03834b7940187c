"""The e-photo code: read from the page text, or re-read next to its label when the page OCR mangled it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from preverif.extract.ephoto import (
    _glyphs_to_chars,
    find_ephoto_code,
    read_ephoto_code,
    reconcile_code,
    reread_page_codes,
    settle_zeros,
)
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
    reading = read_ephoto_code([page], ["Code e-photo : K7P2-QX9"])
    assert reading is not None and reading.code == CODE


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
    assert read_ephoto_code([], lines) is None


def test_code_in_page_text_is_kept() -> None:
    assert find_ephoto_code(["Code e-photo : " + CODE]) == CODE
    reading = read_ephoto_code([], ["Code e-photo : " + CODE])
    assert reading is not None and reading.code == CODE


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


# ---------------------------------------------------------------- full-resolution re-read (read stage)

MONO_BOLD = "/usr/share/fonts/truetype/liberation2/LiberationMono-Bold.ttf"  # dotted zero, like real sheets
ZERO_CODE = "M0CUP7OMBMIFD465JE0PCB"  # dotted zeros and plain O that Tesseract alone confuses


def _full_sheet(code: str) -> np.ndarray:
    img = PILImage.new("L", (1300, 260), 255)
    draw = ImageDraw.Draw(img)
    draw.text((40, 40), "Code e-photo :", font=ImageFont.truetype(MONO_BOLD, 30), fill=0)
    draw.text((40, 110), code, font=ImageFont.truetype(MONO_BOLD, 44), fill=0)
    draw.text((40, 190), "Date de prise de vue : 03/11/2026", font=ImageFont.truetype(MONO_BOLD, 24), fill=0)
    return np.array(img)


@pytest.mark.skipif(not Path(MONO_BOLD).exists(), reason="police de test absente")
def test_full_resolution_reread_settles_dotted_zeros() -> None:
    from preverif.ocr.tesseract import ocr_image

    image = _full_sheet(ZERO_CODE)
    text = ocr_image(image, lang="eng")
    assert reread_page_codes(image, text) == {"ephoto": ZERO_CODE}
    # extraction prefers the stored full-resolution reading over the page text
    page = Page(
        file="e-photo.png",
        number=1,
        image=image[::4, ::4],
        text=text,
        quality=PageQuality(width=1300, height=260, dpi=300, sharpness=100, brightness=200, contrast=50),
        codes={"ephoto": ZERO_CODE},
    )
    reading = read_ephoto_code([page], ["Code e-photo : MOCUP7OMBMIFD465JEOPCB"])
    assert reading is not None and reading.code == ZERO_CODE


def _glyphs(spec: str) -> list[tuple[int, int, bool | None]]:
    """'D' dotted ring, 'o' plain ring, '-' no hole, 'W' two touching glyphs; pitch 30, glyph width 24."""
    out: list[tuple[int, int, bool | None]] = []
    x = 0
    for c in spec:
        ring = {"D": True, "o": False}.get(c)
        out.append((x, 54 if c == "W" else 24, ring))
        x += 60 if c == "W" else 30
    return out


@pytest.mark.parametrize(
    ("code", "spec", "expected"),
    [
        pytest.param("AO0B", "-DoD", "A0OB", id="marked-ring-is-zero-plain-is-O"),
        pytest.param("AO0B", "-ooD", "AOOB", id="plain-rings-are-O-once-a-mark-is-seen"),
        pytest.param("AO0X", "-oo-", "AO0X", id="no-mark-seen-nothing-changes"),
        pytest.param("AO0XB", "WoD", "AO0XB", id="touching-glyphs-stay-unknown"),
        pytest.param("AO0", "-D", "AO0", id="glyph-count-mismatch-changes-nothing"),
    ],
)
def test_settle_zeros_by_glyph_shape(code: str, spec: str, expected: str) -> None:
    assert settle_zeros(code, _glyphs_to_chars(_glyphs(spec), len(code))) == expected


@pytest.mark.parametrize(
    ("image", "words"),
    [
        pytest.param(None, (), id="no-image"),
        pytest.param(np.zeros((0, 0), np.uint8), (), id="empty-image"),
        pytest.param(
            np.random.default_rng(1).integers(0, 256, (60, 80), dtype=np.uint8),
            (
                Word("e-photo", Box(0, 0, 10, 10), 90.0, 0),
                Word("K7P2QX9LM4TR8ZW3HN6BVD", Box(70, 50, 900, 900), 90.0, 0),
            ),
            id="noise-with-box-outside",
        ),
        pytest.param(
            np.full((40, 40), 255, np.uint8),
            (Word("ephoto", Box(-5, -5, -1, 0), 90.0, 0),),
            id="negative-box",
        ),
    ],
)
def test_full_resolution_reread_junk_never_raises(image: np.ndarray | None, words: tuple[Word, ...]) -> None:
    text = PageText(words, "ocr", 50.0)
    codes = reread_page_codes(image, text)
    assert codes == {} or set(codes) == {"ephoto"}
    assert reread_page_codes(image, PageText((), "none")) == {}  # no label, no re-read
    assert settle_zeros("ABC", None) == "ABC"
    assert _glyphs_to_chars([], 3) is None
