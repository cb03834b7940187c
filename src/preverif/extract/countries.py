"""The three-letter codes an MRZ may give as issuing state or nationality (ICAO Doc 9303, part 3).

No check digit covers them: a fax that turns 'IDFRA' into 'IHEDA' still passes every check digit. A code
that names no state is a misreading, so the band is not trusted whole (``mrz._build``).
"""

from __future__ import annotations

import functools

import pycountry

# ICAO codes outside ISO 3166-1: Germany's single letter, the British nationality categories, the United
# Nations, organisations issuing travel documents, stateless persons and refugees, Kosovo; and Utopia,
# the state of ICAO's own specimens
ICAO_ONLY_CODES = frozenset(
    {
        "D",
        "UTO",
        "EUE",
        "GBD",
        "GBN",
        "GBO",
        "GBP",
        "GBS",
        "RKS",
        "UNA",
        "UNK",
        "UNO",
        "XBA",
        "XCC",
        "XCE",
        "XCO",
        "XDC",
        "XEC",
        "XES",
        "XIM",
        "XMP",
        "XOM",
        "XPO",
        "XXA",
        "XXB",
        "XXC",
        "XXX",
    }
)


@functools.cache
def _known_codes() -> frozenset[str]:
    iso = {country.alpha_3 for country in pycountry.countries}
    # states that no longer exist still appear on documents issued before they ended (Yugoslavia, ...)
    historic = {country.alpha_3 for country in pycountry.historic_countries}
    return frozenset(iso | historic | ICAO_ONLY_CODES)


def compact(code: str) -> str:
    """The code without the filler that pads it ('D<<' → 'D') and in upper case."""
    return code.replace("<", "").strip().upper() if isinstance(code, str) else ""


def is_valid(code: str) -> bool:
    """Whether ``code`` names a state, an organisation or a status in an MRZ."""
    return compact(code) in _known_codes()
