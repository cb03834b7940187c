"""`preverif watch INBOX`: a drop folder. Each dossier is checked once it is completely written.

- Loose files at the top of the inbox form one dossier named after the inbox (a candidate dropping photos);
  each sub-folder or .zip is a dossier of its own (a back office dropping candidates).
- A dossier is "completely written" when its fingerprint (names, sizes, modification times) has not changed
  for ``settle`` seconds and no partial download (.part, .crdownload, .tmp) is present.
- Inputs are never modified or deleted; reports go to ``out``. The journal makes a restart redo nothing, and a
  changed dossier is checked again (unchanged files come from the OCR cache).
Polling, not inotify: it works the same on network shares and synced folders, where events are unreliable.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

from rich.console import Console

from preverif.errors import ExitCode, InputError
from preverif.ingest.discover import discover_dossiers
from preverif.pipeline import Engine, check_dossier_input
from preverif.records import DossierReport
from preverif.report.csv_report import write_csv
from preverif.report.html_report import write_html, write_index
from preverif.report.json_report import write_json
from preverif.report.terminal import render_dossier
from preverif.settings import Settings
from preverif.watch.journal import Journal

PARTIAL_SUFFIXES = (".part", ".crdownload", ".tmp", ".download", ".partial")
JOURNAL_NAME = ".preverif-journal.jsonl"


@dataclass(frozen=True)
class Candidate:
    """A dossier seen in the inbox: its name, where it is, and its current fingerprint."""

    name: str
    paths: tuple[Path, ...]  # the folder/zip, or the loose files of the inbox root
    fingerprint: str
    partial: bool


def _stat_entries(paths: tuple[Path, ...], base: Path) -> list[str]:
    entries: list[str] = []
    for path in paths:
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for f in files:
            try:
                st = f.stat()
            except OSError:
                continue
            entries.append(f"{f.relative_to(base).as_posix()}|{st.st_size}|{st.st_mtime_ns}")
    return entries


def scan_inbox(inbox: Path, exclude: Path | None = None) -> list[Candidate]:
    """The dossiers currently in the inbox, with fingerprints (``exclude``: the reports folder, if inside)."""
    if not inbox.is_dir():
        raise InputError(f"Dossier de dépôt introuvable : {inbox}")
    loose: list[Path] = []
    found: list[Candidate] = []
    for entry in sorted(inbox.iterdir()):
        if entry.name.startswith((".", "~$")):
            continue
        if exclude is not None and entry.resolve() == exclude.resolve():
            continue
        if entry.is_dir() or entry.suffix.lower() == ".zip":
            found.append(_candidate(entry.stem if entry.is_file() else entry.name, (entry,), inbox))
        elif entry.is_file():
            loose.append(entry)
    if loose:
        found.insert(0, _candidate(inbox.name, tuple(loose), inbox))
    return found


def _candidate(name: str, paths: tuple[Path, ...], base: Path) -> Candidate:
    entries = _stat_entries(paths, base)
    partial = any(e.split("|", 1)[0].lower().endswith(PARTIAL_SUFFIXES) for e in entries)
    digest = hashlib.sha256("\n".join(entries).encode("utf-8")).hexdigest()
    return Candidate(name=name, paths=paths, fingerprint=digest, partial=partial)


def _stage(candidate: Candidate, tmp: Path) -> Path:
    """The path to hand to discovery: the folder/zip itself, or a private copy of the inbox's loose files.

    Loose files are copied, not linked, because discovery refuses links pointing out of a dossier.
    """
    only = candidate.paths[0]
    if len(candidate.paths) == 1 and (only.is_dir() or only.suffix.lower() == ".zip"):
        return only
    stage = tmp / "loose" / candidate.name
    stage.mkdir(parents=True, exist_ok=True)
    for path in candidate.paths:
        shutil.copy2(path, stage / path.name)
    return stage


def process_candidate(
    candidate: Candidate, out: Path, engine: Engine, console: Console
) -> DossierReport | None:
    """Check one dossier and write its reports; a failure is reported and the watch goes on."""
    with tempfile.TemporaryDirectory(prefix="preverif-watch-") as tmp:
        path = _stage(candidate, Path(tmp))
        # one drop is one candidate's dossier, however its files are sorted in sub-folders
        dossiers = discover_dossiers(path, engine.settings, Path(tmp) / "unzip", single=True)
        if not dossiers:
            return None
        dossier = replace(dossiers[0], name=candidate.name)
        report = check_dossier_input(dossier, engine)
    out.mkdir(parents=True, exist_ok=True)
    write_json(report, out / f"{candidate.name}.json")
    write_html(report, out / f"{candidate.name}.html")
    render_dossier(report, console)
    return replace(report, pages=())


def watch_inbox(
    inbox: Path,
    out: Path,
    settings: Settings,
    console: Console,
    *,
    interval: float = 2.0,
    settle: float = 3.0,
    once: bool = False,
    max_cycles: int | None = None,
) -> int:
    """Poll the inbox until interrupted (or one pass with ``once``); return the exit code."""
    out.mkdir(parents=True, exist_ok=True)
    journal = Journal.open(out / JOURNAL_NAME)
    seen: dict[str, tuple[str, float]] = {}
    latest: dict[str, DossierReport] = {}
    engine = Engine.create(settings)
    console.print(f"Surveillance de {inbox} — rapports dans {out} (Ctrl+C pour arrêter)")
    cycles = 0
    try:
        while True:
            now = time.monotonic()
            for cand in scan_inbox(inbox, exclude=out):
                if journal.is_done(cand.name, cand.fingerprint) or cand.partial:
                    continue
                first_seen = seen.get(cand.name)
                if first_seen is None or first_seen[0] != cand.fingerprint:
                    seen[cand.name] = (cand.fingerprint, now)
                    if not once:
                        continue
                elif now - first_seen[1] < settle and not once:
                    continue
                try:
                    report = process_candidate(cand, out, engine, console)
                except Exception as exc:  # noqa: BLE001 - one bad dossier never stops the watch
                    console.print(
                        f"[red]Dossier {cand.name} : erreur ({exc}). Il sera retenté s'il change.[/]"
                    )
                    journal.record(cand.name, cand.fingerprint, "error")
                    continue
                if report is not None:
                    latest[cand.name] = report
                    write_index(list(latest.values()), out / "index.html", {n: f"{n}.html" for n in latest})
                    write_csv(list(latest.values()), out / "resume.csv")
                    journal.record(cand.name, cand.fingerprint, report.verdict)
            cycles += 1
            if once or (max_cycles is not None and cycles >= max_cycles):
                break
            time.sleep(interval)
    finally:
        engine.close()
    return int(ExitCode.ok)
