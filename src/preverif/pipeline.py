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

import cv2

from preverif.barcodes.twoddoc import holder_from_2ddoc, parse_2ddoc
from preverif.classify.doctypes import DocTypes, load_doctypes
from preverif.classify.scorer import classify_document
from preverif.classify.segment import segment_documents
from preverif.classify.visual import page_cue
from preverif.extract.fields import extract_fields
from preverif.ingest.discover import discover_dossiers
from preverif.ocr.tesseract import configure, preload_models
from preverif.reading import (
    FileAnalysis,
    analyse_file,
    analyse_pages,
    count_pages,
    is_cached,
    limit_malloc_arenas,
    merge_parts,
)
from preverif.records import (
    Classification,
    Document,
    DossierInput,
    DossierReport,
    Fields,
    FileProblem,
    InputFile,
    Page,
    TwoDDoc,
)
from preverif.rules.engine import Rules, judge_dossier, load_rules
from preverif.settings import Settings


def _worker_init() -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"
    limit_malloc_arenas()
    # Leptonica, inside libtesseract, prints harmless C-level warnings ('Error in boxClipToRectangle') on
    # stderr; a worker reports through its results, never its stderr, so the user's terminal stays clean.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def _shared_models(settings: Settings) -> tuple[tuple[str, str], ...]:
    """The Tesseract models every worker loads: the page's languages, English alone (orientation, e-photo
    code), OSD, and English without dictionaries (the MRZ band reader's, extract/mrz.py)."""
    return (
        (settings.languages, ""),
        ("eng", ""),
        ("osd", ""),
        ("eng", "-c load_system_dawg=0 -c load_freq_dawg=0"),
    )


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
            # one worker per core already: OpenCV's own thread pool would only oversubscribe the cores, and
            # each of its threads gets a malloc arena whose freed pages malloc_trim does not return. Set
            # here, before the fork: a forked child that resizes the pool it inherited waits on it forever
            cv2.setNumThreads(1)
            fork = os.name == "posix"
            if fork and configure(self.settings.tesseract_cmd) == "tesserocr":
                preload_models(_shared_models(self.settings))
            ctx = multiprocessing.get_context("fork" if fork else "spawn")
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

    def _plan(self, file: InputFile) -> list[tuple[int, ...] | None]:
        """A file's tasks: the whole file, or (an uncached file with several pages to OCR) one slice of its
        pages per worker, so that a single 8-page scan uses every core."""
        workers = self.settings.workers
        if workers <= 1 or is_cached(file, self.settings):
            return [None]
        total, scanned = count_pages(file)
        if scanned < 2 or total > self.settings.max_pages_per_file:
            return [None]
        parts = min(workers, scanned)
        numbers = list(range(1, total + 1))
        return [tuple(numbers[i::parts]) for i in range(parts)]

    def _submit(
        self,
        pool: cf.ProcessPoolExecutor,
        file: InputFile,
        numbers: tuple[int, ...] | None,
        with_images: bool,
    ) -> cf.Future[FileAnalysis]:
        if numbers is None:
            return pool.submit(analyse_file, file, self.settings, with_images)
        return pool.submit(analyse_pages, file, self.settings, numbers, with_images)

    def run(self, files: Sequence[InputFile], with_images: bool = True) -> list[FileAnalysis]:
        if self.settings.workers <= 1 or not files:
            return [analyse_file(f, self.settings, with_images) for f in files]
        plans = {f.relpath: self._plan(f) for f in files}
        if len(files) == 1 and plans[files[0].relpath] == [None]:
            return [analyse_file(files[0], self.settings, with_images)]
        pool = self._ensure()
        tasks = [(f, numbers) for f in files for numbers in plans[f.relpath]]
        # the longest tasks first (the most pages, then the biggest files): the last core idles less
        order = sorted(
            range(len(tasks)),
            key=lambda i: (-(len(tasks[i][1] or ()) or 1), -tasks[i][0].size),
        )
        futures: dict[int, cf.Future[FileAnalysis]] = {}
        for i in order:
            futures[i] = self._submit(pool, tasks[i][0], tasks[i][1], with_images)
        done: dict[int, FileAnalysis] = {}
        deadline_each = self.settings.file_timeout_s
        for i in order:
            file = tasks[i][0]
            try:
                done[i] = futures[i].result(timeout=deadline_each)
            except cf.TimeoutError:
                done[i] = _timeout_analysis(file, deadline_each)
                self._kill()
                # tasks not finished yet are redone in a fresh pool, bounded by their own timeouts
                pool = self._ensure()
                for j in order:
                    if j not in done and not futures[j].done():
                        futures[j] = self._submit(pool, tasks[j][0], tasks[j][1], with_images)
            except Exception as exc:  # noqa: BLE001 - a crashed worker is one file's problem
                done[i] = FileAnalysis(
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
                self._kill()
                pool = self._ensure()
                for j in order:
                    if j not in done and not futures[j].done():
                        futures[j] = self._submit(pool, tasks[j][0], tasks[j][1], with_images)
        results: list[FileAnalysis] = []
        for file in files:
            mine = [i for i in range(len(tasks)) if tasks[i][0] is file]
            if plans[file.relpath] == [None]:
                results.append(done[mine[0]])
            else:
                results.append(merge_parts(file, [done[i] for i in mine], self.settings))
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
    handwriting = max((page_cue(p, "handwriting") for p in group), default=0.0)
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


def iter_reports(
    path: Path, engine: Engine, workdir: Path, *, single: bool = False
) -> Iterator[DossierReport]:
    """Discover the dossier(s) under ``path`` (exactly one when ``single``) and yield one report each, as soon
    as it is ready."""
    for dossier in discover_dossiers(path, engine.settings, workdir, single=single):
        yield check_dossier_input(dossier, engine)
