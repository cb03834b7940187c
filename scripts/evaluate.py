#!/usr/bin/env python3
"""Score preverif on a generated corpus with ground truth (scripts/make_samples.py).

    python3 scripts/evaluate.py OUT [--json results.json] [--compare previous.json] [--limit N] [--no-cache]

Prints type and subtype precision/recall per class, a confusion matrix, holder-name, issue-date, expiry and
birth-date accuracy, proof-of-address field accuracy, check and verdict accuracy, orientation accuracy per
capture kind, broken-file handling, crashes and seconds per page, plus the corpus coverage (scenarios, types,
captures, formats, defects). ``--compare`` shows what improved or regressed, file by file.

The comparisons here are deliberately independent of preverif's own matching code (a stricter normalised
comparison), so that a lenient matcher cannot inflate the figures.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import traceback
import unicodedata
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from preverif.ingest.discover import discover_dossiers
from preverif.pipeline import Engine, check_dossier_input
from preverif.records import Document, DossierReport, PersonName
from preverif.settings import Settings

# ---------------------------------------------------------------- normalisation (independent of preverif)


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^A-Z0-9]+", " ", text.upper()).strip()


def _tokens(text: str) -> set[str]:
    return {t for t in _norm(text).split() if len(t) > 1 or t.isdigit()}


def holder_correct(pred: PersonName | None, truth: dict[str, Any] | None) -> bool:
    """Right when the surname's words and the first given name are all read (accent/case/punctuation-blind)."""
    if truth is None:
        return pred is None
    if pred is None:
        return False
    got = _tokens(" ".join(filter(None, [pred.raw, pred.surname or "", " ".join(pred.given_names)])))
    surname = _tokens(truth.get("surname") or "")
    given = [g for g in truth.get("given_names") or [] if g]
    first = _tokens(given[0]) if given else set()
    return bool(surname) and surname <= got and first <= got


def _d(value: date | None) -> str | None:
    return value.isoformat() if value else None


# ---------------------------------------------------------------- matching predictions to truth


def _doc_key(file: str, pages: list[int] | tuple[int, ...]) -> tuple[str, int]:
    return (file, min(pages) if pages else 1)


def match_documents(
    report: DossierReport, truth: dict[str, Any]
) -> list[tuple[dict[str, Any], Document | None]]:
    """Pair each true document with the predicted document of the same file covering its first page."""
    by_file: dict[str, list[Document]] = defaultdict(list)
    for doc in report.documents:
        by_file[doc.file].append(doc)
    pairs: list[tuple[dict[str, Any], Document | None]] = []
    for f in truth["files"]:
        for tdoc in f.get("documents") or []:
            first = min(tdoc["pages"])
            found = next((d for d in by_file.get(f["file"], []) if first in d.pages), None)
            pairs.append(({**tdoc, "file": f["file"]}, found))
    return pairs


# ---------------------------------------------------------------- scoring


class Scores:
    """Accumulates every measure over the corpus, plus per-file outcomes for --compare."""

    def __init__(self) -> None:
        self.type_pairs: list[tuple[str, str]] = []
        self.subtype_pairs: list[tuple[str, str]] = []
        self.fields: dict[str, list[bool]] = defaultdict(list)
        self.poa: dict[str, list[bool]] = defaultdict(list)
        self.checks: dict[str, list[bool]] = defaultdict(list)
        self.verdicts: list[tuple[str, str]] = []
        self.orientation: dict[str, list[bool]] = defaultdict(list)
        self.broken: list[bool] = []
        self.crashes: list[str] = []
        self.overconfident: list[str] = []
        self.pages = 0
        self.seconds = 0.0
        self.per_file: dict[str, dict[str, Any]] = {}
        self.coverage: dict[str, Counter[str]] = defaultdict(Counter)

    def add(self, report: DossierReport, truth: dict[str, Any], seconds: float) -> None:
        dossier = truth["dossier"]
        self.pages += int(report.timings.get("pages", 0))
        self.seconds += seconds
        for s in truth.get("scenarios", []):
            self.coverage["scenario"][s] += 1
        # a card photographed side by side in two files is one band, printed on one side only (the back of
        # a 2021 CNI, the front of an old one): it is scored once, read if either file's document has it
        bands: dict[tuple[str, ...], list[tuple[str, bool]]] = defaultdict(list)
        for tdoc, pred in match_documents(report, truth):
            key = f"{dossier}/{tdoc['file']}#p{min(tdoc['pages'])}"
            ttype = tdoc["type"]
            tsub = f"{ttype}/{tdoc.get('subtype') or '-'}"
            self.coverage["type"][tsub] += 1
            ptype = pred.classification.type if pred else "(absent)"
            psub = f"{ptype}/{(pred.classification.subtype if pred else None) or '-'}"
            self.type_pairs.append((ttype, ptype))
            self.subtype_pairs.append((tsub, psub))
            outcome: dict[str, Any] = {
                "type": ptype == ttype,
                "subtype": psub == tsub,
                "pred": psub,
                "truth": tsub,
            }
            if pred is not None and pred.classification.confidence > 0.9 and ptype != ttype:
                self.overconfident.append(f"{key}: {tsub} lu {psub} ({pred.classification.confidence:.2f})")
            if ttype == "unknown":
                self.per_file[key] = outcome
                continue
            f = pred.fields if pred else None
            if tdoc.get("holder") is not None and ttype not in ("photo",):
                holder = f.holder if f else None
                ok = holder_correct(holder, tdoc["holder"])
                if not ok and f is not None:
                    ok = any(holder_correct(j, tdoc["holder"]) for j in f.joint_holders)
                self.fields["holder"].append(ok)
                outcome["holder"] = ok
            if tdoc.get("date") and ttype != "identity":
                ok = f is not None and _d(f.issue_date) == tdoc["date"]
                self.fields["issue_date"].append(ok)
                self.fields[f"issue_date:{ttype}"].append(ok)
                outcome["date"] = ok
            if tdoc.get("expiry_date") and ttype == "identity" and tdoc.get("subtype") != "cni":
                ok = f is not None and _d(f.expiry_date) == tdoc["expiry_date"]
                self.fields["expiry_date"].append(ok)
                outcome["expiry"] = ok
            if tdoc.get("birth_date") and ttype == "identity":
                ok = f is not None and _d(f.birth_date) == tdoc["birth_date"]
                self.fields["birth_date"].append(ok)
            if tdoc.get("mrz"):
                ok = f is not None and f.mrz is not None and f.mrz.valid and list(f.mrz.lines) == tdoc["mrz"]
                bands[tuple(tdoc["mrz"])].append((key, ok))
            if tdoc.get("ephoto_code"):
                ok = f is not None and (f.ephoto_code or "").replace(" ", "") == tdoc["ephoto_code"]
                self.fields["ephoto_code"].append(ok)
            if ttype == "host_attestation" and tdoc.get("host"):
                self.fields["host"].append(holder_correct(f.host if f else None, tdoc["host"]))
                self.fields["hosted"].append(holder_correct(f.hosted if f else None, tdoc.get("hosted")))
            self.per_file[key] = outcome
        for readings in bands.values():
            read = any(ok for _, ok in readings)
            self.fields["mrz_exact"].append(read)
            for key, _ in readings:
                self.per_file[key]["mrz"] = read
        pages_by_file: dict[str, list[Any]] = defaultdict(list)
        for page in report.pages:
            pages_by_file[page.file].append(page)
        problems = {p.file for p in report.problems if p.code not in ("skipped", "duplicate")}
        for f in truth["files"]:
            self.coverage["capture"][f.get("capture") or "-"] += 1
            self.coverage["format"][f.get("format") or "-"] += 1
            self.coverage["rotation"][str(f.get("rotation", 0))] += 1
            for defect in f.get("defects") or []:
                self.coverage["defect"][defect] += 1
            if f.get("expected_error"):
                self.broken.append(f["file"] in problems)
                self.coverage["broken"][f.get("broken") or "?"] += 1
                continue
            want = (360 - int(f.get("rotation", 0))) % 360
            for page in pages_by_file.get(f["file"], []):
                upright = page.rotation % 360 == want
                self.orientation[f.get("capture") or "-"].append(upright)
                if not upright:
                    self.per_file[f"{dossier}/{f['file']}#p{page.number}:orientation"] = {
                        "capture": f.get("capture"),
                        "want": want,
                        "got": page.rotation % 360,
                    }
        poa_truth = truth.get("proof_of_address") or {}
        poa = report.judgement.proof_of_address
        for name in (
            "file",
            "date",
            "recent",
            "in_applicant_name",
            "host_attestation_required",
            "host_attestation_present",
            "host_id_present",
        ):
            if name not in poa_truth:
                continue
            got = getattr(poa, name)
            got = _d(got) if isinstance(got, date) else got
            self.poa[name].append(got == poa_truth[name])
        got_checks = {c.code: c.status for c in report.judgement.checks}
        for code, status in (truth.get("expected_checks") or {}).items():
            self.checks[code].append(got_checks.get(code) == status)
        self.verdicts.append((truth["expected_verdict"], report.verdict))
        self.per_file[f"{dossier}/(verdict)"] = {
            "verdict": report.verdict == truth["expected_verdict"],
            "pred": report.verdict,
            "truth": truth["expected_verdict"],
        }


def _rate(values: list[bool]) -> str:
    return f"{100 * sum(values) / len(values):5.1f}% ({sum(values)}/{len(values)})" if values else "   n/a"


def precision_recall(pairs: list[tuple[str, str]]) -> dict[str, dict[str, float]]:
    labels = sorted({t for t, _ in pairs} | {p for _, p in pairs})
    out: dict[str, dict[str, float]] = {}
    for label in labels:
        tp = sum(1 for t, p in pairs if t == label and p == label)
        fp = sum(1 for t, p in pairs if t != label and p == label)
        fn = sum(1 for t, p in pairs if t == label and p != label)
        out[label] = {
            "precision": tp / (tp + fp) if tp + fp else float("nan"),
            "recall": tp / (tp + fn) if tp + fn else float("nan"),
            "support": float(tp + fn),
        }
    return out


def summarise(scores: Scores) -> dict[str, Any]:
    acc = lambda pairs: sum(t == p for t, p in pairs) / len(pairs) if pairs else float("nan")  # noqa: E731
    return {
        "type_accuracy": acc(scores.type_pairs),
        "subtype_accuracy": acc(scores.subtype_pairs),
        "type_pr": precision_recall(scores.type_pairs),
        "subtype_pr": precision_recall(scores.subtype_pairs),
        "confusion": {f"{t} -> {p}": n for (t, p), n in sorted(Counter(scores.type_pairs).items())},
        "fields": {k: sum(v) / len(v) for k, v in scores.fields.items() if v},
        "fields_n": {k: len(v) for k, v in scores.fields.items()},
        "proof_of_address": {k: sum(v) / len(v) for k, v in scores.poa.items() if v},
        "checks": {k: sum(v) / len(v) for k, v in scores.checks.items() if v},
        "verdict_accuracy": acc(scores.verdicts),
        "verdict_confusion": {f"{t} -> {p}": n for (t, p), n in sorted(Counter(scores.verdicts).items())},
        "orientation": {k: sum(v) / len(v) for k, v in scores.orientation.items() if v},
        "broken_files_reported": sum(scores.broken) / len(scores.broken) if scores.broken else float("nan"),
        "crashes": scores.crashes,
        "overconfident_errors": scores.overconfident,
        "pages": scores.pages,
        "seconds": scores.seconds,
        "seconds_per_page": scores.seconds / scores.pages if scores.pages else float("nan"),
        "dossiers": len(scores.verdicts),
        "coverage": {k: dict(v) for k, v in scores.coverage.items()},
        "per_file": scores.per_file,
    }


def print_summary(s: dict[str, Any], scores: Scores) -> None:
    p = print
    p(
        f"\n== preverif evaluation: {s['dossiers']} dossiers, {s['pages']} pages, {s['seconds']:.1f} s "
        f"({s['seconds_per_page']:.2f} s/page) =="
    )
    p(f"type accuracy     {_rate([t == q for t, q in scores.type_pairs])}")
    p(f"subtype accuracy  {_rate([t == q for t, q in scores.subtype_pairs])}")
    p(f"verdict accuracy  {_rate([t == q for t, q in scores.verdicts])}")
    p("\n-- type precision / recall")
    for label, v in s["type_pr"].items():
        p(f"  {label:24s} P {v['precision']:.3f}  R {v['recall']:.3f}  n={v['support']:.0f}")
    p("\n-- subtype precision / recall")
    for label, v in s["subtype_pr"].items():
        p(f"  {label:38s} P {v['precision']:.3f}  R {v['recall']:.3f}  n={v['support']:.0f}")
    p("\n-- confusion (truth -> predicted), errors only")
    for key, n in s["confusion"].items():
        t, q = key.split(" -> ")
        if t != q:
            p(f"  {key:40s} {n}")
    p("\n-- fields")
    for k in sorted(scores.fields):
        p(f"  {k:32s} {_rate(scores.fields[k])}")
    p("\n-- proof_of_address fields")
    for k in scores.poa:
        p(f"  {k:32s} {_rate(scores.poa[k])}")
    p("\n-- checks")
    for k in scores.checks:
        p(f"  {k:32s} {_rate(scores.checks[k])}")
    p("\n-- verdicts (truth -> predicted)")
    for key, n in s["verdict_confusion"].items():
        p(f"  {key:40s} {n}")
    p("\n-- orientation (pages upright) per capture")
    for k in scores.orientation:
        p(f"  {k:32s} {_rate(scores.orientation[k])}")
    p(f"\nbroken files reported with a message: {_rate(scores.broken)}")
    p(f"typed with confidence > 0.9 but wrong: {len(scores.overconfident)}")
    for line in scores.overconfident[:10]:
        p(f"  {line}")
    p(f"crashes: {len(scores.crashes)}")
    for line in scores.crashes[:10]:
        p(f"  {line}")
    p("\n-- coverage")
    for kind, counter in s["coverage"].items():
        p(f"  {kind}: " + ", ".join(f"{k}={v}" for k, v in sorted(counter.items())))


def compare(current: dict[str, Any], previous_path: Path) -> None:
    previous = json.loads(previous_path.read_text(encoding="utf-8"))
    print(f"\n== comparison with {previous_path} ==")
    for key in ("type_accuracy", "subtype_accuracy", "verdict_accuracy", "seconds_per_page"):
        a, b = previous.get(key), current.get(key)
        if isinstance(a, float) and isinstance(b, float):
            print(f"  {key:24s} {a:.3f} -> {b:.3f} ({b - a:+.3f})")
    for key in sorted(set(previous.get("fields", {})) | set(current.get("fields", {}))):
        a, b = previous.get("fields", {}).get(key), current.get("fields", {}).get(key)
        if a != b:
            print(f"  field {key:24s} {a} -> {b}")
    old, new = previous.get("per_file", {}), current.get("per_file", {})
    better, worse = [], []
    for key in sorted(set(old) & set(new)):
        for measure, value in new[key].items():
            before = old[key].get(measure)
            if isinstance(value, bool) and isinstance(before, bool) and value != before:
                (better if value else worse).append(
                    f"{key} [{measure}] {old[key].get('pred')} -> {new[key].get('pred')}"
                )
    print(f"  improved: {len(better)}, regressed: {len(worse)}")
    for line in worse:
        print(f"  - {line}")
    for line in better:
        print(f"  + {line}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path, help="folder written by make_samples.py (dossiers/ and truth/)")
    parser.add_argument("--json", type=Path, help="save the figures (and per-file outcomes) here")
    parser.add_argument("--compare", type=Path, help="a previous --json file to compare with")
    parser.add_argument("--limit", type=int, default=None, help="only the first N dossiers")
    parser.add_argument("--no-cache", action="store_true", help="do not use the OCR cache (cold timings)")
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args(argv)
    truths = sorted((args.corpus / "truth").glob("*.json"))[: args.limit]
    if not truths:
        print(f"no truth files in {args.corpus / 'truth'}", file=sys.stderr)
        return 2
    scores = Scores()
    base = Settings()
    if args.no_cache:
        base = replace(base, cache_dir=None)
    if args.workers:
        base = replace(base, workers=args.workers)
    engine = Engine.create(base)
    import tempfile

    try:
        for i, truth_path in enumerate(truths, 1):
            truth = json.loads(truth_path.read_text(encoding="utf-8"))
            folder = args.corpus / "dossiers" / truth["dossier"]
            engine.settings = replace(base, reference_date=date.fromisoformat(truth["reference_date"]))
            engine.runner.settings = engine.settings
            start = time.perf_counter()
            try:
                with tempfile.TemporaryDirectory() as tmp:
                    dossiers = discover_dossiers(folder, engine.settings, Path(tmp), single=True)
                    report = check_dossier_input(replace(dossiers[0], name=truth["dossier"]), engine)
            except Exception:  # noqa: BLE001 - a crash is a measured outcome, not the end of the evaluation
                scores.crashes.append(f"{truth['dossier']}: {traceback.format_exc(limit=3)}")
                continue
            scores.add(report, truth, time.perf_counter() - start)
            print(
                f"[{i}/{len(truths)}] {truth['dossier']}: {report.verdict} (attendu {truth['expected_verdict']})",
                file=sys.stderr,
            )
    finally:
        engine.close()
    summary = summarise(scores)
    print_summary(summary, scores)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(summary, indent=1, default=str), encoding="utf-8")
    if args.compare:
        compare(summary, args.compare)
    return 0


if __name__ == "__main__":
    sys.exit(main())
