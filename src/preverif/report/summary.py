"""What every report format says first: the checks to act on, most urgent first, and a French one-liner."""

from __future__ import annotations

from preverif.records import Applicant, Check, DossierReport
from preverif.report.labels import check_label, check_sort_key, verdict_label


def todo_checks(report: DossierReport) -> list[Check]:
    """The checks that are not ok, blocking ones (missing, fail) before doubtful ones (review)."""
    pending = [check for check in report.judgement.checks if check.status != "ok"]
    return sorted(pending, key=lambda check: check_sort_key(check.code, check.status))


def sorted_checks(report: DossierReport) -> list[Check]:
    """All checks, in the same order as :func:`todo_checks`, ok ones last."""
    return sorted(report.judgement.checks, key=lambda check: check_sort_key(check.code, check.status))


def applicant_name(applicant: Applicant) -> str:
    """'DUPONT Marie Anne', or '' when the candidate is unknown."""
    parts = [applicant.surname or "", " ".join(applicant.given_names)]
    return " ".join(part for part in parts if part).strip()


def unreadable_files(report: DossierReport) -> list[str]:
    """Files preverif could not use: file problems, then documents that could not be read."""
    files: list[str] = []
    for problem in report.problems:
        if problem.file not in files:
            files.append(problem.file)
    for doc in report.documents:
        if doc.status == "error" and doc.file not in files:
            files.append(doc.file)
    return files


def _lower_first(text: str) -> str:
    """'Pièce d'identité' → 'pièce d'identité' but 'JDC' stays 'JDC'."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"


def summary_line(report: DossierReport) -> str:
    """One French sentence: the verdict and what to act on, e.g. 'Dossier incomplet : 2 points à corriger (…).'"""
    todo = todo_checks(report)
    blocking = [check for check in todo if check.status in ("missing", "fail")]
    doubtful = [check for check in todo if check.status == "review"]
    head = f"Dossier {verdict_label(report.verdict)}"
    parts: list[str] = []
    if blocking:
        names = ", ".join(_lower_first(check_label(check.code)) for check in blocking)
        parts.append(f"{_plural(len(blocking), 'point')} à corriger ({names})")
    if doubtful:
        names = ", ".join(_lower_first(check_label(check.code)) for check in doubtful)
        parts.append(f"{_plural(len(doubtful), 'point')} à vérifier ({names})")
    unreadable = unreadable_files(report)
    if unreadable:
        parts.append(f"{_plural(len(unreadable), 'fichier')} illisible{'s' if len(unreadable) > 1 else ''}")
    if not parts:
        if report.verdict == "complete":
            return f"{head} : toutes les pièces demandées sont présentes et conformes."
        return f"{head}."
    return f"{head} : {' ; '.join(parts)}."
