#!/usr/bin/env python3
"""Speed and memory benchmark of preverif on a fixed generated corpus, against a naive baseline.

    python3 scripts/bench.py [--corpus corpus/bench8] [--seed 4242] [--count 20] [--min-documents 8]
                             [--baseline-pages 8] [--skip-baseline] [--skip-warm]

1. Builds the corpus with scripts/make_samples.py if it is not there (fixed seed: the same every time;
   every dossier padded to at least 8 documents with everyday distractors: 168 pages for 20 dossiers of
   8–9 pages, as a full dossier with an ID recto-verso and a host's papers would have).
2. preverif, cold: a fresh empty cache, every dossier checked → pages/s, seconds per dossier (median, worst,
   and the median of the dossiers of 7–9 pages), CPU seconds (main process + workers, robust to other jobs
   sharing the cores), peak memory of the main process plus its workers (PSS, so pages shared with forked
   workers count once; the summed RSS is printed too), sampled every 50 ms.
3. preverif, warm: the same dossiers again on the now-filled cache (the watch folder's everyday case).
4. Naive baseline in the same invocation: every page rasterised at 300 dpi and passed to the `tesseract`
   command with default settings (its OpenMP threads left on), one page after another. It is slow, so it runs
   on the first ``--baseline-pages`` pages only and its pages/s is reported as measured on those.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process. PSS shares each page among the processes mapping it, so the sum over a
    process tree is its real footprint; RSS counts pages shared with forked workers once per process."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            text = (task / "children").read_text().split()
            out.extend(int(t) for t in text)
    except OSError:
        pass
    return out


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (from /proc/PID/stat), 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class PeakMemory:
    """Samples the memory of this process and all its descendants every 50 ms; keeps the peaks of their sums.

    The tree is this process plus its children, found recursively through /proc/PID/task/*/children.
    For each sample the RSS and the PSS of every process in the tree are read from /proc/PID/smaps_rollup
    and summed; the peak of those sums is kept. PSS divides each shared page by the number of processes that
    map it, so the summed PSS is the tree's real footprint (forked workers share the parent's imports);
    summed RSS counts shared pages once per process and overstates it. At the PSS peak the split between
    this (main) process and its workers is kept too, and every process's CPU time is followed.
    """

    def __init__(self) -> None:
        self.peak_kb = 0  # RSS summed (overcounts shared pages)
        self.peak_pss_kb = 0  # PSS summed (the tree's real footprint)
        self.main_pss_at_peak_kb = 0  # this process's share of the peak
        self.main_peak_pss_kb = 0  # this process's own peak
        self.worker_peak_pss_kb = 0  # the largest single worker seen
        self._cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    @property
    def worker_cpu_s(self) -> float:
        """CPU seconds used by the descendants seen while sampling (to their last sample)."""
        return sum(v for pid, v in self._cpu.items() if pid != os.getpid())

    def _loop(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            pids, todo = [], [me]
            while todo:
                pid = todo.pop()
                pids.append(pid)
                todo.extend(_children(pid))
            samples = {p: _memory_kb(p) for p in pids}
            pss = sum(p for _, p in samples.values())
            self.peak_kb = max(self.peak_kb, sum(r for r, _ in samples.values()))
            if pss > self.peak_pss_kb:
                self.peak_pss_kb = pss
                self.main_pss_at_peak_kb = samples[me][1]
            self.main_peak_pss_kb = max(self.main_peak_pss_kb, samples[me][1])
            self.worker_peak_pss_kb = max(
                [self.worker_peak_pss_kb] + [p for pid, (_, p) in samples.items() if pid != me]
            )
            for pid in pids:
                if pid != me:
                    self._cpu[pid] = max(self._cpu.get(pid, 0.0), _cpu_seconds(pid))
            time.sleep(0.05)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


EIGHT_PAGES = range(7, 10)  # "a dossier of about 8 pages": 7, 8 or 9


def run_preverif(corpus: Path, cache_dir: Path, workers: int) -> dict[str, Any]:
    import json

    from preverif.ingest.discover import discover_dossiers
    from preverif.pipeline import Engine, check_dossier_input
    from preverif.settings import Settings

    truths = sorted((corpus / "truth").glob("*.json"))
    base = Settings(cache_dir=cache_dir, workers=workers)
    engine = Engine.create(base)
    per_dossier: list[tuple[int, float]] = []  # (pages, seconds)
    pages = 0
    with PeakMemory() as mem:
        start = time.perf_counter()
        main_cpu = time.thread_time()  # this thread only: the memory sampler's own CPU is left out
        try:
            for truth_path in truths:
                truth = json.loads(truth_path.read_text(encoding="utf-8"))
                engine.settings = replace(base, reference_date=date.fromisoformat(truth["reference_date"]))
                engine.runner.settings = engine.settings
                t0 = time.perf_counter()
                dossier_pages = 0
                with tempfile.TemporaryDirectory() as tmp:
                    for dossier in discover_dossiers(
                        corpus / "dossiers" / truth["dossier"], engine.settings, Path(tmp), single=True
                    ):
                        report = check_dossier_input(dossier, engine)
                        dossier_pages += len(report.pages)
                        del report  # a batch streams its reports: none is kept once written
                pages += dossier_pages
                per_dossier.append((dossier_pages, time.perf_counter() - t0))
            main_cpu = time.thread_time() - main_cpu
            time.sleep(0.1)  # one more sample of the workers' CPU before they exit
        finally:
            engine.close()
        total = time.perf_counter() - start
    seconds = [s for _, s in per_dossier]
    eight = [s for n, s in per_dossier if n in EIGHT_PAGES]
    cpu = main_cpu + mem.worker_cpu_s
    return {
        "dossiers": len(per_dossier),
        "pages": pages,
        "seconds": total,
        "pages_per_s": pages / total if total else 0.0,
        "median_dossier_s": statistics.median(seconds) if seconds else 0.0,
        "worst_dossier_s": max(seconds, default=0.0),
        "median_pages": statistics.median(n for n, _ in per_dossier) if per_dossier else 0,
        "eight_count": len(eight),
        "median_eight_s": statistics.median(eight) if eight else 0.0,
        "worst_eight_s": max(eight, default=0.0),
        "per_dossier": per_dossier,
        "cpu_s": cpu,
        "main_cpu_s": main_cpu,
        "cpu_per_page_s": cpu / pages if pages else 0.0,
        "peak_rss_mb": mem.peak_kb / 1024,
        "peak_pss_mb": mem.peak_pss_kb / 1024,
        "main_pss_at_peak_mb": mem.main_pss_at_peak_kb / 1024,
        "main_peak_pss_mb": mem.main_peak_pss_kb / 1024,
        "worker_peak_pss_mb": mem.worker_peak_pss_kb / 1024,
    }


def _pages_for_baseline(corpus: Path, limit: int) -> list[tuple[str, object]]:
    """The first pages of the corpus as 300-dpi images (the naive way: every page rasterised)."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageSequence

    try:
        import pillow_heif

        pillow_heif.register_heif_opener()
    except ImportError:
        pass
    pages: list[tuple[str, object]] = []
    for path in sorted((corpus / "dossiers").rglob("*")):
        if len(pages) >= limit or not path.is_file():
            continue
        try:
            if path.read_bytes()[:5] == b"%PDF-":
                pdf = pdfium.PdfDocument(str(path))
                for i in range(len(pdf)):
                    pages.append((f"{path.name}#{i + 1}", pdf[i].render(scale=300 / 72).to_pil()))
            else:
                with Image.open(path) as im:
                    for frame in ImageSequence.Iterator(im):
                        pages.append((path.name, frame.convert("RGB")))
        except Exception:  # noqa: BLE001 - the naive baseline skips what it cannot open
            continue
    return pages[:limit]


def run_baseline(corpus: Path, limit: int) -> dict[str, Any]:
    pages = _pages_for_baseline(corpus, limit)
    env = {k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"}
    with PeakMemory() as mem:
        start = time.perf_counter()
        for _, image in pages:
            buf = io.BytesIO()
            image.save(buf, format="PNG")  # type: ignore[attr-defined]
            subprocess.run(
                ["tesseract", "stdin", "stdout", "-l", "fra"],
                input=buf.getvalue(),
                capture_output=True,
                env=env,
                check=False,
            )
        total = time.perf_counter() - start
    return {
        "pages": len(pages),
        "seconds": total,
        "pages_per_s": len(pages) / total if total else 0.0,
        "peak_rss_mb": mem.peak_kb / 1024,
        "peak_pss_mb": mem.peak_pss_kb / 1024,
    }


def _histogram(per_dossier: list[tuple[int, float]]) -> str:
    """Seconds per dossier grouped by its number of pages: 'pages: median s (count)'."""
    by_pages: dict[int, list[float]] = {}
    for n, seconds in per_dossier:
        by_pages.setdefault(n, []).append(seconds)
    return ", ".join(f"{n} p: {statistics.median(v):.2f} s ({len(v)})" for n, v in sorted(by_pages.items()))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus" / "bench8")
    parser.add_argument("--seed", type=int, default=4242)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument(
        "--min-documents",
        type=int,
        default=8,
        help="documents per generated dossier at least (8: dossiers of 8–9 pages, 168 pages for 20)",
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--baseline-pages", type=int, default=8)
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--skip-warm", action="store_true")
    args = parser.parse_args()
    if not (args.corpus / "truth").exists():
        print(
            f"building the corpus in {args.corpus} (seed {args.seed}, {args.count} dossiers, "
            f"at least {args.min_documents} documents each)…",
            file=sys.stderr,
        )
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "scripts" / "make_samples.py"),
                "--seed",
                str(args.seed),
                "--count",
                str(args.count),
                "--min-documents",
                str(args.min_documents),
                "--out",
                str(args.corpus),
                "--quiet",
            ],
            check=True,
        )
    with tempfile.TemporaryDirectory(prefix="preverif-bench-cache-") as cache:
        cold = run_preverif(args.corpus, Path(cache), args.workers)
        warm = None if args.skip_warm else run_preverif(args.corpus, Path(cache), args.workers)
    from preverif.ocr.tesseract import configure

    print(f"machine: {os.cpu_count()} cores; workers: {args.workers}; OCR engine: {configure('tesseract')}")
    print(f"corpus: {args.corpus}")
    print(
        f"preverif cold : {cold['pages']} pages, {cold['dossiers']} dossiers (median {cold['median_pages']} "
        f"pages) in {cold['seconds']:.1f} s → {cold['pages_per_s']:.2f} pages/s; dossier median "
        f"{cold['median_dossier_s']:.2f} s, worst {cold['worst_dossier_s']:.2f} s"
    )
    print(
        f"  dossiers of 7–9 pages ({cold['eight_count']}): median {cold['median_eight_s']:.2f} s, "
        f"worst {cold['worst_eight_s']:.2f} s"
    )
    print(f"  seconds per dossier by pages: {_histogram(cold['per_dossier'])}")
    print(
        f"  CPU: {cold['cpu_s']:.1f} s in all ({cold['cpu_per_page_s']:.2f} s per page; main process "
        f"{cold['main_cpu_s']:.1f} s)"
    )
    print(
        f"  peak memory {cold['peak_pss_mb']:.0f} MB PSS summed over the process tree (main process "
        f"{cold['main_pss_at_peak_mb']:.0f} MB of it; largest worker {cold['worker_peak_pss_mb']:.0f} MB; "
        f"{cold['peak_rss_mb']:.0f} MB summed RSS)"
    )
    if warm is not None:
        print(
            f"preverif warm : {warm['seconds']:.2f} s → dossier median {warm['median_dossier_s']:.3f} s, "
            f"worst {warm['worst_dossier_s']:.3f} s; peak memory {warm['peak_pss_mb']:.0f} MB PSS"
        )
    if not args.skip_baseline:
        base = run_baseline(args.corpus, args.baseline_pages)
        print(
            f"naive baseline: {base['pages']} pages in {base['seconds']:.1f} s → {base['pages_per_s']:.3f} pages/s "
            f"(tesseract CLI, 300 dpi, default threads); peak memory {base['peak_pss_mb']:.0f} MB PSS"
        )
        if base["pages_per_s"]:
            print(f"speed-up: {cold['pages_per_s'] / base['pages_per_s']:.1f}× the baseline's pages/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
