"""Loading: one input file → its raw pages (pixels, and the text layer of born-digital PDF pages).

The format is told by magic bytes, never by the extension (phones and mailers rename files). Every failure
becomes a French ``FileProblem`` on the returned ``LoadedFile``; nothing raises out of ``load_pages``.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Literal

import cv2
import numpy as np
from PIL import Image as PILImage
from PIL import ImageOps, ImageSequence

from preverif.records import Box, FileProblem, Image, InputFile, PageText, RawPage, Word
from preverif.settings import Settings

LoadedKind = Literal["image", "pdf_digital", "pdf_scan", "pdf_mixed", "unreadable"]
Format = Literal["jpeg", "png", "tiff", "webp", "bmp", "gif", "heif", "pdf", "zip", "unknown"]

DIGITAL_MIN_CHARS = 20  # real characters of text layer that make a PDF page born-digital
DIGITAL_DPI = 150  # born-digital pages are rendered only for thumbnails and visual cues
UPRIGHT_MIN_SHARE = 0.8  # share of upright characters for a text layer to be trusted as-is
HEIF_BRANDS = frozenset(
    {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1"}
)

MSG_EMPTY = "Fichier vide : renvoyez-le"
MSG_UNSUPPORTED = "Format non pris en charge : envoyez une photo (JPEG, PNG, HEIC…) ou un PDF"
MSG_ARCHIVE = "Format non pris en charge (archive ZIP dans le dossier) : décompressez-la"
MSG_TRUNCATED = "Fichier tronqué (transfert incomplet ?) : renvoyez-le"
MSG_CORRUPT_IMAGE = "Image illisible ou corrompue : renvoyez-la"
MSG_CORRUPT_PDF = "PDF illisible ou corrompu : renvoyez-le"
MSG_ENCRYPTED = "PDF protégé par un mot de passe : envoyez une version sans mot de passe"
MSG_BOMB = "Image trop grande (possible bombe de décompression)"
MSG_NO_PAGE = "PDF sans aucune page : renvoyez-le"

_heif_registered = False


@dataclass(frozen=True, eq=False)
class LoadedFile:
    """The pages of one file, or why it could not be read. ``problem`` may accompany pages (page limit)."""

    file: str
    pages: tuple[RawPage, ...]
    problem: FileProblem | None
    kind: LoadedKind


def _fail(file: InputFile, code: str, message: str) -> LoadedFile:
    return LoadedFile(
        file=file.relpath, pages=(), problem=FileProblem(file.relpath, code, message), kind="unreadable"
    )


def sniff_format(head: bytes) -> Format:
    """The file's format from its first bytes."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"BM") and len(head) >= 26:
        return "bmp"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "heif"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    return "unknown"


def load_pages(file: InputFile, settings: Settings, only: frozenset[int] | None = None) -> LoadedFile:
    """Load every page of ``file`` (at most ``settings.max_pages_per_file``). Never raises.

    ``only`` (page numbers from 1) decodes just those pages: a worker reading part of a big file neither
    renders nor holds the others.
    """
    try:
        return _load(file, settings, only)
    except MemoryError:
        return _fail(file, "too_large", MSG_BOMB)
    except Exception:  # noqa: BLE001  # last resort: a decoder bug must not stop the dossier
        return _fail(file, "corrupt", "Fichier illisible : renvoyez-le dans un autre format (PDF, JPEG)")


def _load(file: InputFile, settings: Settings, only: frozenset[int] | None = None) -> LoadedFile:
    try:
        size = file.path.stat().st_size
        with file.path.open("rb") as handle:
            head = handle.read(1024)
    except OSError:
        return _fail(file, "unreadable", "Fichier illisible (accès refusé ?)")
    if size == 0:
        return _fail(file, "empty", MSG_EMPTY)
    if size > settings.max_file_bytes:
        mb = settings.max_file_bytes // (1024 * 1024)
        return _fail(file, "too_large", f"Fichier trop volumineux (plus de {mb} Mo) : réduisez-le")
    fmt = sniff_format(head)
    if fmt == "pdf":
        return _load_pdf(file, settings, only)
    if fmt == "zip":
        return _fail(file, "unsupported", MSG_ARCHIVE)
    if fmt == "unknown":
        return _fail(file, "unsupported", MSG_UNSUPPORTED)
    return _load_image(file, settings, fmt, only)


# ---------------------------------------------------------------- images


def _register_heif() -> None:
    global _heif_registered
    if not _heif_registered:
        import pillow_heif

        pillow_heif.register_heif_opener()
        _heif_registered = True


def to_array(im: PILImage.Image) -> Image:
    """A Pillow image as uint8 grey or BGR, transparency flattened onto white."""
    if im.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        arr = np.asarray(im, dtype=np.float64)
        lo, hi = float(arr.min()), float(arr.max())
        scaled = (arr - lo) * (255.0 / (hi - lo)) if hi > lo else np.zeros_like(arr)
        return np.ascontiguousarray(scaled.astype(np.uint8))
    if im.mode == "1":
        im = im.convert("L")
    if im.mode == "P":
        im = im.convert("RGBA" if "transparency" in im.info else "RGB")
    if im.mode in ("LA", "RGBA", "PA"):
        rgba = im.convert("RGBA")
        white = PILImage.new("RGBA", rgba.size, (255, 255, 255, 255))
        im = PILImage.alpha_composite(white, rgba).convert("RGB")
    if im.mode == "L":
        return np.ascontiguousarray(np.asarray(im, dtype=np.uint8))
    if im.mode != "RGB":
        im = im.convert("RGB")
    # one array, swapped to BGR in place: a 300-dpi A4 page is 26 MB per copy, and a worker's peak memory
    # is what limits a batch (np.array copies once; asarray of a Pillow image may be read-only)
    array = np.array(im, dtype=np.uint8)
    cv2.cvtColor(array, cv2.COLOR_RGB2BGR, dst=array)
    return array


def pixel_hash(image: Image) -> str:
    """SHA-256 of a page's pixels and shape: the OCR cache key's base."""
    digest = hashlib.sha256(str(image.shape).encode())
    digest.update(np.ascontiguousarray(image).tobytes())
    return digest.hexdigest()


def _image_dpi(im: PILImage.Image) -> float:
    dpi = im.info.get("dpi")
    try:
        value = float(dpi[0]) if isinstance(dpi, tuple) else float(dpi) if dpi else 0.0
    except (TypeError, ValueError):
        return 0.0
    return value if 50.0 <= value <= 2400.0 else 0.0  # 72/96 are often defaults, kept as given


def _load_image(
    file: InputFile, settings: Settings, fmt: Format, only: frozenset[int] | None = None
) -> LoadedFile:
    if fmt == "heif":
        _register_heif()
    PILImage.MAX_IMAGE_PIXELS = settings.max_pixels
    pages: list[RawPage] = []
    problem: FileProblem | None = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # damaged EXIF etc.: the pixels may still be fine
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(file.path) as im:
                width, height = im.size
                if width * height > settings.max_pixels:
                    return _fail(file, "too_large", MSG_BOMB)
                # TIFF: every page; GIF/WebP animations: the first frame is the document
                frames: Iterator[PILImage.Image] = (
                    iter(ImageSequence.Iterator(im)) if fmt == "tiff" else iter([im])
                )
                for index, frame in enumerate(frames):
                    if index >= settings.max_pages_per_file:
                        problem = _page_limit_problem(file, settings, None)
                        break
                    if frame.size[0] * frame.size[1] > settings.max_pixels:
                        return _fail(file, "too_large", MSG_BOMB)
                    if only is not None and index + 1 not in only:
                        continue  # another worker reads this page: no decoding here
                    frame.load()
                    array = to_array(_upright(frame, fmt))
                    pages.append(
                        RawPage(
                            file=file.relpath,
                            number=index + 1,
                            image=array,
                            dpi=_image_dpi(frame),
                            content_hash=pixel_hash(array),
                        )
                    )
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        return _fail(file, "too_large", MSG_BOMB)
    except OSError as exc:
        text = str(exc).lower()
        truncated = "truncated" in text or "broken data stream" in text or "premature end" in text
        code, message = ("truncated", MSG_TRUNCATED) if truncated else ("corrupt", MSG_CORRUPT_IMAGE)
        if not pages:
            return _fail(file, code, message)
        problem = FileProblem(file.relpath, code, message + f" (pages lues : {len(pages)})")
    except (SyntaxError, ValueError, TypeError, IndexError, EOFError, KeyError, ZeroDivisionError):
        if not pages:
            return _fail(file, "corrupt", MSG_CORRUPT_IMAGE)
        problem = FileProblem(file.relpath, "corrupt", MSG_CORRUPT_IMAGE + f" (pages lues : {len(pages)})")
    if not pages:
        return _fail(file, "corrupt", MSG_CORRUPT_IMAGE)
    return LoadedFile(file=file.relpath, pages=tuple(pages), problem=problem, kind="image")


def _upright(frame: PILImage.Image, fmt: Format) -> PILImage.Image:
    """The frame turned as its EXIF orientation says, without a copy when there is nothing to turn."""
    if fmt not in ("jpeg", "heif", "webp", "tiff"):
        return frame
    try:
        orientation = frame.getexif().get(0x0112, 1)
    except Exception:  # noqa: BLE001 - unreadable EXIF: the pixels as stored
        return frame
    if orientation in (None, 1):
        return frame
    return ImageOps.exif_transpose(frame)


def _page_limit_problem(file: InputFile, settings: Settings, total: int | None) -> FileProblem:
    n = settings.max_pages_per_file
    counted = f"{total} pages" if total is not None else f"plus de {n} pages"
    return FileProblem(
        file.relpath,
        "too_many_pages",
        f"Fichier de {counted} : seules les {n} premières sont lues ; scindez-le",
    )


# ---------------------------------------------------------------- PDF


def _real_chars(text: str) -> int:
    return sum(1 for ch in text if ch.isalnum())


def _group_lines(words: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Words of one visual line: vertical centres within half a word height, sorted left to right."""
    ordered = sorted(words, key=lambda w: (float(w["top"]) + float(w["bottom"])) / 2)
    lines: list[list[dict[str, Any]]] = []
    centre = 0.0
    height = 0.0
    for word in ordered:
        mid = (float(word["top"]) + float(word["bottom"])) / 2
        h = max(1.0, float(word["bottom"]) - float(word["top"]))
        if lines and abs(mid - centre) <= 0.5 * max(height, h):
            lines[-1].append(word)
            n = len(lines[-1])
            centre += (mid - centre) / n
            height = max(height, h)
        else:
            lines.append([word])
            centre, height = mid, h
    for line in lines:
        line.sort(key=lambda w: float(w["x0"]))
    return lines


def _text_layer(plumber_page: Any, scale: float) -> tuple[PageText, float]:
    """The page's words with boxes in rendered pixels (``scale`` px per PDF point), and the upright share."""
    chars = plumber_page.chars
    upright_share = sum(1 for c in chars if c.get("upright", True)) / len(chars) if chars else 1.0
    raw_words = [
        w
        for w in plumber_page.extract_words(keep_blank_chars=False, use_text_flow=False)
        if str(w.get("text", "")).strip() and "(cid:" not in str(w.get("text", ""))
    ]
    words: list[Word] = []
    for line_no, line in enumerate(_group_lines(raw_words)):
        for w in line:
            left = round(float(w["x0"]) * scale)
            top = round(float(w["top"]) * scale)
            box = Box(
                left=max(0, left),
                top=max(0, top),
                width=max(1, round(float(w["x1"]) * scale) - left),
                height=max(1, round(float(w["bottom"]) * scale) - top),
            )
            words.append(Word(text=str(w["text"]), box=box, confidence=100.0, line=line_no, block=0))
    return PageText(
        words=tuple(words), source="text_layer", mean_confidence=100.0 if words else 0.0
    ), upright_share


def _render(pdf_page: Any, dpi: float, max_pixels: int) -> tuple[Image, float]:
    """Render one page as BGR at ``dpi``, lowered when the page would exceed ``max_pixels``."""
    width_pt, height_pt = pdf_page.get_size()
    area_at_dpi = (width_pt * dpi / 72.0) * (height_pt * dpi / 72.0)
    if area_at_dpi > max_pixels:
        dpi = dpi * (max_pixels / area_at_dpi) ** 0.5
    bitmap = pdf_page.render(scale=dpi / 72.0)
    try:
        array = np.asarray(bitmap.to_numpy(), dtype=np.uint8)
    finally:
        bitmap.close()
    if array.ndim == 3 and array.shape[2] == 4:
        array = array[:, :, :3]
    return np.ascontiguousarray(array), dpi


def _open_pdf(file: InputFile) -> tuple[Any, LoadedFile | None]:
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(str(file.path)), None
    except pdfium.PdfiumError as exc:
        text = str(exc).lower()
        if "password" in text or "security" in text:
            return None, _fail(file, "encrypted", MSG_ENCRYPTED)
        return None, _fail(file, "corrupt", MSG_CORRUPT_PDF)


def _load_pdf(file: InputFile, settings: Settings, only: frozenset[int] | None = None) -> LoadedFile:
    import pdfplumber

    document, failure = _open_pdf(file)
    if failure is not None:
        return failure
    try:
        total = len(document)
        if total == 0:
            return _fail(file, "corrupt", MSG_NO_PAGE)
        problem = _page_limit_problem(file, settings, total) if total > settings.max_pages_per_file else None
        count = min(total, settings.max_pages_per_file)
        try:
            plumber = pdfplumber.open(str(file.path))
        except Exception:  # noqa: BLE001  # pdfminer raises a zoo of exception types on damaged files
            plumber = None
        pages: list[RawPage] = []
        digital = 0
        try:
            for index in range(count):
                if only is not None and index + 1 not in only:
                    continue  # another worker reads this page: no rendering here
                pages.append(_pdf_page(file, settings, document, plumber, index))
                digital += pages[-1].text_layer is not None
        finally:
            if plumber is not None:
                plumber.close()
    except Exception:  # noqa: BLE001
        return _fail(file, "corrupt", MSG_CORRUPT_PDF)
    finally:
        document.close()
    kind: LoadedKind = "pdf_digital" if digital == len(pages) else "pdf_scan" if digital == 0 else "pdf_mixed"
    return LoadedFile(file=file.relpath, pages=tuple(pages), problem=problem, kind=kind)


def _pdf_page(file: InputFile, settings: Settings, document: Any, plumber: Any, index: int) -> RawPage:
    """One PDF page: born-digital (upright text layer of ≥ 20 characters) at 150 dpi, else a scan at OCR dpi."""
    layer: PageText | None = None
    if plumber is not None:
        try:
            plumber_page = plumber.pages[index]
            scale = DIGITAL_DPI / 72.0
            candidate, upright_share = _text_layer(plumber_page, scale)
            # A /Rotate'd page or sideways text: boxes and render would disagree, so OCR reads it once upright.
            rotated = int(getattr(plumber_page, "rotation", 0) or 0) % 360 != 0
            trusted = upright_share >= UPRIGHT_MIN_SHARE and not rotated
            if trusted and _real_chars(candidate.text) >= DIGITAL_MIN_CHARS:
                layer = candidate
        except Exception:  # noqa: BLE001  # a damaged text layer: the page is read by OCR instead
            layer = None
    pdf_page = document[index]
    try:
        wanted = float(DIGITAL_DPI if layer is not None else settings.ocr_dpi)
        image, dpi = _render(pdf_page, wanted, settings.max_pixels)
    finally:
        pdf_page.close()
    if layer is not None and abs(dpi - DIGITAL_DPI) > 1e-6:
        layer = _rescale(layer, dpi / DIGITAL_DPI)
    content = hashlib.sha256(f"{file.sha256}:{index + 1}:{dpi:.2f}".encode()).hexdigest()
    return RawPage(
        file=file.relpath, number=index + 1, image=image, dpi=dpi, text_layer=layer, content_hash=content
    )


def _rescale(layer: PageText, factor: float) -> PageText:
    words = tuple(
        Word(
            text=w.text,
            box=Box(
                round(w.box.left * factor),
                round(w.box.top * factor),
                max(1, round(w.box.width * factor)),
                max(1, round(w.box.height * factor)),
            ),
            confidence=w.confidence,
            line=w.line,
            block=w.block,
        )
        for w in layer.words
    )
    return PageText(words=words, source=layer.source, mean_confidence=layer.mean_confidence)


# ---------------------------------------------------------------- timeout


def _load_in_child(conn: Connection, file: InputFile, settings: Settings) -> None:
    try:
        conn.send(load_pages(file, settings))
    finally:
        conn.close()


def load_pages_with_timeout(file: InputFile, settings: Settings) -> LoadedFile:
    """``load_pages`` in a spawned child killed after ``settings.file_timeout_s``: a hostile file cannot hang a run.

    Costs a process start (about 0.5 s); a pipeline that already runs each file in a worker process with its
    own deadline can call ``load_pages`` directly.
    """
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_load_in_child, args=(sender, file, settings), daemon=True)
    try:
        process.start()
    except OSError:
        receiver.close()
        sender.close()
        return load_pages(file, settings)
    sender.close()
    timeout = settings.file_timeout_s
    try:
        if receiver.poll(timeout):
            result = receiver.recv()
            process.join(5)
            if isinstance(result, LoadedFile):
                return result
        elif process.is_alive():
            return _fail(
                file, "timeout", f"Lecture interrompue après {timeout:g} s : fichier trop lourd ou piégé"
            )
    except (EOFError, OSError):
        pass
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        receiver.close()
    return _fail(
        file, "corrupt", "Fichier illisible (le lecteur s'est arrêté) : renvoyez-le dans un autre format"
    )
