"""MRZ country codes: the issuing state and nationality no check digit covers must name a real state."""

from __future__ import annotations

from datetime import date

import pytest

from preverif.extract import countries
from preverif.extract.mrz import (
    check_digits_hold,
    describe_mrz_state,
    names_settled,
    parse_mrz,
    settle_country_codes,
)

TODAY = date(2026, 11, 27)
MARTIN_TD1 = (
    "IDFRAX4RTBPFW46<<<<<<<<<<<<<<<",
    "9007138F3002119FRA<<<<<<<<<<<6",
    "MARTIN<<MAELYS<GAELLE<MARIE<<<",
)


@pytest.mark.parametrize(
    ("code", "known"),
    [
        pytest.param("FRA", True, id="france"),
        pytest.param("ITA", True, id="italy"),
        pytest.param("D<<", True, id="germany-one-letter"),
        pytest.param("GBD", True, id="british-overseas-territories"),
        pytest.param("XXA", True, id="stateless"),
        pytest.param("UNO", True, id="united-nations"),
        pytest.param("UTO", True, id="icao-specimen-utopia"),
        pytest.param("YUG", True, id="historic-yugoslavia"),
        pytest.param("fra", True, id="lower-case"),
        pytest.param("HED", False, id="fax-misread-of-fra"),
        pytest.param("FRK", False, id="filler-read-as-k"),
        pytest.param("0RA", False, id="digit"),
        pytest.param("<<<", False, id="filler-only"),
        pytest.param("", False, id="empty"),
    ],
)
def test_is_valid(code: str, known: bool) -> None:
    assert countries.is_valid(code) is known


@pytest.mark.parametrize(
    "junk", [pytest.param(x, id=repr(x)) for x in (None, 3, b"FRA", "\x00\x00\x00", "É" * 50)]
)
def test_junk_is_not_a_code(junk: object) -> None:
    assert countries.is_valid(junk) is False  # type: ignore[arg-type]


def test_unknown_issuing_state_makes_a_band_unsure_not_wrong() -> None:
    """A faxed 'IDFRA' read 'IDHED': every check digit still holds (none covers the issuing state), so the
    page's orientation stays proven, but the band is not valid and its names are not trusted over the
    visual zone's."""
    right = parse_mrz(MARTIN_TD1, today=TODAY)
    assert right.valid
    misread = parse_mrz(("IDHED" + MARTIN_TD1[0][5:], *MARTIN_TD1[1:]), today=TODAY)
    assert not misread.valid
    assert check_digits_hold(misread)
    assert not names_settled(misread)
    assert describe_mrz_state(misread) == "lecture incertaine (code de pays inconnu)"
    foreign = parse_mrz(
        (MARTIN_TD1[0], MARTIN_TD1[1][:15] + "QQQ" + MARTIN_TD1[1][18:], MARTIN_TD1[2]), today=TODAY
    )
    assert not foreign.valid  # an unknown nationality too


UTOPIA_TD3 = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10")


def _with(lines: tuple[str, ...], line: int, start: int, text: str) -> tuple[str, ...]:
    out = list(lines)
    out[line] = out[line][:start] + text + out[line][start + len(text) :]
    return tuple(out)


@pytest.mark.parametrize(
    ("lines", "expected", "valid"),
    [
        pytest.param(_with(MARTIN_TD1, 0, 2, "FPA"), MARTIN_TD1, True, id="td1-issuing-state-one-letter-off"),
        pytest.param(_with(MARTIN_TD1, 1, 15, "FRK"), MARTIN_TD1, True, id="td1-nationality-one-letter-off"),
        pytest.param(
            _with(UTOPIA_TD3, 1, 10, "UT0"), UTOPIA_TD3, True, id="td3-nationality-digit-for-letter"
        ),
        pytest.param(
            _with(MARTIN_TD1, 0, 2, "HED"), _with(MARTIN_TD1, 0, 2, "HED"), False, id="two-letters-off-kept"
        ),
        pytest.param(
            _with(_with(MARTIN_TD1, 0, 2, "FPA"), 1, 15, "FRK"),
            _with(_with(MARTIN_TD1, 0, 2, "FPA"), 1, 15, "FRK"),
            False,
            id="both-unknown-kept",
        ),
        pytest.param(
            _with(MARTIN_TD1, 1, 15, "DZA"), _with(MARTIN_TD1, 1, 15, "DZA"), True, id="residence-permit-kept"
        ),
    ],
)
def test_settle_country_codes(lines: tuple[str, ...], expected: tuple[str, ...], valid: bool) -> None:
    settled = settle_country_codes(parse_mrz(lines, today=TODAY), TODAY)
    assert settled.lines == expected
    assert settled.valid is valid
