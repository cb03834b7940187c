"""Which way up a page reads: evidence that tells the upright reading from a sideways or upside-down one.

Tesseract's layout analysis reads text lines standing on end as well as lying ones, so a card a quarter turn
off reads (almost) as well as the upright card: only words lying flat may count. Text read upside down
still gives a handful of confident 'words' (NOM → WON): only a reading confident as a whole is enough to stop
looking. An MRZ whose check digits all hold says which way up the page stands, even when the two band readers
left a look-alike open. The cards are drawn here and read by the real Tesseract.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from preverif.extract.mrz import check_digits_hold, parse_mrz
from preverif.imaging.orient import rotate_clockwise
from preverif.imaging.prepare import PreparedPage
from preverif.imaging.upright import confirm_upright, find_turn_by_reading, is_confident, reading_score
from preverif.ocr.tesseract import ocr_image
from preverif.reading import _confirm_orientation, _rescue_wordless
from preverif.records import Box, Image, PageQuality, PageText, Word
from preverif.settings import Settings

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
MIXED_CASE = (
    "RÉPUBLIQUE FRANÇAISE",
    "CARTE NATIONALE D'IDENTITÉ",
    "Nom : MARTIN",
    "Prénoms : Claire, Louise",
    "Date de naissance : 12 03 1984",
    "Lieu de naissance : Orléans",
    "Date d'expiration : 02 05 2031",
)
# capitals read upside down make capitals again (NOM → WON, SEXE → 3X3S): confident junk
CAPITALS = (
    "NOM / SURNAME",
    "MOISSON",
    "PRENOMS / GIVEN NAMES",
    "SIMON NOEL",
    "SEXE / SEX  M",
    "NATIONALITE  FRA",
    "LIEU DE NAISSANCE",
    "SAINT-DENIS (974)",
    "DATE D'EXPIRATION",
    "02 05 2031",
)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(FONT, size)
    except OSError:
        return ImageFont.load_default()


def _card(lines: tuple[str, ...], size: int = 30) -> Image:
    """An upright card: dark lines of text on a light ground, about 300 dpi."""
    pitch = int(size * 2)
    card = PILImage.new("L", (900, 40 + pitch * len(lines)), 250)
    draw = ImageDraw.Draw(card)
    for i, line in enumerate(lines):
        draw.text((30, 20 + pitch * i), line, fill=15, font=_font(size))
    return np.asarray(card, dtype=np.uint8)


def _read(image: Image) -> PageText:
    return ocr_image(image, lang="fra+eng", psm=3, dpi=300)


@pytest.fixture(scope="module")
def card() -> Image:
    return _card(MIXED_CASE)


@pytest.mark.parametrize("turn", [pytest.param(90, id="quarter"), pytest.param(270, id="three-quarters")])
def test_sideways_reading_is_no_evidence(card: Image, turn: int) -> None:
    upright = _read(card)
    sideways = _read(rotate_clockwise(card, turn))
    upright_score, _ = reading_score(upright)
    sideways_score, _ = reading_score(sideways)
    assert is_confident(upright)
    assert not is_confident(sideways)
    assert sideways_score < 0.2 * upright_score


@pytest.mark.parametrize(
    "given, extra",
    [
        pytest.param(270, 90, id="needs-quarter"),
        pytest.param(90, 270, id="needs-three-quarters"),
    ],
)
def test_confirm_upright_turns_a_sideways_guess(card: Image, given: int, extra: int) -> None:
    """A guess a quarter turn off reads well as vertical text: the sideways readings must still win."""
    image = rotate_clockwise(card, given)
    found = confirm_upright(image, _read(image), _read, sideways_too=True)
    assert found.extra_rotation == extra
    assert is_confident(found.text)


@pytest.mark.parametrize(
    "given, extra",
    [
        pytest.param(270, 90, id="needs-quarter"),
        pytest.param(90, 270, id="needs-three-quarters"),
    ],
)
def test_standing_words_ask_for_the_quarter_turns(card: Image, given: int, extra: int) -> None:
    """Even from a method trusted on its axis (the grid of an e-photo sheet took for text lines), a first
    reading made of words standing on end is evidence of a quarter turn: the sideways readings are tried."""
    image = rotate_clockwise(card, given)
    found = confirm_upright(image, _read(image), _read)
    assert found.extra_rotation == extra


def _prepared(image: Image, method: str) -> PreparedPage:
    height, width = image.shape[:2]
    quality = PageQuality(
        width=width, height=height, dpi=300.0, sharpness=100.0, brightness=200.0, contrast=60.0
    )
    return PreparedPage(
        file="carte.png",
        number=1,
        image=image,
        dpi=300.0,
        rotation=0,
        skew=0.0,
        perspective_fixed=False,
        quality=quality,
        orientation_method=method,
        unlit=image,
    )


@pytest.mark.parametrize(
    "method, rotation",
    [
        # a portrait's layout says where the photo's top is, not which way the card's text runs
        pytest.param("portrait", 90, id="portrait-guess"),
        pytest.param("photo", 90, id="photo-guess"),
    ],
)
def test_portrait_guess_is_checked_sideways(card: Image, method: str, rotation: int) -> None:
    image = rotate_clockwise(card, 270)
    prepared = _prepared(image, method)
    confirmed = _confirm_orientation(prepared, _read(image), Settings(cache_dir=None))
    assert confirmed.page.rotation == rotation
    assert confirmed.page.quality.width == card.shape[1]


@pytest.mark.parametrize(
    "given, turn",
    [
        pytest.param(180, 180, id="upside-down"),
        pytest.param(0, 0, id="upright"),
    ],
)
def test_find_turn_is_not_fooled_by_upside_down_capitals(given: int, turn: int) -> None:
    """Capitals read upside down give several confident junk words: they must not end the search."""
    region = rotate_clockwise(_card(CAPITALS, size=34), given)
    found, _ = find_turn_by_reading(region, _read)
    assert found == turn


def _td1() -> tuple[str, str, str]:
    """A TD1 (2021 ID card) MRZ with its check digits computed here."""
    from preverif.extract.mrz import check_digit

    number, birth, expiry = "X4RTBPFW4", "900713", "300211"
    line1 = f"IDFRA{number}{check_digit(number)}".ljust(30, "<")
    line2_head = f"{birth}{check_digit(birth)}F{expiry}{check_digit(expiry)}FRA".ljust(29, "<")
    composite = line1[5:30] + line2_head[0:7] + line2_head[8:15] + line2_head[18:29]
    line2 = line2_head + str(check_digit(composite))
    line3 = "MARTIN<<MAELYS<GAELLE<MARIE<<<"
    return line1, line2, line3


@pytest.mark.parametrize(
    "checks, holds",
    [
        pytest.param(None, True, id="valid"),
        pytest.param({"reading": False}, True, id="look-alike-left-open"),
        pytest.param({"birth_date": False}, False, id="wrong-check-digit"),
        pytest.param({"birth_date": False, "reading": False}, False, id="wrong-and-open"),
        pytest.param("empty", False, id="no-checks"),
    ],
)
def test_check_digits_hold(checks: dict[str, bool] | str | None, holds: bool) -> None:
    mrz = parse_mrz(_td1(), today=date(2026, 1, 1))
    assert mrz.valid
    if checks == "empty":
        mrz = replace(mrz, checks={})
    elif isinstance(checks, dict):
        mrz = replace(mrz, checks={**mrz.checks, **checks})
    assert check_digits_hold(mrz) is holds


def _thing_on_sheet(size: tuple[int, int], text: bool) -> Image:
    """A blank A4 sheet at 150 dpi with one grey shape in its top-left corner, lettered or not."""
    sheet = PILImage.new("L", (1240, 1754), 245)
    draw = ImageDraw.Draw(sheet)
    draw.rounded_rectangle((40, 60, 40 + size[0], 60 + size[1]), radius=12, fill=205)
    if text:
        for i, line in enumerate(("PERMIS DE CONDUIRE", "REPUBLIQUE FRANCAISE", "MARTIN Claire", "Lyon")):
            draw.text((60, 80 + 50 * i), line, fill=20, font=_font(22))
    return np.asarray(sheet, dtype=np.uint8)


@pytest.mark.parametrize("method", [pytest.param("default", id="default"), pytest.param("photo", id="photo")])
def test_wordless_card_on_a_sheet_is_read_in_each_turn(method: str) -> None:
    """A licence scanned small and upside down on a blank sheet read no word at the guessed turn: whatever
    the method that guessed, the card's region is read in each turn and the page turned."""
    page = rotate_clockwise(_thing_on_sheet((400, 260), text=True), 180)
    prepared = replace(_prepared(page, method), dpi=150.0)
    confirmed = _confirm_orientation(prepared, PageText((), "ocr", 0.0), Settings())
    assert confirmed.page.rotation == 180


def test_id_photo_on_a_sheet_is_no_card() -> None:
    """An ID photo (35x45) alone on a sheet is not card-shaped: its portrait layout keeps the say."""
    from preverif.reading import _card_on_sheet

    assert _card_on_sheet(_prepared(_thing_on_sheet((400, 260), text=False), "default"))
    assert not _card_on_sheet(_prepared(_thing_on_sheet((210, 270), text=False), "photo"))


def _garbage_reading(mean: float) -> PageText:
    """What Tesseract makes of handwriting read upside down: a few confident 'words', the rest noise."""
    words = [
        Word(t, Box(40 + 120 * i, 100, 110, 30), 92.0, 0) for i, t in enumerate(("NOISY", "Jonas", "Bamboo"))
    ]
    rest = round(len(words) * (92.0 - mean) / max(1.0, mean - 5.0))
    words += [
        Word("Wvx", Box(40 + 60 * (i % 30), 200 + 40 * (i // 30), 50, 30), 5.0, 1 + i) for i in range(rest)
    ]
    return PageText(tuple(words), "ocr", sum(w.confidence for w in words) / len(words))


@pytest.mark.parametrize(
    ("mean", "kept"),
    [
        pytest.param(35.0, True, id="garbage-at-35-keeps-the-axis-guess"),
        pytest.param(85.0, False, id="a-confident-reading-turns-the-page"),
    ],
)
def test_whole_page_turned_only_on_a_confident_reading(mean: float, kept: bool) -> None:
    """A full page (no card on a blank sheet) whose upright reading found nothing: another turn is adopted
    only when what it reads is confident as a whole, not on a few words picked out of handwriting noise."""
    rng = np.random.default_rng(7)
    page = np.full((1200, 900), 255, np.uint8)
    for _ in range(400):  # pen strokes all over the sheet: no card-shaped region on it
        y, x = int(rng.integers(50, 1150)), int(rng.integers(50, 850))
        page[y : y + 3, x : x + 40] = 40
    empty = PageText((), "ocr", 0.0)
    garbage = _garbage_reading(mean)

    def read(image: Image) -> PageText:
        return empty if image.shape == page.shape and np.array_equal(image, page) else garbage

    rescued = _rescue_wordless(_prepared(page, "axis"), read)
    assert (rescued is None) is kept, rescued


def _reading(words: list[tuple[str, float]]) -> PageText:
    """A page's reading as Tesseract gave it: words lying flat, one line each, with their confidences."""
    found = tuple(
        Word(text, Box(40, 60 * i, 30 * max(1, len(text)), 40), conf, i)
        for i, (text, conf) in enumerate(words)
    )
    mean = sum(conf for _text, conf in words) / len(words) if words else 0.0
    return PageText(found, "ocr", mean)


# the readings of seed 22000's handwritten attestation (d0016), upright then upside down: nothing the first
# time, two short confident 'words' out of 37 pieces of junk the second
HANDWRITING_UPRIGHT = [("Aa", 30.0), ("ee", 21.0), ("i", 12.0), ("Ui", 25.0)] * 3
HANDWRITING_UPSIDE_DOWN = [("mes", 63.0), ("Sep", 56.0)] + [("oe", 30.0), ("POLALZ", 34.0), ("ab", 33.0)] * 12


def test_junk_read_upside_down_does_not_turn_a_handwritten_page() -> None:
    image = np.full((400, 300), 255, dtype=np.uint8)
    first = _reading(HANDWRITING_UPRIGHT)
    found = confirm_upright(image, first, lambda _image: _reading(HANDWRITING_UPSIDE_DOWN))
    assert found.extra_rotation == 0
    assert found.readings == 2


def test_a_card_reading_two_names_upright_still_turns() -> None:
    """The sample d0002's 150-dpi card, first guessed upside down by its portrait: nothing real read that
    way, two names (« DASILVA », « Hélène ») once turned."""
    image = np.full((400, 300), 255, dtype=np.uint8)
    first = _reading([("Teor", 40.0), ("OT", 30.0), ("amas", 35.0), ("mme", 20.0)] * 9 + [("pe", 30.0)])
    turned = _reading(
        [("NOM", 45.0), ("DASILVA", 80.0), ("Hélène", 90.0), ("Sanam", 40.0), ("names", 45.0)]
        + [("rar", 35.0), ("SEE", 30.0)] * 16
    )
    found = confirm_upright(image, first, lambda _image: turned)
    assert found.extra_rotation == 180


def test_a_real_reading_upside_down_still_turns_the_page() -> None:
    """seed 19000 d0018: the upright guess read two words, the turned page six, at 66 % confidence."""
    image = np.full((400, 300), 255, dtype=np.uint8)
    first = _reading([("Sex", 50.0), ("nome", 52.0)] + [("ii", 20.0)] * 27)
    turned = _reading(
        [
            ("Nom", 70.0),
            ("MARTIN", 80.0),
            ("Prénoms", 75.0),
            ("Claire", 77.0),
            ("Louise", 70.0),
            ("Lyon", 68.0),
        ]
        + [("ii", 50.0)] * 19
    )
    found = confirm_upright(image, first, lambda _image: turned)
    assert found.extra_rotation == 180
