"""Grouping the pages of one file into documents (one scanned PDF may hold an ID, a bill and a JDC).

Each page is classified on its own; a page joins the document before it when it continues it (same type,
'page 2/3', 'suite', nothing recognisable on it, an ID's back after its front) and starts a new one when it
classifies clearly as something else. Pages of different files never share a document and no page is split.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from preverif.classify.doctypes import DocTypes, normalise_text
from preverif.classify.scorer import classify_document, count_mrz_text_lines
from preverif.classify.visual import page_cue
from preverif.records import Classification, Page

STRONG = 0.5  # a page classified at least this confidently stands on its own
COVER_WORDS = 25  # an unrecognised page with fewer words may be a cover/blank page of what follows
CARD_SIDE_WORDS = 60  # the back of an ID card reads a few dozen words at most (address, height, MRZ)
CARD_BACK_MAX_WORDS = 150  # ... a fax or a dark scan adds specks read as words, but never a page of text
_CONTINUATION = re.compile(
    r"\bpage ?(?:[2-9]|\d{2,}) ?(?:/|sur|of) ?\d{1,3}\b|\bsuite\b|\(suite\)|\bverso\b"
    r"|detail de (?:votre|la) (?:facture|consommation)|votre facture en detail"
)
_FIRST_PAGE = re.compile(r"\bpage ?1 ?(?:/|sur|of) ?\d{1,3}\b")
_MRZ_LINE = re.compile(r"^[A-Z0-9<]{28,46}$")
# what the back of an identity card prints (French CNI 2021 and old CNI, most European cards)
_CARD_BACK = re.compile(
    r"\badresse\b|\baddress\b|\btaille\b|\bheight\b|delivree? le|date de delivrance|date of issue"
    r"|autorite|authority|\bprefecture\b|valable jusqu|signature du titulaire"
)
# the wording of a statement written by hand (an attestation, a letter), never printed on a card
_STATEMENT = re.compile(r"atte?ste|heberg|honn?eur|soussign|je [a-z]+ que|fait a [a-z]")


def count_mrz_lines(page: Page) -> int:
    """How many lines of the page look like MRZ lines (OCR spaces removed, at least two fillers)."""
    count = 0
    for line in page.text.lines[:400]:
        compact = line.replace(" ", "").upper()
        if compact.count("<") >= 2 and _MRZ_LINE.match(compact):
            count += 1
    return count


@dataclass
class _Doc:
    pages: list[Page]
    kind: str
    confidence: float
    mrz_lines: int
    words: int = 0

    def has_mrz(self) -> bool:
        return self.mrz_lines >= 2


def _recognised(result: Classification) -> bool:
    """True when the page says what it is (an unknown page counts only when a distractor is clear)."""
    return result.type != "unknown" or result.confidence >= STRONG


def _joins(doc: _Doc, page: Page, result: Classification, text: str) -> bool:
    mrz = count_mrz_lines(page)
    if (
        doc.kind == "unknown"
        and doc.confidence < STRONG
        and len(doc.pages) == 1
        and result.type == "identity"
        and _names_same_card(doc.pages[0], page)
    ):
        return True  # a side OCR could not type, naming the holder the readable side names: one card
    if result.type not in ("unknown", doc.kind) and result.confidence >= STRONG:
        return False  # a page that says clearly what else it is starts that document, whatever words it has
    if _FIRST_PAGE.search(text):
        return False
    if doc.kind == "identity":
        side = _may_be_card_side(page) or _looks_like_card_back(page, text)
        if result.type == "identity" or mrz >= 2 or (not _recognised(result) and side):
            # front and back of one card: at most two sides, and only one of them carries the MRZ
            return len(doc.pages) < 2 and not (doc.has_mrz() and mrz >= 2)
        return False  # an identity document never continues into a page of text it cannot explain
    if _CONTINUATION.search(text):
        return True
    if not _recognised(result):
        return True
    if doc.kind == "unknown" and doc.confidence < STRONG:
        if doc.words < COVER_WORDS:
            return True  # what came before said nothing: it was a cover or a blank page of this document
        if result.type == "identity" and len(doc.pages) == 1 and _shows_card(doc.pages[0]):
            return True  # an unreadable card side followed by a readable one: the two sides of one card
    return result.type == doc.kind


def _may_be_card_side(page: Page) -> bool:
    """An unrecognised page can be the other side of a card when it holds little text or shows a card; a
    full page of unread text (a handwritten attestation, a letter) is not an ID's back."""
    return len(page.text.words) < CARD_SIDE_WORDS or _shows_card(page)


def _looks_like_card_back(page: Page, text: str) -> bool:
    """A card's back read badly (a fax, a dark scan): an MRZ-like line, even blurred, or the back's labels
    (address, height, issue date, authority), and none of the wording of a written statement."""
    if len(page.text.words) >= CARD_BACK_MAX_WORDS or _STATEMENT.search(text):
        return False
    upright, upside_down = count_mrz_text_lines(page.text.text[:20_000])
    return upright + upside_down >= 1 or _CARD_BACK.search(text) is not None


# words every side of an identity card prints: they say nothing about whose card it is
_CARD_WORDS = frozenset(
    {
        "REPUBLIQUE",
        "FRANCAISE",
        "FRANCE",
        "CARTE",
        "NATIONALE",
        "IDENTITE",
        "IDENTITY",
        "CARD",
        "PREFECTURE",
        "NATIONALITE",
        "NATIONALITY",
        "SEXE",
        "SURNAME",
        "NAME",
        "NAMES",
        "GIVEN",
        "BIRTH",
        "DATE",
        "LIEU",
        "NAISSANCE",
        "DOCUMENT",
        "EXPIRY",
        "ADRESSE",
        "ADDRESS",
        "TAILLE",
        "HEIGHT",
        "AUTORITE",
        "AUTHORITY",
        "SIGNATURE",
        "TITULAIRE",
        "PERMIS",
        "CONDUIRE",
        "PASSEPORT",
        "PASSPORT",
        "TITRE",
        "SEJOUR",
        "RESIDENCE",
        "PERMIT",
        "PRENOMS",
        "PRENOM",
        "LIBERTE",
        "EGALITE",
        "FRATERNITE",
        "UNION",
        "EUROPEENNE",
    }
)


def _names_same_card(front: Page, back: Page) -> bool:
    """An unreadable side names the holder (or prints the document number) that the other side's text
    holds too, e.g. in its MRZ ('GIRARD' above 'GIRARD<<LEA<CLAIRE'): the two sides of one card."""
    words = {w for w in re.findall(r"[A-Z]{4,}", normalise_text(front.text.text[:5000]).upper())}
    words -= _CARD_WORDS
    if not words:
        return False
    other = re.sub(r"[^A-Z]", "", normalise_text(back.text.text[:5000]).upper())
    return any(w in other for w in words)


def _shows_card(page: Page) -> bool:
    return page_cue(page, "id_card") >= 0.5


def segment_documents(pages: Sequence[Page], doctypes: DocTypes) -> list[tuple[Page, ...]]:
    """The pages grouped into documents, in input order; each group holds pages of a single file."""
    docs: list[_Doc] = []
    for page in pages:
        result = classify_document([page], doctypes)
        text = normalise_text(page.text.text[:20_000])
        current = docs[-1] if docs and docs[-1].pages[-1].file == page.file else None
        if current is not None and _joins(current, page, result, text):
            current.pages.append(page)
            current.mrz_lines += count_mrz_lines(page)
            current.words += len(page.text.words)
            better = current.kind == "unknown" or result.confidence > current.confidence
            if _recognised(result) and better and current.kind in ("unknown", result.type):
                current.kind, current.confidence = result.type, max(current.confidence, result.confidence)
            continue
        docs.append(_Doc([page], result.type, result.confidence, count_mrz_lines(page), len(page.text.words)))
    return [tuple(doc.pages) for doc in docs]
