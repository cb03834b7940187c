"""Machine-readable zones: check digits, parsing, OCR repair, and finding the zone in a page image.

Validators follow python-stdnum's style (``compact``, ``check_digit``, ``validate``, ``is_valid``) so that the
strict path (``parse_mrz``) never alters what was read, while the OCR path (``repair_mrz``,
``find_mrz_in_text``, ``read_mrz``) tries field-typed repairs and keeps only a reading whose check digits
hold. Names are never "repaired" by trying letters: no check digit covers them in ICAO formats.

Formats (ants-rules §2.2–2.5): old French CNI ``cni_old`` (2×36), ICAO TD1 ``td1`` (3×30: 2021 CNI, titre de
séjour, foreign IDs), TD2 ``td2`` (2×36), TD3 ``td3`` (2×44, passports).
"""

from __future__ import annotations

import itertools
import logging
import math
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

import numpy as np
import numpy.typing as npt

from preverif.errors import PreverifError
from preverif.extract import countries
from preverif.records import Image, MrzResult

log = logging.getLogger(__name__)

FILLER = "<"
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
_WEIGHTS = (7, 3, 1)

MrzFormat = Literal["cni_old", "td1", "td2", "td3"]
Kind = Literal["digit", "alpha", "alnum", "optional", "name", "sex", "check"]

# characters that OCR produces for the filler '<' and that can never be anything else
_FILLER_LOOKALIKES = str.maketrans({c: "<" for c in "«‹(<[{≤£€"})
# field-typed OCR confusions
_TO_DIGIT = str.maketrans({"O": "0", "Q": "0", "D": "0", "U": "0", "I": "1", "L": "1", "|": "1", "T": "1",
                           "Z": "2", "S": "5", "B": "8", "G": "6"})  # fmt: skip
_TO_LETTER = str.maketrans({"0": "O", "1": "I", "2": "Z", "5": "S", "8": "B", "6": "G", "4": "A", "7": "T"})
# alternatives tried (against check digits only) in alphanumeric fields such as document numbers
_ALNUM_ALTERNATIVES: dict[str, str] = {
    "0": "OD", "O": "0", "D": "0", "Q": "0", "1": "I", "I": "1", "2": "Z", "Z": "2", "5": "S", "S": "5",
    "8": "B", "B": "8", "6": "G", "G": "6", "K": "<", "C": "<",
}  # fmt: skip
_NEAR_FRA = frozenset({"BRA", "FRO", "FRA"})  # real codes one letter from FRA (Brazil, Faroe Islands)
_MAX_SUBSTITUTIONS = 3
_MAX_AMBIGUOUS = 12


# ---------------------------------------------------------------- errors


class MrzError(PreverifError):
    """An MRZ could not be read or does not check out. ``message`` is French."""


class InvalidFormat(MrzError):
    """The text is not an MRZ of a known layout."""


class InvalidLength(InvalidFormat):
    """Wrong number of lines or wrong line length."""


class UnsupportedFormat(InvalidFormat):
    """A real MRZ of a kind preverif does not read (visa, driving licence)."""


class InvalidChecksum(MrzError):
    """The MRZ parses but at least one check digit fails."""


# ---------------------------------------------------------------- check digits


def compact(line: str) -> str:
    """Upper-case an MRZ line, turn filler look-alikes that cannot be letters into '<', drop spaces."""
    text = line.strip().upper().translate(_FILLER_LOOKALIKES)
    return re.sub(r"\s+", "", text)


def _char_value(char: str) -> int:
    if char.isdigit() and char.isascii():
        return ord(char) - 48
    if "A" <= char <= "Z":
        return ord(char) - 55
    if char == FILLER:
        return 0
    raise InvalidFormat(f"Caractère interdit dans une zone MRZ : {char!r}.")


def check_digit(s: str) -> int:
    """ICAO 9303 check digit: weights 7-3-1, '<' = 0, A = 10 … Z = 35, sum mod 10."""
    return sum(_char_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(s)) % 10


def mask_document_number(s: str) -> str:
    """Mask all but the last 3 characters, for logs (personal data)."""
    if len(s) <= 3:
        return s
    return "•" * (len(s) - 3) + s[-3:]


# ---------------------------------------------------------------- layouts

Span = tuple[int, int, int]  # line, start, end (half-open)


@dataclass(frozen=True)
class _Layout:
    """Where each field sits and which check digit covers what. Positions are 0-based, half-open."""

    name: MrzFormat
    line_count: int
    width: int
    kinds: tuple[tuple[Span, Kind], ...]
    checks: tuple[tuple[str, tuple[Span, ...], tuple[int, int]], ...]


_LAYOUTS: dict[MrzFormat, _Layout] = {
    "cni_old": _Layout(
        "cni_old",
        2,
        36,
        kinds=(
            ((0, 0, 2), "alpha"),
            ((0, 2, 5), "alpha"),
            ((0, 5, 30), "name"),
            ((0, 30, 36), "alnum"),
            ((1, 0, 4), "digit"),
            ((1, 4, 7), "alnum"),
            ((1, 7, 12), "digit"),
            ((1, 12, 13), "check"),
            ((1, 13, 27), "name"),
            ((1, 27, 33), "digit"),
            ((1, 33, 34), "check"),
            ((1, 34, 35), "sex"),
            ((1, 35, 36), "check"),
        ),
        checks=(
            ("document_number", ((1, 0, 12),), (1, 12)),
            ("birth_date", ((1, 27, 33),), (1, 33)),
            ("composite", ((0, 0, 36), (1, 0, 35)), (1, 35)),
        ),
    ),
    "td1": _Layout(
        "td1",
        3,
        30,
        kinds=(
            ((0, 0, 2), "alpha"),
            ((0, 2, 5), "alpha"),
            ((0, 5, 14), "alnum"),
            ((0, 14, 15), "check"),
            ((0, 15, 30), "optional"),
            ((1, 0, 6), "digit"),
            ((1, 6, 7), "check"),
            ((1, 7, 8), "sex"),
            ((1, 8, 14), "digit"),
            ((1, 14, 15), "check"),
            ((1, 15, 18), "alpha"),
            ((1, 18, 29), "optional"),
            ((1, 29, 30), "check"),
            ((2, 0, 30), "name"),
        ),
        checks=(
            ("document_number", ((0, 5, 14),), (0, 14)),
            ("birth_date", ((1, 0, 6),), (1, 6)),
            ("expiry_date", ((1, 8, 14),), (1, 14)),
            ("composite", ((0, 5, 30), (1, 0, 7), (1, 8, 15), (1, 18, 29)), (1, 29)),
        ),
    ),
    "td2": _Layout(
        "td2",
        2,
        36,
        kinds=(
            ((0, 0, 2), "alpha"),
            ((0, 2, 5), "alpha"),
            ((0, 5, 36), "name"),
            ((1, 0, 9), "alnum"),
            ((1, 9, 10), "check"),
            ((1, 10, 13), "alpha"),
            ((1, 13, 19), "digit"),
            ((1, 19, 20), "check"),
            ((1, 20, 21), "sex"),
            ((1, 21, 27), "digit"),
            ((1, 27, 28), "check"),
            ((1, 28, 35), "optional"),
            ((1, 35, 36), "check"),
        ),
        checks=(
            ("document_number", ((1, 0, 9),), (1, 9)),
            ("birth_date", ((1, 13, 19),), (1, 19)),
            ("expiry_date", ((1, 21, 27),), (1, 27)),
            ("composite", ((1, 0, 10), (1, 13, 20), (1, 21, 35)), (1, 35)),
        ),
    ),
    "td3": _Layout(
        "td3",
        2,
        44,
        kinds=(
            ((0, 0, 2), "alpha"),
            ((0, 2, 5), "alpha"),
            ((0, 5, 44), "name"),
            ((1, 0, 9), "alnum"),
            ((1, 9, 10), "check"),
            ((1, 10, 13), "alpha"),
            ((1, 13, 19), "digit"),
            ((1, 19, 20), "check"),
            ((1, 20, 21), "sex"),
            ((1, 21, 27), "digit"),
            ((1, 27, 28), "check"),
            ((1, 28, 42), "optional"),
            ((1, 42, 43), "check"),
            ((1, 43, 44), "check"),
        ),
        checks=(
            ("document_number", ((1, 0, 9),), (1, 9)),
            ("birth_date", ((1, 13, 19),), (1, 19)),
            ("expiry_date", ((1, 21, 27),), (1, 27)),
            ("personal_number", ((1, 28, 42),), (1, 42)),
            ("composite", ((1, 0, 10), (1, 13, 20), (1, 21, 43)), (1, 43)),
        ),
    ),
}


def _segment(lines: Sequence[str], spans: Iterable[Span]) -> str:
    return "".join(lines[line][start:end] for line, start, end in spans)


def _long_document_number(
    lines: Sequence[str], line: int, start: int, cd_pos: int, end: int
) -> tuple[str, str]:
    """TD1/TD2 numbers over 9 characters: '<' at the check position, the rest and its check digit in the
    optional data (ICAO 9303-5 §4.2.2, e.g. the Belgian card). Returns (number, check character)."""
    head = lines[line][start:cd_pos]
    tail = lines[line][cd_pos + 1 : end].split(FILLER, 1)[0]
    if lines[line][cd_pos] != FILLER or len(tail) < 2:
        return head, lines[line][cd_pos]
    if len(tail) > _MAX_OVERFLOW + 1:
        # no filler after the number's check digit (some issuers run the optional data on): the shortest
        # overflow whose check digit holds ends the number
        for size in range(1, _MAX_OVERFLOW + 1):
            if _check_holds(head + tail[:size], tail[size]):
                return head + tail[:size], tail[size]
    return head + tail[:-1], tail[-1]


_MAX_OVERFLOW = 6  # characters of a long document number carried into the optional data


def _check_holds(data: str, cd: str) -> bool:
    try:
        expected = check_digit(data)
    except InvalidFormat:
        return False
    if cd == FILLER:
        # ICAO: an all-filler optional field may carry '<' as its check digit
        return expected == 0 and set(data) <= {FILLER}
    return cd.isdigit() and int(cd) == expected


def _compute_checks(layout: _Layout, lines: Sequence[str]) -> dict[str, bool]:
    checks: dict[str, bool] = {}
    for name, spans, (cl, cp) in layout.checks:
        data = _segment(lines, spans)
        cd = lines[cl][cp]
        if name == "document_number" and layout.name in ("td1", "td2"):
            line, start, end = spans[0]
            optional_end = 30 if layout.name == "td1" else 35
            data, cd = _long_document_number(lines, line, start, end, optional_end)
        checks[name] = _check_holds(data, cd)
    return checks


# ---------------------------------------------------------------- values


def _parse_date(text: str, *, past: bool, today: date, day: bool = True) -> date | None:
    """YYMMDD (or YYMM when ``day`` is False). Birth/issue dates are in the past; expiry dates go forward."""
    if not text.isdigit() or len(text) != (6 if day else 4):
        return None
    yy, mm = int(text[:2]), int(text[2:4])
    dd = int(text[4:6]) if day else 1
    if past:
        year = 2000 + yy if 2000 + yy <= today.year else 1900 + yy
    else:
        year = 2000 + yy if 2000 + yy <= today.year + 50 else 1900 + yy
    try:
        value = date(year, mm, dd)
    except ValueError:
        return None
    if past and value > today:
        try:
            value = date(year - 100, mm, dd)
        except ValueError:
            return None
    return value


def _split_icao_name(field: str) -> tuple[str, tuple[str, ...]]:
    text = field.rstrip(FILLER)
    surname, _, given = text.partition("<<")
    names = tuple(part for part in given.replace("<<", "<").split(FILLER) if part)
    return surname.replace(FILLER, " ").strip(), names


def _clean(text: str) -> str:
    return text.strip(FILLER).replace(FILLER, " ").strip()


def _sex(char: str) -> str:
    return char if char in "MF" else "X"


# extra entry of MrzResult.checks: issuing state and nationality are known codes
_CHECK_CODES = "country_codes"


def _nationality_at(fmt: str) -> tuple[int, int]:
    """(line, column) of the nationality field; the issuing state is always at (0, 2)."""
    return (1, 15) if fmt == "td1" else (1, 10)


def _codes_known(layout: _Layout, lines: tuple[str, ...]) -> bool:
    """Issuing state and nationality name real states (no check digit covers them): an old CNI is French."""
    issuing = lines[0][2:5]
    if layout.name == "cni_old":
        return issuing == "FRA"
    line, column = _nationality_at(layout.name)
    return countries.is_valid(issuing) and countries.is_valid(lines[line][column : column + 3])


def _build(layout: _Layout, lines: tuple[str, ...], today: date) -> MrzResult:
    checks = _compute_checks(layout, lines)
    checks[_CHECK_CODES] = _codes_known(layout, lines)
    l0, l1 = lines[0], lines[1]
    if layout.name == "cni_old":
        given = tuple(_clean(part) for part in l1[13:27].rstrip(FILLER).split("<<") if _clean(part))
        return MrzResult(
            format="cni_old",
            lines=lines,
            document_code=_clean(l0[0:2]),
            issuing_state=_clean(l0[2:5]),
            surname=_clean(l0[5:30]),
            given_names=given,
            document_number=l1[0:12],
            nationality="FRA",
            birth_date=_parse_date(l1[27:33], past=True, today=today),
            sex=_sex(l1[34]),
            expiry_date=None,
            issue_date=_parse_date(l1[0:4], past=True, today=today, day=False),
            checks=checks,
        )
    if layout.name == "td1":
        number, _ = _long_document_number(lines, 0, 5, 14, 30)
        surname, given = _split_icao_name(lines[2])
        birth, sex, expiry, nationality = l1[0:6], l1[7], l1[8:14], l1[15:18]
    else:
        number, _ = _long_document_number(lines, 1, 0, 9, 35) if layout.name == "td2" else (l1[0:9], l1[9])
        surname, given = _split_icao_name(l0[5:])
        birth, sex, expiry, nationality = l1[13:19], l1[20], l1[21:27], l1[10:13]
    return MrzResult(
        format=layout.name,
        lines=lines,
        document_code=_clean(l0[0:2]),
        issuing_state=_clean(l0[2:5]),
        surname=surname,
        given_names=given,
        document_number=number.rstrip(FILLER),
        nationality=_clean(nationality),
        birth_date=_parse_date(birth, past=True, today=today),
        sex=_sex(sex),
        expiry_date=_parse_date(expiry, past=False, today=today),
        issue_date=None,
        checks=checks,
    )


# ---------------------------------------------------------------- strict parsing


def _layout_score(fmt: MrzFormat, lines: Sequence[str]) -> int:
    """How well 2×36 lines fit the old French CNI or TD2 (they share the size, not the layout)."""
    l0, l1 = lines[0], lines[1]
    if fmt == "cni_old":
        return (
            2 * (l0[:5] == "IDFRA")
            + l1[0:4].isdigit()
            + l1[7:12].isdigit()
            + l1[27:33].isdigit()
            + (l1[34] in "MF")
            + (l1[13] not in "0123456789")
        )
    return (
        l1[10:13].replace(FILLER, "A").isalpha()
        + l1[13:19].isdigit()
        + l1[21:27].isdigit()
        + (l1[20] in "MFX<")
        + (l0[0] in "ACI")
    )


def _candidate_formats(lines: Sequence[str]) -> list[MrzFormat]:
    widths = {len(line) for line in lines}
    if len(widths) != 1:
        raise InvalidLength(f"Lignes MRZ de longueurs différentes ({', '.join(str(len(x)) for x in lines)}).")
    width = widths.pop()
    if len(lines) == 3 and width == 30:
        return ["td1"]
    if len(lines) == 2 and width == 44:
        if lines[0][0] == "V":
            raise UnsupportedFormat("MRZ de visa : format non pris en charge.")
        return ["td3"]
    if len(lines) == 2 and width == 36:
        if lines[0][0] == "V":
            raise UnsupportedFormat("MRZ de visa : format non pris en charge.")
        formats: list[MrzFormat] = ["cni_old", "td2"]
        return sorted(formats, key=lambda f: -_layout_score(f, lines))
    if len(lines) == 1 and width == 30 and lines[0].startswith("D"):
        raise UnsupportedFormat("MRZ de permis de conduire : format non pris en charge.")
    raise InvalidLength(f"Pas une MRZ : {len(lines)} ligne(s) de {width} caractères.")


def parse_mrz(lines: Sequence[str], *, today: date | None = None) -> MrzResult:
    """Parse an MRZ exactly as given (after ``compact``); check digits are reported in ``checks``, not enforced.

    Raises InvalidFormat/InvalidLength/UnsupportedFormat when the text is not an MRZ preverif reads.
    """
    if isinstance(lines, str):
        lines = lines.splitlines()
    cleaned = tuple(c for c in (compact(str(line)) for line in lines) if c)
    if not cleaned:
        raise InvalidLength("Zone MRZ vide.")
    for line in cleaned:
        bad = set(line) - set(ALPHABET)
        if bad:
            raise InvalidFormat(f"Caractères interdits dans la zone MRZ : {''.join(sorted(bad))!r}.")
    formats = _candidate_formats(cleaned)
    when = today or date.today()
    results = [_build(_LAYOUTS[fmt], cleaned, when) for fmt in formats]
    # 2×36: the layout that checks out wins; otherwise the one whose shape fits best (sorted first)
    for result in results:
        if result.valid:
            return result
    return results[0]


def validate(lines: Sequence[str], *, today: date | None = None) -> MrzResult:
    """Parse strictly and raise InvalidChecksum when any check digit fails."""
    result = parse_mrz(lines, today=today)
    failed = [name for name, ok in result.checks.items() if not ok]
    if failed:
        raise InvalidChecksum(f"Chiffre(s) de contrôle MRZ faux : {', '.join(failed)}.")
    return result


def is_valid(lines: Sequence[str]) -> bool:
    """True when the lines are an MRZ of a known format whose check digits all hold."""
    try:
        validate(lines)
    except MrzError:
        return False
    return True


# ---------------------------------------------------------------- OCR repair


def _normalise_ocr_line(line: str) -> list[str]:
    """Spellings of one OCR'd line: spaces dropped, or spaces read as filler."""
    text = line.strip().upper().translate(_FILLER_LOOKALIKES)
    text = re.sub(r"[^A-Z0-9< ]", "", text)
    variants = [text.replace(" ", ""), re.sub(r" +", lambda m: FILLER * len(m.group(0)), text)]
    return list(dict.fromkeys(v for v in variants if v))


def _fit_length(line: str, width: int) -> list[str]:
    """Pad or trim a line by up to two characters, where OCR most often adds or drops them."""
    diff = width - len(line)
    if diff == 0:
        return [line]
    runs = sorted(re.finditer(r"<+", line), key=lambda m: -len(m.group(0)))
    if abs(diff) > 2:
        # OCR miscounts long filler runs: only the longest run (or a trailing one) may absorb a big error
        if abs(diff) > width // 3 or not runs or len(runs[0].group(0)) < 3:
            return []
        run = runs[0]
        if diff > 0:
            return [line[: run.end()] + FILLER * diff + line[run.end() :]]
        if len(run.group(0)) + diff < 1:
            return []
        return [line[: run.start()] + line[run.start() - diff :]]
    out: list[str] = []
    if diff < 0:
        # Tesseract often reads a single '<' between two names as '<K' ('ANNA<KMARIA'): drop that K first
        spurious = [
            m.start() for m in re.finditer(r"(?<=[A-Z]<)[KC](?=[A-Z]{2})|(?<=[A-Z]{2})[KC](?=<[A-Z])", line)
        ]
        if len(spurious) >= -diff:
            drop = set(spurious[:-diff])
            out.append("".join(c for i, c in enumerate(line) if i not in drop))
    if diff > 0:
        for run in runs[:2]:
            out.append(line[: run.end()] + FILLER * diff + line[run.end() :])
        out += [line + FILLER * diff, FILLER * diff + line]
    else:
        cut = -diff
        for run in runs[:2]:
            if len(run.group(0)) > cut:
                out.append(line[: run.start()] + line[run.start() + cut :])
        out += [line[:width], line[cut:]]
    return list(dict.fromkeys(out))


def _repair_name_field(field: str) -> str:
    """Filler runs read as K or C: 'MARIE<<KK<<' → 'MARIE<<<<<<', 'MARIEKKKK' → 'MARIE<<<<'."""
    match = re.search(r"[KC<]*$", field)
    tail_start = match.start() if match else len(field)
    first_filler = field.find(FILLER, tail_start)
    if first_filler >= 0:
        noisy = bool(set(field[first_filler:]) & {"K", "C"})
        run = first_filler - tail_start
        if noisy and (run == 1 or run >= 3):
            # this reading turns fillers into K/C, so the K/C that ends the name is most likely one too
            first_filler = tail_start
        field = field[:first_filler] + FILLER * (len(field) - first_filler)
    field = re.sub(r"(?<=[A-Z])([KC])\1{2,}$", lambda m: FILLER * len(m.group(0)), field)
    field = re.sub(r"(?<=<<)[KC]+(?=<)|(?<=<)[KC]+(?=<<)", lambda m: FILLER * len(m.group(0)), field)
    return field


# what OCR makes of a filler '<' inside a filler run; K (= 20) even weighs 0 mod 10, like '<', in check digits
_FILLER_NOISE = frozenset("KCXELSR")


def _repair_optional_field(field: str) -> str:
    """Optional data is a leading value then filler: noise after the first '<' is filler, which no check
    digit can tell for K ('IDFRA…<<<<K<<' is never meant)."""
    first = field.find(FILLER)
    if first < 0:
        return field
    if set(field) <= _FILLER_NOISE | {FILLER} and field.count(FILLER) * 2 > len(field):
        return FILLER * len(field)  # 'K<<<<<<<<<<': an empty field whose first filler was misread
    tail = "".join(FILLER if c in _FILLER_NOISE else c for c in field[first:])
    return field[:first] + tail


def _zero_in_digit_context(text: str) -> str:
    """'KBOOOOO0O' → 'KB0000000': an O run touching a digit is zeros (O and 0 can even share check digits)."""
    return re.sub(r"[O0]*\d[O0]*", lambda m: m.group(0).replace("O", "0"), text)


def _repair_by_kind(layout: _Layout, lines: Sequence[str]) -> tuple[str, ...]:
    out = [list(line) for line in lines]
    for (ln, start, end), kind in layout.kinds:
        text = lines[ln][start:end]
        if kind in ("digit", "check"):
            text = text.translate(_TO_DIGIT)
            if kind == "digit":
                text = re.sub(r"[KC]", FILLER, text) if set(text) & {"K", "C"} else text
        elif kind == "alpha":
            text = text.translate(_TO_LETTER)
            if start == 0 and text[:1] in ("L", "|") and text[1:2] in ("D", "R", "<"):
                text = "I" + text[1:]  # 'ID'/'IR' read as 'LD'/'LR'
            elif (
                end - start == 3
                and text not in _NEAR_FRA
                and sum(a != b for a, b in zip(text, "FRA", strict=True)) == 1
            ):
                text = "FRA"  # 'ERA', 'FRR'…: not a country code, one letter away from FRA
        elif kind == "sex":
            text = {"H": "M", "E": "F", "P": "F", "K": "<"}.get(text, text)
        elif kind == "alnum":
            text = _zero_in_digit_context(text)
        elif kind == "optional":
            text = _repair_optional_field(_zero_in_digit_context(text))
        elif kind == "name":
            text = _repair_name_field(text.translate(_TO_LETTER))
        out[ln][start:end] = list(text)
    return tuple("".join(chars) for chars in out)


def _ambiguous_positions(layout: _Layout, lines: Sequence[str]) -> list[tuple[int, int]]:
    covered: set[tuple[int, int]] = set()
    for _name, spans, _cd in layout.checks:
        for ln, start, end in spans:
            covered.update((ln, p) for p in range(start, end))
    positions = []
    for (ln, start, end), kind in layout.kinds:
        if kind not in ("alnum", "optional"):
            continue
        positions += [
            (ln, p) for p in range(start, end) if (ln, p) in covered and lines[ln][p] in _ALNUM_ALTERNATIVES
        ]
    return positions


def _search_alnum(layout: _Layout, lines: tuple[str, ...]) -> tuple[str, ...]:
    """Try look-alike swaps in check-digit-covered alphanumeric fields (document numbers, optional data);
    keep the unique smallest change that makes every check hold, else the lines as they were."""
    checks = _compute_checks(layout, lines)
    if all(checks.values()):
        return lines
    if not (checks.get("birth_date", False) and checks.get("expiry_date", True)):
        return (
            lines  # the date fields, which OCR repair fixed deterministically, do not even hold: not an MRZ
        )
    positions = _ambiguous_positions(layout, lines)[:_MAX_AMBIGUOUS]
    for count in range(1, _MAX_SUBSTITUTIONS + 1):
        winners: list[tuple[str, ...]] = []
        for chosen in itertools.combinations(positions, count):
            options = [_ALNUM_ALTERNATIVES[lines[ln][p]] for ln, p in chosen]
            for replacement in itertools.product(*options):
                work = [list(line) for line in lines]
                for (ln, p), char in zip(chosen, replacement, strict=True):
                    work[ln][p] = char
                candidate = tuple("".join(w) for w in work)
                if all(_compute_checks(layout, candidate).values()):
                    winners.append(candidate)
        if len(winners) == 1:
            return winners[0]
        if winners:
            return lines  # ambiguous: several equally small repairs; do not guess
    return lines


def _score(result: MrzResult) -> tuple[int, int]:
    return (sum(result.checks.values()), -len(result.checks))


def repair_mrz(lines: Sequence[str], *, today: date | None = None) -> MrzResult:
    """Parse OCR'd MRZ lines, trying field-typed repairs; return the best reading (valid when one is).

    Raises InvalidFormat when no candidate fits a layout.
    """
    if isinstance(lines, str):
        lines = lines.splitlines()
    raw = [str(line) for line in lines if str(line).strip()]
    when = today or date.today()
    spellings = [_normalise_ocr_line(line) for line in raw]
    spellings = [s for s in spellings if s]
    best: MrzResult | None = None
    for layout in _LAYOUTS.values():
        if len(spellings) != layout.line_count:
            continue
        per_line = [
            [fit for spelled in options for fit in _fit_length(spelled, layout.width)]
            for options in spellings
        ]
        per_line = [list(dict.fromkeys(options))[:8] for options in per_line]
        for combo in itertools.islice(itertools.product(*per_line), 64):
            if layout.name in ("td3", "td2") and combo[0][:1] == "V":
                continue
            if layout.name == "td2" and combo[0][:1] == "P":
                continue  # passports are TD3: a 'P' line read 36 wide has lost filler, it is no TD2
            fixed = _search_alnum(layout, _repair_by_kind(layout, combo))
            result = _build(layout, fixed, when)
            if result.valid:
                if layout.name in ("cni_old", "td2") and _layout_score(layout.name, fixed) < 3:
                    continue
                return result
            if best is None or _score(result) > _score(best):
                best = result
    if best is None:
        raise InvalidLength("Aucune zone MRZ reconnue dans ces lignes.")
    return best


_MRZ_LINE = re.compile(r"^[A-Z0-9<«‹(\[{ ]{20,48}$")


def _mrz_like(line: str) -> str | None:
    text = line.strip().upper()
    if len(text.replace(" ", "")) < 28 and not (len(text) >= 20 and "<<<" in text):
        return None
    if not _MRZ_LINE.match(text):
        squeezed = re.sub(r"[^A-Z0-9<«‹(\[{ ]", "", text)
        if len(squeezed) < 0.9 * len(text) or not _MRZ_LINE.match(squeezed):
            return None
        text = squeezed
    if text.count("<") + text.count("«") < 2 and text[:1] not in ("P", "I", "A", "C"):
        return None
    return text


def find_mrz_in_text(lines: Sequence[str], *, today: date | None = None) -> MrzResult | None:
    """Find and parse an MRZ inside already-OCR'd page text (the cheap path: no image work)."""
    if isinstance(lines, str):
        lines = lines.splitlines()
    candidates = [(i, c) for i, c in ((i, _mrz_like(str(line))) for i, line in enumerate(lines)) if c]
    best: MrzResult | None = None
    for size in (3, 2):
        for k in range(len(candidates) - size + 1):
            group = candidates[k : k + size]
            if group[-1][0] - group[0][0] > size:  # the lines must be (nearly) consecutive
                continue
            try:
                result = repair_mrz([text for _, text in group], today=today)
            except MrzError:
                continue
            if result.valid:
                return result
            if best is None or _score(result) > _score(best):
                best = result
    return best if best is not None and _mostly_valid(best) else None


def _mostly_valid(result: MrzResult) -> bool:
    """Worth returning although not valid: the number and birth date check, and most other checks hold."""
    checks = result.checks
    core = checks.get("document_number", False) and checks.get("birth_date", False)
    return core and sum(checks.values()) * 2 > len(checks)


# ---------------------------------------------------------------- image reader

_WHITELIST = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
_OCR_CONFIG = f"-c tessedit_char_whitelist={_WHITELIST} -c load_system_dawg=0 -c load_freq_dawg=0"


@dataclass(frozen=True)
class MrzReading:
    """An MRZ read from an image, with the clockwise rotation (degrees) applied to the image to read it."""

    result: MrzResult
    rotation: int


def _grey(image: Image) -> Image:
    import cv2

    if image.ndim == 3:
        code = cv2.COLOR_BGRA2GRAY if image.shape[2] == 4 else cv2.COLOR_BGR2GRAY
        return np.asarray(cv2.cvtColor(image, code), dtype=np.uint8)
    return np.asarray(image, dtype=np.uint8)


def locate_mrz_bands(grey: Image, *, max_bands: int = 4) -> list[tuple[int, int, int, int]]:
    """Boxes (x, y, w, h) of wide dark text blocks made of long lines: the MRZ candidates, best first.

    Blackhat brings out dark characters on light ground; a wide horizontal closing joins the characters of
    each MRZ line, a smaller vertical one joins its 2–3 lines into one block.
    """
    import cv2

    height, width = grey.shape[:2]
    scale = 1.0
    if max(height, width) > 1600:
        scale = 1600 / max(height, width)
        grey = np.asarray(
            cv2.resize(grey, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA),
            dtype=np.uint8,
        )
    h, w = grey.shape[:2]
    scored: list[tuple[float, tuple[int, int, int, int]]] = []
    # the page-relative scale finds a card filling the frame; the small one a card shrunk on an A4 scan
    for unit in dict.fromkeys((max(3, round(max(h, w) / 300)), 2)):
        for score, box in _text_blocks(grey, unit):
            if all(_overlap(box, kept) < 0.5 for _, kept in scored):
                scored.append((score, box))
    scored.sort(key=lambda item: -item[0])
    out = []
    for _, (x, y, bw, bh) in scored[:max_bands]:
        pad_x, pad_y = round(bw * 0.03) + 2, round(min(bh, bw / 10) * 0.3) + 2
        x0, y0 = max(0, x - pad_x), max(0, y - pad_y)
        x1, y1 = min(w, x + bw + pad_x), min(h, y + bh + pad_y)
        out.append((round(x0 / scale), round(y0 / scale), round((x1 - x0) / scale), round((y1 - y0) / scale)))
    return out


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    """Intersection over union: a band nested in a bigger block is kept (the card may hold its MRZ)."""
    ix = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    iy = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    if ix <= 0 or iy <= 0:
        return 0.0
    inter = ix * iy
    return inter / max(1, a[2] * a[3] + b[2] * b[3] - inter)


def _text_blocks(grey: Image, unit: int) -> list[tuple[float, tuple[int, int, int, int]]]:
    """Scored blocks of 1–3 long, equally wide text lines, with morphology sized by ``unit`` pixels."""
    import cv2

    h, w = grey.shape[:2]
    smooth = cv2.GaussianBlur(grey, (3, 3), 0)
    rect = cv2.getStructuringElement(cv2.MORPH_RECT, (unit * 4, unit * 2))
    blackhat = cv2.morphologyEx(smooth, cv2.MORPH_BLACKHAT, rect)
    grad = np.absolute(cv2.Sobel(blackhat, cv2.CV_32F, 1, 0, ksize=-1))
    span = float(grad.max() - grad.min())
    if span <= 0:
        return []
    grad8 = ((grad - grad.min()) / span * 255).astype("uint8")
    closed = cv2.morphologyEx(
        grad8, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (unit * 4, 1))
    )
    _, thresh = cv2.threshold(closed, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    thresh = cv2.morphologyEx(
        thresh, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (unit * 6, unit))
    )
    kernel = np.ones((3, 3), dtype=np.uint8)
    thresh = cv2.dilate(cv2.erode(thresh, kernel, iterations=2), kernel, iterations=2)
    # a fax's streak (a dirty roller draws a thin vertical line down the page) would chain the band's lines
    # to everything above and below: what is narrower than a few characters is no text line
    thresh = cv2.morphologyEx(
        thresh, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (unit * 3, 1))
    )
    contours, _ = cv2.findContours(thresh, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    rows = []
    for contour in contours:
        x, y, bw, bh = cv2.boundingRect(contour)
        if 5 <= bh <= 0.12 * h and bw >= 2 * bh:
            rows.append((x, y, bw, bh))
    rows = [r for r in _merge_fragments(rows) if r[2] >= 0.08 * w and r[2] >= 6 * r[3]]
    scored = []
    for x, y, bw, bh, count in _group_rows(rows):
        shape = {1: 0.6, 2: 1.0, 3: 1.0}.get(count, 0.4)
        scored.append((bw * shape * (1.0 + 0.3 * ((y + bh) / h)), (x, y, bw, bh)))
    return scored


def _merge_fragments(rows: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Join pieces of one text line split at a wide gap (e.g. between a name and its filler run).

    Left to right, each piece joins the first line it continues (similar height, overlapping rows, a gap
    of at most four line heights), else starts a line. A photograph yields thousands of pieces, so each
    piece is compared with every line at once (numpy) rather than one by one.
    """
    lines = np.zeros((len(rows), 4), dtype=np.int64)  # x0, y0, x1, y1 of each line so far
    count = 0
    for x, y, bw, bh in sorted(rows, key=lambda r: r[0]):
        if count:
            seen = lines[:count]
            heights = seen[:, 3] - seen[:, 1]
            low, high = np.minimum(bh, heights), np.maximum(bh, heights)
            v_overlap = np.minimum(y + bh, seen[:, 3]) - np.maximum(y, seen[:, 1])
            joins = (low >= 0.5 * high) & (v_overlap >= 0.5 * low) & (x - seen[:, 2] <= 4 * high)
            hits = np.flatnonzero(joins)
            if hits.size:
                line = lines[hits[0]]
                line[:] = (min(x, line[0]), min(y, line[1]), max(x + bw, line[2]), max(y + bh, line[3]))
                continue
        lines[count] = (x, y, x + bw, y + bh)
        count += 1
    merged = [(int(a), int(b), int(c - a), int(d - b)) for a, b, c, d in lines[:count]]
    return sorted(merged, key=lambda r: r[1])


def _group_rows(rows: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int, int]]:
    """Join long text lines stacked like an MRZ (same width and left edge, close spacing) into blocks."""
    rows = _merge_fragments(rows)
    blocks: list[list[tuple[int, int, int, int]]] = []
    for row in rows:
        x, y, bw, bh = row
        for block in blocks:
            lx, ly, lw, lh = block[-1]
            overlap = min(x + bw, lx + lw) - max(x, lx)
            gap = y - (ly + lh)
            similar = min(bw, lw) >= 0.85 * max(bw, lw)  # MRZ lines have the same number of characters
            if similar and overlap >= 0.8 * min(bw, lw) and gap <= 2.5 * max(bh, lh) and len(block) < 3:
                block.append(row)
                break
        else:
            blocks.append([row])
    out = []
    for block in blocks:
        x0 = min(r[0] for r in block)
        y0 = min(r[1] for r in block)
        x1 = max(r[0] + r[2] for r in block)
        y1 = max(r[1] + r[3] for r in block)
        out.append((x0, y0, x1 - x0, y1 - y0, len(block)))
    return out


def _ocr_lines(crop: Image) -> list[str]:
    from preverif.ocr.tesseract import ocr_text

    text = ocr_text(crop, lang="eng", psm=6, config=_OCR_CONFIG, timeout=20.0)
    return [line for line in text.splitlines() if line.strip()]


def _prepared_crops(crop: Image) -> Iterable[Image]:
    """The crop as it is (upscaled when small), then binarised: each is OCR'd only if the previous failed."""
    import cv2

    height, width = crop.shape[:2]
    factor = 1.0
    if width > 1500:
        factor = 1500 / width  # 44 characters need no more; Tesseract time grows with pixels
    elif height < 60:
        factor = 3.0
    elif height < 120:
        factor = 2.0
    base = crop
    if factor != 1.0:
        interpolation = cv2.INTER_CUBIC if factor > 1 else cv2.INTER_AREA
        base = np.asarray(
            cv2.resize(crop, None, fx=factor, fy=factor, interpolation=interpolation), dtype=np.uint8
        )
    yield base
    blurred = cv2.GaussianBlur(base, (3, 3), 0)
    _, binary = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    yield np.asarray(binary, dtype=np.uint8)


# ---------------------------------------------------------------- grid reader
#
# Tesseract reads MRZ characters well but miscounts runs of '<' (and drops some). The MRZ font is monospaced,
# so each recognised character's box tells its column: placing the characters on a grid of 30/36/44 cells
# spanning the line's ink, and calling every empty cell '<', gives lines of the exact width.

_GRID_WIDTHS: dict[int, tuple[int, ...]] = {3: (30,), 2: (44, 36)}
_DROP_OUT = 0.25  # white scan lines up to this share of a line's height can run through it
_SEPARATOR_NOISE = "KXCEL"


def _deskew_crop(grey: Image) -> Image:
    """Rotate a band by the small angle (±4°) that makes its text rows sharpest (row-profile variance)."""
    import cv2

    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    h, w = ink.shape[:2]
    small = ink
    factor = min(1.0, 600 / max(1, w))
    if factor < 1.0:
        small = cv2.resize(ink, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    sh, sw = small.shape[:2]
    best_angle, best_score = 0.0, -1.0
    for angle in sorted(np.arange(-4.0, 4.01, 0.5), key=abs):
        matrix = cv2.getRotationMatrix2D((sw / 2, sh / 2), float(angle), 1.0)
        turned = cv2.warpAffine(small, matrix, (sw, sh), flags=cv2.INTER_NEAREST)
        score = float(np.var(turned.sum(axis=1, dtype=np.float64)))
        if score > best_score * 1.02:  # ties keep the smaller angle
            best_angle, best_score = float(angle), score
    if abs(best_angle) < 0.25:
        return grey
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), best_angle, 1.0)
    return np.asarray(
        cv2.warpAffine(grey, matrix, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE), np.uint8
    )


def _text_rows(ink: Image) -> list[tuple[int, int]]:
    """Row spans (top, bottom) of the text lines of a binarised band, from its horizontal ink profile."""
    profile = ink.sum(axis=1, dtype=np.int64)
    if profile.max() <= 0:
        return []
    threshold = 0.12 * float(profile.max())
    rows: list[tuple[int, int]] = []
    start = -1
    for i, value in enumerate([*profile.tolist(), 0]):
        if value > threshold and start < 0:
            start = i
        elif value <= threshold and start >= 0:
            rows.append((start, i))
            start = -1
    if not rows:
        return []
    tallest = max(b - a for a, b in rows)
    # a fax drop-out (a white scan line) cuts a text line in two: join pieces a few pixels apart
    joined: list[tuple[int, int]] = [rows[0]]
    for a, b in rows[1:]:
        pa, pb = joined[-1]
        if a - pb <= max(2, _DROP_OUT * tallest) and b - pa <= 1.15 * tallest:
            joined[-1] = (pa, b)
        else:
            joined.append((a, b))
    tallest = max(b - a for a, b in joined)
    return [(a, b) for a, b in joined if b - a >= 0.45 * tallest]


def _ink_extent(ink_row: Image) -> tuple[int, int] | None:
    """Left and right edges of the character run of one row, ignoring specks and far-off marks."""
    columns = np.nonzero(ink_row.sum(axis=0) > max(1, 0.08 * ink_row.shape[0]))[0]
    if len(columns) < 10:
        return None
    height = ink_row.shape[0]
    # split where a gap wider than ~3 character widths opens: that is not part of the MRZ line
    gaps = np.nonzero(np.diff(columns) > 2.5 * height)[0]
    pieces = np.split(columns, gaps + 1)
    main = max(pieces, key=len)
    return int(main[0]), int(main[-1]) + 1


def _ocr_row_boxes(row: Image) -> list[tuple[str, float]]:
    """Characters of one MRZ line with the x centre of each (Tesseract boxes, single-line mode)."""
    import pytesseract
    from PIL import Image as PILImage

    from preverif.errors import OcrError

    try:
        text = pytesseract.image_to_boxes(
            PILImage.fromarray(row), lang="eng", config=f"--oem 1 --psm 7 {_OCR_CONFIG}", timeout=10
        )
    except RuntimeError as exc:
        raise OcrError("Tesseract a dépassé le délai sur la zone MRZ.") from exc
    except pytesseract.TesseractError as exc:
        raise OcrError(f"Tesseract a échoué sur la zone MRZ : {exc.message}") from exc
    out: list[tuple[str, float]] = []
    for line in str(text).splitlines():
        parts = line.split()
        if len(parts) >= 5 and len(parts[0]) == 1:
            out.append((parts[0].upper(), (int(parts[1]) + int(parts[3])) / 2))
    return out


def _place_on_grid(
    chars: Sequence[tuple[str, float]], x0: int, x1: int, width: int, ink_row: Image | None = None
) -> tuple[str, int]:
    """The line as ``width`` cells (empty cells are '<') and how many characters fell in an occupied cell."""
    pitch = (x1 - x0) / width
    cells = [FILLER] * width
    clashes = 0
    for char, centre in chars:
        column = int((centre - x0) / pitch)
        if not 0 <= column < width or char == FILLER:
            continue
        if cells[column] != FILLER:
            clashes += 1
        cells[column] = char.translate(_FILLER_LOOKALIKES)
    if ink_row is not None:
        for column, char in enumerate(cells):
            if char in _SEPARATOR_NOISE and _looks_like_chevron(ink_row, x0 + column * pitch, pitch):
                cells[column] = FILLER
    return "".join(cells), clashes


def _looks_like_chevron(ink_row: Image, left: float, pitch: float) -> bool:
    """'<' against K, X, C, E, L (what Tesseract reads it as): those have ink down their whole left side,
    the chevron only its point, half-way up."""
    cell = ink_row[:, max(0, int(left)) : int(left + pitch)]
    spans = _left_strip_spans(cell, strip=0.3, min_columns=2, min_rows=4)
    return spans is not None and spans[0] < 0.45 * spans[1]


def _left_strip_spans(
    cell: Image, *, strip: float, min_columns: int, min_rows: int
) -> tuple[int, int] | None:
    """(rows inked in the cell's left ``strip`` share, rows inked in the whole cell), each as the span from
    the first to the last; None when the cell holds too little ink or its left strip none. A chevron inks
    only its point there, K, X, C, E and L their whole left side."""
    columns = np.nonzero(cell.sum(axis=0))[0]
    rows_all = np.nonzero(cell.sum(axis=1))[0]
    if len(columns) < min_columns or len(rows_all) < min_rows:
        return None
    strip_end = columns[0] + max(1, round(strip * (columns[-1] - columns[0] + 1)))
    rows = np.nonzero(cell[:, columns[0] : strip_end].sum(axis=1))[0]
    if not len(rows):
        return None
    return int(rows[-1] - rows[0] + 1), int(rows_all[-1] - rows_all[0] + 1)


def _grid_readings(crop: Image) -> list[list[str]]:
    """Candidate line sets of a band read character by character on a monospaced grid, fewest clashes first."""
    import cv2

    grey = _deskew_crop(crop)
    _, binary = cv2.threshold(
        cv2.GaussianBlur(grey, (3, 3), 0), 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU
    )
    ink: Image = np.asarray(binary, dtype=np.uint8)
    rows = _text_rows(ink)
    if len(rows) < 2:
        return []
    rows = rows[-3:] if len(rows) >= 3 else rows
    groups = [rows] if len(rows) == 2 else [rows, rows[1:]]
    readings: list[tuple[int, list[str]]] = []
    boxes_cache: dict[tuple[int, int], tuple[list[tuple[str, float]], tuple[int, int] | None]] = {}
    for group in groups:
        for width in _GRID_WIDTHS[len(group)]:
            lines: list[str] = []
            clashes = 0
            for top, bottom in group:
                if (top, bottom) not in boxes_cache:
                    pad = max(2, (bottom - top) // 2)
                    y0, y1 = max(0, top - pad), min(grey.shape[0], bottom + pad)
                    extent = _ink_extent(ink[top:bottom])
                    boxes_cache[(top, bottom)] = (_ocr_row_boxes(grey[y0:y1]), extent)
                chars, extent = boxes_cache[(top, bottom)]
                if extent is None or not chars:
                    break
                line, clash = _place_on_grid(chars, extent[0], extent[1], width, ink[top:bottom])
                lines.append(line)
                clashes += clash
            else:
                readings.append((clashes, lines))
    readings.sort(key=lambda item: item[0])
    return [lines for _, lines in readings]


# ---------------------------------------------------------------- glyph reader
#
# A second, independent reader: the MRZ is printed in OCR-B at a fixed pitch, so each character cell of a
# line can be matched against OCR-B templates rendered at the line's own scale. It tells '<' from K/S/E by
# shape (Tesseract's usual confusions in filler runs) and, where it disagrees with Tesseract in a document
# number, the disagreement is what reveals that "some variant passes the check digit" is no proof.

_OCRB_FONT = "/usr/share/fonts/opentype/ocr-b/OCRB.otf"
_CAP = 18  # cap height (px) every line is scaled to before matching
_ADVANCE_PER_CAP = 72.3 / 71.0  # OCR-B advance width over cap height
_LEFT_BEARING = 0.17  # OCR-B ink starts this far (in pitches) into its cell
_GLYPH_WIDTH = 0.66  # and is about this wide (in pitches)
_ROW_PAD = 0.55  # room kept above and below a line, in line heights
_SPECK = 0.2  # ink specks at most this wide and tall (in line heights) are noise, not part of a letter
_CUT_LINE = 0.8  # a line whose letters keep fewer rows of ink (in cap heights) lost their top or foot
_SHORT_ROW = 0.85  # a band line this much shorter than the others lost part of its letters (fax drop-out)
_LOW_MARGIN = 0.06  # a template winning by less than this also offers its runner-up


@dataclass(frozen=True)
class _Cell:
    """One character cell as the glyph reader saw it: the best characters, best first, with their scores."""

    ranked: tuple[tuple[str, float], ...]
    left: int = -1  # where the best template's cell starts in the scaled line (x, px); -1: unknown
    by_shape: bool = False  # an O/0 the glyph's height settled (see ``_settle_round``)
    # the templates' own ranking of a cell ``_settle_round`` settled: what stands where the field forbids
    # the shape's verdict (a '0' in a name tells nothing about which letter it is)
    unsettled: tuple[tuple[str, float], ...] = ()
    chevron: bool = False  # a '<' read first whose ink has a chevron's shape (see ``_chevron_shaped``)

    @property
    def char(self) -> str:
        return self.ranked[0][0]

    def best_of(self, allowed: str) -> str:
        return next((c for c, _ in self.ranked if c in allowed), self.char)

    def close_rivals(self) -> list[str]:
        """Characters scoring within ``_LOW_MARGIN`` of the best: what the reader cannot tell apart."""
        top = self.ranked[0][1]
        return [c for c, s in self.ranked if top - s < _LOW_MARGIN]


_TEMPLATES: dict[int, tuple[str, np.ndarray]] = {}


def _glyph_templates(pitch: int) -> tuple[str, np.ndarray]:
    """OCR-B cell templates (grey, dark ink on white, lightly blurred) ``pitch`` px wide, cap height _CAP."""
    cached = _TEMPLATES.get(pitch)
    if cached is not None:
        return cached
    import cv2
    from PIL import Image as PILImage
    from PIL import ImageDraw, ImageFont

    size = round(_CAP / 0.71)
    font = ImageFont.truetype(_OCRB_FONT, size)
    advance = font.getlength("H")
    height = round(_CAP * 1.5)
    top = round(_CAP * 0.25) - round(0.23 * size)  # the cap top of 'H' sits at 0.23 em below the origin
    stack = []
    for char in ALPHABET:
        canvas = PILImage.new("L", (round(advance) + 4, height), 255)
        ImageDraw.Draw(canvas).text((2, top), char, font=font, fill=0)
        drawn = np.asarray(canvas, dtype=np.uint8)[:, 2 : 2 + round(advance)]
        cell = np.asarray(cv2.resize(drawn, (pitch, height), interpolation=cv2.INTER_AREA), np.float32)
        stack.append(np.asarray(cv2.GaussianBlur(cell, (3, 3), 0.8), np.float32))
    value = (ALPHABET, np.stack(stack))
    if len(_TEMPLATES) > 32:
        _TEMPLATES.clear()
    _TEMPLATES[pitch] = value
    return value


def _row_extent(row: Image) -> tuple[Image, tuple[int, int] | None]:
    """The ink core of a scaled line and the left/right edges of its characters."""
    import cv2

    _, ink = cv2.threshold(row, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    core = np.asarray(ink[round(_CAP * 0.4) : row.shape[0] - round(_CAP * 0.4)], np.uint8)
    return core, _ink_extent(core)


def _glyph_row(row: Image, width: int, hints: Sequence[tuple[int, int]] = ()) -> list[_Cell] | None:
    """Read one MRZ line (grey crop, cap height _CAP, text centred vertically) as ``width`` cells.

    The cell grid follows the ink: each cell is matched a little left and right of where the previous one
    ended, so a pitch misestimate or a slight perspective does not drift across 44 characters.
    """

    core, extent = _row_extent(row)
    if extent is None:
        return None
    best: list[_Cell] | None = None
    # MRZ lines start and end together: the other lines' edges are candidates too (a speck, a cut)
    for x0, x1 in dict.fromkeys([*_extent_variants(core, *extent), *hints]):
        cells = _glyph_cells(row, x0, x1, width)
        if cells is not None and (best is None or _mean_score(cells) > _mean_score(best)):
            best = cells
    return best


def _mean_score(cells: Sequence[_Cell]) -> float:
    return float(np.mean([c.ranked[0][1] for c in cells]))


def _extent_variants(core: Image, x0: int, x1: int) -> list[tuple[int, int]]:
    """The line's ink extent, and the same without a thin mark at either end (a fax streak, a speck)."""
    columns = np.nonzero(core[:, x0:x1].sum(axis=0))[0] + x0
    out = [(x0, x1)]
    if len(columns) < 4:
        return out
    gaps = np.nonzero(np.diff(columns) > 1)[0]
    if len(gaps) and columns[gaps[0]] - x0 + 1 < 0.2 * _CAP:
        out.append((int(columns[gaps[0] + 1]), x1))
    if len(gaps) and x1 - columns[gaps[-1] + 1] < 0.2 * _CAP:
        out.append((x0, int(columns[gaps[-1]]) + 1))
    return out


def _glyph_cells(row: Image, x0: int, x1: int, width: int) -> list[_Cell] | None:
    """The cells of a line whose ink runs from ``x0`` to ``x1``: template scores around each expected cell."""
    import cv2

    pitch = (x1 - x0) / (width - 1 + _GLYPH_WIDTH)
    if not 0.7 * _CAP <= pitch <= 1.4 * _CAP:
        return None
    chars, templates = _glyph_templates(max(8, round(pitch)))
    core = _row_extent(row)[0]
    tw = templates.shape[2]
    slack = round(0.35 * pitch)
    margin = slack + tw
    bordered = np.asarray(cv2.copyMakeBorder(row, 4, 4, margin, margin, cv2.BORDER_REPLICATE), np.float32)
    padded = np.asarray(cv2.GaussianBlur(bordered, (3, 3), 0.8), np.float32)
    maps = _template_maps(padded, templates)
    kept = _kept_ink_rows(core)
    if maps is None or kept is None:
        return None
    if kept < _CUT_LINE * _CAP:
        # white scan lines erased the top or the foot of every letter: match only what is left of them, the
        # templates cut the same way (the top part or the bottom part, whichever matches the line better)
        tops = round(_CAP * 0.25)
        for start in (tops, tops + _CAP - kept):
            cut = _template_maps(padded, templates[:, max(0, start - 1) : start + kept + 1], window=True)
            if cut is not None and cut.max(axis=0).sum() > maps.max(axis=0).sum():
                maps = cut
    left = x0 - _LEFT_BEARING * pitch
    cells: list[_Cell] = []
    for index in range(width):
        expected = left + index * pitch
        a = max(0, round(expected) - slack + margin)
        window = maps[:, a : a + 2 * slack + 1]
        if window.shape[1] == 0:
            return None
        spots = window.argmax(axis=1)
        scores = window[np.arange(len(chars)), spots]
        order = np.argsort(scores)[::-1]
        ranked = tuple((chars[i], float(scores[i])) for i in order)
        found = a - margin + int(spots[order[0]])
        ranked = _settle_chevron(ranked, core, found, pitch)
        chevron = ranked[0][0] == FILLER and _chevron_shaped(core, found, pitch)
        cells.append(_Cell(ranked, found, chevron=chevron))
        # follow the ink, half-way: one noisy cell must not throw the grid off
        left += 0.5 * (found - expected)
    return cells


def _template_maps(
    padded: npt.NDArray[np.float32], templates: np.ndarray, *, window: bool = False
) -> np.ndarray | None:
    """Score of each template at each x of a (bordered, blurred) line, best over a few y offsets.

    Whole templates are matched where the line's cap top should be; cut templates (``window``) anywhere
    down the line, since where the kept part of a cut line sits is not known."""
    import cv2

    if not window:
        # the line's cap top is at _ROW_PAD·_CAP (see _glyph_rows), the templates' at 0.25·_CAP: a little slack
        y0 = 4 + round((_ROW_PAD - 0.25) * _CAP) - 4
        padded = padded[max(0, y0) : max(0, y0) + templates.shape[1] + 8]
    if padded.shape[0] < templates.shape[1] or templates.shape[1] < 4:
        return None
    # one pass per template over the whole line: score of each template at each x (best over y)
    return np.stack(
        [cv2.matchTemplate(padded, template, cv2.TM_CCOEFF_NORMED).max(axis=0) for template in templates]
    )


def _kept_ink_rows(core: Image) -> int | None:
    """How many rows of a line's letters carry ink (about _CAP, less where a fax drop-out erased some)."""
    profile = core.sum(axis=1)
    if profile.max() <= 0:
        return None
    inked = np.nonzero(profile > 0.25 * profile.max())[0]
    return int(inked[-1] - inked[0] + 1)


def _settle_chevron(
    ranked: tuple[tuple[str, float], ...], core: Image, left: int, pitch: float
) -> tuple[tuple[str, float], ...]:
    """A '<' whose close rivals are K, X, C, E or L (their values weigh alike mod 10 for K: 20 ≡ 0) settled
    by shape: those letters have ink down their whole left side, the chevron only its point, half-way up."""
    top_char, top_score = ranked[0]
    rivals = {c for c, s in ranked[1:] if top_score - s < _LOW_MARGIN}
    if top_char != FILLER or not rivals or not rivals <= set(_SEPARATOR_NOISE):
        return ranked
    if not _chevron_shaped(core, left, pitch):
        return ranked
    return tuple(item for item in ranked if item[0] not in rivals)


def _chevron_shaped(core: Image, left: int, pitch: float) -> bool:
    """Whether the cell's ink is a chevron's (its left quarter inked only around its point) rather than K, X,
    C, E or L (ink down their whole left side); False when the cell holds too little ink to tell."""
    cell = core[:, max(0, left) : max(0, left) + round(pitch) + 1].copy()
    # a fax streak (a one-pixel vertical line) through the cell is no letter's stem: a stem is thicker
    rows_inked = np.count_nonzero(cell.any(axis=1))
    fill = cell.sum(axis=0) / max(1, rows_inked)
    for x in range(cell.shape[1]):
        beside = max(fill[x - 1] if x > 0 else 0.0, fill[x + 1] if x + 1 < len(fill) else 0.0)
        if fill[x] >= 0.6 and beside < 0.5:
            cell[:, x] = 0
    # K, X, C, E, L fill their left quarter top to bottom; the chevron's point fills well under two thirds
    spans = _left_strip_spans(cell, strip=0.25, min_columns=3, min_rows=5)
    return spans is not None and spans[0] < 0.6 * spans[1]


def _glyph_rows(crop: Image) -> list[tuple[Image, int]]:
    """The text lines of a band, each scaled to cap height _CAP with room above and below."""
    import cv2

    grey = _deskew_crop(crop)
    _, binary = cv2.threshold(
        cv2.GaussianBlur(grey, (3, 3), 0), 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU
    )
    rows = _text_rows(np.asarray(binary, dtype=np.uint8))
    if rows:
        # MRZ lines share one height: a ruled line or a fax streak crossing the band is no text line
        typical = float(np.median([b - a for a, b in rows]))
        rows = [(a, b) for a, b in rows if 0.55 * typical <= b - a <= 1.5 * typical]
    out = []
    rows = rows[-3:]
    typical = float(np.median([b - a for a, b in rows])) if rows else 0.0
    for top, bottom in rows:
        if bottom - top < _SHORT_ROW * typical:
            # a fax drop-out (white scan lines) erased the top or foot of this line's letters: MRZ lines
            # share one height, so the line is scaled as tall as the others, around the ink it kept
            centre = (top + bottom) / 2
            top, bottom = round(centre - typical / 2), round(centre + typical / 2)
        height = bottom - top
        if height < 5:
            continue
        pad = round(_ROW_PAD * height)
        y0, y1 = max(0, top - pad), min(grey.shape[0], bottom + pad)
        piece = grey[y0:y1]
        scale = _CAP / height
        size = (max(1, round(piece.shape[1] * scale)), max(1, round(piece.shape[0] * scale)))
        interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
        out.append((np.asarray(cv2.resize(piece, size, interpolation=interpolation), np.uint8), height))
    return out


_GLYPH_MRZ_SCORE = 0.84  # mean template score of a real MRZ band (≈0.9+); ordinary text scores ≈0.6–0.8
_DIGITS = "0123456789"
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_MAX_COMBOS = 4096
_WITNESS_MARGIN = 0.12  # Tesseract's char is a candidate only when its template scores this close to the best
_FRENCH_PASSPORT = re.compile(r"\d{2}[A-Z]{2}\d{5}")
# shapes neither reader reliably tells apart on degraded prints (both misread S for 5 together): both stay
# open in number fields, so only the check digits can pick one
_TWINS = {"O": "0", "0": "O", "S": "5", "5": "S", "B": "8", "8": "B"}
_ALWAYS_TWINS = frozenset("O0")  # the templates never part these; S/5 and B/8 only when they score close
_TWIN_GAP = _LOW_MARGIN
_CHECK_READING = "reading"  # extra entry of MrzResult.checks: False when two readers leave a field open
# ICAO 9303: a TD1/TD2 document code starts with I, A or C, a passport's with P; the old CNI's is 'ID'
_FIRST_CODE_LETTER: dict[str, str] = {"td1": "IAC", "td2": "IAC", "td3": "P", "cni_old": "I"}


@dataclass(frozen=True)
class _GlyphBand:
    """A band read by the glyph reader: its lines as cells and how much they looked like OCR-B."""

    rows: tuple[tuple[_Cell, ...], ...]
    score: float

    @property
    def lines(self) -> list[str]:
        return ["".join(cell.char for cell in row) for row in self.rows]


def _line_width(row: Image, row_count: int) -> int | None:
    """30, 36 or 44 characters, from the line's length in cap heights (OCR-B pitch ≈ 1.02 cap height)."""
    import cv2

    _, ink = cv2.threshold(row, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    core = np.asarray(ink[round(_CAP * 0.4) : row.shape[0] - round(_CAP * 0.4)], np.uint8)
    extent = _ink_extent(core)
    if extent is None:
        return None
    count = (extent[1] - extent[0]) / (_CAP * _ADVANCE_PER_CAP) + 1 - _GLYPH_WIDTH
    widths = (30,) if row_count == 3 else (36, 44)
    best = min(widths, key=lambda w: abs(w - count))
    # a blur or a perspective swells the measured line height, so the count comes out short: the pitch is
    # measured again from the line's length once its width is chosen (``_fit_to_pitch``)
    return best if -0.3 * best <= count - best <= 0.2 * best else None


def _glyph_band(crop: Image, min_score: float = _GLYPH_MRZ_SCORE - 0.1) -> _GlyphBand | None:
    """The band read by the glyph reader alone, or None when its lines are not MRZ-like (gives up early)."""
    rows = _glyph_rows(crop)
    if len(rows) < 2:
        return None
    band = _glyph_lines(rows, min_score)
    if band is None and len(rows) == 3:
        band = _glyph_lines(rows[1:], min_score)  # a text line above a 2-line MRZ
    return band


def _glyph_lines(rows: Sequence[tuple[Image, int]], min_score: float) -> _GlyphBand | None:
    """The lines read at their measured width; two-line bands at 36 and at 44 too (the line height a blur
    swells makes the measure unsure), the better-matching reading kept."""
    widths = [_line_width(row, len(rows)) for row, _ in rows]
    if len(rows) != 2:
        if any(w is None for w in widths) or len(set(widths)) != 1:
            return None
        return _glyph_lines_at(rows, widths[0] or 30, min_score)
    if all(w is None for w in widths):
        return None  # a blur or a skew swells one line's height: one line measuring like an MRZ's is enough
    readings = [_glyph_lines_at(rows, width, min_score) for width in (36, 44)]
    found = [r for r in readings if r is not None]
    return max(found, key=lambda r: r.score) if found else None


def _fit_to_pitch(row: Image, height: int, width: int) -> tuple[Image, int]:
    """A line rescaled so its ``width`` characters span exactly their OCR-B length at cap height _CAP.

    The line height measured from the ink profile overstates the cap height where a blur, a perspective or a
    skew thickens the strokes; the length of a line of known character count is a far surer ruler."""
    import cv2

    extent = _row_extent(row)[1]
    if extent is None:
        return row, height
    factor = (width - 1 + _GLYPH_WIDTH) * _CAP * _ADVANCE_PER_CAP / max(1, extent[1] - extent[0])
    if abs(factor - 1.0) < 0.04 or not 0.6 <= factor <= 1.5:
        return row, height
    rows, cols = row.shape[:2]
    scaled = cv2.resize(
        row,
        (max(1, round(cols * factor)), max(1, round(rows * factor))),
        interpolation=cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC,
    )
    # keep the text centred in a row of the same height
    centre = scaled.shape[0] / 2
    top = round(centre - rows / 2)
    if top >= 0:
        fitted = scaled[top : top + rows]
    else:
        fitted = cv2.copyMakeBorder(scaled, -top, 0, 0, 0, cv2.BORDER_REPLICATE)[:rows]
    if fitted.shape[0] < rows:
        fitted = cv2.copyMakeBorder(fitted, 0, rows - fitted.shape[0], 0, 0, cv2.BORDER_REPLICATE)
    return np.asarray(fitted, np.uint8), max(1, round(height / factor))


def _glyph_lines_at(rows: Sequence[tuple[Image, int]], width: int, min_score: float) -> _GlyphBand | None:
    rows = [_fit_to_pitch(row, height, width) for row, height in rows]
    # each line's edges in page pixels (lines are scaled by their own height)
    edges = [
        (e[0] * height / _CAP, e[1] * height / _CAP)
        for e, height in ((_row_extent(row)[1], height) for row, height in rows)
        if e is not None
    ]
    out: list[tuple[_Cell, ...]] = []
    scores: list[float] = []
    for row, height in rows:
        hints = [(round(a * _CAP / height), round(b * _CAP / height)) for a, b in edges]
        cells = _glyph_row(row, width, hints)
        if cells is None:
            return None
        line_score = float(np.mean([c.ranked[0][1] for c in cells]))
        if line_score < min_score:
            return None  # ordinary text: stop before reading the other lines
        out.append(tuple(cells))
        scores.append(line_score)
    return _GlyphBand(_settle_round([row for row, _ in rows], out), float(np.mean(scores)))


_ROUND = "O0"
_MIN_REFERENCES = 3
_ROUND_OVERSHOOT = 0.014  # OCR-B's O over its median capital (147 against 145 units): round letters overshoot
_MIN_DIGIT_RISE = 0.05  # OCR-B's digits stand ~8 % over its capitals; a print showing less has no ruler
_ROUND_OUT = frozenset("O0QCG<")  # overshooting or undecided shapes make no ruler


def _darkness(row: Image) -> npt.NDArray[np.float32] | None:
    """A scaled line as ink darkness, 0 (paper) to 1 (ink); None on too faint a print to measure."""
    grey = row.astype(np.float32)
    paper, ink = np.percentile(grey, (90, 3))
    if paper - ink < 40:
        return None
    return np.asarray(np.clip((paper - grey) / (paper - ink), 0.0, 1.0), np.float32)


def _glyph_height(darkness: npt.NDArray[np.float32], cell: _Cell, pitch: float) -> float | None:
    """A cell's ink height (px, sub-pixel) in its scaled line; None when a speck or a break makes it unsure.

    Measured on the darkness profile (the second-darkest column of each pixel row, so one noisy column does
    not count) at half the ink's contrast, interpolated between pixel rows."""
    x0 = max(0, round(cell.left + 0.12 * pitch))
    x1 = min(darkness.shape[1], round(cell.left + 0.88 * pitch))
    if x1 - x0 < 3:
        return None
    profile = np.sort(darkness[:, x0:x1], axis=1)[:, -2]
    dark = np.nonzero(profile >= 0.5)[0]
    middle = darkness.shape[0] // 2
    if not len(dark) or profile[middle] < 0.5:
        return None
    top, bottom = middle, middle
    while top > 0 and profile[top - 1] >= 0.5:
        top -= 1
    while bottom + 1 < len(profile) and profile[bottom + 1] >= 0.5:
        bottom += 1
    if top != dark[0] or bottom != dark[-1] or top == 0 or bottom + 1 == len(profile):
        return None  # ink apart from the glyph (a speck, the next line) or a broken stroke: no sure measure
    upper = top - (profile[top] - 0.5) / max(1e-3, float(profile[top] - profile[top - 1]))
    lower = bottom + (profile[bottom] - 0.5) / max(1e-3, float(profile[bottom] - profile[bottom + 1]))
    return float(lower - upper)


def _settle_round(rows: Sequence[Image], lines: Sequence[tuple[_Cell, ...]]) -> tuple[tuple[_Cell, ...], ...]:
    """O and 0 told apart by height: OCR-B's digits, 0 included, stand ~8 % taller than its capitals.

    The ruler is the print itself: each line's heights are taken relative to its capitals read for certain,
    the digits read for certain give this print's rise. A cell is settled only when that rise is clear and
    the cell lies well on one side of the O/0 middle; anything less leaves both open."""
    if not any(cell.char in _ROUND for cells in lines for cell in cells):
        return tuple(lines)
    measured: list[list[float | None]] = []
    caps_of: list[float | None] = []
    rises: list[float] = []
    residuals: list[float] = []
    for row, cells in zip(rows, lines, strict=True):
        lefts = [c.left for c in cells]
        pitch = float(np.median(np.diff(lefts))) if len(lefts) > 1 else 0.0
        darkness = _darkness(row)
        heights = [
            _glyph_height(darkness, c, pitch)
            if darkness is not None and pitch > 0 and c.left >= 0 and c.char != FILLER
            else None
            for c in cells
        ]
        measured.append(heights)
        sure = [
            (c.char, h)
            for c, h in zip(cells, heights, strict=True)
            if h is not None and c.char not in _ROUND_OUT and len(c.close_rivals()) == 1
        ]
        caps = [h for char, h in sure if char.isalpha()]
        digits = [h for char, h in sure if char.isdigit()]
        if len(caps) < _MIN_REFERENCES:
            caps_of.append(None)
            continue
        line_cap = float(np.median(caps))
        caps_of.append(line_cap)
        residuals += [h / line_cap - 1 for h in caps]
        if digits:
            digit = float(np.median(digits))
            rises += [digit / line_cap - 1] * len(digits)
            residuals += [h / digit - 1 for h in digits]
    if len(rises) < _MIN_REFERENCES:
        return tuple(lines)
    rise = float(np.median(rises))
    scatter = 1.4826 * float(np.median(np.abs(residuals)))
    gap = rise - _ROUND_OVERSHOOT
    need = max(0.2 * gap, 1.5 * scatter)
    log.debug("O/0 by height: rise %.3f, scatter %.3f", rise, scatter)
    if rise < _MIN_DIGIT_RISE or gap < 2 * need:
        return tuple(lines)  # this print's digits do not clearly stand taller than its capitals
    middle = (rise + _ROUND_OVERSHOOT) / 2
    out = []
    for cells, heights, cap in zip(lines, measured, caps_of, strict=True):
        settled = []
        for cell, height in zip(cells, heights, strict=True):
            offset = 0.0 if cap is None or height is None else height / cap - 1 - middle
            if cell.char not in _ROUND or abs(offset) < need:
                settled.append(cell)
                continue
            char = "0" if offset > 0 else "O"
            other = "O" if char == "0" else "0"
            score = dict(cell.ranked).get(char, cell.ranked[0][1])
            ranked = ((char, score), *((c, s) for c, s in cell.ranked if c not in (char, other)))
            settled.append(_Cell(ranked, cell.left, by_shape=True, unsettled=cell.ranked))
        out.append(tuple(settled))
    return tuple(out)


def _allowed(kind: Kind) -> str:
    if kind in ("digit", "check"):
        return _DIGITS + FILLER
    if kind in ("alpha", "name"):
        return _LETTERS + FILLER
    if kind == "sex":
        return "MFX<"
    return ALPHABET


def _tidy_name_field(layout: _Layout, line: int, start: int, field: str) -> str:
    """After an ICAO name ends ('SURNAME<<GIVEN<NAMES<<…'), the rest of the field is filler; an old CNI's
    surname field likewise ends at its first '<<'. No check digit covers names: this is their only guard."""
    if layout.name == "cni_old":
        if line != 0:
            return field
        end = field.find("<<")
    else:
        sep = field.find("<<")
        end = -1 if sep < 0 else field.find("<<", sep + 3)
    if end < 0:
        return field
    return field[:end] + FILLER * (len(field) - end)


def _covered_positions(layout: _Layout) -> set[tuple[int, int]]:
    covered: set[tuple[int, int]] = set()
    for _name, spans, (cl, cp) in layout.checks:
        covered.add((cl, cp))
        for ln, start, end in spans:
            covered.update((ln, p) for p in range(start, end))
    return covered


def _combine_readings(
    layout: _Layout, glyph: _GlyphBand, tess: Sequence[str | None], today: date
) -> MrzResult:
    """One reading from the two readers. Each cell keeps the characters its field allows that either reader
    (or a close template rival) proposed; check-covered cells left open are settled only when exactly one
    combination makes every check digit hold. Otherwise the result carries ``checks['reading'] = False``:
    a number that some variant validates is no proof (mod 10 cannot tell B/8, S/5, G/6 apart)."""
    covered = _covered_positions(layout)
    chosen: list[list[str]] = [[cell.char for cell in row] for row in glyph.rows]
    options: dict[tuple[int, int], list[str]] = {}
    said: dict[tuple[int, int], tuple[str, str | None]] = {}  # open cell → (templates' char, Tesseract's)
    line_scores = [_mean_score(row) for row in glyph.rows]
    line_trusted = [True] * len(glyph.rows)
    for (ln, start, end), kind in layout.kinds:
        tess_line = tess[ln]
        # a poorly matching line (another OCR-B cut, heavy JPEG) makes its score gaps mean less
        witness_margin = _WITNESS_MARGIN + max(0.0, 2 * (_GLYPH_MRZ_SCORE + 0.1 - line_scores[ln]))
        trust_templates = tess_line is None or line_scores[ln] >= _GLYPH_MRZ_SCORE
        line_trusted[ln] = trust_templates
        for p in range(start, end):
            allowed = _allowed(kind) if (ln, p) != (0, 0) else _FIRST_CODE_LETTER[layout.name]
            cell = glyph.rows[ln][p]
            if cell.by_shape and cell.char not in allowed and (ln, p) not in covered:
                cell = _Cell(cell.unsettled, cell.left)  # a name's '0' tells nothing of which letter it is
            first = cell.best_of(allowed)
            glyph_char = first
            tess_char: str | None = None
            top_score = next(s for c, s in cell.ranked if c == first)
            cands = [first]
            if trust_templates:  # a poor line's runners-up are noise: Tesseract is the other opinion there
                cands += [c for c, s in cell.ranked if c in allowed and top_score - s < _LOW_MARGIN]
            twins = [
                c
                for c in _TWINS.get(first, "")
                if c in allowed
                and not cell.by_shape
                and (first in _ALWAYS_TWINS or top_score - dict(cell.ranked).get(c, -1.0) < _TWIN_GAP)
            ]
            cands += twins
            if kind in ("digit", "check"):
                # the reader's letter in a number ('O' where a fax thinned a '0'): the digit it stands for
                # stays open beside the best-matching digit ('8'), for the check digits to settle
                shape = cell.char.translate(_TO_DIGIT)
                if shape in allowed and shape != first:
                    cands.append(shape)
            if tess_line is not None and tess_line[p] != _NO_OPINION:
                other = tess_line[p]
                if kind in ("digit", "check"):
                    other = other.translate(_TO_DIGIT)
                elif kind in ("alpha", "name"):
                    other = other.translate(_TO_LETTER)
                tess_char = other
                rival = next((s for c, s in cell.ranked if c == other), -1.0)
                # a K/X/C/E/L Tesseract saw where the templates read a chevron-shaped '<': filler noise
                # (K weighs as '<' mod 10, so no check digit can part them)
                veto = glyph_char == FILLER and other in _SEPARATOR_NOISE and cell.chevron
                if other in allowed and top_score - rival < witness_margin and not veto:
                    cands.append(other)  # Tesseract's char, unless the templates clearly rule it out
                    if not trust_templates:
                        first = other
            if tess_char is not None and (tess_char == glyph_char or tess_char in _TWINS.get(glyph_char, "")):
                # the readers agree (up to a twin): only the twins the templates cannot part stay open
                cands = [glyph_char, *twins]
            cands = list(dict.fromkeys(cands))
            chosen[ln][p] = first
            if (ln, p) not in covered:
                continue  # no check digit can settle it: the better reader of this line stands
            if len(cands) > 1:
                options[(ln, p)] = cands
                said[(ln, p)] = (glyph_char, tess_char)
    for (ln, start, end), kind in layout.kinds:
        if kind == "name":
            field = _tidy_name_field(layout, ln, start, "".join(chosen[ln][start:end]))
            chosen[ln][start:end] = list(field)
    base = tuple("".join(row) for row in chosen)
    if not options:
        return _build(layout, base, today)
    winners, complete = _solve_open_cells(layout, base, options)
    if (len(winners) > 1 or not complete) and said:
        # on a line the templates match poorly, Tesseract is the better reader: its reading may settle it
        narrowed = {
            cell: [tess_char] if tess_char is not None and not line_trusted[cell[0]] else cands
            for cell, cands in options.items()
            for tess_char in [said[cell][1]]
        }
        if narrowed != options:
            again, done = _solve_open_cells(layout, base, narrowed)
            if done and len(again) == 1:
                winners, complete = again, True
    if len(winners) > 1 and layout.name == "td3":
        # a French passport number is 2 digits, 2 letters, 5 digits: it may settle a tie, never make one
        french = [w for w in winners if w[0][2:5] == "FRA" and _FRENCH_PASSPORT.fullmatch(w[1][0:9])]
        winners = french if len(french) == 1 else winners
    if len(winners) > 1:
        winners = _most_uniform_optional(layout, winners)
    if len(winners) == 1:
        return _build(layout, winners[0], today)
    result = _build(layout, base, today)
    if len(winners) > 1 or not complete:
        checks = dict(result.checks)
        checks[_CHECK_READING] = False
        return replace(result, checks=checks)
    return result


def _most_uniform_optional(layout: _Layout, winners: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Winners that differ only in optional data (covered by the composite digit alone, where '6' and 'G'
    weigh alike), narrowed to those whose differing characters are of the kind the rest of their field is:
    digits among digits (a titre de séjour's number continued, « …5057G2 » read for « …505762 »). It may
    settle a tie, never make one; a field as much letters as digits settles nothing."""
    optional = [(ln, a, b) for (ln, a, b), kind in layout.kinds if kind == "optional"]
    in_optional = {(ln, p) for ln, a, b in optional for p in range(a, b)}
    first = winners[0]
    differing = {
        (ln, p)
        for w in winners[1:]
        for ln in range(len(w))
        for p in range(len(w[ln]))
        if w[ln][p] != first[ln][p]
    }
    if not differing or not differing <= in_optional:
        return winners  # a tie elsewhere than in optional data: not this rule's to settle
    # each field's own kind, from the characters every winner shares (fillers aside)
    wants_digit: dict[tuple[int, int, int], bool] = {}
    for ln, a, b in optional:
        steady = [first[ln][p] for p in range(a, b) if (ln, p) not in differing and first[ln][p] != FILLER]
        digits = sum(c.isdigit() for c in steady)
        if 2 * digits != len(steady):
            wants_digit[(ln, a, b)] = 2 * digits > len(steady)
    scores = [
        sum(
            1 if winner[ln][p].isdigit() == want else -1
            for (ln, a, b), want in wants_digit.items()
            for p in range(a, b)
            if (ln, p) in differing and winner[ln][p] != FILLER
        )
        for winner in winners
    ]
    best = max(scores)
    kept = [w for w, sc in zip(winners, scores, strict=True) if sc == best]
    return kept if len(kept) == 1 else winners


def _apply(lines: Sequence[str], chars: dict[tuple[int, int], str]) -> tuple[str, ...]:
    work = [list(line) for line in lines]
    for (ln, p), char in chars.items():
        work[ln][p] = char
    return tuple("".join(w) for w in work)


def _solve_open_cells(
    layout: _Layout, base: tuple[str, ...], options: dict[tuple[int, int], list[str]]
) -> tuple[list[tuple[str, ...]], bool]:
    """Every filling of the open cells that makes all check digits hold (at most a few), and whether the
    search was complete. Each field's own check digit prunes its cells first; the composite check then
    runs over what is left, so many open cells stay affordable."""
    per_field: list[list[dict[tuple[int, int], str]]] = []
    placed: set[tuple[int, int]] = set()
    for name, spans, (cl, cp) in layout.checks:
        if name == "composite":
            continue
        cells = [
            c for c in options if c == (cl, cp) or any(ln == c[0] and a <= c[1] < b for ln, a, b in spans)
        ]
        cells = [c for c in cells if c not in placed]
        if not cells:
            continue
        placed.update(cells)
        if math.prod(len(options[c]) for c in cells) > _MAX_COMBOS:
            return [], False
        fits = []
        for chars in itertools.product(*(options[c] for c in cells)):
            assignment = dict(zip(cells, chars, strict=True))
            if _compute_checks(layout, _apply(base, assignment)).get(name, False):
                fits.append(assignment)
        if not fits:
            return [], True  # this field cannot hold whatever the open cells say
        per_field.append(fits)
    rest = [c for c in options if c not in placed]
    per_field += [[{c: char} for char in options[c]] for c in rest]
    if math.prod(len(f) for f in per_field) > _MAX_COMBOS:
        return [], False
    winners: list[tuple[str, ...]] = []
    for parts in itertools.product(*per_field):
        merged = {cell: char for part in parts for cell, char in part.items()}
        candidate = _apply(base, merged)
        if all(_compute_checks(layout, candidate).values()):
            winners.append(candidate)
            if len(winners) > 8:
                return winners, True  # several already: ambiguous, no need for all of them
    return winners, True


def _layout_of(glyph: _GlyphBand) -> _Layout | None:
    lines = glyph.lines
    if len(lines) == 3 and len(lines[0]) == 30:
        return _LAYOUTS["td1"]
    if len(lines) == 2 and len(lines[0]) == 44:
        return _LAYOUTS["td3"]
    if len(lines) == 2 and len(lines[0]) == 36:
        fixed = [lines[0], lines[1][:34] + lines[1][34].translate({ord("H"): "M"}) + lines[1][35]]
        return _LAYOUTS[
            "cni_old" if _layout_score("cni_old", fixed) >= _layout_score("td2", fixed) else "td2"
        ]
    return None


def _witness_lines(crop: Image, glyph: _GlyphBand, layout: _Layout) -> list[str | None]:
    """Tesseract's reading, on the glyph reader's grid, of the lines that hold an alphanumeric number (the
    fields a check digit cannot settle alone); None for the other lines and for a read off the grid."""
    import cv2

    wanted = sorted({ln for (ln, _s, _e), kind in layout.kinds if kind == "alnum"})
    out: list[str | None] = [None] * len(glyph.rows)
    grey = _deskew_crop(_scaled_for_grid(crop))
    _, binary = cv2.threshold(
        cv2.GaussianBlur(grey, (3, 3), 0), 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU
    )
    ink: Image = np.asarray(binary, dtype=np.uint8)
    rows = _text_rows(ink)[-len(glyph.rows) :]
    if len(rows) != len(glyph.rows):
        return out
    for ln in wanted:
        top, bottom = rows[ln]
        pad = max(2, (bottom - top) // 2)
        extent = _ink_extent(ink[top:bottom])
        if extent is None:
            continue
        chars = _ocr_row_boxes(grey[max(0, top - pad) : min(grey.shape[0], bottom + pad)])
        line, _ = _place_on_grid(chars, extent[0], extent[1], layout.width, ink[top:bottom])
        # Tesseract's usual reading of a thin or broken chevron (K, X, C, E, L) still follows the same line
        agree = sum(
            a == b or (b == FILLER and a in _SEPARATOR_NOISE)
            for a, b in zip(line, glyph.lines[ln], strict=True)
        )
        if agree < 0.6 * layout.width:
            # a box a little off (a fax streak, a merged pair) shifts the rest of the grid: align the
            # characters in reading order instead, each cell Tesseract has no character for left open
            line, agree = _align_witness("".join(c for c, _ in chars), glyph.lines[ln])
        if agree >= 0.6 * layout.width:  # the same line: a reading of something else is no witness
            out[ln] = line
    return out


_NO_OPINION = "?"  # a witness cell Tesseract has no character for
_SHAPE_CLASS = str.maketrans(
    {"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "S": "5", "B": "8", "G": "6", "Z": "2"}
)


def _align_witness(read: str, glyph_line: str) -> tuple[str, int]:
    """Tesseract's characters (reading order) aligned to the glyph reader's cells by edit distance, look-alikes
    matching free: the cell each character falls on, ``_NO_OPINION`` where none does, and how many agree."""
    a = read.translate(_FILLER_LOOKALIKES)
    b = glyph_line
    ka, kb = a.translate(_SHAPE_CLASS), b.translate(_SHAPE_CLASS)
    n, m = len(a), len(b)
    cost = np.zeros((n + 1, m + 1), np.int32)
    cost[:, 0] = np.arange(n + 1)
    cost[0, :] = np.arange(m + 1)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cost[i, j] = min(
                cost[i - 1, j - 1] + (ka[i - 1] != kb[j - 1]), cost[i - 1, j] + 1, cost[i, j - 1] + 1
            )
    cells = [_NO_OPINION] * m
    agree = 0
    i, j = n, m
    while i > 0 and j > 0:
        if cost[i, j] == cost[i - 1, j - 1] + (ka[i - 1] != kb[j - 1]):
            cells[j - 1] = a[i - 1]
            agree += ka[i - 1] == kb[j - 1]
            i, j = i - 1, j - 1
        elif cost[i, j] == cost[i, j - 1] + 1:
            j -= 1
        else:
            i -= 1
    return "".join(cells), agree


def _read_two_readers(crop: Image, glyph: _GlyphBand, today: date | None) -> MrzResult | None:
    """The band read by the glyph reader and, on its number lines, by Tesseract; combined cell by cell."""
    layout = _layout_of(glyph)
    if layout is None:
        return None
    tess = _witness_lines(crop, glyph, layout)
    result = _combine_readings(layout, glyph, tess, today or date.today())
    if result.valid:
        # one reader only on a number's cell: it stands only where every such template won clearly
        lone_cells = [
            glyph.rows[ln][p]
            for (ln, start, end), kind in layout.kinds
            if kind == "alnum"
            for p in range(start, end)
            if (witness := tess[ln]) is None or witness[p] == _NO_OPINION
        ]
        if any(len(cell.close_rivals()) > 1 for cell in lone_cells):
            checks = dict(result.checks)
            checks[_CHECK_READING] = False
            return replace(result, checks=checks)
    return result


def _scaled_for_grid(crop: Image) -> Image:
    """Upscale a small band (150 dpi, low-resolution photos) so a character is ~20 px wide; shrink huge ones."""
    import cv2

    width = crop.shape[1]
    factor = 1.0
    if width < 1000:
        factor = min(4.0, 1000 / max(1, width))
    elif width > 1600:
        factor = 1600 / width
    if abs(factor - 1.0) < 0.05:
        return crop
    interpolation = cv2.INTER_CUBIC if factor > 1 else cv2.INTER_AREA
    return np.asarray(cv2.resize(crop, None, fx=factor, fy=factor, interpolation=interpolation), np.uint8)


def _name_tokens(lines: Sequence[str]) -> set[str]:
    return {
        t for line in lines for t in re.split(r"[^A-Z]+", line.upper().translate(_FILLER_LOOKALIKES)) if t
    }


def _fix_name_separators(result: MrzResult, reference: set[str], today: date | None) -> MrzResult:
    """A '<' between two names read as K/X/C/E/L by the grid ('ANNAKMARIA'): split it where the block read
    has both names as words. Names carry no check digit, so a second reading is the only witness."""
    layout = _LAYOUTS[result.format]
    lines = [list(line) for line in result.lines]
    for (ln, start, end), kind in layout.kinds:
        if kind != "name":
            continue
        field = "".join(lines[ln][start:end])
        for match in re.finditer(r"[A-Z]+", field):
            token = match.group(0)
            if token in reference:
                continue
            for j, char in enumerate(token[1:], start=1):
                left, right = token[:j], token[j + 1 :]
                if char in _SEPARATOR_NOISE and left in reference and (right in reference or not right):
                    lines[ln][start + match.start() + j] = FILLER
                    break
    fixed = tuple("".join(line) for line in lines)
    if fixed == result.lines:
        return result
    try:
        again = parse_mrz(fixed, today=today)
    except MrzError:
        return result
    return again if again.valid and again.format == result.format else result


def _read_grid(crop: Image, today: date | None, block_lines: Sequence[str] = ()) -> MrzResult | None:
    """The band read on a character grid; a result only when its check digits hold."""
    reference = _name_tokens(block_lines)
    for lines in _grid_readings(_scaled_for_grid(crop)):
        try:
            result = repair_mrz(lines, today=today)
        except MrzError:
            continue
        if result.valid:
            return _fix_name_separators(result, reference, today) if reference else result
    return None


def _looks_like_mrz(lines: Sequence[str]) -> bool:
    """Whether an OCR read holds filler runs: worth a second preparation, and proof of the orientation."""
    return any("<<" in line or line.count("<") >= 3 for line in lines)


def _read_crop(crop: Image, today: date | None) -> tuple[MrzResult | None, bool]:
    """The best MRZ in a crop, and whether any read of it looked like an MRZ at all."""
    best: MrzResult | None = None
    seen = False
    for index, prepared in enumerate(_prepared_crops(crop)):
        lines = _ocr_lines(prepared)
        if not _looks_like_mrz(lines):
            break  # ordinary text or nothing: a binarised copy will not turn it into an MRZ
        seen = True
        if index == 0:
            # an MRZ is there: the grid reader gets the filler runs right where the block read miscounts them
            grid = _read_grid(crop, today, lines)
            if grid is not None:
                return grid, True
        result = find_mrz_in_text(lines, today=today)
        if result is None:
            continue
        if result.valid:
            return result, True
        if best is None or _score(result) > _score(best):
            best = result
    return best, seen


def _rotate(image: Image, degrees: int) -> Image:
    import cv2

    codes = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return image if degrees % 360 == 0 else np.ascontiguousarray(cv2.rotate(image, codes[degrees % 360]))


def _rotation_order(grey: Image) -> tuple[int, ...]:
    """Rotations to try, the likely text direction first; the other axis is skipped when it is clearly wrong.

    Lines of text leave blank rows between them, so the ink profile across the lines varies much more than
    the profile along them (coefficient of variation of the row sums vs the column sums).
    """
    import cv2

    small = grey
    if max(grey.shape[:2]) > 800:
        factor = 800 / max(grey.shape[:2])
        small = np.asarray(
            cv2.resize(grey, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA), np.uint8
        )
    _, ink = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    ys, xs = np.nonzero(ink)
    if len(ys) < 50:
        return (0, 180, 90, 270)
    # only inside the inked area: page margins would otherwise dominate the profiles
    y0, y1 = np.percentile(ys, (2, 98)).astype(int)
    x0, x1 = np.percentile(xs, (2, 98)).astype(int)
    ink = ink[y0 : y1 + 1, x0 : x1 + 1]
    rows, cols = ink.sum(axis=1).astype(float), ink.sum(axis=0).astype(float)
    if rows.mean() <= 0 or cols.mean() <= 0:
        return (0, 180, 90, 270)
    across_rows = float(rows.std() / rows.mean())
    across_cols = float(cols.std() / cols.mean())
    if across_rows >= 1.5 * across_cols:
        return (0, 180)
    if across_cols >= 1.5 * across_rows:
        return (90, 270)
    return (0, 180, 90, 270) if across_rows >= across_cols else (90, 270, 0, 180)


def _bands_of(
    page: Image,
    rotation: int,
    max_bands: int,
    located: dict[tuple[int, int], list[tuple[int, int, int, int]]],
) -> list[tuple[int, int, int, int]]:
    """``locate_mrz_bands`` of the page turned by ``rotation``, found once per search: the Tesseract pass
    reads the very bands the glyph pass located, and locating them is most of a page without MRZ's cost."""
    key = (rotation % 360, max_bands)
    if key not in located:
        located[key] = locate_mrz_bands(page, max_bands=max_bands)
    return located[key]


def _read_by_glyphs(
    grey: Image,
    order: Sequence[int],
    today: date | None,
    located: dict[tuple[int, int], list[tuple[int, int, int, int]]] | None = None,
) -> MrzReading | None:
    """The MRZ found by the glyph reader in any orientation (cheap: no Tesseract until a band scores like
    OCR-B), then read by both readers. The best-scoring band wins: it also proves the page's orientation."""
    found: list[tuple[float, int, Image, _GlyphBand, Image, tuple[int, int, int, int]]] = []
    located = {} if located is None else located
    # every orientation: the text-direction guess misleads on a small card lying on a blank page
    everything = [*order, *(r for r in (0, 180, 90, 270) if r not in order)]
    for index, rotation in enumerate(everything):
        page = _rotate(grey, rotation)
        for x, y, w, h in _bands_of(page, rotation, 4 if index < 2 else 2, located):
            # a little more room above and below: the band finder can clip a blurred last line
            crop = page[max(0, y - round(0.15 * h)) : y + h + round(0.3 * h), x : x + w]
            glyph = _glyph_band(crop)
            if glyph is not None and glyph.score >= _GLYPH_MRZ_SCORE:
                found.append((glyph.score, rotation, crop, glyph, page, (x, y, w, h)))
        if found:
            break
    found.sort(key=lambda item: -item[0])
    best: MrzReading | None = None
    for _score_value, rotation, crop, glyph, _page, _box in found[:2]:
        result = _read_two_readers(crop, glyph, today)
        if result is None:
            continue
        if result.valid:
            return MrzReading(result, rotation)
        if best is None or _score(result) > _score(best.result):
            best = MrzReading(result, rotation)
    if found:
        # the best band did not validate: a line it missed above it, a streak across its letters or specks
        # (a fax's defects); each retry runs only when the ones before it failed
        _score_value, rotation, crop, _glyph, page, box = found[0]
        retries: list[Callable[[], tuple[Image, _GlyphBand] | None]] = [
            lambda: _grown_band(page, box),
            lambda: _without_streaks(crop),
            lambda: _despeckled(crop),
        ]
        for retry in retries:
            again = retry()
            result = _read_two_readers(*again, today) if again is not None else None
            if result is not None and result.valid:
                return MrzReading(result, rotation)
    return best


def _despeckled(crop: Image) -> tuple[Image, _GlyphBand] | None:
    """The band without its specks (a fax's or a dirty scan's noise), read again; None when it has none or
    then reads as no OCR-B band. A speck beside a line moves where the line seems to start, and Tesseract
    reads specks as characters; a speck is far smaller than any piece of a letter, even a broken one."""
    import cv2

    rows = _glyph_rows(crop)
    if not rows:
        return None
    height = float(np.median([h for _, h in rows]))
    _, ink = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(np.asarray(ink, np.uint8), connectivity=8)
    small = max(2, round(_SPECK * height))
    specks = [
        i
        for i in range(1, count)
        if stats[i, cv2.CC_STAT_WIDTH] <= small and stats[i, cv2.CC_STAT_HEIGHT] <= small
    ]
    if not specks:
        return None
    cleaned = crop.copy()
    cleaned[np.isin(labels, specks)] = 255
    glyph = _glyph_band(cleaned)
    if glyph is None or glyph.score < _GLYPH_MRZ_SCORE:
        return None
    return cleaned, glyph


def _without_streaks(crop: Image) -> tuple[Image, _GlyphBand] | None:
    """The band with its long horizontal dark lines (a fax's black streak, a rule struck through a line)
    whitened, read again; None when it has none or then reads as no OCR-B band. No MRZ character has a
    stroke this long: a chevron run is a row of separate slanted marks."""
    import cv2

    _, ink = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    length = max(20, round(0.5 * crop.shape[0]))
    lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    if not np.any(lines):
        return None
    cleaned = crop.copy()
    cleaned[np.asarray(lines) > 0] = 255
    glyph = _glyph_band(cleaned)
    if glyph is None or glyph.score < _GLYPH_MRZ_SCORE:
        return None
    return cleaned, glyph


def _grown_band(page: Image, box: tuple[int, int, int, int]) -> tuple[Image, _GlyphBand] | None:
    """A band that did not read, grown by a line upward and read again: the first line of a three-line card
    MRZ printed level with other text (the card's front faxed beside its back) is found joined to that text,
    apart from the two lines below it (the band's crop then holds at most a sliver of it). Kept only when
    it reads as three OCR-B lines."""
    x, y, w, h = box
    crop = page[max(0, y - round(0.75 * h)) : y + h + round(0.3 * h), x : x + w]
    glyph = _glyph_band(crop)
    if glyph is None or len(glyph.rows) != 3 or glyph.score < _GLYPH_MRZ_SCORE:
        return None
    return crop, glyph


def read_mrz_with_rotation(
    image: Image, *, today: date | None = None, budget: float = 12.0, templates_only: bool = False
) -> MrzReading | None:
    """Locate and read the MRZ of a page image, trying the other rotations when none validates.

    Rotations are tried only while no band read upright looked like an MRZ (filler runs): an upright text
    page then costs one OCR call per candidate band. ``budget`` (seconds) bounds the whole search.
    ``templates_only`` stops after the glyph templates' pass (no Tesseract on bands they did not find).
    """
    found = _search_mrz(image, today=today, budget=budget, templates_only=templates_only)
    if found is None:
        return None
    return MrzReading(settle_country_codes(found.result, today), found.rotation)


def _one_letter_apart(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def settle_country_codes(result: MrzResult, today: date | None = None) -> MrzResult:
    """An issuing state that names no state, one letter away from the nationality the band also reads (or
    the other way round), is that code misread: 'FPA' beside 'FRA'. An ID card or a passport is issued by
    the holder's own state, and neither field has a check digit that could settle it otherwise. Whatever
    else the readers left open stays open."""
    if result.format == "cni_old" or result.checks.get(_CHECK_CODES, True):
        return result
    lines = [list(line) for line in result.lines]
    line, column = _nationality_at(result.format)
    issuing = result.lines[0][2:5]
    nationality = result.lines[line][column : column + 3]
    if not _one_letter_apart(issuing, nationality):
        return result
    if countries.is_valid(nationality) and not countries.is_valid(issuing):
        lines[0][2:5] = list(nationality)
    elif countries.is_valid(issuing) and not countries.is_valid(nationality):
        lines[line][column : column + 3] = list(issuing)
    else:
        return result
    again = _build(_LAYOUTS[result.format], tuple("".join(line) for line in lines), today or date.today())
    if _CHECK_READING in result.checks:
        again = replace(again, checks={**again.checks, _CHECK_READING: result.checks[_CHECK_READING]})
    return again


def _search_mrz(
    image: Image, *, today: date | None, budget: float, templates_only: bool
) -> MrzReading | None:
    from preverif.errors import OcrError

    if not isinstance(image, np.ndarray) or image.ndim not in (2, 3) or min(image.shape[:2]) < 16:
        return None
    started = time.monotonic()
    grey = _grey(image)
    best: MrzReading | None = None
    order = _rotation_order(grey)
    located: dict[tuple[int, int], list[tuple[int, int, int, int]]] = {}
    try:
        found = _read_by_glyphs(grey, order, today, located)
    except OcrError as exc:
        log.warning("OCR de la zone MRZ impossible : %s", exc)
        found = None
    if templates_only or (found is not None and found.result.valid):
        return found
    # the templates did not settle it: Tesseract reads the bands, each valid reading then checked by them
    best = found
    for index, rotation in enumerate(order):
        page = _rotate(grey, rotation)
        seen_mrz = False
        # the less likely text direction gets only its two best bands: a text page costs little
        for x, y, w, h in _bands_of(page, rotation, 4 if index < 2 else 2, located):
            if time.monotonic() - started > budget:
                log.info("Recherche de la zone MRZ interrompue après %.0f s", budget)
                return best
            try:
                result, seen = _read_crop(page[y : y + h, x : x + w], today)
            except OcrError as exc:
                log.warning("OCR de la zone MRZ impossible : %s", exc)
                continue
            seen_mrz = seen_mrz or seen
            if result is None:
                continue
            if result.valid:
                checked = _confirm_with_glyphs(page[y : y + h, x : x + w], result, today)
                if checked.valid:
                    return MrzReading(checked, rotation)
                result = checked
            if best is None or _score(result) > _score(best.result):
                best = MrzReading(result, rotation)
        if seen_mrz:
            break  # an MRZ-like read in this orientation: the page is this way up
    return best


def _confirm_with_glyphs(crop: Image, result: MrzResult, today: date | None) -> MrzResult:
    """A Tesseract-only reading checked by the glyph reader, cell by cell, as in ``_read_two_readers``; its
    names tidied. Where the templates cannot read the band at all, the reading stays as it was."""
    layout = _LAYOUTS[result.format]
    glyph = _glyph_band(crop, min_score=0.0)
    if glyph is None or len(glyph.rows) != layout.line_count or len(glyph.rows[0]) != layout.width:
        return _tidy_names(result, today)
    combined = _combine_readings(layout, glyph, list(result.lines), today or date.today())
    if glyph.score < _GLYPH_MRZ_SCORE:
        # poor templates: Tesseract's names (which no check digit covers) are the better reading
        lines = [list(line) for line in combined.lines]
        for (ln, start, end), kind in layout.kinds:
            if kind == "name" and all((ln, p) not in _covered_positions(layout) for p in range(start, end)):
                lines[ln][start:end] = list(result.lines[ln][start:end])
        again = _build(layout, tuple("".join(x) for x in lines), today or date.today())
        combined = replace(
            again,
            checks={**again.checks, **{k: v for k, v in combined.checks.items() if k == _CHECK_READING}},
        )
    return _tidy_names(combined, today)


def _tidy_names(result: MrzResult, today: date | None) -> MrzResult:
    """Filler noise after a name's end ('JOSE<<<<S<<SSSS') turned back into filler; for the old CNI, whose
    composite check covers its names, only when the check digits still hold."""
    layout = _LAYOUTS[result.format]
    lines = [list(line) for line in result.lines]
    for (ln, start, end), kind in layout.kinds:
        if kind == "name":
            lines[ln][start:end] = list(_tidy_name_field(layout, ln, start, "".join(lines[ln][start:end])))
    fixed = tuple("".join(line) for line in lines)
    if fixed == result.lines:
        return result
    again = _build(layout, fixed, today or date.today())
    if again.valid or not result.valid:
        return replace(
            again, checks={**again.checks, **{k: v for k, v in result.checks.items() if k == _CHECK_READING}}
        )
    return result


def read_mrz(image: Image, *, today: date | None = None) -> MrzResult | None:
    """The MRZ of a page or card image, or None. A reading whose check digits do not all hold is returned
    only when most of them hold (``result.valid`` tells)."""
    reading = read_mrz_with_rotation(image, today=today)
    return reading.result if reading else None


def check_digits_hold(mrz: MrzResult) -> bool:
    """Every check digit of the band holds, even where the two band readers left a look-alike open (the
    ``reading`` entry): for which way up the band stands, that is as sure as a valid reading. Text read
    upside down never lines up into an MRZ whose check digits all hold."""
    digits = {name: ok for name, ok in mrz.checks.items() if name not in (_CHECK_READING, _CHECK_CODES)}
    return bool(digits) and all(digits.values())


def names_settled(mrz: MrzResult) -> bool:
    """Whether the band's names may outrank the visual zone's. A valid band, or one whose every check digit
    holds and whose only doubt is a look-alike in a checked field: in TD1, TD2 and TD3 no check digit covers
    the names, so the doubt the two readers left cannot sit in them (an old CNI's final digit covers its
    surname: there the doubt may)."""
    if mrz.valid:
        return True
    return (
        mrz.format != "cni_old"
        and mrz.checks.get(_CHECK_READING) is False
        and mrz.checks.get(_CHECK_CODES, True)
        and check_digits_hold(mrz)
    )


def describe_mrz_state(mrz: MrzResult) -> str:
    """How sure the reading is, in French: check digits right, an ambiguous reading (two readers left a
    look-alike open that the check digits cannot settle), or check digits wrong."""
    if mrz.valid:
        return "clés de contrôle justes"
    if mrz.checks.get(_CHECK_READING) is False and check_digits_hold(mrz):
        return "lecture incertaine (caractères ambigus)"
    if mrz.checks.get(_CHECK_CODES) is False and check_digits_hold(mrz):
        return "lecture incertaine (code de pays inconnu)"
    return "clés de contrôle fausses"
