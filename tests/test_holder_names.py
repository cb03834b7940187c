"""Holder names read by OCR: specks, glued given names, garbled readings, and how they match across documents."""

from __future__ import annotations

import pytest

from preverif.extract.fields import find_mrz_name
from preverif.extract.names import (
    drop_filler_names,
    find_identity_name,
    find_named_person,
    is_filler_noise,
    parse_mrz_name_line,
    reconcile_identity_names,
    split_camel_given,
    split_glued_particle,
    tidy_person_name,
)
from preverif.records import PersonName
from preverif.rules.matching import garbled_given, names_match


def person(surname: str, *given: str) -> PersonName:
    return PersonName(raw=f"{' '.join(given)} {surname}".strip(), surname=surname, given_names=given)


# ---------------------------------------------------------------- tidying a holder


@pytest.mark.parametrize(
    ("name", "surname", "given"),
    [
        pytest.param(
            person("RICHARD", "i", "Francoise", "Héléne"), "RICHARD", ("Francoise", "Héléne"), id="speck-i"
        ),
        pytest.param(
            person("- DIALLO —", "Clémence", "Rose", "I"), "DIALLO", ("Clémence", "Rose"), id="dashes-I"
        ),
        pytest.param(person("'MICHEL", "MehdiJean"), "MICHEL", ("Mehdi", "Jean"), id="apostrophe-camel-glue"),
        pytest.param(
            person("DUBOIS", "PR", "Mehdi", "Paul"), "DUBOIS", ("Mehdi", "Paul"), id="vowelless-pair"
        ),
        pytest.param(
            person("HADDAD", "run", "dericile", "Françoise"),
            "HADDAD",
            ("Françoise",),
            id="sentence-words-before",
        ),
        pytest.param(person("DUPONT", "J."), "DUPONT", ("J.",), id="lone-initial-kept"),
        pytest.param(person("DUPONT", "Jean Pierre"), "DUPONT", ("Jean Pierre",), id="element-kept-whole"),
        pytest.param(
            person("DA SILVA", "Jo", "Paulo"), "DA SILVA", ("Jo", "Paulo"), id="short-real-name-kept"
        ),
        pytest.param(person("DE LA FONTAINE", "Lou"), "DE LA FONTAINE", ("Lou",), id="particles-kept"),
        pytest.param(person("MARTIN", "Alexandre"), "MARTIN", ("Alexandre",), id="unknown-join-not-cut"),
    ],
)
def test_tidy_person_name(name: PersonName, surname: str, given: tuple[str, ...]) -> None:
    tidy = tidy_person_name(name)
    assert tidy is not None
    assert (tidy.surname, tidy.given_names) == (surname, given)


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        pytest.param("MehdiJean", ("Mehdi", "Jean"), id="two-known"),
        pytest.param("McDonald", ("McDonald",), id="not-names"),
        pytest.param("Jean", ("Jean",), id="single"),
        pytest.param("LouisMarzzz", ("LouisMarzzz",), id="second-unknown"),
    ],
)
def test_split_camel_given(word: str, parts: tuple[str, ...]) -> None:
    assert split_camel_given(word) == parts


@pytest.mark.parametrize(
    "junk", [None, PersonName(raw=""), PersonName(raw="x", surname="—", given_names=("|",))]
)
def test_tidy_junk_never_raises(junk: PersonName | None) -> None:
    out = tidy_person_name(junk)
    assert out is None or isinstance(out, PersonName)


# ---------------------------------------------------------------- MRZ and visual zone


@pytest.mark.parametrize(
    ("word", "noise"),
    [
        pytest.param("CLEMENCE", False, id="clemence-is-a-name"),
        pytest.param("CELESTINE", False, id="celestine"),
        pytest.param("EEKLSXCE", True, id="filler-letters"),
        pytest.param("KKKKEEEE", True, id="filler-run"),
    ],
)
def test_filler_noise_spares_names(word: str, noise: bool) -> None:
    assert is_filler_noise(word) is noise


def test_mrz_keeps_clemence() -> None:
    assert drop_filler_names(["CLEMENCE", "ROSE"]) == ("CLEMENCE", "ROSE")


@pytest.mark.parametrize(
    ("mrz", "visual", "surname", "given"),
    [
        pytest.param(
            person("DIALLO", "ROSE"),
            person("DIALLO", "Clémence", "Rose"),
            "DIALLO",
            ("Clémence", "Rose"),
            id="band-lost-a-given-name",
        ),
        pytest.param(
            person("DUBOIS", "MEHDI", "PAUL"),
            person("DUBOIS", "PR", "Mehdi", "Paul"),
            "DUBOIS",
            ("MEHDI", "PAUL"),
            id="visual-extra-is-no-name",
        ),
        pytest.param(
            person("EFOURNIER", "ELOI", "JEAN"),
            person("FOURNIER", "Eloi", "Jean"),
            "FOURNIER",
            ("Eloi", "Jean"),
            id="filler-glued-to-surname",
        ),
        pytest.param(
            person("MFOURNIER", "ELOI"),
            person("FOURNIER", "Eloi"),
            "MFOURNIER",
            ("Eloi",),
            id="non-filler-extra-letter-trusts-mrz",
        ),
    ],
)
def test_reconcile_identity_names(
    mrz: PersonName, visual: PersonName, surname: str, given: tuple[str, ...]
) -> None:
    out = reconcile_identity_names(mrz, visual, mrz_valid=True)
    assert out is not None
    assert (out.surname, out.given_names) == (surname, given)


@pytest.mark.parametrize(
    ("surname", "words", "expected"),
    [
        pytest.param("DEKXVILLIERS", ["DE", "VILLIERS", "Lucas"], "DE VILLIERS", id="two-separator-misreads"),
        pytest.param("DUSPONT", ["DU", "PONT"], "DU PONT", id="one-separator-misread"),
        pytest.param("DEKXVILLIERS", ["Lucas"], "DEKXVILLIERS", id="rest-not-printed"),
    ],
)
def test_split_glued_particle(surname: str, words: list[str], expected: str) -> None:
    assert split_glued_particle(surname, words) == expected


def test_identity_surname_above_given_label() -> None:
    lines = [
        "CARTE NATIONALE D'IDENTITÉ",
        "TETE",
        "SIMON",
        "Prénoms / Given names",
        "Lina",
        "F FRA 21 12 1986",
    ]
    name = find_identity_name(lines)
    assert name is not None
    assert (name.surname, name.given_names) == ("SIMON", ("Lina",))


@pytest.mark.parametrize(
    ("lines", "surname", "first"),
    [
        pytest.param(
            ["(Nom; DIALLO |", "Prénom(s) : 7 a . Clémence Rose |"],
            "DIALLO",
            "Clémence",
            id="semicolon-specks",
        ),
        pytest.param(
            ["Nom:", "Prénom(s) 7", "- HADDAD", "La jeune. Françoise HADDAD a paricié à la Journée"],
            "HADDAD",
            "Françoise",
            id="jdc-sentence-dot",
        ),
    ],
)
def test_named_person_ocr_variants(lines: list[str], surname: str, first: str) -> None:
    name = find_named_person(lines)
    assert name is not None
    assert name.surname == surname
    assert name.given_names[0] == first


# ---------------------------------------------------------------- matching


@pytest.mark.parametrize(
    ("a", "b", "matched", "uncertain"),
    [
        # must match
        pytest.param(
            person("RICHARD", "i", "Francoise", "Héléne"),
            person("RICHARD", "Françoise", "Hélène"),
            True,
            False,
            id="speck-before-given-and-accent-confusion",
        ),
        pytest.param(
            person("MICHEL", "MehdiJean"), person("MICHEL", "MEHDI", "JEAN"), True, False, id="glued-given"
        ),
        pytest.param(
            person("MICHEL", "MEHDIJEAN"), person("MICHEL", "Mehdi", "Jean"), True, False, id="glued-caps"
        ),
        # uncertain: a human looks
        pytest.param(
            person("DA SILVA", "SenustS"), person("DA SILVA", "Sébastien"), False, True, id="garbled-given"
        ),
        pytest.param(
            person("DUPI", "Jade", "Louise", "Claire"),
            person("DUPRÉ", "Jade", "Louise", "Claire"),
            False,
            True,
            id="surname-misread-same-given-names",
        ),
        pytest.param(person("DUPONT", "J"), person("DUPONT", "Jean"), False, True, id="initial-only"),
        # must not match: someone else
        pytest.param(
            person("DA SILVA", "Paulo"),
            person("DA SILVA", "Sébastien"),
            False,
            False,
            id="parent-same-surname",
        ),
        pytest.param(
            person("DUPONT", "Pierre"), person("DUPONT", "Jean"), False, False, id="different-first"
        ),
        pytest.param(
            person("DUPONT", "I", "Pierre"), person("DUPONT", "Jean"), False, False, id="speck-then-other"
        ),
        pytest.param(
            person("MARTIN", "Jade", "Louise"),
            person("DUPRÉ", "Jade", "Louise"),
            False,
            False,
            id="other-surname",
        ),
        pytest.param(
            person("DUPI", "Jade"), person("DUPRÉ", "Jade"), False, False, id="one-given-not-enough"
        ),
        pytest.param(
            person("MICHEL", "MehdiPaul"),
            person("MICHEL", "MEHDI", "JEAN"),
            False,
            True,
            id="glue-same-first-other-second",
        ),
        pytest.param(
            person("MICHEL", "PaulJean"),
            person("MICHEL", "MEHDI", "JEAN"),
            False,
            False,
            id="glue-other-first-name",
        ),
    ],
)
def test_names_match_ocr_cases(a: PersonName, b: PersonName, matched: bool, uncertain: bool) -> None:
    for x, y in ((a, b), (b, a)):
        result = names_match(x, y)
        assert (result.matched, result.uncertain) == (matched, uncertain), result.reason


@pytest.mark.parametrize(
    ("text", "garbled"),
    [
        pytest.param("SenustS", True, id="odd-case"),
        pytest.param("J3an", True, id="digit"),
        pytest.param("Mrct", True, id="no-vowel"),
        pytest.param("Sébastien", False, id="name"),
        pytest.param("SEBASTIEN", False, id="caps"),
        pytest.param("Jean-Luc", False, id="hyphen"),
        pytest.param("MehdiJean", False, id="camel-join-is-two-names"),
        pytest.param("McKenzie", True, id="short-camel-reads-as-odd"),
    ],
)
def test_garbled_given(text: str, garbled: bool) -> None:
    assert garbled_given(text) is garbled


@pytest.mark.parametrize(
    ("line", "surname", "given"),
    [
        pytest.param(
            "GAUTHIER£<JEANELUC<JEAN<E<ÉEEE",
            "GAUTHIER",
            ("JEAN", "LUC", "JEAN"),  # the lone 'E' is one '<' of the padding misread
            id="accented-filler-and-glue",
        ),
        pytest.param("DIALLO<<CLEMENCE<ROSE<<<<<<<<<", "DIALLO", ("CLEMENCE", "ROSE"), id="clemence"),
        pytest.param(
            "L'AURENT<<RAPHAEL<EMILE<<<<<<<<", "LAURENT", ("RAPHAEL", "EMILE"), id="speck-read-as-apostrophe"
        ),
        pytest.param("MARTIN<<ANA#HELENE<<<<<", "MARTIN", ("ANA", "HELENE"), id="hash-separator"),
    ],
)
def test_parse_mrz_name_line_misreads(line: str, surname: str, given: tuple[str, ...]) -> None:
    name = parse_mrz_name_line(line)
    assert name is not None
    assert (name.surname, name.given_names) == (surname, given)


def test_mrz_names_line_after_an_interleaved_line() -> None:
    lines = [
        "IDFRAZR9JDSLKX4<<<<<<<<<<<<<<<",
        "0408248M3312153FRA<<<<<<<<<<<2",
        "2R9JDSLKX 15 12 2033",
        "GAUTHIER<<JEAN<LUC<<<<<<<<<<<",
    ]
    name = find_mrz_name(lines)
    assert name is not None
    assert (name.surname, name.given_names) == ("GAUTHIER", ("JEAN", "LUC"))


def test_mrz_names_line_needs_checked_dates() -> None:
    lines = ["0408240M3312150FRA<<<<<<<<<<<2", "2R9JDSLKX 15 12 2033", "GAUTHIER<<JEAN<LUC<<<<<<<<<<<"]
    assert find_mrz_name(lines) is None
