"""The extract stage: from a classified document's pages to its :class:`Fields`, each value with evidence.

Type decides what to look for; labels (from the doctype data) decide where. Signed data (a valid
MRZ, a 2D-Doc) is preferred over printed text, and a disagreement between the two is noted in French.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Protocol

from rapidfuzz.distance import Levenshtein

from preverif.extract.dates import (
    BIRTH_LABELS,
    ODD_INPUT_ERRORS,
    DateFinding,
    Label,
    find_identity_dates,
    find_identity_row_birth_date,
    find_licence_birth_date,
    find_licence_validity,
    find_period_end,
    find_tax_campaign_year,
    fold,
    looks_like_licence,
    ocr_digit_variants,
    pick_column_date,
    pick_issue_date,
    pick_labelled_date,
)
from preverif.extract.ephoto import read_ephoto_code
from preverif.extract.issuers import find_issuer
from preverif.extract.mrz import check_digit, describe_mrz_state, names_settled
from preverif.extract.names import (
    clean_mrz_surname,
    correct_given_name,
    drop_filler_names,
    find_attestation_people,
    find_holder,
    find_identity_name,
    find_licence_name,
    find_named_person,
    find_postal_address,
    parse_mrz_name_line,
    reconcile_identity_names,
    split_glued_particle,
    tidy_person_name,
)
from preverif.ocr.merge import text_lines
from preverif.records import Classification, Evidence, Fields, MrzResult, Page, PersonName, TwoDDoc, Word


class DateLabels(Protocol):
    """What the doctype data gives the extractor for one type/subtype (labels as words or compiled regexes)."""

    @property
    def date_labels(self) -> Sequence[Label]: ...

    @property
    def decoy_labels(self) -> Sequence[Label]: ...

    @property
    def holder_labels(self) -> Sequence[Label]: ...

    @property
    def issuers(self) -> Sequence[str]: ...


ISSUED_LABELS: tuple[str, ...] = (
    "4a.",  # the European driving licence numbers its fields: 4a. issue, 4b. expiry
    "Délivrée le",
    "Délivré le",
    "Date de délivrance",
    "Date de délivr.",
    "Date of issue",
)
EXPIRY_LABELS: tuple[str, ...] = (
    "4b.",
    "Carte valable jusqu'au",
    "Valable jusqu'au",
    "Date d'expiration",
    "Date d'expir.",
    "Expiry date",
    "Date of expiry",
)
# « Fait » garbled by OCR (« Fañ à Lyon, le 12/06/2021 »): the place and the comma still announce the date
ATTESTATION_DATE_LABELS: tuple[Label, ...] = (
    "Fait à … le",
    "Fait le",
    "Fait à … , le",
    "à …, le",
    # the town's comma read as a dot and 'le' as 'te' on a photographed certificate ('Fañ à Bordeaux. te')
    re.compile(r"\ba [a-z][a-z' -]{1,30}[,.] ?[lt]e\b"),
    # handwriting: 'Fait' read 'Frit' or 'Fat', 'le' read 'Je', the town garbled ('Frit > sy Les-Noulinemux Je')
    re.compile(r"^f[a-z]{1,3}t\b[^0-9]{1,50}\b[ljt]e\b"),
)
# a photo sheet is dated by the shot (ANTS wants a photo under 6 months old)
PHOTO_DATE_LABELS: tuple[str, ...] = (
    "Date de prise de vue",
    "Prise de vue le",
    "Prise de vue",
    "Date de la photo",
    "Photo prise le",
    "Date de réalisation",
)
# labels that outrank the generic issue labels for one subtype: a tax notice's 2D-Doc signs the date
# 'de mise en recouvrement' (field 4A), so the printed one must be that date, not 'Date d'établissement'
PREFERRED_DATE_LABELS: dict[str, tuple[str, ...]] = {
    "tax_notice": ("Date de mise en recouvrement", "mise en recouvrement le", "Mise en recouvrement"),
    "property_tax": ("Date de mise en recouvrement", "mise en recouvrement le", "Mise en recouvrement"),
}
# the date the notice was drawn up: the collection date ('mise en recouvrement') is that day or a few weeks later
ESTABLISHMENT_DATE_LABELS: tuple[str, ...] = ("Date d'établissement", "Avis établi le", "Établi le")
MAX_COLLECTION_DELAY_DAYS = 92
MISMATCH_NOTE = "le 2D-Doc et le texte imprimé ne concordent pas ({what}) : falsification possible"


@dataclass(frozen=True)
class _Line:
    text: str
    file: str
    page: int


def _page_lines(pages: Sequence[Page]) -> list[_Line]:
    out: list[_Line] = []
    for page in pages:
        try:
            for line in rejoin_label_rows(page.text.words):
                out.append(_Line(line, page.file, page.number))
        except ODD_INPUT_ERRORS:
            continue
    return out


_LABEL_ONLY_MAX_WORDS = 8


def rejoin_label_rows(words: Sequence[Word]) -> list[str]:
    """The page's lines, each label printed alone ('Nom :') joined with the value printed on its row.

    A form printed as a column of labels beside a column of values is read by Tesseract as two blocks: all
    the labels, then all the values ('Nom :', 'Prénom(s) :', …, 'NGUYEN', 'Pierre-Yves Jean', …), and no
    extractor can tell which value is whose. A line ending with a colon is joined with the nearest line to
    its right whose middle lies within its height; that line is then not repeated.
    """
    lines = text_lines(words)
    texts = [line.text for line in lines]
    label = [
        len(line.words) <= _LABEL_ONLY_MAX_WORDS and texts[i].rstrip().endswith(":")
        for i, line in enumerate(lines)
    ]
    taken: set[int] = set()
    joined: dict[int, int] = {}
    for i, line in enumerate(lines):
        if not label[i]:
            continue
        best: tuple[int, int] | None = None
        for j, other in enumerate(lines):
            if j == i or label[j] or j in taken or other.left <= line.right:
                continue
            if not line.top <= other.middle <= line.bottom:
                continue
            gap = other.left - line.right
            if best is None or gap < best[0]:
                best = (gap, j)
        if best is not None:
            taken.add(best[1])
            joined[i] = best[1]
    return [
        f"{texts[i]} {texts[joined[i]]}" if i in joined else texts[i]
        for i in range(len(lines))
        if i not in taken
    ]


class _Collector:
    """Gathers evidence and notes while the type-specific extractors run."""

    def __init__(self, lines: Sequence[_Line], pages: Sequence[Page]) -> None:
        self.lines = lines
        self.default_file = pages[0].file if pages else ""
        self.default_page = pages[0].number if pages else 0
        self.evidence: list[Evidence] = []
        self.notes: list[str] = []

    def at(self, label: str, line: int | None, text: str | None = None) -> None:
        if line is not None and 0 <= line < len(self.lines):
            where = self.lines[line]
            self.evidence.append(Evidence(label, text or where.text.strip(), where.file, where.page))
        else:
            self.evidence.append(Evidence(label, text or "", self.default_file, self.default_page))

    def find_line(self, needle: str) -> int | None:
        key = fold(needle).strip()
        if not key:
            return None
        for i, line in enumerate(self.lines):
            if key in fold(line.text):
                return i
        return None


def _same_person(a: PersonName, b: PersonName) -> bool:
    """Loose agreement: some surname word of one is a word of the other's name (accents/case ignored)."""

    def words(p: PersonName) -> set[str]:
        text = " ".join(x for x in (p.surname, p.usage_surname, p.birth_surname) if x) or p.raw
        return {w for w in fold(text).replace("-", " ").replace("'", " ").split() if len(w) > 1}

    def all_words(p: PersonName) -> set[str]:
        return {
            w for w in fold(p.raw).replace("-", " ").replace("'", " ").replace("/", " ").split() if len(w) > 1
        }

    return bool(words(a) & all_words(b)) or bool(words(b) & all_words(a))


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", fold(text))


def _name_in_lines(name: str, lines: Sequence[str]) -> bool:
    """Whether ``name`` is printed on one of ``lines``, spaces/apostrophes/accents ignored, one OCR slip allowed.

    The 2D-Doc writes 'N GUESSAN' or 'LEFEVRE' where the print says « N'GUESSAN », « Lefèvre »; OCR may
    garble one letter of a long name.
    """
    key = _letters(name)
    if len(key) < 2:
        return False
    slips = 0 if len(key) < 5 else 1 if len(key) < 10 else 2
    for line in lines:
        text = _letters(line)
        if key in text:
            return True
        if slips and len(text) >= len(key) - 1:
            for start in range(0, len(text) - len(key) + 2):
                window = text[start : start + len(key)]
                if Levenshtein.distance(window, key, score_cutoff=slips) <= slips:
                    return True
    return False


def printed_name_agrees(signed: PersonName, printed: Sequence[PersonName], lines: Sequence[str]) -> bool:
    """Whether the print names the 2D-Doc's holder: a printed holder matches, or the signed surname is printed.

    A genuine bill may name its holder with a civility, given names first, accents, joint holders or a
    'chez' line the holder finder takes for the holder; what a forger changes is the name itself, so the
    signed surname must then be nowhere in the text.
    """
    if any(_same_person(signed, p) for p in printed):
        return True
    surnames = [x for x in (signed.surname, signed.usage_surname, signed.birth_surname) if x]
    if not surnames and signed.raw:
        surnames = [signed.raw.replace("/", " ")]
    return any(_name_in_lines(x, lines) for x in surnames)


def _signed_holder(signed: PersonName, printed: PersonName | None) -> PersonName:
    """The 2D-Doc's holder, with the birth and usage surnames the print adds when it names the same person:
    a code carries one surname ('DOS SANTOS') where the bill prints 'BENOÎT épouse DOS SANTOS', and the ID
    may show either."""
    if (
        printed is None
        or not (printed.usage_surname or printed.birth_surname)
        or not _same_person(signed, printed)
    ):
        return signed
    given = signed.given_names if len(signed.given_names) >= len(printed.given_names) else printed.given_names
    return replace(printed, given_names=given)


def _mrz_person(mrz: MrzResult) -> PersonName:
    # names carry no check digit: a one-stroke OCR-B slip on a known given name is undone
    given = tuple(correct_given_name(w, mrz=True) for w in drop_filler_names(mrz.given_names))
    surname = clean_mrz_surname(mrz.surname)
    raw = f"{surname or ''} {' '.join(given)}".strip()
    return PersonName(raw=raw, surname=surname, given_names=given)


def _identity(c: _Collector, texts: list[str], mrz: MrzResult | None, ref: date) -> dict[str, object]:
    out: dict[str, object] = {"mrz": mrz}
    if mrz is not None and mrz.valid:
        out.update(
            birth_date=mrz.birth_date,
            expiry_date=mrz.expiry_date,
            nationality=mrz.nationality or None,
            document_number=mrz.document_number or None,
        )
        c.at("mrz", None, " / ".join(mrz.lines))
        if mrz.issue_date is not None:
            out.update(issue_date=mrz.issue_date, issue_date_source="mrz")
    elif mrz is not None:
        c.notes.append(f"bande MRZ lue, {describe_mrz_state(mrz)} : champs lus sur la zone visuelle")
    licence = find_licence_validity(texts, today=ref)
    if licence.issue is not None:
        out.update(issue_date=licence.issue.date, issue_date_source=licence.issue.source)
        c.at("date", licence.issue.line)
    issued = None if licence.issue is not None else pick_labelled_date(texts, ISSUED_LABELS, today=ref)
    if issued is not None:
        out.update(issue_date=issued.date, issue_date_source=issued.source)
        c.at("date", issued.line)
    if out.get("expiry_date") is None and licence.expiry is not None:
        out["expiry_date"] = licence.expiry.date
        c.at("expiry_date", licence.expiry.line)
    if out.get("expiry_date") is None:
        expiry = pick_labelled_date(texts, EXPIRY_LABELS, today=ref)
        if expiry is not None:
            out["expiry_date"] = expiry.date
            c.at("expiry_date", expiry.line)
    if out.get("birth_date") is None:
        # a licence's field 3 is its birth date: other dates of the card must not be taken for it
        licence_birth = find_licence_birth_date(texts, today=ref, validity=licence)
        if licence_birth is not None:
            out["birth_date"] = licence_birth.date
            c.at("birth_date", licence_birth.line)
    if out.get("birth_date") is None:
        birth = pick_labelled_date(texts, BIRTH_LABELS, today=ref)
        if birth is not None:
            out["birth_date"] = birth.date
            c.at("birth_date", birth.line)
    if mrz is not None and not mrz.valid:
        # a date whose own check digit holds is right even when another field of the band is misread
        for key, value in (("birth_date", mrz.birth_date), ("expiry_date", mrz.expiry_date)):
            if out.get(key) is None and value is not None and mrz.checks.get(key):
                out[key] = value
                c.at(key, None, f"MRZ ({key} : clé de contrôle juste)")
    if out.get("expiry_date") is None or out.get("birth_date") is None:
        birth_f, expiry_f = find_mrz_dates(texts, ref)
        for key, value in (("birth_date", birth_f), ("expiry_date", expiry_f)):
            if out.get(key) is None and value is not None:
                out[key] = value
                c.at(key, None, f"MRZ ({key} : fragment lu dans le texte, clés de contrôle justes)")
    if out.get("birth_date") is None:
        row_birth = find_identity_row_birth_date(texts, today=ref)
        if row_birth is not None:
            out["birth_date"] = row_birth.date
            c.at("birth_date", row_birth.line)
    if out.get("expiry_date") is None:
        expiry_guess = _unlabelled_expiry(texts, ref, out.get("birth_date"), out.get("issue_date"))
        if expiry_guess is not None:
            out["expiry_date"] = expiry_guess[0]
            c.at("expiry_date", expiry_guess[1])
    if out.get("birth_date") is None and isinstance(out.get("expiry_date"), date):
        birth_guess = _unlabelled_birth(texts, ref, out["expiry_date"])  # type: ignore[arg-type]
        if birth_guess is not None:
            out["birth_date"] = birth_guess[0]
            c.at("birth_date", birth_guess[1])
    out["holder"] = _identity_holder(c, texts, mrz)
    return out


# a French passport prints the holder's nationality as « Française » (ICAO: only France issues it to its
# nationals); « RÉPUBLIQUE FRANÇAISE » is the issuer's name, which a titre de séjour prints too
_FRENCH_NATIONALITY_RE = re.compile(r"(?<!republique )(?<!republigue )\bfrancaise?\b")


def find_passport_nationality(texts: Sequence[str]) -> str | None:
    """'FRA' when a passport's visual zone prints the French nationality; for a band whose check digits fail,
    so that a misread nationality field ('ZFR') does not make a French candidate a foreigner."""
    for text in texts:
        if _FRENCH_NATIONALITY_RE.search(fold(text)):
            return "FRA"
    return None


# an identity document is valid 15 years at most (old CNI): a printed date further before its expiry is
# no issue date but the birth date
_MAX_VALIDITY_YEARS = 15


def _unlabelled_birth(texts: Sequence[str], ref: date, expiry: date) -> tuple[date, int] | None:
    """The birth date of an identity document whose label OCR garbled: its earliest date, when that date is
    too far before the expiry to be the issue date."""
    past = sorted((d, line) for d, line in find_identity_dates(texts, today=ref) if d < ref)
    if not past:
        return None
    value, line = past[0]
    if (expiry.year - value.year) <= _MAX_VALIDITY_YEARS:
        return None
    return value, line


def _identity_holder(c: _Collector, texts: list[str], mrz: MrzResult | None) -> PersonName | None:
    """The holder from the MRZ and the visual zone reconciled (see :func:`reconcile_identity_names`)."""
    if looks_like_licence(texts):
        visual = find_licence_name(texts) or find_identity_name(texts)
    else:
        visual = find_identity_name(texts) or find_licence_name(texts)
    band: PersonName | None = None
    band_valid = False
    text_band = find_mrz_name(texts)  # the names line as the page's OCR read it, beside a checked line
    if mrz is not None and _plausible_mrz_name(mrz):
        # names carry no check digit: an MRZ failing on another field still names its holder as well
        # as a blurred visual zone does (the rules engine reads it the same way)
        band, band_valid = _mrz_person(mrz), names_settled(mrz)
        # two readings of the same band: where they differ a real given name beats a misread one
        band = reconcile_identity_names(band, text_band, mrz_valid=True)
    if band is None:
        band = text_band  # the band reader missed or misparsed the names
    if band is not None and band.surname:
        words = [w for line in texts for w in line.split()]
        split = split_glued_particle(band.surname, words)
        if split != band.surname:
            band = PersonName(
                raw=f"{split} {' '.join(band.given_names)}", surname=split, given_names=band.given_names
            )
    if visual is None and band is not None:
        # a surname alone still gives the visual spelling ('PETIT' where the band lost the 'P')
        visual = find_identity_name(texts, need_given=False)
    person = reconcile_identity_names(band, visual, mrz_valid=band_valid)
    if person is None and mrz is not None and mrz.valid and clean_mrz_surname(mrz.surname):
        person = band = _mrz_person(mrz)
    if person is None:
        person = find_named_person(texts)
        if person is not None:
            c.at("holder", c.find_line(person.surname or person.raw), person.raw)
        return person
    if band is not None and band_valid:
        c.at("holder", None, f"MRZ : {band.raw}" + (f" ; zone visuelle : {visual.raw}" if visual else ""))
    elif band is not None and mrz is not None and person is band:
        c.at("holder", None, f"MRZ (clés fausses) : {band.raw}")
    else:
        c.at("holder", c.find_line((visual or person).surname or person.raw), person.raw)
    return person


def _unlabelled_expiry(
    texts: Sequence[str], ref: date, birth: object, issued: object
) -> tuple[date, int] | None:
    """The expiry of an identity document whose label OCR garbled: its only date after the reference date.

    Birth and issue dates are in the past; the end of validity is the one date a card or passport prints
    in the future. Several distinct future dates decide nothing.
    """
    found = find_identity_dates(texts, today=ref)
    future = {d: line for d, line in found if d > ref and d != birth and d != issued}
    if len(future) != 1:
        return None
    value, line = next(iter(future.items()))
    if isinstance(birth, date) and value <= birth:
        return None
    return value, line


# the dates half of an MRZ line: TD1 line 2 'YYMMDD c SEX YYMMDD c NAT', TD2/TD3 line 2 'NAT YYMMDD c SEX
# YYMMDD c'. Two check digits make the fragment self-verifying even when the band as a whole is unreadable
_MRZ_DATES_TD1_RE = re.compile(r"(\d{6})(\d)([MF<X])(\d{6})(\d)[A-Z<]{3}")
_MRZ_DATES_TD3_RE = re.compile(r"[A-Z<]{3}(\d{6})(\d)([MF<X])(\d{6})(\d)")


def _mrz_yymmdd(text: str, *, past: bool, today: date) -> date | None:
    try:
        yy, mm, dd = int(text[:2]), int(text[2:4]), int(text[4:6])
        day = date(2000 + yy, mm, dd)
        too_late = day > today if past else day.year > today.year + 50
        if too_late:
            day = date(1900 + yy, mm, dd)
        return day
    except ValueError:
        return None


def find_mrz_dates(texts: Sequence[str], today: date) -> tuple[date | None, date | None]:
    """(birth, expiry) from an MRZ dates fragment found in page text whose two check digits hold.

    OCR often merges the band with the visual zone ('… Expiry date 6801128F3312016FRA<<<<6'): the band
    then fails as a whole while this fragment, verified by its own check digits, is still right.
    """
    for line in texts:
        if not isinstance(line, str):
            continue
        text = re.sub(r"\s+", "", line.upper())
        for rx in (_MRZ_DATES_TD1_RE, _MRZ_DATES_TD3_RE):
            for m in rx.finditer(text):
                birth_s, birth_cd, _sex, exp_s, exp_cd = m.groups()
                birth_ok = check_digit(birth_s) == int(birth_cd)
                if check_digit(exp_s) != int(exp_cd):
                    continue
                birth = _mrz_yymmdd(birth_s, past=True, today=today) if birth_ok else None
                expiry = _mrz_yymmdd(exp_s, past=False, today=today)
                if expiry is not None and (birth is None or birth < expiry):
                    return birth, expiry
    return None, None


def find_mrz_name(texts: Sequence[str]) -> PersonName | None:
    """The names line of an MRZ the band reader missed, trusted only next to a check-digit-verified line."""
    for i, line in enumerate(texts):
        text = re.sub(r"\s+", "", line.upper()) if isinstance(line, str) else ""
        verified = any(
            check_digit(m.group(1)) == int(m.group(2)) and check_digit(m.group(4)) == int(m.group(5))
            for rx in (_MRZ_DATES_TD1_RE, _MRZ_DATES_TD3_RE)
            for m in rx.finditer(text)
        )
        if not verified:
            continue
        # a visual-zone line OCR interleaved may sit between the dates line and the names line
        below = next(
            (n for k in (i + 1, i + 2) if k < len(texts) for n in [parse_mrz_name_line(texts[k])] if n), None
        )
        above = parse_mrz_name_line(texts[i - 1], with_prefix=True) if i > 0 else None
        if below or above:
            return below or above
    return None


def _plausible_mrz_name(mrz: MrzResult) -> bool:
    words = [mrz.surname, *drop_filler_names(mrz.given_names)]
    return (
        bool(mrz.surname)
        and bool(drop_filler_names(mrz.given_names))
        and all(w.replace(" ", "").replace("-", "").isalpha() for w in words if w)
    )


def _issue(
    c: _Collector, texts: list[str], labels: DateLabels, ref: date, extra: Sequence[Label] = ()
) -> DateFinding | None:
    finding = pick_issue_date(
        texts, (*extra, *tuple(labels.date_labels)), tuple(labels.decoy_labels), reference_date=ref
    )
    if finding is not None:
        c.at("date", finding.line)
    return finding


def _check_collection_date(texts: Sequence[str], collection: DateFinding, ref: date) -> DateFinding:
    """A tax notice's collection date, checked against its establishment date (never before it).

    'Date de mise en recouvrement' is the day of 'Date d'établissement' or a few weeks later. One read
    before it is an OCR slip ('19/07' read '19/01' on a fax): the date one confusable digit away that falls
    in that window replaces it, else the establishment date stands in (the notice is at least that recent).
    """
    established = pick_labelled_date(texts, ESTABLISHMENT_DATE_LABELS, today=ref) or pick_column_date(
        texts, ESTABLISHMENT_DATE_LABELS, today=ref
    )
    if established is None or (established.line == collection.line and established.date == collection.date):
        return collection
    start = established.date
    end = start + timedelta(days=MAX_COLLECTION_DELAY_DAYS)
    if start <= collection.date <= end:
        return collection
    fixes = [d for d in ocr_digit_variants(collection.date) if start <= d <= min(end, ref)]
    if len(fixes) == 1:
        return replace(collection, date=fixes[0], source=f"{collection.source} (corrigée)")
    if collection.date < start:
        return established
    return collection


def _proof(
    c: _Collector,
    texts: list[str],
    labels: DateLabels,
    ref: date,
    twoddoc: TwoDDoc | None,
    twoddoc_holder: PersonName | None,
    subtype: str | None = None,
) -> dict[str, object]:
    out: dict[str, object] = {}
    people = find_holder(texts, tuple(labels.holder_labels))
    printed_holder = people[0] if people else None
    if printed_holder is not None:
        line = c.find_line(printed_holder.raw)
        c.at("holder", line, printed_holder.raw)
        address = find_postal_address(texts, line)
        if address:
            out["address"] = address
            c.at("address", line, address)
        out["joint_holders"] = tuple(people[1:])
    if out.get("address") is None:
        address = find_postal_address(texts)
        if address:
            out["address"] = address
            c.at("address", c.find_line(address.split(",")[0]), address)
    printed = None
    preferred = PREFERRED_DATE_LABELS.get(subtype or "")
    if preferred:
        printed = pick_labelled_date(texts, preferred, today=ref) or pick_column_date(
            texts, preferred, today=ref
        )
        if printed is not None:
            printed = _check_collection_date(texts, printed, ref)
        if printed is not None and printed.date <= ref:
            c.at("date", printed.line)
        else:
            printed = None
    if printed is None:
        printed = _issue(c, texts, labels, ref)
    if printed is not None:
        out.update(issue_date=printed.date, issue_date_source=printed.source)
    if printed is None or printed.source == "position":
        out["period_end"] = find_period_end(texts, today=ref)
    if preferred:
        campaign = find_tax_campaign_year(texts)
        if campaign is not None:
            out["issue_year"] = campaign[0]
            if printed is None:
                c.at("date", campaign[1])
    if twoddoc is not None and twoddoc.issue_date is not None:
        c.at("2ddoc", None, f"date d'émission du 2D-Doc : {twoddoc.issue_date.isoformat()}")
        signed = twoddoc.issue_date
        labelled = printed is not None and printed.source.startswith("label:")
        # no allowance for a digit OCR may have misread: forgers change one digit too ('05' → '08'), and a
        # scan misread only costs a human look
        if printed is None or printed.date == signed:
            out.update(issue_date=signed, issue_date_source="2ddoc")
        elif not labelled:
            # a date taken by position only (no issue label before it) says too little to contradict the code
            out.update(issue_date=signed, issue_date_source="2ddoc")
        else:
            # the print says another date than the signed code: the document shows the printed one, and the
            # disagreement itself is what the reviewer must see
            c.notes.append(MISMATCH_NOTE.format(what="date"))
    out["holder"] = _signed_holder(twoddoc_holder, printed_holder) if twoddoc_holder else printed_holder
    if twoddoc_holder is not None:
        c.at("2ddoc", None, f"titulaire du 2D-Doc : {twoddoc_holder.raw}")
        printed_all = [p for p in people if isinstance(p, PersonName)]
        if printed_all and not printed_name_agrees(twoddoc_holder, printed_all, texts):
            c.notes.append(MISMATCH_NOTE.format(what="titulaire"))
    issuer = find_issuer(texts, tuple(labels.issuers))
    if issuer:
        out["issuer"] = issuer
        c.at("issuer", c.find_line(issuer), issuer)
    return out


def extract_fields(
    pages: Sequence[Page],
    classification: Classification,
    labels: DateLabels,
    *,
    reference_date: date,
    mrz: MrzResult | None = None,
    twoddoc: TwoDDoc | None = None,
    twoddoc_holder: PersonName | None = None,
) -> Fields:
    """Holder, dates, issuer, codes… of one document, each with the text that decided; never raises."""
    try:
        lines = _page_lines(pages)
        texts = [x.text for x in lines]
        c = _Collector(lines, pages)
        values: dict[str, object] = {"twoddoc": twoddoc}
        kind = classification.type
        if kind == "identity":
            values.update(_identity(c, texts, mrz, reference_date))
            if values.get("nationality") is None and classification.subtype == "passport":
                values["nationality"] = find_passport_nationality(texts)
        elif kind == "proof_of_address":
            values.update(
                _proof(c, texts, labels, reference_date, twoddoc, twoddoc_holder, classification.subtype)
            )
        elif kind == "host_attestation":
            host, hosted = find_attestation_people(texts)
            if host is not None:
                values.update(host=host, holder=host)
                c.at("host", c.find_line(host.surname or host.raw), host.raw)
            if hosted is not None:
                values["hosted"] = hosted
                c.at("hosted", c.find_line(hosted.surname or hosted.raw), hosted.raw)
            finding = _issue(c, texts, labels, reference_date, ATTESTATION_DATE_LABELS)
            if finding is not None:
                values.update(issue_date=finding.date, issue_date_source=finding.source)
        elif kind in {"jdc", "assr"}:
            person = find_named_person(texts)
            if person is not None and person.given_names:
                # a photographed certificate's thin letters slip ('Svetiana'): a known given name is restored
                given = tuple(correct_given_name(w) for w in person.given_names)
                if given != person.given_names:
                    person = replace(
                        person, given_names=given, raw=f"{person.surname or ''} {' '.join(given)}".strip()
                    )
            if person is not None:
                values["holder"] = person
                c.at("holder", c.find_line(person.surname or person.raw), person.raw)
            finding = _issue(c, texts, labels, reference_date, ATTESTATION_DATE_LABELS)
            if finding is not None:
                values.update(issue_date=finding.date, issue_date_source=finding.source)
            birth = pick_labelled_date(texts, BIRTH_LABELS, today=reference_date)
            if birth is not None:
                values["birth_date"] = birth.date
                c.at("birth_date", birth.line)
        elif kind == "photo":
            reading = read_ephoto_code(pages, texts)
            if reading is not None:
                values["ephoto_code"] = reading.code
                values["ephoto_code_doubtful"] = reading.ambiguous
                c.at("ephoto_code", c.find_line(reading.code[:4]), reading.code)
            shot = pick_labelled_date(texts, PHOTO_DATE_LABELS, today=reference_date)
            if shot is None:
                shot = _issue(c, texts, labels, reference_date, PHOTO_DATE_LABELS)
            else:
                c.at("date", shot.line)
            if shot is not None:
                values.update(issue_date=shot.date, issue_date_source=shot.source)
        if kind in {"jdc", "assr", "host_attestation", "unknown"} and labels.issuers:
            issuer = find_issuer(texts, tuple(labels.issuers))
            if issuer:
                values["issuer"] = issuer
                c.at("issuer", c.find_line(issuer), issuer)
        holder = _person(values.get("holder"))
        confidence = None
        if kind in {"proof_of_address", "host_attestation"} and twoddoc_holder is None and holder is not None:
            confidence = surname_confidence(pages, holder)
        return Fields(
            holder_confidence=confidence,
            holder=tidy_person_name(holder),
            joint_holders=tuple(p for p in map(tidy_person_name, _people(values.get("joint_holders"))) if p),
            issue_date=_date(values.get("issue_date")),
            issue_date_source=_str(values.get("issue_date_source")),
            issue_year=_year(values.get("issue_year")),
            period_end=_date(values.get("period_end")),
            expiry_date=_date(values.get("expiry_date")),
            birth_date=_date(values.get("birth_date")),
            issuer=_str(values.get("issuer")),
            document_number=_str(values.get("document_number")),
            nationality=_str(values.get("nationality")),
            address=_str(values.get("address")),
            mrz=mrz,
            twoddoc=twoddoc,
            ephoto_code=_str(values.get("ephoto_code")),
            ephoto_code_doubtful=_positions(values.get("ephoto_code_doubtful")),
            host=tidy_person_name(_person(values.get("host"))),
            hosted=tidy_person_name(_person(values.get("hosted"))),
            evidence=tuple(c.evidence),
            notes=tuple(dict.fromkeys(c.notes)),
        )
    except ODD_INPUT_ERRORS:
        return Fields(mrz=mrz, twoddoc=twoddoc, notes=("lecture des champs impossible sur ce document",))


def _word_key(text: str) -> str:
    return "".join(ch for ch in fold(text) if ch.isalnum())


def surname_confidence(pages: Sequence[Page], holder: PersonName) -> float | None:
    """OCR's confidence in the holder's surname: for each of its words the best-read copy on the pages, then
    the least of those. A name Tesseract was unsure of ('Bist', 23, for DIALLO on a fax) proves nothing
    either way; None when no word of the surname is found as read."""
    keys = [_word_key(w) for w in re.split(r"[\s-]+", holder.surname or "")]
    keys = [k for k in keys if len(k) >= 2]
    if not keys:
        return None
    best: dict[str, float] = {}
    for page in pages:
        for word in page.text.words:
            key = _word_key(word.text)
            if key in keys:
                best[key] = max(best.get(key, 0.0), float(word.confidence))
    found = [best[k] for k in keys if k in best]
    return min(found) if found else None


def _person(value: object) -> PersonName | None:
    return value if isinstance(value, PersonName) else None


def _date(value: object) -> date | None:
    return value if isinstance(value, date) else None


def _year(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _positions(value: object) -> tuple[int, ...]:
    if not isinstance(value, tuple):
        return ()
    return tuple(v for v in value if isinstance(v, int))


def _people(value: object) -> tuple[PersonName, ...]:
    if not isinstance(value, tuple):
        return ()
    return tuple(p for p in value if isinstance(p, PersonName))


__all__ = ["DateLabels", "extract_fields", "find_mrz_dates", "find_mrz_name"]
