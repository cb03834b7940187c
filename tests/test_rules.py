"""The rules engine over hand-built Document records: a table of rule cases, and rules-as-data."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from preverif.extract.ephoto import mark_doubtful
from preverif.records import (
    Applicant,
    Classification,
    Document,
    Fields,
    MrzResult,
    PersonName,
)
from preverif.rules.config import default_rules_path
from preverif.rules.engine import RulesError, judge_dossier, load_rules

REF = date(2026, 11, 27)
ADULT_BIRTH = date(1996, 5, 10)  # 30 on REF: no ASSR, no JDC


def name(surname: str, given: str) -> PersonName:
    return PersonName(raw=f"{given} {surname}", surname=surname, given_names=tuple(given.split()))


def doc(file: str, kind: str, subtype: str | None = None, status: str = "ok", **fields: Any) -> Document:
    return Document(
        file=file,
        pages=(1,),
        classification=Classification(type=kind, subtype=subtype, confidence=0.9),
        fields=Fields(**fields),
        status=status,  # type: ignore[arg-type]
    )


def ident(
    file: str,
    surname: str,
    given: str,
    birth: date = ADULT_BIRTH,
    subtype: str = "cni_2021",
    expiry: date | None = date(2031, 5, 2),
    nationality: str | None = None,
    status: str = "ok",
) -> Document:
    return doc(
        file,
        "identity",
        subtype,
        status,
        holder=name(surname, given),
        birth_date=birth,
        expiry_date=expiry,
        nationality=nationality,
    )


def bill(
    file: str = "edf.pdf",
    holder: str | None = "M. Paul LEROY",
    issue: date | None = date(2026, 9, 2),
    subtype: str = "electricity",
    **fields: Any,
) -> Document:
    return doc(
        file,
        "proof_of_address",
        subtype,
        holder=PersonName(raw=holder) if holder else None,
        issue_date=issue,
        **fields,
    )


def photo(code: str | None = "ABCDE12345FGHIJ67890KL") -> Document:
    return doc("photo.jpg", "photo", "ephoto", ephoto_code=code)


def cert(kind: str, subtype: str, holder: PersonName | None) -> Document:
    return doc(f"{kind}-{subtype}.pdf", kind, subtype, holder=holder)


def attestation(host: PersonName | None, hosted: PersonName | None) -> Document:
    return doc(
        "attestation.jpg", "host_attestation", None, host=host, hosted=hosted, issue_date=date(2026, 10, 1)
    )


PAUL = ident("cni.jpg", "LEROY", "Paul")
BASE = [PAUL, bill(), photo()]
HOST = ident("cni_hote.jpg", "MOREAU", "Claire", birth=date(1970, 1, 1))
HOST_BILL = bill("facture_hote.pdf", "Mme Claire MOREAU")

# minor: 16 on REF; parent with the same surname
MINOR = ident("cni_enfant.jpg", "LEROY", "Lucas", birth=date(2010, 6, 1))
PARENT = ident("cni_parent.jpg", "LEROY", "Sophie", birth=date(1980, 2, 2))
LUCAS = name("LEROY", "Lucas")
SOPHIE = name("LEROY", "Sophie")
MINOR_BASE = [
    MINOR,
    PARENT,
    bill("facture.pdf", "Mme Sophie LEROY"),
    attestation(SOPHIE, LUCAS),
    cert("assr", "assr2", LUCAS),
    photo(),
]

# 20-year-old French candidate
YOUNG = ident("cni.jpg", "BERNARD", "Inès", birth=date(2006, 3, 1))
INES = name("BERNARD", "Inès")
YOUNG_BASE = [YOUNG, bill(holder="Mme Inès BERNARD"), photo()]


def douel_mrz() -> MrzResult:
    return MrzResult(
        format="cni_old",
        lines=("IDFRADOUEL<<<<<<<<<<<<<<<<<<<<932013", "0506932020438CHRISTIANE<<NI2906209F3"),
        document_code="ID",
        issuing_state="FRA",
        surname="DOUEL",
        given_names=("CHRISTIANE", "NI"),
        document_number="050693202043",
        nationality="FRA",
        birth_date=date(1929, 6, 20),
        sex="F",
        expiry_date=None,
        issue_date=date(2005, 6, 1),
        checks={"number": True, "birth": True, "composite": True},
    )


def passport_mrz(*, issuing_state: str, nationality: str, valid: bool) -> MrzResult:
    """A TD3 band read with the given states; ``valid=False`` makes every check digit fail."""
    keys = ("document_number", "birth_date", "expiry_date", "composite")
    return MrzResult(
        format="td3",
        lines=(),
        document_code="P",
        issuing_state=issuing_state,
        surname="GIRARD",
        given_names=("THOMAS",),
        document_number="55NJ28992",
        nationality=nationality,
        birth_date=None,
        sex="M",
        expiry_date=None,
        issue_date=None,
        checks=dict.fromkeys(keys, valid),
    )


DOUEL = [
    doc("douel.jpg", "identity", "cni", mrz=douel_mrz()),
    bill(holder="Mme Christiane DOUEL", issue=date(2025, 3, 1)),
    photo(),
]

CASES = [
    pytest.param(
        BASE,
        None,
        REF,
        "complete",
        {"identity": "ok", "proof_of_address": "ok", "proof_of_address_name": "ok", "photo": "ok"},
        id="adult-own-proof-complete",
    ),
    pytest.param(
        [PAUL, bill(issue=date(2026, 5, 27)), photo()],
        None,
        REF,
        "complete",
        {"proof_of_address": "ok"},
        id="proof-boundary-day-recent",
    ),
    pytest.param(
        [PAUL, bill(issue=date(2026, 5, 26)), photo()],
        None,
        REF,
        "incomplete",
        {"proof_of_address": "fail"},
        id="proof-day-before-boundary-stale",
    ),
    pytest.param(
        [PAUL, bill(issue=date(2018, 5, 19), issue_date_source="position"), photo()],
        None,
        REF,
        "needs_review",
        {"proof_of_address": "review"},
        id="stale-date-taken-without-its-label-is-review",
    ),
    pytest.param(
        [PAUL, bill(issue=date(2018, 5, 19), issue_date_source="label:Date de facture"), photo()],
        None,
        REF,
        "incomplete",
        {"proof_of_address": "fail"},
        id="stale-labelled-date-fails",
    ),
    pytest.param(
        [PAUL, bill(issue=date(2027, 2, 28)), photo()],
        None,
        date(2027, 8, 31),
        "complete",
        {"proof_of_address": "ok"},
        id="month-end-31aug-boundary-28feb",
    ),
    pytest.param(
        [PAUL, bill(issue=date(2027, 2, 27)), photo()],
        None,
        date(2027, 8, 31),
        "incomplete",
        {"proof_of_address": "fail"},
        id="month-end-31aug-day-before",
    ),
    pytest.param(
        [PAUL, photo()], None, REF, "incomplete", {"proof_of_address": "missing"}, id="proof-missing"
    ),
    pytest.param(
        [PAUL, bill(subtype="home_insurance"), photo()],
        None,
        REF,
        "needs_review",
        {"proof_of_address": "review"},
        id="home-insurance-review",
    ),
    pytest.param(
        [PAUL, bill(subtype="tax_notice", issue=date(2026, 2, 1)), photo()],
        None,
        REF,
        "needs_review",
        {"proof_of_address": "review"},
        id="tax-notice-10-months-review",
    ),
    pytest.param(
        [PAUL, bill(subtype="tax_notice", issue=date(2025, 7, 1)), photo()],
        None,
        REF,
        "incomplete",
        {"proof_of_address": "fail"},
        id="tax-notice-17-months-refused",
    ),
    pytest.param(
        [PAUL, bill(issue=None), photo()],
        None,
        REF,
        "needs_review",
        {"proof_of_address": "review"},
        id="proof-date-unreadable",
    ),
    pytest.param(
        [PAUL, bill(status="review", issue=None), photo()],
        None,
        REF,
        "needs_review",
        {"proof_of_address": "review"},
        id="proof-document-unreadable",
    ),
    pytest.param(
        [PAUL, bill(notes=("2D-Doc et texte imprimé en désaccord (date)",)), photo()],
        None,
        REF,
        "needs_review",
        {"proof_of_address": "review"},
        id="2ddoc-tampering-review",
    ),
    pytest.param(
        [
            PAUL,
            bill(
                issue=date(2025, 6, 25),
                issue_date_source="2ddoc",
                notes=("le 2D-Doc et le texte imprimé ne concordent pas (date) : falsification possible",),
            ),
            photo(),
        ],
        None,
        REF,
        "needs_review",
        {"proof_of_address": "review"},
        id="stale-2ddoc-date-contradicting-the-print-is-review-not-fail",
    ),
    pytest.param(
        [PAUL, bill(subtype="rent_receipt", handwritten=True), photo()],
        None,
        REF,
        "needs_review",
        {"proof_of_address": "review"},
        id="handwritten-rent-receipt",
    ),
    pytest.param(
        [
            PAUL,
            bill(issue=date(2026, 3, 1)),
            bill("free.pdf", issue=date(2026, 10, 1), subtype="internet"),
            photo(),
        ],
        None,
        REF,
        "complete",
        {"proof_of_address": "ok"},
        id="several-proofs-best-wins",
    ),
    pytest.param(
        [PAUL, bill(holder="M. ou Mme Paul LEROY"), photo()],
        None,
        REF,
        "complete",
        {"proof_of_address_name": "ok"},
        id="joint-m-ou-mme",
    ),
    pytest.param(
        [PAUL, bill(holder="M. Paul LEROY et Mme Anne PETIT"), photo()],
        None,
        REF,
        "complete",
        {"proof_of_address_name": "ok"},
        id="joint-m-x-et-mme-y",
    ),
    pytest.param(
        [PAUL, bill(holder="Mme Anne PETIT", joint_holders=(name("LEROY", "Paul"),)), photo()],
        None,
        REF,
        "complete",
        {"proof_of_address_name": "ok"},
        id="joint-holders-field",
    ),
    pytest.param(
        [ident("cni.jpg", "PETIT", "Anne"), bill(holder="Mme LEROY épouse PETIT Anne"), photo()],
        None,
        REF,
        "complete",
        {"proof_of_address_name": "ok"},
        id="usage-name-epouse",
    ),
    pytest.param(
        [PAUL, bill(holder="M. Paul LEROI"), photo()],
        None,
        REF,
        "complete",
        {"proof_of_address_name": "ok"},
        id="ocr-typo-within-bound",
    ),
    pytest.param(
        [PAUL, bill(holder="Paul"), photo()],
        None,
        REF,
        "incomplete",
        {"proof_of_address_name": "fail"},
        id="first-name-only-no-match",
    ),
    pytest.param(
        [PAUL, bill(holder="M. LEROY"), photo()],
        None,
        REF,
        "needs_review",
        {"proof_of_address_name": "review"},
        id="surname-only-review",
    ),
    pytest.param(
        [PAUL, bill(holder="Mme Anne PETIT"), photo()],
        None,
        REF,
        "incomplete",
        {"proof_of_address_name": "fail", "host_chain": "missing"},
        id="other-name-no-host-chain",
    ),
    pytest.param(
        [PAUL, HOST, HOST_BILL, attestation(name("MOREAU", "Claire"), name("LEROY", "Paul")), photo()],
        None,
        REF,
        "complete",
        {"proof_of_address_name": "ok", "host_chain": "ok", "identity": "ok"},
        id="host-chain-complete",
    ),
    pytest.param(
        [PAUL, HOST, HOST_BILL, photo()],
        None,
        REF,
        "incomplete",
        {"host_chain": "missing"},
        id="host-chain-missing-attestation",
    ),
    pytest.param(
        [PAUL, HOST_BILL, attestation(name("MOREAU", "Claire"), name("LEROY", "Paul")), photo()],
        None,
        REF,
        "incomplete",
        {"host_chain": "missing"},
        id="host-chain-missing-host-id",
    ),
    pytest.param(
        [PAUL, HOST, attestation(name("MOREAU", "Claire"), name("LEROY", "Paul")), photo()],
        None,
        REF,
        "incomplete",
        {"proof_of_address": "missing", "host_chain": "missing"},
        id="host-chain-missing-proof",
    ),
    pytest.param(
        [
            PAUL,
            HOST,
            bill("autre.pdf", "M. Marc DURAND"),
            attestation(name("MOREAU", "Claire"), name("LEROY", "Paul")),
            photo(),
        ],
        None,
        REF,
        "incomplete",
        {"host_chain": "fail"},
        id="host-chain-proof-in-third-name",
    ),
    pytest.param(
        [
            PAUL,
            ident("cni_hote.jpg", "DURAND", "Marc", birth=date(1970, 1, 1)),
            HOST_BILL,
            attestation(name("MOREAU", "Claire"), name("LEROY", "Paul")),
            photo(),
        ],
        None,
        REF,
        "incomplete",
        {"host_chain": "fail"},
        id="host-chain-id-of-someone-else",
    ),
    pytest.param(
        [PAUL, HOST, HOST_BILL, attestation(None, None), photo()],
        None,
        REF,
        "needs_review",
        {"host_chain": "review", "proof_of_address_name": "ok"},
        id="host-chain-unreadable-attestation-names-a-person-checks-who-signed",
    ),
    pytest.param(
        [PAUL, bill(), attestation(name("MOREAU", "Claire"), name("LEROY", "Paul")), photo()],
        None,
        REF,
        "complete",
        {"host_chain": "ok"},
        id="attestation-not-needed",
    ),
    pytest.param(
        MINOR_BASE,
        None,
        REF,
        "complete",
        {"legal_representative": "ok", "host_chain": "ok", "assr": "ok"},
        id="minor-with-parent-complete",
    ),
    pytest.param(
        [MINOR, bill("facture.pdf", "M. Lucas LEROY"), cert("assr", "assr2", LUCAS), photo()],
        None,
        REF,
        "incomplete",
        {"legal_representative": "missing"},
        id="minor-without-legal-rep",
    ),
    pytest.param(
        [
            MINOR,
            HOST,
            HOST_BILL,
            attestation(name("MOREAU", "Claire"), LUCAS),
            cert("assr", "assr2", LUCAS),
            photo(),
        ],
        None,
        REF,
        "complete",
        {"host_chain": "ok", "legal_representative": "ok"},
        id="minor-host-not-same-surname",
    ),
    pytest.param(
        [MINOR, PARENT, bill("facture.pdf", "Mme Sophie LEROY"), attestation(SOPHIE, LUCAS), photo()],
        None,
        REF,
        "incomplete",
        {"assr": "missing"},
        id="minor-without-assr",
    ),
    pytest.param(
        [*YOUNG_BASE, cert("assr", "assr2", INES), cert("jdc", "certificate", INES)],
        None,
        REF,
        "complete",
        {"assr": "ok", "jdc": "ok"},
        id="young-french-complete",
    ),
    pytest.param(
        [*YOUNG_BASE, cert("jdc", "certificate", INES)],
        None,
        REF,
        "incomplete",
        {"assr": "missing"},
        id="under-21-without-assr",
    ),
    pytest.param(
        [*YOUNG_BASE, cert("assr", "honour_statement", INES), cert("jdc", "exemption", INES)],
        None,
        REF,
        "complete",
        {"assr": "ok"},
        id="under-21-honour-statement",
    ),
    pytest.param(
        [*YOUNG_BASE, cert("assr", "asr", INES)],
        None,
        REF,
        "incomplete",
        {"jdc": "missing"},
        id="french-17-25-without-jdc",
    ),
    pytest.param(
        [*YOUNG_BASE, cert("assr", "asr", INES), cert("jdc", "certificate", name("BERNARD", "Hugo"))],
        None,
        REF,
        "needs_review",
        {"jdc": "review"},
        id="jdc-in-sibling-name",
    ),
    pytest.param(
        [
            ident("cni.jpg", "BERNARD", "Inès", birth=date(2001, 11, 28)),
            bill(holder="Mme Inès BERNARD"),
            photo(),
        ],
        None,
        REF,
        "incomplete",
        {"jdc": "missing"},
        id="day-before-25th-birthday-jdc-needed",
    ),
    pytest.param(
        [
            ident("cni.jpg", "BERNARD", "Inès", birth=date(2001, 11, 27)),
            bill(holder="Mme Inès BERNARD"),
            photo(),
        ],
        None,
        REF,
        "complete",
        {},
        id="25th-birthday-no-jdc",
    ),
    pytest.param(
        [
            ident("cni.jpg", "BERNARD", "Inès", birth=date(2005, 11, 27)),
            bill(holder="Mme Inès BERNARD"),
            cert("jdc", "certificate", INES),
            photo(),
        ],
        None,
        REF,
        "complete",
        {},
        id="21st-birthday-no-assr",
    ),
    pytest.param(
        [
            ident("cni.jpg", "BERNARD", "Inès", birth=date(2005, 11, 28)),
            bill(holder="Mme Inès BERNARD"),
            cert("jdc", "certificate", INES),
            photo(),
        ],
        None,
        REF,
        "incomplete",
        {"assr": "missing"},
        id="day-before-21st-birthday-assr-needed",
    ),
    pytest.param(
        [
            ident(
                "pass.jpg", "ALAOUI", "Yasmine", birth=date(2006, 1, 1), subtype="passport", nationality="MAR"
            ),
            ident(
                "ts.jpg",
                "ALAOUI",
                "Yasmine",
                birth=date(2006, 1, 1),
                subtype="residence_permit",
                nationality="MAR",
                expiry=date(2027, 6, 1),
            ),
            bill(holder="Mme Yasmine ALAOUI"),
            cert("assr", "asr", name("ALAOUI", "Yasmine")),
            photo(),
        ],
        None,
        REF,
        "complete",
        {"residence_permit": "ok"},
        id="foreigner-no-jdc-with-titre",
    ),
    pytest.param(
        [
            ident(
                "ts.jpg",
                "TRAORÉ",
                "Fanta",
                birth=date(2004, 1, 1),
                subtype="residence_permit",
                nationality=None,
                expiry=date(2027, 6, 1),
            ),
            bill(holder="Mme Fanta TRAORÉ"),
            photo(),
        ],
        None,
        REF,
        "complete",
        {"jdc": None, "identity": "ok"},
        id="titre-nationality-unread-no-jdc",
    ),
    pytest.param(
        [
            ident("pass.jpg", "ALAOUI", "Yasmine", subtype="passport", nationality="MAR"),
            bill(holder="Mme Yasmine ALAOUI"),
            photo(),
        ],
        None,
        REF,
        "incomplete",
        {"residence_permit": "missing"},
        id="foreigner-without-titre",
    ),
    pytest.param(
        [
            ident("pass.jpg", "ALAOUI", "Yasmine", subtype="passport", nationality="MAR"),
            ident(
                "ts.jpg",
                "ALAOUI",
                "Yasmine",
                subtype="residence_permit",
                nationality="MAR",
                expiry=date(2026, 11, 26),
            ),
            bill(holder="Mme Yasmine ALAOUI"),
            photo(),
        ],
        None,
        REF,
        "incomplete",
        {"residence_permit": "fail"},
        id="foreigner-titre-expired-no-grace",
    ),
    pytest.param(
        [
            ident("pass.jpg", "ALAOUI", "Yasmine", subtype="passport", nationality=None),
            bill(holder="Mme Yasmine ALAOUI"),
            photo(),
        ],
        None,
        REF,
        "needs_review",
        {"residence_permit": "review"},
        id="passport-nationality-unread-asks-for-titre",
    ),
    pytest.param(
        [PAUL, bill(holder="M. Paul BIST", holder_confidence=23.2), photo()],
        None,
        REF,
        "needs_review",
        {"proof_of_address_name": "review"},
        id="surname-read-unsure-is-for-a-human",
    ),
    pytest.param(
        [PAUL, bill(holder="M. Paul BIST", holder_confidence=91.0), photo()],
        None,
        REF,
        "incomplete",
        {"proof_of_address_name": "fail"},
        id="surname-read-sure-other-person",
    ),
    pytest.param(
        [PAUL, bill(holder="M. Paul LEROY", holder_confidence=23.2), photo()],
        None,
        REF,
        "complete",
        {"proof_of_address_name": "ok"},
        id="surname-read-unsure-but-matching",
    ),
    pytest.param(
        [
            doc(
                "pass.jpg",
                "identity",
                "passport",
                holder=name("GIRARD", "Thomas"),
                birth_date=date(1990, 7, 9),
                expiry_date=date(2029, 7, 7),
                mrz=passport_mrz(issuing_state="FR", nationality="ZFR", valid=False),
            ),
            bill(holder="M. Thomas GIRARD"),
            photo(),
        ],
        None,
        REF,
        "needs_review",
        {"residence_permit": "review"},
        id="shifted-band-nationality-not-trusted",
    ),
    pytest.param(
        [
            doc(
                "pass.jpg",
                "identity",
                "passport",
                holder=name("ALAOUI", "Yasmine"),
                birth_date=date(1990, 7, 9),
                expiry_date=date(2029, 7, 7),
                mrz=passport_mrz(issuing_state="MAR", nationality="MAR", valid=False),
            ),
            bill(holder="Mme Yasmine ALAOUI"),
            photo(),
        ],
        None,
        REF,
        "incomplete",
        {"residence_permit": "missing"},
        id="failed-band-nationality-agreeing-with-issuer-kept",
    ),
    pytest.param(
        [
            ident("pass.jpg", "ROSSI", "Marco", subtype="passport", nationality="ITA"),
            bill(holder="M. Marco ROSSI"),
            photo(),
        ],
        None,
        REF,
        "complete",
        {},
        id="eu-citizen-no-titre",
    ),
    pytest.param(
        [ident("cni.jpg", "LEROY", "Paul", expiry=date(2023, 1, 1)), bill(), photo()],
        None,
        REF,
        "complete",
        {"identity": "ok"},
        id="expired-cni-inside-grace",
    ),
    pytest.param(
        [ident("cni.jpg", "LEROY", "Paul", expiry=date(2021, 11, 26)), bill(), photo()],
        None,
        REF,
        "incomplete",
        {"identity": "fail"},
        id="expired-cni-outside-grace",
    ),
    pytest.param(
        [
            ident("permis.jpg", "LEROY", "Paul", subtype="driving_licence", expiry=date(2026, 1, 1)),
            bill(),
            photo(),
        ],
        None,
        REF,
        "incomplete",
        {"identity": "fail"},
        id="expired-licence-no-grace",
    ),
    pytest.param(
        [ident("cni.jpg", "LEROY", "Paul", expiry=None), bill(), photo()],
        None,
        REF,
        "needs_review",
        {"identity": "review"},
        id="identity-date-unreadable",
    ),
    pytest.param(
        DOUEL, None, date(2025, 5, 1), "complete", {"identity": "ok"}, id="douel-2004-2013-cni-extended"
    ),
    pytest.param(
        DOUEL,
        None,
        date(2025, 8, 1),
        "incomplete",
        {"identity": "fail"},
        id="douel-beyond-extension-and-grace",
    ),
    pytest.param([bill(), photo()], None, REF, "incomplete", {"identity": "missing"}, id="identity-missing"),
    pytest.param(
        [PAUL, bill(), photo(None)],
        None,
        REF,
        "needs_review",
        {"photo": "review"},
        id="ephoto-code-unreadable",
    ),
    pytest.param(
        [PAUL, bill(), doc("portrait.jpg", "photo", "portrait")],
        None,
        REF,
        "complete",
        {"photo": "ok"},
        id="portrait-photo",
    ),
    pytest.param([PAUL, bill()], None, REF, "incomplete", {"photo": "missing"}, id="photo-missing"),
    pytest.param(
        BASE,
        Applicant(surname="LEROY", given_names=("Paul",), birth_date=ADULT_BIRTH),
        REF,
        "complete",
        {"identity": "ok"},
        id="stated-identity-agrees",
    ),
    pytest.param(
        BASE,
        Applicant(surname="LEROY", given_names=("Paul",), birth_date=date(1996, 5, 11)),
        REF,
        "needs_review",
        {"identity": "review"},
        id="stated-birth-date-disagrees",
    ),
    pytest.param(
        BASE,
        Applicant(surname="LEROY", given_names=("Pierre",)),
        REF,
        "incomplete",
        {"identity": "review", "proof_of_address_name": "fail"},
        id="stated-name-disagrees",
    ),
    pytest.param(
        [PAUL, ident("cni2.jpg", "MARTIN", "Luc"), photo()],
        None,
        REF,
        "incomplete",
        {"identity": "review", "proof_of_address": "missing"},
        id="two-ids-ambiguous",
    ),
    pytest.param(
        [PAUL, ident("cni2.jpg", "MARTIN", "Luc"), bill("f.pdf", "M. Luc MARTIN"), photo()],
        None,
        REF,
        "incomplete",
        {"identity": "ok", "host_chain": "missing"},
        id="two-ids-proof-holder-is-host",
    ),
]


@pytest.mark.parametrize(("documents", "stated", "reference", "verdict", "expected"), CASES)
def test_rule_case(
    documents: list[Document],
    stated: Applicant | None,
    reference: date,
    verdict: str,
    expected: dict[str, str],
) -> None:
    judgement = judge_dossier(documents, reference_date=reference, stated=stated)
    statuses = {c.code: c.status for c in judgement.checks}
    assert {code: statuses.get(code) for code in expected} == expected, judgement.checks
    assert judgement.verdict == verdict, judgement.checks
    for check in judgement.checks:
        assert check.message and "{" not in check.message, check


def test_host_chain_roles_and_summary() -> None:
    documents = [PAUL, HOST, HOST_BILL, attestation(name("MOREAU", "Claire"), name("LEROY", "Paul")), photo()]
    judgement = judge_dossier(documents, reference_date=REF)
    assert judgement.roles == {"cni.jpg#1": "candidate_id", "cni_hote.jpg#1": "host_id"}
    assert judgement.applicant.surname == "LEROY"
    proof = judgement.proof_of_address
    assert (proof.file, proof.date, proof.recent, proof.in_applicant_name) == (
        "facture_hote.pdf",
        date(2026, 9, 2),
        True,
        False,
    )
    assert proof.host_attestation_required and proof.host_attestation_present and proof.host_id_present


@pytest.mark.parametrize(
    ("extra", "required"),
    [
        pytest.param(
            [attestation(name("MOREAU", "Claire"), name("LEROY", "Paul"))], True, id="attested-no-proof"
        ),
        pytest.param([], False, id="no-attestation-no-proof"),
    ],
)
def test_host_chain_required_without_any_proof(extra: list[Document], required: bool) -> None:
    """No proof at all: an attestation d'hébergement still says the candidate is hosted."""
    judgement = judge_dossier([PAUL, HOST, *extra, photo()], reference_date=REF)
    proof = judgement.proof_of_address
    assert proof.file is None
    assert proof.host_attestation_required is required
    assert proof.host_attestation_present is required


def test_minor_candidate_inferred_and_parent_role() -> None:
    judgement = judge_dossier(MINOR_BASE, reference_date=REF)
    assert judgement.applicant.given_names == ("Lucas",)
    assert judgement.roles["cni_parent.jpg#1"] == "host_id"
    assert judgement.roles["cni_enfant.jpg#1"] == "candidate_id"


def test_messages_say_what_to_do() -> None:
    judgement = judge_dossier([PAUL, photo()], reference_date=REF)
    proof = next(c for c in judgement.checks if c.code == "proof_of_address")
    assert proof.message == (
        "Ajoutez un justificatif de domicile de moins de 6 mois (facture d'électricité, de gaz, d'eau, "
        "de téléphone ou d'internet, avis d'imposition ou quittance de loyer d'un professionnel)."
    )


def test_rules_are_data(tmp_path: Path) -> None:
    """A regulation change is a data edit: 3 months instead of 6 turns a 4-month-old bill into a failure."""
    documents = [PAUL, bill(issue=date(2026, 7, 20)), photo()]
    assert judge_dossier(documents, reference_date=REF).verdict == "complete"
    data = json.loads(default_rules_path().read_text(encoding="utf-8"))
    data["proof_of_address"]["max_age_months"] = 3
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    judgement = judge_dossier(documents, reference_date=REF, rules=load_rules(path))
    assert judgement.verdict == "incomplete"
    proof = next(c for c in judgement.checks if c.code == "proof_of_address")
    assert proof.status == "fail" and "3 mois" in proof.message


@pytest.mark.parametrize(
    "content",
    [
        pytest.param('{"format_version": 99}', id="future-version"),
        pytest.param("{not json", id="bad-json"),
        pytest.param('{"format_version": 1}', id="missing-keys"),
        pytest.param('{"format_version": 1, "minor_under_age": "18"}', id="wrong-type"),
        pytest.param("[]", id="not-an-object"),
    ],
)
def test_bad_rules_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "rules.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RulesError):
        load_rules(path)


def test_junk_documents_never_crash() -> None:
    junk = [
        doc("a", "identity", None, status="error"),
        doc("b", "identity", "weird", holder=PersonName(raw="")),
        doc("c", "proof_of_address", None),
        doc("d", "host_attestation", None),
        doc("e", "unknown", None, status="review"),
        doc("f", "assr", None, holder=PersonName(raw="<<<")),
        doc("g", "photo", "ephoto", ephoto_code="--"),
    ]
    judgement = judge_dossier(junk, reference_date=REF)
    assert judgement.verdict in ("incomplete", "needs_review")
    assert judge_dossier([], reference_date=REF).verdict == "incomplete"


# ---------------------------------------------------------------- candidate from the certificates, typed receipts

UNREAD_ID = doc("cni_floue.jpg", "identity", "cni_2021", expiry_date=date(2031, 5, 2))
JDC_INES = doc("jdc.pdf", "jdc", "certificate", holder=name("BERNARD", "Inès"), birth_date=date(2006, 3, 1))
ASSR_INES = doc("assr.pdf", "assr", "assr2", holder=name("BERNARD", "Inès"), birth_date=date(2006, 3, 1))


@pytest.mark.parametrize(
    ("documents", "verdict", "expected"),
    [
        pytest.param(
            [UNREAD_ID, bill(holder="Mme Inès BERNARD"), JDC_INES, ASSR_INES, photo()],
            "complete",
            {"proof_of_address_name": "ok", "assr": "ok", "jdc": "ok"},
            id="id-name-unread-jdc-assr-say-who",
        ),
        pytest.param(
            [UNREAD_ID, bill(holder="M. Luc MARTIN"), JDC_INES, ASSR_INES, photo()],
            "incomplete",
            {"proof_of_address_name": "fail", "host_chain": "missing"},
            id="id-name-unread-bill-of-someone-else",
        ),
        pytest.param(
            [UNREAD_ID, bill(holder="Mme Inès BERNARD"), JDC_INES,
             doc("assr.pdf", "assr", "assr2", holder=name("MARTIN", "Luc"), birth_date=date(2005, 1, 1)), photo()],
            "needs_review",
            {"proof_of_address_name": "review"},
            id="certificates-disagree-fill-nothing",
        ),
    ],
)  # fmt: skip
def test_candidate_completed_from_certificates(
    documents: list[Document], verdict: str, expected: dict[str, str]
) -> None:
    judgement = judge_dossier(documents, reference_date=REF)
    statuses = {c.code: c.status for c in judgement.checks}
    assert {code: statuses.get(code) for code in expected} == expected, judgement.checks
    assert judgement.verdict == verdict, judgement.checks


def test_certificates_give_birth_date_only_when_names_agree() -> None:
    stated_paul = judge_dossier([PAUL, bill(), photo(), JDC_INES], reference_date=REF)
    assert stated_paul.applicant.birth_date == ADULT_BIRTH
    no_birth = doc(
        "cni.jpg", "identity", "cni_2021", holder=name("BERNARD", "Inès"), expiry_date=date(2031, 1, 1)
    )
    judgement = judge_dossier(
        [no_birth, bill(holder="Mme Inès BERNARD"), photo(), JDC_INES], reference_date=REF
    )
    assert judgement.applicant.birth_date == date(2006, 3, 1)


@pytest.mark.parametrize(
    ("issuer", "source", "status"),
    [
        pytest.param("Immobilière 3F", "label:Fait à … le", "ok", id="typed-agency-receipt"),
        pytest.param(None, "label:Fait à … le", "review", id="no-professional-issuer"),
        pytest.param("Foncia", "position", "review", id="date-not-by-label"),
    ],
)
def test_handwritten_flag_on_rent_receipt(issuer: str | None, source: str, status: str) -> None:
    receipt = bill(
        "quittance.pdf",
        "M. Paul LEROY",
        subtype="rent_receipt",
        handwritten=True,
        issuer=issuer,
        issue_date_source=source,
    )
    judgement = judge_dossier([PAUL, receipt, photo()], reference_date=REF)
    proof = next(c for c in judgement.checks if c.code == "proof_of_address")
    assert proof.status == status, proof


def test_minor_host_other_surname_is_a_reminder() -> None:
    """A parent attests on honour; a different surname (a mother's birth name) only adds a reminder."""
    documents = [
        MINOR,
        HOST,
        HOST_BILL,
        attestation(name("MOREAU", "Claire"), LUCAS),
        cert("assr", "assr2", LUCAS),
        photo(),
    ]
    chain = next(c for c in judge_dossier(documents, reference_date=REF).checks if c.code == "host_chain")
    assert chain.status == "ok" and "l'un de ses parents" in chain.message


def test_proof_of_someone_else_without_attestation_is_not_in_host_name() -> None:
    """No attestation declares a host: a proof in the other ID holder's name is simply not the candidate's."""
    documents = [PAUL, HOST, HOST_BILL, photo()]
    statuses = {c.code: c.status for c in judge_dossier(documents, reference_date=REF).checks}
    assert (statuses["proof_of_address_name"], statuses["host_chain"]) == ("fail", "missing")


def _portrait(status: str, confidence: float) -> Document:
    return Document(
        file="portrait.jpg",
        pages=(1,),
        classification=Classification(type="photo", subtype="portrait", confidence=confidence),
        fields=Fields(),
        status=status,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("status", "confidence", "expected"),
    [
        pytest.param("ok", 0.9, "ok", id="portrait-sure"),
        pytest.param("review", 0.6, "ok", id="portrait-review-but-typed-confidently"),
        pytest.param("review", 0.3, "review", id="portrait-review-low-confidence"),
    ],
)
def test_portrait_counts_as_photo(status: str, confidence: float, expected: str) -> None:
    judgement = judge_dossier([PAUL, bill(), _portrait(status, confidence)], reference_date=REF)
    check = next(c for c in judgement.checks if c.code == "photo")
    assert check.status == expected
    if expected == "ok" and status == "review":
        assert "vérifiez" in check.message and "portrait.jpg" in check.message


# ---------------------------------------------------------------- e-photo code read with doubtful characters


@pytest.mark.parametrize(
    ("doubtful", "shown"),
    [
        pytest.param((), "ABCDE12345FGHIJ67890KL", id="certain-code-shown-plain"),
        pytest.param((1, 20), "A[B]CDE12345FGHIJ67890[K]L", id="doubtful-characters-bracketed"),
    ],
)
def test_photo_check_marks_doubtful_ephoto_characters(doubtful: tuple[int, ...], shown: str) -> None:
    sheet = doc(
        "photo.jpg", "photo", "ephoto", ephoto_code="ABCDE12345FGHIJ67890KL", ephoto_code_doubtful=doubtful
    )
    check = next(
        c for c in judge_dossier([PAUL, bill(), sheet], reference_date=REF).checks if c.code == "photo"
    )
    assert check.status == "ok"  # the sheet is there; only the typed code needs a look
    assert shown in check.message
    assert ("recopiez" in check.message) == bool(doubtful)


@pytest.mark.parametrize(
    ("code", "doubtful", "expected"),
    [
        pytest.param("0EPCQ", (), "0EPCQ", id="nothing-doubtful"),
        pytest.param("0EPCQ", (0, 4), "[0]EPC[Q]", id="first-and-last"),
        pytest.param("0EPCQ", (9,), "0EPCQ", id="position-outside-code-ignored"),
    ],
)
def test_mark_doubtful(code: str, doubtful: tuple[int, ...], expected: str) -> None:
    assert mark_doubtful(code, doubtful) == expected


# ---------------------------------------------------------------- handwritten attestation d'hébergement

MAIWENN_ID = ident("cni_hote.jpg", "MARTIN", "Maïwenn", birth=date(1975, 1, 1))
MAIWENN_BILL = bill("facture_hote.pdf", "Mme Maïwenn MARTIN")


def written(
    host: PersonName | None,
    hosted: PersonName | None = None,
    handwritten: bool = True,
    confidence: float | None = None,
) -> Document:
    """An attestation whose names were read from handwriting (``handwritten``: the visual cue fired);
    ``confidence`` is OCR's in the host's surname."""
    return doc(
        "attestation.jpg",
        "host_attestation",
        None,
        host=host,
        hosted=hosted,
        issue_date=date(2026, 10, 1),
        handwritten=handwritten,
        holder_confidence=confidence,
    )


@pytest.mark.parametrize(
    ("attestation_doc", "status", "in_message"),
    [
        pytest.param(
            written(PersonName(raw="Maïwenn MARTIM", surname="MARTIM", given_names=("Maïwenn",))),
            "ok",
            "MARTIM",
            id="handwritten-surname-one-letter-off-ok",
        ),
        pytest.param(
            written(
                PersonName(raw="Maiwen MARTIN", surname="MARTIN", given_names=("Maiwen",)), handwritten=False
            ),
            "ok",
            "Maiwen",
            id="cue-missed-handwriting-close-reading-ok",
        ),
        pytest.param(
            written(PersonName(raw="MARTIN", surname="MARTIN")),
            "ok",
            "MARTIN",
            id="handwritten-given-names-lost-surname-alone-ok",
        ),
        pytest.param(
            written(
                PersonName(raw="fe TILAIWENY", surname="TILAIWENY", given_names=("fe",)), handwritten=False
            ),
            "review",
            "TILAIWENY",
            id="garbled-reading-is-review-never-fail",
        ),
        pytest.param(
            written(
                PersonName(raw="Missatou Rose PURELIP", surname="PURELIP", given_names=("Missatou", "Rose"))
            ),
            "review",
            "PURELIP",
            id="handwritten-other-surname-is-review",
        ),
        pytest.param(
            written(PersonName(raw="Paul MARTIN", surname="MARTIN", given_names=("Paul",))),
            "review",
            "Paul",
            id="handwritten-same-surname-other-given-name-is-not-ok",
        ),
        pytest.param(
            written(PersonName(raw="Maïwenn MARTINEZ", surname="MARTINEZ", given_names=("Maïwenn",))),
            "review",
            "MARTINEZ",
            id="near-surname-of-another-family-is-not-ok",
        ),
        pytest.param(
            written(
                PersonName(raw="Marc DURAND", surname="DURAND", given_names=("Marc",)), handwritten=False
            ),
            "fail",
            "DURAND",
            id="typed-clearly-other-person-is-fail",
        ),
        pytest.param(
            written(
                PersonName(raw="Marc DURAND", surname="DURAND", given_names=("Marc",)),
                handwritten=False,
                confidence=12.0,
            ),
            "review",
            "DURAND",
            id="cue-missed-surname-read-unsure-is-review",
        ),
        pytest.param(
            written(PersonName(raw="Marc DURAND", surname="DURAND", given_names=("Marc",))),
            "fail",
            "DURAND",
            id="handwritten-but-clearly-read-other-person-is-fail",
        ),
        pytest.param(
            written(PersonName(raw="Kzarn DURAND", surname="DURAND", given_names=("Kzarn",))),
            "review",
            "DURAND",
            id="handwritten-other-name-not-clearly-read-is-review",
        ),
        pytest.param(
            written(None, handwritten=True),
            "review",
            "pas pu être lus",
            id="handwritten-unreadable-is-review",
        ),
    ],
)
def test_handwritten_host_reading(attestation_doc: Document, status: str, in_message: str) -> None:
    """ID and proof (printed) agree on the host: a close handwritten reading is that host; anything else
    is a human's call, and only a clearly read, typed other name refuses the chain."""
    documents = [PAUL, MAIWENN_ID, MAIWENN_BILL, attestation_doc, photo()]
    chain = next(c for c in judge_dossier(documents, reference_date=REF).checks if c.code == "host_chain")
    assert chain.status == status, chain
    assert in_message in chain.message


@pytest.mark.parametrize(
    ("hosted", "status"),
    [
        pytest.param(
            PersonName(raw="Paol LEROI", surname="LEROI", given_names=("Paol",)), "ok", id="hosted-close"
        ),
        pytest.param(
            PersonName(raw="Jean DUPUIS", surname="DUPUIS", given_names=("Jean",)),
            "review",
            id="hosted-other",
        ),
    ],
)
def test_handwritten_hosted_reading(hosted: PersonName, status: str) -> None:
    host = PersonName(raw="Maïwenn MARTIN", surname="MARTIN", given_names=("Maïwenn",))
    documents = [PAUL, MAIWENN_ID, MAIWENN_BILL, written(host, hosted), photo()]
    chain = next(c for c in judge_dossier(documents, reference_date=REF).checks if c.code == "host_chain")
    assert chain.status == status, chain


@pytest.mark.parametrize(
    ("holder", "partial"),
    [
        pytest.param(PersonName(raw="LAMBERT", surname="LAMBERT"), True, id="surname-alone"),
        pytest.param(
            PersonName(raw="LAMBERT E.", surname="LAMBERT", given_names=("E.",)), True, id="initial"
        ),
        pytest.param(name("LAMBERT", "Chloé"), False, id="another-given-name"),
    ],
)
def test_certificate_read_in_part_is_not_called_someone_elses(holder: PersonName, partial: bool) -> None:
    """An ASSR whose given names were lost is « à vérifier » either way; the message says what was read."""
    young = ident("cni.jpg", "LAMBERT", "Élodie", birth=date(2008, 12, 18))
    judgement = judge_dossier(
        [young, bill(holder="Mme Élodie LAMBERT"), cert("assr", "assr2", holder), photo()], reference_date=REF
    )
    assr = next(c for c in judgement.checks if c.code == "assr")
    assert assr.status == "review"
    assert ("seule une partie du nom" in assr.message) is partial
    assert ("pas du candidat" in assr.message) is not partial
