"""Document-type definitions loaded from ``data/doctypes.json``: the one place keywords and labels live.

A change of wording on a real document is a data change; this module only validates the file, compiles
its patterns once and hands typed, frozen records to the scorer and the extractors.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from preverif.errors import PreverifError
from preverif.records import DOCUMENT_TYPES

FORMAT_VERSION = 1
MRZ_FORMATS = ("cni_old", "td1", "td2", "td3")

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'", "′": "'"})
_LIGATURES = {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"}
_SPACE = re.compile(r"\s+")


class DocTypesError(PreverifError):
    """The document-type data file is missing or malformed (a packaging bug, not a user error)."""


# ---------------------------------------------------------------- normalisation


def _fold_char(ch: str) -> str:
    """One character folded: ligatures spelled out, accents stripped, lowercase."""
    if ch in _LIGATURES:
        return _LIGATURES[ch]
    decomposed = unicodedata.normalize("NFKD", ch)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def normalise_with_offsets(text: str) -> tuple[str, list[int]]:
    """Normalised text plus, for each of its characters, the index of the original character it came from.

    The offsets let evidence be quoted as read (accents, case) although matching runs on folded text.
    """
    text = text.translate(_APOSTROPHES)
    out: list[str] = []
    offsets: list[int] = []
    pending_space = False
    for index, ch in enumerate(text):
        if ch.isspace():
            pending_space = bool(out)
            continue
        folded = _fold_char(ch) if not ch.isascii() else ch.lower()
        if not folded:
            continue
        if pending_space:
            out.append(" ")
            offsets.append(index - 1)
            pending_space = False
        for piece in folded:
            if piece.isspace():
                continue
            out.append(piece)
            offsets.append(index)
    return "".join(out), offsets


def normalise_text(text: str) -> str:
    """Text folded for matching: NFKD without combining marks, lowercase, one space between words."""
    folded = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    for src, dst in _LIGATURES.items():
        folded = folded.replace(src, dst)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return _SPACE.sub(" ", folded).strip()


# ---------------------------------------------------------------- records


@dataclass(frozen=True)
class Pattern:
    """A compiled regex over normalised text and what a match is worth."""

    source: str
    regex: re.Pattern[str]
    weight: float

    @property
    def phrases(self) -> tuple[str, ...]:
        """The plain phrases of the pattern (alternatives of letters and spaces only, 16+ characters):
        the ones OCR slips may be forgiven on (see ``classify.scorer``)."""
        parts = (part.replace("\\b", "") for part in self.source.split("|"))
        return tuple(part for part in parts if _PLAIN_PHRASE.fullmatch(part))


_PLAIN_PHRASE = re.compile(r"[a-z0-9 ]{16,}")


@dataclass(frozen=True)
class MrzCode:
    """An MRZ shape that decides an identity subtype: format, document-code prefix, issuing state ('*' any)."""

    format: str
    code: str
    state: str

    def matches(self, fmt: str, document_code: str, state: str) -> bool:
        code = document_code.replace("<", "")
        return (
            fmt == self.format
            and code.startswith(self.code)
            and (self.state == "*" or state.upper() == self.state)
        )

    @property
    def specificity(self) -> int:
        return len(self.code) + (2 if self.state != "*" else 0)


@dataclass(frozen=True)
class DateLabels:
    """What the extractors need to find the issue date and the holder of one kind of document."""

    date_labels: tuple[re.Pattern[str], ...]
    decoy_labels: tuple[re.Pattern[str], ...]
    holder_labels: tuple[re.Pattern[str], ...]
    issuers: tuple[str, ...] = ()  # display names of the issuers of this kind, for the issuer extractor


@dataclass(frozen=True)
class DocTypeEntry:
    """One type/subtype (or, for type 'unknown', one distractor) with everything that recognises it."""

    type: str
    subtype: str | None
    keywords: tuple[Pattern, ...]
    negative: tuple[Pattern, ...]
    issuers: tuple[str, ...]
    issuer_patterns: tuple[re.Pattern[str], ...]
    labels: DateLabels
    mrz_codes: tuple[MrzCode, ...]
    twoddoc_types: tuple[str, ...]

    @property
    def key(self) -> str:
        return f"{self.type}/{self.subtype}" if self.subtype else self.type


@dataclass(frozen=True)
class DocTypes:
    """All definitions, in file order, with the file's SHA-256 (so a report can say which data decided)."""

    entries: tuple[DocTypeEntry, ...]
    issuer_weight: float
    unknown_baseline: float
    digest: str
    path: str

    def entries_for(self, type_: str) -> tuple[DocTypeEntry, ...]:
        return tuple(e for e in self.entries if e.type == type_)

    def labels_for(self, type_: str, subtype: str | None = None) -> DateLabels:
        """Labels of a subtype; with no (or an unknown) subtype, the union over the type's entries."""
        chosen = [e for e in self.entries if e.type == type_ and subtype is not None and e.subtype == subtype]
        if not chosen:
            chosen = list(self.entries_for(type_))
        return DateLabels(
            date_labels=_union(p for e in chosen for p in e.labels.date_labels),
            decoy_labels=_union(p for e in chosen for p in e.labels.decoy_labels),
            holder_labels=_union(p for e in chosen for p in e.labels.holder_labels),
            issuers=tuple(dict.fromkeys(i for e in chosen for i in e.issuers)),
        )


def _union(patterns: Any) -> tuple[re.Pattern[str], ...]:
    seen: dict[str, re.Pattern[str]] = {}
    for pattern in patterns:
        seen.setdefault(pattern.pattern, pattern)
    return tuple(seen.values())


# ---------------------------------------------------------------- loading and validation


def _fail(path: str, message: str) -> DocTypesError:
    return DocTypesError(f"Fichier de types de documents invalide ({path}) : {message}")


def _compile(source: object, where: str, path: str) -> re.Pattern[str]:
    if not isinstance(source, str) or not source:
        raise _fail(path, f"motif vide ou non textuel dans {where}")
    try:
        regex = re.compile(source)
    except re.error as exc:
        raise _fail(path, f"expression régulière invalide dans {where} : {source!r} ({exc})") from exc
    if regex.search("") is not None:
        raise _fail(path, f"le motif {source!r} de {where} reconnaît le texte vide")
    return regex


def _patterns(items: object, where: str, path: str) -> list[Pattern]:
    if items is None:
        return []
    if not isinstance(items, list):
        raise _fail(path, f"{where} doit être une liste")
    out: list[Pattern] = []
    for item in items:
        if not isinstance(item, dict) or "pattern" not in item:
            raise _fail(path, f"élément sans 'pattern' dans {where}")
        weight = item.get("weight", 1.0)
        if not isinstance(weight, int | float) or isinstance(weight, bool) or not 0 < weight <= 50:
            raise _fail(path, f"poids invalide dans {where} : {weight!r}")
        out.append(Pattern(item["pattern"], _compile(item["pattern"], where, path), float(weight)))
    return out


def _labels(items: object, where: str, path: str) -> list[re.Pattern[str]]:
    if items is None:
        return []
    if not isinstance(items, list):
        raise _fail(path, f"{where} doit être une liste")
    return [_compile(item, where, path) for item in items]


def issuer_pattern(name: str) -> re.Pattern[str]:
    """A word-bounded regex for an issuer's name over normalised text (spaces and hyphens interchangeable)."""
    words = [re.escape(w) for w in re.split(r"[\s\-]+", normalise_text(name)) if w]
    body = r"[\s\-]?".join(words)
    return re.compile(rf"(?<![a-z0-9]){body}(?![a-z0-9])")


def _mrz_codes(items: object, where: str, path: str) -> list[MrzCode]:
    if items is None:
        return []
    if not isinstance(items, list):
        raise _fail(path, f"{where} doit être une liste")
    out: list[MrzCode] = []
    for item in items:
        if not isinstance(item, dict):
            raise _fail(path, f"code MRZ invalide dans {where}")
        fmt, code, state = item.get("format"), item.get("code"), item.get("state", "*")
        if fmt not in MRZ_FORMATS or not isinstance(code, str) or not isinstance(state, str):
            raise _fail(path, f"code MRZ invalide dans {where} : {item!r}")
        out.append(MrzCode(str(fmt), code.upper(), state.upper()))
    return out


def _strings(items: object, where: str, path: str) -> list[str]:
    if items is None:
        return []
    if not isinstance(items, list) or not all(isinstance(i, str) and i for i in items):
        raise _fail(path, f"{where} doit être une liste de textes")
    return list(items)


def parse_doctypes(raw: bytes, path: str = "<mémoire>") -> DocTypes:
    """Validate and compile the JSON definitions; any defect raises DocTypesError with a French message."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _fail(path, f"JSON illisible ({exc})") from exc
    if not isinstance(data, dict):
        raise _fail(path, "la racine doit être un objet")
    if data.get("format_version") != FORMAT_VERSION:
        raise _fail(
            path,
            f"format_version {data.get('format_version')!r} non pris en charge (attendu {FORMAT_VERSION})",
        )
    shared = data.get("shared", {})
    types = data.get("types")
    if not isinstance(shared, dict) or not isinstance(types, list) or not types:
        raise _fail(path, "'shared' doit être un objet et 'types' une liste non vide")

    entries: list[DocTypeEntry] = []
    seen: set[str] = set()
    for position, item in enumerate(types):
        if not isinstance(item, dict):
            raise _fail(path, f"entrée {position} invalide")
        type_, subtype = item.get("type"), item.get("subtype")
        if not isinstance(type_, str) or (subtype is not None and not isinstance(subtype, str)):
            raise _fail(path, f"entrée {position} : 'type'/'subtype' invalides")
        if type_ not in DOCUMENT_TYPES:
            raise _fail(path, f"type inconnu {type_!r}")
        if type_ != "unknown" and DOCUMENT_TYPES[type_] and subtype not in DOCUMENT_TYPES[type_]:
            raise _fail(path, f"sous-type {subtype!r} inconnu pour {type_!r}")
        where = f"{type_}/{subtype}"
        if where in seen:
            raise _fail(path, f"entrée en double {where}")
        seen.add(where)
        blocks: list[Mapping[str, Any]] = []
        for name in _strings(item.get("include"), f"{where}.include", path):
            block = shared.get(name)
            if not isinstance(block, dict):
                raise _fail(path, f"{where} inclut le bloc inconnu {name!r}")
            blocks.append(block)
        blocks.append(item)
        keywords = [p for b in blocks for p in _patterns(b.get("keywords"), f"{where}.keywords", path)]
        negative = [p for b in blocks for p in _patterns(b.get("negative"), f"{where}.negative", path)]
        issuers = [s for b in blocks for s in _strings(b.get("issuers"), f"{where}.issuers", path)]
        labels = DateLabels(
            date_labels=_union(p for b in blocks for p in _labels(b.get("date_labels"), where, path)),
            decoy_labels=_union(p for b in blocks for p in _labels(b.get("decoy_labels"), where, path)),
            holder_labels=_union(p for b in blocks for p in _labels(b.get("holder_labels"), where, path)),
        )
        twoddoc = _strings(item.get("twoddoc_types"), f"{where}.twoddoc_types", path)
        if not keywords and type_ != "photo":
            raise _fail(path, f"{where} n'a aucun mot-clé")
        entries.append(
            DocTypeEntry(
                type=type_,
                subtype=subtype,
                keywords=tuple(keywords),
                negative=tuple(negative),
                issuers=tuple(dict.fromkeys(issuers)),
                issuer_patterns=tuple(issuer_pattern(s) for s in dict.fromkeys(issuers)),
                labels=labels,
                mrz_codes=tuple(_mrz_codes(item.get("mrz_codes"), f"{where}.mrz_codes", path)),
                twoddoc_types=tuple(t.upper() for t in twoddoc),
            )
        )
    for type_, subtypes in DOCUMENT_TYPES.items():
        if type_ == "unknown":
            continue
        declared = {e.subtype for e in entries if e.type == type_}
        missing = set(subtypes or (None,)) - declared
        if missing:
            raise _fail(path, f"sous-types sans définition pour {type_} : {sorted(str(m) for m in missing)}")
    issuer_weight = data.get("issuer_weight", 2.0)
    baseline = data.get("unknown_baseline", 3.0)
    if not isinstance(issuer_weight, int | float) or not isinstance(baseline, int | float):
        raise _fail(path, "'issuer_weight' et 'unknown_baseline' doivent être des nombres")
    return DocTypes(
        entries=tuple(entries),
        issuer_weight=float(issuer_weight),
        unknown_baseline=float(baseline),
        digest=hashlib.sha256(raw).hexdigest(),
        path=path,
    )


def _default_bytes() -> tuple[bytes, str]:
    resource = resources.files("preverif") / "data" / "doctypes.json"
    return resource.read_bytes(), str(resource)


@lru_cache(maxsize=8)
def _load_cached(path: str | None) -> DocTypes:
    if path is None:
        raw, where = _default_bytes()
    else:
        try:
            raw, where = Path(path).read_bytes(), path
        except OSError as exc:
            raise _fail(path, f"lecture impossible ({exc.strerror or exc})") from exc
    return parse_doctypes(raw, where)


def load_doctypes(path: str | Path | None = None) -> DocTypes:
    """The definitions, parsed and compiled once per path (cached: callers may ask for them freely)."""
    return _load_cached(None if path is None else str(path))


def mrz_subtype(doctypes: DocTypes, fmt: str, document_code: str, state: str) -> DocTypeEntry | None:
    """The identity entry whose MRZ code fits best (most specific code and state), or None."""
    best: tuple[int, DocTypeEntry] | None = None
    for entry in doctypes.entries:
        for code in entry.mrz_codes:
            if code.matches(fmt, document_code, state) and (best is None or code.specificity > best[0]):
                best = (code.specificity, entry)
    return best[1] if best else None
