"""The watch folder, on real folders: reports appear, inputs are untouched, a restart redoes nothing,
a changed dossier is checked again, partial downloads wait, a bad file does not stop the watch."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from rich.console import Console

from preverif.settings import Settings
from preverif.watch.journal import Journal
from preverif.watch.watcher import JOURNAL_NAME, scan_inbox, watch_inbox

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "dossiers" / "d0000"
REFERENCE = date(2026, 11, 27)


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _quiet() -> Console:
    return Console(quiet=True)


def _settings(cache: Path) -> Settings:
    return Settings(reference_date=REFERENCE, cache_dir=cache, workers=2)


@pytest.fixture()
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    shutil.copytree(SAMPLE, folder / "dupont")
    return folder


def test_a_dropped_dossier_gets_its_reports_and_inputs_stay_untouched(
    inbox: Path, tmp_path: Path, private_cache: Path
) -> None:
    before = _digest(inbox)
    out = tmp_path / "rapports"
    code = watch_inbox(inbox, out, _settings(private_cache), _quiet(), once=True)
    assert code == 0
    report = json.loads((out / "dupont.json").read_text(encoding="utf-8"))
    assert report["dossier"] == "dupont"
    assert report["verdict"] in {"complete", "incomplete", "needs_review"}
    assert (out / "dupont.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (out / "index.html").exists() and (out / "resume.csv").exists()
    assert _digest(inbox) == before, "the watch must never modify an input"


def test_a_restart_redoes_nothing_and_a_change_is_checked_again(
    inbox: Path, tmp_path: Path, private_cache: Path
) -> None:
    out = tmp_path / "rapports"
    console = _quiet()
    watch_inbox(inbox, out, _settings(private_cache), console, once=True)
    journal_lines = (out / JOURNAL_NAME).read_text(encoding="utf-8").splitlines()
    assert len(journal_lines) == 1
    stamp = (out / "dupont.json").stat().st_mtime_ns

    watch_inbox(inbox, out, _settings(private_cache), console, once=True)  # a restart: nothing new
    assert (out / JOURNAL_NAME).read_text(encoding="utf-8").splitlines() == journal_lines
    assert (out / "dupont.json").stat().st_mtime_ns == stamp

    (inbox / "dupont" / "vide.jpg").write_bytes(b"")  # a bad file arrives: checked again, reported, no crash
    watch_inbox(inbox, out, _settings(private_cache), console, once=True)
    assert len((out / JOURNAL_NAME).read_text(encoding="utf-8").splitlines()) == 2
    report = json.loads((out / "dupont.json").read_text(encoding="utf-8"))
    assert any(p["file"] == "vide.jpg" for p in report["problems"])


def test_partial_downloads_wait_and_reports_folder_inside_inbox_is_ignored(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "martin").mkdir(parents=True)
    (inbox / "martin" / "facture.pdf.crdownload").write_bytes(b"%PDF-1.4 partial")
    (inbox / "rapports").mkdir()
    candidates = scan_inbox(inbox, exclude=inbox / "rapports")
    assert [c.name for c in candidates] == ["martin"]
    assert candidates[0].partial


def test_loose_files_form_one_dossier_named_after_the_inbox(tmp_path: Path) -> None:
    inbox = tmp_path / "mes-papiers"
    inbox.mkdir()
    for f in SAMPLE.iterdir():
        shutil.copy2(f, inbox / f.name)
    (inbox / ".DS_Store").write_bytes(b"junk")
    candidates = scan_inbox(inbox)
    assert [c.name for c in candidates] == ["mes-papiers"]
    assert len(candidates[0].paths) == len(list(SAMPLE.iterdir()))


def test_journal_ignores_a_torn_last_line(tmp_path: Path) -> None:
    path = tmp_path / JOURNAL_NAME
    journal = Journal.open(path)
    journal.record("a", "f1", "complete")
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"dossier": "b", "finger')  # power cut mid-write
    reopened = Journal.open(path)
    assert reopened.is_done("a", "f1")
    assert not reopened.is_done("b", "f2")


def test_the_watch_command_runs_until_stopped(tmp_path: Path, private_cache: Path) -> None:
    """The real command in the background: a dossier copied in later is reported within the time limit."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    out = tmp_path / "out"
    env = {**os.environ, "PREVERIF_CACHE_DIR": str(private_cache)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "preverif.cli",
            "watch",
            str(inbox),
            "--out",
            str(out),
            "--interval",
            "0.3",
            "--settle",
            "0.6",
            "--reference-date",
            REFERENCE.isoformat(),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        time.sleep(1.0)
        shutil.copytree(SAMPLE, inbox / "durand")
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and not (out / "durand.json").exists():
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            time.sleep(0.5)
        assert (out / "durand.json").exists()
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
