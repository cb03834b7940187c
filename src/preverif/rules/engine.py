"""The judge: the checklist of ``rules.json`` applied to every document of a dossier → checks + verdict.

Each rule yields ``Check(code, status, message, documents)`` with a French message that says what to do.
Only the rules that apply are reported. Verdict: any ``missing``/``fail`` → 'incomplete'; else any
``review`` → 'needs_review'; else 'complete'. Unreadable dates and unreadable documents give ``review``,
never ``fail``: preverif does not refuse what it could not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from preverif.extract.ephoto import mark_doubtful
from preverif.extract.names import is_known_given_name
from preverif.records import (
    Applicant,
    Check,
    CheckStatus,
    Document,
    Judgement,
    PersonName,
    ProofOfAddress,
    Verdict,
)
from preverif.rules.candidate import (
    IdentityHolder,
    document_key,
    group_identities,
    holder_of,
    identify_applicant,
    loosely_alike,
    same_certificate_holder,
)
from preverif.rules.config import Rules, RulesError, load_rules, parse_rules
from preverif.rules.matching import (
    MatchResult,
    display_name,
    garbled_given,
    handwriting_match,
    names_match,
    normalise_name,
    surnames_match,
)
from preverif.rules.validity import age_on, identity_accepted, is_recent, months_before

__all__ = ["CHECK_ORDER", "Rules", "RulesError", "judge_dossier", "load_rules", "parse_rules", "verdict_of"]

CHECK_ORDER = (
    "identity",
    "proof_of_address",
    "proof_of_address_name",
    "host_chain",
    "assr",
    "jdc",
    "photo",
    "legal_representative",
    "residence_permit",
)
_SEVERITY: dict[CheckStatus, int] = {"ok": 0, "review": 1, "missing": 2, "fail": 3}


def _fmt(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def verdict_of(checks: Iterable[Check]) -> Verdict:
    """'incomplete' if anything is missing or failing, else 'needs_review' if anything is doubtful."""
    statuses = {c.status for c in checks}
    if statuses & {"missing", "fail"}:
        return "incomplete"
    return "needs_review" if "review" in statuses else "complete"


def merge_checks(code: str, checks: Sequence[Check]) -> Check:
    """One check per code: the worst status wins, its messages are kept, the documents are pooled."""
    worst = max(checks, key=lambda c: _SEVERITY[c.status]).status
    messages = list(dict.fromkeys(c.message for c in checks if c.status == worst))
    files = tuple(dict.fromkeys(f for c in checks for f in c.documents))
    return Check(code, worst, " ".join(messages), files)


def _best(checks: Sequence[Check]) -> Check:
    """Among alternatives (several ASSR, several photos…), the most favourable one."""
    return min(checks, key=lambda c: _SEVERITY[c.status])


@dataclass(frozen=True)
class _Context:
    documents: tuple[Document, ...]
    applicant: Applicant
    roles: dict[str, str]
    reference: date
    rules: Rules
    age: int | None
    persons: tuple[IdentityHolder, ...]

    def of_type(self, kind: str) -> list[Document]:
        return [d for d in self.documents if d.classification.type == kind and d.status != "error"]

    def candidate_ids(self) -> list[Document]:
        return [d for d in self.of_type("identity") if self.roles.get(document_key(d)) == "candidate_id"]

    def others(self) -> list[IdentityHolder]:
        return [
            p
            for p in self.persons
            if not any(self.roles.get(document_key(d)) == "candidate_id" for d in p.documents)
        ]


def _matches_applicant(ctx: _Context, name: PersonName | None) -> MatchResult | None:
    if name is None or ctx.applicant.surname is None:
        return None
    return names_match(name, ctx.applicant)


# ---------------------------------------------------------------- identity


def check_identity(ctx: _Context) -> Check:
    """The candidate's identity document, valid or within its grace (5 years for a French CNI/passport)."""
    rules = ctx.rules
    docs = ctx.candidate_ids()
    if not docs:
        return Check("identity", "missing", rules.message("identity_missing"))
    results = [_judge_identity(ctx, d) for d in docs]
    return _best(results)


def _judge_identity(ctx: _Context, doc: Document) -> Check:
    rules = ctx.rules
    subtype = doc.classification.subtype
    kind = rules.identity_kind_labels.get(subtype or "", "pièce d'identité")
    decision = identity_accepted(doc.fields, subtype, ctx.reference, rules)
    validity = decision.validity
    files = (doc.file,)
    if decision.reason == "no_date":
        mrz = doc.fields.mrz
        if mrz is not None and not mrz.valid:
            return Check("identity", "review", rules.message("identity_mrz_invalid", file=doc.file), files)
        if doc.status == "review":
            return Check("identity", "review", rules.message("identity_unreadable", file=doc.file), files)
        return Check("identity", "review", rules.message("identity_no_date", kind=kind), files)
    assert validity.end is not None
    if decision.reason == "ambiguous":
        return Check("identity", "review", rules.message("identity_ambiguous_cni"), files)
    if decision.reason == "expired":
        until = validity.accepted_until or validity.end
        message = rules.message("identity_expired", kind=kind, end=_fmt(validity.end), until=_fmt(until))
        return Check("identity", "fail", message, files)
    if decision.reason == "grace":
        assert validity.accepted_until is not None
        message = rules.message(
            "identity_ok_grace",
            kind=kind,
            end=_fmt(validity.end),
            until=_fmt(validity.accepted_until),
            years=validity.grace_years,
        )
        return Check("identity", "ok", message, files)
    detail = f"valable jusqu'au {_fmt(validity.end)}"
    if validity.extended and validity.printed_end is not None:
        detail += (
            f" (date imprimée {_fmt(validity.printed_end)} prolongée de {rules.cni_old.extension_years} ans)"
        )
    return Check("identity", "ok", rules.message("identity_ok", kind=kind, detail=detail), files)


# ---------------------------------------------------------------- proof of address


@dataclass(frozen=True)
class _ProofEval:
    doc: Document
    kind_ok: bool
    issue: date | None
    recent: bool | None
    in_applicant: bool | None
    in_host: bool
    name_uncertain: bool
    check: Check


def _host_names(ctx: _Context) -> list[PersonName]:
    names = [d.fields.host for d in ctx.of_type("host_attestation") if d.fields.host is not None]
    names += [p.name for p in ctx.others() if p.name.raw.strip() or p.name.surname]
    return names


def _holders(doc: Document) -> list[PersonName]:
    holder = holder_of(doc)
    return ([holder] if holder is not None else []) + list(doc.fields.joint_holders)


def _evaluate_proof(ctx: _Context, doc: Document) -> _ProofEval:
    rules = ctx.rules
    months = rules.max_proof_age_months
    kind = doc.classification.subtype or "other"
    label = rules.proof_kind_labels.get(kind, "justificatif")
    files = (doc.file,)
    issue = doc.fields.issue_date
    if issue is None and doc.fields.twoddoc is not None:
        issue = doc.fields.twoddoc.issue_date
    recent = is_recent(issue, ctx.reference, months) if issue is not None else None

    holders = _holders(doc)
    results = [r for r in (_matches_applicant(ctx, h) for h in holders) if r is not None]
    in_applicant: bool | None
    if any(r.matched for r in results):
        in_applicant = True
    elif (
        not holders or ctx.applicant.surname is None or any(r.uncertain for r in results) or _poorly_read(doc)
    ):
        in_applicant = None
    else:
        in_applicant = False
    uncertain = bool(holders) and in_applicant is None and ctx.applicant.surname is not None
    # someone is a host only once an attestation declares the hosting: without it the proof is simply
    # in another person's name (and the host chain check lists what is missing)
    hosts = _host_names(ctx) if ctx.of_type("host_attestation") else []
    in_host = any(names_match(h, host).matched for h in holders for host in hosts)

    status: CheckStatus
    kind_ok = kind in rules.accepted_proof_kinds
    # no date read, or only a stale one found without its label: other evidence of the age may decide
    date_unsure = issue is None or (not recent and doc.fields.issue_date_source == "position")
    if not kind_ok:
        template = rules.review_proof_kinds.get(kind, rules.review_proof_kinds.get("other", ""))
        status, message = "review", template.format(months=months)
    elif date_unsure and _latest_tax_campaign(ctx, kind, doc.fields.issue_year) is not None:
        # a tax notice's campaign year (« Avis d'impôt 2026 ») says more than a stale date found without its
        # label (« Adresse au 01/01/2026 », the address's reference day, when « Date d'établissement » was lost)
        status, message = _tax_campaign(ctx, doc.fields.issue_year)
        recent = True if status == "ok" else None
    elif date_unsure and _period_vouches(ctx, doc.fields.period_end):
        # the issue date lost (or only a stale date found without its label), but the period the bill charges
        # for ended well inside the age limit: the bill is recent, whatever its exact day
        status = "ok"
        end = _fmt(doc.fields.period_end) if doc.fields.period_end else "?"
        message = rules.message("proof_period_ok", kind=label.capitalize(), end=end, months=months)
        recent = True
    elif issue is None:
        key = "proof_unreadable" if doc.status == "review" else "proof_no_date"
        status, message = "review", rules.message(key, file=doc.file, months=months)
    elif issue > ctx.reference:
        status, message = "review", rules.message("proof_future", file=doc.file, date=_fmt(issue))
    elif not recent and doc.fields.issue_date_source == "position":
        # no issue label before that date (OCR garbled it, or it was a decoy whose own label was garbled:
        # 'Dale de début dé contral'): too unsure for a « non conforme »
        status, message = (
            "review",
            rules.message("proof_stale_unsure", file=doc.file, date=_fmt(issue), months=months),
        )
        recent = None
    elif not recent:
        status, message = _stale(ctx, kind, label, issue)
        if status != "fail":
            recent = None if status == "review" else recent
    else:
        status, message = "ok", rules.message("proof_ok", kind=label, date=_fmt(issue), months=months)
    if status == "fail" and (doc.fields.twoddoc is not None or doc.fields.issue_date_source == "2ddoc"):
        # one of the 2D-Doc and printed dates is stale and the other disagrees: which is true is a human's call
        tampering = _tampering_note(ctx, doc)
        if tampering is not None:
            status, message = "review", rules.message("proof_tampering", file=doc.file, note=tampering)
    if status == "ok":
        tampering = _tampering_note(ctx, doc)
        if tampering is not None:
            status, message = "review", rules.message("proof_tampering", file=doc.file, note=tampering)
        elif looks_handwritten(doc) and kind in rules.handwritten_review_kinds:
            status, message = "review", rules.message("proof_handwritten", file=doc.file)
        elif doc.classification.confidence < rules.proof_min_kind_confidence and doc.fields.twoddoc is None:
            # a shop's invoice that says « Mobile » scores as a phone bill as much as anything else: the
            # kind is what makes a proof acceptable, so a guessed kind is for a human to confirm
            status, message = "review", rules.message("proof_kind_unsure", file=doc.file, kind=label)
    return _ProofEval(
        doc,
        kind_ok,
        issue,
        recent,
        in_applicant,
        in_host,
        uncertain,
        Check("proof_of_address", status, message, files),
    )


# Tesseract's word confidence under which a surname read on a proof is too unsure to call it another
# person's: clean print reads 85–96, a fax's garbled surname 20–40
MIN_HOLDER_CONFIDENCE = 50.0


def _poorly_read(doc: Document) -> bool:
    """The holder's surname was read with little confidence (a fax, a blur): a mismatch on it is for a human
    to look at, not a « non conforme »."""
    confidence = doc.fields.holder_confidence
    return confidence is not None and confidence < MIN_HOLDER_CONFIDENCE


def looks_handwritten(doc: Document) -> bool:
    """A handwritten proof (a private landlord's receipt), not a typed one the stroke detector misjudged.

    The visual stroke detector also fires on typed pages (stamps, signatures, noisy scans). A page whose
    text names a known professional issuer and whose date was read after its printed label was typed by
    that professional, whatever the strokes say.
    """
    fields = doc.fields
    if not fields.handwritten:
        return False
    typed = fields.issuer is not None and (fields.issue_date_source or "").startswith(("label:", "2ddoc"))
    return not typed


def _stale(ctx: _Context, kind: str, label: str, issue: date) -> tuple[CheckStatus, str]:
    """Older than the limit: refused, except a kind with its own window (tax notice: review up to 15 months)."""
    rules = ctx.rules
    months = rules.max_proof_age_months
    window = rules.proof_kind_age.get(kind)
    if window is not None and is_recent(issue, ctx.reference, window.refuse_after):
        if is_recent(issue, ctx.reference, window.review_after):
            return "ok", rules.message("proof_ok", kind=label, date=_fmt(issue), months=window.review_after)
        return "review", rules.message("proof_tax_old", date=_fmt(issue), months=window.review_after)
    cutoff = months_before(ctx.reference, months)
    return "fail", rules.message(
        "proof_stale", kind=label, date=_fmt(issue), months=months, cutoff=_fmt(cutoff)
    )


def _latest_tax_campaign(ctx: _Context, kind: str, year: int | None) -> bool | None:
    """For a tax notice whose dates are unreadable but whose year is known: is it this year's campaign?

    None when that cannot be said (not a tax notice, no year, a year in the future or long past): the
    usual 'date unreadable' review then applies.
    """
    if kind != "tax_notice" or year is None:
        return None
    if year == ctx.reference.year:
        return True
    if year == ctx.reference.year - 1:
        return False
    return None


def _period_vouches(ctx: _Context, period_end: date | None) -> bool:
    """A billing period that ended at least the margin inside the age limit (and not after the reference)."""
    if period_end is None or period_end > ctx.reference:
        return False
    months = ctx.rules.max_proof_age_months - ctx.rules.period_end_margin_months
    return is_recent(period_end, ctx.reference, months)


def _tax_campaign(ctx: _Context, year: int | None) -> tuple[CheckStatus, str]:
    """This year's notice is the latest one (ok); last year's may be the latest but may be over 6 months old."""
    rules = ctx.rules
    months = rules.max_proof_age_months
    if _latest_tax_campaign(ctx, "tax_notice", year):
        return "ok", rules.message("proof_tax_campaign_ok", year=year)
    return "review", rules.message("proof_tax_campaign_old", year=year, months=months)


def _tampering_note(ctx: _Context, doc: Document) -> str | None:
    """A 2D-Doc whose signature is invalid, or a note saying the 2D-Doc and the print disagree."""
    twoddoc = doc.fields.twoddoc
    if twoddoc is not None and twoddoc.signature_status == "invalid":
        return twoddoc.signature_message or "signature 2D-Doc invalide"
    for note in doc.fields.notes:
        low = note.lower()
        if any(marker.lower() in low for marker in ctx.rules.tampering_note_markers):
            return note
    return None


def _proof_rank(p: _ProofEval) -> tuple[bool, bool, int, bool, date]:
    right_name = p.in_applicant is True or p.in_host
    return (p.kind_ok, right_name, -_SEVERITY[p.check.status], p.recent is True, p.issue or date.min)


@dataclass(frozen=True)
class _HostChain:
    check: Check | None
    host_id_present: bool


def check_host_chain(ctx: _Context, best: _ProofEval | None) -> _HostChain:
    """Attestation + host's ID + proof in the host's name, with the host's name consistent across the three."""
    rules = ctx.rules
    months = rules.max_proof_age_months
    attestations = ctx.of_type("host_attestation")
    attestation = next(
        (d for d in attestations if d.fields.host is not None), attestations[0] if attestations else None
    )
    host = attestation.fields.host if attestation is not None else None
    proof_holders = _holders(best.doc) if best is not None else []
    others = ctx.others()
    reference_names = [host] if host is not None else proof_holders
    host_person = next((p for p in others for n in reference_names if names_match(p.name, n).matched), None)
    handwritten_doubt = False
    handwritten_read = False
    if host_person is None and host is not None and attestation is not None:
        # attestations are handwritten as a rule, and the handwriting cue misses some of them: when the
        # host's ID and proof (printed) agree on one person, a reading close to that person is that person
        # read badly (ok); another reading is a doubt on the reading (review) unless it is a clearly read,
        # typed name (then the attestation names someone else: fail)
        host_person = next(
            (p for p in others for n in proof_holders if names_match(p.name, n).matched),
            None,
        )
        printed = (host_person.name, *proof_holders) if host_person is not None else ()
        handwritten_read = any(handwriting_match(host, n).matched for n in printed)
        handwritten_doubt = not handwritten_read and (
            (host_person is not None and any(loosely_alike(host, n) for n in printed))
            or (bool(printed) and _unreliable_reading(attestation, host))
        )
        if not (handwritten_read or handwritten_doubt):
            host_person = None
    if host_person is None and not reference_names and len(others) == 1:
        host_person = others[0]
    host_id_present = host_person is not None
    applies = (best is not None and best.in_applicant is False) or attestation is not None
    if not applies:
        return _HostChain(None, host_id_present)
    files = tuple(d.file for d in attestations) + tuple(
        d.file for d in (host_person.documents if host_person else ())
    )
    if best is not None and best.in_applicant is True:
        status: CheckStatus = "ok"
        key = "host_not_needed"
        if host_person is not None and attestation is not None:
            key = "host_ok"
        return _HostChain(
            Check("host_chain", status, rules.message(key, name=display_name(host)), files), host_id_present
        )
    missing: list[str] = []
    if attestation is None:
        missing.append(rules.message("host_item_attestation"))
    if not others:
        missing.append(rules.message("host_item_id"))
    if best is None:
        missing.append(rules.message("host_item_proof", months=months))
    if missing:
        message = rules.message("host_missing", items=", ".join(missing))
        return _HostChain(Check("host_chain", "missing", message, files), host_id_present)
    assert attestation is not None and best is not None
    findings: list[tuple[CheckStatus, str]] = []
    files += (best.doc.file,)
    if host is None and not proof_holders:
        findings.append(("review", rules.message("host_names_unreadable")))
    elif host is not None:
        proof_vs_host = [names_match(h, host) for h in proof_holders]
        if handwritten_read:
            pass  # the printed ID and proof agree, and the handwriting reads close to them
        elif handwritten_doubt:
            name = display_name(proof_holders[0])
            findings.append(
                ("review", rules.message("host_handwritten_name", proof=name, host=display_name(host)))
            )
        elif proof_holders and not any(r.matched for r in proof_vs_host):
            unsure = any(r.uncertain for r in proof_vs_host) or _unreliable_reading(attestation, host)
            status = "review" if unsure else "fail"
            name = display_name(proof_holders[0])
            findings.append(
                (status, rules.message("host_proof_other_name", proof=name, host=display_name(host)))
            )
        elif not proof_holders:
            findings.append(("review", rules.message("host_names_unreadable")))
        if host_person is None:
            found = ", ".join(display_name(p.name) for p in others)
            status = "review" if _unreliable_reading(attestation, host) else "fail"
            findings.append(
                (status, rules.message("host_id_other_name", found=found, host=display_name(host)))
            )
    else:
        # the attestation is there but its host could not be read (handwriting): that the host's ID and
        # proof agree does not say who signed it, so a person checks the name rather than a silent pass
        findings.append(("review", rules.message("host_names_unreadable")))
    hosted = attestation.fields.hosted
    hosted_match = _matches_applicant(ctx, hosted)
    if (
        hosted is not None
        and hosted_match is not None
        and not hosted_match.matched
        and not handwriting_match(hosted, ctx.applicant).matched
    ):
        findings.append(
            (
                "review",
                rules.message(
                    "host_hosted_mismatch", hosted=display_name(hosted), applicant=display_name(ctx.applicant)
                ),
            )
        )
    host_name = (
        host or (host_person.name if host_person else None) or (proof_holders[0] if proof_holders else None)
    )
    if handwritten_read and host_person is not None:
        host_name = host_person.name  # the printed spelling, not the handwriting's
    parent_hint = ""
    if (
        ctx.age is not None
        and ctx.age < rules.minor_under_age
        and host_name is not None
        and ctx.applicant.surname
    ) and not surnames_match(host_name, ctx.applicant).matched:
        # the parent attests on honour (SP-F31847); a different surname is common (a mother's birth
        # name) and proves nothing, so it is a reminder on the check, not a doubt that blocks the dossier
        parent_hint = " " + rules.message(
            "host_not_parent", host=display_name(host_name), applicant=display_name(ctx.applicant)
        )
    if host_person is not None:
        decisions = [
            identity_accepted(d.fields, d.classification.subtype, ctx.reference, rules)
            for d in host_person.documents
        ]
        if decisions and all(d.status == "fail" for d in decisions):
            end = decisions[0].validity.end
            findings.append(("fail", rules.message("host_id_expired", end=_fmt(end) if end else "?")))
    if attestation.fields.signed is False:
        findings.append(("review", rules.message("host_unsigned")))
    if not findings:
        message = rules.message("host_ok", name=display_name(host_name))
        if handwritten_read:
            message += " " + rules.message("host_handwritten_read", host=display_name(host))
        message += parent_hint
        return _HostChain(Check("host_chain", "ok", message, files), host_id_present)
    checks = [Check("host_chain", s, m, files) for s, m in findings]
    return _HostChain(merge_checks("host_chain", checks), host_id_present)


_VOWELS = frozenset("AEIOUY")
_PARTICLES = frozenset({"de", "du", "da", "di", "le", "la", "d'", "l'"})


def _unreliable_reading(attestation: Document, host: PersonName) -> bool:
    """The attestation's host name as read cannot prove another person: a garbled reading.

    Handwriting OCR misreads whole words; a reading with a speck word ('fe'), no given name, a given name
    no one bears (or, on handwriting, none of the common ones) or a surname without vowels says who signed
    no better than an unreadable one. A clean reading ('Jean BERNARD') still names someone else.
    """
    words = [w for w in host.raw.replace("-", " ").split() if w.strip(".,;:")]
    given = host.given_names
    surname = normalise_name(host.surname or "").replace(" ", "")
    return (
        not given
        or (attestation.fields.handwritten and not is_known_given_name(given[0]))
        or _poorly_read(attestation)
        or any(garbled_given(g) for g in given)
        or any(len(normalise_name(w)) <= 2 and w.islower() and w not in _PARTICLES for w in words)
        or len(surname) < 2
        or not set(surname) & _VOWELS
    )


def check_proof_name(ctx: _Context, best: _ProofEval) -> Check:
    """In the applicant's name (joint holders count), or in the host's name (then the host chain decides)."""
    rules = ctx.rules
    holders = _holders(best.doc)
    files = (best.doc.file,)
    name = display_name(holders[0]) if holders else ""
    if best.in_applicant is True:
        return Check(
            "proof_of_address_name", "ok", rules.message("name_ok", name=display_name(ctx.applicant)), files
        )
    if best.in_host:
        return Check("proof_of_address_name", "ok", rules.message("name_ok_host", name=name), files)
    if best.in_applicant is None:
        key = "name_review" if best.name_uncertain else "name_unreadable"
        if key == "name_unreadable" and holders and not ctx.applicant.surname:
            # the bill's holder was read: it is the candidate's own name that no document gave
            key = "candidate_name_unknown"
        return Check(
            "proof_of_address_name", "review", rules.message(key, name=name, file=best.doc.file), files
        )
    return Check("proof_of_address_name", "fail", rules.message("name_fail", name=name), files)


# ---------------------------------------------------------------- ASSR, JDC, photo, legal representative, residence


def _certificate_check(
    ctx: _Context, code: str, docs: list[Document], labels: dict[str, str] | None
) -> Check | None:
    """Best of the candidate's certificates (ASSR or JDC): in their name, or unreadable → review."""
    rules = ctx.rules
    results: list[Check] = []
    for doc in docs:
        files = (doc.file,)
        kind = (labels or {}).get(doc.classification.subtype or "", code.upper())
        holder = holder_of(doc)
        match = _matches_applicant(ctx, holder)
        if (
            match is not None
            and not match.matched
            and not same_certificate_holder(ctx.applicant, holder, doc.fields.birth_date)
        ):
            # a name read only in part (the surname alone, an initial) is a doubt on the reading, not another
            # person
            partial = holder is not None and all(len(g.strip(".")) <= 1 for g in holder.given_names)
            key = f"{code}_name_partial" if match.uncertain and partial else f"{code}_other_name"
            message = rules.message(key, name=display_name(holder), applicant=display_name(ctx.applicant))
            results.append(Check(code, "review", message, files))
        elif holder is None and doc.status == "review":
            results.append(Check(code, "review", rules.message(f"{code}_unreadable", file=doc.file), files))
        else:
            results.append(Check(code, "ok", rules.message(f"{code}_ok", kind=kind), files))
    return _best(results) if results else None


def check_assr(ctx: _Context) -> Check | None:
    """ASSR 2 / ASR (or an honour statement) for a candidate under 21."""
    rules = ctx.rules
    under = rules.assr_required_under_age
    if ctx.age is not None and ctx.age >= under:
        return None
    docs = [d for d in ctx.of_type("assr") if d.classification.subtype in (*rules.assr_subtypes, None)]
    found = _certificate_check(ctx, "assr", docs, dict(rules.assr_kind_labels))
    if found is not None:
        return found
    if ctx.age is None:
        return Check("assr", "review", rules.message("assr_age_unknown", age=under))
    return Check("assr", "missing", rules.message("assr_missing", age=under))


def check_jdc(ctx: _Context) -> Check | None:
    """A JDC document for a French candidate aged 17 to under 25."""
    rules = ctx.rules
    lo, hi = rules.jdc_min_age, rules.jdc_max_age_exclusive
    nationality = ctx.applicant.nationality
    if ctx.age is not None and not lo <= ctx.age < hi:
        return None
    if nationality is not None and nationality not in rules.jdc_nationalities:
        return None
    if nationality is None and any(
        d.classification.subtype in rules.residence_subtypes for d in ctx.candidate_ids()
    ):
        return None  # nationality unread, but a titre de séjour's holder is never French
    docs = [d for d in ctx.of_type("jdc") if d.classification.subtype in (*rules.jdc_subtypes, None)]
    found = _certificate_check(ctx, "jdc", docs, dict(rules.jdc_kind_labels))
    if found is not None:
        return found
    if ctx.age is None or nationality is None:
        return Check("jdc", "review", rules.message("jdc_age_unknown", min_age=lo, max_age=hi))
    return Check("jdc", "missing", rules.message("jdc_missing", min_age=lo, max_age=hi))


def check_photo(ctx: _Context) -> Check:
    """An e-photo sheet (its code read and shown) or a portrait."""
    rules = ctx.rules
    pattern = re.compile(rules.ephoto_code_pattern)
    results: list[Check] = []
    for doc in ctx.of_type("photo"):
        files = (doc.file,)
        if doc.classification.subtype == "ephoto" or doc.fields.ephoto_code:
            code = re.sub(r"[\s\-]", "", (doc.fields.ephoto_code or "").upper())
            if not code:
                results.append(
                    Check("photo", "review", rules.message("photo_code_unreadable", file=doc.file), files)
                )
            elif not pattern.match(code):
                results.append(
                    Check("photo", "review", rules.message("photo_code_suspicious", code=code), files)
                )
            elif doc.fields.ephoto_code_doubtful and code == doc.fields.ephoto_code:
                marked = mark_doubtful(code, doc.fields.ephoto_code_doubtful)
                message = rules.message("photo_ok_ephoto_doubtful", code=marked)
                results.append(Check("photo", "ok", message, files))
            else:
                results.append(Check("photo", "ok", rules.message("photo_ok_ephoto", code=code), files))
        elif doc.status == "review" and (
            doc.classification.subtype != "portrait"
            or doc.classification.confidence < rules.portrait_min_confidence
        ):
            results.append(Check("photo", "review", rules.message("photo_unreadable", file=doc.file), files))
        elif doc.status == "review":
            # a photo or an e-photo code is required; a portrait typed with confidence is there: ok, with
            # a reminder of what the back office checks by eye
            results.append(
                Check("photo", "ok", rules.message("photo_ok_portrait_check", file=doc.file), files)
            )
        else:
            results.append(Check("photo", "ok", rules.message("photo_ok_portrait"), files))
    return _best(results) if results else Check("photo", "missing", rules.message("photo_missing"))


def check_legal_representative(ctx: _Context) -> Check | None:
    """A minor needs the identity document of a legal representative (an adult other than the candidate)."""
    rules = ctx.rules
    adults = [
        p
        for p in ctx.others()
        if p.birth_date is None or age_on(p.birth_date, ctx.reference) >= rules.minor_under_age
    ]
    if ctx.age is None:
        if adults:
            return None
        return Check("legal_representative", "review", rules.message("legal_rep_age_unknown"))
    if ctx.age >= rules.minor_under_age:
        return None
    if not adults:
        return Check("legal_representative", "missing", rules.message("legal_rep_missing"))
    results: list[Check] = []
    for person in adults:
        files = tuple(d.file for d in person.documents)
        name = display_name(person.name)
        decisions = [
            identity_accepted(d.fields, d.classification.subtype, ctx.reference, rules)
            for d in person.documents
        ]
        if decisions and all(d.status == "fail" for d in decisions):
            results.append(
                Check("legal_representative", "fail", rules.message("legal_rep_expired", name=name), files)
            )
        else:
            results.append(
                Check("legal_representative", "ok", rules.message("legal_rep_ok", name=name), files)
            )
    return _best(results)


# identity documents that do not by themselves say the holder is French (a CNI does, a licence is not read
# for it, a titre de séjour is the permit itself)
_NATIONALITY_UNSTATED = frozenset({"passport", "foreign_id"})


def _unknown_nationality(ctx: _Context) -> Check | None:
    """A candidate whose only identity documents are a passport or a foreign card whose nationality could not
    be read may be a non-EU national: a human checks, rather than the titre de séjour being silently skipped."""
    ids = ctx.candidate_ids()
    if not ids or any(d.classification.subtype not in _NATIONALITY_UNSTATED for d in ids):
        return None
    return Check(
        "residence_permit",
        "review",
        ctx.rules.message("residence_nationality_unknown", file=ids[0].file),
        tuple(d.file for d in ids),
    )


def check_residence_permit(ctx: _Context) -> Check | None:
    """A valid titre de séjour for a candidate who is not an EU/EEA/Swiss national (no grace)."""
    rules = ctx.rules
    nationality = ctx.applicant.nationality
    if nationality is None:
        return _unknown_nationality(ctx)
    if nationality in rules.residence_exempt_nationalities:
        return None
    permits = [d for d in ctx.candidate_ids() if d.classification.subtype in rules.residence_subtypes]
    if not permits:
        permits = [
            d
            for d in ctx.of_type("identity")
            if d.classification.subtype in rules.residence_subtypes
            and ctx.roles.get(document_key(d)) in (None, "other_id")
        ]
    if not permits:
        return Check("residence_permit", "missing", rules.message("residence_missing"))
    results: list[Check] = []
    for doc in permits:
        decision = identity_accepted(doc.fields, doc.classification.subtype, ctx.reference, rules)
        end = decision.validity.end
        files = (doc.file,)
        if decision.reason == "no_date" or end is None:
            results.append(Check("residence_permit", "review", rules.message("residence_no_date"), files))
        elif ctx.reference <= end:
            results.append(
                Check("residence_permit", "ok", rules.message("residence_ok", end=_fmt(end)), files)
            )
        else:
            results.append(
                Check("residence_permit", "fail", rules.message("residence_expired", end=_fmt(end)), files)
            )
    return _best(results)


# ---------------------------------------------------------------- the judge


def judge_dossier(
    documents: Sequence[Document],
    *,
    reference_date: date,
    stated: Applicant | None = None,
    rules: Rules | None = None,
) -> Judgement:
    """Apply the checklist to a dossier's documents at ``reference_date`` (the filing date)."""
    rules = rules or load_rules()
    docs = tuple(documents)
    applicant, roles, candidate_checks = identify_applicant(
        docs, stated, reference_date=reference_date, rules=rules
    )
    age = age_on(applicant.birth_date, reference_date) if applicant.birth_date else None
    ctx = _Context(docs, applicant, roles, reference_date, rules, age, tuple(group_identities(docs)))

    found: dict[str, Check] = {"identity": merge_checks("identity", [check_identity(ctx), *candidate_checks])}
    proofs = [_evaluate_proof(ctx, d) for d in ctx.of_type("proof_of_address")]
    best = max(proofs, key=_proof_rank) if proofs else None
    if best is None:
        found["proof_of_address"] = Check(
            "proof_of_address", "missing", rules.message("proof_missing", months=rules.max_proof_age_months)
        )
    else:
        found["proof_of_address"] = best.check
        found["proof_of_address_name"] = check_proof_name(ctx, best)
    chain = check_host_chain(ctx, best)
    if chain.check is not None:
        found["host_chain"] = chain.check
    for code, rule in (
        ("assr", check_assr),
        ("jdc", check_jdc),
        ("photo", check_photo),
        ("legal_representative", check_legal_representative),
        ("residence_permit", check_residence_permit),
    ):
        result = rule(ctx)
        if result is not None:
            found[code] = result
    checks = tuple(found[code] for code in CHECK_ORDER if code in found)
    attested = bool(ctx.of_type("host_attestation"))
    summary = ProofOfAddress(
        file=best.doc.file if best else None,
        date=best.issue if best else None,
        recent=(best.recent if best.issue is not None else None) if best else None,
        in_applicant_name=best.in_applicant if best else None,
        # a proof in someone else's name needs the host chain; with no proof at all, an attestation
        # d'hébergement says the candidate is hosted, and the chain is what the dossier lacks
        host_attestation_required=(best.in_applicant is False) if best is not None else attested,
        host_attestation_present=attested,
        host_id_present=chain.host_id_present,
    )
    return Judgement(verdict_of(checks), checks, applicant, summary, roles)
