#!/usr/bin/env python3
"""Speed and memory benchmark of preverif on a fixed generated corpus, against a naive baseline.

    python3 scripts/bench.py [--corpus corpus/bench] [--seed 4242] [--count 20] [--baseline-pages 8]

1. Builds the corpus with scripts/make_samples.py if it is not there (fixed seed: the same every time).
2. preverif, cold: a fresh empty cache, every dossier checked → pages/s, seconds per dossier (median, worst),
   peak memory of the main process plus its workers (PSS, so pages shared with forked workers count once;
   the summed RSS is printed too), sampled every 50 ms.
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


class PeakMemory:
    """Samples the memory of this process and all its descendants; keeps the peaks of their sums."""

    def __init__(self) -> None:
        self.peak_kb = 0  # RSS summed (overcounts shared pages)
        self.peak_pss_kb = 0  # PSS summed (the tree's real footprint)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            pids, todo = [], [os.getpid()]
            while todo:
                pid = todo.pop()
                pids.append(pid)
                todo.extend(_children(pid))
            samples = [_memory_kb(p) for p in pids]
            self.peak_kb = max(self.peak_kb, sum(r for r, _ in samples))
            self.peak_pss_kb = max(self.peak_pss_kb, sum(p for _, p in samples))
            time.sleep(0.05)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run_preverif(corpus: Path, cache_dir: Path, workers: int) -> dict[str, float]:
    import json

    from preverif.ingest.discover import discover_dossiers
    from preverif.pipeline import Engine, check_dossier_input
    from preverif.settings import Settings

    truths = sorted((corpus / "truth").glob("*.json"))
    base = Settings(cache_dir=cache_dir, workers=workers)
    engine = Engine.create(base)
    per_dossier: list[float] = []
    pages = 0
    with PeakMemory() as mem:
        start = time.perf_counter()
        try:
            for truth_path in truths:
                truth = json.loads(truth_path.read_text(encoding="utf-8"))
                engine.settings = replace(base, reference_date=date.fromisoformat(truth["reference_date"]))
                engine.runner.settings = engine.settings
                t0 = time.perf_counter()
                with tempfile.TemporaryDirectory() as tmp:
                    for dossier in discover_dossiers(
                        corpus / "dossiers" / truth["dossier"], engine.settings, Path(tmp)
                    ):
                        report = check_dossier_input(dossier, engine)
                        pages += len(report.pages)
                per_dossier.append(time.perf_counter() - t0)
        finally:
            engine.close()
        total = time.perf_counter() - start
    return {
        "dossiers": len(per_dossier),
        "pages": pages,
        "seconds": total,
        "pages_per_s": pages / total if total else 0.0,
        "median_dossier_s": statistics.median(per_dossier) if per_dossier else 0.0,
        "worst_dossier_s": max(per_dossier, default=0.0),
        "peak_rss_mb": mem.peak_kb / 1024,
        "peak_pss_mb": mem.peak_pss_kb / 1024,
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


def run_baseline(corpus: Path, limit: int) -> dict[str, float]:
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


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus" / "bench")
    parser.add_argument("--seed", type=int, default=4242)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--baseline-pages", type=int, default=8)
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args()
    if not (args.corpus / "truth").exists():
        print(
            f"building the corpus in {args.corpus} (seed {args.seed}, {args.count} dossiers)…",
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
                "--out",
                str(args.corpus),
            ],
            check=True,
        )
    with tempfile.TemporaryDirectory(prefix="preverif-bench-cache-") as cache:
        cold = run_preverif(args.corpus, Path(cache), args.workers)
        warm = run_preverif(args.corpus, Path(cache), args.workers)
    from preverif.ocr.tesseract import configure

    print(f"machine: {os.cpu_count()} cores; workers: {args.workers}; OCR engine: {configure('tesseract')}")
    print(
        f"preverif cold : {cold['pages']} pages, {cold['dossiers']} dossiers in {cold['seconds']:.1f} s → "
        f"{cold['pages_per_s']:.2f} pages/s; dossier median {cold['median_dossier_s']:.2f} s, worst "
        f"{cold['worst_dossier_s']:.2f} s; peak memory {cold['peak_pss_mb']:.0f} MB PSS "
        f"({cold['peak_rss_mb']:.0f} MB summed RSS)"
    )
    print(
        f"preverif warm : {warm['seconds']:.2f} s → dossier median {warm['median_dossier_s']:.3f} s, worst "
        f"{warm['worst_dossier_s']:.3f} s; peak memory {warm['peak_pss_mb']:.0f} MB PSS"
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
