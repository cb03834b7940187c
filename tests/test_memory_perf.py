"""Memory-saving paths of the read stage: partial loading, shared Tesseract APIs, freed heap, bench corpus."""

from __future__ import annotations

import hashlib
import io
import os
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image as PILImage
from PIL import ImageDraw

from preverif.ingest.load import load_pages, to_array
from preverif.ocr import tesseract
from preverif.reading import release_freed_memory
from preverif.records import InputFile
from preverif.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def _input(path: Path) -> InputFile:
    data = path.read_bytes()
    return InputFile(path=path, relpath=path.name, size=len(data), sha256=hashlib.sha256(data).hexdigest())


def _tiff(path: Path, frames: int) -> Path:
    pages = [PILImage.new("L", (120, 90), 40 * i) for i in range(frames)]
    pages[0].save(path, save_all=True, append_images=pages[1:])
    return path


def _pdf(path: Path, pages: int) -> Path:
    from reportlab.pdfgen import canvas

    doc = canvas.Canvas(str(path), pagesize=(200, 150))
    for i in range(pages):
        doc.rect(10 + 20 * i, 10, 30, 30, fill=1)  # no text: a scanned-like page, rendered at OCR dpi
        doc.showPage()
    doc.save()
    return path


@pytest.mark.parametrize(
    ("kind", "only", "expected"),
    [
        pytest.param("tiff", None, [1, 2, 3], id="tiff-all"),
        pytest.param("tiff", frozenset({2}), [2], id="tiff-second"),
        pytest.param("tiff", frozenset({1, 3}), [1, 3], id="tiff-odd"),
        pytest.param("pdf", None, [1, 2, 3], id="pdf-all"),
        pytest.param("pdf", frozenset({3}), [3], id="pdf-third"),
    ],
)
def test_load_pages_decodes_only_the_pages_asked(
    tmp_path: Path, kind: str, only: frozenset[int] | None, expected: list[int]
) -> None:
    path = _tiff(tmp_path / "p.tif", 3) if kind == "tiff" else _pdf(tmp_path / "p.pdf", 3)
    loaded = load_pages(_input(path), Settings(cache_dir=None), only)
    assert loaded.problem is None
    assert [p.number for p in loaded.pages] == expected
    full = load_pages(_input(path), Settings(cache_dir=None))
    by_number = {p.number: p for p in full.pages}
    for page in loaded.pages:  # a page read alone is the same page as read with the others
        other = by_number[page.number]
        assert page.image is not None and other.image is not None
        assert page.content_hash == other.content_hash
        assert np.array_equal(page.image, other.image)


@pytest.mark.parametrize(
    "mode", [pytest.param("RGB", id="rgb"), pytest.param("RGBA", id="rgba"), pytest.param("L", id="grey")]
)
def test_to_array_gives_writable_bgr(mode: str) -> None:
    im = PILImage.new("RGB", (7, 5), (10, 20, 30)).convert(mode)
    array = to_array(im)
    assert array.flags.c_contiguous
    if mode == "L":
        assert array.shape == (5, 7)
    else:  # swapped to BGR in place, in the one copy taken from Pillow
        assert array.shape == (5, 7, 3) and array.flags.writeable
        assert tuple(int(v) for v in array[0, 0]) == (30, 20, 10)


@pytest.mark.parametrize(
    "orientation", [pytest.param(1, id="none"), pytest.param(6, id="turn-6"), pytest.param(3, id="turn-3")]
)
def test_jpeg_exif_orientation_still_applied(tmp_path: Path, orientation: int) -> None:
    im = PILImage.new("RGB", (60, 30), "white")
    ImageDraw.Draw(im).rectangle((0, 0, 9, 9), fill="black")
    exif = PILImage.Exif()
    exif[0x0112] = orientation
    buf = io.BytesIO()
    im.save(buf, format="JPEG", exif=exif.tobytes(), quality=95)
    path = tmp_path / "e.jpg"
    path.write_bytes(buf.getvalue())
    page = load_pages(_input(path), Settings(cache_dir=None)).pages[0]
    assert page.image is not None
    expected = {1: (30, 60), 6: (60, 30), 3: (30, 60)}[orientation]
    assert page.image.shape[:2] == expected
    dark_corner = {1: (0, 0), 6: (0, expected[1] - 1), 3: (expected[0] - 1, expected[1] - 1)}[orientation]
    assert int(page.image[dark_corner[0], dark_corner[1]].mean()) < 80


def _line_image(text: str) -> np.ndarray:
    im = PILImage.new("L", (700, 90), 255)
    from PIL import ImageFont

    try:
        font: ImageFont.ImageFont | ImageFont.FreeTypeFont = ImageFont.truetype("DejaVuSans.ttf", 40)
    except OSError:
        font = ImageFont.load_default()
    ImageDraw.Draw(im).text((12, 20), text, fill=0, font=font)
    return np.asarray(im, dtype=np.uint8).copy()


@pytest.mark.skipif(tesseract.configure("tesseract") != "tesserocr", reason="tesserocr not installed")
def test_runtime_whitelist_shares_one_api_and_is_restored() -> None:
    image = _line_image("AB12 cdef 34")
    whitelist = "-c tessedit_char_whitelist=ABCDEF0123456789"
    plain_before = tesseract.ocr_text(image, lang="eng", psm=7)
    keys_before = set(tesseract._APIS)
    restricted = tesseract.ocr_text(image, lang="eng", psm=7, config=whitelist)
    plain_after = tesseract.ocr_text(image, lang="eng", psm=7)
    assert set(restricted.strip().replace(" ", "")) <= set("ABCDEF0123456789")
    assert plain_after == plain_before  # the whitelist did not stay on the shared API
    assert set(tesseract._APIS) == keys_before  # a runtime variable: no second copy of the models
    # a dictionary switch is read when the model loads: it keeps an API of its own
    tesseract.ocr_text(image, lang="eng", psm=7, config=whitelist + " -c load_system_dawg=0")
    assert ("eng", "load_system_dawg=0") in tesseract._APIS


@pytest.mark.parametrize(
    ("config", "init", "runtime"),
    [
        pytest.param("", {}, {}, id="empty"),
        pytest.param("-c a=b", {}, {"a": "b"}, id="runtime"),
        pytest.param("-c load_freq_dawg=0 -c x=1", {"load_freq_dawg": "0"}, {"x": "1"}, id="both"),
        pytest.param("-c -c = junk", {}, {}, id="junk"),
    ],
)
def test_split_variables(config: str, init: dict[str, str], runtime: dict[str, str]) -> None:
    assert tesseract._split_variables(config) == (init, runtime)


def test_release_freed_memory_lowers_resident_size() -> None:
    def rss_kb() -> int:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    if not Path("/proc/self/status").exists():
        pytest.skip("no /proc on this system")
    # many small blocks (below the mmap threshold) live on the heap: freed, glibc keeps them resident
    blocks = [bytearray(64 * 1024) for _ in range(1500)]
    for block in blocks:
        block[::4096] = b"x" * len(block[::4096])
    del blocks
    before = rss_kb()
    release_freed_memory()
    release_freed_memory()  # twice is harmless
    assert rss_kb() <= before


@pytest.mark.parametrize("minimum", [pytest.param(0, id="default"), pytest.param(8, id="eight")])
def test_generator_pads_dossiers_to_min_documents(minimum: int) -> None:
    from datetime import date

    sys.path.insert(0, str(ROOT / "scripts"))
    from samplegen import dossiers

    plan = dossiers.plan_dossier(3, 4242, date(2026, 11, 27), min_documents=minimum)
    names = {doc.key for f in plan.files if f.broken is None for doc in f.docs}
    assert len(names) >= max(4, minimum)
    if minimum == 0:  # unchanged plans for every existing seed
        assert plan == dossiers.plan_dossier(3, 4242, date(2026, 11, 27))


def _count_after_ocr(_: int) -> int:
    tesseract.ocr_text(_line_image("AB12"), lang="eng", psm=7)
    return len(tesseract._APIS)


@pytest.mark.skipif(tesseract.configure("tesseract") != "tesserocr", reason="tesserocr not installed")
@pytest.mark.skipif(os.name != "posix", reason="workers inherit models only when forked")
def test_forked_worker_reuses_preloaded_models() -> None:
    import multiprocessing

    loaded = tesseract.preload_models((("eng", ""), ("osd", "")))
    assert loaded >= 2
    with multiprocessing.get_context("fork").Pool(1) as pool:
        in_child = pool.map(_count_after_ocr, [0])[0]
    assert in_child == loaded  # the child read with the inherited API: it loaded no model of its own
