"""The checklist as typed data: ``rules.json`` parsed once into a frozen :class:`Rules`.

Thresholds, accepted kinds and every French message live in the JSON file, so a change of regulation is
a data edit plus a test, never a hunt through the code.
"""

from __future__ import annotations

import json
import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from preverif.errors import UsageError

SUPPORTED_FORMAT_VERSION = 1


class RulesError(UsageError):
    """The rules file is missing, unreadable, of an unsupported version or malformed."""


@dataclass(frozen=True)
class CniOldRules:
    """Validity of the old (1988–2021) French ID card, including the 2014 +5-year extension (décret 2013-1188)."""

    validity_years_before_2014: int
    validity_years_adult_from_2014: int
    validity_years_minor: int
    long_validity_from: date
    extension_years: int
    extension_issued_from: date
    extension_issued_to: date
    adult_age_at_issue: int


@dataclass(frozen=True)
class KindAge:
    """Per-kind proof age: review when older than ``review_after`` months, refuse beyond ``refuse_after``."""

    review_after: int
    refuse_after: int


@dataclass(frozen=True)
class Rules:
    """Everything the engine needs to know about the regulation, read from ``rules.json``."""

    format_version: int
    minor_under_age: int
    identity_subtypes: tuple[str, ...]
    grace_years_french: Mapping[str, int]
    grace_years_foreign: int
    french_issuing_states: frozenset[str]
    passport_pre2006_issued_before: date
    passport_validity_years: int
    cni_old: CniOldRules
    cni_2021_validity_years: int
    accepted_proof_kinds: tuple[str, ...]
    review_proof_kinds: Mapping[str, str]
    proof_kind_labels: Mapping[str, str]
    max_proof_age_months: int
    proof_kind_age: Mapping[str, KindAge]
    handwritten_review_kinds: frozenset[str]
    tampering_note_markers: tuple[str, ...]
    assr_required_under_age: int
    assr_subtypes: tuple[str, ...]
    jdc_nationalities: frozenset[str]
    jdc_min_age: int
    jdc_max_age_exclusive: int
    jdc_subtypes: tuple[str, ...]
    photo_subtypes: tuple[str, ...]
    ephoto_code_pattern: str
    residence_exempt_nationalities: frozenset[str]
    residence_subtypes: tuple[str, ...]
    messages: Mapping[str, str]
    identity_kind_labels: Mapping[str, str]
    assr_kind_labels: Mapping[str, str]
    jdc_kind_labels: Mapping[str, str]
    # a portrait typed this surely counts as the photo (the back office only needs one to be there)
    portrait_min_confidence: float = 0.5
    # a proof typed less surely than this is not taken for an accepted kind on the classifier's word
    proof_min_kind_confidence: float = 0.5
    # a proof whose issue date was lost counts as recent when its billing period ended this much inside the
    # age limit (a subscription may be billed ahead of the period it charges for)
    period_end_margin_months: int = 2

    def message(self, key: str, **values: object) -> str:
        """The French message ``key`` with its ``{placeholders}`` filled (unknown ones are left visible)."""
        template = self.messages.get(key, key)
        return string.Formatter().vformat(template, (), _KeepMissing(values))


class _KeepMissing(dict[str, object]):
    """Format mapping that leaves an unknown placeholder as written instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def default_rules_path() -> Path:
    """The bundled ``rules.json``."""
    return Path(str(resources.files("preverif") / "data" / "rules.json"))


def load_rules(path: Path | str | None = None) -> Rules:
    """Read and check a rules file (the bundled one by default). Raises :class:`RulesError` when unusable."""
    where = Path(path) if path is not None else default_rules_path()
    try:
        raw = json.loads(where.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(f"Fichier de règles illisible : {where} ({exc.__class__.__name__}).") from exc
    except json.JSONDecodeError as exc:
        raise RulesError(
            f"Fichier de règles invalide (JSON incorrect ligne {exc.lineno}) : {where}."
        ) from exc
    return parse_rules(raw, source=str(where))


def parse_rules(raw: object, *, source: str = "rules.json") -> Rules:
    """Build :class:`Rules` from the decoded JSON, checking the format version and every key's type."""
    top = _mapping(raw, "racine", source)
    version = top.get("format_version")
    if version != SUPPORTED_FORMAT_VERSION:
        raise RulesError(
            f"Version du fichier de règles non prise en charge ({version!r}, attendue "
            f"{SUPPORTED_FORMAT_VERSION}) : {source}."
        )
    try:
        identity = _mapping(top["identity"], "identity", source)
        cni = _mapping(identity["cni_old"], "identity.cni_old", source)
        proof = _mapping(top["proof_of_address"], "proof_of_address", source)
        assr = _mapping(top["assr"], "assr", source)
        jdc = _mapping(top["jdc"], "jdc", source)
        photo = _mapping(top["photo"], "photo", source)
        residence = _mapping(top["residence_permit"], "residence_permit", source)
        kind_age = {
            kind: KindAge(_int(v["review_after"], kind, source), _int(v["refuse_after"], kind, source))
            for kind, v in _mapping(proof["kind_age_months"], "kind_age_months", source).items()
        }
        return Rules(
            format_version=SUPPORTED_FORMAT_VERSION,
            minor_under_age=_int(top["minor_under_age"], "minor_under_age", source),
            identity_subtypes=_strings(identity["accepted_subtypes"], "accepted_subtypes", source),
            grace_years_french=_int_map(identity["grace_years_french"], "grace_years_french", source),
            grace_years_foreign=_int(identity["grace_years_foreign"], "grace_years_foreign", source),
            french_issuing_states=frozenset(
                _strings(identity["french_issuing_states"], "french_issuing_states", source)
            ),
            passport_pre2006_issued_before=_date(identity["passport_pre2006_issued_before"], source),
            passport_validity_years=_int(identity["passport_validity_years"], "passport", source),
            cni_old=CniOldRules(
                validity_years_before_2014=_int(cni["validity_years_before_2014"], "cni_old", source),
                validity_years_adult_from_2014=_int(cni["validity_years_adult_from_2014"], "cni_old", source),
                validity_years_minor=_int(cni["validity_years_minor"], "cni_old", source),
                long_validity_from=_date(cni["long_validity_from"], source),
                extension_years=_int(cni["extension_years"], "cni_old", source),
                extension_issued_from=_date(cni["extension_issued_from"], source),
                extension_issued_to=_date(cni["extension_issued_to"], source),
                adult_age_at_issue=_int(cni["adult_age_at_issue"], "cni_old", source),
            ),
            cni_2021_validity_years=_int(identity["cni_2021_validity_years"], "cni_2021", source),
            accepted_proof_kinds=_strings(proof["accepted_kinds"], "accepted_kinds", source),
            review_proof_kinds=_str_map(proof["review_kinds"], "review_kinds", source),
            proof_kind_labels=_str_map(proof["kind_labels"], "kind_labels", source),
            max_proof_age_months=_int(proof["max_age_months"], "max_age_months", source),
            proof_kind_age=kind_age,
            handwritten_review_kinds=frozenset(
                _strings(proof["handwritten_review_kinds"], "handwritten_review_kinds", source)
            ),
            tampering_note_markers=_strings(proof["tampering_note_markers"], "tampering", source),
            proof_min_kind_confidence=float(proof.get("min_kind_confidence", 0.5)),
            period_end_margin_months=int(proof.get("period_end_margin_months", 2)),
            assr_required_under_age=_int(assr["required_under_age"], "assr", source),
            assr_subtypes=_strings(assr["accepted_subtypes"], "assr", source),
            jdc_nationalities=frozenset(_strings(jdc["nationalities"], "jdc", source)),
            jdc_min_age=_int(jdc["min_age"], "jdc", source),
            jdc_max_age_exclusive=_int(jdc["max_age_exclusive"], "jdc", source),
            jdc_subtypes=_strings(jdc["accepted_subtypes"], "jdc", source),
            photo_subtypes=_strings(photo["accepted_subtypes"], "photo", source),
            ephoto_code_pattern=_str(photo["ephoto_code_pattern"], "photo", source),
            portrait_min_confidence=float(photo.get("portrait_min_confidence", 0.5)),
            residence_exempt_nationalities=frozenset(
                _strings(residence["exempt_nationalities"], "residence_permit", source)
            ),
            residence_subtypes=_strings(residence["accepted_subtypes"], "residence_permit", source),
            messages=_str_map(top["messages"], "messages", source),
            identity_kind_labels=_str_map(top["identity_kind_labels"], "identity_kind_labels", source),
            assr_kind_labels=_str_map(top["assr_kind_labels"], "assr_kind_labels", source),
            jdc_kind_labels=_str_map(top["jdc_kind_labels"], "jdc_kind_labels", source),
        )
    except KeyError as exc:
        raise RulesError(f"Clé manquante dans le fichier de règles : {exc.args[0]} ({source}).") from exc
    except (TypeError, AttributeError) as exc:
        raise RulesError(f"Fichier de règles mal formé ({source}).") from exc


def _mapping(value: Any, what: str, source: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise RulesError(f"« {what} » doit être un objet dans le fichier de règles ({source}).")
    return value


def _int(value: Any, what: str, source: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RulesError(f"« {what} » doit être un entier dans le fichier de règles ({source}).")
    return value


def _str(value: Any, what: str, source: str) -> str:
    if not isinstance(value, str):
        raise RulesError(f"« {what} » doit être un texte dans le fichier de règles ({source}).")
    return value


def _strings(value: Any, what: str, source: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RulesError(f"« {what} » doit être une liste de textes dans le fichier de règles ({source}).")
    return tuple(value)


def _str_map(value: Any, what: str, source: str) -> Mapping[str, str]:
    data = _mapping(value, what, source)
    return {k: _str(v, f"{what}.{k}", source) for k, v in data.items()}


def _int_map(value: Any, what: str, source: str) -> Mapping[str, int]:
    data = _mapping(value, what, source)
    return {k: _int(v, f"{what}.{k}", source) for k, v in data.items()}


def _date(value: Any, source: str) -> date:
    try:
        return date.fromisoformat(_str(value, "date", source))
    except ValueError as exc:
        raise RulesError(f"Date invalide {value!r} dans le fichier de règles ({source}).") from exc
