#!/usr/bin/env python3
"""Generate synthetic ANTS dossiers with their ground truth (preverif's evaluation corpus and fixtures).

    python3 scripts/make_samples.py --seed 1000 --count 60 --out corpus/seed1000 [--check-coverage] [--jobs 2]
    python3 scripts/make_samples.py --fixture --out samples

Layout: OUT/dossiers/<id>/… (documents only) and OUT/truth/<id>.json. Same seed → byte-identical output,
whatever ``--jobs``: each dossier's draws derive only from the seed and its index.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from samplegen import dossiers

# the fixture set committed under samples/: (main scenario, broken file kind)
FIXTURES: tuple[tuple[str, str | None], ...] = (
    ("over25", None),
    ("own_proof_stale", None),
    ("host_chain", None),
    ("minor", None),
    ("own_proof_recent", "truncated"),
)
FIXTURE_SEED = 2026

REQUIRED: dict[str, tuple[str, ...]] = {
    "scenarios": (*dossiers.MAIN_SCENARIOS, "broken_files", "junk_files", "duplicate_file", "nested_folders"),
    "types": (
        "identity/cni",
        "identity/cni_2021",
        "identity/passport",
        "identity/residence_permit",
        "identity/driving_licence",
        "identity/foreign_id",
        *(f"proof_of_address/{s}" for s in dossiers.BILL_SUBTYPES),
        "proof_of_address/rent_receipt",
        "proof_of_address/tax_notice",
        "proof_of_address/home_insurance",
        "proof_of_address/property_tax",
        "proof_of_address/other",
        "host_attestation/-",
        "jdc/certificate",
        "jdc/exemption",
        "jdc/administrative_situation",
        "jdc/provisional",
        "assr/assr2",
        "assr/asr",
        "assr/honour_statement",
        "photo/ephoto",
        "photo/portrait",
        "unknown/payslip",
        "unknown/bank_statement",
        "unknown/receipt",
    ),
    "captures": dossiers.CAPTURES,
    "formats": dossiers.FORMATS,
    "rotations": tuple(str(r) for r in dossiers.ROTATIONS),
    "exif_orientations": ("3", "6", "8"),
    "defects": (
        "skew",
        "tint",
        "noise",
        "blur",
        "jpeg_artifacts",
        "edge_shadow",
        "background",
        "perspective",
        "shadow",
        "low_contrast",
        "lowres",
        "binarised",
        "streaks",
    ),
    "broken": ("truncated", "empty", "corrupt", "encrypted", "not_a_document", "notes.txt"),
    "skipped": dossiers.JUNK_NAMES,
    "verdicts": ("complete", "incomplete", "needs_review"),
}


def count_coverage(truths: list[dict[str, Any]]) -> dict[str, Counter[str]]:
    """How many times each scenario, type/subtype, capture, format, rotation, defect… occurs."""
    table: dict[str, Counter[str]] = {key: Counter() for key in REQUIRED}
    for truth in truths:
        table["scenarios"].update(truth["scenarios"])
        table["verdicts"][truth["expected_verdict"]] += 1
        table["skipped"].update(truth.get("skipped_files", []))
        for entry in truth["files"]:
            if entry["broken"]:
                table["broken"]["notes.txt" if entry["format"] == "txt" else entry["broken"]] += 1
                continue
            table["captures"][entry["capture"]] += 1
            table["formats"][entry["format"]] += 1
            table["rotations"][str(entry["rotation"])] += 1
            if entry.get("exif_orientation") is not None:
                table["exif_orientations"][str(entry["exif_orientation"])] += 1
            table["defects"].update(entry["defects"])
            for doc in entry["documents"]:
                table["types"][f"{doc['type']}/{doc['subtype'] or '-'}"] += 1
    return table


def missing_items(table: dict[str, Counter[str]]) -> list[str]:
    """Every required item that never occurred, as 'group:item'."""
    return [
        f"{group}:{item}" for group, items in REQUIRED.items() for item in items if table[group][item] == 0
    ]


def print_table(table: dict[str, Counter[str]]) -> None:
    for group, counter in table.items():
        print(f"\n{group}")
        names = sorted(set(REQUIRED[group]) | set(counter))
        for name in names:
            flag = "" if counter[name] else "   <-- MANQUANT"
            print(f"  {name:<40} {counter[name]:>4}{flag}")


@dataclass(frozen=True)
class Task:
    """One dossier to plan and write; everything a worker process needs (picklable)."""

    index: int
    seed: int
    reference: date
    out: Path
    settings: dossiers.CaptureSettings
    main: str | None = None
    broken: str | None = None
    variations: bool = True
    min_documents: int = 0


def build_dossier(task: Task, render: dossiers.Renderer | None = None) -> tuple[dict[str, Any], float]:
    """Plan and write one dossier; return its truth and the seconds it took."""
    if render is None:
        from samplegen.documents import render_document

        render = render_document
    t0 = time.perf_counter()
    plan = dossiers.plan_dossier(
        task.index,
        task.seed,
        task.reference,
        main=task.main,
        broken=task.broken,
        variations=task.variations,
        min_documents=task.min_documents,
    )
    truth = dossiers.write_dossier(plan, task.out, render, task.settings)
    return truth, time.perf_counter() - t0


def run_tasks(tasks: list[Task], jobs: int) -> Iterator[tuple[dict[str, Any], float]]:
    """Build the dossiers in order, in ``jobs`` worker processes (1: in this process)."""
    if jobs <= 1 or len(tasks) <= 1:
        yield from (build_dossier(task) for task in tasks)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(build_dossier, tasks)


def generate(args: argparse.Namespace) -> list[dict[str, Any]]:
    reference = date.fromisoformat(args.reference_date)
    out = Path(args.out)
    truths: list[dict[str, Any]] = []
    started = time.perf_counter()
    if args.fixture:
        settings = dossiers.CaptureSettings(
            scan_dpi=150,
            photo_dpi=150,
            lowres_dpi=150,
            fax_dpi=200,
            jpeg_quality=(72, 80),
            photo_long_side=(1200, 1400),
            png_dpi=100,
            bmp_dpi=90,
        )
        tasks = [
            Task(i, FIXTURE_SEED, reference, out, settings, main=main, broken=broken, variations=False)
            for i, (main, broken) in enumerate(FIXTURES)
        ]
    else:
        settings = dossiers.CaptureSettings()
        tasks = [
            Task(i, args.seed, reference, out, settings, min_documents=args.min_documents)
            for i in range(args.start, args.start + args.count)
        ]
    for truth, seconds in run_tasks(tasks, args.jobs):
        truths.append(truth)
        if not args.quiet:
            print(
                f"{truth['dossier']}  {truth['expected_verdict']:<13} {len(truth['files'])} fichiers  "
                f"{seconds:5.2f} s  {', '.join(truth['scenarios'][:4])}"
            )
    if not args.quiet:
        print(f"\n{len(truths)} dossiers en {time.perf_counter() - started:.1f} s → {out}")
    return truths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Génère des dossiers ANTS synthétiques avec leur vérité terrain."
    )
    parser.add_argument("--seed", type=int, default=1000)
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--start", type=int, default=0, help="index of the first dossier (d<start>)")
    parser.add_argument("--out", default="corpus/seed1000")
    parser.add_argument("--reference-date", default="2026-11-27")
    parser.add_argument("--fixture", action="store_true", help="the small committed set (samples/)")
    parser.add_argument(
        "--check-coverage", action="store_true", help="exit 1 if a required item never occurs"
    )
    parser.add_argument(
        "--min-documents",
        type=int,
        default=0,
        help="complète chaque dossier de documents parasites jusqu'à ce nombre (banc d'essai : ~8 pages)",
    )
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument(
        "--jobs", type=int, default=1, help="processus en parallèle (même sortie quel que soit le nombre)"
    )
    args = parser.parse_args(argv)
    try:
        date.fromisoformat(args.reference_date)
    except ValueError:
        print(f"date de référence invalide : {args.reference_date!r} (attendu AAAA-MM-JJ)", file=sys.stderr)
        return 2
    if args.count < 1:
        print("--count doit être au moins 1", file=sys.stderr)
        return 2
    if args.jobs < 1:
        print("--jobs doit être au moins 1", file=sys.stderr)
        return 2
    truths = generate(args)
    table = count_coverage(truths)
    if not args.quiet:
        print_table(table)
    missing = [] if args.fixture else missing_items(table)
    if missing:
        print(f"\ncouverture incomplète ({len(missing)}) : {', '.join(missing)}", file=sys.stderr)
        if args.check_coverage:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
