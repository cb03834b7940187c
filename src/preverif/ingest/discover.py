"""Dossier discovery: which files of a folder, zip or batch are documents to read, and which are not.

Discovery never opens a document: it lists, hashes and filters files so that loading only ever sees
regular files that live inside the dossier. Everything it refuses becomes a French ``FileProblem``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath

from preverif.errors import InputError
from preverif.records import Applicant, DossierInput, FileProblem, InputFile
from preverif.settings import Settings

STATEMENT_NAME = "candidat.json"
MAX_STATEMENT_BYTES = 64 * 1024

# zip-bomb guards: a real dossier is a few dozen files of a few MB each
MAX_ZIP_ENTRIES = 2_000
MAX_ZIP_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
MAX_ZIP_RATIO = 200  # uncompressed / compressed, checked for entries over 1 MiB
RATIO_MIN_BYTES = 1024 * 1024

JUNK_NAMES = frozenset({".ds_store", "thumbs.db", "desktop.ini", "ehthumbs.db", "icon\r", "__macosx"})
JUNK_SUFFIXES = (".crdownload", ".part", ".partial", ".tmp", ".download", ".swp")

SKIPPED_MESSAGE = "Fichier système ou temporaire ignoré"
ZIP_SUFFIX = ".zip"


@dataclass(frozen=True)
class _Listing:
    """What a walk of one dossier folder found, before hashing."""

    files: list[tuple[Path, str]]
    problems: list[FileProblem]
    statement: Path | None


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that orders 'page2' before 'page10' and ignores case."""
    parts = re.split(r"(\d+)", text.casefold())
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts if p)


def is_junk_name(name: str) -> bool:
    """Hidden, temporary and system files that a candidate never meant to send."""
    lowered = name.casefold()
    return (
        lowered in JUNK_NAMES
        or name.startswith(".")
        or name.startswith("~$")
        or lowered.endswith(JUNK_SUFFIXES)
        or lowered.endswith("~")
    )


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in chunks so that big files do not fill memory."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _is_within(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def _relpath(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


# ---------------------------------------------------------------- folder walk


def _walk_dossier(root: Path, settings: Settings) -> _Listing:
    """List the regular files under ``root``; junk, links out of the folder and special files become problems."""
    real_root = root.resolve()
    files: list[tuple[Path, str]] = []
    problems: list[FileProblem] = []
    statement: Path | None = None
    for current, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(current)
        kept_dirs: list[str] = []
        for name in sorted(dirnames, key=natural_key):
            path = here / name
            rel = _relpath(path, root)
            if path.is_symlink():
                target = path.resolve()
                if not _is_within(target, real_root):
                    problems.append(
                        FileProblem(rel, "unsafe_path", "Lien vers un dossier extérieur au dossier : ignoré")
                    )
                else:
                    problems.append(
                        FileProblem(rel, "skipped", "Lien vers un autre dossier du dossier : ignoré")
                    )
            elif is_junk_name(name):
                problems.append(FileProblem(rel + "/", "skipped", "Dossier système ou caché ignoré"))
            else:
                kept_dirs.append(name)
        dirnames[:] = kept_dirs
        for name in filenames:
            path = here / name
            rel = _relpath(path, root)
            if is_junk_name(name):
                problems.append(FileProblem(rel, "skipped", SKIPPED_MESSAGE))
                continue
            if path.is_symlink():
                target = path.resolve()
                if not _is_within(target, real_root):
                    problems.append(
                        FileProblem(rel, "unsafe_path", "Lien vers un fichier extérieur au dossier : ignoré")
                    )
                    continue
            try:
                info = path.stat()
            except OSError:
                problems.append(
                    FileProblem(rel, "unreadable", "Fichier illisible (lien cassé ou accès refusé)")
                )
                continue
            if not stat.S_ISREG(info.st_mode):
                problems.append(FileProblem(rel, "unsupported", "Ce n'est pas un fichier ordinaire : ignoré"))
                continue
            if name.casefold() == STATEMENT_NAME and statement is None:
                statement = path
                continue
            if info.st_size > settings.max_file_bytes:
                mb = settings.max_file_bytes // (1024 * 1024)
                problems.append(
                    FileProblem(rel, "too_large", f"Fichier trop volumineux (plus de {mb} Mo) : réduisez-le")
                )
                continue
            files.append((path, rel))
    return _Listing(files=files, problems=problems, statement=statement)


_COPY_SUFFIX = re.compile(r"(?:\s*\(\d+\)|\s*-\s*(?:copie|copy)(?:\s*\d+)?|\s+copie)$", re.IGNORECASE)


def _copy_rank(rel: str) -> int:
    """1 for names that look like a copy ('scan (1).pdf', 'facture - Copie.pdf'), so originals are kept."""
    stem = rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return 1 if _COPY_SUFFIX.search(stem) else 0


def _hash_files(listing: _Listing) -> tuple[tuple[InputFile, ...], list[FileProblem]]:
    """Hash every file; of identical contents the original-looking name is kept, the copy reported.

    Files are returned in natural order of their names.
    """
    seen: dict[str, str] = {}
    kept: list[InputFile] = []
    problems: list[FileProblem] = []
    ordered = sorted(listing.files, key=lambda item: (_copy_rank(item[1]), natural_key(item[1])))
    for path, rel in ordered:
        try:
            digest = file_sha256(path)
            size = path.stat().st_size
        except OSError:
            problems.append(FileProblem(rel, "unreadable", "Fichier illisible (accès refusé ?)"))
            continue
        if digest in seen:
            problems.append(
                FileProblem(
                    rel, "duplicate", f"Doublon de « {seen[digest]} » (même contenu) : lu une seule fois"
                )
            )
            continue
        seen[digest] = rel
        kept.append(InputFile(path=path.absolute(), relpath=rel, size=size, sha256=digest))
    kept.sort(key=lambda f: natural_key(f.relpath))
    return tuple(kept), problems


# ---------------------------------------------------------------- candidat.json


def parse_statement(data: bytes) -> Applicant:
    """Parse a back-office identity statement; ValueError (French) when it is malformed."""
    try:
        obj = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError("JSON invalide") from exc
    if not isinstance(obj, dict):
        raise ValueError("un objet JSON est attendu")
    surname = obj.get("surname")
    if not isinstance(surname, str) or not surname.strip():
        raise ValueError("« surname » manquant")
    given = obj.get("given_names", [])
    if isinstance(given, str):
        given = given.split()
    if not isinstance(given, list) or not all(isinstance(g, str) for g in given):
        raise ValueError("« given_names » doit être une liste de prénoms")
    birth: date | None = None
    raw_birth = obj.get("birth_date")
    if raw_birth is not None:
        if not isinstance(raw_birth, str):
            raise ValueError("« birth_date » doit être une date AAAA-MM-JJ")
        try:
            birth = date.fromisoformat(raw_birth.strip())
        except ValueError as exc:
            raise ValueError("« birth_date » doit être une date AAAA-MM-JJ") from exc
    nationality = obj.get("nationality")
    if nationality is not None:
        if not isinstance(nationality, str) or not re.fullmatch(r"[A-Za-z]{3}", nationality.strip()):
            raise ValueError("« nationality » doit être un code pays à 3 lettres (FRA…)")
        nationality = nationality.strip().upper()
    return Applicant(
        surname=surname.strip(),
        given_names=tuple(g.strip() for g in given if g.strip()),
        birth_date=birth,
        nationality=nationality,
        source="stated",
    )


def _read_statement(path: Path, root: Path) -> tuple[Applicant | None, FileProblem | None]:
    rel = _relpath(path, root)
    try:
        if path.stat().st_size > MAX_STATEMENT_BYTES:
            raise ValueError("fichier trop volumineux")
        return parse_statement(path.read_bytes()), None
    except (OSError, ValueError) as exc:
        message = f"Fiche candidat illisible ({exc}) : identité déclarée ignorée, corrigez {STATEMENT_NAME}"
        return None, FileProblem(rel, "invalid_statement", message)


def _build_dossier(
    root: Path, name: str, settings: Settings, extra: tuple[FileProblem, ...] = ()
) -> DossierInput:
    listing = _walk_dossier(root, settings)
    files, hash_problems = _hash_files(listing)
    stated: Applicant | None = None
    problems = list(extra) + listing.problems + hash_problems
    if listing.statement is not None:
        stated, problem = _read_statement(listing.statement, root)
        if problem is not None:
            problems.append(problem)
    problems.sort(key=lambda p: natural_key(p.file))
    return DossierInput(root=root, name=name, files=files, problems=tuple(problems), stated_identity=stated)


# ---------------------------------------------------------------- zip


def _safe_member_path(name: str) -> PurePosixPath | None:
    """The entry's relative path, or None when it would land outside the extraction folder."""
    cleaned = name.replace("\\", "/")
    if cleaned.startswith("/") or re.match(r"^[A-Za-z]:", cleaned):
        return None
    parts = [p for p in cleaned.split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return PurePosixPath(*parts)


def _zip_problem(archive: str, code: str, message: str) -> FileProblem:
    return FileProblem(archive, code, message)


def extract_zip(archive: Path, dest: Path) -> tuple[bool, list[FileProblem]]:
    """Extract a zip safely into ``dest``. Returns (usable, problems); a bomb or a corrupt archive is unusable.

    Refused: entries escaping the folder ('..', absolute paths), symlinks, encrypted entries; the whole
    archive when it holds too many entries or would expand beyond the size or ratio limits.
    """
    label = archive.name
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError, ValueError):
        return False, [_zip_problem(label, "corrupt", "Archive ZIP illisible ou corrompue : renvoyez-la")]
    problems: list[FileProblem] = []
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ZIP_ENTRIES:
            return False, [
                _zip_problem(label, "too_large", f"Archive refusée : plus de {MAX_ZIP_ENTRIES} fichiers")
            ]
        total = sum(max(0, i.file_size) for i in infos)
        if total > MAX_ZIP_TOTAL_BYTES:
            return False, [
                _zip_problem(label, "too_large", "Archive refusée : contenu décompressé trop volumineux")
            ]
        for info in infos:
            if info.file_size > RATIO_MIN_BYTES and info.file_size > MAX_ZIP_RATIO * max(
                1, info.compress_size
            ):
                return False, [
                    _zip_problem(
                        label,
                        "too_large",
                        "Archive refusée : taux de compression suspect (bombe de décompression)",
                    )
                ]
        dest.mkdir(parents=True, exist_ok=True)
        written_total = 0
        for info in infos:
            entry = info.filename
            rel = _safe_member_path(entry)
            if rel is None:
                problems.append(
                    _zip_problem(entry, "unsafe_path", "Entrée d'archive refusée : chemin hors du dossier")
                )
                continue
            if rel.parts[0].casefold() == "__macosx":
                continue
            mode = (info.external_attr >> 16) & 0o170000
            if mode == stat.S_IFLNK:
                problems.append(_zip_problem(entry, "unsafe_path", "Lien symbolique dans l'archive : refusé"))
                continue
            if info.is_dir():
                (dest / rel).mkdir(parents=True, exist_ok=True)
                continue
            if info.flag_bits & 0x1:
                problems.append(
                    _zip_problem(
                        entry,
                        "encrypted",
                        "Fichier protégé par un mot de passe dans l'archive : envoyez-le sans",
                    )
                )
                continue
            target = dest / rel
            if not _is_within(target.resolve(), dest.resolve()):
                problems.append(
                    _zip_problem(entry, "unsafe_path", "Entrée d'archive refusée : chemin hors du dossier")
                )
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                written = _copy_limited(zf, info, target, MAX_ZIP_TOTAL_BYTES - written_total)
            except _TooBig:
                shutil.rmtree(dest, ignore_errors=True)
                return False, [
                    _zip_problem(label, "too_large", "Archive refusée : contenu décompressé trop volumineux")
                ]
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
                target.unlink(missing_ok=True)
                problems.append(_zip_problem(entry, "corrupt", "Fichier de l'archive corrompu : renvoyez-le"))
                continue
            written_total += written
    return True, problems


class _TooBig(Exception):
    pass


def _copy_limited(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, budget: int) -> int:
    """Stream one entry to disk, stopping if it expands beyond its declared size or the budget."""
    limit = min(info.file_size, budget)
    written = 0
    with zf.open(info) as src, target.open("wb") as out:
        while chunk := src.read(1024 * 1024):
            written += len(chunk)
            if written > limit:
                raise _TooBig
            out.write(chunk)
    return written


def _unwrap(folder: Path) -> Path:
    """Descend through wrapper folders (a zip holding just 'dupont/…')."""
    while True:
        entries = [e for e in folder.iterdir() if not is_junk_name(e.name)]
        if len(entries) == 1 and entries[0].is_dir() and not entries[0].is_symlink():
            folder = entries[0]
        else:
            return folder


def _unique_dir(workdir: Path, stem: str) -> Path:
    base = re.sub(r"[^\w.-]+", "_", stem) or "archive"
    candidate = workdir / base
    n = 2
    while candidate.exists():
        candidate = workdir / f"{base}-{n}"
        n += 1
    return candidate


def _extract_root(archive: Path, workdir: Path) -> tuple[Path | None, list[FileProblem]]:
    """Extract a zip into a fresh folder of ``workdir``; None when the archive is unusable."""
    workdir.mkdir(parents=True, exist_ok=True)
    dest = _unique_dir(workdir, archive.stem)
    ok, problems = extract_zip(archive, dest)
    return (_unwrap(dest) if ok else None), problems


def _zip_dossier(archive: Path, settings: Settings, workdir: Path) -> DossierInput:
    """One zip → one dossier; an unusable zip is a dossier holding only its problem."""
    root, problems = _extract_root(archive, workdir)
    if root is None:
        return DossierInput(root=archive, name=archive.stem, files=(), problems=tuple(problems))
    return _build_dossier(root, archive.stem, settings, tuple(problems))


# ---------------------------------------------------------------- entry point


def _is_zip(path: Path) -> bool:
    return path.is_file() and path.suffix.casefold() == ZIP_SUFFIX


# Sub-folder names a candidate uses to sort one dossier (where the files came from, what they are): a folder
# holding such sub-folders is one dossier, not a batch of candidates' dossiers.
_SORTING_FOLDER = re.compile(
    r"^(?:mes )?(?:documents?|docs?|scans?|numeri[sz]ations?|t[ée]l[ée]phone|mobile|photos?|images?|pi[èe]ces?"
    r"|papiers?|justificatifs?|t[ée]l[ée]chargements?|downloads?|bureau|desktop|whatsapp|dcim|camera|cam[ée]ra"
    r"|permis|identit[ée]|domicile|factures?|jdc|assr|e-?photo)\b",
    re.IGNORECASE,
)


def _is_batch(folder: Path) -> bool:
    """A folder whose entries (junk aside) are all sub-folders or zips is a batch of dossiers, unless one of
    those sub-folders is named the way a candidate sorts their own papers ('Documents', 'Téléphone'…)."""
    entries = [e for e in folder.iterdir() if not is_junk_name(e.name)]
    if not entries:
        return False
    if not all((e.is_dir() and not e.is_symlink()) or _is_zip(e) for e in entries):
        return False
    return not any(
        e.is_dir() and _SORTING_FOLDER.match(unicodedata.normalize("NFC", e.name)) for e in entries
    )


def discover_dossiers(
    path: Path, settings: Settings, workdir: Path, *, single: bool = False
) -> list[DossierInput]:
    """Turn a folder, a zip or a batch folder into dossiers. Raises InputError only when ``path`` is unusable.

    ``single`` takes ``path`` as one dossier whatever its layout (the API's check_dossier, a watch-folder
    drop, ``preverif run --un-dossier``). Zips are extracted under ``workdir`` (the caller owns it and deletes
    it after the run).
    """
    if not path.exists():
        raise InputError(f"Chemin introuvable : {path}")
    if path.is_file():
        if _is_zip(path) or zipfile.is_zipfile(path):
            root, problems = _extract_root(path, workdir)
            if root is None:
                return [DossierInput(root=path, name=path.stem, files=(), problems=tuple(problems))]
            if not single and _is_batch(root) and not problems:
                return _batch(root, settings, workdir)
            return [_build_dossier(root, path.stem, settings, tuple(problems))]
        raise InputError(
            f"{path.name} n'est ni un dossier ni une archive ZIP : indiquez le dossier du candidat"
        )
    if not path.is_dir():
        raise InputError(f"Chemin illisible : {path}")
    try:
        batch = not single and _is_batch(path)
    except OSError as exc:
        raise InputError(f"Dossier illisible : {path} ({exc.strerror})") from exc
    if batch:
        return _batch(path, settings, workdir)
    return [_build_dossier(path, path.name, settings)]


def _batch(folder: Path, settings: Settings, workdir: Path) -> list[DossierInput]:
    dossiers: list[DossierInput] = []
    entries = [e for e in folder.iterdir() if not is_junk_name(e.name)]
    for entry in sorted(entries, key=lambda e: natural_key(e.name)):
        if entry.is_dir():
            dossiers.append(_build_dossier(entry, entry.name, settings))
        else:
            dossiers.append(_zip_dossier(entry, settings, workdir))
    return dossiers
