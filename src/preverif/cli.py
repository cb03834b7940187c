"""Command line: the only module that prints, and the one place errors become French messages and exit codes."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from rich.console import Console

from preverif import __version__
from preverif.errors import ExitCode, PreverifError, UsageError
from preverif.records import Applicant, DossierReport
from preverif.settings import Settings, default_cache_dir, default_workers

log = logging.getLogger("preverif")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"date invalide « {text} » : attendu AAAA-MM-JJ") from exc


class _Parser(argparse.ArgumentParser):
    """argparse that raises UsageError (exit code 2, French message) instead of exiting by itself."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message}\nVoir « preverif --help ».")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="preverif",
        description=(
            "Pré-vérifie un dossier de permis de conduire (ANTS) avant son dépôt : classe les justificatifs, "
            "lit noms et dates, applique les règles officielles et dit ce qui manque."
        ),
        epilog=(
            "Codes de sortie : 0 tout complet, 1 dossier incomplet ou à vérifier, 2 mauvaise utilisation, "
            "3 entrée illisible, 4 dépendance manquante, 5 erreur interne."
        ),
    )
    parser.add_argument("--version", action="version", version=f"preverif {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="journal détaillé (numéros masqués)")
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE", parser_class=_Parser)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--reference-date",
            type=_date,
            default=None,
            help="date du dépôt (AAAA-MM-JJ) pour les âges et le délai de 6 mois ; défaut : aujourd'hui",
        )
        p.add_argument(
            "--workers", type=int, default=None, help=f"processus OCR (défaut : {default_workers()})"
        )
        p.add_argument("--no-cache", action="store_true", help="ne pas utiliser le cache OCR")
        p.add_argument("--tesseract", default="tesseract", help="chemin du programme tesseract")

    run = sub.add_parser("run", help="vérifier un dossier ou un lot de dossiers")
    run.add_argument("path", type=Path, help="dossier (répertoire ou .zip) ou répertoire de dossiers")
    common(run)
    run.add_argument(
        "--json",
        default=None,
        help="rapport JSON : un fichier, ou un répertoire (terminé par /, ou pour un lot)",
    )
    run.add_argument(
        "--html",
        default=None,
        help="rapport HTML : un fichier, ou un répertoire (terminé par /, ou pour un lot)",
    )
    run.add_argument("--csv", type=Path, default=None, help="résumé CSV (une ligne par dossier)")
    run.add_argument(
        "--un-dossier",
        dest="single",
        action="store_true",
        help="traiter le chemin comme un seul dossier, même s'il ne contient que des sous-dossiers",
    )
    run.add_argument("--quiet", action="store_true", help="n'afficher que le tableau final")
    ident = run.add_argument_group("identité déclarée par l'auto-école (un seul dossier)")
    ident.add_argument("--surname", help="nom de famille du candidat")
    ident.add_argument("--given-names", help="prénoms, séparés par des espaces")
    ident.add_argument("--birth-date", type=_date, help="date de naissance AAAA-MM-JJ")
    ident.add_argument("--nationality", help="nationalité (code ISO à 3 lettres, ex. FRA)")

    watch = sub.add_parser(
        "watch", help="surveiller un dossier de dépôt et produire les rapports au fil de l'eau"
    )
    watch.add_argument("inbox", type=Path)
    common(watch)
    watch.add_argument(
        "--out", type=Path, default=None, help="où écrire les rapports (défaut : INBOX-rapports)"
    )
    watch.add_argument("--interval", type=float, default=2.0, help="secondes entre deux passages")
    watch.add_argument("--settle", type=float, default=3.0, help="secondes sans changement avant de traiter")
    watch.add_argument("--once", action="store_true", help="un seul passage puis sortie (tâche planifiée)")

    explain = sub.add_parser("explain", help="montrer tout ce que preverif voit dans un fichier")
    explain.add_argument("file", type=Path)
    common(explain)
    explain.add_argument("--full-text", action="store_true", help="afficher tout le texte lu")

    doctor = sub.add_parser("doctor", help="vérifier l'installation (Tesseract, données fra et osd…)")
    doctor.add_argument("--tesseract", default="tesseract", help="chemin du programme tesseract")

    cache = sub.add_parser("cache", help="gérer le cache OCR")
    cache.add_argument("action", choices=["clear", "info"])
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings(tesseract_cmd=args.tesseract)
    if args.reference_date is not None:
        settings = replace(settings, reference_date=args.reference_date)
    if args.workers is not None:
        if args.workers < 1:
            raise UsageError("--workers doit être au moins 1.")
        settings = replace(settings, workers=args.workers)
    if args.no_cache:
        settings = replace(settings, cache_dir=None)
    return settings


def _stated(args: argparse.Namespace) -> Applicant | None:
    if not any([args.surname, args.given_names, args.birth_date, args.nationality]):
        return None
    return Applicant(
        surname=args.surname,
        given_names=tuple((args.given_names or "").split()),
        birth_date=args.birth_date,
        nationality=(args.nationality or "").upper() or None,
        source="stated",
    )


def _require_tesseract(settings: Settings) -> None:
    from preverif.ocr.tesseract import probe_tesseract

    info = probe_tesseract(settings.tesseract_cmd)
    missing = [lang for lang in ("fra", "osd") if lang not in info.languages]
    if missing:
        from preverif.errors import DependencyError

        raise DependencyError(
            f"Données Tesseract manquantes : {', '.join(missing)}. "
            "Installez-les : apt-get install -y tesseract-ocr-fra tesseract-ocr-osd"
        )


def _out_path(target: str, report: DossierReport, suffix: str, batch: bool) -> Path:
    """Where one dossier's report goes: inside ``target`` when it is a folder (a batch, an existing folder, or
    a path written with a trailing slash), else ``target`` itself."""
    path = Path(target)
    if batch or path.is_dir() or target.endswith(("/", "\\")):
        path.mkdir(parents=True, exist_ok=True)
        return path / f"{report.dossier}{suffix}"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def cmd_run(args: argparse.Namespace, console: Console) -> int:
    from preverif.report.csv_report import write_csv
    from preverif.report.html_report import write_html, write_index
    from preverif.report.json_report import write_json
    from preverif.report.terminal import make_progress, render_dossier, render_summary

    settings = _settings(args)
    _require_tesseract(settings)
    stated = _stated(args)
    if not args.path.exists():
        from preverif.errors import InputError

        raise InputError(f"Chemin introuvable : {args.path}")
    from preverif.ingest.discover import discover_dossiers

    reports: list[DossierReport] = []
    links: dict[str, str] = {}
    import tempfile

    with tempfile.TemporaryDirectory(prefix="preverif-") as tmp:
        dossiers = discover_dossiers(args.path, settings, Path(tmp), single=args.single)
        batch = len(dossiers) > 1
        if stated is not None:
            if batch:
                raise UsageError("L'identité déclarée (--surname…) ne vaut que pour un seul dossier.")
            dossiers = [replace(d, stated_identity=stated) for d in dossiers]
        from preverif.pipeline import Engine, check_dossier_input

        engine = Engine.create(settings)
        try:
            with make_progress(console) as progress:
                task = progress.add_task("Dossiers", total=len(dossiers))
                for dossier in dossiers:
                    progress.update(task, description=f"Dossier {dossier.name}")
                    report = check_dossier_input(dossier, engine)
                    if args.json is not None:
                        write_json(report, _out_path(args.json, report, ".json", batch))
                    if args.html is not None:
                        html_path = _out_path(args.html, report, ".html", batch)
                        write_html(report, html_path)
                        links[report.dossier] = html_path.name
                    if not args.quiet and not batch:
                        progress.stop()
                        render_dossier(report, console)
                    reports.append(replace(report, pages=()))  # thumbnails are written; free the pixels
                    progress.advance(task)
        finally:
            engine.close()
    if batch or args.quiet:
        render_summary(reports, console)
    if args.html is not None and batch:
        write_index(reports, Path(args.html) / "index.html", links)
    if args.csv is not None:
        args.csv.parent.mkdir(parents=True, exist_ok=True)
        write_csv(reports, args.csv)
    return int(ExitCode.ok if all(r.verdict == "complete" for r in reports) else ExitCode.not_complete)


def cmd_doctor(args: argparse.Namespace, console: Console) -> int:
    from preverif.doctor import run_checks

    checks = run_checks(args.tesseract)
    ready = True
    for check in checks:
        mark = "[green]✔[/]" if check.ok else ("[yellow]•[/]" if check.optional else "[red]✘[/]")
        console.print(f"{mark} {check.name} : {check.detail}")
        if not check.ok and check.fix:
            console.print(f"    → {check.fix}")
        ready = ready and (check.ok or check.optional)
    console.print(
        "[green]Prêt.[/]"
        if ready
        else "[red]Cette machine n'est pas prête : installez ce qui manque ci-dessus.[/]"
    )
    return int(ExitCode.ok if ready else ExitCode.missing_dependency)


def cmd_cache(args: argparse.Namespace, console: Console) -> int:
    from preverif.ocr.cache import AnalysisCache

    cache = AnalysisCache(default_cache_dir())
    if args.action == "clear":
        count = cache.clear()
        console.print(f"Cache vidé : {count} entrée(s) supprimée(s) ({cache.root}).")
    else:
        entries, size = cache.stats()
        console.print(f"Cache : {cache.root} — {entries} entrée(s), {size / 1e6:.1f} Mo.")
    return int(ExitCode.ok)


def cmd_explain(args: argparse.Namespace, console: Console) -> int:
    from preverif.explain import explain_file

    settings = _settings(args)
    _require_tesseract(settings)
    return explain_file(args.file, settings, console, full_text=args.full_text)


def cmd_watch(args: argparse.Namespace, console: Console) -> int:
    from preverif.watch.watcher import watch_inbox

    settings = _settings(args)
    _require_tesseract(settings)
    out = args.out or args.inbox.with_name(args.inbox.name + "-rapports")
    return watch_inbox(
        args.inbox, out, settings, console, interval=args.interval, settle=args.settle, once=args.once
    )


COMMANDS = {
    "run": cmd_run,
    "doctor": cmd_doctor,
    "cache": cmd_cache,
    "explain": cmd_explain,
    "watch": cmd_watch,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``preverif`` command; returns the exit code (SPEC §5)."""
    console = Console(stderr=False, highlight=False)
    err = Console(stderr=True, highlight=False)
    try:
        args = build_parser().parse_args(argv)
        logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING, format="%(message)s")
        if args.command is None:
            build_parser().print_help()
            return int(ExitCode.usage)
        return COMMANDS[args.command](args, console)
    except PreverifError as exc:
        err.print(f"[red]Erreur :[/] {exc.message}", markup=True)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        err.print("Interrompu.")
        return int(ExitCode.interrupted)
    except Exception as exc:
        log.debug("erreur interne", exc_info=True)
        err.print(
            f"[red]Erreur interne :[/] {type(exc).__name__}: {exc}. "
            "Relancez avec -v et signalez-la (sans joindre de pièce d'identité)."
        )
        return int(ExitCode.internal)


if __name__ == "__main__":
    sys.exit(main())
