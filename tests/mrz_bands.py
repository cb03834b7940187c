"""MRZ lines with correct check digits, for the tests that render bands (glyph reader, faxed bands)."""

from __future__ import annotations

from preverif.extract.mrz import check_digit


def td1_band(number: str, birth: str, sex: str, expiry: str, names: str) -> tuple[str, str, str]:
    """A TD1 (2021 CNI) MRZ: document number, birth and expiry dates (YYMMDD), sex and the names field."""
    line1 = f"IDFRA{number}{check_digit(number)}".ljust(30, "<")
    head = f"{birth}{check_digit(birth)}{sex}{expiry}{check_digit(expiry)}FRA".ljust(29, "<")
    composite = line1[5:30] + head[0:7] + head[8:15] + head[18:29]
    return line1, head + str(check_digit(composite)), names.ljust(30, "<")
