"""MRZ strings for the generated identity documents (ICAO 9303 TD1/TD3 and the old French 2×36 CNI).

Every check digit is computed, so the corpus exercises preverif's MRZ checks on valid data; a scenario that
wants a broken MRZ corrupts the rendered lines itself.
"""

from __future__ import annotations

import unicodedata
from datetime import date

_WEIGHTS = (7, 3, 1)


def compute_check_digit(field: str) -> str:
    """ICAO 7-3-1 check digit: digits as is, A-Z → 10-35, '<' → 0."""
    total = 0
    for i, ch in enumerate(field):
        if ch.isdigit():
            value = int(ch)
        elif "A" <= ch <= "Z":
            value = ord(ch) - 55
        else:
            value = 0
        total += value * _WEIGHTS[i % 3]
    return str(total % 10)


def to_mrz_text(text: str) -> str:
    """Uppercase, accents removed, apostrophes/hyphens/spaces → '<' (ICAO transliteration, simplified)."""
    special = {"Æ": "AE", "Œ": "OE", "ß": "SS", "Ø": "O", "æ": "AE", "œ": "OE"}
    text = "".join(special.get(c, c) for c in text)
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).upper()
    out = []
    for ch in plain:
        if "A" <= ch <= "Z" or ch.isdigit():
            out.append(ch)
        else:
            out.append("<")
    return "".join(out)


def _fit(text: str, length: int) -> str:
    return (text + "<" * length)[:length]


def _yymmdd(d: date) -> str:
    return d.strftime("%y%m%d")


def _name_field(surname: str, given_names: tuple[str, ...], length: int) -> str:
    given = "<".join(to_mrz_text(g) for g in given_names)
    return _fit(f"{to_mrz_text(surname)}<<{given}", length)


def make_td1(
    doc_code: str,
    state: str,
    number: str,
    birth: date,
    sex: str,
    expiry: date,
    nationality: str,
    surname: str,
    given_names: tuple[str, ...],
    optional1: str = "",
) -> list[str]:
    """Three 30-char lines (CNI 2021 'ID', titre de séjour 'IR', other EU ID cards)."""
    number = to_mrz_text(number)
    if len(number) > 9:
        # ICAO overflow: first 9 chars, filler as check digit, rest + check digit in the optional data
        head, tail = number[:9], number[9:]
        opt = f"{tail}{compute_check_digit(number)}{optional1}"
        l1 = _fit(f"{_fit(doc_code, 2)}{_fit(state, 3)}{head}<{opt}", 30)
    else:
        doc = _fit(number, 9)
        l1 = _fit(f"{_fit(doc_code, 2)}{_fit(state, 3)}{doc}{compute_check_digit(doc)}{optional1}", 30)
    b = _yymmdd(birth)
    e = _yymmdd(expiry)
    l2_head = f"{b}{compute_check_digit(b)}{sex}{e}{compute_check_digit(e)}{_fit(nationality, 3)}"
    l2_body = _fit(l2_head, 29)
    composite_src = l1[5:30] + l2_body[0:7] + l2_body[8:15] + l2_body[18:29]
    l2 = l2_body + compute_check_digit(composite_src)
    l3 = _name_field(surname, given_names, 30)
    return [l1, l2, l3]


def make_td3(
    state: str,
    number: str,
    birth: date,
    sex: str,
    expiry: date,
    nationality: str,
    surname: str,
    given_names: tuple[str, ...],
    personal: str = "",
) -> list[str]:
    """Two 44-char passport lines ('P<' + state)."""
    l1 = _fit(f"P<{_fit(state, 3)}{_name_field(surname, given_names, 39)}", 44)
    doc = _fit(to_mrz_text(number), 9)
    b = _yymmdd(birth)
    e = _yymmdd(expiry)
    pers = _fit(to_mrz_text(personal), 14)
    pers_cd = compute_check_digit(pers)
    body = (
        f"{doc}{compute_check_digit(doc)}{_fit(nationality, 3)}{b}{compute_check_digit(b)}{sex}"
        f"{e}{compute_check_digit(e)}{pers}{pers_cd}"
    )
    composite_src = body[0:10] + body[13:20] + body[21:43]
    return [l1, body + compute_check_digit(composite_src)]


def make_old_cni(
    surname: str,
    given_names: tuple[str, ...],
    birth: date,
    sex: str,
    card_number: str,
    admin_code: str = "",
) -> list[str]:
    """Two 36-char lines of the 1988–2021 French CNI (no expiry; card number = YYMM + dept + seq)."""
    l1 = _fit(f"IDFRA{_fit(to_mrz_text(surname), 25)}{_fit(admin_code, 6)}", 36)
    num = _fit(card_number, 12)
    given = _fit("<<".join(to_mrz_text(g) for g in given_names), 14)
    b = _yymmdd(birth)
    l2_body = f"{num}{compute_check_digit(num)}{given}{b}{compute_check_digit(b)}{sex}"
    return [l1, l2_body + compute_check_digit(l1 + l2_body)]
