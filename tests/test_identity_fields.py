"""Identity visual-zone names and EU driving-licence birth dates, as OCR really returns them."""

from __future__ import annotations

from datetime import date

import pytest

from preverif.extract.dates import find_licence_birth_date
from preverif.extract.fields import find_passport_nationality
from preverif.extract.names import find_identity_name


@pytest.mark.parametrize(
    ("lines", "surname", "first_given"),
    [
        pytest.param(
            ["NOM / Surname", "NOËL |", "Prénoms / Given names", "Margaux, Léa !"],
            "NOËL",
            "Margaux",
            id="debris",
        ),
        pytest.param(
            ["NOM / Surname", "CHEVALIER", "LEDICETPERE ENT", "Aurélien, Michel"],
            "CHEVALIER",
            "Aurélien",
            id="garbled-given-names-label",
        ),
        pytest.param(
            ["Nom / Surname   Nom d'usage", "KOWALSKI épouse DUPRÉ", "Prénoms / Given names", "Noémie"],
            "KOWALSKI",
            "Noémie",
            id="two-name-columns-on-one-line",
        ),
    ],
)
def test_identity_names_under_their_labels(lines: list[str], surname: str, first_given: str) -> None:
    person = find_identity_name(lines)
    assert person is not None
    assert person.surname == surname
    assert person.given_names and person.given_names[0] == first_given


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(
            ["1. MARTIN", "2. PAUL", "3. 20.03.1980 SAINT-ETIENNE (42)", "4a. 12.05.2015", "4c. Préfecture"],
            date(1980, 3, 20),
            id="licence-fields",
        ),
        pytest.param(["3. 20.03.1980 SAINT-ETIENNE (42)"], None, id="field-3-alone-is-not-a-licence"),
        pytest.param(["Facture du 3. 20.03.1980", "Total 3. 12 €"], None, id="not-a-licence"),
        pytest.param([], None, id="empty"),
        pytest.param(["\x00\x01", "3." * 1000], None, id="junk"),
    ],
)
def test_licence_birth_date_needs_the_licence_layout(lines: list[str], expected: date | None) -> None:
    found = find_licence_birth_date(lines, today=date(2026, 11, 27))
    assert (found.date if found else None) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(
            ["PASSEPORT / PASSPORT", "P FRA 55NJ28992", "TR Française 09 07 2006"], "FRA", id="french"
        ),
        pytest.param(["Nationalité / Nationality", "FRANCAISE"], "FRA", id="upper-no-cedilla"),
        pytest.param(["RÉPUBLIQUE FRANÇAISE", "Nationalité MAROCAINE"], None, id="issuer-name-only"),
        pytest.param(["ROYAUME DU MAROC", "PASSEPORT", "Marocaine"], None, id="foreign"),
        pytest.param([], None, id="empty"),
    ],
)
def test_passport_nationality_from_the_visual_zone(lines: list[str], expected: str | None) -> None:
    assert find_passport_nationality(lines) == expected
