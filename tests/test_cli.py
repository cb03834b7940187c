"""The CLI edge: help, version, usage errors, doctor, exit codes — run as a real subprocess where it matters."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from preverif import __version__
from preverif.cli import main
from preverif.errors import ExitCode


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "preverif.cli", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def test_version_prints_the_package_version() -> None:
    out = run_cli("--version")
    assert out.returncode == 0
    assert out.stdout.strip() == f"preverif {__version__}"


def test_help_lists_every_command_in_french() -> None:
    out = run_cli("--help")
    assert out.returncode == 0
    for command in ("run", "watch", "explain", "doctor", "cache"):
        assert command in out.stdout
    assert "Codes de sortie" in out.stdout


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["run"], id="missing-path"),
        pytest.param(["run", ".", "--reference-date", "27/11/2026"], id="bad-date"),
        pytest.param(["frobnicate"], id="unknown-command"),
        pytest.param(["run", ".", "--workers", "0"], id="zero-workers"),
    ],
)
def test_usage_errors_exit_2_with_a_french_message(args: list[str]) -> None:
    out = run_cli(*args)
    assert out.returncode == ExitCode.usage, out.stderr
    assert "Erreur" in out.stderr


def test_missing_input_path_exits_3(tmp_path: Path) -> None:
    assert main(["run", str(tmp_path / "absent"), "--no-cache"]) == ExitCode.unreadable_input


def test_doctor_says_ready_on_this_machine() -> None:
    out = run_cli("doctor")
    assert out.returncode == ExitCode.ok, out.stdout
    assert "Prêt" in out.stdout
    assert "fra" in out.stdout


def test_doctor_tells_the_truth_when_tesseract_is_missing(tmp_path: Path) -> None:
    out = run_cli("doctor", "--tesseract", str(tmp_path / "no-such-tesseract"))
    assert out.returncode == ExitCode.missing_dependency
    assert "introuvable" in out.stdout
    assert "apt-get install -y tesseract-ocr tesseract-ocr-fra tesseract-ocr-osd" in out.stdout


def test_doctor_detects_missing_language_data(tmp_path: Path) -> None:
    """A Tesseract without French data: a real executable that answers like one (no mock of preverif)."""
    fake = tmp_path / "tesseract"
    fake.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "--version" ]; then echo "tesseract 5.3.0"; exit 0; fi\n'
        'if [ "$1" = "--list-langs" ]; then echo "List of available languages (1):"; echo eng; exit 0; fi\n'
        "exit 1\n"
    )
    fake.chmod(0o755)
    out = run_cli("doctor", "--tesseract", str(fake))
    assert out.returncode == ExitCode.missing_dependency
    assert "tesseract-ocr-fra" in out.stdout
    assert "tesseract-ocr-osd" in out.stdout


def test_run_refuses_a_missing_tesseract_with_exit_4(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    code = main(["run", str(tmp_path / "d"), "--tesseract", str(tmp_path / "nope"), "--no-cache"])
    assert code == ExitCode.missing_dependency


@pytest.mark.parametrize(
    ("target", "batch", "expected"),
    [
        pytest.param("out/", False, "out/d1.html", id="trailing-slash-is-a-folder"),
        pytest.param("out/rapport.html", False, "out/rapport.html", id="a-file"),
        pytest.param("out", True, "out/d1.html", id="batch-always-a-folder"),
    ],
)
def test_report_paths(tmp_path: Path, target: str, batch: bool, expected: str) -> None:
    from types import SimpleNamespace

    from preverif.cli import _out_path

    report = SimpleNamespace(dossier="d1")
    got = _out_path(str(tmp_path / target) + ("/" if target.endswith("/") else ""), report, ".html", batch)  # type: ignore[arg-type]
    assert got == tmp_path / expected
