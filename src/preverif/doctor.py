"""`preverif doctor`: is this machine ready? Each check says what is missing and the command that installs it."""

from __future__ import annotations

import importlib
import os
import tempfile
from dataclasses import dataclass

from preverif.errors import DependencyError
from preverif.ocr.tesseract import INSTALL_HINT, MIN_VERSION, probe_tesseract
from preverif.settings import default_cache_dir


@dataclass(frozen=True)
class DoctorCheck:
    """One line of the doctor's answer."""

    name: str
    ok: bool
    detail: str
    fix: str = ""
    optional: bool = False


_PYTHON_MODULES = (
    # module, what it is for, optional
    ("cv2", "OpenCV (redressement, qualité des images)", False),
    ("pdfplumber", "pdfplumber (texte des PDF natifs)", False),
    ("pypdfium2", "pypdfium2 (rendu des PDF scannés)", False),
    ("pytesseract", "pytesseract (appel de Tesseract)", False),
    ("PIL", "Pillow (images)", False),
    ("dateutil", "python-dateutil (dates, délais de 6 mois)", False),
    ("pillow_heif", "pillow-heif (photos HEIC des iPhone)", True),
    ("zxingcpp", "zxing-cpp (lecture des 2D-Doc)", True),
    ("rapidfuzz", "rapidfuzz (comparaison des noms)", False),
    ("jinja2", "Jinja2 (rapport HTML)", False),
)


def check_tesseract(command: str) -> list[DoctorCheck]:
    """Tesseract's presence, version and the fra/osd/eng language data."""
    try:
        info = probe_tesseract(command)
    except DependencyError as exc:
        return [DoctorCheck("Tesseract", False, exc.message, INSTALL_HINT)]
    version = ".".join(map(str, info.version))
    checks = [
        DoctorCheck(
            "Tesseract",
            info.version >= MIN_VERSION,
            f"version {version} ({info.command})",
            ""
            if info.version >= MIN_VERSION
            else f"Version trop ancienne (minimum 4.1, 5 conseillé) : {INSTALL_HINT}",
        )
    ]
    for lang, role, optional in (
        ("fra", "langue française (obligatoire)", False),
        ("osd", "détection d'orientation (pages tournées)", False),
        ("eng", "anglais (mentions bilingues des titres)", True),
    ):
        present = lang in info.languages
        checks.append(
            DoctorCheck(
                f"Données Tesseract « {lang} »",
                present,
                role if present else f"absentes — {role}",
                "" if present else f"apt-get install -y tesseract-ocr-{lang}",
                optional,
            )
        )
    return checks


def check_python_modules() -> list[DoctorCheck]:
    checks = []
    for module, role, optional in _PYTHON_MODULES:
        try:
            importlib.import_module(module)
            checks.append(DoctorCheck(role, True, "présent", optional=optional))
        except Exception as exc:  # noqa: BLE001 - an import can fail in many ways (missing .so…)
            package = {"cv2": "opencv-python-headless", "PIL": "pillow", "dateutil": "python-dateutil"}.get(
                module, module.replace("_", "-")
            )
            checks.append(
                DoctorCheck(role, False, f"absent ({type(exc).__name__})", f"pip install {package}", optional)
            )
    return checks


def check_cache() -> DoctorCheck:
    folder = default_cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder):
            pass
        return DoctorCheck("Cache OCR", True, str(folder), optional=True)
    except OSError as exc:
        return DoctorCheck(
            "Cache OCR",
            False,
            f"{folder} non inscriptible ({exc.strerror})",
            "export PREVERIF_CACHE_DIR=…",
            True,
        )


def check_threads() -> DoctorCheck:
    value = os.environ.get("OMP_THREAD_LIMIT")
    return DoctorCheck(
        "OMP_THREAD_LIMIT",
        True,
        "preverif impose 1 fil par appel de Tesseract (et parallélise par processus)"
        + (f" ; valeur actuelle {value}" if value else ""),
        optional=True,
    )


def run_checks(tesseract_command: str = "tesseract") -> list[DoctorCheck]:
    """Every check, required ones first."""
    return [*check_tesseract(tesseract_command), *check_python_modules(), check_cache(), check_threads()]
