"""The exception hierarchy. Each error carries its process exit code; only the CLI turns them into output."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes (SPEC §5). Stable: integrators script against them."""

    ok = 0  # every dossier complete
    not_complete = 1  # at least one dossier incomplete or needing review
    usage = 2  # bad command line
    unreadable_input = 3  # the path given cannot be read at all
    missing_dependency = 4  # Tesseract or its data is missing
    internal = 5  # a bug: please report it
    interrupted = 130


class PreverifError(Exception):
    """Base of every error preverif raises on purpose. ``message`` is French, for the user."""

    exit_code: ExitCode = ExitCode.internal

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(PreverifError):
    """The command line or an option value is wrong."""

    exit_code = ExitCode.usage


class InputError(PreverifError):
    """An input (file, folder, zip) cannot be read. Inside a dossier it becomes a per-file message instead."""

    exit_code = ExitCode.unreadable_input


class DependencyError(PreverifError):
    """An external program or data file (Tesseract, fra.traineddata…) is missing or too old."""

    exit_code = ExitCode.missing_dependency


class OcrError(PreverifError):
    """Tesseract failed or timed out on one page; the page is reported, the run goes on."""

    exit_code = ExitCode.internal


class DossierIncomplete(PreverifError):
    """Raised only by callers that want an exception rather than a verdict (e.g. a strict integration)."""

    exit_code = ExitCode.not_complete
