"""Garbled readings of the candidate's or host's name: MRZ padding noise, a misread letter on the ID
reconciled with the JDC, truncated MRZ given names, handwritten host names, and the tax notice's date
printed in a column apart from its label."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from preverif.extract.dates import pick_column_date
from preverif.extract.names import clean_mrz_surname
from preverif.records import Applicant, Classification, Document, Fields, PersonName
from preverif.rules.candidate import loosely_alike, same_certificate_holder
from preverif.rules.engine import judge_dossier
from preverif.rules.matching import names_match

REF = date(2026, 11, 27)
BIRTH = date(2005, 7, 3)  # 21 on REF: JDC required, no ASSR


def pn(surname: str, given: str, raw: str | None = None) -> PersonName:
    return PersonName(raw=raw or f"{given} {surname}", surname=surname, given_names=tuple(given.split()))


def doc(file: str, kind: str, subtype: str | None, **fields: Any) -> Document:
    return Document(
        file=file,
        pages=(1,),
        classification=Classification(type=kind, subtype=subtype, confidence=0.9),
        fields=Fields(**fields),
    )


def checks(documents: list[Document]) -> dict[str, str]:
    return {c.code: c.status for c in judge_dossier(documents, reference_date=REF).checks}


def photo() -> Document:
    return doc("photo.jpg", "photo", "ephoto", ephoto_code="ABCDE12345FGHIJ67890KL")


@pytest.mark.parametrize(
    ("surname", "expected"),
    [
        pytest.param("RICHARD          GG GGGAG", "RICHARD", id="padding-noise"),
        pytest.param("ETIT<<<<<<<<G<<<<S", "ETIT", id="fillers-kept-as-chevrons"),
        pytest.param("DE LA FONTAINE", "DE LA FONTAINE", id="compound-kept"),
        pytest.param("  ", None, id="blank"),
        pytest.param(None, None, id="none"),
    ],
)
def test_clean_mrz_surname(surname: str | None, expected: str | None) -> None:
    assert clean_mrz_surname(surname) == expected


def _dossier(
    id_holder: PersonName, jdc_holder: PersonName, bill_holder: str, jdc_birth: date
) -> list[Document]:
    return [
        doc(
            "cni.png",
            "identity",
            "cni_2021",
            holder=id_holder,
            birth_date=BIRTH,
            expiry_date=date(2034, 10, 21),
        ),
        doc("jdc.jpg", "jdc", "certificate", holder=jdc_holder, birth_date=jdc_birth),
        doc(
            "edf.jpg",
            "proof_of_address",
            "electricity",
            holder=PersonName(raw=bill_holder),
            issue_date=date(2026, 9, 22),
        ),
        photo(),
    ]


@pytest.mark.parametrize(
    ("id_holder", "jdc_holder", "bill", "jdc_birth", "expected"),
    [
        pytest.param(
            pn("LEMAITRE", "ANK ROSE"),
            pn("LEMAÎTRE", "Ana Rose"),
            "Mme Ana Rose LEMAÎTRE",
            BIRTH,
            {"proof_of_address_name": "ok", "jdc": "ok"},
            id="misread-given-name",
        ),
        pytest.param(
            pn("CIEECEDLIESN GUESSAN", "LINA CLAIRE"),
            pn("N'GUESSAN", "Lina Claire"),
            "Mme Lina Claire N'GUESSAN",
            BIRTH,
            {"proof_of_address_name": "ok", "jdc": "ok"},
            id="noise-glued-to-surname",
        ),
        pytest.param(
            pn("ETIT", "JOAO"),
            pn("PETIT", "Jodo"),
            "M. Joao PETIT",
            BIRTH,
            {"proof_of_address_name": "ok", "jdc": "ok"},
            id="both-garbled-votes",
        ),
        pytest.param(
            pn("LEMAITRE", "ANK ROSE"),
            pn("LEMAÎTRE", "Ana Rose"),
            "Mme Ana Rose LEMAÎTRE",
            date(2004, 1, 1),
            {"proof_of_address_name": "fail", "jdc": "review"},
            id="other-birth-date-no-reconcile",
        ),
        pytest.param(
            pn("LEMAITRE", "PAUL"),
            pn("LEMAÎTRE", "Ana Rose"),
            "Mme Ana Rose LEMAÎTRE",
            BIRTH,
            {"proof_of_address_name": "fail", "jdc": "review"},
            id="other-person-never-taken",
        ),
    ],
)
def test_reconcile_with_certificate(
    id_holder: PersonName, jdc_holder: PersonName, bill: str, jdc_birth: date, expected: dict[str, str]
) -> None:
    got = checks(_dossier(id_holder, jdc_holder, bill, jdc_birth))
    assert {k: got.get(k) for k in expected} == expected


@pytest.mark.parametrize(
    ("name", "birth", "expected"),
    [
        pytest.param(pn("PETIT", "Jodo"), BIRTH, True, id="one-letter"),
        pytest.param(pn("PETIT", "Jodo"), date(2001, 1, 1), False, id="other-birth"),
        pytest.param(pn("PETIT", "Marc"), BIRTH, False, id="other-given"),
        pytest.param(pn("MARTIN", "Joao"), BIRTH, False, id="other-surname"),
        pytest.param(None, BIRTH, False, id="none"),
    ],
)
def test_same_certificate_holder(name: PersonName | None, birth: date, expected: bool) -> None:
    applicant = Applicant(surname="PETIT", given_names=("JOAO",), birth_date=BIRTH)
    assert same_certificate_holder(applicant, name, birth) is expected


@pytest.mark.parametrize(
    ("given", "bill_given", "expected"),
    [
        pytest.param(("PIERRE YVES", "P"), ("PIERRE", "YVES", "PIERRE", "MARIE"), True, id="mrz-cut-initial"),
        pytest.param(("PIERRE YVES",), ("PIERRE", "YVES", "PIERRE", "MARIE"), True, id="extra-given-on-bill"),
        pytest.param(("PIERRE YVES", "J"), ("PIERRE", "YVES", "PIERRE", "MARIE"), False, id="other-initial"),
        pytest.param(("PAUL",), ("PIERRE", "YVES"), False, id="other-first-given"),
    ],
)
def test_truncated_given_names(given: tuple[str, ...], bill_given: tuple[str, ...], expected: bool) -> None:
    applicant = Applicant(surname="BELANGER", given_names=given)
    holder = PersonName(raw="M/BELANGER/...", surname="BELANGER", given_names=bill_given)
    assert names_match(applicant, holder).matched is expected


HOSTED = pn("MARTIN", "Léa")


@pytest.mark.parametrize(
    ("host_read", "handwritten", "expected"),
    [
        pytest.param(pn("PURELIP", "Missatou Rose"), True, "review", id="handwriting-garbled"),
        pytest.param(pn("PURELIP", "Missatou Rose"), False, "review", id="unflagged-handwriting-garbled"),
        pytest.param(pn("BERNARD", "Jean"), True, "fail", id="handwriting-clearly-other"),
        pytest.param(pn("DURAND", "Aïssatou Rose"), True, "ok", id="handwriting-read-well"),
    ],
)
def test_handwritten_host_name(host_read: PersonName, handwritten: bool, expected: str) -> None:
    documents = [
        doc(
            "cni.jpg",
            "identity",
            "cni_2021",
            holder=HOSTED,
            birth_date=date(1996, 5, 10),
            expiry_date=date(2031, 1, 1),
        ),
        doc(
            "cni_hote.jpg",
            "identity",
            "cni_2021",
            holder=pn("DURAND", "Aïssatou Rose"),
            birth_date=date(1970, 1, 1),
            expiry_date=date(2031, 1, 1),
        ),
        doc(
            "edf.pdf",
            "proof_of_address",
            "electricity",
            holder=PersonName(raw="Mme Aïssatou Rose DURAND"),
            issue_date=date(2026, 9, 2),
        ),
        doc(
            "attestation.jpg",
            "host_attestation",
            None,
            host=host_read,
            hosted=HOSTED,
            issue_date=date(2026, 10, 1),
            handwritten=handwritten,
            signed=True,
        ),
        photo(),
    ]
    assert checks(documents).get("host_chain") == expected


def test_loosely_alike() -> None:
    assert loosely_alike(pn("PURELIP", "Missatou"), pn("DURAND", "Aïssatou"))
    assert not loosely_alike(pn("BERNARD", "Jean"), pn("DURAND", "Aïssatou"))


TAX_LINES = [
    "Numéro fiscal :",
    "Adresse au 01/01/2026 :",
    "Numéro FIP :",
    "Date d'établissement :",
    "Date de mise en recouvrement :",
    "Identifiant service :",
    "DIRECTION GÉNÉRALE DES FINANCES PUBLIQUES",
    "1355278",
    "21/09/2026",
    "26/09/2026",
    "AVIS_IR_RG",
    "Date limite de paiement : 16/10/2026",
]


@pytest.mark.parametrize(
    ("lines", "label", "expected"),
    [
        pytest.param(TAX_LINES, "Date de mise en recouvrement", date(2026, 9, 26), id="second-of-column"),
        pytest.param(TAX_LINES, "Date d'établissement", date(2026, 9, 21), id="first-of-column"),
        pytest.param(
            [*TAX_LINES[:6], "21/09/2026", "AVIS"], "Date de mise en recouvrement", None, id="counts-differ"
        ),
        pytest.param(
            ["Date de mise en recouvrement : 26/09/2026"],
            "Date de mise en recouvrement",
            None,
            id="inline-not-column",
        ),
        pytest.param([None, 3, ""], "Date", None, id="junk"),
    ],
)
def test_pick_column_date(lines: list[str], label: str, expected: date | None) -> None:
    found = pick_column_date(lines, (label,), today=REF)
    assert (found.date if found else None) == expected


def test_unknown_candidate_message_names_the_candidate() -> None:
    documents = [
        doc("cni.jpg", "identity", "cni_2021"),
        doc(
            "edf.pdf",
            "proof_of_address",
            "electricity",
            holder=PersonName(raw="Mme Margaux NOËL"),
            issue_date=date(2026, 9, 2),
        ),
        photo(),
    ]
    check = next(
        c for c in judge_dossier(documents, reference_date=REF).checks if c.code == "proof_of_address_name"
    )
    assert check.status == "review"
    assert "nom du candidat" in check.message and "NOËL" in check.message
