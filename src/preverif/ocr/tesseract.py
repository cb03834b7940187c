"""The only wrapper around Tesseract. Every call runs single-threaded (OMP_THREAD_LIMIT=1) with a timeout.

Tesseract's own OpenMP threads make it about 8× slower on a 2-core machine; preverif parallelises across
processes instead (see pipeline.py).

Two engines give the same words: tesserocr (libtesseract in-process, its models loaded once per worker:
no process start nor model load per call, measured 2–3× faster per page here) when it is installed and the
settings name the default ``tesseract`` command, else pytesseract (the ``tesseract`` command per call).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytesseract

from preverif.errors import DependencyError, OcrError
from preverif.records import Box, Image, PageText, Word

os.environ["OMP_THREAD_LIMIT"] = "1"  # inherited by every tesseract child process

MIN_VERSION = (4, 1)
INSTALL_HINT = "apt-get install -y tesseract-ocr tesseract-ocr-fra tesseract-ocr-osd"


@dataclass(frozen=True)
class TesseractInfo:
    """What the installed Tesseract is and which language data it has."""

    command: str
    version: tuple[int, ...]
    version_text: str
    languages: tuple[str, ...]


@dataclass(frozen=True)
class OsdResult:
    """Tesseract's orientation guess: rotate the image clockwise by ``rotate`` degrees to make it upright."""

    rotate: int
    confidence: float
    script: str


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"
    return env


def probe_tesseract(command: str = "tesseract", timeout: float = 15.0) -> TesseractInfo:
    """Find Tesseract, read its version and languages; raise DependencyError (French) when unusable."""
    path = shutil.which(command) if os.sep not in command else (command if os.path.exists(command) else None)
    if path is None:
        raise DependencyError(f"Tesseract est introuvable ({command}). Installez-le : {INSTALL_HINT}")
    try:
        out = subprocess.run(
            [path, "--version"], capture_output=True, text=True, timeout=timeout, env=_env(), check=False
        )
        langs = subprocess.run(
            [path, "--list-langs"], capture_output=True, text=True, timeout=timeout, env=_env(), check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DependencyError(
            f"Tesseract ({path}) ne répond pas : {exc}. Réinstallez-le : {INSTALL_HINT}"
        ) from exc
    text = (out.stdout or "") + (out.stderr or "")
    match = re.search(r"tesseract\s+v?(\d+)\.(\d+)(?:\.(\d+))?", text)
    if not match:
        raise DependencyError(f"Version de Tesseract illisible ({path}). Réinstallez-le : {INSTALL_HINT}")
    version = tuple(int(g) for g in match.groups() if g is not None)
    lang_lines = ((langs.stdout or "") + (langs.stderr or "")).splitlines()
    languages = tuple(
        sorted(line.strip() for line in lang_lines if re.fullmatch(r"[a-z_A-Z]+", line.strip()))
    )
    return TesseractInfo(command=path, version=version, version_text=match.group(0), languages=languages)


_STATE: dict[str, str] = {"engine": "pytesseract"}
# (lang, init-only variables) → tesserocr API. A forked worker inherits the parent's (see preload_models).
_APIS: dict[tuple[str, str], Any] = {}
_TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
)


def _tessdata_dir() -> str | None:
    """The system's language data (tesserocr's wheel brings the library, not the models)."""
    env = os.environ.get("TESSDATA_PREFIX")
    for folder in ((env,) if env else ()) + _TESSDATA_DIRS:
        if os.path.exists(os.path.join(folder, "eng.traineddata")):
            return folder
    return None


def configure(command: str, engine: str = "auto") -> str:
    """Choose the engine for this process and point pytesseract at the settings' binary; return the engine.

    ``auto`` takes tesserocr when it imports, finds the language data, and ``command`` is the default one (a
    custom binary is the user's explicit choice, so it is honoured through pytesseract).
    """
    pytesseract.pytesseract.tesseract_cmd = command
    chosen = "pytesseract"
    if engine in ("auto", "tesserocr") and (command == "tesseract" or engine == "tesserocr"):
        try:
            import tesserocr  # noqa: F401

            if _tessdata_dir() is not None:
                chosen = "tesserocr"
        except ImportError:
            pass
    _STATE["engine"] = chosen
    return chosen


def current_engine() -> str:
    """'tesserocr' or 'pytesseract': what the next call will use in this process."""
    return _STATE["engine"]


def _parse_config(config: str) -> dict[str, str]:
    """``-c key=value`` pairs of a Tesseract command line as variables for the API."""
    variables: dict[str, str] = {}
    parts = config.split()
    for i, part in enumerate(parts):
        if part == "-c" and i + 1 < len(parts) and "=" in parts[i + 1]:
            key, value = parts[i + 1].split("=", 1)
            variables[key] = value
    return variables


# Variables Tesseract reads only when it loads a model (the dictionaries): they need an API of their own.
_INIT_ONLY_PREFIXES = ("load_", "user_words", "user_patterns", "tessedit_ocr_engine_mode")


def _split_variables(config: str) -> tuple[dict[str, str], dict[str, str]]:
    """(init-only, runtime) variables of a config: only the former make a distinct API."""
    variables = {k: v for k, v in _parse_config(config).items() if k}
    init = {k: v for k, v in variables.items() if k.startswith(_INIT_ONLY_PREFIXES)}
    runtime = {k: v for k, v in variables.items() if k not in init}
    return init, runtime


def _api(lang: str, config: str) -> Any:
    """A tesserocr API for (lang, init-only variables), created once per process (its models stay loaded).

    Runtime variables (a character whitelist) do not make a new API: the caller sets them for one call
    through ``_runtime_variables``. Each API holds its own copy of the models (fra+eng about 60 MB, eng
    13 MB, osd 31 MB), and a worker's memory is what limits a batch.
    """
    init, _runtime = _split_variables(config)
    key = (lang, " ".join(f"{k}={v}" for k, v in sorted(init.items())))
    api = _APIS.get(key)
    if api is None:
        import tesserocr

        if len(_APIS) > 8:  # a handful of (lang, config) pairs are used; never grow without bound
            for old in list(_APIS):
                _APIS.pop(old).End()
        try:
            api = tesserocr.PyTessBaseAPI(
                path=_tessdata_dir() or "",
                lang=lang,
                oem=tesserocr.OEM.DEFAULT if lang == "osd" else tesserocr.OEM.LSTM_ONLY,
                variables=init,
            )
        except RuntimeError as exc:
            raise DependencyError(
                f"Tesseract ne peut pas charger la langue « {lang} ». Installez-la : {INSTALL_HINT}"
            ) from exc
        _APIS[key] = api
    return api


def preload_models(configs: tuple[tuple[str, str], ...]) -> int:
    """Load the (lang, config) models in this process before it forks its workers; return how many.

    A forked worker then uses the inherited APIs: their model weights are never written after loading, so
    the workers share one copy of them (about 120 MB) instead of loading one each. Nothing with pytesseract.
    """
    if _STATE["engine"] != "tesserocr":
        return 0
    for lang, config in configs:
        try:
            _api(lang, config)
        except DependencyError:
            continue  # a missing language is reported where it is used
    return len(_APIS)


@contextmanager
def _runtime_variables(api: Any, config: str) -> Iterator[None]:
    """Set a config's runtime variables on a shared API for one call, then put the previous values back."""
    saved: dict[str, str] = {}
    try:
        for name, value in _split_variables(config)[1].items():
            saved[name] = str(api.GetVariableAsString(name) or "")
            if not api.SetVariable(name, value):
                saved.pop(name)
                raise OcrError(f"Réglage Tesseract inconnu : {name}")
        yield
    finally:
        for name, value in saved.items():
            api.SetVariable(name, value)


DEFAULT_DPI = 300


def _dpi_option(dpi: float | None) -> str:
    """The command line's resolution option when the page's is known (else Tesseract estimates it)."""
    return f"--dpi {int(min(1200, max(70, dpi)))}" if dpi else ""


def _recognise(image: Image, lang: str, psm: int, config: str, timeout: float, dpi: float | None) -> Any:
    """Run tesserocr on ``image``; raise OcrError (French) on timeout.

    The resolution must be given: an image handed over in memory has none, and Tesseract then assumes
    70 dpi, which wrecks its layout analysis (a 300-dpi ID card read 47 words instead of 108).
    """
    api = _api(lang, config)
    api.SetPageSegMode(psm)
    api.SetImage(_as_pil(image))
    api.SetSourceResolution(int(min(1200, max(70, dpi or DEFAULT_DPI))))
    with _runtime_variables(api, config):
        recognised = api.Recognize(timeout=max(1, int(timeout * 1000)))
    if not recognised:
        api.Clear()
        raise OcrError(f"Tesseract a dépassé le délai ({timeout} s) sur cette page.")
    return api


def _tsv_to_data(tsv: str) -> dict[str, list[str]]:
    """tesserocr's TSV rows as pytesseract's image_to_data dictionary (same columns, same meaning)."""
    columns: tuple[str, ...] = ("level", "page_num", "block_num", "par_num", "line_num", "word_num")
    columns += ("left", "top", "width", "height", "conf", "text")
    data: dict[str, list[str]] = {c: [] for c in columns}
    for row in tsv.splitlines():
        cells = row.split("\t")
        if len(cells) < len(columns):
            continue
        for name, cell in zip(columns, cells, strict=False):
            data[name].append(cell)
    return data


def _as_pil(image: Image) -> object:
    from PIL import Image as PILImage

    if image.ndim == 3:
        # OpenCV arrays are BGR; Tesseract wants RGB or grey.
        return PILImage.fromarray(np.ascontiguousarray(image[:, :, ::-1]))
    return PILImage.fromarray(image)


def _run(func: object, image: Image, **kwargs: object) -> object:
    try:
        return func(_as_pil(image), **kwargs)  # type: ignore[operator]
    except RuntimeError as exc:  # pytesseract raises RuntimeError on timeout
        raise OcrError(f"Tesseract a dépassé le délai ({kwargs.get('timeout')} s) sur cette page.") from exc
    except pytesseract.TesseractNotFoundError as exc:
        raise DependencyError(f"Tesseract est introuvable. Installez-le : {INSTALL_HINT}") from exc
    except pytesseract.TesseractError as exc:
        raise OcrError(f"Tesseract a échoué sur cette page : {exc.message}") from exc


def ocr_image(
    image: Image,
    *,
    lang: str = "fra+eng",
    psm: int = 3,
    config: str = "",
    timeout: float = 60.0,
    dpi: float | None = None,
) -> PageText:
    """OCR a page image into words with boxes and confidences, in reading order (LSTM engine)."""
    if _STATE["engine"] == "tesserocr":
        api = _recognise(image, lang, psm, config, timeout, dpi)
        data: object = _tsv_to_data(api.GetTSVText(0))
        api.Clear()
    else:
        data = _run(
            pytesseract.image_to_data,
            image,
            lang=lang,
            config=f"--oem 1 --psm {psm} {_dpi_option(dpi)} {config}".strip(),
            output_type=pytesseract.Output.DICT,
            timeout=timeout,
        )
    assert isinstance(data, dict)
    words: list[Word] = []
    line_ids: dict[tuple[int, int, int], int] = {}
    for i, raw in enumerate(data["text"]):
        text = str(raw).strip()
        conf = float(data["conf"][i])
        if not text or conf < 0:
            continue
        key = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        line = line_ids.setdefault(key, len(line_ids))
        box = Box(int(data["left"][i]), int(data["top"][i]), int(data["width"][i]), int(data["height"][i]))
        words.append(Word(text=text, box=box, confidence=conf, line=line, block=key[0]))
    mean = sum(w.confidence for w in words) / len(words) if words else 0.0
    return PageText(words=tuple(words), source="ocr", mean_confidence=mean)


def ocr_text(
    image: Image,
    *,
    lang: str = "eng",
    psm: int = 6,
    config: str = "",
    timeout: float = 30.0,
    dpi: float | None = None,
) -> str:
    """OCR a small crop (an MRZ band, a code) into plain text."""
    if _STATE["engine"] == "tesserocr":
        api = _recognise(image, lang, psm, config, timeout, dpi)
        out = str(api.GetUTF8Text())
        api.Clear()
        return out
    text = _run(
        pytesseract.image_to_string,
        image,
        lang=lang,
        config=f"--oem 1 --psm {psm} {_dpi_option(dpi)} {config}".strip(),
        timeout=timeout,
    )
    return str(text)


def run_osd(image: Image, *, timeout: float = 30.0) -> OsdResult | None:
    """Tesseract's orientation and script detection; None when it cannot tell (too little text)."""
    if _STATE["engine"] == "tesserocr":
        api = _api("osd", "")
        api.SetPageSegMode(0)  # OSD only
        api.SetImage(_as_pil(image))
        found = api.DetectOrientationScript()
        api.Clear()
        if not found:
            return None
        # orient_deg is how far the content is turned; the CLI's "Rotate" (what callers use) undoes it
        return OsdResult(
            rotate=(360 - int(found["orient_deg"])) % 360,
            confidence=float(found["orient_conf"]),
            script=str(found.get("script_name") or ""),
        )
    try:
        out = _run(pytesseract.image_to_osd, image, config="--psm 0", timeout=timeout)
    except OcrError:
        return None
    text = str(out)
    rotate = re.search(r"Rotate:\s*(\d+)", text)
    conf = re.search(r"Orientation confidence:\s*([\d.]+)", text)
    script = re.search(r"Script:\s*(\S+)", text)
    if not rotate:
        return None
    return OsdResult(
        rotate=int(rotate.group(1)) % 360,
        confidence=float(conf.group(1)) if conf else 0.0,
        script=script.group(1) if script else "",
    )


@dataclass(frozen=True)
class SymbolReading:
    """One character Tesseract recognised: its horizontal centre (image pixels) and its candidate
    characters with confidences (0–1), best first."""

    centre_x: float
    choices: tuple[tuple[str, float], ...]


def ocr_symbols(image: Image, lang: str, psm: int, config: str, timeout: float = 10.0) -> list[SymbolReading]:
    """Every character of ``image`` with Tesseract's alternatives (``-c lstm_choice_mode=2`` in ``config``).

    Code readers (e-photo codes) vote per character position between readings, which needs the runner-up
    characters that only the API exposes; with the command line each word's characters are spread
    evenly over its box, with the word's confidence and no alternatives.
    """
    if _STATE["engine"] != "tesserocr":
        symbols: list[SymbolReading] = []
        for word in ocr_image(image, lang=lang, psm=psm, config=config).words:
            chars = "".join(c for c in word.text.upper() if c.isalnum())
            for k, char in enumerate(chars):
                centre = word.box.left + (k + 0.5) * word.box.width / len(chars)
                symbols.append(SymbolReading(centre, ((char, max(0.05, word.confidence / 100.0)),)))
        return symbols
    import tesserocr

    api = _recognise(image, lang, psm, config, timeout, DEFAULT_DPI)
    level = tesserocr.RIL.SYMBOL
    found: list[SymbolReading] = []
    try:
        for sym in tesserocr.iterate_level(api.GetIterator(), level):
            try:
                char = (sym.GetUTF8Text(level) or "").strip().upper()
                box = sym.BoundingBox(level)
                if len(char) != 1 or box is None:
                    continue
                choices = [(char, max(0.05, sym.Confidence(level) / 100.0))]
                for alt in sym.GetChoiceIterator():
                    text = (alt.GetUTF8Text() or "").strip().upper()
                    if len(text) == 1 and text != char:
                        choices.append((text, alt.Confidence() / 100.0))
            except RuntimeError:  # tesserocr raises on an empty symbol
                continue
            found.append(SymbolReading((box[0] + box[2]) / 2, tuple(choices)))
    finally:
        api.Clear()
    return found
