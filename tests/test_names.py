"""Person names: parsing, holders of bills, people of attestations, the person of a JDC/ASSR paper."""

from __future__ import annotations

from datetime import date

import pytest

from preverif.classify.doctypes import load_doctypes
from preverif.extract.ephoto import find_ephoto_code
from preverif.extract.fields import extract_fields
from preverif.extract.issuers import find_issuer
from preverif.extract.names import (
    drop_filler_names,
    find_attestation_people,
    find_holder,
    find_licence_name,
    find_named_person,
    find_postal_address,
    is_filler_noise,
    looks_like_name,
    parse_mrz_name_line,
    parse_person_name,
)
from preverif.records import Classification, PersonName
from text_pages import text_page

# (raw, civility, surname, given names, birth surname, usage surname)
NAME_CASES = [
    ("DUPONT Jean", None, "DUPONT", ("Jean",), None, None, "surname-first"),
    ("Jean DUPONT", None, "DUPONT", ("Jean",), None, None, "given-first"),
    ("M. Jean DUPONT", "M.", "DUPONT", ("Jean",), None, None, "civility-m"),
    ("Monsieur Pierre-Yves MARTIN-DUBOIS", "M.", "MARTIN-DUBOIS", ("Pierre-Yves",), None, None, "hyphens"),
    ("Mme Anne-Sophie LE GOFF", "Mme", "LE GOFF", ("Anne-Sophie",), None, None, "particle-le"),
    ("Mlle Zoé DA SILVA", "Mlle", "DA SILVA", ("Zoé",), None, None, "particle-da"),
    ("Madame Marie MARTIN née DUPONT", "Mme", "MARTIN", ("Marie",), "DUPONT", None, "nee"),
    ("MARTIN née DUPONT Marie Claire", None, "MARTIN", ("Marie", "Claire"), "DUPONT", None, "nee-middle"),
    ("Mme DUPONT épouse MARTIN Marie", "Mme", "DUPONT", ("Marie",), None, "MARTIN", "epouse"),
    ("Mme DUPONT ép. MARTIN Marie", "Mme", "DUPONT", ("Marie",), None, "MARTIN", "ep-abbrev"),
    ("DUPONT EPOUSE MARTIN MARIE", None, "DUPONT", ("MARIE",), None, "MARTIN", "epouse-all-caps"),
    ("Madame Léa Dupré épouse Noël", "Mme", "Dupré", ("Léa",), None, "Noël", "epouse-title-case"),
    (
        "Mme BERNARD épouse de LA FONTAINE Chloé",
        "Mme",
        "BERNARD",
        ("Chloé",),
        None,
        "de LA FONTAINE",
        "epouse-particle",
    ),
    ("de Lattre Alexis", None, "de Lattre", ("Alexis",), None, None, "particle-lower-first"),
    ("Jean de La FONTAINE", None, "de La FONTAINE", ("Jean",), None, None, "particle-de-la"),
    ("DE LA FONTAINE JEAN", None, "DE LA FONTAINE", ("JEAN",), None, None, "particle-all-caps"),
    ("N'DIAYE Aïssatou Marie", None, "N'DIAYE", ("Aïssatou", "Marie"), None, None, "apostrophe"),
    ("N’DIAYE Aïssatou", None, "N'DIAYE", ("Aïssatou",), None, None, "curly-apostrophe"),
    ("N' DIAYE Aïssatou", None, "N'DIAYE", ("Aïssatou",), None, None, "ocr-split-apostrophe"),
    ("D'ALMEIDA Rémi", None, "D'ALMEIDA", ("Rémi",), None, None, "d-apostrophe"),
    ("Mme Fatoumata D'ALMEIDA", "Mme", "D'ALMEIDA", ("Fatoumata",), None, None, "d-apostrophe-given-first"),
    ("MARTIN MAELYS GAELLE MARIE", None, "MARTIN", ("MAELYS", "GAELLE", "MARIE"), None, None, "all-caps"),
    ("Jean Dupont", None, "Dupont", ("Jean",), None, None, "title-known-given"),
    ("Dupont Jean", None, "Dupont", ("Jean",), None, None, "title-surname-first"),
    ("GARCÍA LÓPEZ Ana", None, "GARCÍA LÓPEZ", ("Ana",), None, None, "two-word-surname"),
    ("M. ou Mme DUPONT Jean", "M. ou Mme", "DUPONT", ("Jean",), None, None, "joint-civility"),
    ("MME DUPONT MARIE", "Mme", "DUPONT", ("MARIE",), None, None, "caps-civility"),
    ("M.DUPONT Jean", "M.", "DUPONT", ("Jean",), None, None, "civility-glued"),
]


@pytest.mark.parametrize(
    ("raw", "civility", "surname", "given", "birth", "usage"),
    [pytest.param(*case[:6], id=case[6]) for case in NAME_CASES],
)
def test_parse_person_name(
    raw: str, civility: str | None, surname: str, given: tuple[str, ...], birth: str | None, usage: str | None
) -> None:
    p = parse_person_name(raw)
    assert (p.civility, p.surname, p.given_names, p.birth_surname, p.usage_surname) == (
        civility,
        surname,
        given,
        birth,
        usage,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("DUPONT Jean", True, id="name"),
        pytest.param("M. Jean DUPONT", True, id="civility-name"),
        pytest.param("Mme MARTIN", True, id="civility-surname"),
        pytest.param("EDF", False, id="edf"),
        pytest.param("EDF SA", False, id="company-sa"),
        pytest.param("Service client", False, id="service-client"),
        pytest.param("Monsieur le Directeur", False, id="directeur"),
        pytest.param("Madame, Monsieur,", False, id="salutation"),
        pytest.param("35 RUE du logiciel libre", False, id="street"),
        pytest.param("69100 VILLEURBANNE", False, id="postcode"),
        pytest.param("Free Service Abonné", False, id="free-service"),
        pytest.param("Total facture", False, id="total"),
        pytest.param("alexis@via.ecp.fr", False, id="email"),
        pytest.param("Centre des Finances Publiques", False, id="dgfip"),
        pytest.param("le titulaire du contrat", False, id="lower-sentence"),
    ],
)
def test_looks_like_name(text: str, expected: bool) -> None:
    assert looks_like_name(text) is expected


def _names(people: list[PersonName]) -> list[tuple[str | None, tuple[str, ...]]]:
    return [(p.surname, p.given_names) for p in people]


@pytest.mark.parametrize(
    ("lines", "labels", "expected"),
    [
        pytest.param(
            [
                "EDF",
                "Service client",
                "TSA 20021",
                "75000 PARIS",
                "M. DUPONT Jean",
                "12 rue des Lilas",
                "75011 PARIS",
            ],
            [],
            [("DUPONT", ("Jean",))],
            id="civility-over-address",
        ),
        pytest.param(
            ["Engie", "Titulaire du contrat : MARTIN Léa", "Monsieur le Directeur"],
            ["Titulaire du contrat"],
            [("MARTIN", ("Léa",))],
            id="label-same-line",
        ),
        pytest.param(
            ["Votre contrat", "Titulaire du contrat", "N'DIAYE Aïssatou", "Référence client 123456"],
            ["Titulaire du contrat"],
            [("N'DIAYE", ("Aïssatou",))],
            id="label-next-line",
        ),
        pytest.param(
            [
                "QUITTANCE DE LOYER",
                "Bailleur : FONCIA LYON",
                "Locataire : Mme Chloé BERNARD",
                "Adresse du bien loué",
            ],
            ["Locataire"],
            [("BERNARD", ("Chloé",))],
            id="rent-receipt-locataire",
        ),
        pytest.param(
            [
                "DIRECTION GÉNÉRALE DES FINANCES PUBLIQUES",
                "Déclarant 1",
                "LEFÈVRE-ROUSSEL Hélène",
                "Déclarant 2",
            ],
            ["Déclarant 1"],
            [("LEFÈVRE-ROUSSEL", ("Hélène",))],
            id="tax-declarant",
        ),
        pytest.param(
            ["Orange", "M. Jean DUPONT et Mme Marie DUPONT", "3 avenue Victor Hugo", "69003 LYON"],
            [],
            [("DUPONT", ("Jean",)), ("DUPONT", ("Marie",))],
            id="joint-et",
        ),
        pytest.param(
            ["SFR", "M. ou Mme DUPONT Jean", "3 avenue Victor Hugo", "Bât B", "69003 LYON"],
            [],
            [("DUPONT", ("Jean",))],
            id="joint-ou",
        ),
        pytest.param(
            [
                "Veolia Eau",
                "Service clients",
                "de La FONTAINE Jean-Baptiste",
                "4 bis rue de la Gare",
                "Appt 12",
                "35000 RENNES",
            ],
            [],
            [("de La FONTAINE", ("Jean-Baptiste",))],
            id="address-block-particle",
        ),
        pytest.param(
            ["Assuré : M. KOWALSKI Andrzej", "Contrat n° 12345"],
            ["Assuré"],
            [("KOWALSKI", ("Andrzej",))],
            id="insurance-assure",
        ),
        pytest.param(["Free", "Total facture 29,99", "Service client"], [], [], id="no-holder"),
        pytest.param(
            [
                "Numéro fiscal : 0758680735057",
                "Déclarant 1: LEFÈVRE née LEFÈVRE-ROUSSEL Pierre",
                "Adresse au 01/01/2026 : 8 ter rue Aristide Briand, 92130 ISSY-LE",
                "Date d'établissement : 19/10/2026",
                "Date de mise en recouvrement : 23/10/2026",
                "CENTRE DES FINANCES PUBLIQUES",
                "Mme Pierre-Yves Marie LEFEVRE née LEFEVRE-ROUSS",
                "8 TER RUE ARISTIDE BRIAND",
                "92130 ISSY-LES-MOULINEAUX",
            ],
            ["Déclarant 1"],
            [("LEFÈVRE", ("Pierre-Yves", "Marie"))],
            id="given-names-cut-in-narrow-field-completed-from-address-block",
        ),
        pytest.param(
            [
                "Numéro fiscal : 0758680735057",
                "Déclarant 1: LEFÈVRE Pierre",
                "Date d'établissement : 19/10/2026",
                "Date de mise en recouvrement : 23/10/2026",
                "CENTRE DES FINANCES PUBLIQUES",
                "Mme Pierrette Marie LEFEVRE",
                "8 TER RUE ARISTIDE BRIAND",
                "92130 ISSY-LES-MOULINEAUX",
            ],
            ["Déclarant 1"],
            [("LEFÈVRE", ("Pierre",))],
            id="another-given-name-is-no-completion",
        ),
        pytest.param(
            [
                "Locataire : Mme Benoît NOËL née LE GOFF",
                "Le bailleur déclare avoir reçu de Mme Benoît NOËL née LE GOFF la somme de 1 200 €",
            ],
            ["Locataire"],
            [("NOËL", ("Benoît",))],
            id="sentence-words-after-the-name-are-no-given-names",
        ),
        pytest.param(
            ["Titulaire du contrat : Mme Anne- “Sophie BERTIN- MOUROT |"],
            [],
            [("BERTIN-MOUROT", ("Anne-Sophie",))],
            id="fax-split-hyphens-quote-speck-and-pipe",
        ),
        pytest.param(
            ["Titulaire du contrat : M, Noé $ BÉLANGER : ° am |. :"],
            [],
            [("BÉLANGER", ("Noé",))],
            id="fax-comma-for-civility-dot-and-lone-symbols",
        ),
        pytest.param(
            ["Mme Anne-Sophie BERTIN-MOUROT", "7 TER BOULEVARD PAUL ÉLUARD", "45000 ORLEANS"],
            [],
            [("BERTIN-MOUROT", ("Anne-Sophie",))],
            id="compound-names-kept",
        ),
    ],
)
def test_find_holder(
    lines: list[str], labels: list[str], expected: list[tuple[str, tuple[str, ...]]]
) -> None:
    assert _names(find_holder(lines, labels)) == expected


def test_find_postal_address() -> None:
    lines = ["EDF", "M. DUPONT Jean", "12 rue des Lilas", "Bât B", "75011 PARIS", "Facture"]
    assert find_postal_address(lines, 1) == "12 rue des Lilas, Bât B, 75011 PARIS"
    assert find_postal_address(lines) == "12 rue des Lilas, Bât B, 75011 PARIS"
    assert find_postal_address(["rien"]) is None


ATTESTATIONS = [
    pytest.param(
        [
            "ATTESTATION D'HEBERGEMENT",
            "Je soussignée Madame Hélène MARTIN, née le 12/03/1970 à Lyon,",
            "demeurant 3 rue des Lilas 69003 Lyon,",
            "atteste sur l'honneur héberger à mon domicile",
            "M. Lucas DUPONT, né le 4 mai 2005 à Paris,",
            "depuis le 1er janvier 2020.",
        ],
        ("MARTIN", ("Hélène",)),
        ("DUPONT", ("Lucas",)),
        id="typed-classic",
    ),
    pytest.param(
        [
            "Je soussigné(e) DURAND Pierre demeurant 4 rue Pasteur 44000 Nantes",
            "atteste héberger NGUYEN Thi Lan depuis le 2 mars 2024",
        ],
        ("DURAND", ("Pierre",)),
        ("NGUYEN", ("Thi", "Lan")),
        id="soussigne-e",
    ),
    pytest.param(
        [
            "Je souss1gné Pierre Durand demeurant 4 rue X",
            "certifie que mon fils Hugo Durand demeure bien au 4 rue X depuis plus de trois mois",
        ],
        ("Durand", ("Pierre",)),
        ("Durand", ("Hugo",)),
        id="certifie-que-mon-fils-ocr",
    ),
    pytest.param(
        [
            "Je sousigne Karim BENALI ne le 3/4/1975",
            "atteste sur l honneur heberger a mon domicile mon neveu",
            "Yacine BENALI ne le 5/6/2006",
        ],
        ("BENALI", ("Karim",)),
        ("BENALI", ("Yacine",)),
        id="handwriting-no-accents",
    ),
    pytest.param(
        [
            "Je soussignee, Mme Gaëlle LE BIHAN, née le 01.02.1980",
            "atteste sur l'honneur hèberger",
            "Mlle Zoé LE BIHAN, ma fille",
        ],
        ("LE BIHAN", ("Gaëlle",)),
        ("LE BIHAN", ("Zoé",)),
        id="comma-after-soussignee",
    ),
    pytest.param(
        [
            "Nom et prénom de l'hébergeant : ROBERT Louis",
            "Nom et prénom de la personne hébergée : ROBERT Léa",
        ],
        ("ROBERT", ("Louis",)),
        ("ROBERT", ("Léa",)),
        id="form-labels",
    ),
    pytest.param(
        [
            "Se seussigné Anatele DUPRE, né Le 15/04/1944 à NANTES",
            "héberger Amon dericile Océane DOS SANTOS, née le 14/04/44 à",
        ],
        ("DUPRE", ("Anatele",)),
        ("DOS SANTOS", ("Océane",)),
        id="handwriting-a-mon-domicile-garbled",
    ),
    pytest.param(
        ["Je soussigné Paul MARTIN atteste héberger chez moi Amandine CHEVALIER depuis le 1/1/2020"],
        ("MARTIN", ("Paul",)),
        ("CHEVALIER", ("Amandine",)),
        id="chez-moi",
    ),
    pytest.param(
        [
            "Se sussiqné Mussa LAMBERT, né le 13 décembre 1957 à SAWT-ÉTIENNE",
            "néberger à ren denice M Reni Marie BERNARD, né le U3/I/IA5 à",
        ],
        ("LAMBERT", ("Mussa",)),
        ("BERNARD", ("Reni", "Marie")),
        id="handwriting-garbled-words-before-the-name",
    ),
    pytest.param(
        ["Je soussigné Paul MARTIN atteste héberger océane DURAND née le 1/1/2000"],
        ("MARTIN", ("Paul",)),
        ("DURAND", ("océane",)),
        id="lower-case-given-name-kept",
    ),
    pytest.param(
        [
            "Je soussignée Mne Manan Anne MOUYEM, née le 3/4/1970",
            "atteste héberger M. Louis PETIT né le 1/2/2005",
        ],
        ("MOUYEM", ("Manan", "Anne")),
        ("PETIT", ("Louis",)),
        id="mme-read-mne",
    ),
    pytest.param(
        [
            "Attestation d'hébergement",
            "De sessimée Eloise Louise LEROY, née le 18/10/14 à",
            "AIX-EN-PROVENCE (13), demeurant G7 cherin de Bretagne, £0000",
            "AMIENS, attbeste sr l'honneur héberger à ren dericile M. Paul Emile LEROY, né le",
        ],
        ("LEROY", ("Eloise", "Louise")),
        ("LEROY", ("Paul", "Emile")),
        id="handwriting-soussignee-garbled-name-before-nee-le",
    ),
]


@pytest.mark.parametrize(("lines", "host", "hosted"), ATTESTATIONS)
def test_find_attestation_people(
    lines: list[str], host: tuple[str, tuple[str, ...]], hosted: tuple[str, tuple[str, ...]]
) -> None:
    got_host, got_hosted = find_attestation_people(lines)
    assert got_host is not None and got_hosted is not None
    assert (got_host.surname, got_host.given_names) == host
    assert (got_hosted.surname, got_hosted.given_names) == hosted


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(
            ["CERTIFICAT INDIVIDUEL DE PARTICIPATION", "Nom : DUPONT", "Prénom(s) : Jean Marie"],
            ("DUPONT", ("Jean", "Marie")),
            id="nom-prenoms",
        ),
        pytest.param(
            ["Nom : N'DIAYE Prénom : Aïssatou", "Né(e) le 14/03/2008"],
            ("N'DIAYE", ("Aïssatou",)),
            id="same-line",
        ),
        pytest.param(
            ["Attestation délivrée à M. Jean DUPONT, né le 12/03/2005"],
            ("DUPONT", ("Jean",)),
            id="delivree-a",
        ),
        pytest.param(
            [
                "Je soussigné(e) MARTIN Lucas, né le 1er mai 2007,",
                "déclare sur l'honneur avoir obtenu l'ASSR 2",
            ],
            ("MARTIN", ("Lucas",)),
            id="honour-statement",
        ),
        pytest.param(
            ["ASSR 2", "Mme Inès HADDAD née le 02/02/2008"], ("HADDAD", ("Inès",)), id="civility-born"
        ),
        pytest.param(["Attestation scolaire de sécurité routière"], None, id="nobody"),
        pytest.param(
            [
                "Nom: ee GARCIA LOPEZ |",
                "7 Reams) Li. | Louis a:",
                "Le jeune Louis Émile: GARCIA LOPEZ a satel’ ala Journée défense et citoyenneté",
            ],
            ("GARCIA LOPEZ", ("Louis", "Émile")),
            id="fax-speck-before-surname-given-from-sentence",
        ),
        pytest.param(["Nom : de LA TOUR", "Prénom(s) : Anne"], ("de LA TOUR", ("Anne",)), id="particle-kept"),
        pytest.param(
            [
                "Nom:",
                "Prénom(s) :",
                "TRAORÉ |",
                "“Rémi Jean Émile |",
                "Le jeune Baal Jean Émile TRAORÉ a participé à la Journée défense et citoyenneté",
            ],
            ("TRAORÉ", ("Rémi", "Jean", "Émile")),
            id="sentence-given-name-garbled-field-copy-known",
        ),
        pytest.param(
            [
                "Le jeune Baal Jean Émile TRAORÉ a participé à la Journée défense et citoyenneté",
                "Paul Jean Marc",
            ],
            ("TRAORÉ", ("Baal", "Jean", "Émile")),
            id="no-copy-differing-by-one-word-kept-as-read",
        ),
    ],
)
def test_find_named_person(lines: list[str], expected: tuple[str, tuple[str, ...]] | None) -> None:
    person = find_named_person(lines)
    assert (None if person is None else (person.surname, person.given_names)) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(["Code e-photo : AB12CD34EF56GH78IJ90KL"], "AB12CD34EF56GH78IJ90KL", id="same-line"),
        pytest.param(
            ["CODE E-PHOTO", "AB12 CD34 EF56 GH78 IJ90 KL"], "AB12CD34EF56GH78IJ90KL", id="below-spaced"
        ),
        pytest.param(
            ["Votre code photo-signature ANTS :", "AB12-CD34-EF56-GH78-IJ90-KL"],
            "AB12CD34EF56GH78IJ90KL",
            id="dashes",
        ),
        pytest.param(
            ["PHOTO SIGNATURE NUMERIQUE", "Agréé services en ligne ANTS", "Code : 7K3P9QX2M4T8R1W6Z5N0HB"],
            "7K3P9QX2M4T8R1W6Z5N0HB",
            id="booth-sheet",
        ),
        pytest.param(
            ["Code e-photo : AB12CD34EF56GH78IJ9OKL"], "AB12CD34EF56GH78IJ9OKL", id="kept-as-read-O"
        ),
        pytest.param(["PHOTOGRAPHIE D IDENTITE CONFORME NORME"], None, id="caps-words-not-code"),
        pytest.param(["Code e-photo : AB12CD"], None, id="too-short"),
    ],
)
def test_find_ephoto_code(lines: list[str], expected: str | None) -> None:
    assert find_ephoto_code(lines) == expected


ISSUERS = ["EDF", "Engie", "TotalEnergies", "Total", "Free", "Orange", "SFR", "Veolia", "DGFiP"]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(["EDF", "M. DUPONT Jean", "Facture du 12/03/2026"], "EDF", id="header"),
        pytest.param(
            ["M. DUPONT", "Total facture 29,99", "Free SAS au capital de 3.441.812 Euros - RCS Paris"],
            "Free",
            id="footer-beats-total-facture",
        ),
        pytest.param(["Votre facture", "orange.fr"], "Orange", id="domain"),
        pytest.param(["Aucune marque ici"], None, id="none"),
    ],
)
def test_find_issuer(lines: list[str], expected: str | None) -> None:
    assert find_issuer(lines, ISSUERS) == expected


JUNK = [
    pytest.param([None, 3, b"bytes"], id="non-str"),
    pytest.param(["\x00" * 50, "////", "::::"], id="control"),
    pytest.param(["M." * 400], id="long-civility"),
    pytest.param(["Je soussigné"], id="anchor-only"),
    pytest.param(["héberger"] * 3, id="hosted-anchor-only"),
    pytest.param([], id="empty"),
]


@pytest.mark.parametrize("lines", JUNK)
def test_junk_never_raises(lines: list[object]) -> None:
    assert isinstance(find_holder(lines, ["Titulaire", ""]), list)  # type: ignore[arg-type]
    host, hosted = find_attestation_people(lines)  # type: ignore[arg-type]
    assert host is None and hosted is None
    assert find_named_person(lines) is None  # type: ignore[arg-type]
    assert find_ephoto_code(lines) is None  # type: ignore[arg-type]
    assert find_issuer(lines, ISSUERS) is None  # type: ignore[arg-type]
    assert find_postal_address(lines, 99) is None  # type: ignore[arg-type]
    for item in lines:
        assert isinstance(parse_person_name(item), PersonName)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(
            [
                "Référence abonné : 605791659 41 PLACE PAUL ÉLUARD",
                "57000 METZ",
                "Titulaire du contrat : M. Hugo DIALLO",
            ],
            [("DIALLO", ("Hugo",))],
            id="street-name-after-reference-label",
        ),
        pytest.param(
            [
                "Référence client : 5906911174 80 TER AVENUE VICTOR HUGO",
                "Titulaire du contrat : Mme Rose DURAND",
            ],
            [("DURAND", ("Rose",))],
            id="avenue-victor-hugo",
        ),
        pytest.param(
            [
                "Abonnement Tarif Bleu - Option Base . du 13/05/2026",
                "Tituiaire du contrat : Mme Marie-Claire LEFEVRE",
            ],
            [("LEFEVRE", ("Marie-Claire",))],
            id="abonnement-is-no-abonne-and-ocr-titulaire",
        ),
        pytest.param(
            ["Abonnement Gaz Tarif Référence du 02/10/2026", "Consommation gaz 181 kWh (coef 23.2) 150.12 €"],
            [],
            id="table-line-no-holder",
        ),
        pytest.param(
            ["N° client 0957156031 CHEZ MME ROUSSEL", "Titulaire du contrat : Mme Ana Rose LEMAÎTRE"],
            [("LEMAÎTRE", ("Ana", "Rose"))],
            id="care-of-is-no-holder",
        ),
        pytest.param(
            [
                "N° de facture : 6660144655 M. Moussa Michel HADDAD",
                "Client depuis le : 16/04/2016 CHEZ MME ROUSSEL",
                "49100 ANGERS",
                "Facture émise le 21 déc. 2025",
                "Titulaire du contrat : M. Moussa HADDAD",
            ],
            # the reference column's copy, merged with the address block, gives the full given names
            [("HADDAD", ("Moussa", "Michel"))],
            id="care-of-over-the-city-line",
        ),
        pytest.param(
            ["EDF", "Mme Léa MARTIN", "Chez M. Paul DURAND", "12 rue des Lilas", "75011 PARIS"],
            [("MARTIN", ("Léa",))],
            id="care-of-line-over-the-street",
        ),
        pytest.param(
            [
                "Mme Margaux Hélène LE GOFF",
                "1 BIS IMPASSE PAUL ELUARD",
                "42000 SAINT ETIENNE",
                "(Titulaire du contrat : Mme Margaux Hélène LE nn: | |",
            ],
            [("LE GOFF", ("Margaux", "Hélène"))],
            id="label-copy-cut-address-copy-whole",
        ),
        pytest.param(
            ["Adresse : 121 quai des Ecoles", "Titulaire du CORRE M. Louis MOREAU"],
            [("MOREAU", ("Louis",))],
            id="garbled-label-words-before-the-civility",
        ),
        pytest.param(
            ["Titulaire du contrat : Jean DUPONT et Mme Marie DURAND"],
            [("DUPONT", ("Jean",)), ("DURAND", ("Marie",))],
            id="joint-holders-keep-the-first",
        ),
    ],
)
def test_find_holder_not_fooled(lines: list[str], expected: list[tuple[str, tuple[str, ...]]]) -> None:
    assert _names(find_holder(lines, [])) == expected


@pytest.mark.parametrize(
    ("word", "noise"),
    [
        pytest.param("JATTETEEEEEESEEEEEEEEED", True, id="filler-run"),
        pytest.param("KKKK", True, id="k-run"),
        pytest.param("JEAN", False, id="name"),
        pytest.param("CELESTINE", False, id="long-name-with-filler-letters"),
        pytest.param("ALEXANDRE", False, id="alexandre"),
    ],
)
def test_is_filler_noise(word: str, noise: bool) -> None:
    assert is_filler_noise(word) is noise


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param("BENOIT<<SEBASTIEN<<<<<<<<<<<<<", ("BENOIT", ("SEBASTIEN",)), id="td1-line3"),
        pytest.param("DU<PONT<<NOE<MARC<<<<<<<<<<<<", ("DU PONT", ("NOE", "MARC")), id="two-word-surname"),
        pytest.param("RICHARDS4J EROMESMARIES <<eeeeed", None, id="noisy"),
        pytest.param("", None, id="empty"),
    ],
)
def test_parse_mrz_name_line(line: str, expected: tuple[str, tuple[str, ...]] | None) -> None:
    person = parse_mrz_name_line(line)
    assert (None if person is None else (person.surname, person.given_names)) == expected


def test_find_licence_name() -> None:
    lines = [
        "PERMIS DE CONDUIRE",
        "1. DUPONT",
        "2. HUGO ANDRE _",
        "3. 20.03.1980 SAINT-ETIENNE (42)",
        "4a. 18.03.2018",
    ]
    person = find_licence_name(lines)
    assert person is not None and (person.surname, person.given_names) == ("DUPONT", ("HUGO", "ANDRE"))
    assert find_licence_name(["1. 12 rue X", "2. ###"]) is None
    assert find_licence_name([None, 3]) is None  # type: ignore[list-item]


# ---------------------------------------------------------------- issue 6: holder-name causes


@pytest.mark.parametrize(
    ("lines", "surname", "first"),
    [
        pytest.param(
            ["Nom MOREAU", "Prénom(s) Agnès", "Né(e) le 29/01/2009"], "MOREAU", "Agnès", id="bare-nom"
        ),
        pytest.param(
            ["Nom N'GUESSAN", "Prénom(s) : Lina Claire"], "N'GUESSAN", "Lina", id="bare-nom-apostrophe"
        ),
        pytest.param(
            ["Nom: . DUPONT:", "Prénom(s) : | | Sébastien", "Le jeune Sébastien DU PONT a participé"],
            "DU PONT",
            "Sébastien",
            id="debris-and-spaced-spelling",
        ),
    ],
)
def test_named_person_label_variants(lines: list[str], surname: str, first: str) -> None:
    person = find_named_person(lines)
    assert person is not None
    assert person.surname == surname
    assert person.given_names[0] == first


@pytest.mark.parametrize(
    "lines",
    [
        pytest.param(["Nom du centre : 12"], id="digits"),
        pytest.param(["Nom de l'établissement Collège"], id="bare-lowercase-value"),
    ],
)
def test_named_person_bare_label_needs_capitals(lines: list[str]) -> None:
    assert find_named_person(lines) is None


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        pytest.param(["AISSATOUKROSE"], ("AISSATOU", "ROSE"), id="k-between-known"),
        pytest.param(["ANAXHELENE"], ("ANA", "HELENE"), id="x-between-known"),
        pytest.param(["ANAK"], ("ANA",), id="trailing-filler"),
        pytest.param(["ALEXANDRE"], ("ALEXANDRE",), id="real-name-kept"),
        pytest.param(["KKKKKKKK"], (), id="pure-filler"),
        pytest.param(["BERENICE", "K"], ("BERENICE",), id="lone-filler-letter-after-name"),
        pytest.param(["ANNE", "C", "MARIE"], ("ANNE", "MARIE"), id="lone-filler-letter-between-names"),
        pytest.param(["JEAN", "B"], ("JEAN", "B"), id="lone-initial-not-filler-kept"),
    ],
)
def test_drop_filler_names_splits_misread_fillers(words: list[str], expected: tuple[str, ...]) -> None:
    assert drop_filler_names(words) == expected


@pytest.mark.parametrize(
    ("lines", "host"),
    [
        pytest.param(
            ["ie soussignée Tilaiweny fe, née Le 20 mai 1973 a LILLE :", "demeurant 9 rue des Coteaux"],
            "Tilaiweny",
            id="speck-after-the-name-dropped",
        ),
        pytest.param(
            ["Je soussigné fe Paul MOREAU, né le 2 mai 1970", "demeurant 9 rue des Lilas"],
            "Paul MOREAU",
            id="speck-before-the-name-dropped",
        ),
        pytest.param(
            ["Je soussigné Jean de LA FONTAINE, né le 2 mai 1970"],
            "Jean de LA FONTAINE",
            id="particle-kept",
        ),
        pytest.param(
            [
                "née Marie-Ève HADDAD, à le 25/08/1953",
                "demeurant 33 rue Foch, atteste héberger à mon domicile",
            ],
            "Marie-Ève HADDAD",
            id="photo-cut-je-soussignee",
        ),
        pytest.param(
            ["demeurant 33 rue Foch, atteste héberger à mon domicile", "Amélie FOURNIER, née le 18/01/2007"],
            None,
            id="hosted-born-line-is-no-host",
        ),
    ],
)
def test_attestation_host_reading(lines: list[str], host: str | None) -> None:
    found, _ = find_attestation_people(lines)
    assert (found.raw if found is not None else None) == host


def test_birth_clause_after_the_address_is_the_hosted_persons() -> None:
    """Only a 'née le' before any address or attesting word names the host: here the host's own words are
    lost, and the 'née le' that remains is the hosted person's."""
    lines = [
        "Attestation d'hébergement",
        "Xe srsxxx demeurant 3 rue des Lilas, 75011 PARIS, atteste héberger",
        "Marie DURAND, née le 1/1/2000 à Lyon",
    ]
    host, hosted = find_attestation_people(lines)
    assert host is None
    assert hosted is not None and hosted.surname == "DURAND"


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(
            ["Vos références", "Mme Giulia ROSSI", "34 ALLÉE JULES FERRY", "29200 BREST",
             "Tutaire du contrat : Mme Giulia ROSS!"],
            ("ROSSI", ("Giulia",)),
            id="final-i-read-as-exclamation-mark",
        ),
        pytest.param(
            ["Facture du 15 octobre 2026", "Mme Lina ROSS!", "horse 74 TER BOULEVARD DES ÉCOLES",
             "Titulawe du contrat Mme Lina ROSS!",
             "En cas de réclamation, si la réponse ne vous satisfait pas, VOUS POUVEZ saisir le médiateur"],
            ("ROSSI", ("Lina",)),
            id="capitals-of-the-fine-print-are-no-name",
        ),
        pytest.param(
            ["Mme Lina LE GOFF", "12 RUE DES LILAS", "29200 BREST", "Titulaire du contrat : Mme Lina.LE GOFF"],
            ("LE GOFF", ("Lina",)),
            id="full-stop-glued-between-given-name-and-surname",
        ),
        pytest.param(
            ["Titulaire du contrat : M. Ibrahima LE|BIHAN", "82 AVENUE DES TILLEULS", "30900 NIMES"],
            ("LE BIHAN", ("Ibrahima",)),
            id="fax-streak-read-as-bar-between-surname-words",
        ),
        pytest.param(
            ["N° de facture : 995463564145 M. Ibrahima Jean José LE BIHAN",
             "Référence abonné : 639056102 82. AVENUE DES TILLEULS",
             "Client depuis le : 15/02/2023 30900 NIMES",
             "Titulaire du contrat : M. Ibrahima LE#BIHAN"],
            ("LE BIHAN", ("Ibrahima", "Jean", "José")),
            id="one-word-label-reading-completed-by-the-reference-column-copy",
        ),

    ],
)  # fmt: skip
def test_bill_holder_ocr_slips(lines: list[str], expected: tuple[str, tuple[str, ...]]) -> None:
    people = find_holder(lines, [])
    assert people
    assert (people[0].surname, people[0].given_names) == expected


def test_tax_notice_declarant_numbering_misread_is_no_surname() -> None:
    """Seed 24000 d0013: « Déclarant 1 : » read « Déclarant HE »: the label's reading gave the surname « HE
    DUPRE »; the address block's copy of the same person has none of it."""
    lines = [
        "21/10/2026 16:48 DE: 433.368 13.7731. OC",
        "DIRECTION GENERALE DES FINANCES PUBLIQUES",
        "[1 Impôt sur les revenus de 2025",
        "= Avis d'impôt 2026 sur les revenus de 2025",
        "RÉPUBLIQUE Avis d'impôt établi en 2026",
        "FRANÇAISE",
        "Liberté |",
        "Égalité CENTRE DES FINANCES PUBLIQUES",
        "Fracernité",
        "M. Pierre-Yves DUPRE et Mme Mei Louise Françoise RIC",
        "54 AVENUE DES ÉCOLES",
        "22300 LANNION",
        "Vos références ;",
        "\" Somme qu'il vous reste à payer",
        "Numéro figcal : 2772639653154",
        "223 €",
        "Déclarant HE DUPRE Pierre-Yves",
        "Référence ide l'avis : 2605011719275",
    ]
    holder = extract_fields(
        [text_page(lines)],
        Classification(type="proof_of_address", subtype="tax_notice", confidence=0.9),
        load_doctypes().labels_for("proof_of_address", "tax_notice"),
        reference_date=date(2026, 11, 27),
    ).holder
    assert holder is not None
    assert (holder.surname, holder.given_names) == ("DUPRE", ("Pierre-Yves",))
