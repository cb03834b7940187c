"""The terminal view, with rich: a verdict line and reasons per dossier, a table for a batch, a progress bar.

These functions write only to the ``Console`` they are given; the CLI owns the console.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from preverif.records import DossierReport
from preverif.report.labels import check_label, check_status_label, verdict_label
from preverif.report.summary import applicant_name, todo_checks, unreadable_files

VERDICT_STYLES = {"complete": "bold green", "incomplete": "bold red", "needs_review": "bold dark_orange"}
VERDICT_MARKS = {"complete": "✔", "incomplete": "✖", "needs_review": "!"}
STATUS_STYLES = {"ok": "green", "missing": "red", "fail": "red", "review": "dark_orange"}


def verdict_text(report: DossierReport) -> Text:
    """'✖ INCOMPLET' in the verdict's colour."""
    mark = VERDICT_MARKS.get(report.verdict, "?")
    return Text(
        f"{mark} {verdict_label(report.verdict).upper()}", style=VERDICT_STYLES.get(report.verdict, "bold")
    )


def render_dossier(report: DossierReport, console: Console) -> None:
    """One dossier: its verdict line, then each check that is not ok and each unreadable file."""
    line = Text()
    line.append(report.dossier, style="bold")
    name = applicant_name(report.judgement.applicant)
    if name:
        line.append(f" — {name}")
    line.append(" — ")
    line.append_text(verdict_text(report))
    console.print(line)
    for check in todo_checks(report):
        status = check_status_label(check.status)
        console.print(
            f"  [{STATUS_STYLES.get(check.status, 'bold')}]• {escape(check_label(check.code))} "
            f"({escape(status)})[/] : {escape(check.message)}"
        )
    for problem in report.problems:
        console.print(f"  [red]• {escape(problem.file)}[/] : {escape(problem.message)}")


def render_summary(reports: Sequence[DossierReport], console: Console) -> None:
    """A batch: one table row per dossier (worst first), then the counts per verdict."""
    order = {"incomplete": 0, "needs_review": 1, "complete": 2}
    table = Table(title="Dossiers vérifiés", show_lines=False, expand=False)
    table.add_column("Dossier", style="bold", overflow="fold")
    table.add_column("Candidat", overflow="fold")
    table.add_column("Verdict", no_wrap=True)
    table.add_column("Ce qui manque", overflow="fold")
    for report in sorted(reports, key=lambda r: (order.get(r.verdict, 1), r.dossier)):
        missing = [check_label(check.code) for check in todo_checks(report)]
        unreadable = unreadable_files(report)
        if unreadable:
            missing.append(f"{len(unreadable)} fichier(s) illisible(s)")
        table.add_row(
            escape(report.dossier),
            escape(applicant_name(report.judgement.applicant) or "inconnu"),
            verdict_text(report),
            escape(", ".join(missing) or "—"),
        )
    console.print(table)
    counts = {verdict: sum(1 for r in reports if r.verdict == verdict) for verdict in order}
    console.print(
        f"{len(reports)} dossier(s) : [green]{counts['complete']} complet(s)[/], "
        f"[red]{counts['incomplete']} incomplet(s)[/], [dark_orange]{counts['needs_review']} à vérifier[/]"
    )


def make_progress(console: Console) -> Progress:
    """A progress display for long work (bar, count, elapsed and remaining time); the CLI drives it."""
    return Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("reste"),
        TimeRemainingColumn(),
        console=console,
    )
