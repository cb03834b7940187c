"""`preverif explain FILE`: everything preverif saw in one file — pages, text, scores, fields, evidence."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from preverif.classify.doctypes import load_doctypes
from preverif.errors import ExitCode, InputError
from preverif.extract.ephoto import mark_doubtful
from preverif.extract.mrz import mask_document_number
from preverif.pipeline import build_documents
from preverif.reading import analyse_file
from preverif.records import Document, InputFile, PersonName
from preverif.settings import Settings


def _input_file(path: Path) -> InputFile:
    if not path.is_file():
        raise InputError(f"Fichier introuvable : {path}")
    data = path.read_bytes()
    return InputFile(
        path=path.resolve(), relpath=path.name, size=len(data), sha256=hashlib.sha256(data).hexdigest()
    )


def _name(person: PersonName | None) -> str:
    return person.raw if person is not None else "—"


def _print_document(doc: Document, console: Console) -> None:
    c = doc.classification
    f = doc.fields
    console.rule(f"Document : pages {', '.join(map(str, doc.pages))}")
    console.print(
        f"Type : [bold]{c.type}{'/' + c.subtype if c.subtype else ''}[/] — confiance {c.confidence:.2f} — statut {doc.status}"
    )
    if doc.error:
        console.print(f"[yellow]{doc.error}[/]")
    scores = Table("type", "score", title="Scores")
    for key, value in sorted(c.scores.items(), key=lambda kv: -kv[1])[:8]:
        scores.add_row(key, f"{value:.2f}")
    console.print(scores)
    if c.evidence:
        console.print("Indices : " + " · ".join(c.evidence[:12]))
    fields = Table("champ", "valeur", title="Champs")
    fields.add_row("titulaire", _name(f.holder))
    for joint in f.joint_holders:
        fields.add_row("cotitulaire", _name(joint))
    fields.add_row("date d'émission", f"{f.issue_date or '—'} ({f.issue_date_source or '—'})")
    fields.add_row("date d'expiration", str(f.expiry_date or "—"))
    fields.add_row("date de naissance", str(f.birth_date or "—"))
    fields.add_row("émetteur", f.issuer or "—")
    if f.document_number:
        fields.add_row("numéro", mask_document_number(f.document_number))
    if f.host or f.hosted:
        fields.add_row("hébergeant", _name(f.host))
        fields.add_row("hébergé", _name(f.hosted))
    if f.ephoto_code:
        fields.add_row("code e-photo", escape(mark_doubtful(f.ephoto_code, f.ephoto_code_doubtful)))
    if f.mrz is not None:
        fields.add_row("MRZ", f"{f.mrz.format}, clés {'valides' if f.mrz.valid else 'invalides'}")
    if f.twoddoc is not None:
        fields.add_row("2D-Doc", f"type {f.twoddoc.document_type}, {f.twoddoc.signature_message}")
    fields.add_row("manuscrit", "oui" if f.handwritten else "non")
    console.print(fields)
    for note in f.notes:
        console.print(f"[yellow]Remarque :[/] {note}")
    for ev in f.evidence:
        console.print(f"  [dim]{ev.label}[/] p.{ev.page} : « {ev.text} »")


def explain_file(path: Path, settings: Settings, console: Console, *, full_text: bool = False) -> int:
    """Run the reading stages on one file and show all of it."""
    file = _input_file(path)
    analysis = analyse_file(file, replace(settings, workers=1), with_images=True)
    console.rule(f"{path.name} — {analysis.kind}{' (cache)' if analysis.from_cache else ''}")
    if analysis.problem is not None:
        console.print(f"[red]{analysis.problem.message}[/]")
    for page, mrz in zip(analysis.pages, analysis.mrz, strict=True):
        q = page.quality
        console.print(
            f"Page {page.number} : {q.width}×{q.height} px, ~{q.dpi:.0f} dpi, netteté {q.sharpness:.0f}, "
            f"rotation {page.rotation}°, inclinaison {page.skew:.1f}°, "
            f"perspective {'corrigée' if page.perspective_fixed else 'non'}, texte : {page.text.source} "
            f"({len(page.text.words)} mots, confiance {page.text.mean_confidence:.0f})"
        )
        for message in q.problems:
            console.print(f"  [yellow]{message}[/]")
        for code in page.barcodes:
            console.print(f"  code-barres {code.format} : {len(code.text)} caractères")
        if mrz is not None:
            console.print(f"  MRZ {mrz.format} : {'valide' if mrz.valid else 'invalide'} {dict(mrz.checks)}")
        lines = page.text.lines
        shown = lines if full_text else lines[:25]
        console.print("\n".join(f"  │ {line}" for line in shown), markup=False, highlight=False)
        if len(lines) > len(shown):
            console.print(f"  │ … {len(lines) - len(shown)} lignes de plus (--full-text)")
    documents, problems = build_documents(analysis, load_doctypes(), settings)
    for doc in documents:
        _print_document(doc, console)
    for problem in problems:
        if problem is not analysis.problem:
            console.print(f"[red]{problem.message}[/]")
    return int(ExitCode.ok if analysis.problem is None else ExitCode.unreadable_input)
