"""Who is the candidate? The identity stated by the back office, or else the one the documents point to.

With a host or a legal representative in the dossier there are several identity documents. The host is the
person named as host in the attestation and/or holding the proof of address; the candidate is the person
named on the JDC / ASSR or hosted in the attestation, or else the other one. When nothing decides, the
choice is reported as a ``review`` check on ``identity`` — never a silent guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from rapidfuzz.distance import Levenshtein

from preverif.extract.names import clean_mrz_surname, drop_filler_names, parse_person_name
from preverif.records import Applicant, Check, Document, PersonName
from preverif.rules.config import Rules, load_rules
from preverif.rules.matching import display_name, names_match, normalise_name
from preverif.rules.validity import age_on

FRENCH_SUBTYPES = frozenset({"cni", "cni_2021"})
CERTIFICATE_TYPES = frozenset({"jdc", "assr"})


@dataclass(frozen=True)
class IdentityHolder:
    """One person holding one or more identity documents of the dossier."""

    name: PersonName
    birth_date: date | None
    nationality: str | None
    documents: tuple[Document, ...]


def document_key(doc: Document) -> str:
    """'file#1,2': the key of a document in ``Judgement.roles`` (one file may hold several documents)."""
    return f"{doc.file}#{','.join(str(p) for p in doc.pages)}"


def holder_of(doc: Document) -> PersonName | None:
    """The holder as printed, else as read in a valid MRZ."""
    holder = doc.fields.holder
    if holder is not None and (holder.surname or holder.raw.strip()):
        return holder
    mrz = doc.fields.mrz
    surname = clean_mrz_surname(mrz.surname) if mrz is not None else None
    if mrz is not None and surname:
        given = drop_filler_names(mrz.given_names)  # the filler '<<<<' misread as letters is no name
        return PersonName(raw=f"{surname} {' '.join(given)}".strip(), surname=surname, given_names=given)
    return None


def birth_of(doc: Document) -> date | None:
    """Birth date as printed, else from a valid MRZ."""
    if doc.fields.birth_date is not None:
        return doc.fields.birth_date
    mrz = doc.fields.mrz
    return mrz.birth_date if mrz is not None and mrz.valid else None


def nationality_of(doc: Document) -> str | None:
    """Nationality (ISO alpha-3): a French CNI says FRA; else printed, else MRZ. A band whose check digits
    fail gives its nationality only when the issuing state reads the same: a shifted reading ('ZFR') would
    otherwise make a French candidate a foreigner who needs a titre de séjour."""
    if doc.classification.subtype in FRENCH_SUBTYPES:
        return "FRA"
    if doc.fields.nationality:
        return doc.fields.nationality
    mrz = doc.fields.mrz
    if mrz is None or not mrz.nationality:
        return None
    if mrz.valid or mrz.nationality == mrz.issuing_state:
        return mrz.nationality
    return None


def identity_documents(documents: Sequence[Document]) -> list[Document]:
    """Documents classified as identity documents (unreadable ones included, errors excluded)."""
    return [d for d in documents if d.classification.type == "identity" and d.status != "error"]


def _same_person(a: IdentityHolder, name: PersonName, birth: date | None) -> bool:
    if a.birth_date is not None and birth is not None and a.birth_date != birth:
        return False
    return names_match(a.name, name).matched


def _band_read(doc: Document) -> bool:
    """The document's holder comes with a valid MRZ: a reading the check digits stand behind."""
    return doc.fields.mrz is not None and doc.fields.mrz.valid


def _misread_copy(group: IdentityHolder, doc: Document, name: PersonName, birth: date | None) -> bool:
    """The same card read twice, once badly: a recto scanned apart from its verso, a visual zone beside the
    band. Same birth date, and either close surnames and close first given names (« Huge » for « HUGO ») or
    the same given names beside a surname too short to be one (« T »). Only where at most one of the two
    readings has a valid band behind it: two valid bands alike are twins, not a misreading."""
    if birth is None or group.birth_date != birth:
        return False
    if _band_read(doc) and any(_band_read(d) for d in group.documents):
        return False
    a, b = group.name, name
    if a.surname and b.surname and _near_surname(a.surname, b.surname):
        return _near_given(a.given_names, b.given_names)
    given_a, given_b = normalise_name(" ".join(a.given_names)), normalise_name(" ".join(b.given_names))
    stub = min(len(normalise_name(x.surname or "").replace(" ", "")) for x in (a, b))
    return bool(given_a) and given_a == given_b and stub <= 2


def _better_reading(group: IdentityHolder, doc: Document, name: PersonName) -> PersonName:
    """Of two readings of one card, the band-backed one (else the group's)."""
    return name if _band_read(doc) and name.surname else group.name


def group_identities(documents: Sequence[Document]) -> list[IdentityHolder]:
    """Identity documents grouped by person (name match, and equal birth dates when both are known; or one
    card read twice, once badly)."""
    groups: list[IdentityHolder] = []
    for doc in identity_documents(documents):
        name = holder_of(doc) or PersonName(raw="")
        birth = birth_of(doc)
        for i, group in enumerate(groups):
            if not name.raw.strip():
                continue
            if _same_person(group, name, birth):
                better = group.name if group.name.surname and group.name.given_names else name
            elif _misread_copy(group, doc, name, birth):
                better = _better_reading(group, doc, name)
            else:
                continue
            groups[i] = IdentityHolder(
                better,
                group.birth_date or birth,
                group.nationality or nationality_of(doc),
                (*group.documents, doc),
            )
            break
        else:
            groups.append(IdentityHolder(name, birth, nationality_of(doc), (doc,)))
    return groups


def _matches(person: IdentityHolder, name: PersonName | None) -> bool:
    return name is not None and names_match(person.name, name).matched


def _applicant_from(person: IdentityHolder, source: str = "documents") -> Applicant:
    name = person.name
    surname = name.surname
    given = name.given_names
    if not surname:  # only a raw line was read: keep it whole rather than guess the split
        surname = name.raw.strip() or None
    return Applicant(
        surname=surname,
        given_names=tuple(given),
        birth_date=person.birth_date,
        nationality=person.nationality,
        source="documents" if source == "documents" else "stated",
        usage_surname=name.usage_surname,
    )


def _score(person: IdentityHolder, documents: Sequence[Document]) -> tuple[int, bool]:
    """(score, strong): higher → candidate, negative → host. Strong when JDC/ASSR/attestation decided."""
    score, strong = 0, False
    attestations = [d for d in documents if d.classification.type == "host_attestation"]
    for doc in documents:
        if doc.classification.type not in ("jdc", "assr") or not _matches(person, holder_of(doc)):
            continue
        born = birth_of(doc)
        if person.birth_date is not None and born is not None and born != person.birth_date:
            continue  # a parent and a child may share their names ('Hélène' and 'Hélène Marie'), not a birthday
        score, strong = score + 2, True
    for doc in attestations:
        if _matches(person, doc.fields.hosted):
            score, strong = score + 2, True
        if _matches(person, doc.fields.host):
            score, strong = score - 2, True
    for doc in documents:
        if doc.classification.type == "proof_of_address" and _matches(person, holder_of(doc)):
            # two IDs: the holder of the proof is the host, the candidate the other one
            score, strong = score - 1, True
    return score, strong


def _infer(
    persons: list[IdentityHolder], documents: Sequence[Document], reference: date | None, rules: Rules
) -> tuple[IdentityHolder | None, Applicant | None, list[Check]]:
    """Pick the candidate among several identity holders, or say why it is ambiguous."""
    hosted = next(
        (
            d.fields.hosted
            for d in documents
            if d.classification.type == "host_attestation" and d.fields.hosted
        ),
        None,
    )
    if not persons:
        return None, (_applicant_from_name(hosted) if hosted is not None else None), []
    if len(persons) == 1:
        only = persons[0]
        attested_host = any(
            _matches(only, d.fields.host) for d in documents if d.classification.type == "host_attestation"
        )
        if attested_host and hosted is not None and not _matches(only, hosted):
            # the only ID is the host's: the candidate is the hosted person, whose ID is missing
            return None, _applicant_from_name(hosted), []
        return only, None, []
    scored = [(_score(p, documents), p) for p in persons]
    scored.sort(key=lambda item: item[0][0], reverse=True)
    (top, _), best = scored[0]
    second = scored[1][0][0]
    if top > second and any(strong for (_, strong), _ in scored):
        return best, None, []
    minors = [p for p in persons if _is_minor(p, reference, rules)]
    guess = minors[0] if len(minors) == 1 else (best if top > second else persons[0])
    names = ", ".join(display_name(p.name) for p in persons)
    check = Check(
        "identity",
        "review",
        rules.message("candidate_ambiguous", names=names),
        tuple(d.file for p in persons for d in p.documents),
    )
    return guess, None, [check]


def _is_minor(person: IdentityHolder, reference: date | None, rules: Rules) -> bool:
    if person.birth_date is None or reference is None:
        return False
    return age_on(person.birth_date, reference) < rules.minor_under_age


def _applicant_from_name(name: PersonName) -> Applicant:
    return Applicant(
        surname=name.surname or name.raw.strip() or None, given_names=name.given_names, source="documents"
    )


def _role_of(
    person: IdentityHolder,
    documents: Sequence[Document],
    candidate_minor: bool,
    applicant: Applicant,
    reference: date | None,
    rules: Rules,
) -> str:
    for doc in documents:
        if doc.classification.type == "host_attestation" and _matches(person, doc.fields.host):
            return "host_id"
    for doc in documents:
        holder = holder_of(doc)
        if (
            doc.classification.type == "proof_of_address"
            and holder is not None
            and _matches(person, holder)
            and not names_match(applicant, holder).matched
        ):
            return "host_id"
    if candidate_minor and not _is_minor(person, reference, rules):
        return "legal_rep_id"
    return "other_id"


def identify_applicant(
    documents: Sequence[Document],
    stated: Applicant | None,
    *,
    reference_date: date | None = None,
    rules: Rules | None = None,
) -> tuple[Applicant, dict[str, str], list[Check]]:
    """The candidate, the role of every identity document ('file#pages' → role), and review checks."""
    rules = rules or load_rules()
    persons = group_identities(documents)
    checks: list[Check] = []
    chosen: IdentityHolder | None = None
    if stated is not None and stated.surname:
        applicant, chosen, checks = _use_stated(stated, persons, rules)
    else:
        chosen, from_name, checks = _infer(persons, documents, reference_date, rules)
        if chosen is not None:
            applicant = _applicant_from(chosen)
        elif from_name is not None:
            applicant = from_name
        else:
            applicant = Applicant(surname=None, source="unknown")
    applicant = complete_from_certificates(applicant, documents)
    if applicant.source == "documents":
        reconciled = reconcile_spelling(applicant, documents)
        if reconciled != applicant:  # the certificates now match the candidate: they may fill the birth date
            applicant = complete_from_certificates(reconciled, documents)
    minor = applicant.birth_date is not None and (
        reference_date is not None and age_on(applicant.birth_date, reference_date) < rules.minor_under_age
    )
    roles: dict[str, str] = {}
    for person in persons:
        role = (
            "candidate_id"
            if person is chosen
            else _role_of(person, documents, minor, applicant, reference_date, rules)
        )
        for doc in person.documents:
            roles[document_key(doc)] = role
    return applicant, roles, checks


def _certificate_people(documents: Sequence[Document]) -> list[tuple[PersonName, date | None]]:
    """(holder, birth date) of every JDC / ASSR document: they are always about the candidate."""
    out: list[tuple[PersonName, date | None]] = []
    for doc in documents:
        if doc.classification.type in CERTIFICATE_TYPES and doc.status != "error":
            holder = holder_of(doc)
            if holder is not None and holder.surname and holder.given_names:
                out.append((holder, doc.fields.birth_date))
    return out


def complete_from_certificates(applicant: Applicant, documents: Sequence[Document]) -> Applicant:
    """Fill what the identity document did not give (name, birth date) from the JDC / ASSR documents.

    A JDC or ASSR is always the candidate's own, so when the candidate's ID is unreadable (no valid MRZ, a
    blurred visual zone) its holder and printed birth date still say who the candidate is. Only documents
    that agree with each other (and with the name already known) are used: a disagreement fills nothing.
    """
    people = _certificate_people(documents)
    if applicant.surname:
        people = [(n, b) for n, b in people if names_match(n, applicant).matched]
    elif people:
        first = people[0][0]
        if not all(names_match(first, n).matched for n, _ in people[1:]):
            return applicant
    if not people:
        return applicant
    births = {b for _, b in people if b is not None}
    birth = applicant.birth_date
    if birth is None and len(births) == 1:
        birth = births.pop()
    surname, given = applicant.surname, applicant.given_names
    if not surname:
        best = max((n for n, _ in people), key=lambda n: len(n.given_names))
        surname, given = best.surname, best.given_names
    elif not given:
        given = max((n.given_names for n, _ in people), key=len)
    if (surname, given, birth) == (applicant.surname, applicant.given_names, applicant.birth_date):
        return applicant
    return replace(
        applicant,
        surname=surname,
        given_names=tuple(given),
        birth_date=birth,
        source="documents" if applicant.source == "unknown" else applicant.source,
    )


def _near_surname(a: str, b: str) -> bool:
    """Same surname up to OCR noise: close spellings, or one read with noise glued in front of the other."""
    x, y = normalise_name(a).replace(" ", ""), normalise_name(b).replace(" ", "")
    if not x or not y:
        return False
    if x == y:
        return True
    short, long_ = sorted((x, y), key=len)
    if len(short) >= 5 and long_.endswith(short):
        return True
    return len(short) >= 4 and Levenshtein.normalized_similarity(x, y) >= 0.75


def _near_given(a: Sequence[str], b: Sequence[str]) -> bool:
    """First given names alike (same initial, at most one misread letter in a short name)."""
    x, y = normalise_name(" ".join(a)).split(), normalise_name(" ".join(b)).split()
    if not x or not y or x[0][0] != y[0][0]:
        return False
    return Levenshtein.distance(x[0], y[0]) <= max(1, len(min(x[0], y[0], key=len)) // 4)


def _vote(spellings: Sequence[tuple[str, int]]) -> str:
    """The spelling most sources share (accents and case aside); ties go to the highest priority."""
    counts: dict[str, int] = {}
    for text, _ in spellings:
        key = normalise_name(text)
        counts[key] = counts.get(key, 0) + 1
    return max(spellings, key=lambda item: (counts[normalise_name(item[0])], item[1]))[0]


def same_certificate_holder(applicant: Applicant, name: PersonName | None, birth: date | None) -> bool:
    """A JDC / ASSR holder read with a misread letter ('Jodo' for 'JOAO') but the candidate's birth date.

    The certificate is always the candidate's own: the SAME birth date, a close surname and a close first
    given name (same initial) say it is the candidate, not another person.
    """
    return (
        name is not None
        and applicant.birth_date is not None
        and birth == applicant.birth_date
        and bool(name.surname and applicant.surname)
        and _near_surname(name.surname or "", applicant.surname or "")
        and _near_given(name.given_names, applicant.given_names)
    )


def loosely_alike(a: PersonName, b: PersonName) -> bool:
    """Two readings that may be one person badly read: the surnames or the first given names are close.

    Used only for handwriting, whose OCR garbles whole words; two names sharing neither a close surname
    nor a close first given name clearly differ.
    """
    a, b = (parse_person_name(n.raw) if not n.surname and n.raw.strip() else n for n in (a, b))
    x, y = normalise_name(" ".join(a.given_names)).split(), normalise_name(" ".join(b.given_names)).split()
    given_close = bool(x and y) and Levenshtein.normalized_similarity(x[0], y[0]) >= 0.7
    return given_close or _near_surname(a.surname or a.raw, b.surname or b.raw)


def _agreeing_certificates(applicant: Applicant, documents: Sequence[Document]) -> list[PersonName]:
    """Two or more JDC / ASSR that agree with each other, and with the ID on the surname and first given name.

    Without a birth date to tie them (or with one misread on the ID's visual zone), certificates still
    outvote the ID's reading of the OTHER given names ('Camille Hangoise' against two 'Camille Françoise'):
    the same exact surname and first given name on independent documents say it is the same person.
    """
    first = normalise_name(applicant.given_names[0]) if applicant.given_names else ""
    surname = normalise_name(applicant.surname or "")
    same = [
        n
        for n, _ in _certificate_people(documents)
        if normalise_name(n.surname or "") == surname
        and n.given_names
        and normalise_name(n.given_names[0]) == first
    ]
    if len(same) < 2 or not first or not all(names_match(same[0], n).matched for n in same[1:]):
        return []
    return same


def _structured_holder(doc: Document) -> PersonName | None:
    """The holder with its surname split out (a raw printed line is parsed)."""
    holder = holder_of(doc)
    if holder is not None and not holder.surname and holder.raw.strip():
        return parse_person_name(holder.raw)
    return holder


def reconcile_spelling(applicant: Applicant, documents: Sequence[Document]) -> Applicant:
    """The candidate's spelling agreed by the JDC / ASSR and proofs when the ID's reading is garbled.

    A name carries no check digit: an MRZ or a blurred visual zone may read 'ANK' for 'ANA' or glue noise
    to the surname. Only when a JDC / ASSR (always the candidate's own) has the SAME birth date, a close
    surname and a close first given name is the spelling voted among the ID, the certificates and the
    proofs of address that are close too — a different person is never taken for the candidate.
    """
    if not applicant.surname:
        return applicant
    certificates = [n for n, b in _certificate_people(documents) if same_certificate_holder(applicant, n, b)]
    if not certificates:
        certificates = _agreeing_certificates(applicant, documents)
    if not certificates or any(names_match(n, applicant).matched for n in certificates):
        return applicant
    proofs = [
        h
        for d in documents
        if d.classification.type == "proof_of_address" and d.status != "error"
        for h in [_structured_holder(d)]
        if h is not None and h.surname and _near_surname(h.surname, applicant.surname)
    ]
    # priority on ties: a printed certificate over a proof over the garbled ID reading
    surnames = [(applicant.surname, 0)] + [(n.surname or "", 2) for n in certificates]
    surnames += [(h.surname or "", 1) for h in proofs]
    given_sources = [(" ".join(applicant.given_names), 0)] + [
        (" ".join(n.given_names), 2) for n in certificates
    ]
    given_sources += [
        (" ".join(h.given_names), 1) for h in proofs if _near_given(h.given_names, applicant.given_names)
    ]
    surname = _vote([s for s in surnames if s[0]])
    given_text = _vote([g for g in given_sources if g[0]])
    by_text = {" ".join(n.given_names): n.given_names for n in (*certificates, *proofs)}
    given = tuple(by_text.get(given_text, applicant.given_names))
    if surname == applicant.surname and given == tuple(applicant.given_names):
        return applicant
    return replace(applicant, surname=surname, given_names=given)


def _use_stated(
    stated: Applicant, persons: list[IdentityHolder], rules: Rules
) -> tuple[Applicant, IdentityHolder | None, list[Check]]:
    """The stated identity wins; the documents fill what it lacks; a disagreement is a review."""
    stated = Applicant(
        surname=stated.surname,
        given_names=stated.given_names,
        birth_date=stated.birth_date,
        nationality=stated.nationality,
        source="stated",
        usage_surname=stated.usage_surname,
    )
    matched = [p for p in persons if names_match(p.name, stated).matched]
    checks: list[Check] = []
    chosen: IdentityHolder | None = None
    if matched:
        with_birth = [
            p for p in matched if stated.birth_date is None or p.birth_date in (None, stated.birth_date)
        ]
        chosen = with_birth[0] if with_birth else matched[0]
        if not with_birth and chosen.birth_date is not None and stated.birth_date is not None:
            checks.append(
                Check(
                    "identity",
                    "review",
                    rules.message(
                        "stated_birth_mismatch",
                        stated=stated.birth_date.strftime("%d/%m/%Y"),
                        found=chosen.birth_date.strftime("%d/%m/%Y"),
                    ),
                    tuple(d.file for d in chosen.documents),
                )
            )
    elif persons:
        by_birth = [p for p in persons if stated.birth_date is not None and p.birth_date == stated.birth_date]
        near = by_birth or (persons if len(persons) == 1 else [])
        if near:
            chosen = near[0]
            found = display_name(chosen.name)
            message = rules.message("stated_mismatch", stated=display_name(stated), found=found)
        else:
            message = rules.message("stated_no_document", stated=display_name(stated))
        checks.append(
            Check("identity", "review", message, tuple(d.file for p in persons for d in p.documents))
        )
    applicant = Applicant(
        surname=stated.surname,
        given_names=stated.given_names,
        birth_date=stated.birth_date or (chosen.birth_date if chosen else None),
        nationality=stated.nationality or (chosen.nationality if chosen else None),
        source="stated",
        # the stated name may omit the usage name the ID prints: a proof in that name is still the candidate's
        usage_surname=stated.usage_surname or (chosen.name.usage_surname if chosen else None),
    )
    return applicant, chosen, checks
