"""The read stage, run per file in a worker process: load → prepare → words (text layer or OCR), barcodes, MRZ.

Its result for a file is cached by the file's content and the settings that change it, so that a re-run on
an unchanged dossier does no OCR (see ocr/cache.py).
"""

from __future__ import annotations

import enum
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import cv2
import numpy as np

from preverif import __version__
from preverif.barcodes.twoddoc import crop_code_regions, decode_barcodes, decode_code_crops
from preverif.classify.visual import detect_portrait, measure_visual_cues
from preverif.extract.dates import fold, laid_out_as_licence, looks_like_licence
from preverif.extract.ephoto import reread_page_codes
from preverif.extract.mrz import MrzReading, check_digits_hold, find_mrz_in_text, read_mrz_with_rotation
from preverif.extract.names import clean_mrz_surname, find_identity_name, find_licence_name
from preverif.imaging.deskew import to_grey
from preverif.imaging.orient import (
    content_box,
    content_region,
    enlarge_small_text,
    photo_rotation,
    resize_for_osd,
    rotate_clockwise,
)
from preverif.imaging.prepare import PreparedPage, prepare_page
from preverif.imaging.upright import MIN_WORDS_TO_TRY, confirm_upright, find_turn_by_reading
from preverif.ingest.load import load_pages
from preverif.ocr import cache as cache_io
from preverif.ocr.merge import merge_readings, place_words, text_lines
from preverif.ocr.tesseract import configure, ocr_image
from preverif.records import (
    EMPTY_TEXT,
    Barcode,
    FileProblem,
    InputFile,
    MrzResult,
    Page,
    PageQuality,
    PageText,
    RawPage,
)
from preverif.settings import Settings

ANALYSIS_VERSION = f"{__version__}-a41"  # part of the cache key: bump when page analysis changes


@dataclass(frozen=True, eq=False)
class FileAnalysis:
    """Everything the worker learnt about one file: its pages (read) or the problem that stopped it."""

    file: InputFile
    pages: tuple[Page, ...]
    mrz: tuple[MrzResult | None, ...]  # one per page
    problem: FileProblem | None
    kind: str
    from_cache: bool
    seconds: float


# ---------------------------------------------------------------- per-page reading (worker side)

_MRZ_HINTS = (
    "<<",
    "idfra",
    "p<fra",
    "irfra",
    "passeport",
    "passport",
    "identit",
    "sejour",
    "séjour",
    "titre de",
)


PHOTO_ONLY = 0.95  # a page whose portrait cue reaches this is one photograph: no MRZ band to look for


class MrzSearch(enum.Enum):
    """How hard the band reader looks at a page (see ``_wants_mrz``)."""

    NONE = "none"  # a dense page without ID wording, or one photograph
    TEMPLATES = "templates"  # a sparse page without ID wording: the glyph templates only
    FULL = "full"  # ID-like wording: the templates, then Tesseract on each candidate band


def _wants_mrz(text: str, word_count: int, portrait: Callable[[], float] = lambda: 0.0) -> MrzSearch:
    """Run the (costly) band reader only where an MRZ is plausible: ID-like wording or a sparse page.

    A sparse page that is one identity photograph (an e-photo sheet, a booth print, a face) cannot hold an
    MRZ: the band reader would try its four orientations for nothing (a quarter of a second a page). The
    portrait cue is asked only for a sparse page without ID-like wording; it is measured on every page
    anyway. A photo of a card or a passport page never reaches it: its print makes the cue fail.

    A sparse page without ID wording (a receipt, a photo sheet, a card's back) gets the glyph templates
    only: an MRZ the page OCR did not even half-read ('<<', 'IDFRA') is one the templates read if anyone
    can, and Tesseract's pass over every candidate band of a photograph costs up to four seconds. On the
    710 scanned pages of seeds 16000–18000, all 187 valid MRZ were on pages with ID wording.
    """
    low = text.lower()
    if any(h in low for h in _MRZ_HINTS):
        return MrzSearch.FULL
    if word_count < 60 and portrait() < PHOTO_ONLY:
        return MrzSearch.TEMPLATES
    return MrzSearch.NONE


def _read_mrz(
    image: np.ndarray, text: PageText, portrait: Callable[[], float] = lambda: 0.0
) -> MrzReading | None:
    """The band reader (grid-aligned, per line) where an MRZ is plausible; the page's OCR text otherwise.

    The band reader is far more exact than the page OCR on filler runs, so it goes first on ID-like pages;
    it also says which way up the band read, the surest orientation cue an ID page has.
    A born-digital page's MRZ, if any, is in its text layer: such pages never run Tesseract.
    """
    if text.source == "text_layer":
        found_in_layer = find_mrz_in_text(text.lines)
        return MrzReading(found_in_layer, 0) if found_in_layer is not None else None
    from_text = find_mrz_in_text(text.lines)
    search = _wants_mrz(text.text, len(text.words), portrait)
    if search is not MrzSearch.NONE:
        found = read_mrz_with_rotation(image, templates_only=search is MrzSearch.TEMPLATES)
        if found is not None and found.result.valid:
            return found
        if from_text is not None and (found is None or _confirms(from_text, found.result)):
            return MrzReading(from_text, 0)
        return found
    return MrzReading(from_text, 0) if from_text is not None else None


def _confirms(from_text: MrzResult, banded: MrzResult) -> bool:
    """A valid MRZ in the page text may stand in for an invalid band reading only where both read the same
    number: a Tesseract-only number that some variant validates is no proof (B/8, S/5, G/6 weigh alike)."""
    return from_text.valid and from_text.document_number == banded.document_number


def _turn_to_mrz(
    prepared: PreparedPage, text: PageText, reading: MrzReading, settings: Settings
) -> tuple[PreparedPage, PageText]:
    """An MRZ whose check digits hold read the page upside down: turn it and read it again.

    Only a half turn is trusted: Tesseract reads a band lying sideways too, so a quarter turn that read is
    no evidence of which way the page stands.
    """
    image = rotate_clockwise(prepared.image, reading.rotation)
    turned = replace(
        prepared,
        image=image,
        rotation=(prepared.rotation + reading.rotation) % 360,
        orientation_method=f"{prepared.orientation_method}+mrz",
        unlit=None if prepared.unlit is None else rotate_clockwise(prepared.unlit, reading.rotation),
    )
    return turned, ocr_image(
        image, lang=settings.languages, psm=3, timeout=settings.ocr_timeout_s, dpi=prepared.dpi
    )


# ---------------------------------------------------------------- a card's holder re-read

# an identity document's own title, printed as a heading (a letter or an ASSR only mentions one in a sentence)
_ID_TITLE_RE = re.compile(
    r"identit|identity|passeport|passport|titre de sejour|residence permit|residence card|permis de sejour"
    r"|permis de conduire|driving licen[cs]e"
)
TITLE_MAX_WORDS = 9  # 'i i TITRE DE SÉJOUR / RESIDENCE PERMIT': a heading, with the card's edge read in
_NAME_LABEL_RE = re.compile(r"(?<![a-z])(?:nom|surname|prenoms?|given\s*names?)(?![a-z])")
CARD_MAX_WORDS = 200  # a card's side (or both) reads well under this
REREAD_DPI = 450  # the card alone is enlarged to about this: small print Tesseract drops at 300 dpi reads
REREAD_MAX_SCALE = 2.0  # more blurs a low-resolution card's letters into its guilloche (3× lost a name)
WHOLE_PAGE_MIN_SCALE = 1.3  # a page that is the card itself (a low-resolution image) is re-read this enlarged


def _titled_as_id(lines: Sequence[str]) -> bool:
    """An ID's title on a short line of its own: how a card or passport prints it, not how a letter cites it."""
    return any(len(line.split()) <= TITLE_MAX_WORDS and _ID_TITLE_RE.search(fold(line)) for line in lines)


def holder_unread(text: PageText, mrz: MrzResult | None) -> bool:
    """An identity document's page whose holder the page reading lost: an ID's title as a heading (or a
    licence's numbered fields) and the labels of its names (or a licence's layout) read, no MRZ naming the
    holder, and neither the labelled names of an ID nor a licence's fields 1. and 2. found in its text (the
    finders the fields stage uses)."""
    if text.source != "ocr" or not text.words or len(text.words) > CARD_MAX_WORDS:
        return False
    if mrz is not None and clean_mrz_surname(mrz.surname):
        return False
    lines = text.lines
    # a licence's title is its smallest, most stylised print: its numbered fields say what it is as well
    if not _titled_as_id(lines) and not laid_out_as_licence(lines):
        return False
    if not looks_like_licence(lines) and not _NAME_LABEL_RE.search(fold(text.text)):
        return False
    return find_identity_name(lines) is None and find_licence_name(lines) is None


def reread_card(image: np.ndarray, text: PageText, dpi: float, settings: Settings) -> PageText | None:
    """The page's text with the lines a closer reading of its content found: the card (or both sides of it)
    cut out of the blank sheet around it and enlarged, so that Tesseract's layout analysis sees the card's
    lines rather than a page of white; a small image that is the card itself, enlarged whole. None when
    that reading does not give the holder either (or there is nothing to enlarge).

    Page OCR of a card scanned small on an A4 drops whole lines (a name under its label); read alone and
    larger, the card keeps them. The page's own lines that the re-read missed stay in place.
    """
    box = content_box(image)
    height, width = image.shape[:2]
    left, top, right, bottom = box if box is not None else (0, 0, width, height)
    scale = min(REREAD_MAX_SCALE, max(1.0, REREAD_DPI / dpi)) if dpi > 0 else 1.5
    scale = min(scale, 4000 / max(1, right - left, bottom - top))
    if box is None and scale < WHOLE_PAGE_MIN_SCALE:
        return None  # no card on a sheet, and the page is no small image either: a re-read would see the same
    crop = image[top:bottom, left:right]
    if scale > 1.05:
        crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    else:
        scale = 1.0
    closer = ocr_image(
        np.ascontiguousarray(crop),
        lang=settings.languages,
        psm=3,
        timeout=settings.ocr_timeout_s,
        dpi=(dpi or 300.0) * scale,
    )
    merged = merge_readings(place_words(closer, left, top, scale), text)
    lines = merged.lines
    if find_identity_name(lines) is None and find_licence_name(lines) is None:
        return None
    return merged


def read_page_text(image: np.ndarray, text_layer: Any, settings: Settings, dpi: float | None = None) -> Any:
    """The page's words: the born-digital text layer when present (never OCR'd), else Tesseract."""
    if text_layer is not None and text_layer.words:
        return text_layer
    return ocr_image(image, lang=settings.languages, psm=3, timeout=settings.ocr_timeout_s, dpi=dpi)


# a bill or notice, by its wording; and the labels that announce its issue date (classify/doctypes.json holds the
# full list: these are the ones a lost heading line carries)
_BILL_WORDING_RE = re.compile(r"factur|quittance|avis d.imp|echeancier|avis d.echeance")
_ISSUE_LABEL_RE = re.compile(
    r"date\s+(?:de\s+(?:la\s+)?)?factur|factur\w*\s+du\s+\d|emise?\s+le|etabli\w*\s+le"
    r"|date\s+d.(?:emission|etablissement|edition)|mise\s+en\s+recouvrement|fait\s+a\s+[^\d]{1,40}?\s+le\b"
)
# Leptonica's adaptive Otsu instead of one global threshold: light grey print beside black text (an issuer's pale
# « Date de facture ») is no longer filed with the paper. A third slower, so only for the re-read below.
LIGHT_PRINT_CONFIG = "-c thresholding_method=1"


def reread_light_print(image: np.ndarray, text: PageText, settings: Settings, dpi: float | None) -> PageText:
    """A bill or notice whose reading shows no issue-date label may have printed it in a pale colour that the
    global threshold lost: the page is read again with the adaptive one, and only the lines of that reading
    which carry an issue label, where the first read nothing, are added. Darkening the whole page instead
    read such lines but turned shadowed phone photos dark (29 files worse on a corpus of 288 pages)."""
    if text.source != "ocr" or not text.words:
        return text
    folded = fold(text.text)
    if not _BILL_WORDING_RE.search(folded) or _ISSUE_LABEL_RE.search(folded):
        return text
    again = ocr_image(
        image,
        lang=settings.languages,
        psm=3,
        config=LIGHT_PRINT_CONFIG,
        timeout=settings.ocr_timeout_s,
        dpi=dpi,
    )
    labelled = [line for line in text_lines(again.words) if _ISSUE_LABEL_RE.search(fold(line.text))]
    if not labelled:
        return text
    words = tuple(word for line in labelled for word in line.words)
    return merge_readings(text, replace(again, words=words))


@dataclass(frozen=True, eq=False)
class _Confirmed:
    page: PreparedPage
    text: PageText


def _confirm_orientation(prepared: PreparedPage, text: PageText, settings: Settings) -> _Confirmed:
    """Let the page's own OCR confirm its orientation; read it upside down too when the reading is poor."""

    def read(image: np.ndarray) -> PageText:
        return ocr_image(
            image, lang=settings.languages, psm=3, timeout=settings.ocr_timeout_s, dpi=prepared.dpi
        )

    upright = confirm_upright(
        prepared.image,
        text,
        read,
        # without text lines to settle the axis, the guess can be a quarter turn off (a portrait's layout
        # tells where the photo's top is, not which way the card's text runs)
        sideways_too=prepared.orientation_method in {"default", "photo", "portrait"},
    )
    if len(upright.text.words) < MIN_WORDS_TO_TRY and (
        prepared.orientation_method == "axis" or _card_on_sheet(prepared)
    ):
        rescued = _rescue_wordless(prepared, read)
        if rescued is not None:
            return rescued
    if upright.extra_rotation == 0:
        return _Confirmed(prepared, upright.text)
    height, width = upright.image.shape[:2]
    turned = replace(
        prepared,
        image=upright.image,
        rotation=(prepared.rotation + upright.extra_rotation) % 360,
        orientation_method=f"{prepared.orientation_method}+ocr",
        quality=replace(prepared.quality, width=int(width), height=int(height)),
    )
    return _Confirmed(turned, upright.text)


PHOTO_SURE = 0.5  # a portrait layout this sure settles a wordless page without reading it
RESCUE_MIN_MEAN = 50.0  # a whole page is turned by its reading only when that reading is this confident
CARD_MIN_ASPECT = 1.45  # an ID-1 card is 1.59 long for 1 high (two side by side, more); an ID photo 1.29


def _card_on_sheet(prepared: PreparedPage) -> bool:
    """Something card-shaped alone on a blank sheet (a licence scanned small in a corner): whatever way
    the page was guessed, reading no word there says the guess went unchecked, not that there is no text.
    An ID photo on a sheet is not card-shaped and keeps its portrait layout's verdict."""
    source = prepared.unlit if prepared.unlit is not None else prepared.image
    region = content_region(source)
    if region is None:
        return False
    long_side, short_side = max(region.shape[:2]), max(1, min(region.shape[:2]))
    return bool(long_side / short_side >= CARD_MIN_ASPECT)


def _rescue_wordless(prepared: PreparedPage, read: Callable[[np.ndarray], PageText]) -> _Confirmed | None:
    """An unsure 'axis' guess whose page then read no word: the 'lines' were texture (a photo of a print)
    or the text is too small for the page (a card in a corner of a blank sheet), so the guess is no evidence.

    The page is judged as it came: on its content region alone (enlarged) when it sits on a blank sheet,
    read at each turn; failing words, by a portrait's layout. Both on the page before lighting
    normalisation, which can darken fine print and flatten a portrait's shading. The page is then read once
    more in the turn found.
    """
    unturn = (360 - prepared.rotation) % 360
    base = rotate_clockwise(prepared.image, unturn)
    source = rotate_clockwise(prepared.unlit, unturn) if prepared.unlit is not None else base
    region = content_region(source)
    turn: int | None = None
    method = "ocr"
    if region is None:  # no card on a blank sheet: a photo filling the page is judged by its layout first
        photo = photo_rotation(resize_for_osd(source))
        if photo.confidence >= PHOTO_SURE:
            turn, method = photo.rotate, photo.method
    if turn is None:
        judged = enlarge_small_text(region if region is not None else source, prepared.dpi)
        turn, _ = find_turn_by_reading(judged, read, skip=None if region is not None else prepared.rotation)
    if turn is None:
        return None
    if turn == prepared.rotation and source is base:
        return None
    image = rotate_clockwise(source, turn)
    text = read(image)
    if source is not base and len(text.words) < MIN_WORDS_TO_TRY and turn == prepared.rotation:
        return None
    if region is None and method == "ocr" and text.mean_confidence < RESCUE_MIN_MEAN:
        # a whole page turned on a few 'words' read at low confidence: handwriting read upside down yields
        # such garbage ('NOISY', 'Jon'); the axis guess stands
        return None
    height, width = image.shape[:2]
    turned = replace(
        prepared,
        image=image,
        rotation=turn % 360,
        orientation_method=f"{prepared.orientation_method}+{method}",
        quality=replace(prepared.quality, width=int(width), height=int(height)),
    )
    return _Confirmed(turned, text)


def prepare_and_read(raw: RawPage, settings: Settings) -> tuple[PreparedPage, PageText]:
    """One page made upright and read: preparation's orientation guess, then confirmed by the OCR itself."""
    prepared = prepare_page(raw, settings)
    # only a cut-out's unlit page is kept past the confirmation (not the first guess's images)
    cut_out = prepared.unlit if prepared.perspective_fixed else None
    first_rotation = prepared.rotation
    text = read_page_text(
        prepared.image, raw.text_layer if prepared.rotation == 0 else None, settings, dpi=prepared.dpi
    )
    if text.source == "ocr":
        confirmed = _confirm_orientation(prepared, text, settings)
        prepared, text = confirmed.page, confirmed.text
    return replace(prepared, unlit=_rectified_unlit(cut_out, first_rotation, prepared.rotation)), text


def _rectified_unlit(cut_out: np.ndarray | None, first_rotation: int, rotation: int) -> np.ndarray | None:
    """The page before lighting normalisation, turned from the first guess to the final ``rotation``, kept
    only when preparation cut a document out of its surroundings (a print on a table): the image cues then
    look at the print, not at the table (see ``_page_visual``). None otherwise, so that no page keeps two
    copies for nothing."""
    if cut_out is None:
        return None
    return rotate_clockwise(cut_out, (rotation - first_rotation) % 360)


class _PageCues:
    """A page's image cues, measured once per rotation: the MRZ gate may want them before the page's
    final rotation is known (an MRZ read upside down turns it), the page record wants them after."""

    def __init__(self, image: np.ndarray | None) -> None:
        self._image = image
        self._measured: dict[int, dict[str, float]] = {}

    def at(self, rotation: int) -> dict[str, float]:
        """The cues of the page as sent, turned by ``rotation``: lighting normalisation flattens photos
        (a portrait's face and shirt turn paper-white) and the cues were designed on unprocessed pages."""
        if rotation not in self._measured:
            self._measured[rotation] = measure_visual_cues(rotate_clockwise(_grey(self._image), rotation))
        return self._measured[rotation]

    def portrait_at(self, rotation: int) -> Callable[[], float]:
        """The portrait cue at ``rotation``, measured only when asked; 0 when it cannot be measured (the
        band reader then runs, and the page's own measure reports the failure as before)."""

        def portrait() -> float:
            if self._image is None:
                return 0.0
            try:
                return float(self.at(rotation).get("portrait", 0.0))
            except Exception:  # noqa: BLE001 - a gate never fails the page
                return 0.0

        return portrait


def _page_visual(cues: _PageCues, prepared: PreparedPage) -> dict[str, float]:
    """The page's image cues, on the page as sent turned upright. When preparation cut a document out of a
    phone photo, the portrait cue is also measured on that cut-out and the clearer of the two kept: a print
    lying on a lit table shows its layout only once the table is gone (the table's shades pass for the
    subject's, its edges for the print's), while a cut that missed the print's edges leaves the scene."""
    visual = dict(cues.at(prepared.rotation))
    if prepared.unlit is not None and prepared.unlit.size:
        try:
            cut = float(detect_portrait(prepared.unlit))
        except Exception:  # noqa: BLE001 - a cue never fails the page: the page as sent already gave one
            cut = 0.0
        visual["portrait"] = round(max(float(visual.get("portrait", 0.0)), cut), 4)
    return visual


def _analyse_uncached(
    file: InputFile, settings: Settings, only: frozenset[int] | None = None
) -> FileAnalysis:
    start = time.perf_counter()
    configure(settings.tesseract_cmd)
    loaded = load_pages(file, settings, only)
    problem, kind = loaded.problem, loaded.kind
    # each page's pixels are let go as soon as the page is read: a 300-dpi colour page is 26 MB
    raws = list(loaded.pages)
    del loaded
    pages: list[Page] = []
    mrzs: list[MrzResult | None] = []
    while raws:
        raw = raws.pop(0)
        if only is not None and raw.number not in only:
            continue
        if raw.image is not None and raw.image.ndim == 3:
            # every step below starts from the grey page (to_grey is the one conversion they share): the
            # colour array (26 MB at 300 dpi, 36 MB for a phone photo) goes now rather than after the page
            raw = replace(raw, image=to_grey(raw.image))
        before_turn: np.ndarray | None = None
        cues = _PageCues(raw.image)
        try:
            prepared, text = prepare_and_read(raw, settings)
            before_turn = prepared.image
            reading = _read_mrz(prepared.image, text, cues.portrait_at(prepared.rotation))
            if reading is not None and reading.rotation % 360 == 180 and check_digits_hold(reading.result):
                prepared, text = _turn_to_mrz(prepared, text, reading, settings)
            mrz = reading.result if reading is not None else None
            if holder_unread(text, mrz):
                text = reread_card(prepared.image, text, prepared.dpi, settings) or text
            text = reread_light_print(prepared.image, text, settings, prepared.dpi)
            error = None
        except Exception as exc:  # noqa: BLE001 - one bad page never stops the file
            prepared, before_turn = None, None
            text, mrz = EMPTY_TEXT, None
            error = f"Page illisible : {exc}"
        full = prepared.image if prepared is not None else _grey(raw.image)
        quality = prepared.quality if prepared is not None else _blank_quality(full)
        # the cues look at the page as sent, only turned upright: lighting normalisation flattens photos
        # (a portrait's face and shirt turn paper-white) and the cues were designed on unprocessed pages
        visual = _page_visual(cues, prepared) if prepared is not None and raw.image is not None else {}
        del cues
        if prepared is not None:
            prepared = replace(prepared, unlit=None)
        number, content_hash = raw.number, raw.content_hash
        # a phone photo's DataMatrix may read only on the page as sent: its likely regions are kept small
        # (a born-digital page's code is drawn sharp: the prepared page reads it)
        born_digital = bool(raw.text_layer and raw.text_layer.words)
        code_crops = (
            crop_code_regions(raw.image)
            if raw.image is not None and raw.image.ndim == 2 and not born_digital
            else ()
        )
        # the page as sent (26 MB in colour at 300 dpi) is not needed any more: let it go before the
        # barcode reader makes its own large copies (the worker's peak memory)
        del raw
        barcodes: tuple[Barcode, ...] = ()
        if before_turn is not None:
            try:
                # the binarised whole-page retry only where a code-like square was seen: it found no code on
                # pages without one (seeds 14000-15000: 0 of 564 pages), and cost half the reader's time
                retry = born_digital or bool(code_crops)
                barcodes = tuple(decode_barcodes(before_turn, binarised_retry=retry)) or decode_code_crops(
                    code_crops
                )
            except Exception as exc:  # noqa: BLE001 - as before: the page is unusable, the file goes on
                error = f"Page illisible : {exc}"
        del before_turn
        codes = reread_page_codes(prepared.image, text) if prepared is not None else {}
        pages.append(
            Page(
                file=file.relpath,
                number=number,
                image=make_thumbnail(full),
                visual=visual,
                codes=codes,
                text=text,
                quality=quality,
                rotation=prepared.rotation if prepared is not None else 0,
                skew=prepared.skew if prepared is not None else 0.0,
                perspective_fixed=prepared.perspective_fixed if prepared is not None else False,
                barcodes=barcodes,
                content_hash=content_hash,
                error=error,
            )
        )
        mrzs.append(mrz)
        del prepared, full
        release_freed_memory()
    return FileAnalysis(
        file=file,
        pages=tuple(pages),
        mrz=tuple(mrzs),
        problem=problem,
        kind=kind,
        from_cache=False,
        seconds=time.perf_counter() - start,
    )


_LIBC: list[Any] = []


def _libc() -> Any:
    if not _LIBC:
        import ctypes

        try:
            _LIBC.append(ctypes.CDLL(None))  # the process's own symbols: libc's on Linux
        except OSError:
            _LIBC.append(None)
    return _LIBC[0]


M_ARENA_MAX = -8  # glibc's mallopt parameter number
WORKER_ARENAS = 2


def limit_malloc_arenas() -> None:
    """At most WORKER_ARENAS malloc arenas in this process (glibc; nothing elsewhere): a thread that frees
    a page's arrays in an arena of its own leaves them mapped, and a worker's peak grows with its threads."""
    mallopt = getattr(_libc(), "mallopt", None)
    if mallopt is not None:
        mallopt(M_ARENA_MAX, WORKER_ARENAS)


def release_freed_memory() -> None:
    """Give the heap's freed pages back to the system (glibc's malloc_trim; nothing elsewhere).

    A page's big arrays are freed after it is read, but glibc keeps the freed heap mapped: a worker's
    resident memory then stays at its largest page's high-water mark (measured: 336 MB instead of 195 MB
    after three dossiers), and two workers' high-water marks add up in a batch.
    """
    libc = _libc()
    trim = getattr(libc, "malloc_trim", None) if libc is not None else None
    if trim is not None:
        trim(0)


THUMB_LONG_SIDE = 1200  # enough for the report's thumbnails and a re-read of an e-photo code


def make_thumbnail(image: np.ndarray) -> np.ndarray:
    """The grey page at most THUMB_LONG_SIDE pixels long: what leaves the worker and what the cache keeps.

    Image cues are measured on the full page before (``Page.visual``), so nothing downstream needs more,
    and a batch's memory stays small.
    """
    grey = _grey(image)
    scale = THUMB_LONG_SIDE / max(1, max(grey.shape[:2]))
    if scale >= 1.0:
        return np.ascontiguousarray(grey)
    size = (max(1, round(grey.shape[1] * scale)), max(1, round(grey.shape[0] * scale)))
    return np.ascontiguousarray(cv2.resize(grey, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)


def _grey(image: np.ndarray | None) -> np.ndarray:
    """The page in grey, or a small blank page when the loader gave no image."""
    return np.full((10, 10), 255, np.uint8) if image is None else to_grey(image)


def _blank_quality(image: np.ndarray) -> PageQuality:
    return PageQuality(
        width=int(image.shape[1]),
        height=int(image.shape[0]),
        dpi=0.0,
        sharpness=0.0,
        brightness=0.0,
        contrast=0.0,
    )


def _settings_key(settings: Settings) -> tuple[object, ...]:
    return (
        ANALYSIS_VERSION,
        settings.languages,
        settings.ocr_dpi,
        settings.max_pixels,
        settings.max_pages_per_file,
    )


def _to_cache(analysis: FileAnalysis) -> dict[str, Any]:
    return {
        "kind": analysis.kind,
        "problem": None
        if analysis.problem is None
        else [analysis.problem.file, analysis.problem.code, analysis.problem.message],
        "pages": [
            {
                "number": p.number,
                "text": cache_io.text_to_json(p.text),
                "quality": cache_io.quality_to_json(p.quality),
                "rotation": p.rotation,
                "skew": p.skew,
                "perspective_fixed": p.perspective_fixed,
                "barcodes": cache_io.barcodes_to_json(p.barcodes),
                "content_hash": p.content_hash,
                "error": p.error,
                "visual": dict(p.visual),
                "codes": dict(p.codes),
                "thumbnail": cache_io.image_to_json(p.image),
                "mrz": cache_io.mrz_to_json(m),
            }
            for p, m in zip(analysis.pages, analysis.mrz, strict=True)
        ],
    }


def _from_cache(
    file: InputFile, value: dict[str, Any], settings: Settings, with_images: bool
) -> FileAnalysis:
    """Rebuild a file's analysis from the cache: no decoding of the file, no OCR, no image analysis."""
    del settings
    start = time.perf_counter()
    pages: list[Page] = []
    mrzs: list[MrzResult | None] = []
    for entry in value["pages"]:
        quality = cache_io.quality_from_json(entry["quality"])
        image = cache_io.image_from_json(entry["thumbnail"]) if with_images else None
        if image is None:
            image = np.full((max(1, quality.height // 8), max(1, quality.width // 8)), 255, np.uint8)
        pages.append(
            Page(
                file=file.relpath,
                number=int(entry["number"]),
                image=image,
                text=cache_io.text_from_json(entry["text"]),
                quality=quality,
                rotation=int(entry["rotation"]),
                skew=float(entry["skew"]),
                perspective_fixed=bool(entry["perspective_fixed"]),
                barcodes=cache_io.barcodes_from_json(entry["barcodes"]),
                content_hash=str(entry["content_hash"]),
                error=entry["error"],
                visual={str(k): float(v) for k, v in entry["visual"].items()},
                codes={str(k): str(v) for k, v in (entry.get("codes") or {}).items()},
            )
        )
        mrzs.append(cache_io.mrz_from_json(entry["mrz"]))
    problem = value["problem"]
    return FileAnalysis(
        file=file,
        pages=tuple(pages),
        mrz=tuple(mrzs),
        # the same content may come under another name (another dossier, a re-sent file): the problem is
        # this file's, whatever name the cached analysis was made under
        problem=None if problem is None else FileProblem(file.relpath, str(problem[1]), str(problem[2])),
        kind=str(value["kind"]),
        from_cache=True,
        seconds=time.perf_counter() - start,
    )


def _cache_of(settings: Settings) -> cache_io.AnalysisCache | None:
    return cache_io.AnalysisCache(settings.cache_dir) if settings.cache_dir else None


def _key_of(file: InputFile, settings: Settings) -> str:
    return cache_io.cache_key(file.sha256, *_settings_key(settings))


def is_cached(file: InputFile, settings: Settings) -> bool:
    """Whether a re-read of ``file`` would come from the cache (cheap: no parsing)."""
    cache = _cache_of(settings)
    return cache is not None and cache.get(_key_of(file, settings)) is not None


def count_pages(file: InputFile) -> tuple[int, int]:
    """(pages, pages needing OCR) of ``file``, cheaply (no rendering): is it worth splitting across workers?

    Only PDFs (pages without a text layer) and multi-page TIFFs are counted; anything else counts as (1, 1).
    """
    try:
        with open(file.path, "rb") as handle:
            head = handle.read(8)
        if head.startswith(b"%PDF-"):
            import pypdfium2 as pdfium

            pdf = pdfium.PdfDocument(str(file.path))
            try:
                scanned = 0
                for index in range(len(pdf)):
                    text_page = pdf[index].get_textpage()
                    scanned += text_page.count_chars() < 20
                return len(pdf), scanned
            finally:
                pdf.close()
        if head[:4] in (b"II*\x00", b"MM\x00*"):
            from PIL import Image as PILImage

            with PILImage.open(file.path) as im:
                frames = int(getattr(im, "n_frames", 1))
                return frames, frames
    except Exception:  # noqa: BLE001 - a file that cannot be counted is simply not split
        return 1, 1
    return 1, 1


def analyse_pages(
    file: InputFile, settings: Settings, numbers: tuple[int, ...], with_images: bool = True
) -> FileAnalysis:
    """Worker entry point for part of a big file (page parallelism): only ``numbers``, never the cache.

    The parts are joined by ``merge_parts`` in the calling process, which also stores the whole in the cache.
    """
    del with_images  # an uncached read always carries its prepared images
    try:
        return _analyse_uncached(file, settings, only=frozenset(numbers))
    except Exception as exc:  # noqa: BLE001 - last line of defence, as in analyse_file
        return _internal_failure(file, exc)


def merge_parts(file: InputFile, parts: list[FileAnalysis], settings: Settings) -> FileAnalysis:
    """One file's analysis from its parts (page order restored), cached as if read in one go."""
    problems = [p.problem for p in parts if p.problem is not None]
    problem = next((p for p in problems if p.code == "timeout"), problems[0] if problems else None)
    ordered = sorted(
        (pair for part in parts for pair in zip(part.pages, part.mrz, strict=True)),
        key=lambda pair: pair[0].number,
    )
    kinds = [p.kind for p in parts if p.kind != "unknown"]
    analysis = FileAnalysis(
        file=file,
        pages=tuple(page for page, _ in ordered),
        mrz=tuple(mrz for _, mrz in ordered),
        problem=problem,
        kind=kinds[0] if kinds else "unknown",
        from_cache=False,
        seconds=sum(p.seconds for p in parts),
    )
    cache = _cache_of(settings)
    if cache is not None and not any(p.code in ("timeout", "internal") for p in problems):
        cache.put(_key_of(file, settings), _to_cache(analysis))
    return analysis


def _internal_failure(file: InputFile, exc: Exception) -> FileAnalysis:
    return FileAnalysis(
        file=file,
        pages=(),
        mrz=(),
        problem=FileProblem(file.relpath, "internal", f"Erreur interne en lisant ce fichier : {exc}"),
        kind="unknown",
        from_cache=False,
        seconds=0.0,
    )


def analyse_file(file: InputFile, settings: Settings, with_images: bool = True) -> FileAnalysis:
    """Worker entry point: one file → its read pages, through the cache when there is one."""
    cache = _cache_of(settings)
    key = _key_of(file, settings)
    if cache is not None:
        hit = cache.get(key)
        if hit is not None:
            try:
                return _from_cache(file, hit, settings, with_images)
            except (KeyError, TypeError, ValueError):
                pass  # an old or damaged entry: recompute
    try:
        analysis = _analyse_uncached(file, settings)
    except Exception as exc:  # noqa: BLE001 - last line of defence: this file fails, the dossier goes on
        return _internal_failure(file, exc)
    if cache is not None and (analysis.problem is None or analysis.problem.code != "timeout"):
        cache.put(key, _to_cache(analysis))
    return analysis


# ---------------------------------------------------------------- process pool
