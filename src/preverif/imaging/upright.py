"""Confirm a page's orientation by what OCR reads, and turn it when the other way up reads better.

Tesseract's OSD and the cheap votes of orient.py guess before the page is read; on ID cards, photos of
cards on a table and sparse forms they are wrong often enough (an upright card taken for upside-down) to
ruin everything downstream. The full OCR is made anyway, so its own result is the best witness: real French
words with high confidence mean upright. Only when that reading is poor is the page read again the other
way up (and, when the text lines' direction is unclear, sideways), and the best reading wins.

Only words lying flat count as evidence: Tesseract's layout analysis also finds text lines standing on end
and reads them turned, so a page a quarter turn off reads (almost) as well as the upright one; its words'
boxes are then taller than wide, which is what tells the two apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from preverif.imaging.orient import rotate_clockwise
from preverif.records import Image, PageText, Word

_REAL_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][a-zà-öø-ÿA-ZÀ-ÖØ-Þ'’-]{2,}")
_MRZ_LINE = re.compile(r"^[A-Z0-9<]{25,}$")

# A reading with at least this many confident real words, and this mean confidence, is taken as upright.
GOOD_WORDS = 12
GOOD_MEAN = 70.0
# Another orientation must read this much better to replace the first one.
SWITCH_RATIO = 1.4
MIN_WORDS_TO_TRY = 2  # fewer words than this in the first reading: no text to orient by (a photo)
# A turn must read confident real words worth this much (reading_score: about two words of five letters
# or more) to replace the first reading. Handwriting read upside down yields two or three short 'words'
# ('mes', 'Sep': 3.6) where the upright reading found none; a 150-dpi card turned upright reads
# 'DASILVA', 'Hélène' (11.2). On seeds 19000-21000 every other right turn scored 29 or more.
MIN_SWITCH_SCORE = 8.0


def reading_score(text: PageText) -> tuple[float, int]:
    """(score, confident real words): confidence-weighted length of word-like tokens lying flat (a line
    read standing on end is evidence of a quarter turn, not of this orientation), MRZ lines count."""
    score = 0.0
    good = 0
    for word in text.words:
        if not _lies_flat(word):
            continue
        token = word.text.strip(".,:;()«»\"'")
        if _MRZ_LINE.match(token) and token.count("<") >= 3:
            score += 30.0 * word.confidence / 100.0
            good += 1
        elif _REAL_WORD.fullmatch(token) and word.confidence >= 50:
            score += word.confidence / 100.0 * min(len(token), 10)
            good += 1
    return score, good


def is_confident(text: PageText) -> bool:
    """Enough confident real words, lying flat, to trust the orientation this text was read in."""
    _, good = reading_score(text)
    return good >= GOOD_WORDS and text.mean_confidence >= GOOD_MEAN


def _lies_flat(word: Word) -> bool:
    """A word of three characters or more whose box is at least as wide as tall: read along a line lying
    flat. Short tokens (digits, initials) are square either way and say nothing."""
    return word.box.width >= word.box.height or len(word.text) < 3


def _mostly_standing(text: PageText) -> bool:
    """Most of the long words are taller than wide: the reading ran along lines standing on end."""
    long_words = [w for w in text.words if len(w.text) >= 3]
    return len(long_words) >= 3 and sum(not _lies_flat(w) for w in long_words) > len(long_words) / 2


@dataclass(frozen=True)
class UprightReading:
    """The orientation kept, the image in it, its text, and how many readings it took."""

    extra_rotation: int  # degrees clockwise applied on top of the page's first orientation
    image: Image
    text: PageText
    readings: int


def confirm_upright(
    image: Image,
    first: PageText,
    read: Callable[[Image], PageText],
    *,
    sideways_too: bool = False,
) -> UprightReading:
    """Keep ``first`` when it reads well; else read the page turned 180° (and 90°/270° if asked), keep the best."""
    if is_confident(first):
        return UprightReading(0, image, first, 1)
    best_score, _ = reading_score(first)
    if len(first.words) < MIN_WORDS_TO_TRY:
        return UprightReading(0, image, first, 1)  # nothing to read in any direction (a photo)
    best = UprightReading(0, image, first, 1)
    readings = 1
    # words read standing up are lines Tesseract found on end: the page is a quarter turn off, not a half
    sideways_too = sideways_too or _mostly_standing(first)
    for extra in (180, 90, 270) if sideways_too else (180,):
        turned = rotate_clockwise(image, extra)
        text = read(turned)
        readings += 1
        score, good = reading_score(text)
        if score > best_score * SWITCH_RATIO and good >= 2 and score >= MIN_SWITCH_SCORE:
            best, best_score = UprightReading(extra, turned, text, readings), score
        if is_confident(text):
            break
    return UprightReading(best.extra_rotation, best.image, best.text, readings)


ENOUGH_WORDS = (
    6  # a turn that reads this many confident real words (with a confident reading) ends the search
)


def find_turn_by_reading(
    region: Image, read: Callable[[Image], PageText], *, skip: int | None = None
) -> tuple[int | None, int]:
    """(turn, readings): the quarter turn of ``region`` that reads real words best, None when none reads two.

    For pages whose first reading was empty after an unsure orientation guess: the guess cannot be confirmed
    by its own reading, so every other turn gets a chance (upright first: most pages are).
    """
    best: int | None = None
    best_score = 0.0
    readings = 0
    for extra in (0, 180, 90, 270):
        if extra == skip:
            continue
        text = read(rotate_clockwise(region, extra))
        score, good = reading_score(text)
        readings += 1
        if good >= 2 and score > best_score:
            best, best_score = extra, score
        # text read upside down still yields a few confident 'words' (WON, 3X3S, asino7); only a reading
        # confident as a whole ends the search early, else every turn is read and the best one wins
        if good >= ENOUGH_WORDS and text.mean_confidence >= GOOD_MEAN:
            break
    return best, readings
