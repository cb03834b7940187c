"""People on documents: parse a written name, and find the holder, the host/hosted or the named person.

French conventions drive the parse: surnames in capitals, given names in title case ('DUPONT Jean',
'Jean DUPONT'), civilities, 'épouse X' (usage name), 'née Y' (birth name), particles and apostrophes.
Finding is label- and layout-driven (label block, civility line, address block), never per issuer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from preverif.extract.dates import (
    ODD_INPUT_ERRORS,
    Label,
    find_licence_birth_date,
    fold,
    label_regex,
    label_text,
    mentions_driving_licence,
)
from preverif.records import PersonName


def _fold_set(text: str) -> frozenset[str]:
    return frozenset(fold(w) for w in text.split())


# 'Mne' / 'Mrne': 'Mme' as OCR reads handwriting or small print
# a fax or a blurred scan often reads the civility's dot as a comma ('M, Noé BÉLANGER')
_CIV_WORD = r"(?:monsieur|madame|mademoiselle|mme|mne|mrne|mlle|mr|m)(?:\.|:|,(?=\s)|(?=\s))"
_CIVILITY_RE = re.compile(
    r"^\s*(?P<civ>" + _CIV_WORD + r"(?:\s*(?:ou|et|/|&)\s*" + _CIV_WORD + r")?)\s*",
    re.IGNORECASE,
)
_CIVILITY_DISPLAY = {
    "monsieur": "M.",
    "m": "M.",
    "mr": "M.",
    "madame": "Mme",
    "mme": "Mme",
    "mne": "Mme",
    "mrne": "Mme",
    "mademoiselle": "Mlle",
    "mlle": "Mlle",
}
_PARTICLES = frozenset(
    {"de", "du", "des", "la", "le", "d'", "van", "von", "der", "den", "da", "dos", "das", "del", "di", "ben", "el",
     "al", "ibn", "mac", "st", "saint", "sainte"}
)  # fmt: skip
_USAGE_RE = re.compile(r"\b(?:epouse|epse|ep\.?|veuve|vve|nom d'usage\s*:?)(?=\s)", re.IGNORECASE)
_BIRTH_RE = re.compile(r"\b(?:nee|ne|nom de naissance\s*:?)(?=\s)", re.IGNORECASE)

# common given names: break the tie when case does not say which word is the surname
_GIVEN_NAMES_TEXT = (
    "Jean Pierre Paul Louis Marie Anne Jacques Michel André Philippe Alain Bernard Christian Daniel Patrick "
    "Nicolas Thomas Julien Antoine Alexandre Alexis Maxime Hugo Lucas Léo Gabriel Raphaël Arthur Adam Nathan "
    "Théo Mathis Ethan Noah Louise Emma Jade Alice Chloé Léa Manon Inès Lina Camille Sarah Zoé Juliette "
    "Mathilde Julie Laura Marion Pauline Claire Sophie Isabelle Nathalie Sandrine Valérie Catherine Christine "
    "Françoise Monique Sylvie Martine Nicole Brigitte Céline Émilie Hélène Aurélie Caroline Stéphanie "
    "Mohamed Mehdi Karim Yanis Rayan Moussa Ibrahima Fatoumata Aïssatou Yasmine Amira Salma Mamadou Fanta "
    "François Frédéric Stéphane Sébastien Laurent Olivier Éric Thierry Pascal Didier Vincent Guillaume "
    "Benoît Clément Adrien Rémi Loïc Joël Gaëtan Aurélien Romain Quentin Kevin Florian Baptiste Victor "
    "Jules Martin Simon Robert Richard Henri Georges Lucie Agnès Océane Margaux Clémence Solène Noémie "
    "Amélie Charlotte Elise Éloïse Héloïse Maëlys Gaëlle Louis Joseph Pierre-Yves Jean-Baptiste Jean-Luc "
    "Marie-Claire Anne-Sophie Marie-Ève Emmanuel Emmanuelle Corinne Christiane Hervé Djamel Ulysse "
    "Christophe João Andrei Agnieszka Yacine Gabriela Wei Mei Ana Svetlana Joséphine Maïwenn Rose Émile "
    "Elliot Hugues Charles Basile Mari-Liis Anatole Mathéo Noé Éloi Margot Nina Eva Mila Rose Ambre "
    "Luc Marc Yves Jeanne Anaïs Enzo Axel Gérard Dominique"
)
_GIVEN_NAMES = _fold_set(_GIVEN_NAMES_TEXT)

_KNOWN_GIVEN_SPELLINGS = frozenset(w for w in _GIVEN_NAMES_TEXT.split())

# words that make a line a company, a label or a heading rather than a person
_NOT_NAME_WORDS = _fold_set(
    "sa sas sarl sasu eurl sci scp ste société groupe service services client clients abonné abonnés "
    "adresse facture factures contrat total montant numéro n° date dates référence références agence "
    "centre direction directeur directrice impôts impots finances publiques tél tel téléphone email "
    "courriel page mairie préfecture ministère république française france edf engie enedis grdf "
    "orange sfr free bouygues telecom veolia suez saur banque crédit assurance assurances mutuelle "
    "livraison consommation installation compte espace internet site www mon votre vos nos notre "
    "bailleur gestion immobilier immobilière foncia office habitat logement titulaire locataire "
    "déclarant assuré code détail conditions générales objet madame monsieur messieurs cher chère "
    "tarif échéance paiement prélèvement avis impôt revenus revenu fiscal taxe relevé période "
    "nom prénom prénoms signature cachet lieu fait attestation certificat hébergement honneur "
    "journée défense citoyenneté sécurité routière académie collège lycée rectorat destinataire "
    "permis conduire driving licence license passeport passport identité identity nationale "
    "expéditeur cedex bp cs tsa résidence bâtiment bât appt appartement escalier étage lieu-dit "
    "rue avenue boulevard allée impasse chemin place quai route ci-dessous ci-dessus par pour avec "
    "sexe nationalité nationality the of and vous nous pouvez pouvons merci contactez"
)
_STOP_AFTER_NAME = _fold_set(
    "né née né(e) nee(e) ne(e) demeurant domicilié domiciliée domicilié(e) résidant résidante habitant "
    "atteste certifie déclare agissant en qualité depuis à au a demeure réside habite vit est loge "
    "sur chez dans pour titulaire"
)
_CONNECTORS = frozenset({"nee", "ne", "epouse", "ep", "epse", "veuve", "vve"})
_STREET_RE = re.compile(
    r"^\s*(?:\d{1,4}\s*(?:bis|ter|b|t)?\s*,?\s+)?(?:rue|avenue|av\.?|boulevard|bd|allee|impasse|chemin|place|quai|"
    r"route|cours|square|lotissement|lieu-dit|residence|hameau|voie|passage|rond-point|cite|sentier|villa|"
    r"chaussee|faubourg|fbg|promenade|esplanade|parvis|clos|mail|domaine)\b",
    re.IGNORECASE,
)
_NUMBERED_STREET_RE = re.compile(r"^\s*\d{1,4}\s*(?:bis|ter)?\s*,?\s+[A-Za-zÀ-ÿ]")
_POSTCODE_RE = re.compile(r"^\s*(?:F-?)?\d{5}\s+[A-Za-zÀ-ÿ'\- ]{2,}")
_COMPLEMENT_RE = re.compile(
    r"^\s*(?:bat|batiment|residence|appt|appartement|escalier|esc|etage|chez|lieu-dit|porte|bp|cs|app)\b",
    re.IGNORECASE,
)


_QUOTES_RE = re.compile(r"[“”„\"]")
# a lone symbol among a name's words: a fax's speck or a table rule read as '$', '°', '|', '©'
_LONE_SYMBOL_RE = re.compile(r"(?<!\S)[$°§©®¢£¤•·*|~^]+(?!\S)")
# OCR of a fax or a blurred scan splits a compound name at its hyphen ('Anne- Sophie', 'BERTIN- MOUROT')
_SPLIT_HYPHEN_RE = re.compile(r"(?<=[^\W\d_])- (?=[^\W\d_])")


# an exclamation mark closing or inside a run of capitals is an I whose dot-like foot OCR kept ('ROSS!')
_BANG_FOR_I_RE = re.compile(r"(?<=[A-ZÀ-Ý]{2})!(?=[A-ZÀ-Ý]|[\s,;:.]|$)")


# a full stop glued between a given name and a capitalised surname ('Mme Lina.LE GOFF'), or a fax streak /
# table rule read as '|' between two words ('M. Ibrahima LE|BIHAN'): OCR lost the space there
_GLUED_STOP_RE = re.compile(r"(?<=[a-zß-öø-ÿ]{2})\.(?=[A-ZÀ-ÖØ-Þ]{2})")
_GLUED_BAR_RE = re.compile(r"(?<=[^\W\d_]{2})\|(?=[^\W\d_]{2})")


def _clean(raw: str) -> str:
    text = _BANG_FOR_I_RE.sub("I", raw.replace("’", "'").replace("‘", "'").replace("\u00a0", " "))
    text = _GLUED_BAR_RE.sub(" ", _GLUED_STOP_RE.sub(" ", text))
    # double quotes are never part of a name: specks a fax leaves beside the letters
    text = _LONE_SYMBOL_RE.sub(" ", _QUOTES_RE.sub("", text))
    text = re.sub(r"\s+", " ", text).strip(" ,;:.-\t|")
    return _SPLIT_HYPHEN_RE.sub("-", text)


def _is_upper_word(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _is_particle(word: str) -> bool:
    w = fold(word).rstrip(".")
    return w in _PARTICLES or (w.endswith("'") and w[:-1] in {"d", "l"})


def _civility_display(civ: str) -> str:
    parts = re.split(r"\s+(ou|et|/|&)\s+", civ.strip(), flags=re.IGNORECASE)
    out: list[str] = []
    for part in parts:
        key = fold(part).rstrip(".:,")
        out.append(_CIVILITY_DISPLAY.get(key, part.lower() if key in {"ou", "et"} else part))
    return " ".join(out)


def _split_surname_given(words: list[str], civility: str | None) -> tuple[str | None, tuple[str, ...]]:
    """Which words are the surname: capitals first, then particles, then known given names, then order."""
    if not words:
        return None, ()
    upper = [_is_upper_word(w) or (len(w) == 1 and w.isupper()) for w in words]
    if any(upper) and not all(upper):
        # surname = the run of capitals, with particles stuck to it ('de La FONTAINE')
        first = upper.index(True)
        last = len(upper) - 1 - upper[::-1].index(True)
        while first > 0 and _is_particle(words[first - 1]):
            first -= 1
        surname_words = words[first : last + 1]
        given = words[:first] + words[last + 1 :]
        return " ".join(surname_words), tuple(given)
    # no case signal: particles open a surname; otherwise ask the given-name list, then the convention
    folded = [fold(w) for w in words]
    if len(words) == 1:
        return words[0], ()
    if _is_particle(words[0]):
        i = 0
        while i < len(words) - 1 and _is_particle(words[i]):
            i += 1
        return " ".join(words[: i + 1]), tuple(words[i + 1 :])
    first_given = folded[0] in _GIVEN_NAMES or folded[0].split("-")[0] in _GIVEN_NAMES
    last_given = folded[-1] in _GIVEN_NAMES or folded[-1].split("-")[0] in _GIVEN_NAMES
    given_first = (first_given and not last_given) or (
        first_given == last_given and civility is not None and not all(upper)
    )
    if given_first:
        # surname = last word, plus particles before it ('Jean de La Fontaine')
        j = len(words) - 1
        while j > 1 and _is_particle(words[j - 1]):
            j -= 1
        return " ".join(words[j:]), tuple(words[:j])
    j = 1
    while j < len(words) - 1 and _is_particle(words[j - 1]):
        j += 1
    return " ".join(words[:j]), tuple(words[j:])


def _clause_surname(words: list[str], *, all_upper: bool) -> tuple[list[str], list[str]]:
    """Split 'MARTIN Marie' after 'épouse'/'née' into the surname words and what follows."""
    k = 0
    while k < len(words) - 1 and _is_particle(words[k]):
        k += 1
    if k >= len(words):
        return [], []
    end = k + 1
    if not all_upper and _is_upper_word(words[k]):
        while end < len(words) and (
            _is_upper_word(words[end]) or (_is_particle(words[end]) and end + 1 < len(words))
        ):
            end += 1
    return words[:end], words[end:]


def _tokens(text: str) -> list[str]:
    return [w.strip(",;:") for w in text.split() if w.strip(",;:")]


def parse_person_name(raw: str) -> PersonName:
    """A written name split into civility, surname, given names, birth and usage surnames (raw kept)."""
    try:
        if not isinstance(raw, str):
            return PersonName(raw="")
        text = _clean(raw)
        if not text:
            return PersonName(raw=raw)
        civility: str | None = None
        m = _CIVILITY_RE.match(text)
        if m and len(text) > m.end():
            civility = _civility_display(m["civ"])
            text = text[m.end() :]
        text = re.sub(r"\bN['’]\s+", "N'", text)  # 'N' DIAYE' → "N'DIAYE"
        folded = fold(text)
        usage: str | None = None
        birth: str | None = None
        # cut 'épouse X' / 'née Y' clauses out, keep the rest for surname/given names
        clauses: list[tuple[str, int, int]] = []
        for kind, rx in (("usage", _USAGE_RE), ("birth", _BIRTH_RE)):
            for cm in rx.finditer(folded):
                clauses.append((kind, cm.start(), cm.end()))
        clauses.sort(key=lambda c: c[1])
        main = text
        if clauses:
            main = text[: clauses[0][1]]
            for idx, (kind, _start, end) in enumerate(clauses):
                stop = clauses[idx + 1][1] if idx + 1 < len(clauses) else len(text)
                words = _tokens(text[end:stop])
                taken, rest = _clause_surname(words, all_upper=_is_upper_word(text))
                value = " ".join(taken) or None
                if kind == "usage":
                    usage = usage or value
                else:
                    birth = birth or value
                main = (main + " " + " ".join(rest)).strip()
        words = _tokens(main)
        surname, given = _split_surname_given(words, civility)
        return PersonName(
            raw=_clean(raw),
            surname=surname,
            given_names=given,
            civility=civility,
            birth_surname=birth,
            usage_surname=usage,
        )
    except ODD_INPUT_ERRORS:
        return PersonName(raw=raw if isinstance(raw, str) else "")


# ---------------------------------------------------------------- is this line a person?


def looks_like_name(text: str) -> bool:
    """True for 'DUPONT Jean', 'M. Jean DUPONT', "N'DIAYE Aïssatou"; False for companies, labels, numbers."""
    if not isinstance(text, str):
        return False
    text = _clean(text)
    m = _CIVILITY_RE.match(text)
    has_civility = bool(m and len(text) > m.end())
    body = text[m.end() :] if m and has_civility else text
    words = _tokens(body)
    if not words or len(words) > 7 or len(body) > 70:
        return False
    if re.search(r"[\d@/\\|€$%#*=_<>]", body):
        return False
    for w in words:
        if fold(w).strip(".").strip("'") in _NOT_NAME_WORDS:
            return False
        if not re.fullmatch(r"[A-Za-zÀ-ÖØ-öø-ÿŒœ'\-.()]+", w):
            return False
        if not w[0].isalpha() and w not in {"(e)", "-"}:  # '(coef', '.': table debris, not a name
            return False
    real = [w for w in words if not _is_particle(w) and len(w.strip(".")) >= 2]
    if not real:
        return False
    if not has_civility and len(real) < 2:
        return False
    # lower-case sentences are not names (connectors 'née', 'épouse' excepted)
    return all(not w[0].islower() or _is_particle(w) or fold(w).strip(".") in _CONNECTORS for w in words)


# ---------------------------------------------------------------- holders


_JOINT_SPLIT_RE = re.compile(
    r"\s+(?:et|ou|&)\s+(?=(?:monsieur|madame|mademoiselle|mme|mlle|mr|m)\.?\s)", re.IGNORECASE
)
_CIVILITY_ONLY_RE = re.compile(
    r"(?:monsieur|madame|mademoiselle|mme|mlle|mr|m)\.?(?:\s*(?:ou|et|/|&)\s*(?:monsieur|madame|mme|m)\.?)?"
)
BUILTIN_HOLDER_LABELS: tuple[str, ...] = (
    "Titulaire du contrat",
    "Titulaire",
    "Locataire",
    "Nom du client",
    "Client",
    "Déclarant 1",
    "Déclarant 2",
    "Assuré",
    "Souscripteur",
    "Nom de l'abonné",
    "Abonné",
)


# a run of capitalised words right after one of these is a place or a c/o, not a person: 'PLACE PAUL
# ÉLUARD', 'avenue Victor Hugo', 'chez Mme Roussel' (the addressee lives at someone else's)
_NOT_BEFORE_NAME = frozenset(
    {"rue", "avenue", "av", "boulevard", "bd", "allee", "impasse", "chemin", "place", "quai", "route", "cours",
     "square", "lotissement", "lieu-dit", "residence", "hameau", "voie", "passage", "cite", "sentier", "villa",
     "chaussee", "faubourg", "fbg", "promenade", "esplanade", "parvis", "clos", "mail", "domaine", "chez",
     "c/o", "college", "lycee", "ecole", "stade", "parc", "pont", "port"}
)  # fmt: skip


def _after_place_word(words: Sequence[str], start: int) -> bool:
    """True when the words before ``start`` (particles skipped) end with a street type or 'chez'."""
    k = start - 1
    while k >= 0 and _is_particle(words[k]):
        k -= 1
    return k >= 0 and fold(words[k]).strip(".,:;") in _NOT_BEFORE_NAME


def _name_run(text: str) -> str | None:
    """The longest run of name-like words in a line ('alexis@x.fr de Lattre Alexis' → 'de Lattre Alexis')."""
    text = _clean(text)
    if looks_like_name(text):
        return text
    words = text.split()
    best: str | None = None
    for i in range(len(words)):
        if _after_place_word(words, i) or fold(words[i]).strip(".,:;") in _NOT_BEFORE_NAME:
            continue  # a name never starts with, nor follows, a street type or 'chez'
        for j in range(min(len(words), i + 7), i, -1):
            candidate = " ".join(words[i:j])
            if looks_like_name(candidate) and (best is None or len(candidate) > len(best)):
                best = candidate
                break
    return best


def _persons_from_line(text: str) -> list[PersonName]:
    """One or two people from a holder line ('M. Jean DUPONT et Mme Marie DUPONT' → two)."""
    text = _clean(text)
    parts = _JOINT_SPLIT_RE.split(text)
    people = [parse_person_name(p) for p in parts if looks_like_name(p)]
    if len(parts) == 2 and len(people) == 2:
        # 'M. DUPONT Jean et Mme Marie' (second surname omitted) borrows the first surname
        a, b = people
        if b.surname and not b.given_names and a.surname and not _is_upper_word(b.surname):
            people[1] = PersonName(
                raw=b.raw, surname=a.surname, given_names=(b.surname,), civility=b.civility
            )
        return people
    if looks_like_name(text):
        return [parse_person_name(text)]
    return people[:1]


@dataclass(frozen=True)
class _Candidate:
    score: float
    line: int
    people: tuple[PersonName, ...]


def _is_street(line: str) -> bool:
    return bool(_STREET_RE.match(fold(line)) or _NUMBERED_STREET_RE.match(line)) and not _POSTCODE_RE.match(
        line
    )


def _address_after(lines: Sequence[str], index: int) -> tuple[int, int] | None:
    """(street line, postcode line) of an address block right below line ``index``, if there is one."""
    j = index + 1
    while j < len(lines) and j <= index + 2 and _COMPLEMENT_RE.match(fold(lines[j])):
        j += 1
    if j >= len(lines) or not _is_street(lines[j]):
        return None
    for k in range(j + 1, min(len(lines), j + 3)):
        if _POSTCODE_RE.match(lines[k]):
            return j, k
    return None


def find_postal_address(lines: Sequence[str], name_line: int | None = None) -> str | None:
    """'street, complement, POSTCODE TOWN' of the block under ``name_line`` (or the first block found)."""
    try:
        clean = [_clean(x) if isinstance(x, str) else "" for x in lines]
        starts = [name_line] if name_line is not None else list(range(len(clean)))
        for i in starts:
            if i is None or i < 0 or i >= len(clean):
                continue
            block = _address_after(clean, i)
            if block:
                return ", ".join(x for x in clean[i + 1 : block[1] + 1] if x)
        return None
    except ODD_INPUT_ERRORS:
        return None


def _known_given(person: PersonName) -> bool:
    first = fold(person.given_names[0]) if person.given_names else ""
    return first in _GIVEN_NAMES or first.split("-")[0] in _GIVEN_NAMES


def _better_spelling(best: _Candidate, candidates: Sequence[_Candidate]) -> _Candidate:
    """The same person printed twice (address block and 'Déclarant 1'): keep the better-read spelling.

    OCR garbles one copy now and then ('Frangois'); a copy whose first given name is a known given name
    is the better reading of the same surname.
    """
    if not best.people:
        return best
    longer = (
        _completed_surname(best, candidates)
        or _completed_single(best, candidates)
        or _without_label_debris(best, candidates)
    )
    if longer is not None:
        return longer
    fuller = _completed_given(best, candidates)
    if fuller is not None:
        return fuller
    if _known_given(best.people[0]):
        return best
    key = re.sub(r"[^a-z]", "", fold(best.people[0].surname or ""))
    for other in sorted(candidates, key=lambda c: -c.score):
        if other is best or not other.people or other.score < best.score - 1.5:
            continue
        person = other.people[0]
        if re.sub(r"[^a-z]", "", fold(person.surname or "")) == key and key and _known_given(person):
            return other
    return best


_INNER_CIVILITY_RE = re.compile(r"\s(?:M|Mme|Mlle|Monsieur|Madame|Mademoiselle)\.?\s+(?=[A-ZÀ-Ý])")


def _from_inner_civility(value: str) -> str:
    """A label's value from the civility it holds on ('du CORRE M. Louis MOREAU', the label's own
    'du contrat' garbled): the words before a civility are the label's, not the holder's."""
    if _CIVILITY_RE.match(value):
        return value  # 'M. X et Mme Y', 'M. ou Mme X': the civilities are the holders'
    m = _INNER_CIVILITY_RE.search(value)
    if m is None or {"et", "ou", "&", "/"} & set(value[: m.start()].lower().split()):
        return value  # 'Jean DUPONT et Mme Marie DURAND': joint holders
    return value[m.start() + 1 :]


def _people_after_inner_civility(line: str) -> list[PersonName]:
    """The name after a civility in mid-line ('N° de facture : 9954 M. Ibrahima Jean José LE BIHAN')."""
    inner = _INNER_CIVILITY_RE.search(line)
    run = _name_run(line[inner.start() + 1 :]) if inner is not None else None
    return _persons_from_line(run) if run else []


def _other_copies(
    best: _Candidate, candidates: Sequence[_Candidate]
) -> Iterator[tuple[_Candidate, PersonName]]:
    """The other holder readings of the page, best scored first, each with its first person."""
    for other in sorted(candidates, key=lambda c: -c.score):
        if other is not best and other.people:
            yield other, other.people[0]


def _completed_surname(best: _Candidate, candidates: Sequence[_Candidate]) -> _Candidate | None:
    """A copy of the same person whose surname goes on where the best one was cut ('… Hélène LE' at the
    end of a garbled line, 'Mme Margaux Hélène LE GOFF' in the address block): same given names, and the
    best surname's words are the start of the other's."""
    person = best.people[0]
    words = fold(person.surname or "").split()
    given = [fold(g) for g in person.given_names]
    if not words or not given:
        return None
    for other, them in _other_copies(best, candidates):
        longer = fold(them.surname or "").split()
        if (
            [fold(g) for g in them.given_names] == given
            and len(longer) > len(words)
            and longer[: len(words)] == words
        ):
            return other
    return None


def _without_label_debris(best: _Candidate, candidates: Sequence[_Candidate]) -> _Candidate | None:
    """A copy without the one- or two-letter word the best reading's surname starts with, when that word is
    no particle: a label's numbering misread (« Déclarant HE DUPRE Pierre-Yves » for « Déclarant 1 : DUPRE »)
    beside the address block's « M. Pierre-Yves DUPRE ». Same first given name, same surname otherwise."""
    person = best.people[0]
    words = fold(person.surname or "").split()
    if len(words) < 2 or len(words[0].strip(".")) > 2 or _is_particle(words[0]) or not person.given_names:
        return None
    for other, them in _other_copies(best, candidates):
        if (
            fold(them.surname or "").split() == words[1:]
            and them.given_names
            and fold(them.given_names[0]) == fold(person.given_names[0])
        ):
            return other
    return None


def _completed_single(best: _Candidate, candidates: Sequence[_Candidate]) -> _Candidate | None:
    """A copy that goes on where a one-word reading was cut ('Titulaire : M. Ibrahima' where the rest of the
    line was lost, 'M. Ibrahima Jean José LE BIHAN' in the address block): the one word is the other copy's
    first given name, and that copy has a surname too."""
    person = best.people[0]
    words = fold(person.surname or "").split()
    if len(words) != 1 or person.given_names:
        return None
    for other, them in _other_copies(best, candidates):
        if them.surname and them.given_names and fold(them.given_names[0]) == words[0]:
            return other
    return None


_NAME_MARKERS = frozenset({"nee", "ne", "epouse", "epse", "ep", "veuve", "vve", "dit", "dite"})


def _extends_given(short: Sequence[str], long_: Sequence[str]) -> bool:
    """``long_`` goes on where ``short`` was cut: the same given names, the last one maybe cut at a hyphen
    ('Pierre' for 'Pierre-Yves'), then more."""
    if not short or len(long_) < len(short) or list(long_) == list(short):
        return False
    head, last = short[:-1], short[-1]
    return list(long_[: len(head)]) == list(head) and (
        long_[len(head)] == last or long_[len(head)].startswith(last + "-")
    )


def _completed_given(best: _Candidate, candidates: Sequence[_Candidate]) -> _Candidate | None:
    """The best copy with the given names of another copy of the same person that goes on where the best
    one was cut: a narrow field ('Déclarant 1 : LEFÈVRE née LEFÈVRE-ROUSSEL Pierre') beside the address
    block ('Mme Pierre-Yves Marie LEFEVRE'). The best copy's surnames are kept."""
    person = best.people[0]
    key = re.sub(r"[^a-z]", "", fold(person.surname or ""))
    given = [fold(g) for g in person.given_names]
    if not key or not given:
        return None
    for _other, them in _other_copies(best, candidates):
        if re.sub(r"[^a-z]", "", fold(them.surname or "")) != key:
            continue
        names: list[str] = []
        for word in them.given_names:  # a copy parsed loosely may run on into 'née …'
            if fold(word).strip(".") in _NAME_MARKERS:
                break
            names.append(word)
        extra = names[len(given) :]
        if any(not w[:1].isupper() or _is_particle(w) for w in extra):
            continue  # '… LE GOFF la somme de': the words after a name in a sentence are no given names
        if _extends_given(given, [fold(g) for g in names]):
            cut, whole = " ".join(person.given_names), " ".join(names)
            raw = person.raw[: -len(cut)] + whole if person.raw.endswith(cut) else f"{person.raw} {whole}"
            fuller = replace(person, given_names=tuple(names), raw=raw.strip())
            return _Candidate(best.score, best.line, (fuller, *best.people[1:]))
    return None


_REFERENCE_BEFORE_RE = re.compile(
    r"(?:n\s?°|\bno|\bnum(?:ero)?|\bref(?:erence)?s?|\bidentifiant|\bid)\.?\s*(?:de\s+|du\s+)?$"
)
_FUZZY_TITULAIRE_RE = re.compile(r"(?<![a-z])([a-z]{5,11})\s+du\s+contrat\s*:")


def _reference_label(folded: str, m: re.Match[str]) -> bool:
    """'Référence client : 123', 'N° client', 'Abonnement': a label word inside another phrase, no holder.

    A holder label ends a word ('Abonné' is not 'Abonnement'), is not a reference number's label
    ('Référence abonné', 'N° client') and is not followed by a number.
    """
    if m.end() < len(folded) and folded[m.end()].isalpha() and m.end() > m.start():
        return True
    if _REFERENCE_BEFORE_RE.search(folded[max(0, m.start() - 14) : m.start()]):
        return True
    return bool(re.match(r"\s*[:.]?\s*\d", folded[m.end() :]))


def _fuzzy_holder_label(folded: str) -> re.Match[str] | None:
    """'Tituiaire du contrat :', 'Tiiaire du contrat :' (OCR slips on the commonest holder label)."""
    m = _FUZZY_TITULAIRE_RE.search(folded)
    if m and m.group(1) != "titulaire" and fuzz.ratio(m.group(1), "titulaire") >= 70:
        return m
    return None


# 'chez', 'c/o', 'aux bons soins de': the person after it lives at the address, the addressee is another
_CARE_OF_END_RE = re.compile(
    r"(?:\bchez|\bc\s?/\s?o|\baux bons soins de|\ba\.?\s?b\.?\s?s\.?\s?d\.?)\s*[:.]?\s*$"
)
_CARE_OF_START_RE = re.compile(r"\s*(?:chez|c\s?/\s?o|aux bons soins de)\b")


def find_holder(lines: Sequence[str], holder_labels: Sequence[Label]) -> list[PersonName]:
    """The holder(s) of a bill/receipt/notice: label block, civility line, then address block."""
    try:
        clean = [_clean(x) if isinstance(x, str) else "" for x in lines]
        total = max(len(clean), 1)
        candidates: list[_Candidate] = []
        copies: list[_Candidate] = []  # readings of the holder's name that only complete a candidate
        labels = [*holder_labels, *(x for x in BUILTIN_HOLDER_LABELS if x not in holder_labels)]
        regexes = [label_regex(x) for x in labels if label_text(x).strip()]
        for i, line in enumerate(clean):
            if not line:
                continue
            header = 0.5 * (1.0 - i / total)
            folded = fold(line)
            address_below = _address_after(clean, i) is not None
            # 1. label, then the name after it or on the next line
            for k_label, rx in enumerate(regexes):
                m = rx.search(folded)
                if m is None:
                    m = _fuzzy_holder_label(folded) if k_label == 0 else None
                if not m or _reference_label(folded, m) or _CARE_OF_END_RE.search(folded[: m.start()]):
                    continue  # 'chez Mme ROUSSEL' names the host of the address, not the holder
                # labels come in priority order ('Titulaire du contrat' before a bare 'Mme'): the rank
                # outweighs the position on the page, so a civility in a header does not beat the label
                rank = 0.8 * (1.0 - k_label / len(regexes))
                if _CIVILITY_ONLY_RE.fullmatch(m.group(0).strip()):
                    # a civility is no label ('Mme' anywhere in a garbled header): it ranks below them all
                    rank = -0.6
                after = _from_inner_civility(line[m.end() :].lstrip(" :.-)("))
                if after:
                    people = _persons_from_line(after)
                    if not people and (run := _name_run(after)):
                        people = _persons_from_line(run)
                    if people:
                        candidates.append(
                            _Candidate(
                                3.0 + rank + header + (0.5 if address_below else 0.0), i, tuple(people)
                            )
                        )
                        break
                for k in (i + 1, i + 2):
                    if k < len(clean) and clean[k]:
                        nxt = clean[k]
                        people = _persons_from_line(nxt)
                        if not people and (run := _name_run(nxt)):
                            people = _persons_from_line(run)
                        if people:
                            below = _address_after(clean, k) is not None
                            candidates.append(
                                _Candidate(2.8 + rank + header + (0.5 if below else 0.0), k, tuple(people))
                            )
                        break
                break
            # 2. a civility line; 3. a name line over an address block
            has_civility = bool(_CIVILITY_RE.match(line))
            if (has_civility or address_below) and not _CARE_OF_START_RE.match(folded):
                people = _persons_from_line(line)
                if people:
                    score = 2.0 + (0.5 if has_civility else 0.0) + (1.0 if address_below else 0.0) + header
                    candidates.append(_Candidate(score, i, tuple(people)))
            elif people := _people_after_inner_civility(line):
                # a reference column merged with the address block: never the holder by itself, but a
                # copy that may complete a reading cut elsewhere
                copies.append(_Candidate(0.0, i, tuple(people)))
        if not candidates:
            return []
        best = max(candidates, key=lambda c: (c.score, len(c.people), -c.line))
        return list(_better_spelling(best, [*candidates, *copies]).people)
    except ODD_INPUT_ERRORS:
        return []


# ---------------------------------------------------------------- attestations


@dataclass(frozen=True)
class _Tok:
    text: str
    key: str  # folded, punctuation stripped


_FILLER = _fold_set(
    "à a mon ma domicile chez moi titre gratuit gracieux gratuitement sous toit que le la l' les "
    "mon ma fils fille neveu nièce niece frère frere soeur sœur enfant petit-fils petite-fille cousin "
    "cousine ami amie compagnon compagne conjoint conjointe époux epoux épouse mari femme petit petite "
    "m m. mme mlle monsieur madame mademoiselle mr (e) e : , - personne suivante nommé nommée dénommé "
    "dénommée sur l'honneur honneur héberger heberger héberge depuis"
)


def _unocr_word(word: str) -> str:
    """'R0BERT' → 'ROBERT', 'Hé1ène' → 'Hélène': digits inside a word of letters are OCR slips."""
    letters = sum(c.isalpha() for c in word)
    digits = [c for c in word if c.isdigit()]
    if letters < 3 or not digits or len(digits) > 2 or any(c not in "015" for c in digits):
        return word
    upper = all(c.isupper() for c in word if c.isalpha())
    table = str.maketrans(
        {"0": "O" if upper else "o", "1": "I" if upper else "l", "5": "S" if upper else "s"}
    )
    return word.translate(table)


def _tokenize(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    for w in (_unocr_word(x) for x in re.findall(r"\S+", text.replace("’", "'"))):
        key = fold(w).strip(',;:.!?«»"()')
        out.append(_Tok(w, key))
    return out


def _fuzzy(key: str, targets: Sequence[str], cutoff: float = 80.0) -> bool:
    return any(key.startswith(t) or (len(key) >= 5 and fuzz.ratio(key, t) >= cutoff) for t in targets)


# the words an attestation's sentence puts between 'héberger' and the name, letters only: handwriting OCR
# garbles them ('Amon dericile') so they are recognised as a whole, not word by word
_FILLER_PHRASES = ("amondomicile", "chezmoi", "sousmontoit", "atitregratuit", "amonadresse")


def _filler_phrase_length(tokens: Sequence[_Tok], i: int) -> int:
    """How many tokens from ``i`` spell, give or take OCR slips, one of the sentence's filler phrases."""
    for count in (3, 2):
        if i + count > len(tokens):
            continue
        joined = "".join(re.sub(r"[^a-z]", "", t.key) for t in tokens[i : i + count])
        if len(joined) >= 7 and any(fuzz.ratio(joined, p) >= 80.0 for p in _FILLER_PHRASES):
            return count
    return 0


def _take_name(tokens: Sequence[_Tok], start: int, stops: frozenset[str]) -> PersonName | None:
    """The name starting at ``start`` (fillers skipped), stopped by a stop word, a comma or 6 words."""
    i = start
    while i < len(tokens):
        if tokens[i].key in _FILLER or not tokens[i].key or re.search(r"\d", tokens[i].key):
            i += 1
        elif skip := _filler_phrase_length(tokens, i):
            i += skip
        else:
            break
        if i - start > 8:
            return None
    words: list[str] = []
    civility_seen = [t.text for t in tokens[start:i] if fold(t.text).strip(".") in _CIVILITY_DISPLAY]
    while i < len(tokens) and len(words) < 6:
        tok = tokens[i]
        if tok.key in stops or (tok.key in _STOP_AFTER_NAME and words) or re.search(r"\d", tok.key):
            break
        if _fuzzy(tok.key, ("atteste", "certifie", "declare", "demeurant", "domicilie", "heberge")) and words:
            break
        word = tok.text.strip(',;:.«»"')
        if word:
            words.append(word)
        if tok.text.endswith((",", ";", ":")):
            break
        i += 1
    words = _drop_specks(_drop_lower_lead([w for w in words if w not in {"(e)", "(e),"}]))
    if words and fold(words[0]).strip(".") in _CIVILITY_DISPLAY:
        civility_seen.append(words.pop(0))
    if not words:
        return None
    text = " ".join(words)
    if civility_seen:
        text = civility_seen[-1] + " " + text
    if not looks_like_name(text):
        # handwriting OCR: keep it if it is at least mostly letters
        letters = sum(c.isalpha() for c in text)
        if letters < 4 or letters < 0.7 * len(text.replace(" ", "")):
            return None
    return parse_person_name(text)


def _drop_lower_lead(words: list[str]) -> list[str]:
    """The name without the garbled sentence words before it: handwriting OCR turns 'à mon domicile' into
    'ren denice', lower-case words that are neither particles nor given names; capitalised words after
    the last of them are the name ('ren denice M Reni Marie BERNARD' → 'M Reni Marie BERNARD')."""
    last = -1
    for k, word in enumerate(words[:-1]):
        letters = re.sub(r"[^\w]", "", word)
        if letters and letters[0].islower() and not _is_particle(word) and not _is_known_given(letters):
            last = k
    rest = words[last + 1 :]
    if last >= 0 and rest and all(w[:1].isupper() or _is_particle(w) for w in rest):
        return rest
    return words


def _drop_specks(words: list[str]) -> list[str]:
    """The name without one or two lower-case letters around it ('fe TILAIWENY', 'Tilaiweny fe'):
    handwriting OCR turns a flourish or a cut word into such specks; no name is that short and lower-case,
    particles ('de', 'le') apart."""
    out = list(words)

    def speck(word: str) -> bool:
        letters = re.sub(r"[^\w]", "", word)
        return len(letters) <= 2 and letters.islower() and not _is_particle(word)

    while len(out) > 1 and speck(out[0]):
        out.pop(0)
    while len(out) > 1 and speck(out[-1]):
        out.pop()
    return out


def _cut_anchor(lines: Sequence[str], tokens: Sequence[_Tok]) -> int | None:
    """Where 'Je soussigné(e)' ends when a photo cut the line down to its last letters ('née Marie HADDAD,').

    Only on an attestation's wording (a 'domicile' or 'héberg…' word), only a line among the first ones
    that starts with a bare 'né'/'née' followed by a capitalised word (not 'le': that is a birth date), and
    only before the address and the hosting words, so the hosted person's 'née le' is never taken.
    Returns the index of that 'née' in ``tokens`` (the tokens of all lines, in order).
    """
    if not any(_fuzzy(t.key, ("domicile", "hebergement", "heberger"), 75.0) for t in tokens):
        return None
    offset = 0
    for line in lines[:4]:
        toks = _tokenize(line)
        if any(
            _fuzzy(t.key, ("demeurant", "domicile", "heberger", "atteste", "certifie"), 75.0) for t in toks
        ):
            return None
        if (
            len(toks) > 1
            and toks[0].key in {"ne", "nee", "ne(e)"}
            and toks[1].text[:1].isupper()
            and toks[1].key not in {"le", "la"}
        ):
            return offset
        offset += len(toks)
    return None


def _birth_anchor(tokens: Sequence[_Tok]) -> int | None:
    """Where the host's name starts when 'Je soussigné(e)' was garbled past recognition ('De sessimée Eloise
    Louise LEROY, née le …'): the capitalised words right before the sentence's first 'né(e) le', when no
    address nor attesting word comes before it (the hosted person's 'née le' comes after those). Only on an
    attestation's wording (a 'domicile' or 'héberg…' word). Returns the index of the name's first token."""
    if not any(_fuzzy(t.key, ("domicile", "hebergement", "heberger"), 75.0) for t in tokens):
        return None
    for i in range(1, len(tokens) - 1):
        key = tokens[i].key
        if _fuzzy(key, ("demeurant", "domicile", "atteste", "certifie", "heberger"), 75.0):
            return None
        if key not in {"ne", "nee", "ne(e)"} or tokens[i + 1].key != "le":
            continue
        start = i
        while start > 0 and i - start < 6:
            letters = re.sub(r"[^\w]", "", tokens[start - 1].text)
            if not letters or not (letters[0].isupper() or _is_particle(tokens[start - 1].text)):
                break
            start -= 1
        return start if start < i else None
    return None


_HOST_STOPS = frozenset({"ne", "nee", "ne(e)", "demeurant", "domicilie", "domiciliee", "residant", "atteste"})
_HOSTED_STOPS = frozenset(
    {"ne", "nee", "ne(e)", "depuis", "a", "au", "demeurant", "demeure", "reside", "habite"}
)


def find_attestation_people(lines: Sequence[str]) -> tuple[PersonName | None, PersonName | None]:
    """(host, hosted) of an attestation d'hébergement, from the sentence or from 'Hébergeant :' labels."""
    try:
        clean = [x if isinstance(x, str) else "" for x in lines]
        host: PersonName | None = None
        hosted: PersonName | None = None
        # form-style labels first: 'Hébergeant : X' / 'Personne hébergée : Y'
        for line in clean:
            folded = fold(line)
            m = re.search(r"heberg\w*\s*(?:\(e\))?\s*:\s*(.+)$", folded)
            if not m:
                continue
            value = line[m.start(1) :]
            if not looks_like_name(value):
                continue
            if re.search(r"hebergeant", folded) and host is None:
                host = parse_person_name(value)
            elif hosted is None:
                hosted = parse_person_name(value)
        tokens = _tokenize(" ".join(clean))
        anchor_host = next(
            (i for i, t in enumerate(tokens) if _fuzzy(t.key, ("soussigne", "soussignee"), 75.0)), None
        )
        if host is None and anchor_host is not None:
            host = _take_name(tokens, anchor_host + 1, _HOST_STOPS)
        if host is None and anchor_host is None and (cut := _cut_anchor(clean, tokens)) is not None:
            host = _take_name(tokens, cut + 1, _HOST_STOPS)
            anchor_host = cut
        if host is None and anchor_host is None and (born := _birth_anchor(tokens)) is not None:
            host = _take_name(tokens, born, _HOST_STOPS)
            anchor_host = born
        if hosted is None:
            begin = anchor_host or 0
            anchor = next(
                (
                    i
                    for i in range(begin, len(tokens))
                    if _fuzzy(tokens[i].key, ("heberger", "heberge"), 75.0) and tokens[i].key != "hebergeant"
                ),
                None,
            )
            if anchor is not None:
                hosted = _take_name(tokens, anchor + 1, _HOSTED_STOPS)
            if hosted is None:
                for i in range(begin, len(tokens) - 1):
                    if _fuzzy(tokens[i].key, ("certifie", "atteste", "declare"), 75.0):
                        window = [t.key for t in tokens[i + 1 : i + 6]]
                        if "que" in window:
                            hosted = _take_name(tokens, i + 2 + window.index("que"), _HOSTED_STOPS)
                            if hosted:
                                break
        return host, hosted
    except ODD_INPUT_ERRORS:
        return None, None


_NOM_RE = re.compile(
    r"(?<![a-z])nom(?:\s+de\s+naissance|\s+d'usage|\s+de\s+famille)?\s*(?:/\s*surname)?\s*[:.;]\s*"
)
# 'Nom MOREAU' (no colon, the value in capitals right after the label at the start of a line)
_NOM_BARE_RE = re.compile(
    r"^\W{0,3}nom(?:\s+de\s+naissance|\s+d'usage|\s+de\s+famille)?\s*(?:/\s*surname)?\s+(?=\S)"
)
_PRENOM_RE = re.compile(r"(?<![a-z])prenoms?(?:\(s\))?\s*(?:/\s*given\s*names)?\s*[:.]?\s*")
_DELIVERED_TO_RE = re.compile(r"(?:delivree?|attribuee?|decernee?)\s+a\s*:?\s+")
_YOUNG_RE = re.compile(r"(?<![a-z])(?:le|la)\s+jeune[.,]?\s+(?:homme\s+|femme\s+|fille\s+)?(?=[^\W\d_])")
_BORN_RE = re.compile(r"\s(?:ne|nee|ne\(e\))\s+le\b")


def _spaced_spelling(surname: str, lines: Sequence[str]) -> str:
    """'DUPONT' read in a field whose sentence elsewhere writes 'DU PONT' or "N'GUESSAN": keep the separators.

    OCR often swallows the space or apostrophe of a compound surname in a narrow field; another
    occurrence of the same capitals with separators on the page is the better spelling.
    """
    letters = [c for c in surname if c.isalpha()]
    if len(letters) < 4 or not all(c.isupper() for c in letters) or not surname.isalpha():
        return surname
    pattern = re.compile(
        r"(?<![A-Za-zÀ-ÿ])" + r"[ '’\-]?".join(re.escape(c) for c in letters) + r"(?![A-Za-zÀ-ÿ])"
    )
    for line in lines:
        for m in pattern.finditer(line):
            if len(m.group(0)) > len(letters):
                return m.group(0).replace("’", "'")
    return surname


def _young_sentence_name(clean: Sequence[str]) -> PersonName | None:
    """The JDC sentence's name: 'Le jeune Raphaël LAURENT est en instance…', 'La jeune … a participé'."""
    for line in clean:
        m = _YOUNG_RE.search(fold(line))
        if m:
            words: list[str] = []
            for word in line[m.end() :].split():
                if word[:1].islower() and not _is_particle(word):
                    break
                words.append(word.strip(",;:"))
            value = " ".join(words)
            if looks_like_name(value):
                return parse_person_name(value)
    return None


def _given_from_copy(person: PersonName, clean: Sequence[str]) -> PersonName:
    """The sentence's given names, each unknown word replaced by the known given name that another copy of
    the same names prints in its place: a JDC prints the names in its fields and again in its sentence, and
    OCR garbles one copy ('Le jeune Baal Jean Émile' beside the field 'Rémi Jean Émile')."""
    given = list(person.given_names)
    if len(given) < 2 or all(fold(w) in _GIVEN_NAMES for w in given):
        return person
    keys = [fold(w) for w in given]
    for line in clean:
        words = [w.strip(" \"“”'«»|,;:.") for w in line.split()]
        words = [w for w in words if w]
        if len(words) != len(given) or any(any(c.isdigit() for c in w) for w in words):
            continue
        folded = [fold(w) for w in words]
        differ = [i for i, (a, b) in enumerate(zip(keys, folded, strict=True)) if a != b]
        if len(differ) != 1:
            continue
        i = differ[0]
        if keys[i] not in _GIVEN_NAMES and folded[i] in _GIVEN_NAMES:
            given[i] = words[i]
            surname = person.surname or ""
            return PersonName(
                raw=f"{' '.join(given)} {surname}".strip(), surname=person.surname, given_names=tuple(given)
            )
    return person


def _drop_lower_debris(surname: str) -> str:
    """'GAUTHIER oo', 'ee GARCIA LOPEZ': specks read as short lowercase words beside a surname printed in
    capitals (a particle such as 'de' stays)."""
    words = surname.split()
    while len(words) > 1 and _is_upper_word(words[0]) and len(words[-1]) <= 3 and words[-1].islower():
        words.pop()
    while (
        len(words) > 1
        and _is_upper_word(words[-1])
        and len(words[0]) <= 3
        and words[0].islower()
        and not _is_particle(words[0])
    ):
        words.pop(0)
    return " ".join(words)


def _same_surname(surname: str, person: PersonName) -> bool:
    first = fold(surname.split()[0]) if surname.split() else ""
    return bool(first) and first in fold(person.surname or "")


def find_named_person(lines: Sequence[str]) -> PersonName | None:
    """The person a JDC/ASSR/honour statement is about: 'Nom :'/'Prénom(s) :', 'délivrée à', 'Je soussigné(e)'."""
    try:
        clean = [_clean(x) if isinstance(x, str) else "" for x in lines]
        surname: str | None = None
        given: str | None = None
        for line in clean:
            folded = fold(line)
            pm = _PRENOM_RE.search(folded)
            nm = _NOM_RE.search(folded)
            bare = nm is None and (nm := _NOM_BARE_RE.search(folded)) is not None
            if nm and surname is None:
                end = pm.start() if pm and pm.start() > nm.end() else len(line)
                value = line[nm.end() : end].strip(" ,;:.|")
                # without a colon only a value in capitals is a surname ('Nom MOREAU', not 'Nom du centre')
                if value and not re.search(r"\d", value) and (not bare or _is_upper_word(value.split()[0])):
                    surname = value
            if pm and given is None:
                end = nm.start() if nm and nm.start() > pm.end() else len(line)
                # specks before the value ('Prénom(s) : 7 a . Clémence Rose') are no part of it
                value = _LEADING_DEBRIS_RE.sub("", line[pm.end() : end].strip(" ,;"))
                # without a colon ('Prénom(s) Maïwenn Rose') only a capitalised value counts
                colon = ":" in line[pm.start() : pm.end()] or "." in line[pm.start() : pm.end()]
                if value and not re.search(r"\d", value) and (colon or value[:1].isupper()):
                    given = value
        sentence = _young_sentence_name(clean)
        if surname:
            given_names = tuple(w for w in re.split(r"[\s,|]+", given or "") if any(c.isalpha() for c in w))
            surname = _drop_lower_debris(_spaced_spelling(surname, clean))
            if not given_names and sentence is not None and _same_surname(surname, sentence):
                return sentence  # the 'Prénom(s)' value unread: the JDC sentence names the holder in full
            return PersonName(
                raw=f"{surname} {' '.join(given_names)}".strip(), surname=surname, given_names=given_names
            )
        if sentence is not None:
            return _given_from_copy(sentence, clean)
        for line in clean:
            folded = fold(line)
            m = _DELIVERED_TO_RE.search(folded)
            if m:
                rest = line[m.end() :]
                born = _BORN_RE.search(fold(rest))
                value = rest[: born.start()] if born else rest.split(",")[0]
                if looks_like_name(value):
                    return parse_person_name(value)
        host, _ = find_attestation_people(clean)
        if host is not None:
            return host
        for line in clean:
            born = _BORN_RE.search(fold(line))
            if born and _CIVILITY_RE.search(line[: born.start()]):
                civ = re.search(r"(?:monsieur|madame|mademoiselle|mme|mlle|m)\.?\s", line, re.IGNORECASE)
                value = line[civ.start() : born.start()] if civ else line[: born.start()]
                if looks_like_name(value):
                    return parse_person_name(value)
        return None
    except ODD_INPUT_ERRORS:
        return None


# ---------------------------------------------------------------- identity documents (visual zone)

_ID_SURNAME_LABEL_RE = re.compile(r"(?<![a-z])(?:nom|surname)(?![a-z])")
_ID_USAGE_LABEL_RE = re.compile(r"(?<![a-z])nom\s*d'?\s*usage|(?<![a-z])usage\s*name")
_ID_GIVEN_LABEL_RE = re.compile(r"(?<![a-z])(?:pr[eé]noms?|given\s*names?)(?![a-z])")
_ID_VALUE_RE = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿŒœ'\- ,.]+$")


# OCR debris at the end of a value: a frame edge read as '|', '!', 'i', ']' after the printed name
_TRAILING_DEBRIS_RE = re.compile(r"(?:\s+[|!\]\[il1I{}()])+\s*$|[|!\]\[{}]+\s*$")
# 'KOWALSKI épouse DUPRÉ', 'ép. MARTIN': the usage name a married holder may add after the birth surname
_SPOUSE_RE = re.compile(r"(?:^|\s)(?:[ée]pouse|[ée]p\.?|veuve|vve\.?)\s+", re.IGNORECASE)


def _strip_debris(text: str) -> str:
    return _TRAILING_DEBRIS_RE.sub("", _clean(text)).strip(" :;,.|!")


def _id_surname_value(text: str) -> str | None:
    """A surname as printed in an ID's visual zone: capitals (with particles, hyphens, apostrophes)."""
    value = _strip_debris(text)
    if not value or not _ID_VALUE_RE.match(value) or len(value) > 40:
        return None
    words = value.replace(",", " ").split()
    if not words or len(words) > 5:
        return None
    if not all(_is_upper_word(w) or _is_particle(w) or (len(w) == 1 and w.isupper()) for w in words):
        return None
    if any(fold(w).strip(".") in _NOT_NAME_WORDS for w in words):
        return None
    return " ".join(words)


# OCR debris in front of a value: a frame edge or a stain read as '©.', '7 kt', '| ': symbols, digits and
# short lower-case scraps before the first capitalised word
_NAME_CASE_RE = re.compile(r"^[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ']+(?:-[A-ZÀ-ÖØ-Þ]?[a-zß-öø-ÿ']+)*,?$")
DEBRIS_MAX_LENGTH = 3  # a scrap of a frame or photo edge ('fA', 'PR'), never a given name of its own
_LEADING_DEBRIS_RE = re.compile(r"^(?:[^A-Za-zÀ-ÖØ-öø-ÿ]+|[a-zà-ÿ]{1,2}(?=[^A-Za-zÀ-ÿ']))+")


def _id_given_value(text: str) -> tuple[str, ...]:
    """Given names as printed after 'Prénoms / Given names': 'Noé, Michel, Paul' → three names."""
    value = _strip_debris(text)
    if "," in value:  # comma-separated names: what precedes the first capitalised name is debris
        value = _LEADING_DEBRIS_RE.sub("", value)
        # the photo's edge read as a scrap before the first name ('fA Gabriel, Pierre'): a list of names
        # starts with a name written as one ('Gabriel'), not with mixed-case or capitals noise
        tokens = value.split(" ")
        while (
            len(tokens) > 1
            and len(tokens[0]) <= DEBRIS_MAX_LENGTH
            and not _NAME_CASE_RE.match(tokens[0])
            and _NAME_CASE_RE.match(tokens[1])
        ):
            tokens.pop(0)
        value = " ".join(tokens)
    if not value or not _ID_VALUE_RE.match(value) or len(value) > 60:
        return ()
    names = tuple(w.strip(" .") for w in re.split(r"[,\s]+", value) if len(w.strip(" .")) >= 2)
    if not names or len(names) > 5 or any(fold(w) in _NOT_NAME_WORDS for w in names):
        return ()
    if not all(w[0].isupper() for w in names):
        return ()
    return tuple(correct_given_name(w) for w in names)


# letters OCR confuses because their glyphs are thin or open ('Auréllen' for 'Aurélien', 'MARIECLARE' for
# 'MARIE-CLAIRE'): a misread of a known given name is corrected only through these confusions, so a real
# rarer name ('Mathias', 'Louisa') is never turned into a commoner one
_THIN_CONFUSIONS = (frozenset("il1jt|!"), frozenset("ceo"), frozenset("nhu"))
_THIN_DROPPED = frozenset("il")


# OCR-B letters that differ by one stroke (an MRZ names line read at low resolution: 'CHRISTOPHF')
_MRZ_CONFUSIONS = (frozenset("ef"), frozenset("oqd"), frozenset("cg"), frozenset("pr"), frozenset("il"))


def _thin_variant(
    word: str,
    known: str,
    confusions: tuple[frozenset[str], ...] = _THIN_CONFUSIONS,
    dropped: frozenset[str] = _THIN_DROPPED,
) -> bool:
    if len(word) == len(known):
        diff = [(a, b) for a, b in zip(word, known, strict=True) if a != b]
        return len(diff) == 1 and any(diff[0][0] in g and diff[0][1] in g for g in confusions)
    if len(word) + 1 == len(known):
        return any(known[:i] + known[i + 1 :] == word and known[i] in dropped for i in range(len(known)))
    return False


def correct_given_name(word: str, *, mrz: bool = False) -> str:
    """A given name read by OCR, with a thin-letter slip on a known given name undone (case kept); with
    ``mrz``, the one-stroke slips of OCR-B capitals instead. Only when exactly one known name is that close."""
    if not isinstance(word, str) or len(word) < 6:
        return word
    key = fold(word)
    if key in _GIVEN_NAMES or key.split("-")[0] in _GIVEN_NAMES:
        return word
    bare = key.replace("-", "")
    confusions, dropped = (_MRZ_CONFUSIONS, frozenset[str]()) if mrz else (_THIN_CONFUSIONS, _THIN_DROPPED)
    hits = {
        fold(g).upper() if mrz else g
        for g in _KNOWN_GIVEN_SPELLINGS
        if _thin_variant(bare, fold(g).replace("-", ""), confusions, dropped)
    }
    if len(hits) != 1:
        return word
    hit = hits.pop()
    return hit.upper() if word.isupper() else hit


def _value_after_label(
    clean: Sequence[str], index: int, end: int, parse: object
) -> tuple[object, int] | None:
    """The value on the label's line (after the label) or on one of the two lines below."""
    assert callable(parse)
    same = clean[index][end:].strip(" :/|")
    # the bilingual label ('NOM / Surname') may leave its English half after the slash
    same = re.sub(r"^(?:surname|given\s*names?|nom|pr[eé]noms?)\s*[:/|]?\s*", "", same, flags=re.IGNORECASE)
    if same:
        found = parse(same)
        if found:
            return found, index
    for k in (index + 1, index + 2):
        if k < len(clean) and clean[k].strip():
            found = parse(clean[k])
            if found:
                return found, k
            if _ID_SURNAME_LABEL_RE.search(fold(clean[k])) or _ID_GIVEN_LABEL_RE.search(fold(clean[k])):
                return None
    return None


def _id_surname_usage_value(text: str) -> tuple[str, str | None] | None:
    """'KOWALSKI épouse DUPRÉ' (surname and usage name side by side) → ('KOWALSKI', 'DUPRÉ')."""
    value = _strip_debris(text)
    parts = _SPOUSE_RE.split(value, maxsplit=1)
    if len(parts) == 2:
        surname, usage = _id_surname_value(parts[0]), _id_surname_value(parts[1])
        if surname and usage:
            return surname, usage
        return None
    surname = _id_surname_value(value)
    return (surname, None) if surname else None


def _id_usage_value(text: str) -> str | None:
    """The usage-name field: 'ép. MARTIN', 'épouse MARTIN' or just 'MARTIN'."""
    value = _SPOUSE_RE.sub(" ", " " + _strip_debris(text), count=1)
    return _id_surname_value(value)


def _looks_given(text: str) -> bool:
    """Given names are printed comma-separated or in lower case ('Margaux', 'Aurélien, Michel'), unlike
    an unreadable label read as capitals noise."""
    value = _strip_debris(text)
    return "," in value or any(c.islower() for c in value)


def _given_below_surname(clean: Sequence[str], surname_line: int) -> tuple[str, ...]:
    """The 'Prénoms' label unreadable: the value is one or two lines under the surname."""
    found = [
        (k, _id_given_value(clean[k])) for k in (surname_line + 1, surname_line + 2) if 0 <= k < len(clean)
    ]
    found = [(k, g) for k, g in found if g]
    for k, given in found:
        if _looks_given(clean[k]):
            return given
    return found[0][1] if len(found) == 1 and found[0][0] == surname_line + 1 else ()


def _unlabelled_identity_name(clean: Sequence[str]) -> tuple[str | None, tuple[str, ...], int]:
    """Labels unreadable: a capitals-only line with the comma-separated given names one or two lines below."""
    for i, line in enumerate(clean):
        surname = _id_surname_value(line)
        if surname is None or "," in line:
            continue
        for k in (i + 1, i + 2):
            if k < len(clean) and "," in clean[k]:
                given = _id_given_value(clean[k])
                if given:
                    return surname, given, i
    return None, (), -1


def find_identity_name(lines: Sequence[str], *, need_given: bool = True) -> PersonName | None:
    """The holder printed in an identity document's visual zone ('NOM / Surname' then 'Prénoms / Given names').

    Cards and passports put each label on its own line with the value below it (or after it on the same
    line); the surname is in capitals, the given names comma-separated. Used when no valid MRZ gave them.
    """
    try:
        clean = [_clean(x) if isinstance(x, str) else "" for x in lines]
        surname: str | None = None
        usage: str | None = None
        given: tuple[str, ...] = ()
        surname_line = -1
        given_label = -1
        for i, line in enumerate(clean):
            folded = fold(line)
            um = _ID_USAGE_LABEL_RE.search(folded)
            sm = _ID_SURNAME_LABEL_RE.search(folded)
            if um and sm and sm.start() < um.start() and surname is None:
                # 'Nom / Surname   Nom d'usage': both columns on one line, values below side by side
                hit = _value_after_label(clean, i, len(line), _id_surname_usage_value)
                if hit is not None and isinstance(hit[0], tuple):
                    surname, surname_line = str(hit[0][0]), hit[1]
                    usage = usage or (str(hit[0][1]) if hit[0][1] else None)
                continue
            if um and usage is None:
                hit = _value_after_label(clean, i, um.end(), _id_usage_value)
                if hit is not None:
                    usage = str(hit[0])
                continue
            gm = _ID_GIVEN_LABEL_RE.search(folded)
            if sm and not gm and surname is None and "naissance" not in folded:
                hit = _value_after_label(clean, i, sm.end(), _id_surname_usage_value)
                if hit is not None and isinstance(hit[0], tuple):
                    surname, surname_line = str(hit[0][0]), hit[1]
                    usage = usage or (str(hit[0][1]) if hit[0][1] else None)
            elif gm and not given and i >= surname_line:
                given_label = i
                hit = _value_after_label(clean, i, gm.end(), _id_given_value)
                if hit is not None and isinstance(hit[0], tuple):
                    given = tuple(str(g) for g in hit[0])
        if surname is None and given and given_label > 0:
            # the 'Nom' label unreadable: the surname is the capitals line right above 'Prénoms'
            above = clean[given_label - 1]
            if not _ID_SURNAME_LABEL_RE.search(fold(above)):
                surname = _id_surname_value(above)
                surname_line = given_label - 1 if surname else -1
        if surname is None:
            surname, given, surname_line = _unlabelled_identity_name(clean)
        # the 'Prénoms' label itself unreadable: the value sits two lines under the surname
        if surname and not given and surname_line >= 0:
            given = _given_below_surname(clean, surname_line)
        if not surname or (need_given and not given):
            return None
        raw = f"{surname} {' '.join(given)}".strip()
        return PersonName(raw=raw, surname=surname, given_names=given, usage_surname=usage)
    except ODD_INPUT_ERRORS:
        return None


# ---------------------------------------------------------------- MRZ names and driving licences

_FILLER_LIKE = frozenset("EKXCLS<")


def is_filler_noise(word: str) -> bool:
    """'JATTETEEEEEESEEEEEEEEED', 'KKKK': the MRZ filler '<<<<' misread as letters, not a name."""
    if not isinstance(word, str) or not word:
        return False
    w = word.upper()
    if re.search(r"(.)\1\1", w):
        return True
    if fold(w) in _GIVEN_NAMES:
        return False  # 'CLEMENCE', 'CELESTINE' are mostly filler-like letters yet real names
    # misread filler is made of filler-like letters; a name has several others ('CLEMENCE': M, N)
    others = {c for c in w if c not in _FILLER_LIKE}
    return len(w) >= 8 and sum(c in _FILLER_LIKE for c in w) >= 0.7 * len(w) and len(others) <= 1


_PADDING_RUN_RE = re.compile(r"\s{2,}|<{2,}")


def clean_mrz_surname(surname: str | None) -> str | None:
    """The surname field of an MRZ without the noise read inside its '<' padding.

    Inside a surname field the parts of a compound name are joined by ONE '<'; a run of two or more
    fillers only pads the field, so letters after it ('RICHARD<<<<<<GG<GGGAG') are misread filler.
    """
    if not isinstance(surname, str):
        return None
    head = _PADDING_RUN_RE.split(surname.strip(), maxsplit=1)[0].replace("<", " ").strip()
    return head or None


_FILLER_SPLIT = frozenset("KXCLES")


def _split_filler_join(word: str) -> list[str]:
    """'AISSATOUKROSE', 'ANAXHELENE', 'ANAK': a '<' between/after given names misread as a letter.

    Only split when the left part is a known given name and the right part is empty, filler-like or
    another known given name, so a genuine unknown name ('ALEXANDRE') is never cut.
    """
    if len(word) < 4 or fold(word) in _GIVEN_NAMES:
        return [word]
    for i in range(2, len(word)):
        if word[i].upper() not in _FILLER_SPLIT:
            continue
        left, right = word[:i], word[i + 1 :]
        if fold(left) not in _GIVEN_NAMES:
            continue
        if not right or set(right.upper()) <= _FILLER_LIKE:
            return [left]
        if fold(right) in _GIVEN_NAMES:
            return [left, right]
    return [word]


def drop_filler_names(words: Sequence[str]) -> tuple[str, ...]:
    """Given names read from an MRZ without the filler noise (a name carries no check digit)."""
    kept = [w for w in words if isinstance(w, str) and w and not is_filler_noise(w)]
    parts = [part for w in kept for part in _split_filler_join(w)]
    # a lone 'K', 'X' or 'C' after a given name is one '<' of the padding misread ('BERENICE<K<<<')
    return tuple(p for i, p in enumerate(parts) if not (i > 0 and len(p) == 1 and p.upper() in _FILLER_LIKE))


_MRZ_NAME_LINE_RE = re.compile(
    r"^(?:[PI][A-Z<]?[A-Z<]{3})?([A-Z]+(?:<[A-Z]+)*)<<([A-Z]+(?:<[A-Z]+)*)(<[A-Z<]*)?$"
)


_MRZ_FILLER_MISREAD_RE = re.compile(r"[éÉèÈ£«‹{\[(#&]|[a-zé]{2,}")


def parse_mrz_name_line(line: str, *, with_prefix: bool = False) -> PersonName | None:
    """'BENOIT<<SEBASTIEN<<<<' (TD1 line 3) or 'P<FRAMARTIN<<ANA<<<' (TD3 line 1) → a name; None if noisy."""
    if not isinstance(line, str):
        return None
    # the filler '<' is often read as 'é', '£', '«', '{' or a run of small letters ('écecé'): an MRZ
    # holds capitals only, so these are fillers
    text = _MRZ_FILLER_MISREAD_RE.sub(lambda m: "<" * len(m.group(0)), re.sub(r"\s+", "", line))
    # an MRZ holds no apostrophe: one between two letters is a speck OCR read ("L'AURENT" for 'LAURENT')
    text = re.sub(r"(?<=[A-Za-z])['’`](?=[A-Za-z<])", "", text).upper()
    if not with_prefix and text[:2] in {"P<", "I<"}:
        return None
    m = _MRZ_NAME_LINE_RE.match(text)
    if m is None and not with_prefix:
        # the visual zone's last value merged in front of the band ('06.02.2035 DU<PONT<<MEI'): only
        # digits and punctuation may precede the names
        lead = re.match(r"^.*[^A-Z<](?=[A-Z]{2,}(?:<[A-Z]+)*<<[A-Z])", text)
        m = _MRZ_NAME_LINE_RE.match(text[lead.end() :]) if lead else None
    if not m:
        return None
    surname = m.group(1).replace("<", " ")
    given = drop_filler_names(m.group(2).split("<"))
    if len(surname) < 2 or not given or is_filler_noise(surname.replace(" ", "")):
        return None
    return PersonName(raw=f"{surname} {' '.join(given)}", surname=surname, given_names=given)


# OCR merges a field number with its value ('1.DUPONT') or loses the space after its dot
_LICENCE_FIELD_RE = re.compile(r"^\s*([1-9][abc]?)\s*[.,]\s*(?=[^\W\d_])(.+?)\s*$")
# the field numbers as OCR reads them on a photographed card: '1' as 'L'/'l'/'I'/'|', the dot lost
# (a card's frame edge read as a lone lower-case letter may come first: 'i 1, KERGOAT')
_LOOSE_FIELD_RE = re.compile(r"^(?:[a-z]\s+)?\W{0,2}([1-9]|[lLI|])\s*[.,:]?\s+(.+?)\s*$")
# what may precede a value whose field number OCR garbled or lost: a stray mark, '1', '2.', 'L', '-2.'
_FIELD_DEBRIS_RE = re.compile(r"^[^\w(]{0,3}(?:[12lLI|Z]\s*[.,:;]?\s+|[12]\s*[.,:;]\s*)?")
# the usage name a licence prints after the birth surname, in brackets: 'KOWALSKI (DUPRÉ)'
_LICENCE_USAGE_RE = re.compile(r"^(.+?)\s*\(\s*([^()]+?)\s*\)?\s*$")


def _licence_pair(first: str, second: str, *, strict: bool) -> tuple[str, str] | None:
    """(surname value, given value) when ``first`` is field 1 and ``second`` field 2 of a licence."""
    rx = _LICENCE_FIELD_RE if strict else _LOOSE_FIELD_RE
    a, b = rx.match(first), rx.match(second)
    if not a or not b or b.group(1) != "2":
        return None
    if a.group(1) != "1" and (strict or a.group(1) not in {"l", "L", "I", "|"}):
        return None
    return a.group(2), b.group(2)


def _licence_person(surname_value: str, given_value: str) -> PersonName | None:
    """The holder from the values of fields 1 and 2 (birth surname, bracketed usage name, given names)."""
    usage: str | None = None
    m = _LICENCE_USAGE_RE.match(surname_value)
    if m is not None and "(" in surname_value:
        surname_value, usage = m.group(1), _id_surname_value(m.group(2))
    surname = _id_surname_value(surname_value)
    if surname and any(fold(w) in _NOT_NAME_WORDS for w in surname.split()):
        return None  # the card's title ('PERMIS DE CONDUIRE') above field 2 when field 1 was lost
    given = tuple(
        correct_given_name(w)
        for w in re.split(r"[\s,]+", given_value.strip(" _-|"))
        if len(w) >= 2 and w.replace("-", "").isalpha()
    )
    if not surname or not given or len(given) > 5:
        return None
    raw = f"{surname} {' '.join(given)}"
    return PersonName(raw=raw, surname=surname, given_names=given, usage_surname=usage)


def _drop_lead_debris(line: str) -> str:
    """A field number read as a letter ('à AMELIE MARIE' for '2. AMELIE MARIE'): leading one-letter or
    lower-case tokens before capitals are no part of a name."""
    tokens = line.split()
    while len(tokens) > 1 and (len(tokens[0]) == 1 or not tokens[0].isupper()) and tokens[1].isupper():
        tokens.pop(0)
    return " ".join(tokens)


def _licence_name_above_birth(clean: Sequence[str]) -> PersonName | None:
    """Fields 1 and 2 whose numbers OCR lost (a fax): the two lines of capitals right above the birth row."""
    birth = find_licence_birth_date(clean)
    if birth is None or birth.line < 2:
        return None
    surname_line = _drop_lead_debris(_FIELD_DEBRIS_RE.sub("", clean[birth.line - 2]))
    given_line = _drop_lead_debris(_FIELD_DEBRIS_RE.sub("", clean[birth.line - 1]))
    if not _is_upper_word(given_line.replace(" ", "").replace("-", "")):
        return None
    return _licence_person(surname_line, given_line)


def find_licence_name(lines: Sequence[str]) -> PersonName | None:
    """A European driving licence's holder: field '1.' (surname) and the next line's field '2.' (given names).

    On a page titled as a licence, field numbers read loosely are trusted, and when OCR lost them the two
    lines of capitals above the birth row (field 3) are the holder.
    """
    try:
        clean = [_clean(x) if isinstance(x, str) else "" for x in lines]
        # the card's title makes the numbered layout certain, so field numbers read loosely are trusted
        titled = mentions_driving_licence(clean)
        for i in range(len(clean) - 1):
            pair = _licence_pair(clean[i], clean[i + 1], strict=True)
            if pair is None and titled:
                pair = _licence_pair(clean[i], clean[i + 1], strict=False)
            if pair is None:
                continue
            person = _licence_person(*pair)
            if person is not None:
                return person
        return _licence_name_above_birth(clean) if titled else None
    except ODD_INPUT_ERRORS:
        return None


# ---------------------------------------------------------------- MRZ and visual zone together


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", fold(text))


def _is_known_given(word: str) -> bool:
    key = fold(word)
    return key in _GIVEN_NAMES or key.split("-")[0] in _GIVEN_NAMES


def is_known_given_name(word: str) -> bool:
    """A common French given name ('Jean', 'Aïssatou', 'Marie-Ève'): a handwritten reading that gives one
    was read clearly enough to name a person, rather than garbled into a name-like word."""
    return isinstance(word, str) and bool(word.strip()) and _is_known_given(word)


def _word_count(text: str) -> int:
    return len([w for w in re.split(r"[\s'\-<]+", text) if w])


def _reconcile_surname(mrz: str, visual: str, *, mrz_valid: bool) -> str:
    m, v = _letters(mrz), _letters(visual)
    if not v or m == v:
        # the visual zone keeps accents and apostrophes, unless OCR glued two words the band separates
        return visual if v and _word_count(visual) >= _word_count(mrz) else mrz
    if len(v) == len(m) + 1 and (v.startswith(m) or v.endswith(m)):
        return visual  # a letter lost at the edge of the band's field ('ETIT' for 'PETIT')
    if len(m) == len(v) + 1 and len(v) >= 4 and (m.endswith(v) or m.startswith(v)):
        extra = m[0] if m.endswith(v) else m[-1]
        if extra.upper() in _FILLER_LIKE:
            return visual  # filler misread glued to the band's name ('EFOURNIER' for 'FOURNIER')
    return mrz if mrz_valid else visual


def _in_order(part: Sequence[str], whole: Sequence[str]) -> bool:
    """Every word of ``part`` found in ``whole``, in the same order."""
    it = iter(whole)
    return bool(part) and all(any(p == w for w in it) for p in part)


def _band_reads_start_of(mrz: Sequence[str], visual: Sequence[str]) -> bool:
    """The band's given names are the visual zone's first ones, word for word, and the visual zone prints
    more: the band's fixed-width field cut them. The band writes a hyphen as a filler ('MARIE<EVE<ROSE' for
    'Marie-Ève, Rose, Louise'), so the visual zone's names are compared split at their hyphens. A visual
    word that only starts like the band's ('GIULIAR' for 'GIULIA') is a slip of the visual zone's OCR."""
    band = [_letters(m) for m in mrz]
    printed = [_letters(part) for v in visual for part in re.split(r"[\s\-']+", v) if _letters(part)]
    return bool(band) and all(band) and len(printed) > len(band) and printed[: len(band)] == band


def _reconcile_given(mrz: tuple[str, ...], visual: tuple[str, ...], *, mrz_valid: bool) -> tuple[str, ...]:
    if not visual:
        return mrz
    if not mrz or (
        _letters("".join(mrz)) == _letters("".join(visual))
        and sum(map(_word_count, visual)) >= sum(map(_word_count, mrz))
    ):
        return visual
    if _band_reads_start_of(mrz, visual):
        return visual
    extra = [v for v in visual if _letters(v) not in {_letters(m) for m in mrz}]
    if (
        len(visual) > len(mrz)
        and all(_is_known_given(v) for v in extra)
        and _in_order([_letters(m) for m in mrz], [_letters(v) for v in visual])
    ):
        # the band lost a given name the visual zone prints ('ROSE' for 'Clémence, Rose'): keep them all
        return visual
    out: list[str] = []
    for i, m in enumerate(mrz):
        v = visual[i] if i < len(visual) else None
        if v is None:
            out.append(m)
        elif _letters(v) == _letters(m):
            out.append(v)
        elif _is_known_given(v) != _is_known_given(m):
            # names carry no check digit: the reading that is a real given name wins ('Ana' over 'ANK',
            # 'FRANCOISE' over 'Hangoise')
            out.append(v if _is_known_given(v) else m)
        else:
            out.append(m if mrz_valid else v)
    if len(visual) > len(mrz) and out and _letters(visual[len(mrz) - 1]).startswith(_letters(mrz[-1])):
        # the band's fixed-width field cut the last given names: the visual zone prints them all
        out[-1] = visual[len(mrz) - 1]
        out.extend(visual[len(mrz) :])
    return tuple(out)


def reconcile_identity_names(
    mrz: PersonName | None, visual: PersonName | None, *, mrz_valid: bool
) -> PersonName | None:
    """One holder from an identity document's MRZ names and its visual zone, word by word.

    A valid MRZ wins where the two disagree (its OCR alphabet is small and its dates are checked), but it
    has no accents, apostrophes nor hyphens: where both read the same letters the visual spelling is kept.
    Names carry no check digit, so a word that is a known given name beats one that is not, and a band
    that lost a letter at the edge of its field loses to the visual zone. With an invalid MRZ the visual
    zone is preferred.
    """
    try:
        if mrz is None or not mrz.surname:
            return visual
        if visual is None or not visual.surname:
            return mrz
        surname = _reconcile_surname(mrz.surname, visual.surname, mrz_valid=mrz_valid)
        given = _reconcile_given(tuple(mrz.given_names), tuple(visual.given_names), mrz_valid=mrz_valid)
        return PersonName(
            raw=f"{surname} {' '.join(given)}".strip(),
            surname=surname,
            given_names=given,
            birth_surname=visual.birth_surname or mrz.birth_surname,
            usage_surname=visual.usage_surname or mrz.usage_surname,
        )
    except ODD_INPUT_ERRORS:
        return mrz or visual


_GLUE_PARTICLES = ("DU", "DE", "DA", "DI", "LE", "LA", "EL", "AL", "VAN", "VON", "BEN", "DOS", "DES", "DEL")
_SEPARATOR_MISREADS = frozenset("KSCEXL")


def split_glued_particle(surname: str, page_words: Sequence[str]) -> str:
    """'DUSPONT' → 'DU PONT': the band's '<' after a particle misread as a letter, split only when the rest
    of the name is printed as a word of its own elsewhere on the document (the visual zone's 'PONT')."""
    try:
        if not isinstance(surname, str) or " " in surname.strip():
            return surname
        word = surname.strip().upper()
        seen = {re.sub(r"[^a-z]", "", fold(w)) for w in page_words if isinstance(w, str)}
        for particle in _GLUE_PARTICLES:
            # one '<' read as one letter, or as two ('DEKXVILLIERS' for 'DE<VILLIERS')
            for width in (1, 2):
                rest = word[len(particle) + width :]
                if (
                    word.startswith(particle)
                    and len(rest) >= 3
                    and set(word[len(particle) : len(particle) + width]) <= _SEPARATOR_MISREADS
                    and fold(rest) in seen
                    and fold(word) not in seen
                ):
                    return f"{particle} {rest}"
        return surname
    except ODD_INPUT_ERRORS:
        return surname


# ---------------------------------------------------------------- tidying a holder read by OCR

_EDGE_JUNK_RE = re.compile(r"^[^A-Za-zÀ-ÖØ-öø-ÿŒœ]+|[^A-Za-zÀ-ÖØ-öø-ÿŒœ.]+$")
_SPECK_LETTERS = frozenset("iIl|")
_CAMEL_RE = re.compile(r"^([A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{2,})([A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{2,})$")


def _tidy_token(word: str) -> str:
    """A word without the punctuation OCR glued to its edges ("'MICHEL", 'DIALLO —')."""
    return _EDGE_JUNK_RE.sub("", word)


def _is_speck(word: str, *, others: int) -> bool:
    """A mark read as a word: no letter at all, a lone 'i'/'I'/'l' or a two-letter lowercase scrap.

    Only dropped when real names stand beside it (``others``), so an initial alone ('J. DUPONT') stays,
    and an initial with its dot ('J.') is kept.
    """
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return True
    if others == 0 or _is_particle(word) or word.endswith("."):
        return False
    if len(letters) == 1:
        return word in _SPECK_LETTERS or letters[0].islower()
    if len(letters) != 2 or fold(word) in _GIVEN_NAMES:
        return False
    # two lowercase letters, or two without a vowel ('PR'), are a scrap, not a name
    return all(c.islower() for c in letters) or not set(fold(word)) & set("aeiouy")


def split_camel_given(word: str) -> tuple[str, ...]:
    """'MehdiJean' → ('Mehdi', 'Jean'): two given names OCR glued, split only when both are known names."""
    m = _CAMEL_RE.match(word) if isinstance(word, str) else None
    if m and fold(m.group(1)) in _GIVEN_NAMES and fold(m.group(2)) in _GIVEN_NAMES:
        return (m.group(1), m.group(2))
    return (word,)


def _tidy_words(text: str) -> list[str]:
    words = [_tidy_token(w) for w in text.split()]
    words = [w for w in words if w]
    real = sum(1 for w in words if len([c for c in w if c.isalpha()]) >= 2)
    return [w for w in words if not _is_speck(w, others=real - (1 if len(w) >= 2 else 0))]


def tidy_person_name(name: PersonName | None) -> PersonName | None:
    """A structured holder without OCR specks: edge punctuation, stray 'i'/'I'/'—', glued given names.

    A speck before the given names ('i Françoise') or after the surname ('DIALLO —') is a mark on the
    scan, not a name; dropping it lets the same person be recognised across documents. Raw text is kept.
    """
    try:
        if name is None or not name.surname:
            return name
        surname = " ".join(_tidy_words(name.surname)) or name.surname
        given: list[str] = []
        for g in name.given_names:
            if " " in g.strip():  # one element holding several words keeps them together
                given.append(" ".join(_tidy_words(g)))
            else:
                given.extend(split_camel_given(_tidy_token(g)))
        real = sum(1 for w in given if len([c for c in w if c.isalpha()]) >= 2)
        kept = tuple(w for w in given if w and not _is_speck(w, others=real - (1 if len(w) >= 2 else 0)))
        # lowercase words before a capitalised given name are the sentence around it ('à mon domicile')
        lead = next((j for j, w in enumerate(kept) if not w.islower() or _is_particle(w)), len(kept))
        if 0 < lead < len(kept) and kept[lead][:1].isupper():
            kept = kept[lead:]
        if surname == name.surname and kept == tuple(name.given_names):
            return name
        return PersonName(
            raw=name.raw,
            surname=surname,
            given_names=kept,
            civility=name.civility,
            birth_surname=name.birth_surname,
            usage_surname=name.usage_surname,
        )
    except ODD_INPUT_ERRORS:
        return name
