"""Wires the stages together; the stages themselves live in their packages.

discover → (per file, in a worker process) load → prepare → read (text layer or OCR, barcodes, MRZ)
→ segment → classify → extract → judge. Per-file work runs in a process pool sized to the cores, with
Tesseract single-threaded in each worker; its results are cached by file content and settings.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from preverif import __version__
from preverif.barcodes.twoddoc import decode_barcodes, holder_from_2ddoc, parse_2ddoc
from preverif.classify.doctypes import DocTypes, load_doctypes
from preverif.classify.scorer import classify_document
from preverif.classify.segment import segment_documents
from preverif.classify.visual import detect_handwriting
from preverif.extract.fields import extract_fields
from preverif.extract.mrz import find_mrz_in_text, read_mrz
from preverif.imaging.prepare import prepare_page
from preverif.ingest.discover import discover_dossiers
from preverif.ingest.load import load_pages
from preverif.ocr import cache as cache_io
from preverif.ocr.tesseract import configure, ocr_image
from preverif.records import (
    EMPTY_TEXT,
    Classification,
    Document,
    DossierInput,
    DossierReport,
    Fields,
    FileProblem,
    InputFile,
    MrzResult,
    Page,
    PageQuality,
    TwoDDoc,
)
from preverif.rules.engine import Rules, judge_dossier, load_rules
from preverif.settings import Settings

ANALYSIS_VERSION = f"{__version__}-a1"  # part of the cache key: bump when page analysis changes


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


def _wants_mrz(text: str, word_count: int) -> bool:
    """Run the (costly) band reader only where an MRZ is plausible: ID-like wording or a sparse page."""
    low = text.lower()
    return word_count < 60 or any(h in low for h in _MRZ_HINTS)


def read_page_text(image: np.ndarray, text_layer: Any, settings: Settings) -> Any:
    """The page's words: the born-digital text layer when present (never OCR'd), else Tesseract."""
    if text_layer is not None and text_layer.words:
        return text_layer
    return ocr_image(image, lang=settings.languages, psm=3, timeout=settings.ocr_timeout_s)


def _analyse_uncached(file: InputFile, settings: Settings) -> FileAnalysis:
    start = time.perf_counter()
    configure(settings.tesseract_cmd)
    loaded = load_pages(file, settings)
    pages: list[Page] = []
    mrzs: list[MrzResult | None] = []
    for raw in loaded.pages:
        try:
            prepared = prepare_page(raw, settings)
            text = read_page_text(
                prepared.image, raw.text_layer if prepared.rotation == 0 else None, settings
            )
            barcodes = decode_barcodes(prepared.image)
            mrz = find_mrz_in_text(text.lines)
            if mrz is None and _wants_mrz(text.text, len(text.words)):
                mrz = read_mrz(prepared.image)
            error = None
        except Exception as exc:  # noqa: BLE001 - one bad page never stops the file
            prepared = None
            text, barcodes, mrz = EMPTY_TEXT, (), None
            error = f"Page illisible : {exc}"
        image = prepared.image if prepared is not None else _grey(raw.image)
        quality = prepared.quality if prepared is not None else _blank_quality(image)
        pages.append(
            Page(
                file=file.relpath,
                number=raw.number,
                image=image,
                text=text,
                quality=quality,
                rotation=prepared.rotation if prepared is not None else 0,
                skew=prepared.skew if prepared is not None else 0.0,
                perspective_fixed=prepared.perspective_fixed if prepared is not None else False,
                barcodes=tuple(barcodes),
                content_hash=raw.content_hash,
                error=error,
            )
        )
        mrzs.append(mrz)
    return FileAnalysis(
        file=file,
        pages=tuple(pages),
        mrz=tuple(mrzs),
        problem=loaded.problem,
        kind=loaded.kind,
        from_cache=False,
        seconds=time.perf_counter() - start,
    )


def _grey(image: np.ndarray | None) -> np.ndarray:
    if image is None:
        return np.full((10, 10), 255, np.uint8)
    if image.ndim == 3:
        import cv2

        return np.asarray(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), dtype=np.uint8)
    return image


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
                "mrz": cache_io.mrz_to_json(m),
            }
            for p, m in zip(analysis.pages, analysis.mrz, strict=True)
        ],
    }


def _from_cache(
    file: InputFile, value: dict[str, Any], settings: Settings, with_images: bool
) -> FileAnalysis:
    """Rebuild a file's analysis from the cache; images are re-derived cheaply (rotation only) for thumbnails."""
    start = time.perf_counter()
    raw_images: dict[int, np.ndarray] = {}
    if with_images:
        loaded = load_pages(file, settings)
        raw_images = {r.number: _grey(r.image) for r in loaded.pages}
    pages: list[Page] = []
    mrzs: list[MrzResult | None] = []
    for entry in value["pages"]:
        quality = cache_io.quality_from_json(entry["quality"])
        image = raw_images.get(entry["number"])
        if image is None:
            image = np.full((max(1, quality.height // 8), max(1, quality.width // 8)), 255, np.uint8)
        else:
            image = np.ascontiguousarray(np.rot90(image, k=-(int(entry["rotation"]) // 90)))
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
            )
        )
        mrzs.append(cache_io.mrz_from_json(entry["mrz"]))
    problem = value["problem"]
    return FileAnalysis(
        file=file,
        pages=tuple(pages),
        mrz=tuple(mrzs),
        problem=None if problem is None else FileProblem(*problem),
        kind=str(value["kind"]),
        from_cache=True,
        seconds=time.perf_counter() - start,
    )


def analyse_file(file: InputFile, settings: Settings, with_images: bool = True) -> FileAnalysis:
    """Worker entry point: one file → its read pages, through the cache when there is one."""
    cache = cache_io.AnalysisCache(settings.cache_dir) if settings.cache_dir else None
    key = cache_io.cache_key(file.sha256, *_settings_key(settings))
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
        return FileAnalysis(
            file=file,
            pages=(),
            mrz=(),
            problem=FileProblem(file.relpath, "internal", f"Erreur interne en lisant ce fichier : {exc}"),
            kind="unknown",
            from_cache=False,
            seconds=0.0,
        )
    if cache is not None and (analysis.problem is None or analysis.problem.code != "timeout"):
        cache.put(key, _to_cache(analysis))
    return analysis


# ---------------------------------------------------------------- process pool


def _worker_init() -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"


class FileRunner:
    """Runs ``analyse_file`` over files in worker processes with a per-file timeout.

    A file that exceeds its time gets a 'timeout' problem; the pool is then rebuilt so that a stuck worker
    cannot hold the rest of the batch.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._pool: cf.ProcessPoolExecutor | None = None

    def _ensure(self) -> cf.ProcessPoolExecutor:
        if self._pool is None:
            ctx = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
            self._pool = cf.ProcessPoolExecutor(
                max_workers=self.settings.workers, mp_context=ctx, initializer=_worker_init
            )
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _kill(self) -> None:
        if self._pool is None:
            return
        for proc in list(getattr(self._pool, "_processes", {}).values()):
            proc.kill()
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = None

    def run(self, files: Sequence[InputFile], with_images: bool = True) -> list[FileAnalysis]:
        if self.settings.workers <= 1 or len(files) <= 1:
            return [analyse_file(f, self.settings, with_images) for f in files]
        pool = self._ensure()
        futures = {f.relpath: pool.submit(analyse_file, f, self.settings, with_images) for f in files}
        results: list[FileAnalysis] = []
        deadline_each = self.settings.file_timeout_s
        for file in files:
            try:
                results.append(futures[file.relpath].result(timeout=deadline_each))
            except cf.TimeoutError:
                results.append(_timeout_analysis(file, deadline_each))
                self._kill()
                # files not finished yet are redone in a fresh pool, sequentially-bounded by their own timeouts
                pool = self._ensure()
                for other in files:
                    if (
                        other.relpath not in {r.file.relpath for r in results}
                        and not futures[other.relpath].done()
                    ):
                        futures[other.relpath] = pool.submit(analyse_file, other, self.settings, with_images)
            except Exception as exc:  # noqa: BLE001 - a crashed worker is one file's problem
                results.append(
                    FileAnalysis(
                        file=file,
                        pages=(),
                        mrz=(),
                        problem=FileProblem(
                            file.relpath, "internal", f"Erreur interne en lisant ce fichier : {exc}"
                        ),
                        kind="unknown",
                        from_cache=False,
                        seconds=0.0,
                    )
                )
                self._kill()
                pool = self._ensure()
        return results


def _timeout_analysis(file: InputFile, seconds: float) -> FileAnalysis:
    return FileAnalysis(
        file=file,
        pages=(),
        mrz=(),
        problem=FileProblem(
            file.relpath,
            "timeout",
            f"Lecture interrompue après {seconds:.0f} s : fichier trop lourd ou illisible.",
        ),
        kind="unknown",
        from_cache=False,
        seconds=seconds,
    )


# ---------------------------------------------------------------- documents (main process)


def _twoddocs(pages: Sequence[Page]) -> list[TwoDDoc]:
    found: list[TwoDDoc] = []
    for page in pages:
        for code in page.barcodes:
            parsed = parse_2ddoc(code.text)
            if parsed is not None:
                found.append(parsed)
    return found


def build_documents(
    analysis: FileAnalysis, doctypes: DocTypes, settings: Settings
) -> tuple[list[Document], list[FileProblem]]:
    """Group a file's pages into documents, classify each and extract its fields."""
    problems = [analysis.problem] if analysis.problem is not None else []
    good = [p for p in analysis.pages if p.error is None]
    for page in analysis.pages:
        if page.error is not None:
            problems.append(FileProblem(page.file, "page_error", f"Page {page.number} : {page.error}"))
    mrz_by_page = {p.number: m for p, m in zip(analysis.pages, analysis.mrz, strict=True)}
    documents: list[Document] = []
    for group in segment_documents(good, doctypes) if good else []:
        mrz = next((mrz_by_page[p.number] for p in group if mrz_by_page.get(p.number) is not None), None)
        twoddocs = _twoddocs(group)
        classification = classify_document(group, doctypes, mrz=mrz, barcodes=twoddocs)
        labels = doctypes.labels_for(classification.type, classification.subtype)
        twoddoc = twoddocs[0] if twoddocs else None
        fields = extract_fields(
            group,
            classification,
            labels,
            reference_date=settings.reference_date,
            mrz=mrz,
            twoddoc=twoddoc,
            twoddoc_holder=holder_from_2ddoc(twoddoc) if twoddoc is not None else None,
        )
        documents.append(_finish_document(group, classification, fields))
    return documents, problems


_HANDWRITTEN_TYPES = {"host_attestation", "assr"}


def _finish_document(group: Sequence[Page], classification: Classification, fields: Fields) -> Document:
    """Set the status: 'review' when the type or the fields that matter could not be read with confidence."""
    quality = tuple(dict.fromkeys(problem for page in group for problem in page.quality.problems))
    handwriting = max((detect_handwriting(p.image) for p in group), default=0.0)
    if handwriting >= 0.5 and not fields.handwritten:
        fields = replace(fields, handwritten=True)
    status: str = "ok"
    error: str | None = None
    if classification.type == "unknown":
        status = "review" if not group or sum(len(p.text.words) for p in group) < 5 else "ok"
        if status == "review":
            error = "Page sans texte lisible : vérifiez ce document à l'œil."
    elif classification.confidence < 0.5:
        status = "review"
        error = "Type de document incertain : vérifiez-le à l'œil."
    elif classification.type in _HANDWRITTEN_TYPES and fields.handwritten and fields.issue_date is None:
        status = "review"
        error = "Document manuscrit peu lisible : vérifiez les noms, la date et les signatures à l'œil."
    return Document(
        file=group[0].file,
        pages=tuple(p.number for p in group),
        classification=classification,
        fields=fields,
        status=status,  # type: ignore[arg-type]
        error=error,
        quality_problems=quality,
    )


# ---------------------------------------------------------------- dossiers


@dataclass
class Engine:
    """Loaded once per run: document types, rules, the worker pool."""

    settings: Settings
    doctypes: DocTypes
    rules: Rules
    runner: FileRunner

    @classmethod
    def create(cls, settings: Settings) -> Engine:
        return cls(
            settings=settings, doctypes=load_doctypes(), rules=load_rules(), runner=FileRunner(settings)
        )

    def close(self) -> None:
        self.runner.close()


def check_dossier_input(
    dossier: DossierInput, engine: Engine, on_file: Callable[[str], None] | None = None
) -> DossierReport:
    """Run every stage on one discovered dossier."""
    start = time.perf_counter()
    settings = engine.settings
    analyses = engine.runner.run(dossier.files)
    read_s = time.perf_counter() - start
    documents: list[Document] = []
    problems: list[FileProblem] = list(dossier.problems)
    pages: list[Page] = []
    for analysis in analyses:
        if on_file is not None:
            on_file(analysis.file.relpath)
        docs, probs = build_documents(analysis, engine.doctypes, settings)
        documents.extend(docs)
        problems.extend(probs)
        pages.extend(analysis.pages)
    judgement = judge_dossier(
        documents, reference_date=settings.reference_date, stated=dossier.stated_identity, rules=engine.rules
    )
    total = time.perf_counter() - start
    return DossierReport(
        dossier=dossier.name,
        root=dossier.root,
        reference_date=settings.reference_date,
        judgement=judgement,
        documents=tuple(documents),
        problems=tuple(problems),
        pages=tuple(pages),
        timings={
            "read_s": round(read_s, 3),
            "total_s": round(total, 3),
            "pages": float(len(pages)),
            "cached_files": float(sum(a.from_cache for a in analyses)),
        },
    )


def iter_reports(path: Path, engine: Engine, workdir: Path) -> Iterator[DossierReport]:
    """Discover the dossier(s) under ``path`` and yield one report each, as soon as it is ready."""
    for dossier in discover_dossiers(path, engine.settings, workdir):
        yield check_dossier_input(dossier, engine)
