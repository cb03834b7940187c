"""Name matching that a French back office would accept, and no looser.

Decisions (documented because they are policy, not code detail):

* Accents, case, hyphens, apostrophes and civilities are ignored (``N'Diaye`` = ``NDIAYE`` = ``N DIAYE``).
* Surnames: any of birth / usage surname ('née', 'épouse', 'nom d'usage', 'veuve') on either side may match;
  the words of a surname may come in any order.
* Given names: the FIRST given name must match. Further given names of the shorter list must be among the
  other's (a bill usually shows only the first one). A compound first name written with a hyphen is one
  name: 'Jean' vs 'Jean-Baptiste' is *not* a match — it is reported as uncertain (a human decides, the bill
  may have truncated it). 'JEAN BAPTISTE' (MRZ, hyphen lost) vs 'Jean-Baptiste' matches.
* An initial ('J. DUPONT') or a missing given name ('Mme DUPONT') is uncertain, never a match.
* OCR errors: Levenshtein distance per word, 0 edits for words of ≤ 4 letters, 1 for 5–8, 2 for longer
  (the shorter word decides). A truncated last given name (old CNI MRZ 'NI' for 'NICOLE') is accepted.
* Never a match on a first name alone, nor on the surname alone when the given names disagree.
* Joint holders ('M. ou Mme X', 'M. X et Mme Y'): a raw holder with 'ou'/'et' is split, any part may match;
  the caller also passes ``Fields.joint_holders`` one by one.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from preverif.records import Applicant, PersonName

CIVILITIES = frozenset(
    {
        "M",
        "MR",
        "MM",
        "MME",
        "MNE",  # 'Mme' as OCR reads it
        "MMES",
        "MLLE",
        "MLE",
        "MONSIEUR",
        "MADAME",
        "MADEMOISELLE",
        "MESSIEURS",
        "MESDAMES",
        "DR",
        "DOCTEUR",
        "ME",
        "MAITRE",
    }
)
USAGE_MARKERS = frozenset({"EPOUSE", "EP", "EPSE", "NEE", "NE", "VEUVE", "VVE", "DIVORCEE", "DIV", "USAGE"})
JOINT_WORDS = frozenset({"OU", "ET"})
_LIGATURES = str.maketrans({"Œ": "OE", "œ": "oe", "Æ": "AE", "æ": "ae", "ß": "ss"})
_APOSTROPHES = re.compile(r"['’`´ʼ]")
_NON_LETTERS = re.compile(r"[^A-Z]+")
_USAGE_PHRASE = re.compile(r"\bNOM D ?USAGE\b|\bNOM D EPOUSE\b|\bNOM DE NAISSANCE\b")


@dataclass(frozen=True)
class MatchResult:
    """Whether two names designate the same person. ``uncertain``: not a match, but a human should look."""

    matched: bool
    score: float
    reason: str
    uncertain: bool = False


@dataclass(frozen=True)
class _Person:
    surnames: tuple[tuple[str, ...], ...]  # alternatives (birth, usage…), each as words
    given: tuple[str, ...]  # every given-name word, in order
    first_given: tuple[str, ...]  # words of the first given name
    compound_known: bool  # the first given name's extent is known (hyphen or one element per name)
    first_garbled: bool = False  # the first given name as printed is no plausible name ('SenustS')


def normalise_name(text: str) -> str:
    """Upper-case ASCII letters and single spaces: accents dropped, apostrophes removed, hyphens → spaces."""
    text = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _APOSTROPHES.sub("", text.upper())
    return _NON_LETTERS.sub(" ", text).strip()


def name_words(text: str) -> tuple[str, ...]:
    """The words of a name after :func:`normalise_name`."""
    return tuple(normalise_name(text).split())


def max_edits(length: int) -> int:
    """OCR tolerance for a word of ``length`` letters: 0 up to 4, 1 for 5–8, 2 beyond."""
    if length <= 4:
        return 0
    return 1 if length <= 8 else 2


def words_close(a: str, b: str) -> bool:
    """Same word up to the OCR tolerance of the shorter one."""
    if a == b:
        return True
    bound = max_edits(min(len(a), len(b)))
    return bound > 0 and Levenshtein.distance(a, b, score_cutoff=bound) <= bound


def display_name(name: PersonName | Applicant | None) -> str:
    """A readable name for French messages ('Aïssatou Marie N'DIAYE')."""
    if name is None:
        return "(inconnu)"
    surname = name.surname or ""
    given = " ".join(name.given_names)
    text = f"{given} {surname.upper()}".strip()
    if text:
        return text
    return name.raw.strip() if isinstance(name, PersonName) and name.raw.strip() else "(illisible)"


def person_key(name: PersonName | Applicant) -> str:
    """A normalised key 'SURNAME|FIRSTGIVEN' (compact surname) to group the same person across documents."""
    if name.surname:
        first = name_words(name.given_names[0])[:1] if name.given_names else ()
        return "".join(name_words(name.surname)) + "|" + "".join(first)
    raw = name.raw if isinstance(name, PersonName) else ""
    words = [w for w in name_words(raw) if w not in CIVILITIES]
    return "|".join(sorted(words))


def split_joint(name: PersonName) -> tuple[PersonName, ...]:
    """Split a raw joint holder ('M. X et Mme Y', 'M. ou Mme X') into its parts (the name itself if single)."""
    if name.surname:
        return (name,)
    words = name_words(name.raw)
    if not any(w in JOINT_WORDS for w in words):
        return (name,)
    parts: list[list[str]] = [[]]
    for word in words:
        if word in JOINT_WORDS:
            parts.append([])
        else:
            parts[-1].append(word)
    useful = [p for p in parts if any(w not in CIVILITIES for w in p)]
    return tuple(PersonName(raw=" ".join(p)) for p in useful) or (name,)


def names_match(a: PersonName | Applicant, b: PersonName | Applicant) -> MatchResult:
    """Do ``a`` and ``b`` designate the same person, as a back office would judge? (See the module doc.)"""
    try:
        return _match_any(a, b)
    except (TypeError, ValueError, AttributeError):  # junk records never crash the judge
        return MatchResult(False, 0.0, "nom illisible")


def _match_any(a: PersonName | Applicant, b: PersonName | Applicant) -> MatchResult:
    parts_a = split_joint(a) if isinstance(a, PersonName) else (a,)
    parts_b = split_joint(b) if isinstance(b, PersonName) else (b,)
    results = [_match_one(x, y) for x in parts_a for y in parts_b]
    if len(parts_a) > 1 or len(parts_b) > 1:
        joint = _match_joint_whole(a, b)
        if joint is not None:
            results.append(joint)
    return max(results, key=_rank)


def _match_joint_whole(a: PersonName | Applicant, b: PersonName | Applicant) -> MatchResult | None:
    """'M. ou Mme Jean et Marie DUPONT': the surname plus the other's first given name among the words."""
    raw, other = (a, b) if isinstance(a, PersonName) and not a.surname else (b, a)
    if not isinstance(raw, PersonName) or raw.surname:
        return None
    person = _structured(other)
    if person is None or not person.given:
        return None
    words = [w for w in name_words(raw.raw) if w not in CIVILITIES and w not in JOINT_WORDS]
    for alternative in person.surnames:
        for span in _find_runs(words, alternative):
            rest = words[: span[0]] + words[span[1] :]
            if any(words_close(w, person.given[0]) for w in rest):
                return MatchResult(True, 0.9, "co-titulaire : nom et premier prénom concordent")
    return None


def _match_one(a: PersonName | Applicant, b: PersonName | Applicant) -> MatchResult:
    pa, pb = _structured(a), _structured(b)
    if pa is not None and pb is not None:
        return _compare(pa, pb)
    if pa is not None and isinstance(b, PersonName):
        return _compare_with_raw(pa, b)
    if pb is not None and isinstance(a, PersonName):
        return _compare_with_raw(pb, a)
    return _compare_raw_raw(_raw_words(a), _raw_words(b))


def _raw_words(name: PersonName | Applicant) -> list[str]:
    raw = name.raw if isinstance(name, PersonName) else display_name(name)
    return [w for w in name_words(raw) if w not in CIVILITIES and w not in USAGE_MARKERS]


def _split_usage(text: str) -> list[tuple[str, ...]]:
    """'MARTIN épouse DUPONT' → [('MARTIN',), ('DUPONT',)]."""
    norm = _USAGE_PHRASE.sub(" EPOUSE ", normalise_name(text))
    parts: list[list[str]] = [[]]
    for word in norm.split():
        if word in USAGE_MARKERS:
            parts.append([])
        elif word not in CIVILITIES:
            parts[-1].append(word)
    return [tuple(p) for p in parts if p]


def _structured(name: PersonName | Applicant) -> _Person | None:
    if not name.surname or not name_words(name.surname):
        return None
    surnames: list[tuple[str, ...]] = list(_split_usage(name.surname))
    extras = (
        (name.birth_surname, name.usage_surname) if isinstance(name, PersonName) else (name.usage_surname,)
    )
    for extra in extras:
        if extra:  # a proof may be in the birth name or in the usage name (SPEC §4.3)
            surnames.extend(_split_usage(extra))
    given_names = [part for g in name.given_names if name_words(g) for part in _split_camel(g)]
    given = tuple(w for g in given_names for w in name_words(g))
    first = name_words(given_names[0]) if given_names else ()
    garbled = bool(given_names) and garbled_given(given_names[0])
    return _Person(tuple(dict.fromkeys(surnames)), given, first, bool(given_names), garbled)


_CAMEL_JOIN_RE = re.compile(r"^([A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{2,})([A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{2,})$")


def _split_camel(text: str) -> tuple[str, ...]:
    """'MehdiJean' → ('Mehdi', 'Jean'): two capitalised names OCR glued are two given names."""
    m = _CAMEL_JOIN_RE.match(text.strip())
    return (m.group(1), m.group(2)) if m else (text,)


_ODD_CASE_RE = re.compile(r"[a-zß-öø-ÿ][A-ZÀ-ÖØ-Þ]")
_VOWELS = frozenset("AEIOUY")


def garbled_given(text: str) -> bool:
    """A given name as OCR printed it that no one bears: odd casing ('SenustS'), digits, or no vowel.

    Such a reading says nothing about who holds the document, so it cannot prove a different person.
    """
    if not isinstance(text, str) or not text.strip():
        return False
    for word in re.split(r"[\s\-']+", text.strip()):
        if (len(_split_camel(word)) == 1 and _ODD_CASE_RE.search(word)) or any(c.isdigit() for c in word):
            return True
        letters = normalise_name(word).replace(" ", "")
        if len(letters) >= 3 and not set(letters) & _VOWELS:
            return True
    return False


def _compare_with_raw(person: _Person, raw: PersonName) -> MatchResult:
    """Find one of ``person``'s surnames inside the raw words; what is left are the given names."""
    norm = _USAGE_PHRASE.sub(" EPOUSE ", normalise_name(raw.raw))
    words = [w for w in norm.split() if w not in CIVILITIES]
    best: MatchResult | None = None
    for alternative in person.surnames:
        plain = [w for w in words if w not in USAGE_MARKERS]
        for span in _find_runs(plain, alternative):
            rest = plain[: span[0]] + plain[span[1] :]
            rest = _drop_marker_neighbours(words, rest, tuple(plain[span[0] : span[1]]))
            found = _Person((tuple(plain[span[0] : span[1]]),), tuple(rest), tuple(rest[:1]), False)
            result = _compare(person, found)
            if best is None or _rank(result) > _rank(best):
                best = result
    if best is not None:
        return best
    return MatchResult(False, 0.0, "nom de famille différent")


def _drop_marker_neighbours(words: list[str], rest: list[str], found: tuple[str, ...]) -> list[str]:
    """Around 'épouse'/'née', the word on each side is a surname, not a given name: remove it."""
    neighbours: set[str] = set()
    for i, word in enumerate(words):
        if word in USAGE_MARKERS:
            if i > 0 and words[i - 1] not in USAGE_MARKERS:
                neighbours.add(words[i - 1])
            if i + 1 < len(words) and words[i + 1] not in USAGE_MARKERS:
                neighbours.add(words[i + 1])
    neighbours -= set(found)
    out = list(rest)
    for word in neighbours:
        if word in out:
            out.remove(word)
    return out


def _rank(result: MatchResult) -> tuple[bool, bool, float]:
    return (result.matched, result.uncertain, result.score)


def _find_runs(words: Sequence[str], surname: tuple[str, ...]) -> list[tuple[int, int]]:
    """Every place ``surname`` may sit in ``words`` (a contiguous run, letters-only, any word order)."""
    target = "".join(surname)
    spans: list[tuple[int, int]] = []
    for size in range(1, min(len(words), len(surname) + 2) + 1):
        for start in range(len(words) - size + 1):
            run = list(words[start : start + size])
            if words_close("".join(run), target) or (
                len(run) == len(surname) and _same_multiset(run, surname)
            ):
                spans.append((start, start + size))
    return spans


def _same_multiset(a: Sequence[str], b: Sequence[str]) -> bool:
    left = list(b)
    for word in a:
        hit = next((i for i, other in enumerate(left) if words_close(word, other)), None)
        if hit is None:
            return False
        left.pop(hit)
    return not left


def _surnames_agree(a: _Person, b: _Person) -> tuple[bool, bool]:
    """(agree, partial): partial when one surname's words are a strict subset of the other's."""
    partial = False
    for x in a.surnames:
        for y in b.surnames:
            if words_close("".join(x), "".join(y)) or _same_multiset(x, y):
                return True, False
            small, large = (x, y) if len(x) < len(y) else (y, x)
            if len(small) < len(large) and all(any(words_close(s, w) for w in large) for s in small):
                partial = True
    return False, partial


# an MRZ '<' (the separator between names) is often read as K, X or C; the ICAO name field then reads
# 'ANA<HELENE' as 'ANAXHELENE', 'TRAORE<<ELOISE<LOUISE' as 'TRAORE<X<ELOISE<KLOUISE'. Undone only
# against the other name: the pieces must be exactly that name's words, so no other name gets looser.
MRZ_SEPARATOR_NOISE = frozenset("KXC")


def _undo_separator_noise(words: tuple[str, ...], other: Sequence[str]) -> tuple[str, ...]:
    """``words`` with separator misreads split or dropped where ``other`` shows the real names."""
    known = set(other)
    out: list[str] = []
    for index, w in enumerate(words):
        if w in known or not w:
            out.append(w)
        elif len(w) == 1 and w in MRZ_SEPARATOR_NOISE:
            continue
        elif index > 0 and w[0] in MRZ_SEPARATOR_NOISE and len(w) >= 4 and w[1:] in known:
            # a '<' glued to the front of a later name; never the first word ('KEVIN' is not 'EVIN')
            out.append(w[1:])
        else:
            split = next(
                (
                    (w[:i], w[i + 1 :])
                    for i in range(2, len(w) - 2)
                    if w[i] in MRZ_SEPARATOR_NOISE and w[:i] in known and w[i + 1 :] in known
                ),
                None,
            )
            out.extend(split if split else (w,))
    return tuple(out)


def _unglue(words: tuple[str, ...], other: Sequence[str]) -> tuple[str, ...]:
    """'MEHDIJEAN' → 'MEHDI JEAN' where ``other`` shows those two names one after the other.

    Exact letters only: a join read with an error ('ANAXHELENE' for 'ANNA HELENE') is not split, so the
    tolerance of one word is never spent twice.
    """
    pairs = {x + y: (x, y) for x, y in itertools.pairwise(other) if len(x) >= 2 and len(y) >= 2}
    out: list[str] = []
    for w in words:
        hit = pairs.get(w)
        out.extend(hit if hit and w not in other else (w,))
    return tuple(out)


def _denoised(a: _Person, b: _Person) -> _Person:
    """``a`` with MRZ separator noise and glued given names undone against ``b`` (unchanged otherwise)."""
    other_surnames = [w for s in b.surnames for w in s]
    surnames = tuple(_undo_separator_noise(s, other_surnames) for s in a.surnames)
    given = _unglue(_undo_separator_noise(a.given, b.given), b.given)
    if surnames == a.surnames and given == a.given:
        return a
    first = a.first_given if given[:1] == a.given[:1] else given[:1]
    return _Person(tuple(s for s in surnames if s), given, first, a.compound_known, a.first_garbled)


def _without_speck(p: _Person) -> _Person | None:
    """``p`` without a one-letter word before its given names ('I FRANCOISE HELENE'), None if none."""
    if len(p.given) < 2 or len(p.given[0]) != 1 or len(p.given[1]) < 2:
        return None
    first = p.first_given[1:] if len(p.first_given) > 1 else p.given[1:2]
    return _Person(p.surnames, p.given[1:], first, p.compound_known and len(p.first_given) > 1)


def _compare(a: _Person, b: _Person) -> MatchResult:
    result = _compare_once(a, b)
    if result.matched:
        return result
    # a speck read as a letter before the given names is no initial when the names after it agree
    for x, y in ((_without_speck(a), b), (a, _without_speck(b))):
        if x is not None and y is not None:
            retry = _compare_once(x, y)
            if _rank(retry) > _rank(result):
                result = retry
    return result


def _compare_once(a: _Person, b: _Person) -> MatchResult:
    a, b = _denoised(a, b), _denoised(b, a)
    agree, partial = _surnames_agree(a, b)
    if not agree:
        if partial:
            return MatchResult(False, 0.5, "nom de famille incomplet (une partie seulement)", uncertain=True)
        if _misread_surname(a, b):
            return MatchResult(
                False, 0.5, "nom de famille proche et mêmes prénoms : nom peut-être mal lu", uncertain=True
            )
        if _lone_given_name(a, b) or _lone_given_name(b, a):
            return MatchResult(False, 0.4, "un seul mot lu, qui est un prénom de l'autre nom", uncertain=True)
        return MatchResult(False, 0.0, "nom de famille différent")
    if not a.given or not b.given:
        return MatchResult(False, 0.5, "prénom absent : seul le nom de famille concorde", uncertain=True)
    first_a, first_b = a.given[0], b.given[0]
    if len(first_a) == 1 or len(first_b) == 1:
        if first_a[0] == first_b[0]:
            return MatchResult(False, 0.6, "prénom réduit à une initiale", uncertain=True)
        return MatchResult(False, 0.0, "premier prénom différent")
    if not words_close(first_a, first_b):
        if a.first_garbled or b.first_garbled:
            return MatchResult(
                False, 0.5, "prénom illisible : seul le nom de famille concorde", uncertain=True
            )
        if _look_alike_words(first_a, first_b):
            return MatchResult(
                False, 0.5, "prénom peut-être mal lu (lettres semblables, ex. Wei / Wel)", uncertain=True
            )
        return MatchResult(False, 0.1, "premier prénom différent")
    for x, y in ((a, b), (b, a)):
        if x.compound_known and len(x.first_given) > 1:
            head = y.given[: len(x.first_given)]
            if len(head) < len(x.first_given) or not all(
                words_close(p, q) for p, q in zip(x.first_given, head, strict=False)
            ):
                return MatchResult(
                    False, 0.6, "prénom composé incomplet (par exemple Jean / Jean-Baptiste)", uncertain=True
                )
    short, long_ = (a.given, b.given) if len(a.given) <= len(b.given) else (b.given, a.given)
    remaining = list(long_[1:])
    for i, word in enumerate(short[1:], start=1):
        hit = next((k for k, other in enumerate(remaining) if words_close(word, other)), None)
        if hit is None and i == len(short) - 1:
            # the last given name cut by a fixed-width MRZ field, down to its initial ('PIERRE<YVES<P')
            hit = next((k for k, o in enumerate(remaining) if _prefix(o, word)), None)
        if hit is None:
            return MatchResult(False, 0.6, "autres prénoms différents", uncertain=True)
        remaining.pop(hit)
    return MatchResult(True, _score(a, b), "nom et prénom concordent")


# letter shapes OCR takes for one another once upper-cased ('Wei' read 'Wel', 'Kim' read 'Kirn'): a short
# given name differing only by such shapes is no proof of another person (nor of the same one)
_LOOK_ALIKES = (("I", "L"), ("I", "J"), ("M", "RN"), ("D", "CL"), ("W", "VV"), ("O", "Q"), ("U", "V"))


def _look_alike_words(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by exactly one look-alike swap (any position, either direction)."""
    for x, y in _LOOK_ALIKES:
        for src, dst in ((x, y), (y, x)):
            start = a.find(src)
            while start >= 0:
                if a[:start] + dst + a[start + len(src) :] == b:
                    return True
                start = a.find(src, start + 1)
    return False


def _misread_surname(a: _Person, b: _Person) -> bool:
    """Two or more given names all the same, in order, and surnames starting alike ('DUPI' / 'DUPRE') or
    sharing a long word ('IJF VILLIERS' / 'DE VILLIERS': a particle garbled on a fax).

    A surname misread or cut on one document; never a match (a human checks), but not someone else either.
    """
    if len(a.given) < 2 or len(a.given) != len(b.given) or a.given != b.given:
        return False
    if any(
        {w for w in x if len(w) >= 5} & {w for w in y if len(w) >= 5} for x in a.surnames for y in b.surnames
    ):
        return True
    return any(
        len(x) >= 3 and len(y) >= 3 and x[:3] == y[:3]
        for x in ("".join(s) for s in a.surnames)
        for y in ("".join(s) for s in b.surnames)
    )


def _lone_given_name(a: _Person, b: _Person) -> bool:
    """``a`` is one word read without given names ('M. Ibrahima', the rest of the line lost), and that word
    is one of ``b``'s given names: a reading cut short, which proves neither the same person nor another."""
    return (
        not a.given
        and [len(s) for s in a.surnames] == [1]
        and any(words_close(a.surnames[0][0], g) for g in b.given)
    )


def _prefix(a: str, b: str) -> bool:
    """One word is the truncation of the other (old CNI MRZ cuts the given names)."""
    return a.startswith(b) or b.startswith(a)


def _score(a: _Person, b: _Person) -> float:
    x = a.given[0] + "".join(sorted(a.surnames[0]))
    y = b.given[0] + "".join(sorted(b.surnames[0]))
    return round(1.0 - Levenshtein.normalized_distance(x, y), 3)


def _compare_raw_raw(a: list[str], b: list[str]) -> MatchResult:
    """Both names unstructured: the same words, in any order, and at least two of them."""
    if len(a) >= 2 and len(a) == len(b) and _same_multiset(a, b):
        return MatchResult(True, 0.8, "mêmes mots (ordre indifférent)")
    return MatchResult(False, 0.0, "noms différents ou illisibles")


def surnames_match(a: PersonName | Applicant, b: PersonName | Applicant) -> MatchResult:
    """Do ``a`` and ``b`` share a surname (birth or usage)? For 'a minor's host is a parent'."""
    pa, pb = _structured(a), _structured(b)
    if pa is None or pb is None:
        words_a, words_b = _raw_words(a), _raw_words(b)
        if pa is not None and words_b and any(_find_runs(words_b, s) for s in pa.surnames):
            return MatchResult(True, 0.8, "nom de famille commun")
        if pb is not None and words_a and any(_find_runs(words_a, s) for s in pb.surnames):
            return MatchResult(True, 0.8, "nom de famille commun")
        return MatchResult(False, 0.0, "nom de famille illisible", uncertain=True)
    agree, partial = _surnames_agree(pa, pb)
    if agree:
        return MatchResult(True, 1.0, "nom de famille commun")
    return MatchResult(False, 0.0, "noms de famille différents", uncertain=partial)


# ---------------------------------------------------------------- handwriting


def handwriting_edits(length: int) -> int:
    """Tolerance for a handwritten word of ``length`` letters: OCR of handwriting garbles about a letter
    in three, so 1 edit for 3–5 letters, 2 from 6 on (a two-letter word must be exact)."""
    if length <= 2:
        return 0
    return 1 if length <= 5 else 2


def handwriting_edits_with_given(length: int) -> int:
    """Tolerance for a handwritten surname of ``length`` letters when a given name of the same reading
    already agrees: two letters in five, at most 3 ('W'EUESSEN' for 'N'GUESSAN', 'MOREL' for 'MOREAU').
    Handwriting OCR garbles more than a letter in three on some hands; the given name is the second,
    independent witness that lets the surname's bound widen. Short surnames stay at the plain bound."""
    if length <= 4:
        return handwriting_edits(length)
    return min(3, max(handwriting_edits(length), round(0.4 * length)))


def _hand_close(a: str, b: str, *, same_length: bool = False, bound: int | None = None) -> bool:
    """Same word up to the handwriting tolerance of the shorter one (or ``bound`` edits); ``same_length``: at
    most one letter more or less, so a handwritten 'MARTIN' never stands for 'MARTINEZ'."""
    if a == b:
        return True
    if not a or not b or (same_length and abs(len(a) - len(b)) > 1):
        return False
    if bound is None:
        bound = handwriting_edits(min(len(a), len(b)))
    return bound > 0 and Levenshtein.distance(a, b, score_cutoff=bound) <= bound


def _reading_words(name: PersonName | Applicant) -> list[str]:
    """The words of a reading, civilities and usage markers dropped, and one or two letter specks too
    ('fe', 'l'): handwriting OCR leaves them around a name, and no surname or given name is that short."""
    words = _raw_words(name) if isinstance(name, PersonName) and name.raw.strip() else []
    if not words:
        words = [w for w in name_words(display_name(name)) if w not in CIVILITIES]
    return [w for w in words if len(w) >= 3]


def handwriting_match(reading: PersonName, person: PersonName | Applicant) -> MatchResult:
    """Could ``reading``, a name read from handwriting, be ``person`` as printed on an ID or a bill?

    Yes when one of the person's surnames is within the handwriting tolerance of a run of the reading's
    words (about as long as it), and then either a given name of the person is close to another word of
    the reading, or the reading has no other word (the given names were lost). The surname must be close:
    two given names alike never make a different surname the same person. Meant only where the printed
    documents already agree on ``person``; a miss is a doubt for a human, never a proof of someone else.
    """
    try:
        return _handwriting_match(reading, person)
    except (TypeError, ValueError, AttributeError):
        return MatchResult(False, 0.0, "nom illisible")


def _handwriting_match(reading: PersonName, person: PersonName | Applicant) -> MatchResult:
    target = _structured(person)
    words = _reading_words(reading)
    if target is None or not words:
        return MatchResult(False, 0.0, "nom illisible")
    given = {w for w in target.given if len(w) >= 2}
    for alternative in target.surnames:
        joined = "".join(alternative)
        for size in range(1, min(len(words), len(alternative) + 1) + 1):
            for start in range(len(words) - size + 1):
                run = "".join(words[start : start + size])
                close = _hand_close(run, joined, same_length=True)
                loose = handwriting_edits_with_given(min(len(run), len(joined)))
                if not close and not _hand_close(run, joined, same_length=True, bound=loose):
                    continue
                rest = words[:start] + words[start + size :]
                if close and not rest:
                    return MatchResult(True, 0.6, "écriture manuscrite : nom proche, prénoms illisibles")
                if any(_hand_close(w, g) for w in rest for g in given):
                    if close:
                        return MatchResult(True, 0.7, "écriture manuscrite : nom et un prénom proches")
                    return MatchResult(True, 0.6, "écriture manuscrite : un prénom proche, nom mal lu")
    return MatchResult(False, 0.0, "écriture manuscrite : nom différent ou illisible")
