"""French dates: parse one, find every one in a page's lines, and pick the one a label points at.

Documents carry many dates (issue, due, period, contract start, birth…). The rules need the issue
date, so :func:`pick_issue_date` chooses by label and position, never "the first date found".

Note on dateutil: its default English ``parserinfo`` already accepts 'sept.' (English 'Sept'),
'dec.' and 'mar' by luck, but rejects 'septembre', 'févr.', 'déc.' (accent), 'juil.' and '1er'.
:class:`FrenchParserInfo` adds the French names; our own tokenizer handles OCR noise and '1er' first.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from dateutil import parser as du_parser
from dateutil.relativedelta import relativedelta
from rapidfuzz.distance import Levenshtein

# what odd input (non-str items, huge numbers, broken records) can raise inside the parsers; caught so a
# bad page yields "nothing found" rather than a crash, while real bugs (NameError…) still surface in tests
ODD_INPUT_ERRORS: tuple[type[BaseException], ...] = (
    ValueError,
    TypeError,
    IndexError,
    KeyError,
    AttributeError,
    OverflowError,
    UnicodeError,
    re.error,
    RecursionError,
)

DateKind = Literal["single", "range_start", "range_end"]

MAX_YEARS_AHEAD = 30  # expiry dates reach ~15 years ahead; beyond 30 it is an OCR error

_MONTHS: dict[str, int] = {
    "janvier": 1, "janv": 1, "jan": 1, "january": 1,
    "fevrier": 2, "fevr": 2, "fev": 2, "feb": 2, "february": 2, "fevrler": 2,
    "mars": 3, "mar": 3, "march": 3,
    "avril": 4, "avr": 4, "apr": 4, "april": 4, "avrll": 4,
    "mai": 5, "may": 5,
    "juin": 6, "jun": 6, "june": 6,
    "juillet": 7, "juil": 7, "jul": 7, "july": 7, "julllet": 7, "jull": 7,
    "aout": 8, "aou": 8, "aug": 8, "august": 8,
    "septembre": 9, "sept": 9, "sep": 9, "september": 9,
    "octobre": 10, "oct": 10, "october": 10,
    "novembre": 11, "nov": 11, "november": 11,
    "decembre": 12, "dec": 12, "december": 12,
}  # fmt: skip


def fold(text: str) -> str:
    """Lower-case, accent-free copy of ``text`` with the SAME length, so spans map back to the original."""
    out: list[str] = []
    for ch in text:
        if ch in "’‘`´":
            out.append("'")
            continue
        base = unicodedata.normalize("NFD", ch)[0].lower()
        out.append(base[0] if base else ch)
    return "".join(out)


class FrenchParserInfo(du_parser.parserinfo):
    """dateutil parserinfo with French month and weekday names (accent-free: input is folded first)."""

    MONTHS = [  # noqa: RUF012 - dateutil reads these class attributes
        ("janv", "janvier", "jan"),
        ("fevr", "fevrier", "fev"),
        ("mars", "mar"),
        ("avr", "avril", "apr"),
        ("mai", "may"),
        ("juin", "jun"),
        ("juil", "juillet", "jul"),
        ("aout", "aou", "aug"),
        ("sept", "septembre", "sep"),
        ("oct", "octobre"),
        ("nov", "novembre"),
        ("dec", "decembre"),
    ]
    WEEKDAYS = [  # noqa: RUF012
        ("lun", "lundi"),
        ("mar", "mardi"),
        ("mer", "mercredi"),
        ("jeu", "jeudi"),
        ("ven", "vendredi"),
        ("sam", "samedi"),
        ("dim", "dimanche"),
    ]
    JUMP = [" ", ".", ",", ";", "-", "/", "'", "le", "du", "er", "the"]  # noqa: RUF012

    def __init__(self) -> None:
        super().__init__(dayfirst=True, yearfirst=False)


_FRENCH_INFO = FrenchParserInfo()

# ---------------------------------------------------------------- OCR repair

_DIGITLIKE = {"O": "0", "o": "0", "Q": "0", "D": "0", "l": "1", "I": "1", "|": "1", "i": "1", "!": "1"}
_TOKEN_RE = re.compile(r"[0-9A-Za-z|!]+")


def repair_digits(line: str) -> str:
    """Same-length copy of ``line`` with O→0 and l/I/|→1 inside tokens that are otherwise digits.

    A token is repaired when it holds at least one real digit and nothing but digit look-alikes
    ('l2', '2O26'), or when it touches a date separator ('lO/03').
    """
    chars = list(line)
    for m in _TOKEN_RE.finditer(line):
        tok = m.group(0)
        if tok.isdigit() or len(tok) > 4:
            continue
        if not all(c.isdigit() or c in _DIGITLIKE for c in tok):
            continue
        before = line[max(0, m.start() - 2) : m.start()]
        after = line[m.end() : m.end() + 2]
        near_sep = any(s in before + after for s in "/.-")
        has_digit = any(c.isdigit() for c in tok)
        if not has_digit and not near_sep:
            continue
        if not has_digit and not re.search(r"[/.\-]\s?[0-9]|[0-9]\s?[/.\-]", before + after):
            continue
        for i, c in enumerate(tok):
            if c in _DIGITLIKE:
                chars[m.start() + i] = _DIGITLIKE[c]
    return "".join(chars)


# digits Tesseract commonly swaps on faint, faxed or low-resolution print ('19/07' read '19/01')
_CONFUSABLE_DIGITS: frozenset[frozenset[str]] = frozenset(
    frozenset(pair) for pair in ("17", "08", "38", "56", "69", "49", "35", "58", "12", "27")
)


def _digits(day: date) -> str:
    return f"{day.day:02d}{day.month:02d}{day.year:04d}"


def ocr_digit_variants(day: date) -> list[date]:
    """Every real date one confusable digit away from ``day`` (what the print may really say)."""
    out: list[date] = []
    try:
        text = _digits(day)
        for i, digit in enumerate(text):
            for pair in _CONFUSABLE_DIGITS:
                if digit not in pair:
                    continue
                other = next(iter(pair - {digit}))
                alt = text[:i] + other + text[i + 1 :]
                try:
                    value = date(int(alt[4:]), int(alt[2:4]), int(alt[:2]))
                except ValueError:
                    continue
                if value not in out:
                    out.append(value)
    except ODD_INPUT_ERRORS:
        return out
    return out


# ---------------------------------------------------------------- parsing


def _year(raw: str, today: date) -> int:
    value = int(raw)
    if len(raw) == 2:
        value += 2000
        if value > today.year + 20:
            value -= 100
    return value


def make_date(year: int, month: int, day: int, today: date) -> date | None:
    """A real calendar date within 1900 … today + 30 years, else None (31/02, month 13, year 1800…)."""
    if not (1900 <= year <= today.year + MAX_YEARS_AHEAD):
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def month_number(word: str) -> int | None:
    """The month of a French (or English) month name or abbreviation, case and accents ignored."""
    key = fold(word).strip(". ").replace("1", "l").replace("rn", "m")
    if key in _MONTHS:
        return _MONTHS[key]
    if len(key) >= 5:  # one OCR slip in a full month name: 'fevrler', 'octobe'
        close = {v for k, v in _MONTHS.items() if len(k) >= 5 and Levenshtein.distance(k, key) <= 1}
        if len(close) == 1:
            return close.pop()
    # OCR: 'decernbre', 'fevrier' with a lost letter — accept a unique prefix of 4+ letters
    if len(key) >= 4:
        hits = {v for k, v in _MONTHS.items() if len(k) >= 4 and (k.startswith(key) or key.startswith(k))}
        if len(hits) == 1:
            return hits.pop()
    return None


_MONTH_WORD = r"[A-Za-zÀ-ÿ]{3,10}\.?"
_DAY = r"(?P<day>[0-3]?\d|[1lIL]\s?er)"
_NUMERIC_RE = re.compile(
    r"(?<![\d/.\-])(?P<day>[0-3]?\d)\s?(?P<s1>[/.\-])\s?(?P<month>[01]?\d)\s?(?P=s1)\s?"
    r"(?P<year>\d{4}|\d{2})(?![\d/])"
)
# '13.12-2023': OCR turned one separator into another; only with a 4-digit year (an amount never has one)
_MIXED_RE = re.compile(
    r"(?<![\d/.\-])(?P<day>[0-3]?\d)\s?[/.\-]\s?(?P<month>[01]?\d)\s?[/.\-]\s?"
    r"(?P<year>(?:19|20)\d{2})(?![\d/])"
)
# '11 02 2030' as printed on the 2021 ID card: only with a 4-digit year, never inside an amount
_SPACED_RE = re.compile(r"(?<![\d,.])(?P<day>[0-3]\d) (?P<month>[01]\d) (?P<year>(?:19|20)\d{2})(?![\d,])")
# '2710712021': both slashes of '27/07/2021' read as '1' (a blurred photo). Ten digits alone are as often a
# phone or reference number, so this shape counts only right after a date's label ('le', 'du', ':')
_SLASHES_AS_ONES_RE = re.compile(
    r"(?<![\d/.\-])(?P<day>[0-3]\d)1(?P<month>[01]\d)1(?P<year>(?:19|20)\d{2})(?![\d/.\-])"
)
_DATE_CUE_BEFORE_RE = re.compile(r"(?:\ble|\bdu|:)\s{0,2}$")
_ISO_RE = re.compile(r"(?<![\d/.\-])(?P<year>(?:19|20)\d{2})-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?!\d)")
_WRITTEN_RE = re.compile(
    r"(?<![\dA-Za-z])"
    + _DAY
    + r"[\s\-/.]*(?P<month>"
    + _MONTH_WORD
    # a speck or a rule read as 'i', 'l' or '|' may sit between the month and a four-digit year ('juil.i2026')
    + r")[\s,\-/.]*(?:[|!iIl](?=\d{4}(?!\d)))?(?P<year>\d{4}|\d{2})(?!\d)"
)
# 'du 1er au 31 juillet 2015', 'du 01/07 au 31/07/2015': a start that borrows month/year from the end
_SHORT_START_RE = re.compile(
    r"(?<![\dA-Za-z])du\s+(?P<day>[0-3]?\d|[1lI]\s?er)(?:\s*(?P<sep>[/.\-])\s*(?P<month>[01]?\d)"
    r"|\s+(?P<mword>" + _MONTH_WORD + r"))?\s+au\s",
    re.IGNORECASE,
)


def _day_value(raw: str) -> int:
    raw = raw.replace(" ", "")
    if raw.lower().endswith("er"):
        return 1
    return int(raw)


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    value: date


def _scan(line: str, today: date) -> list[_Hit]:
    """Every date in one line (already digit-repaired), non-overlapping, in order."""
    hits: list[_Hit] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    # numeric shapes in order of trust; only the slashed/dotted one may carry a 2-digit year, and the last
    # one counts only right after a date's label
    shapes = (
        (_ISO_RE, False, False),
        (_NUMERIC_RE, True, False),
        (_MIXED_RE, False, False),
        (_SPACED_RE, False, False),
        (_SLASHES_AS_ONES_RE, False, True),
    )
    for regex, short_year, needs_cue in shapes:
        for m in regex.finditer(line):
            if not free(m.start(), m.end()):
                continue
            if needs_cue and not _DATE_CUE_BEFORE_RE.search(fold(line[max(0, m.start() - 12) : m.start()])):
                continue
            year = _year(m["year"], today) if short_year else int(m["year"])
            value = make_date(year, int(m["month"]), int(m["day"]), today)
            if value:
                hits.append(_Hit(m.start(), m.end(), value))
                taken.append((m.start(), m.end()))
    for m in _WRITTEN_RE.finditer(line):
        if not free(m.start(), m.end()):
            continue
        month = month_number(m["month"])
        if month is None:
            continue
        value = make_date(_year(m["year"], today), month, _day_value(m["day"]), today)
        if value:
            hits.append(_Hit(m.start(), m.end(), value))
            taken.append((m.start(), m.end()))
    hits.sort(key=lambda h: h.start)
    # borrowed starts: 'du 1er au 31 juillet 2015'
    for m in _SHORT_START_RE.finditer(line):
        span_start, span_end = m.start("day"), m.end() - len(" au ")
        if not free(span_start, span_end + 1):
            continue
        following = [h for h in hits if h.start >= m.end() - 1]
        if not following:
            continue
        end = following[0]
        month = end.value.month
        if m["month"]:
            month = int(m["month"])
        elif m["mword"]:
            month = month_number(m["mword"]) or month
        value = make_date(end.value.year, month, _day_value(m["day"]), today)
        if value and value <= end.value:
            hits.append(_Hit(span_start, span_end, value))
            taken.append((span_start, span_end))
    hits.sort(key=lambda h: h.start)
    return hits


def parse_french_date(s: str, *, today: date | None = None) -> date | None:
    """The date written in ``s`` (French numeric or written forms, light OCR noise), or None."""
    try:
        if not isinstance(s, str) or not s.strip() or len(s) > 200:
            return None
        ref = today or date.today()
        line = repair_digits(s.replace("\u00a0", " "))
        hits = _scan(line, ref)
        if hits:
            return hits[0].value
        return _parse_with_dateutil(line, ref)
    except ODD_INPUT_ERRORS:  # never raise on odd input
        return None


def _parse_with_dateutil(text: str, today: date) -> date | None:
    """Fallback for forms our tokenizer missed; rejects strings where dateutil invents day/month/year."""
    folded = fold(text).strip()
    if not re.search(r"[a-z]{3}", folded) or not re.search(r"\d{2,4}", folded):
        return None  # all-numeric forms are ours alone: dateutil would swap day and month (12/13/2026)
    results: list[date] = []
    for default in (date(2001, 1, 1), date(2002, 2, 2)):
        try:
            from datetime import datetime

            parsed = du_parser.parse(
                folded,
                parserinfo=_FRENCH_INFO,
                default=datetime(default.year, default.month, default.day),
            )
        except (ValueError, OverflowError, TypeError, du_parser.ParserError):
            return None
        results.append(parsed.date())
    if results[0] != results[1]:
        return None  # some part was missing and filled from the default
    value = results[0]
    return make_date(value.year, value.month, value.day, today)


# ---------------------------------------------------------------- finding dates in lines


@dataclass(frozen=True)
class DateMention:
    """One date as found in a page: value, text as read, where, and whether it opens/closes a range."""

    date: date
    text: str
    line: int
    span: tuple[int, int]
    kind: DateKind = "single"


_RANGE_OPEN_RE = re.compile(r"(?:\bdu|\bperiode|\bentre le|\bde)\s*:?\s*$")
_RANGE_JOIN_RE = re.compile(r"^\s*(?:au|a|jusqu'au|jusqu'a|et le|-|–|—)\s*$")


def find_dates(lines: Sequence[str], *, today: date | None = None) -> list[DateMention]:
    """Every date in ``lines``, marking 'du X au Y' ranges; never raises."""
    ref = today or date.today()
    out: list[DateMention] = []
    try:
        for index, raw in enumerate(lines):
            if not isinstance(raw, str) or not raw:
                continue
            line = repair_digits(raw.replace("\u00a0", " "))
            folded = fold(line)
            hits = _scan(line, ref)
            kinds: list[DateKind] = ["single"] * len(hits)
            for i in range(len(hits) - 1):
                between = folded[hits[i].end : hits[i + 1].start]
                before = folded[max(0, hits[i].start - 20) : hits[i].start]
                if _RANGE_JOIN_RE.match(between) and (
                    _RANGE_OPEN_RE.search(before) or between.strip() in {"au", "jusqu'au"}
                ):
                    kinds[i] = "range_start"
                    kinds[i + 1] = "range_end"
            for hit, kind in zip(hits, kinds, strict=True):
                out.append(
                    DateMention(hit.value, raw[hit.start : hit.end], index, (hit.start, hit.end), kind)
                )
    except ODD_INPUT_ERRORS:
        return out
    return out


# ---------------------------------------------------------------- labels


Label = (
    str | re.Pattern[str]
)  # a human label ('Date de facture', 'Fait à … le') or a regex from doctypes.json


def label_text(label: Label) -> str:
    """How a label is shown in evidence: its words, or its regex source."""
    return label.pattern if isinstance(label, re.Pattern) else label


def label_regex(label: Label) -> re.Pattern[str]:
    """A regex over folded text for a label: accents/case ignored, '…' a short wildcard, '(e)' optional.

    A compiled pattern (the classifier's data file declares labels as regexes over folded text) is used as is.
    """
    if isinstance(label, re.Pattern):
        return label
    text = fold(label.strip()).replace("...", "…")
    parts: list[str] = []
    for piece in re.split(r"(…|\(e\)|\(s\)|\s+)", text):
        if not piece:
            continue
        if piece == "…":
            parts.append(r".{0,40}?")
        elif piece in {"(e)", "(s)"}:
            parts.append(r"(?:\(" + piece[1] + r"\)|" + piece[1] + r")?")
        elif piece.isspace():
            parts.append(r"\s*")
        else:
            parts.append(re.escape(piece).replace("'", r"['\s]?"))
    body = "".join(parts)
    prefix = r"(?<![a-z0-9])" if text[:1].isalnum() else ""
    suffix = r"(?![a-z])" if text[-1:].isalpha() and len(text) <= 4 else ""
    return re.compile(prefix + body + suffix)


@dataclass(frozen=True)
class DateFinding:
    """The date chosen for a purpose, with the label that pointed at it and how sure we are."""

    date: date
    label: str
    evidence: str
    line: int
    score: float
    source: str


BUILTIN_ISSUE_LABELS: tuple[str, ...] = (
    "Date de facture",
    "Date de la facture",
    "Facture du",
    "Facture … du",
    "Date d'émission",
    "Émise le",
    "Émis le",
    "Édité le",
    "Éditée le",
    "Établi le",
    "Date d'établissement",
    "Fait à … le",
    "Fait le",
    "Délivré(e) le",
    "Date de délivrance",
    "Quittance du",
)
BUILTIN_DECOY_LABELS: tuple[str, ...] = (
    "Date limite de paiement",
    "à payer avant le",
    "à régler avant le",
    "payable le",
    "Échéance",
    "Prélèvement",
    "prélevé le",
    "à partir du",
    "Période",
    "Date de début",
    "début du contrat",
    "Date d'effet",
    "depuis le",
    "Prochaine facture",
    "Prochain relevé",
    "Relevé du",
    "index du",
    "valable jusqu'au",
    "Date d'expiration",
    "expire le",
)
BIRTH_LABELS: tuple[Label, ...] = (
    "Né(e) le",
    "Née le",
    "Né le",
    "Date de naissance",
    "Date de naiss.",
    "naissance",
    # handwriting read by OCR: 'n6 Le 23 août 1999', 'ne le' with its accent lost is covered above
    re.compile(r"\bn[6eé]e?\s?le\b"),
    # 'naissance' with a letter lost or misread: 'Date de nassance', 'Date de naisance'
    re.compile(r"\bdate de n[a-z]{1,3}s{1,2}an[a-z]{1,2}\b"),
)


@dataclass(frozen=True)
class _LabelHit:
    label: str
    start: int
    end: int
    group: str  # 'issue' | 'decoy' | 'birth' | 'target'


def _label_hits(folded: str, labels: Sequence[tuple[Label, str]]) -> list[_LabelHit]:
    hits: list[_LabelHit] = []
    for label, group in labels:
        if not label_text(label).strip():
            continue
        for m in label_regex(label).finditer(folded):
            if m.end() > m.start():
                hits.append(_LabelHit(label_text(label), m.start(), m.end(), group))
    return hits


_GROUP_WEIGHT = {"issue": 10.0, "target": 10.0, "decoy": -10.0, "birth": -12.0}


def _score_mentions(
    lines: Sequence[str], mentions: Sequence[DateMention], labels: Sequence[tuple[Label, str]]
) -> list[tuple[DateMention, float, _LabelHit | None]]:
    """Each mention with its label score and the label that decided (closest label before it)."""
    folded_lines = [fold(line) if isinstance(line, str) else "" for line in lines]
    hits_by_line = [_label_hits(f, labels) for f in folded_lines]
    by_line: dict[int, list[DateMention]] = {}
    for mention in mentions:
        by_line.setdefault(mention.line, []).append(mention)
    out: list[tuple[DateMention, float, _LabelHit | None]] = []
    for mention in mentions:
        best: _LabelHit | None = None
        score = 0.0
        # same line: the closest label ending before the date, with no other date in between
        same = [h for h in hits_by_line[mention.line] if h.end <= mention.span[0] + 1]
        previous_dates = [m for m in by_line[mention.line] if m.span[1] <= mention.span[0]]
        if same:
            # the longest among the labels ending closest to the date
            closest = max(same, key=lambda h: (h.end, h.end - h.start))
            gap = mention.span[0] - closest.end
            blocked = any(m.span[0] >= closest.end for m in previous_dates)
            if gap <= 45 and not blocked:
                best = closest
                score = _GROUP_WEIGHT[closest.group] - gap * 0.02
        if best is None and not any(h.end <= mention.span[0] for h in hits_by_line[mention.line]):
            # label on the line above (or two above), with no date after it on that line
            for back in (1, 2):
                idx = mention.line - back
                if idx < 0:
                    break
                above = hits_by_line[idx]
                dated_above = [m.span[0] for m in by_line.get(idx, [])]
                open_labels = [h for h in above if not any(d >= h.end for d in dated_above)]
                if open_labels:
                    column = mention.span[0]
                    chosen = min(open_labels, key=lambda h: (abs(h.start - column), -(h.end - h.start)))
                    best = chosen
                    score = _GROUP_WEIGHT[chosen.group] * (0.8 if back == 1 else 0.6)
                    break
                if folded_lines[idx].strip():
                    break
        out.append((mention, score, best))
    return out


# the line a fax machine prints atop each page: '23/09/2026 18:06 DE : +33 4 55 18 78 43 P. 001'
_FAX_HEADER_RE = re.compile(
    r"^\W{0,3}(?:\d\s+)?\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\s+\d{1,2}[:h.]?\d{2}\b"
    r".*(?:\b(?:de|from|fax|tel)\b\s*:|\+\s?\d{2}|\bp\.\s?\d)"
)


def pick_issue_date(
    lines: Sequence[str],
    date_labels: Sequence[Label],
    decoy_labels: Sequence[Label],
    *,
    reference_date: date | None = None,
) -> DateFinding | None:
    """The issue date of a document: the date an issue label points at, decoys and ranges penalised."""
    try:
        ref = reference_date or date.today()
        lines = [line if isinstance(line, str) else "" for line in lines]
        mentions = find_dates(lines, today=ref)
        if not mentions:
            return None
        decoys = [d for d in (*decoy_labels, *BUILTIN_DECOY_LABELS) if d not in set(date_labels)]
        issues = [d for d in (*date_labels, *BUILTIN_ISSUE_LABELS) if d not in set(decoy_labels)]
        # birth labels before the decoys: where a type also lists 'né(e) le' among its decoys, the tie between
        # the two goes to 'birth', which is never an issue date, not to a decoy, which only loses points
        labels = [(x, "issue") for x in issues] + [(x, "birth") for x in BIRTH_LABELS]
        labels += [(x, "decoy") for x in decoys]
        total = max(len(lines), 1)
        best: tuple[float, int, DateMention, _LabelHit | None] | None = None
        for mention, score, hit in _score_mentions(lines, mentions, labels):
            if hit is not None and hit.group == "birth":
                continue  # a birth date is never the date a document was issued, however alone it is
            if _FAX_HEADER_RE.match(fold(lines[mention.line])):
                continue  # the day the page was faxed, not the day it was issued
            if mention.kind == "range_end":
                score -= 6.0
            elif mention.kind == "range_start":
                score -= 4.0
            position = mention.line / total
            score += 1.5 * (1.0 - position) if position < 0.4 else 0.0
            if mention.date > ref:
                score -= 8.0
            key = (score, -mention.line)
            if best is None or key > (best[0], best[1]):
                best = (score, -mention.line, mention, hit)
        if best is None:
            return None
        score, _, mention, hit = best
        if hit is not None and hit.group == "issue":
            source = f"label:{hit.label}"
            label = hit.label
        else:
            source, label = "position", ""
        return DateFinding(
            mention.date, label, lines[mention.line].strip(), mention.line, round(score, 2), source
        )
    except ODD_INPUT_ERRORS:
        return None


def find_period_end(lines: Sequence[str], *, today: date | None = None) -> date | None:
    """The end of the latest period a bill prints (« Période du 03/09/2026 au 02/10/2026 »), not after
    ``today``: a bill is drawn up around the end of the period it charges for, so this bounds how old a
    bill whose issue date was lost can be. A period still running (a contract « jusqu'au » a future day)
    says nothing of the bill's age."""
    try:
        ref = today or date.today()
        ends = [
            m.date
            for m in find_dates([x if isinstance(x, str) else "" for x in lines], today=ref)
            if m.kind == "range_end" and m.date <= ref
        ]
        return max(ends) if ends else None
    except ODD_INPUT_ERRORS:
        return None


def pick_labelled_date(
    lines: Sequence[str], labels: Sequence[Label], *, today: date | None = None
) -> DateFinding | None:
    """The date right after (or below) one of ``labels``: expiry, birth, 'délivrée le'…; None if unlabelled."""
    try:
        lines = [line if isinstance(line, str) else "" for line in lines]
        mentions = find_dates(lines, today=today)
        wanted = {fold(label_text(x)) for x in labels}
        # the other labels a document prints only block: a date right after 'délivrée le' answers that label,
        # not the 'valable jusqu'au' above it whose own date OCR garbled
        others: list[tuple[Label, str]] = [
            (x, "decoy")
            for x in (*BUILTIN_ISSUE_LABELS, *BUILTIN_DECOY_LABELS, *BIRTH_LABELS)
            if fold(label_text(x)) not in wanted
        ]
        scored = _score_mentions(lines, mentions, [(x, "target") for x in labels] + others)
        candidates = [
            (s, -m.line, m, h) for m, s, h in scored if h is not None and h.group == "target" and s > 0
        ]
        if not candidates:
            return None
        score, _, mention, hit = max(candidates, key=lambda c: (c[0], c[1]))
        assert hit is not None
        return DateFinding(
            mention.date,
            hit.label,
            lines[mention.line].strip(),
            mention.line,
            round(score, 2),
            f"label:{hit.label}",
        )
    except ODD_INPUT_ERRORS:
        return None


_LETTER_RE = re.compile(r"[^\W\d_]")


def _is_bare_label(folded: str) -> bool:
    """'Date d'établissement :' with its value printed elsewhere (a label column)."""
    return folded.rstrip().endswith(":")


def pick_column_date(
    lines: Sequence[str], labels: Sequence[Label], *, today: date | None = None
) -> DateFinding | None:
    """A date whose label sits in a column of bare labels and whose value in a later column of bare dates.

    Two-column layouts (tax notices: 'Date d'établissement :' / 'Date de mise en recouvrement :' on the
    left, '21/09/2026' / '26/09/2026' on the right) are read column after column: the k-th bare date label
    of the block goes with the k-th date of the first run of bare dates when both counts agree.
    """
    try:
        lines = [line if isinstance(line, str) else "" for line in lines]
        mentions = find_dates(lines, today=today)
        by_line: dict[int, list[DateMention]] = {}
        for m in mentions:
            by_line.setdefault(m.line, []).append(m)
        folded = [fold(line) for line in lines]
        regexes = [label_regex(x) for x in labels]
        for index, text in enumerate(folded):
            if index in by_line or not _is_bare_label(text) or not any(r.search(text) for r in regexes):
                continue
            start, end = index, index + 1
            while start > 0 and _is_bare_label(folded[start - 1]):
                start -= 1
            while end < len(folded) and _is_bare_label(folded[end]):
                end += 1
            date_labels = [i for i in range(start, end) if "date" in folded[i] and i not in by_line]
            run: list[DateMention] = []
            for i in range(end, len(lines)):
                bare = i in by_line and len(by_line[i]) == 1 and not _LETTER_RE.search(lines[i])
                if bare:
                    run.append(by_line[i][0])
                elif run:
                    break
            if index in date_labels and len(run) == len(date_labels) >= 2:
                mention = run[date_labels.index(index)]
                label = lines[index].strip().rstrip(":").strip()
                return DateFinding(
                    mention.date, label, lines[mention.line].strip(), mention.line, 1.0, f"label:{label}"
                )
        return None
    except ODD_INPUT_ERRORS:
        return None


# the European driving licence numbers its fields: '1.' surname, '2.' given names, '3.' birth date and
# place, '4a.' issue, '4b.' expiry, '4c.' authority, '5.' number. OCR merges the number with its value
# ('3.01.02.1990 PARIS', '4b 12.03.2031') or loses its dot; field '3.' has no words, so it is trusted only
# on that layout
_LICENCE_FIELD3_RE = re.compile(r"^\W{0,3}3\s*(?:[.,:;\-\u2014\u2013]+\s*|\s+)(?=\S)(.+)$")
_LICENCE_TITLE_RE = re.compile(r"permis\s+de\s+conduire|driving\s+licen[cs]e")
_LICENCE_LAYOUT_RE = re.compile(r"^\W{0,2}(?:1|2|4[abc]|5)\s*[.,](?:\s+\S|\s*[^\W\d_])")
# a date as the card prints it (dd.mm.yyyy), its separators possibly lost or doubled ('29062016', '30.012040')
_LICENCE_DATE = r"(?<!\d)([0-3]\d)\W{0,2}([01]\d)\W{0,2}((?:19|20)\d\d)(?!\d)"
# the field marks of the validity row as OCR reads them: '4a.' as '4a', '4a,', 'da', 'Aa', '4g';
# '4b.' as '4b,', 'Ab', 'db', '4h'. A loose mark counts only right before a date
_LICENCE_ISSUE_MARK_RE = re.compile(rf"(?<![^\W\d_])[4dA]\s?[aàg]\s*[.,:;]?\s*{_LICENCE_DATE}")
_LICENCE_EXPIRY_MARK_RE = re.compile(rf"(?<![^\W\d_])[4dA]\s?[bh]\s*[.,:;]?\s*{_LICENCE_DATE}")
_LICENCE_ANY_DATE_RE = re.compile(_LICENCE_DATE)
# a licence is valid 15 years (categories A and B), less when limited on medical grounds
LICENCE_MAX_VALIDITY_YEARS = 16
# a licence (category AM) can be issued from 14: a birth date is at least that long before the issue
LICENCE_MIN_AGE_AT_ISSUE = 13


def mentions_driving_licence(lines: Sequence[str]) -> bool:
    """The page is titled as a driving licence: its numbered layout can then be trusted, even read loosely."""
    return any(_LICENCE_TITLE_RE.search(fold(x)) for x in lines if isinstance(x, str))


def laid_out_as_licence(lines: Sequence[str]) -> bool:
    """At least two lines opening with a driving licence's numbered fields ('2. JEAN', '4a. 29.11.2019')."""
    return sum(bool(_LICENCE_LAYOUT_RE.match(x)) for x in lines if isinstance(x, str)) >= 2


def looks_like_licence(lines: Sequence[str]) -> bool:
    """Titled as a driving licence, or laid out with at least two of its numbered fields."""
    texts = [x for x in lines if isinstance(x, str)]
    return mentions_driving_licence(texts) or laid_out_as_licence(texts)


def _licence_date(match: re.Match[str], today: date) -> date | None:
    day, month, year = (int(match.group(i)) for i in (1, 2, 3))
    return make_date(year, month, day, today)


@dataclass(frozen=True)
class LicenceValidity:
    """The validity row of a driving licence: issue (4a.) and expiry (4b.), each with its line."""

    issue: DateFinding | None
    expiry: DateFinding | None


def _validity_on_line(line: str, today: date) -> tuple[date | None, date | None]:
    """(issue, expiry) read on one line of a licence, from their field marks or from the row's shape."""
    text = repair_digits(line)
    issue_m = _LICENCE_ISSUE_MARK_RE.search(text)
    expiry_m = _LICENCE_EXPIRY_MARK_RE.search(text)
    issue = _licence_date(issue_m, today) if issue_m else None
    expiry = _licence_date(expiry_m, today) if expiry_m else None
    if expiry_m is not None and issue is None:
        # '27.06.2020 4b, 26.06.2025': the '4a.' mark lost, the row still opens with the issue date
        before = list(_LICENCE_ANY_DATE_RE.finditer(text[: expiry_m.start()]))
        if len(before) == 1:
            issue = _licence_date(before[0], today)
    return issue, expiry


def _plausible_validity(issue: date | None, expiry: date | None, today: date) -> bool:
    if issue is not None and issue > today:
        return False
    if issue is not None and expiry is not None:
        return issue < expiry <= issue + relativedelta(years=LICENCE_MAX_VALIDITY_YEARS)
    return True


def find_licence_validity(lines: Sequence[str], *, today: date | None = None) -> LicenceValidity:
    """Issue (4a.) and expiry (4b.) dates of a European driving licence's front; empty elsewhere.

    Only dates after a field mark, or a row of two dates on a page titled as a licence, are taken: the back
    of the card lists each category with its own dates (columns 10 and 11), which are not the card's.
    """
    empty = LicenceValidity(None, None)
    try:
        texts = [x if isinstance(x, str) else "" for x in lines]
        ref = today or date.today()
        titled = mentions_driving_licence(texts)
        if not titled and not looks_like_licence(texts):
            return empty
        issue_f: DateFinding | None = None
        expiry_f: DateFinding | None = None
        for index, line in enumerate(texts):
            issue, expiry = _validity_on_line(line, ref)
            marked = issue is not None or expiry is not None
            if not marked:
                if not titled:
                    continue
                # no mark left at all (a fax): a row of exactly two dates, the second within a validity
                found_dates = _LICENCE_ANY_DATE_RE.finditer(repair_digits(line))
                dates = [d for m in found_dates if (d := _licence_date(m, ref)) is not None]
                if len(dates) != 2 or _LETTER_RE.search(line):
                    continue
                issue, expiry = dates
            if not _plausible_validity(issue, expiry, ref):
                if not marked or expiry is None or issue is None:
                    continue
                issue = None  # a misread issue does not spoil the expiry printed after its own mark
            evidence = line.strip()
            row_issue = DateFinding(issue, "4a.", evidence, index, 1.0, "label:4a.") if issue else None
            row_expiry = DateFinding(expiry, "4b.", evidence, index, 1.0, "label:4b.") if expiry else None
            if row_issue is not None and row_expiry is not None:
                # the row carrying both (the French card prints '4a. … 4b. …' on one line) decides
                return LicenceValidity(row_issue, row_expiry)
            issue_f = issue_f or row_issue
            expiry_f = expiry_f or row_expiry
        if issue_f and expiry_f and not _plausible_validity(issue_f.date, expiry_f.date, ref):
            issue_f = None
        return LicenceValidity(issue_f, expiry_f)
    except ODD_INPUT_ERRORS:
        return empty


def _birth_on_line(line: str, today: date) -> date | None:
    mentions = find_dates([line], today=today)
    value = mentions[0].date if mentions else parse_compact_date(line, today=today)
    return value if value is not None and value <= today else None


def find_licence_birth_date(
    lines: Sequence[str], *, today: date | None = None, validity: LicenceValidity | None = None
) -> DateFinding | None:
    """The birth date in field '3.' of a European driving licence ('3. 20.03.1980 SAINT-ETIENNE (42)').

    When OCR lost or garbled the field number ('4. 28.07.2003 CLERMONT', a fax), the birth row is the one
    just above the validity row, holding a date followed by the birthplace, long enough before the issue.
    ``validity`` is ``find_licence_validity`` of the same lines when the caller has it already.
    """
    try:
        texts = [x if isinstance(x, str) else "" for x in lines]
        if not looks_like_licence(texts):
            return None
        ref = today or date.today()
        if validity is None:
            validity = find_licence_validity(texts, today=ref)
        row = next((f.line for f in (validity.issue, validity.expiry) if f is not None), None)
        for index, line in enumerate(texts):
            m = _LICENCE_FIELD3_RE.match(line)
            if not m or index == row:
                continue
            value = _birth_on_line(m.group(1), ref)
            if value is not None:
                return DateFinding(value, "3.", line.strip(), index, 1.0, "label:3.")
        if row is None:
            return None
        latest = (validity.issue.date if validity.issue else ref) - relativedelta(
            years=LICENCE_MIN_AGE_AT_ISSUE
        )
        for index in (row - 1, row - 2):
            line = texts[index] if index >= 0 else ""
            m = _LICENCE_ANY_DATE_RE.search(repair_digits(line))
            if m is None or not _LETTER_RE.search(line[m.end() :]):
                continue
            value = _licence_date(m, ref)
            if value is not None and value <= latest:
                return DateFinding(value, "3.", line.strip(), index, 0.8, "row:licence-birth")
        return None
    except ODD_INPUT_ERRORS:
        return None


# ---------------------------------------------------------------- identity documents (visual zone)

# the 2021 CNI and the passport print 'SEXE / NATIONALITÉ / DATE DE NAISS.' as one row of labels and their
# values as one row below ('F  FRA  22 12 1966', passport 'Française 09 07 1970'): a row opened by a
# sex letter and a nationality is the birth date even when OCR garbles the labels above it
_SEX_NATIONALITY_ROW_RE = re.compile(
    r"^\W{0,3}(?:\w{1,2}\W{1,4})?(?:[A-Z]{3}|[Ff]ran[cç]aise?)"
    r"\W{1,4}(?P<date>[0-3]\d\W?[01]\d\W?(?:19|20)\d\d)(?!\d)"
)
# '29072033', '30.012040': a date whose separators OCR lost, as identity documents print them spaced
_COMPACT_DATE_RE = re.compile(
    r"(?<![\d])(?P<day>[0-3]\d)\W?(?P<month>[01]\d)\W?(?P<year>(?:19|20)\d\d)(?!\d)"
)


def parse_compact_date(text: str, *, today: date) -> date | None:
    """A day-month-year date with or without separators ('29072033', '30.012040', '22 12 1966')."""
    try:
        m = _COMPACT_DATE_RE.search(repair_digits(text)) if isinstance(text, str) else None
        if m is None:
            return None
        return make_date(int(m["year"]), int(m["month"]), int(m["day"]), today)
    except ODD_INPUT_ERRORS:
        return None


def find_identity_row_birth_date(lines: Sequence[str], *, today: date) -> DateFinding | None:
    """The birth date in the row 'sex, nationality, birth date' of a card or passport; None elsewhere."""
    try:
        for index, line in enumerate(lines):
            if not isinstance(line, str):
                continue
            m = _SEX_NATIONALITY_ROW_RE.search(repair_digits(line.strip()))
            if m is None:
                continue
            value = parse_compact_date(m["date"], today=today)
            if value is not None and value < today:
                return DateFinding(value, "sexe/nationalité", line.strip(), index, 0.5, "row:sex-nationality")
        return None
    except ODD_INPUT_ERRORS:
        return None


def find_identity_dates(lines: Sequence[str], *, today: date) -> list[tuple[date, int]]:
    """Every date of an identity document's text, spaced or compact, as (date, line index)."""
    out: list[tuple[date, int]] = []
    try:
        for mention in find_dates(lines, today=today):
            out.append((mention.date, mention.line))
        for index, line in enumerate(lines):
            if not isinstance(line, str):
                continue
            for m in _COMPACT_DATE_RE.finditer(repair_digits(line)):
                value = make_date(int(m["year"]), int(m["month"]), int(m["day"]), today)
                if value is not None and (value, index) not in out:
                    out.append((value, index))
    except ODD_INPUT_ERRORS:
        return out
    return out


# ---------------------------------------------------------------- tax notices

# 'Avis d'impôt établi en 2026', 'ASDIR 2026', 'Avis d'impôt 2026 sur les revenus de 2025': the campaign year
_CAMPAIGN_RES: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"etabl\w{0,2}\s+en\s*((?:19|20)\d\d)(?!\d)"), 0),
    (re.compile(r"(?<![a-z])(?:avis d.?imp\w{1,3}|asdir)\s+((?:19|20)\d\d)(?!\d)"), 0),
    (
        re.compile(
            r"(?:impot|impots|prelevements sociaux)\s+sur\s+les\s+revenus\s+de\s+((?:19|20)\d\d)(?!\d)"
        ),
        1,
    ),
)


def find_tax_campaign_year(lines: Sequence[str]) -> tuple[int, int] | None:
    """(year, line) of the tax campaign a notice belongs to: 'établi en N', 'Avis d'impôt N', else income year + 1.

    A tax notice is drawn up in the year after the income it taxes; the year alone still tells whether it is
    the latest notice when the printed dates are unreadable.
    """
    try:
        folded = [repair_digits(fold(x)) if isinstance(x, str) else "" for x in lines]
        for regex, offset in _CAMPAIGN_RES:
            for index, text in enumerate(folded):
                m = regex.search(text)
                if m:
                    return int(m.group(1)) + offset, index
        return None
    except ODD_INPUT_ERRORS:
        return None
