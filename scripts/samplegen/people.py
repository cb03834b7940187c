"""French-looking people and addresses for the generated dossiers.

The pools deliberately hold the names that break naive matching: accents, compound given names
('Jean-Baptiste', 'Marie-Ève'), compound surnames ('Martin-Dubois'), particles ('de La Fontaine'),
apostrophes ('N'Diaye', 'D'Almeida') and foreign names. Every draw goes through the caller's
``random.Random`` so a seed gives the same people every time.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from .spec import Person

MALE_GIVEN: tuple[str, ...] = (
    "Jean-Baptiste",
    "Lucas",
    "Hugo",
    "Théo",
    "Mathéo",
    "Noé",
    "Léo",
    "Gabriel",
    "Raphaël",
    "Louis",
    "Jérôme",
    "François",
    "Benoît",
    "Clément",
    "Anatole",
    "Jean-Luc",
    "Pierre-Yves",
    "Mehdi",
    "Yanis",
    "Rayan",
    "Adrien",
    "Maël",
    "Loïc",
    "Gaëtan",
    "Joël",
    "Stéphane",
    "Frédéric",
    "Sébastien",
    "Thomas",
    "Nicolas",
    "Karim",
    "Moussa",
    "Ibrahima",
    "Wei",
    "João",
    "Andrzej",
    "Rémi",
    "Aurélien",
    "Éloi",
)
FEMALE_GIVEN: tuple[str, ...] = (
    "Marie-Ève",
    "Aïssatou",
    "Chloé",
    "Léa",
    "Manon",
    "Inès",
    "Zoé",
    "Maëlys",
    "Héloïse",
    "Céline",
    "Émilie",
    "Hélène",
    "Noémie",
    "Anne-Sophie",
    "Marie-Claire",
    "Océane",
    "Clémence",
    "Gaëlle",
    "Amélie",
    "Bérénice",
    "Françoise",
    "Agnès",
    "Fatoumata",
    "Yasmine",
    "Sarah",
    "Camille",
    "Louise",
    "Jade",
    "Lina",
    "Ana",
    "Mei",
    "Svetlana",
    "Joséphine",
    "Maïwenn",
    "Solène",
    "Margaux",
    "Éloïse",
)
SECOND_GIVEN_M: tuple[str, ...] = ("Marie", "Pierre", "Jean", "André", "Michel", "Paul", "José", "Émile")
SECOND_GIVEN_F: tuple[str, ...] = ("Marie", "Anne", "Louise", "Claire", "Hélène", "Françoise", "Rose")

SURNAMES: tuple[str, ...] = (
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "Fournier",
    "Lambert",
    "Girard",
    "Bonnet",
    "François",
    "Mercier",
    "Dupré",
    "Lemaître",
    "Chevalier",
    "Gauthier",
    "Benoît",
    "Rivière",
    "Noël",
    "Martin-Dubois",
    "Lefèvre-Roussel",
    "Bertin-Mourot",
    "de La Fontaine",
    "de Villiers",
    "Le Goff",
    "Le Bihan",
    "du Pont",
    "N'Diaye",
    "D'Almeida",
    "N'Guessan",
    "O'Neill",
    "Nguyen",
    "Benali",
    "Traoré",
    "Diallo",
    "Kowalski",
    "Da Silva",
    "Dos Santos",
    "Ferreira",
    "Haddad",
    "Öztürk",
    "Müller",
    "Rossi",
    "García López",
    "Saint-Exupéry",
    "Bélanger",
    "Kergoat",
)
FOREIGN: tuple[tuple[str, str, str, str], ...] = (
    # surname, given name, sex, nationality (ISO alpha-3)
    ("Oliveira", "João", "M", "PRT"),
    ("Kowalska", "Agnieszka", "F", "POL"),
    ("Benali", "Yacine", "M", "DZA"),
    ("El Amrani", "Salma", "F", "MAR"),
    ("Nguyen", "Thi Lan", "F", "VNM"),
    ("Diallo", "Mamadou", "M", "SEN"),
    ("Popescu", "Andrei", "M", "ROU"),
    ("Ben Salah", "Amira", "F", "TUN"),
    ("Traoré", "Fanta", "F", "MLI"),
    ("Silva Santos", "Gabriela", "F", "BRA"),
    # EU citizens, who file with their own national identity card
    ("Rossi", "Giulia", "F", "ITA"),
    ("Esposito", "Marco", "M", "ITA"),
    ("García López", "Lucía", "F", "ESP"),
    ("Fernández", "Javier", "M", "ESP"),
    ("Janssens", "Pieter", "M", "BEL"),
    ("Lambert", "Élodie", "F", "BEL"),
    ("Müller", "Lukas", "M", "DEU"),
    ("Schäfer", "Anna", "F", "DEU"),
    ("Ferreira", "Inês", "F", "PRT"),
)
BIRTH_PLACES: tuple[str, ...] = (
    "PARIS 14E (75)",
    "LYON 3E (69)",
    "MARSEILLE (13)",
    "LILLE (59)",
    "NANTES (44)",
    "RENNES (35)",
    "BORDEAUX (33)",
    "TOULOUSE (31)",
    "SAINT-ÉTIENNE (42)",
    "CLERMONT-FERRAND (63)",
    "BREST (29)",
    "STRASBOURG (67)",
    "ORLÉANS (45)",
    "NÎMES (30)",
    "AIX-EN-PROVENCE (13)",
    "CRÉTEIL (94)",
    "POINTE-À-PITRE (971)",
    "SAINT-DENIS (974)",
)
FOREIGN_BIRTH_PLACES: dict[str, str] = {
    "PRT": "PORTO (PORTUGAL)",
    "POL": "KRAKÓW (POLOGNE)",
    "DZA": "ORAN (ALGÉRIE)",
    "MAR": "CASABLANCA (MAROC)",
    "VNM": "HÔ CHI MINH-VILLE (VIET NAM)",
    "SEN": "DAKAR (SÉNÉGAL)",
    "ROU": "CLUJ-NAPOCA (ROUMANIE)",
    "TUN": "SFAX (TUNISIE)",
    "MLI": "BAMAKO (MALI)",
    "BRA": "SÃO PAULO (BRÉSIL)",
    "ITA": "NAPOLI (ITALIE)",
    "ESP": "SEVILLA (ESPAGNE)",
    "BEL": "LIÈGE (BELGIQUE)",
    "DEU": "KÖLN (ALLEMAGNE)",
}

STREET_KINDS: tuple[str, ...] = (
    "rue",
    "rue",
    "rue",
    "avenue",
    "boulevard",
    "allée",
    "impasse",
    "chemin",
    "place",
    "quai",
    "route",
)
STREET_NAMES: tuple[str, ...] = (
    "Victor Hugo",
    "Jean Jaurès",
    "de la République",
    "du Général de Gaulle",
    "Pasteur",
    "des Écoles",
    "de la Gare",
    "du Moulin",
    "des Lilas",
    "Émile Zola",
    "Gambetta",
    "de l'Église",
    "des Peupliers",
    "Saint-Éloi",
    "du Maréchal Foch",
    "Jules Ferry",
    "des Tilleuls",
    "de la Libération",
    "Aristide Briand",
    "du 8 Mai 1945",
    "Condorcet",
    "des Châtaigniers",
    "de Bretagne",
    "Anatole France",
    "Sœur Bouvier",
    "de l'Hôtel de Ville",
    "des Côteaux",
    "Paul Éluard",
)
COMPLEMENTS: tuple[str, ...] = (
    "Bât. B, 3e étage",
    "Résidence Les Érables",
    "Appt 12",
    "Escalier C",
    "Chez Mme Roussel",
    "Lieu-dit La Croix",
    "Bâtiment A",
)
TOWNS: tuple[tuple[str, str], ...] = (
    ("75011", "PARIS"),
    ("75018", "PARIS"),
    ("69003", "LYON"),
    ("13005", "MARSEILLE"),
    ("59000", "LILLE"),
    ("44000", "NANTES"),
    ("35000", "RENNES"),
    ("33000", "BORDEAUX"),
    ("31400", "TOULOUSE"),
    ("42000", "SAINT-ÉTIENNE"),
    ("63000", "CLERMONT-FERRAND"),
    ("29200", "BREST"),
    ("67000", "STRASBOURG"),
    ("45000", "ORLÉANS"),
    ("30900", "NÎMES"),
    ("94000", "CRÉTEIL"),
    ("93200", "SAINT-DENIS"),
    ("92130", "ISSY-LES-MOULINEAUX"),
    ("38000", "GRENOBLE"),
    ("21000", "DIJON"),
    ("87000", "LIMOGES"),
    ("64100", "BAYONNE"),
    ("97110", "POINTE-À-PITRE"),
    ("22300", "LANNION"),
    ("80000", "AMIENS"),
    ("57000", "METZ"),
    ("06300", "NICE"),
    ("34070", "MONTPELLIER"),
    ("49100", "ANGERS"),
    ("74000", "ANNECY"),
)


def draw_address(rng: random.Random) -> tuple[str, ...]:
    """A street line, sometimes a complement, then 'POSTCODE TOWN'."""
    number = rng.randint(1, 148)
    suffix = rng.choice(("", "", "", "", " bis", " ter"))
    street = f"{number}{suffix} {rng.choice(STREET_KINDS)} {rng.choice(STREET_NAMES)}"
    postcode, town = rng.choice(TOWNS)
    lines: list[str] = [street]
    if rng.random() < 0.25:
        lines.append(rng.choice(COMPLEMENTS))
    lines.append(f"{postcode} {town}")
    return tuple(lines)


def draw_birth_date(rng: random.Random, reference: date, min_age: int, max_age: int) -> date:
    """A birth date giving an age in [min_age, max_age] (whole years) at ``reference``.

    The day is kept a few days away from a birthday so the age is unambiguous.
    """
    age = rng.randint(min_age, max_age)
    latest = reference - relativedelta(years=age) - timedelta(days=3)
    earliest = reference - relativedelta(years=age + 1) + timedelta(days=3)
    span = (latest - earliest).days
    return earliest + timedelta(days=rng.randint(0, max(span, 0)))


def draw_given_names(rng: random.Random, sex: str) -> tuple[str, ...]:
    """One to three given names; the first may be compound."""
    first_pool, second_pool = (MALE_GIVEN, SECOND_GIVEN_M) if sex == "M" else (FEMALE_GIVEN, SECOND_GIVEN_F)
    first = rng.choice(first_pool)
    names = [first]
    for _ in range(rng.choice((0, 1, 1, 2))):
        extra = rng.choice(second_pool)
        if extra not in names:
            names.append(extra)
    return tuple(names)


def draw_person(
    rng: random.Random,
    *,
    reference: date,
    min_age: int,
    max_age: int,
    sex: str | None = None,
    surname: str | None = None,
    nationality: str = "FRA",
    address: tuple[str, ...] | None = None,
) -> Person:
    """A person of the requested age band at ``reference``; French unless ``nationality`` says otherwise."""
    chosen_sex = sex or rng.choice(("M", "F"))
    birth = draw_birth_date(rng, reference, min_age, max_age)
    if nationality != "FRA":
        matches = [f for f in FOREIGN if f[3] == nationality and (sex is None or f[2] == sex)]
        foreign = rng.choice(matches or list(FOREIGN))
        return Person(
            surname=surname or foreign[0],
            given_names=tuple(foreign[1].split(" ")) if " " not in foreign[1] else (foreign[1],),
            birth_date=birth,
            sex=foreign[2],
            birth_place=FOREIGN_BIRTH_PLACES.get(foreign[3], "ÉTRANGER"),
            nationality=foreign[3],
            address_lines=address or draw_address(rng),
        )
    return Person(
        surname=surname or rng.choice(SURNAMES),
        given_names=draw_given_names(rng, chosen_sex),
        birth_date=birth,
        sex=chosen_sex,
        birth_place=rng.choice(BIRTH_PLACES),
        nationality="FRA",
        address_lines=address or draw_address(rng),
    )


def with_usage_name(rng: random.Random, person: Person) -> Person:
    """The same woman with a usage (married) surname: 'X épouse Y'."""
    usage = rng.choice([s for s in SURNAMES if s != person.surname])
    return replace(person, sex="F", usage_surname=usage)


def upper_name(name: str) -> str:
    """Surnames as printed on official documents: upper case, accents kept."""
    return name.upper()


def raw_name(person: Person) -> str:
    """'SURNAME Given Names' as the truth's ``raw`` holder string."""
    return f"{upper_name(person.surname)} {' '.join(person.given_names)}"
