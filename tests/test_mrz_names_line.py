"""The names line, which no check digit covers: a shape verdict the field forbids (a '0' in a name) must not
hand the cell to the next letter in line (Q), and a K Tesseract sees in a filler run must not leave a
chevron-shaped '<' open (K weighs as '<' mod 10, so no check digit can settle it)."""

from __future__ import annotations

import numpy as np
import pytest
from tests.test_mrz_glyph import OCRB, TODAY, _card
from tests.test_mrz_pitch import _cell

from mrz_bands import td1_band
from preverif.extract.mrz import (
    _LAYOUTS,
    _Cell,
    _chevron_shaped,
    _combine_readings,
    _GlyphBand,
    check_digit,
    parse_mrz,
    read_mrz_with_rotation,
)

pytestmark = pytest.mark.skipif(not OCRB.is_file(), reason="OCR-B font absent")

_ALL = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"


def _td3(names: str, number: str, birth: str, sex: str, expiry: str) -> tuple[str, str]:
    """A French passport MRZ with correct check digits."""
    line1 = f"P<FRA{names}".ljust(44, "<")
    optional = "<" * 14
    head = f"{number}{check_digit(number)}FRA{birth}{check_digit(birth)}{sex}{expiry}{check_digit(expiry)}"
    head += f"{optional}{check_digit(optional)}"
    composite = head[0:10] + head[13:20] + head[21:43]
    return line1, head + str(check_digit(composite))


JOEL = _td3("CHEVALIER<<JOEL<ANDRE", "04JK47731", "030524", "M", "331014")
LOUIS = _td3("DE<VILLIERS<<LOUIS", "02TD07975", "051216", "M", "360504")
QUENTIN = _td3("MARTIN<<QUENTIN", "02TD07975", "051216", "M", "360504")
LUKAS = td1_band("LDCR3DXRH", "041104", "M", "340420", "MULLER<<LUKAS")


def _sure(char: str) -> _Cell:
    return _Cell(((char, 0.95), *((c, 0.3) for c in _ALL if c != char)))


def _band(lines: tuple[str, ...], cells: dict[tuple[int, int], _Cell]) -> _GlyphBand:
    """A glyph reading sure of every cell but ``cells`` (line, position)."""
    rows = tuple(
        tuple(cells.get((ln, p), _sure(char)) for p, char in enumerate(line)) for ln, line in enumerate(lines)
    )
    return _GlyphBand(rows, 0.95)


def _settled_zero(unsettled: tuple[tuple[str, float], ...]) -> _Cell:
    """A cell ``_settle_round`` called a '0' by height: O dropped from its ranking, the templates' kept aside."""
    ranked = (("0", dict(unsettled)["0"]), *((c, s) for c, s in unsettled if c not in "0O"))
    return _Cell(ranked, 10, by_shape=True, unsettled=unsettled)


@pytest.mark.parametrize(
    ("lines", "unsettled"),
    [
        # templates sure of the O; the height called it a 0 (a 150-dpi scan): the name keeps its O, not Q
        pytest.param(JOEL, (("O", 0.937), ("Q", 0.848), ("D", 0.832), ("0", 0.809)), id="joel-O"),
        pytest.param(LOUIS, (("O", 0.86), ("0", 0.849), ("Q", 0.841), ("D", 0.826)), id="louis-O"),
        # a real Q the templates ranked first stays a Q
        pytest.param(QUENTIN, (("Q", 0.93), ("O", 0.85), ("0", 0.84), ("D", 0.8)), id="quentin-Q"),
    ],
)
def test_name_cell_keeps_the_templates_letter_when_the_shape_says_digit(
    lines: tuple[str, str], unsettled: tuple[tuple[str, float], ...]
) -> None:
    assert parse_mrz(lines, today=TODAY).valid
    position = lines[0].index(unsettled[0][0], 5)
    glyph = _band(lines, {(0, position): _settled_zero(unsettled)})
    result = _combine_readings(_LAYOUTS["td3"], glyph, [None, lines[1]], TODAY)
    assert result.lines == lines
    assert result.valid


def test_covered_cell_settled_by_shape_unchanged() -> None:
    """A document number's 0 the height settled stays a 0: check-covered cells are settled as before."""
    lines = JOEL
    glyph = _band(lines, {(1, 0): _settled_zero((("O", 0.9), ("0", 0.89), ("Q", 0.5)))})
    result = _combine_readings(_LAYOUTS["td3"], glyph, [None, lines[1]], TODAY)
    assert result.valid and result.lines == lines


@pytest.mark.parametrize(
    ("chevron", "valid"),
    [
        # the cell's ink is a chevron: Tesseract's K is filler noise, the reading stands
        pytest.param(True, True, id="chevron-shaped"),
        # no shape evidence: '<' and K stay open, and K ≡ '<' mod 10, so the reading is left uncertain
        pytest.param(False, False, id="no-shape-evidence"),
    ],
)
def test_witness_k_in_filler_run(chevron: bool, valid: bool) -> None:
    lines = LUKAS
    positions = (22, 23, 27)  # optional data, covered only by the composite check
    witness = "".join("K" if p in positions else c for p, c in enumerate(lines[0]))
    ranked = (("<", 0.93), ("K", 0.85), *((c, 0.3) for c in _ALL if c not in "<K"))
    glyph = _band(lines, {(0, p): _Cell(ranked, 10, chevron=chevron) for p in positions})
    result = _combine_readings(_LAYOUTS["td1"], glyph, [witness, None, None], TODAY)
    assert result.lines == lines
    assert result.valid is valid
    assert (result.checks.get("reading") is False) is not valid


@pytest.mark.parametrize(
    ("char", "streak", "expected"),
    [
        pytest.param("<", False, True, id="chevron"),
        pytest.param("<", True, True, id="chevron-fax-streak"),
        pytest.param("K", False, False, id="K"),
        pytest.param("X", False, False, id="X"),
        pytest.param("E", False, False, id="E"),
        pytest.param("C", False, False, id="C"),
        pytest.param("L", False, False, id="L"),
    ],
)
def test_chevron_shape(char: str, streak: bool, expected: bool) -> None:
    assert _chevron_shaped(_cell(char, streak), 0, 19.0) is expected


@pytest.mark.parametrize(
    "core",
    [
        pytest.param(np.zeros((24, 19), np.uint8), id="blank"),
        pytest.param(np.zeros((0, 0), np.uint8), id="empty"),
        pytest.param(np.ones((3, 19), np.uint8), id="too-short"),
    ],
)
def test_chevron_shape_junk(core: np.ndarray) -> None:
    assert _chevron_shaped(core, 0, 19.0) is False
    assert _chevron_shaped(core, 40, 19.0) is False


@pytest.mark.parametrize(
    ("lines", "cap"),
    [
        pytest.param(JOEL, 30, id="td3-joel"),
        pytest.param(LOUIS, 22, id="td3-louis-small"),
        pytest.param(LUKAS, 30, id="td1-lukas"),
    ],
)
def test_rendered_names_line_read_exactly(lines: tuple[str, ...], cap: int) -> None:
    reading = read_mrz_with_rotation(_card(lines, cap), today=TODAY)
    assert reading is not None
    assert reading.result.lines == lines
    assert reading.result.valid
