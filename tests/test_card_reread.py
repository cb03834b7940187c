"""An identity card scanned small on an A4 sheet whose holder the page OCR lost: the card re-read (drawn here).

Page OCR of a card lying in a corner of a blank 300-dpi sheet drops whole lines (the given names under
'Prénoms', a licence's field 1.). The read stage then reads the card alone, enlarged, and puts the lines it
found back under their labels.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from preverif.extract.names import find_identity_name, find_licence_name
from preverif.imaging.orient import content_box
from preverif.ocr.merge import merge_readings, place_words
from preverif.ocr.tesseract import ocr_image
from preverif.reading import holder_unread, reread_card
from preverif.records import Box, MrzResult, PageText, Word
from preverif.settings import Settings

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def _font(path: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(path, size)
    except OSError:
        return ImageFont.load_default()


# ---------------------------------------------------------------- drawn cards

CNI = (
    ("RÉPUBLIQUE FRANÇAISE", 30, True),
    ("CARTE NATIONALE D'IDENTITÉ / IDENTITY CARD", 20, False),
    ("NOM / Surname", 18, False),
    ("LEGRAND", 30, True),
    ("Prénoms / Given names", 18, False),
    ("Camille, Louise", 30, True),
    ("Date de naiss. / Date of birth", 18, False),
    ("12 03 1990", 30, True),
)
LICENCE = (
    ("PERMIS DE CONDUIRE", 34, True),
    ("RÉPUBLIQUE FRANÇAISE", 22, False),
    ("1. FONTAINE", 28, True),
    ("2. HUGO PAUL", 28, True),
    ("3. 14.02.1985 NANTES (44)", 28, True),
    ("4a. 02.05.2019 4b. 01.05.2034", 28, True),
    ("4c. Préfecture 44", 28, True),
)


def _sheet_with_card(lines: tuple[tuple[str, int, bool], ...], *, shadow: bool = False) -> np.ndarray:
    """An A4 page at 300 dpi with a life-size tinted card (1011×638 px) near its top-left corner; with
    ``shadow``, the scanner lid's dark band along the top edge touching the card."""
    sheet = PILImage.new("L", (2480, 3508), 244)
    draw = ImageDraw.Draw(sheet)
    left, top = 150, 40 if shadow else 150
    if shadow:
        draw.rectangle((0, 0, 2479, 45), fill=120)
    draw.rounded_rectangle((left, top, left + 1011, top + 638), radius=30, fill=214)
    draw.rectangle((left + 30, top + 120, left + 260, top + 420), fill=170)  # the photo
    y = top + 25
    for text, size, bold in lines:
        draw.text((left + 290, y), text, fill=25, font=_font(BOLD if bold else FONT, size))
        y += size + 30
    return np.asarray(sheet, dtype=np.uint8)


def _small_card(lines: tuple[tuple[str, int, bool], ...]) -> np.ndarray:
    """The card alone as a low-resolution image (about 150 dpi): the page is the card, no sheet around it,
    its print running edge to edge (a document number along the bottom, a code at the top right)."""
    big = _sheet_with_card(lines)[150 : 150 + 638, 150 : 150 + 1011]
    card = PILImage.fromarray(big).resize((506, 319), PILImage.Resampling.LANCZOS)
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, 0, 505, 318), outline=214, width=8)  # no sheet at the corners
    draw.text((14, 282), "135F1HC2Z          21 10 2035", fill=25, font=_font(BOLD, 20))
    draw.rectangle((450, 14, 492, 40), fill=60)
    return np.asarray(card, dtype=np.uint8)


def _without_line(text: PageText, dropped: str) -> PageText:
    """The page's reading with one line lost, as page OCR loses it on real scans."""
    lines = {w.line for w in text.words if dropped.lower() in w.text.lower()}
    return PageText(
        words=tuple(w for w in text.words if w.line not in lines),
        source=text.source,
        mean_confidence=text.mean_confidence,
    )


def _holder(text: PageText) -> str | None:
    person = find_identity_name(text.lines) or find_licence_name(text.lines)
    return None if person is None else person.raw


@pytest.mark.parametrize(
    "lines, dropped, surname, given",
    [
        pytest.param(CNI, "Camille", "LEGRAND", "Camille", id="cni-given-names-lost"),
        pytest.param(LICENCE, "FONTAINE", "FONTAINE", "HUGO", id="licence-field-1-lost"),
    ],
)
def test_reread_card_restores_lost_line(
    lines: tuple[tuple[str, int, bool], ...], dropped: str, surname: str, given: str
) -> None:
    settings = Settings()
    page = _sheet_with_card(lines)
    box = content_box(page)
    assert box is not None
    left, top, right, bottom = box
    # the page OCR as it came, with the line real scans lose taken out
    seen = ocr_image(page[top:bottom, left:right], lang=settings.languages, psm=3, dpi=300)
    lost = _without_line(place_words(seen, left, top, 1.0), dropped)
    assert holder_unread(lost, None)
    restored = reread_card(page, lost, 300.0, settings)
    assert restored is not None
    holder = _holder(restored)
    assert holder is not None and surname in holder.upper() and given.upper() in holder.upper()
    assert not holder_unread(restored, None)
    # the value sits under its label again, not at the end of the page
    joined = restored.lines
    index = next(i for i, line in enumerate(joined) if dropped.lower() in line.lower())
    assert index < len(joined) - 2


def test_reread_small_card_whole() -> None:
    """A small image that is the card itself has no sheet to cut it from: it is re-read whole, enlarged."""
    settings = Settings()
    page = _small_card(CNI)
    assert content_box(page) is None
    seen = ocr_image(page, lang=settings.languages, psm=3, dpi=150)
    lost = _without_line(seen, "Camille")
    restored = reread_card(page, lost, 150.0, settings)
    assert restored is not None
    holder = _holder(restored)
    assert holder is not None and "LEGRAND" in holder and "Camille" in holder


def test_reread_card_gives_none_without_a_holder() -> None:
    """A card with no name on it: the re-read finds no holder either and says so (the page text is kept)."""
    lines = (("PERMIS DE CONDUIRE", 34, True), ("RÉPUBLIQUE FRANÇAISE", 22, False), ("9. AM/B1/B", 28, True))
    page = _sheet_with_card(lines)
    text = ocr_image(page, psm=3, dpi=300)
    assert reread_card(page, text, 300.0, Settings()) is None


# ---------------------------------------------------------------- the card's place on the sheet


@pytest.mark.parametrize(
    "shadow",
    [pytest.param(False, id="clear-sheet"), pytest.param(True, id="lid-shadow-touching-card")],
)
def test_content_box_finds_card(shadow: bool) -> None:
    page = _sheet_with_card(CNI, shadow=shadow)
    box = content_box(page)
    assert box is not None
    left, top, right, bottom = box
    assert left <= 160 and right >= 150 + 1000 and right < 1400
    assert top <= (40 if shadow else 150)
    assert bottom >= (40 if shadow else 150) + 630 and bottom < 1000


@pytest.mark.parametrize(
    "image",
    [
        pytest.param(np.full((3508, 2480), 244, np.uint8), id="blank"),
        pytest.param(np.zeros((10, 10), np.uint8), id="tiny"),
        pytest.param(np.full((600, 400), 0, np.uint8), id="all-dark"),
    ],
)
def test_content_box_junk(image: np.ndarray) -> None:
    assert content_box(image) is None


# ---------------------------------------------------------------- when to re-read


def _text(*lines: str, rows: tuple[int, ...] = (), lefts: tuple[int, ...] = ()) -> PageText:
    """Lines of words as OCR gives them, one above the other (at the given ``rows`` and ``lefts`` when set)."""
    words = [
        Word(
            text=token,
            box=Box((lefts[i] if lefts else 10) + 60 * j, 10 + 40 * (rows[i] if rows else i), 50, 30),
            confidence=90.0,
            line=i,
        )
        for i, line in enumerate(lines)
        for j, token in enumerate(line.split())
    ]
    return PageText(words=tuple(words), source="ocr", mean_confidence=90.0)


def _mrz(surname: str) -> MrzResult:
    return MrzResult(
        format="td1",
        lines=(),
        document_code="ID",
        issuing_state="FRA",
        surname=surname,
        given_names=("ANNE",),
        document_number="X",
        nationality="FRA",
        birth_date=None,
        sex="F",
        expiry_date=None,
        issue_date=None,
        checks={},
    )


@pytest.mark.parametrize(
    "text, mrz, expected",
    [
        pytest.param(
            _text(
                "CARTE NATIONALE D'IDENTITÉ",
                "NOM / Surname",
                "DUPONT",
                "Prénoms / Given names",
                "SEXE / Sex NATIONALITÉ / Nationality",
                "F FRA 12 03 1990",
            ),
            None,
            True,
            id="cni-given-lost",
        ),
        pytest.param(
            _text(
                "CARTE NATIONALE D'IDENTITÉ",
                "NOM / Surname",
                "DUPONT",
                "Prénoms / Given names",
                "Anne, Marie",
            ),
            None,
            False,
            id="cni-complete",
        ),
        pytest.param(
            _text("PERMIS DE CONDUIRE", "REPUBLIQUE FRANÇAISE", "2. ANNE MARIE", "3. 01.02.1990 LYON"),
            None,
            True,
            id="licence-surname-lost",
        ),
        pytest.param(
            _text(
                "ReRgRogogeg>pzgs", "2. YANIS JEAN PIERRE", "3. 02.09.1998 BORDEAUX (33)", "4c. Préfecture 67"
            ),
            None,
            True,
            id="licence-title-and-surname-lost",
        ),
        pytest.param(
            _text("ATTESTATION SCOLAIRE", "2. Circuler en sécurité", "Nom : DUPONT", "Prénom :"),
            None,
            False,
            id="one-numbered-line-is-no-licence",
        ),
        pytest.param(
            _text("CARTE NATIONALE D'IDENTITÉ", "NOM / Surname", "Prénoms / Given names"),
            _mrz("DUPONT"),
            False,
            id="mrz-names-it",
        ),
        pytest.param(
            _text("FACTURE ELECTRICITE", "Nom du titulaire du contrat", "Montant 45,00 EUR"),
            None,
            False,
            id="bill",
        ),
        pytest.param(PageText(words=(), source="none"), None, False, id="empty"),
    ],
)
def test_holder_unread(text: PageText, mrz: MrzResult | None, expected: bool) -> None:
    assert holder_unread(text, mrz) is expected


# ---------------------------------------------------------------- joining two readings


@pytest.mark.parametrize(
    "primary, secondary, expected",
    [
        pytest.param(
            _text("NOM / Surname", "DUPONT", "Prénoms / Given names", "Anne"),
            _text("NOM / Surname", "DUPONT", "Prénoms / Given names"),
            ["NOM / Surname", "DUPONT", "Prénoms / Given names", "Anne"],
            id="primary-complete",
        ),
        pytest.param(
            _text("NOM / Surname", "Prénoms / Given names", rows=(0, 2)),
            _text("NOM / Surname", "DUPONT", "Prénoms / Given names", "Anne"),
            ["NOM / Surname", "DUPONT", "Prénoms / Given names", "Anne"],
            id="secondary-fills-gaps-in-place",
        ),
        pytest.param(_text(), _text("A B"), ["A B"], id="primary-empty"),
        pytest.param(_text("A B"), PageText(words=(), source="none"), ["A B"], id="secondary-empty"),
        pytest.param(
            _text("RECTO 1", "RECTO 2"),
            _text("RECTO 1", "RECTO 2", "VERSO 9", rows=(0, 1, 1), lefts=(10, 10, 500)),
            ["RECTO 1", "RECTO 2", "VERSO 9"],
            id="other-column-kept-after",
        ),
    ],
)
def test_merge_readings(primary: PageText, secondary: PageText, expected: list[str]) -> None:
    assert merge_readings(primary, secondary).lines == expected


def test_place_words_maps_back_to_page() -> None:
    text = _text("DUPONT")
    placed = place_words(text, 100, 200, 2.0)
    assert placed.words[0].box == Box(105, 205, 25, 15)
    assert place_words(text, 0, 0, 0.0) == text


# ---------------------------------------------------------------- a licence's fields behind a frame edge


@pytest.mark.parametrize(
    "lines, expected",
    [
        pytest.param(
            ["NOM / Surname", "BENOIT", "Prénoms / Given names", "fA Gabriel, Pierre, Michel"],
            "BENOIT Gabriel Pierre Michel",
            id="photo-edge-before-names",
        ),
        pytest.param(
            ["NOM / Surname", "BENOIT", "Prénoms / Given names", "Jean Marc, Pierre"],
            "BENOIT Jean Marc Pierre",
            id="two-names-before-comma-kept",
        ),
        pytest.param(
            ["NOM / Surname", "LE BIHAN", "Prénoms / Given names", "Marie-Ève, Claire"],
            "LE BIHAN Marie-Ève Claire",
            id="hyphenated-first-name-kept",
        ),
        pytest.param(
            ["NOM / Surname", "MARTIN", "Prénoms / Given names", "Anne-Sophie, Marie, Anne"],
            "MARTIN Anne-Sophie Marie Anne",
            id="compound-first-name-kept",
        ),
        pytest.param(
            ["NOM / Surname", "MARTIN", "Prénoms / Given names", "JO Anne-Sophie, Marie"],
            "MARTIN Anne-Sophie Marie",
            id="capitals-scrap-dropped",
        ),
    ],
)
def test_given_names_behind_debris(lines: list[str], expected: str) -> None:
    person = find_identity_name(lines)
    assert person is not None and person.raw == expected


@pytest.mark.parametrize(
    "lines, expected",
    [
        pytest.param(
            ["| PERMIS DE CONDUIRE", "i 1, KERGOAT", "| 2 CHLOE FRANCOISE", "| 3 07.03.1978 RENNES (35)"],
            "KERGOAT CHLOE FRANCOISE",
            id="edge-read-as-letter",
        ),
        pytest.param(
            ["PERMIS DE CONDUIRE", "1. MARTIN", "2. LÉA", "3. 01.02.1990 LYON"], "MARTIN LÉA", id="clean"
        ),
        pytest.param(["FACTURE", "i 1, KERGOAT", "| 2 CHLOE FRANCOISE"], None, id="untitled-stays-strict"),
    ],
)
def test_licence_name_behind_debris(lines: list[str], expected: str | None) -> None:
    person = find_licence_name(lines)
    assert (person.raw if person else None) == expected
