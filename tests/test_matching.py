"""Name matching: what a French back office accepts, and nothing looser."""

from __future__ import annotations

import pytest

from preverif.records import Applicant, PersonName
from preverif.rules.matching import (
    handwriting_match,
    names_match,
    normalise_name,
    person_key,
    surnames_match,
)

AISSATOU = Applicant(surname="N'DIAYE", given_names=("Aïssatou", "Marie"))
JB = Applicant(surname="DUPONT", given_names=("Jean-Baptiste", "Paul"))
MARTIN = Applicant(surname="MARTIN", given_names=("Maëlys-Gaëlle", "Marie"))


def raw(text: str) -> PersonName:
    return PersonName(raw=text)


@pytest.mark.parametrize(
    ("name", "applicant", "matched", "uncertain"),
    [
        pytest.param(
            raw("Mme NDIAYE AISSATOU"), AISSATOU, True, False, id="accents-case-apostrophe-civility"
        ),
        pytest.param(
            raw("Aissatou Marie N DIAYE"), AISSATOU, True, False, id="word-order-and-split-apostrophe"
        ),
        pytest.param(raw("MME N'DIAYE Aïssatou Marie"), AISSATOU, True, False, id="exact-with-civility"),
        pytest.param(raw("Mme MARTIN Maelys Gaelle"), MARTIN, True, False, id="hyphen-vs-space"),
        pytest.param(raw("Maëlys-Gaëlle MARTIN"), MARTIN, True, False, id="given-subset"),
        pytest.param(raw("M. ou Mme NDIAYE Aissatou"), AISSATOU, True, False, id="joint-m-ou-mme"),
        pytest.param(
            raw("M. Jean DUPONT et Mme Aissatou NDIAYE"), AISSATOU, True, False, id="joint-m-x-et-mme-y"
        ),
        pytest.param(
            raw("M. ou Mme Jean et Aissatou NDIAYE"), AISSATOU, True, False, id="joint-shared-surname"
        ),
        pytest.param(raw("M. ou Mme Jean NDIAYE"), AISSATOU, False, False, id="joint-other-given-name"),
        pytest.param(
            raw("Mme DUPONT épouse NDIAYE Aissatou"), AISSATOU, True, False, id="usage-epouse-after"
        ),
        pytest.param(raw("Mme NDIAYE née DUPONT Aissatou"), AISSATOU, True, False, id="birth-name-nee"),
        pytest.param(
            PersonName(raw="x", surname="DUPONT", usage_surname="NDIAYE", given_names=("Aissatou",)),
            AISSATOU,
            True,
            False,
            id="structured-usage-surname",
        ),
        pytest.param(raw("NDIAYF AISSATOU"), AISSATOU, True, False, id="ocr-1-edit-on-6-letters"),
        pytest.param(raw("NDIAYE AISSATUO"), AISSATOU, False, False, id="ocr-2-edits-on-8-letters-beyond"),
        pytest.param(
            Applicant(surname="BERTHELEMOT", given_names=("Christophe",)),
            Applicant(surname="BERTHELEMAT", given_names=("Christopha",)),
            True,
            False,
            id="ocr-within-bound-long-words",
        ),
        pytest.param(
            Applicant(surname="DIAS", given_names=("Anne",)),
            Applicant(surname="DIAZ", given_names=("Anne",)),
            False,
            False,
            id="short-surname-no-edit-allowed",
        ),
        pytest.param(
            Applicant(surname="DUPONT", given_names=("Anne",)),
            Applicant(surname="DUPONT", given_names=("Annie",)),
            False,
            False,
            id="anne-is-not-annie",
        ),
        pytest.param(
            raw("M.Wel RICHARD"),
            Applicant(surname="RICHARD", given_names=("Wei", "Marie")),
            False,
            True,
            id="short-given-name-look-alike-uncertain",
        ),
        pytest.param(
            Applicant(surname="DUPONT", given_names=("Léo",)),
            Applicant(surname="DUPONT", given_names=("Léa",)),
            False,
            False,
            id="leo-is-not-lea",
        ),
        pytest.param(raw("Aïssatou"), AISSATOU, False, False, id="first-name-only-never"),
        pytest.param(raw("Mme NDIAYE"), AISSATOU, False, True, id="surname-only-uncertain"),
        pytest.param(
            PersonName(raw="M. Ibrahima", surname="Ibrahima", civility="M."),
            Applicant(surname="LE BIHAN", given_names=("Ibrahima", "Jean")),
            False,
            True,
            id="one-word-cut-reading-is-a-given-name-uncertain",
        ),
        pytest.param(
            PersonName(raw="M. Ibrahima", surname="Ibrahima", civility="M."),
            Applicant(surname="LE BIHAN", given_names=("Jean", "José")),
            False,
            False,
            id="one-word-reading-other-name-differs",
        ),
        pytest.param(raw("NDIAYE Fatou"), AISSATOU, False, False, id="surname-only-given-disagree"),
        pytest.param(raw("NDIAYE A."), AISSATOU, False, True, id="initial-uncertain"),
        pytest.param(
            Applicant(surname="DUPONT", given_names=("Jean",)), JB, False, True, id="jean-vs-jean-baptiste"
        ),
        pytest.param(
            PersonName(raw="", surname="DUPONT", given_names=("JEAN", "BAPTISTE", "PAUL")),
            JB,
            True,
            False,
            id="mrz-lost-hyphen",
        ),
        pytest.param(
            PersonName(raw="", surname="DOUEL", given_names=("CHRISTIANE", "NI")),
            Applicant(surname="Douel", given_names=("Christiane", "Nicole")),
            True,
            False,
            id="old-cni-truncated-given-name",
        ),
        pytest.param(
            Applicant(surname="GONCALVES ROCHA", given_names=("Renan",)),
            raw("M ROCHA GONCALVES RENAN"),
            True,
            False,
            id="compound-surname-word-order",
        ),
        pytest.param(raw("DUPONT JEAN"), raw("Jean Dupont"), True, False, id="raw-vs-raw-word-order"),
        pytest.param(raw(""), AISSATOU, False, False, id="empty"),
        pytest.param(
            Applicant(surname="IJF VILLIERS", given_names=("FRANCOIS", "EMILE")),
            Applicant(surname="DE VILLIERS", given_names=("François", "Émile")),
            False,
            True,
            id="garbled-particle-same-given-names-uncertain",
        ),
        pytest.param(
            Applicant(surname="IJF VILLIERS", given_names=("FRANCOIS",)),
            Applicant(surname="DE VILLIERS", given_names=("François",)),
            False,
            False,
            id="garbled-particle-one-given-name-is-not-enough",
        ),
        pytest.param(
            Applicant(surname="MARTIN VILLIERS", given_names=("Paul", "Marc")),
            Applicant(surname="DE VILLIERS", given_names=("Jean", "Marc")),
            False,
            False,
            id="shared-surname-word-other-given-names",
        ),
    ],
)
def test_names_match(
    name: PersonName | Applicant, applicant: PersonName | Applicant, matched: bool, uncertain: bool
) -> None:
    result = names_match(name, applicant)
    assert result.matched is matched, result
    assert result.uncertain is uncertain, result
    assert result.reason  # always explained, in French
    assert names_match(applicant, name).matched is matched  # symmetric


def test_normalise_and_key() -> None:
    assert normalise_name("  N'Diaye-Lœw  ") == "NDIAYE LOEW"
    assert person_key(AISSATOU) == person_key(PersonName(raw="", surname="NDIAYE", given_names=("AISSATOU",)))


def test_surnames_match_for_parent() -> None:
    assert surnames_match(raw("M. Jean NDIAYE"), AISSATOU).matched
    assert not surnames_match(raw("M. Jean DUPONT"), AISSATOU).matched


@pytest.mark.parametrize(
    "junk",
    [
        pytest.param(raw("\x00\x01<<<>>>"), id="control"),
        pytest.param(raw("ET OU ET"), id="connectors-only"),
        pytest.param(PersonName(raw="x" * 5000), id="huge"),
        pytest.param(PersonName(raw="", surname="", given_names=("", "-")), id="empty-parts"),
        pytest.param(raw("M. MME MLLE"), id="civilities-only"),
    ],
)
def test_junk_never_crashes(junk: PersonName) -> None:
    assert names_match(junk, AISSATOU).matched is False
    assert isinstance(person_key(junk), str)


@pytest.mark.parametrize(
    ("mrz_surname", "mrz_given", "surname", "given", "expected"),
    [
        pytest.param("MARTIN", ("ANAXHELENE",), "MARTIN", ("Ana", "Hélène"), True, id="separator-read-x"),
        pytest.param(
            "TRAORE X", ("ELOISE", "KLOUISE"), "TRAORÉ", ("Éloïse", "Louise"), True, id="stray-x-and-k"
        ),
        pytest.param("MARTIN", ("KEVIN",), "MARTIN", ("Evin",), False, id="first-name-k-kept"),
        pytest.param("MARTIN", ("ANAXHELENE",), "MARTIN", ("Ana",), False, id="no-split-without-both-parts"),
        pytest.param(
            "MARTIN", ("ANAXHELENE",), "MARTIN", ("Anna", "Hélène"), False, id="split-needs-exact-parts"
        ),
    ],
)
def test_mrz_separator_noise(
    mrz_surname: str, mrz_given: tuple[str, ...], surname: str, given: tuple[str, ...], expected: bool
) -> None:
    mrz = PersonName(raw=f"{mrz_surname} {' '.join(mrz_given)}", surname=mrz_surname, given_names=mrz_given)
    stated = Applicant(surname=surname, given_names=given)
    assert names_match(mrz, stated).matched is expected


# ---------------------------------------------------------------- handwriting (attestation d'hébergement)

RIVIERE = PersonName(
    raw="RIVIÈRE Margaux Françoise Hélène", surname="RIVIÈRE", given_names=("Margaux", "Françoise", "Hélène")
)
ELOI = Applicant(surname="MERCIER", given_names=("Éloi",))
MAIWENN = Applicant(surname="MARTIN", given_names=("Maïwenn",))


@pytest.mark.parametrize(
    ("reading", "person", "matched"),
    [
        pytest.param(
            raw("Hélène RIMIÈRE"), RIVIERE, True, id="surname-one-letter-off-and-a-later-given-name"
        ),
        pytest.param(raw("Eli MERCIER"), ELOI, True, id="short-given-name-one-letter-off"),
        pytest.param(
            raw("GIRARD"), Applicant(surname="GIRARD", given_names=("Zoé",)), True, id="surname-alone"
        ),
        pytest.param(raw("fe MARTIN"), MAIWENN, True, id="speck-word-dropped-surname-alone"),
        pytest.param(raw("fe TILAIWENY"), MAIWENN, False, id="garbled-reading-is-no-match"),
        pytest.param(raw("Paul MARTIN"), MAIWENN, False, id="same-surname-other-given-name"),
        pytest.param(raw("Maïwenn MARTINEZ"), MAIWENN, False, id="longer-surname-is-another-family"),
        pytest.param(
            raw("Maïwenn DUPUIS"),
            Applicant(surname="DUPONT", given_names=("Maïwenn",)),
            False,
            id="different-surname-same-given-name",
        ),
        pytest.param(
            raw("Missatou Rose PURELIP"),
            Applicant(surname="DURAND", given_names=("Aïssatou", "Rose")),
            False,
            id="given-names-alike-never-make-the-surname",
        ),
        pytest.param(raw(""), MAIWENN, False, id="empty-reading"),
        pytest.param(
            raw("Lina W'EUESSEN"),
            Applicant(surname="N'GUESSAN", given_names=("Lina",)),
            True,
            id="given-name-agrees-surname-three-letters-off",
        ),
        pytest.param(
            raw("MHaiweny MOREL"),
            Applicant(surname="MOREAU", given_names=("Maïwenn", "Louise", "Rose")),
            True,
            id="given-and-surname-two-letters-off",
        ),
        pytest.param(
            raw("W'EUESSEN"),
            Applicant(surname="N'GUESSAN", given_names=("Lina",)),
            False,
            id="surname-three-letters-off-alone",
        ),
        pytest.param(
            raw("Lina GUERIN"),
            Applicant(surname="N'GUESSAN", given_names=("Lina",)),
            False,
            id="given-name-agrees-other-surname",
        ),
        pytest.param(
            raw("Paul MOREL"),
            Applicant(surname="MOREL", given_names=("Lina",)),
            False,
            id="same-surname-other-given-name-still-no-match-loosely",
        ),
    ],
)
def test_handwriting_match(reading: PersonName, person: PersonName | Applicant, matched: bool) -> None:
    assert handwriting_match(reading, person).matched is matched


@pytest.mark.parametrize(
    "junk",
    [
        pytest.param(PersonName(raw="\x00\x01"), id="control-chars"),
        pytest.param(PersonName(raw="1234 5678"), id="digits"),
        pytest.param(PersonName(raw="", surname="", given_names=("",)), id="empty-fields"),
    ],
)
def test_handwriting_match_junk_never_crashes(junk: PersonName) -> None:
    assert handwriting_match(junk, MAIWENN).matched is False
    assert handwriting_match(junk, junk).matched is False
