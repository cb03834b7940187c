"""Keyword scoring of a document's pages into a type and subtype with a calibrated confidence.

Score of one definition (entry) e over the document's normalised text:

    s(e) = Σ weight(keyword matched) + issuer_weight·[an issuer of e is named] − Σ weight(negative matched)
           + boosts (MRZ, 2D-Doc, image cues)

Each pattern counts once, however often it appears, so a long document cannot win by repetition.
A type scores S(t) = max(0, max s(e) over its entries) (+ type-wide boosts); ``unknown`` scores
``unknown_baseline`` plus its best distractor, so a type must beat the baseline to be believed.

Confidence = softmax(S/τ)[best] × (1 − exp(−S_best/κ)) × (0.6 + 0.4·p_subtype): the first factor is the
margin over the runner-up, the second caps thin evidence (a lone keyword never reaches 0.9), the third
admits doubt between subtypes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from preverif.classify.doctypes import DocTypeEntry, DocTypes, mrz_subtype, normalise_with_offsets
from preverif.classify.visual import page_cue
from preverif.extract.mrz import describe_mrz_state
from preverif.imaging.upright import reading_score
from preverif.records import DOCUMENT_TYPES, Classification, MrzResult, Page, TwoDDoc

TEMPERATURE = 2.0  # τ: a margin of 2·τ ≈ 4 points gives the leader ~88 % of the softmax mass
EVIDENCE_SCALE = 6.0  # κ: S_best = 14 → factor 0.90; S_best = 6 → 0.63
MAX_CHARS_PER_PAGE = 60_000  # a real page holds < 10 000 characters; beyond is junk and only costs time
MAX_CHARS_TOTAL = 240_000
SCARCE_WORDS = 25  # below this many words on a page, image cues are consulted
MRZ_VALID_BOOST = 25.0
MRZ_INVALID_BOOST = 8.0
TWODDOC_TYPE_BOOST = 16.0
TWODDOC_ENTRY_BOOST = 3.0
SNIPPET_MAX = 60

_HONOUR_FRAGMENT = re.compile(r"atte?st|heberg|honn?eur|soussign")
MRZ_TEXT_BOOST = 6.0  # MRZ-shaped lines in the text although the MRZ reader validated none
MRZ_UPSIDE_DOWN_BOOST = 5.0
CARD_BOOST = 4.5
PORTRAIT_BOOST = 12.0  # a clear head-and-shoulders layout (1.0) alone gives ~0.85 confidence
WORDLESS_PORTRAIT = 2.0  # a portrait layout (>= 0.5) on pages without a single word: ~0.6 confidence at 0.5
FAINT_PORTRAIT = 0.2  # on a page with no word at all, a weaker layout still says "photo", asking for review
HANDWRITTEN_GUESS_MARGIN = 0.5  # a guessed handwritten attestation just beats 'unknown' (confidence ~0.25)
HANDWRITTEN_GUESS_MIN = 1.5  # ... when at least one attestation phrase was read, not a lone 'depuis le'
DISTRACTOR_HINT = 2.0  # a distractor scoring this much names the unknown document's kind (subtype hint)
_MRZ_TEXT_LINE = re.compile(r"^[A-Z0-9<]{25,46}$")
_MRZ_FILLERS = re.compile(r"<{2,}|[<cek«(]{6,}")
_MRZ_REVERSED = re.compile(r">{5,}")  # '<' fillers read upside down: the page was not turned upright
# a run of filler look-alikes ('<' read as c, e, K, «, (, é…) holding a real '<' or long enough to be no word
_MRZ_FILLER_RUN = re.compile(r"[<CEKÉÈ«(]{4,}")
_MRZ_RUN = re.compile(r"[A-Z0-9<]{25,}")


@dataclass
class _EntryScore:
    entry: DocTypeEntry
    score: float = 0.0
    evidence: list[tuple[float, str]] = field(default_factory=list)


def _snippet(original: str, offsets: list[int], start: int, end: int) -> str:
    """The matched span as it was read (accents and case kept), shortened to a readable length."""
    if start >= end or not offsets:
        return ""
    first = offsets[min(start, len(offsets) - 1)]
    last = offsets[min(end, len(offsets)) - 1]
    text = " ".join(original[first : last + 1].split())
    return text if len(text) <= SNIPPET_MAX else text[: SNIPPET_MAX - 1] + "…"


def document_text(pages: Sequence[Page]) -> str:
    """The pages' text joined, each page capped so that junk input cannot make matching slow."""
    parts: list[str] = []
    total = 0
    for page in pages:
        text = page.text.text[:MAX_CHARS_PER_PAGE]
        parts.append(text[: max(0, MAX_CHARS_TOTAL - total)])
        total += len(parts[-1])
    return "\n".join(parts)


SLIPPED_PHRASE_WEIGHT = 0.6
_MAX_SLIP_RATE = 0.15  # edits per character of the phrase: 2 in 'securite routiere', 4 in 'attestation de…'


def find_phrase_with_slips(phrase: str, text: str) -> tuple[int, int] | None:
    """Where ``phrase`` is printed in ``text`` with at most a few OCR slips (letters changed, lost or added),
    or None. The best-aligned window must be nearly the phrase's length: a shorter text that only holds
    part of the phrase ('responsabilite' for 'responsabilite civile') is no match."""
    if len(phrase) < 8 or len(text) < len(phrase) * (1 - _MAX_SLIP_RATE):
        return None
    found = fuzz.partial_ratio_alignment(phrase, text, score_cutoff=80.0)
    if found is None:
        return None
    start, end = found.dest_start, found.dest_end
    # the alignment may cut a slipped letter at either end: let the window breathe by two characters
    best: tuple[int, int, int] | None = None
    for a in range(max(0, start - 2), start + 3):
        for b in range(max(a + 1, end - 2), min(len(text), end + 2) + 1):
            edits = Levenshtein.distance(phrase, text[a:b])
            if best is None or edits < best[0]:
                best = (edits, a, b)
    if best is None or best[0] > _MAX_SLIP_RATE * len(phrase):
        return None
    return best[1], best[2]


def score_entries(original: str, doctypes: DocTypes) -> list[_EntryScore]:
    """Every entry's keyword/issuer/negative score over the text, with the snippets that counted."""
    norm, offsets = normalise_with_offsets(original)
    results: list[_EntryScore] = []
    cache: dict[str, tuple[int, int] | None] = {}

    def find(regex: re.Pattern[str]) -> tuple[int, int] | None:
        key = regex.pattern
        if key not in cache:
            match = regex.search(norm)
            cache[key] = (match.start(), match.end()) if match else None
        return cache[key]

    fuzzy_cache: dict[str, tuple[int, int] | None] = {}

    def find_near(phrases: tuple[str, ...]) -> tuple[int, int] | None:
        for phrase in phrases:
            if phrase not in fuzzy_cache:
                fuzzy_cache[phrase] = find_phrase_with_slips(phrase, norm)
            if fuzzy_cache[phrase] is not None:
                return fuzzy_cache[phrase]
        return None

    for entry in doctypes.entries:
        result = _EntryScore(entry)
        for pattern in entry.keywords:
            span = find(pattern.regex)
            weight = pattern.weight
            if span is None and pattern.phrases:
                # 'securite roubere' on a blurred phone photo: a phrase read with a few slips still counts,
                # for less than one read exactly
                span = find_near(pattern.phrases)
                weight = pattern.weight * SLIPPED_PHRASE_WEIGHT
            if span is not None:
                result.score += weight
                result.evidence.append((weight, _snippet(original, offsets, *span)))
        for regex in entry.issuer_patterns:
            span = find(regex)
            if span is not None:
                result.score += doctypes.issuer_weight
                result.evidence.append((doctypes.issuer_weight, _snippet(original, offsets, *span)))
                break
        for pattern in entry.negative:
            if find(pattern.regex) is not None:
                result.score -= pattern.weight
        results.append(result)
    return results


def _image_cues(pages: Sequence[Page]) -> tuple[float, float, float, float]:
    """Max handwriting, portrait, photo-grid and ID-card scores over the pages where little text was read."""
    hand = portrait = grid = card = 0.0
    for page in pages:
        if len(page.text.words) >= SCARCE_WORDS:
            continue
        hand = max(hand, page_cue(page, "handwriting"))
        grid = max(grid, page_cue(page, "photo_grid"))
        portrait = max(portrait, page_cue(page, "portrait"))
        card = max(card, page_cue(page, "id_card"))
    return hand, portrait, grid, card


_MRZ_LENGTH_SUBTYPE = ((30, "identity/cni_2021"), (36, "identity/cni"), (44, "identity/passport"))
MRZ_LENGTH_BONUS = 1.0


def mrz_length_subtype(text: str) -> str | None:
    """The identity entry an MRZ's line length points to (TD1 30, old CNI 36, TD3 44), ±2 for OCR noise."""
    lengths = sorted(
        len(compact)
        for line in text.splitlines()[:600]
        if 20 <= len(compact := line.replace(" ", "")) <= 60
        and (_MRZ_REVERSED.search(compact) or _MRZ_FILLERS.search(compact))
    )
    if not lengths:
        return None
    longest = lengths[-1]
    for length, key in _MRZ_LENGTH_SUBTYPE:
        if abs(longest - length) <= 2:
            return key
    return None


def count_mrz_text_lines(text: str) -> tuple[int, int]:
    """Lines shaped like an MRZ (upright, and upside down: '>' runs) in OCR text, spaces ignored.

    Fillers are often read 'c', 'e', 'K' or '«'; a run of them counts as long as the line keeps the MRZ
    alphabet and length. An upside-down band still says 'identity document' although nothing else reads.
    """
    upright = reversed_ = 0
    for line in text.splitlines()[:600]:
        compact = line.replace(" ", "")
        if len(compact) < 20 or len(compact) > 60:
            continue
        if _MRZ_REVERSED.search(compact) and sum(c.isalnum() or c == ">" for c in compact) >= 0.8 * len(
            compact
        ):
            reversed_ += 1
            continue
        upper = compact.upper()
        clean = bool(_MRZ_FILLERS.search(compact) and _MRZ_TEXT_LINE.match(re.sub(r"[«(]", "<", upper)))
        if clean or _noisy_mrz_line(upper):
            upright += 1
    return upright, reversed_


def _noisy_mrz_line(upper: str) -> bool:
    """A band line that a fax or a poor scan blurred: fillers read as letters, junk glued at either end.

    The filler look-alikes are turned back into '<' only inside runs that hold a '<' or are too long for a
    word, then the line must keep a 25-character stretch of the MRZ alphabet with a '<<' in it.
    """

    def restore(match: re.Match[str]) -> str:
        run = match.group(0)
        return "<" * len(run) if "<" in run or len(run) >= 6 else run

    restored = _MRZ_FILLER_RUN.sub(restore, upper)
    return any("<<" in run.group(0) for run in _MRZ_RUN.finditer(restored))


def _guess_handwritten_attestation(
    pages: Sequence[Page], type_scores: dict[str, float], baseline: float, *, pictured: bool
) -> bool:
    """True for handwriting that Tesseract read too poorly for any type to beat 'unknown', yet where some
    words of an attestation were read (whatever the word count: specks and scribbles read as words), and
    that names no other kind of unasked-for paper (a distractor keeps its 'unknown')."""
    unknown = type_scores.get("unknown", 0.0)
    if pictured or type_scores.get("host_attestation", 0.0) < HANDWRITTEN_GUESS_MIN:
        return False
    if unknown >= baseline + DISTRACTOR_HINT:
        return False
    if any(v >= unknown for k, v in type_scores.items() if k != "unknown"):
        return False
    return max((page_cue(page, "handwriting") for page in pages), default=0.0) >= 0.5


def _softmax(values: Sequence[float], temperature: float) -> list[float]:
    top = max(values)
    weights = [math.exp((v - top) / temperature) for v in values]
    total = sum(weights)
    return [w / total for w in weights]


def classify_document(
    pages: Sequence[Page],
    doctypes: DocTypes,
    *,
    mrz: MrzResult | None = None,
    barcodes: Sequence[TwoDDoc] = (),
) -> Classification:
    """Type, subtype, confidence, every candidate's score and the evidence of one document (its pages)."""
    original = document_text(pages)
    entries = score_entries(original, doctypes)
    by_key = {e.entry.key: e for e in entries}
    type_boost: dict[str, float] = dict.fromkeys(DOCUMENT_TYPES, 0.0)
    notes: list[str] = []

    if mrz is not None:
        chosen = mrz_subtype(doctypes, mrz.format, mrz.document_code, mrz.issuing_state)
        boost = MRZ_VALID_BOOST if mrz.valid else MRZ_INVALID_BOOST
        if chosen is not None:
            by_key[chosen.key].score += boost
        else:
            type_boost["identity"] += boost
        state = "valide" if mrz.valid else describe_mrz_state(mrz)
        notes.append(f"MRZ {mrz.format} {mrz.document_code.replace('<', '')}{mrz.issuing_state} ({state})")

    for code in barcodes:
        doc_type = (code.document_type or "").upper()
        hits = [e for e in entries if doc_type in e.entry.twoddoc_types]
        for hit in hits:
            hit.score += TWODDOC_ENTRY_BOOST
        for kind in {h.entry.type for h in hits}:
            type_boost[kind] += TWODDOC_TYPE_BOOST
        if hits:
            notes.append(f"2D-Doc type {doc_type}")

    upright, upside_down = count_mrz_text_lines(original)
    if mrz is None and upright >= 2:
        type_boost["identity"] += MRZ_TEXT_BOOST
        notes.append(f"{upright} lignes au format MRZ (clés non vérifiées)")
    elif mrz is None and upside_down >= 2:
        type_boost["identity"] += MRZ_UPSIDE_DOWN_BOOST
        notes.append("bande MRZ lue à l'envers (page mal orientée)")
    if mrz is None and upright + upside_down >= 2:
        by_length = mrz_length_subtype(original)
        if by_length in by_key:
            by_key[by_length].score += MRZ_LENGTH_BONUS  # only breaks ties: a keyword outweighs it

    hand, portrait, grid, card = _image_cues(pages)
    if grid >= 0.5 and "photo/ephoto" in by_key:
        by_key["photo/ephoto"].score += 8.0 * grid
        notes.append(f"planche de photos identiques ({grid:.2f})")
    elif portrait >= 0.5 and card < 0.5 and "photo/portrait" in by_key:
        # an ID photo alone is never ID-1-shaped (35×45 mm against 85.6×54): with a card in view, the face
        # is the one printed on the card, and the card cue below speaks for the page
        by_key["photo/portrait"].score += PORTRAIT_BOOST * portrait
        if all(not page.text.words for page in pages):  # nothing printed at all: no document around it
            by_key["photo/portrait"].score += WORDLESS_PORTRAIT
        notes.append(f"photo d'un visage ({portrait:.2f})")
    if card >= 0.5 and mrz is None:
        type_boost["identity"] += CARD_BOOST * card
        notes.append(f"carte au format ID-1 ({card:.2f})")
    pictured = max(grid, portrait, card) >= 0.5 or mrz is not None or upright + upside_down >= 2
    # junk read off a photo's texture (a hood's edge, a phone photo's shadows: « ROME ACCES oe ») is no word
    wordless = all(reading_score(page.text)[1] == 0 for page in pages)
    if (
        wordless
        and FAINT_PORTRAIT <= portrait < 0.5
        and max(grid, card, hand) < 0.5
        and not pictured
        and "photo/portrait" in by_key
    ):
        # nothing printed and something like a head on a plain background: a photo more likely than not,
        # scored just past 'unknown' so that its confidence stays low and the reader checks it
        by_key["photo/portrait"].score += doctypes.unknown_baseline + 0.5 * PORTRAIT_BOOST * portrait
        notes.append(f"page sans texte, peut-être la photo d'un visage ({portrait:.2f})")
    if hand >= 0.5 and not pictured:
        notes.append(f"écriture manuscrite ({hand:.2f})")
        if not _HONOUR_FRAGMENT.search(normalise_with_offsets(original)[0]) and "host_attestation" in by_key:
            by_key["host_attestation"].score += 4.5 * hand  # a handwritten page with nothing readable

    # Type scores.
    type_scores: dict[str, float] = {}
    best_entry: dict[str, _EntryScore] = {}
    for result in entries:
        kind = result.entry.type
        if kind not in best_entry or result.score > best_entry[kind].score:
            best_entry[kind] = result
    for kind in DOCUMENT_TYPES:
        top = best_entry[kind].score if kind in best_entry else 0.0
        if kind == "unknown":
            type_scores[kind] = doctypes.unknown_baseline + max(0.0, top) + type_boost[kind]
        else:
            type_scores[kind] = max(0.0, top) + type_boost[kind]

    if _guess_handwritten_attestation(pages, type_scores, doctypes.unknown_baseline, pictured=pictured):
        # a handwritten page whose few words read are an attestation's: named, but just past 'unknown' so
        # that its confidence stays low and the reader checks it
        type_scores["host_attestation"] = type_scores["unknown"] + HANDWRITTEN_GUESS_MARGIN
        notes.append("texte manuscrit peu lisible, formule d'attestation reconnue")

    kinds = list(type_scores)
    probs = _softmax([type_scores[k] for k in kinds], TEMPERATURE)
    best_index = max(range(len(kinds)), key=lambda i: (type_scores[kinds[i]], -i))
    best_type = kinds[best_index]
    s_best = type_scores[best_type]
    confidence = probs[best_index] * (1.0 - math.exp(-s_best / EVIDENCE_SCALE))

    subtype: str | None = None
    winner = best_entry.get(best_type)
    if best_type != "unknown" and DOCUMENT_TYPES[best_type]:
        candidates = [e for e in entries if e.entry.type == best_type]
        sub_probs = _softmax([e.score for e in candidates], TEMPERATURE)
        top_index = max(range(len(candidates)), key=lambda i: (candidates[i].score, -i))
        winner = candidates[top_index]
        subtype = winner.entry.subtype
        confidence *= 0.6 + 0.4 * sub_probs[top_index]
    elif best_type == "unknown" and winner is not None and winner.score >= DISTRACTOR_HINT:
        subtype = winner.entry.subtype  # what the unasked-for document is (payslip…): a hint for the reader

    evidence: list[str] = list(notes)
    if winner is not None and (best_type != "unknown" or winner.score > 0):
        for _weight, text in sorted(winner.evidence, key=lambda item: -item[0]):
            if text and text not in evidence:
                evidence.append(text)
    scores: dict[str, float] = {k: round(v, 2) for k, v in type_scores.items()}
    for result in entries:
        if result.entry.subtype is not None:
            scores[result.entry.key] = round(result.score, 2)
    return Classification(
        type=best_type,
        subtype=subtype,
        confidence=round(max(0.0, min(1.0, confidence)), 3),
        scores=scores,
        evidence=tuple(evidence[:10]),
    )
