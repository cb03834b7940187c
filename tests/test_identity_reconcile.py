"""Identity documents read from BOTH zones: the MRZ reconciled with the visual zone, labels OCR garbled
(sex/nationality row, unlabelled expiry, licence field numbers read loosely), and the candidate's usage name
and certificates deciding between two readings of a given name.

Pages are built from text lines as the read stage gives them (one Word per token).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from preverif.extract.dates import find_identity_row_birth_date, parse_compact_date
from preverif.extract.fields import extract_fields
from preverif.extract.names import (
    correct_given_name,
    find_licence_name,
    parse_mrz_name_line,
    reconcile_identity_names,
    split_glued_particle,
)
from preverif.records import (
    Applicant,
    Classification,
    Document,
    Fields,
    MrzResult,
    PersonName,
)
from preverif.rules.candidate import group_identities, identify_applicant
from preverif.rules.engine import judge_dossier
from preverif.rules.matching import names_match
from text_pages import NoLabels, text_page

REF = date(2026, 11, 27)


def _identity(lines: list[str], subtype: str = "cni_2021", mrz: MrzResult | None = None) -> Fields:
    return extract_fields(
        [text_page(lines)],
        Classification(type="identity", subtype=subtype, confidence=0.9),
        NoLabels(),
        reference_date=REF,
        mrz=mrz,
    )


def _td1(surname: str, given: tuple[str, ...], *, valid: bool = True) -> MrzResult:
    return MrzResult(
        format="td1",
        lines=("IDFRAM82VF541S6<<<<<<<<<<<<<<<", "0507037F3410211FRA<<<<<<<<<<<8", "X<<Y<<<<<<<<<<<<<<<<<<<<<<<<<<"),
        document_code="ID", issuing_state="FRA", surname=surname, given_names=given,
        document_number="M82VF541S", nationality="FRA", birth_date=date(2005, 7, 3), sex="F",
        expiry_date=date(2034, 10, 21), issue_date=None,
        checks={"document_number": True, "birth_date": True, "composite": valid},
    )  # fmt: skip


def _pn(surname: str, *given: str, usage: str | None = None) -> PersonName:
    return PersonName(
        raw=f"{surname} {' '.join(given)}", surname=surname, given_names=given, usage_surname=usage
    )


# ---------------------------------------------------------------- MRZ against visual zone


@pytest.mark.parametrize(
    ("mrz", "visual", "valid", "surname", "given"),
    [
        pytest.param(_pn("LEMAITRE", "ANK", "ROSE"), _pn("LEMAÎTRE", "Ana", "Rose"), True,
                     "LEMAÎTRE", ("Ana", "Rose"), id="known-given-name-beats-misread-band"),
        pytest.param(_pn("N GUESSAN", "CAMILLE", "FRANCOISE"), _pn("N'GUESSAN", "Camille", "Hangoise"), True,
                     "N'GUESSAN", ("Camille", "FRANCOISE"), id="misread-visual-loses-to-valid-band"),
        pytest.param(_pn("ETIT", "JOAO"), _pn("PETIT"), True, "PETIT", ("JOAO",), id="band-lost-edge-letter"),
        pytest.param(_pn("DU PONT", "SEBASTIEN"), _pn("DUPONT", "Sébastien"), True,
                     "DU PONT", ("Sébastien",), id="glued-visual-keeps-band-words"),
        pytest.param(_pn("TRAORE", "ELOISE", "LOUISE"), _pn("TRAORÉ", "Éloïse", "Louise"), True,
                     "TRAORÉ", ("Éloïse", "Louise"), id="accents-from-visual"),
        pytest.param(_pn("GARCTA LOPEZ", "MAEL"), _pn("GARCIA LOPEZ", "Maël"), False,
                     "GARCIA LOPEZ", ("Maël",), id="invalid-band-visual-wins"),
        pytest.param(_pn("MARTIN", "MEI", "ROSE"), _pn("MARTIN", "Mei", "Rose", "Louise"), True,
                     "MARTIN", ("Mei", "Rose", "Louise"), id="band-truncated-given-names"),
        pytest.param(_pn("DE LA FONTAINE", "MARIE", "EVE", "ROSE"),
                     _pn("DE LA FONTAINE", "Marie-Eve", "Rose", "Louise"), True,
                     "DE LA FONTAINE", ("Marie-Eve", "Rose", "Louise"), id="band-hyphen-as-filler-and-cut"),
        pytest.param(_pn("ROSSI", "GIULIA"), _pn("ROSSI", "GIULIAR"), True,
                     "ROSSI", ("GIULIA",), id="visual-slip-extra-letter"),
        pytest.param(_pn("LEROY", "JEAN", "PAUL"), _pn("LEROY", "Jean-Pierre", "Alain"), True,
                     "LEROY", ("JEAN", "PAUL"), id="band-disagrees-after-hyphen"),
        pytest.param(_pn("KOWALSKI", "NOEMIE"), _pn("KOWALSKI", "Noémie", usage="DUPRÉ"), True,
                     "KOWALSKI", ("Noémie",), id="usage-name-kept"),
    ],
)  # fmt: skip
def test_reconcile_identity_names(
    mrz: PersonName, visual: PersonName, valid: bool, surname: str, given: tuple[str, ...]
) -> None:
    person = reconcile_identity_names(mrz, visual, mrz_valid=valid)
    assert person is not None
    assert (person.surname, person.given_names) == (surname, given)
    assert person.usage_surname == visual.usage_surname


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        pytest.param("Auréllen", "Aurélien", id="l-for-i"),
        pytest.param("MARIECLARE", "MARIE-CLAIRE", id="dropped-i-upper"),
        pytest.param("Mathias", "Mathias", id="real-rarer-name-kept"),
        pytest.param("Louisa", "Louisa", id="vowel-change-not-thin"),
        pytest.param("Hangoise", "Hangoise", id="too-far"),
        pytest.param("", "", id="empty"),
    ],
)
def test_correct_given_name(word: str, expected: str) -> None:
    assert correct_given_name(word) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        pytest.param("CHRISTOPHF", "CHRISTOPHE", id="e-read-f"),
        pytest.param("GEORGFS", "GEORGES", id="e-read-f-inside"),
        pytest.param("CHRISTOPHE", "CHRISTOPHE", id="known-kept"),
        pytest.param("ULYSSE", "ULYSSE", id="rare-name-kept"),
        pytest.param("MARIF", "MARIF", id="short-words-left"),
        pytest.param("CHRISTOPHX", "CHRISTOPHX", id="not-a-one-stroke-slip"),
    ],
)
def test_correct_mrz_given_name(word: str, expected: str) -> None:
    """An MRZ names line carries no check digit: one OCR-B stroke off a known given name is undone."""
    assert correct_given_name(word, mrz=True) == expected


def test_band_names_read_twice_known_name_wins() -> None:
    """The band reader says 'ANK', the page's OCR of the same band says 'ANA' next to a checked line."""
    lines = [
        "CARTE NATIONALE D'IDENTITÉ / IDENTITY CARD",
        "LEMAITRE 142 RUE DES CHATAIGNIERS",
        "Wu dicument/ Document No 0507037F3410211FRA<<<<<<<<<<<8",
        "M82VF541S 21 10 2034 LEMAITRE<<ANA<ROSE<<<<<<<<< <<<",
    ]
    fields = _identity(lines, mrz=_td1("LEMAITRE", ("ANK", "ROSE")))
    assert fields.holder is not None
    assert fields.holder.given_names == ("ANA", "ROSE")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param(
            "M82VF541S 21 10 2034 LEMAITRE<<ANA<ROSE<<<<<", ("LEMAITRE", "ANA"), id="value-before-band"
        ),
        pytest.param("06 02.2035 DU<PONT<<MEI<ROSE<<<<", ("DU PONT", "MEI"), id="date-before-band"),
        pytest.param("Nom LEMAITRE<<ANA", None, id="words-before-are-not-debris"),
    ],
)
def test_mrz_name_line_after_visual_debris(line: str, expected: tuple[str, str] | None) -> None:
    person = parse_mrz_name_line(line)
    got = (person.surname, person.given_names[0]) if person and person.given_names else None
    assert got == expected


@pytest.mark.parametrize(
    ("surname", "words", "expected"),
    [
        pytest.param("DUSPONT", ["bu", "PONT", "126", "BIS"], "DU PONT", id="separator-read-as-S"),
        pytest.param("DUSPONT", ["DUSPONT"], "DUSPONT", id="printed-glued-too"),
        pytest.param("DUSPONT", ["PARIS"], "DUSPONT", id="no-evidence"),
        pytest.param("DELORME", ["LORME", "RUE"], "DELORME", id="no-separator-misread"),
        pytest.param("", [], "", id="empty"),
    ],
)
def test_split_glued_particle(surname: str, words: list[str], expected: str) -> None:
    assert split_glued_particle(surname, words) == expected


# ---------------------------------------------------------------- visual zone with garbled labels


@pytest.mark.parametrize(
    ("lines", "surname", "given", "birth", "expiry"),
    [
        pytest.param(
            ["CARTE NATIONALE D'IDENTITÉ / IDENTITY CARD", "S NOM 4 Süimme", "GARCIA LOPEZ", "Vadis Cavan tia",
             "©. Mäël, Paul, Jean", "RENE Ree Le NATIONAL ITE 2 Appariins", "CM FRA 16 08 1994",
             "A Genre à Foneuent Ne Pains 2 Expiry ais", "| ASBSM39S7 16 07 2036"],
            "GARCIA LOPEZ", ("Mäël", "Paul", "Jean"), date(1994, 8, 16), date(2036, 7, 16),
            id="cni2021-debris-before-given-names",
        ),
        pytest.param(
            ["CARTE NATIONALE DIDENTITE JIDENTITY CARD", "N'GUESSAN", "Pré named Given names", "Camille, Françoise",
             "Boat Clam MATINALITE J Natnanvialdty", "Fo FRA, ‘09 05 2007:", "Dub Wagar FExpury ailes", "29072033"],
            "N'GUESSAN", ("Camille", "Françoise"), date(2007, 5, 9), date(2033, 7, 29),
            id="cni2021-compact-expiry-garbled-labels",
        ),
        pytest.param(
            ["PASSEPORT / PASSPORT", "Nom 7 Sunnie", "CHEVALIER", "Pan, 4 Eine iii", "Auréllen, Michel !",
             "Népuonalté Nationales Tate ele nabitanes", "Française 09 07 1970", "Vou ram Dies ste",
             "15 07 2025 Préfecture 59", "12 07 2035"],
            "CHEVALIER", ("Aurélien", "Michel"), date(1970, 7, 9), date(2035, 7, 12),
            id="passport-bilingual-labels-garbled",
        ),
        pytest.param(
            ["F", "PERMIS DE CONDUIRE", "RÉPUBLIQUE FRANÇAISE", "L LEFEVRE", "2 MARIECLARE",
             "3 12.08.2007 AIX-EN-PROVENCE (13)", "da 31012025 4b. 30.012040", "4e. Préfecture 44", "5 25AD32490"],
            "LEFEVRE", ("MARIE-CLAIRE",), date(2007, 8, 12), date(2040, 1, 30),
            id="licence-field-numbers-read-loosely",
        ),
        pytest.param(
            ["BELGIQUE BELGIË BELGIEN", "Nie Mur", "LAMBERT", "Prénoms", "Élodie, Anne", "Dosti tte» thease",
             "17.10.2007 |", "BEL", "RATIO triage 24", "03.08.2036"],
            "LAMBERT", ("Élodie", "Anne"), date(2007, 10, 17), date(2036, 8, 3),
            id="belgian-card-dates-without-labels",
        ),
    ],
)  # fmt: skip
def test_identity_visual_zone(
    lines: list[str], surname: str, given: tuple[str, ...], birth: date, expiry: date
) -> None:
    fields = _identity(lines, subtype="passport" if "PASSEPORT" in lines[0] else "cni_2021")
    assert fields.holder is not None
    assert (fields.holder.surname, fields.holder.given_names) == (surname, given)
    assert (fields.birth_date, fields.expiry_date) == (birth, expiry)


def test_two_future_dates_decide_no_expiry() -> None:
    fields = _identity(["CARTE NATIONALE D'IDENTITÉ", "Expxx 12 07 2035", "Zzz 13 08 2036"])
    assert fields.expiry_date is None


def test_unlabelled_issue_date_is_not_taken_for_birth() -> None:
    """A card's issue date (10 years before its expiry) is no birth date."""
    fields = _identity(["CARTE NATIONALE D'IDENTITÉ", "Xyz 12 07 2025", "Zzz 11 07 2035"])
    assert (fields.birth_date, fields.expiry_date) == (None, date(2035, 7, 11))


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(["F FRA 22 12 1966"], date(1966, 12, 22), id="sex-nationality-date"),
        pytest.param(["Française 09 07 1970"], date(1970, 7, 9), id="passport-nationality-word"),
        pytest.param(["Délivrée 15 07 2025"], None, id="other-word-is-no-nationality"),
        pytest.param(["F FRA 22 12 2031"], None, id="future-is-no-birth"),
        pytest.param(["\x00", "F" * 5000], None, id="junk"),
    ],
)
def test_identity_row_birth_date(lines: list[str], expected: date | None) -> None:
    found = find_identity_row_birth_date(lines, today=REF)
    assert (found.date if found else None) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(["PERMIS DE CONDUIRE", "L DUPONT", "2 Hugo"], ("DUPONT", "Hugo"), id="titled-loose"),
        pytest.param(["L DUPONT", "2 Hugo"], None, id="loose-without-title-is-nothing"),
        pytest.param(["1. MARTIN", "2. PAUL"], ("MARTIN", "PAUL"), id="strict"),
    ],
)
def test_licence_name(lines: list[str], expected: tuple[str, str] | None) -> None:
    person = find_licence_name(lines)
    assert ((person.surname, person.given_names[0]) if person else None) == expected


@pytest.mark.parametrize("junk", ["", "\x00\x01", "9" * 400, "29/02/2023", "31 13 2020"])
def test_parsers_never_raise_on_junk(junk: str) -> None:
    assert parse_compact_date(junk, today=REF) is None
    assert reconcile_identity_names(None, None, mrz_valid=True) is None
    assert correct_given_name(junk) == junk
    _identity([junk, junk], mrz=_td1(junk, (junk,)))


# ---------------------------------------------------------------- the candidate's names


def _doc(file: str, kind: str, subtype: str | None, **fields: Any) -> Document:
    return Document(
        file=file,
        pages=(1,),
        classification=Classification(type=kind, subtype=subtype, confidence=0.9),
        fields=Fields(**fields),
    )


def test_proof_in_usage_name_is_the_candidate() -> None:
    """A married candidate's passport prints 'KOWALSKI' and the usage name 'DUPRÉ'; the bill says DUPRE."""
    passport = _doc(
        "passeport.pdf", "identity", "passport",
        holder=_pn("KOWALSKI", "Noémie", usage="DUPRÉ"), birth_date=date(2000, 2, 15),
        expiry_date=date(2033, 8, 9), nationality="FRA",
    )  # fmt: skip
    bill = _doc(
        "eau.pdf", "proof_of_address", "water",
        holder=PersonName(raw="MME/DUPRE/NOEMIE", surname="DUPRE", given_names=("NOEMIE",), civility="MME"),
        issue_date=date(2026, 10, 14),
    )  # fmt: skip
    applicant, _, _ = identify_applicant([passport, bill], None, reference_date=REF)
    assert applicant.usage_surname == "DUPRÉ"
    checks = {c.code: c.status for c in judge_dossier([passport, bill], reference_date=REF).checks}
    assert checks["proof_of_address_name"] == "ok"
    stranger = replace(bill, fields=replace(bill.fields, holder=_pn("DURAND", "Noémie")))
    checks = {c.code: c.status for c in judge_dossier([passport, stranger], reference_date=REF).checks}
    assert checks["proof_of_address_name"] != "ok"


def test_usage_name_matches_either_surname() -> None:
    applicant = Applicant(surname="KOWALSKI", given_names=("Noémie",), usage_surname="DUPRÉ")
    assert names_match(_pn("KOWALSKI", "Noémie"), applicant).matched
    assert names_match(_pn("DUPRE", "NOEMIE"), applicant).matched
    assert not names_match(
        _pn("DUPRE", "NOEMIE"), Applicant(surname="KOWALSKI", given_names=("Noémie",))
    ).matched


def test_two_certificates_outvote_the_ids_other_given_name() -> None:
    """No birth date on the ID (its MRZ on an unread page): two agreeing certificates fix 'Hangoise'."""
    card = _doc("cni.pdf", "identity", "cni_2021", holder=_pn("N'GUESSAN", "Camille", "Hangoise"))
    jdc = _doc("jdc.pdf", "jdc", "certificate", holder=_pn("N'GUESSAN", "Camille", "Françoise"),
               birth_date=date(2007, 5, 9), issue_date=date(2025, 6, 1))  # fmt: skip
    assr = _doc("assr.pdf", "assr", "assr2", holder=_pn("N'GUESSAN", "Camille", "Françoise"),
                birth_date=date(2007, 5, 9), issue_date=date(2021, 6, 1))  # fmt: skip
    applicant, _, _ = identify_applicant([card, jdc, assr], None, reference_date=REF)
    assert applicant.given_names == ("Camille", "Françoise")
    assert applicant.birth_date == date(2007, 5, 9)
    one, _, _ = identify_applicant([card, jdc], None, reference_date=REF)
    assert one.given_names == ("Camille", "Hangoise")  # one certificate alone does not outvote the ID


def test_certificate_birth_date_tells_a_mother_from_her_daughter() -> None:
    """A minor hosted by her mother: 'Hélène' and 'Hélène Marie' BÉLANGER match each other by name; the
    ASSR and the JDC name the daughter by her birth date, so she is the candidate without any doubt."""
    daughter = _doc("cni.pdf", "identity", "cni_2021", holder=_pn("BELANGER", "Héléne"),
                    birth_date=date(2009, 6, 10))  # fmt: skip
    mother = _doc("maman.heic", "identity", "cni_2021", holder=_pn("BELANGER", "Héléne", "Marie"),
                  birth_date=date(1980, 12, 17))  # fmt: skip
    assr = _doc("assr.jpg", "assr", "assr2", holder=_pn("BÉLANGER", "Hélène"), birth_date=date(2009, 6, 10),
                issue_date=date(2023, 6, 1))  # fmt: skip
    jdc = _doc("jdc.pdf", "jdc", "certificate", holder=_pn("BÉLANGER", "Hélène"), birth_date=date(2009, 6, 10),
               issue_date=date(2026, 3, 1))  # fmt: skip
    for order in ([daughter, mother, assr, jdc], [mother, daughter, jdc, assr]):
        applicant, _, checks = identify_applicant(order, None, reference_date=REF)
        assert applicant.birth_date == date(2009, 6, 10)
        assert all(c.status != "review" for c in checks if c.code == "identity")
    # without the birth dates on the certificates nothing tells them apart: a person must look
    vague = [replace(d, fields=replace(d.fields, birth_date=None)) for d in (assr, jdc)]
    _, _, checks = identify_applicant([daughter, mother, *vague], None, reference_date=REF)
    assert any(c.code == "identity" and c.status == "review" for c in checks)


def _valid_band(surname: str, given: tuple[str, ...], birth: date) -> MrzResult:
    return replace(
        _td1(surname, given), birth_date=birth, checks={"document_number": True, "composite": True}
    )


@pytest.mark.parametrize(
    ("visual", "band", "expected"),
    [
        pytest.param(
            _pn("ROBERT", "Huge", "Emile"), _pn("ROBERT", "HUGO", "EMILE"), "ROBERT HUGO",
            id="visual-zone-misread-given-name",
        ),
        pytest.param(
            _pn("T", "Gaëlle", "Anne"), _pn("KERGOAT", "GAELLE", "ANNE"), "KERGOAT GAELLE",
            id="recto-apart-surname-lost",
        ),
    ],
)  # fmt: skip
def test_one_card_read_twice_is_one_person(visual: PersonName, band: PersonName, expected: str) -> None:
    """Seed 24000 d0048 and d0056: a card's recto (or its visual zone) and its verso with the band, read as two
    identity documents of two people. The badly read one was taken for the candidate, and the bill in the
    candidate's name was declared someone else's (incomplete). Same birth date, one reading backed by a valid
    band: one person, named by the band."""
    birth = date(2000, 5, 22)
    recto = _doc("cni recto.bmp", "identity", "cni_2021", holder=visual, birth_date=birth)
    verso = _doc(
        "cni verso.bmp", "identity", "cni_2021",
        holder=band, birth_date=birth, mrz=_valid_band(band.surname or "", band.given_names, birth),
    )  # fmt: skip
    bill = _doc("edf.pdf", "proof_of_address", "electricity", holder=band, issue_date=date(2026, 10, 14))
    for docs in ([recto, verso, bill], [verso, recto, bill]):
        applicant, _, _ = identify_applicant(docs, None, reference_date=REF)
        assert f"{applicant.surname} {applicant.given_names[0]}".upper() == expected
        checks = {c.code: c.status for c in judge_dossier(docs, reference_date=REF).checks}
        assert checks["proof_of_address_name"] == "ok"


def test_twins_with_two_valid_bands_stay_two_people() -> None:
    birth = date(2008, 3, 1)
    docs = [
        _doc("cni " + g + ".bmp", "identity", "cni_2021", holder=_pn("ROBERT", g), birth_date=birth,
             mrz=_valid_band("ROBERT", (g,), birth))
        for g in ("LEO", "LEA")
    ]  # fmt: skip
    assert len(group_identities(docs)) == 2
