"""The read stage with real Tesseract: the cache spares all OCR, page parallelism changes nothing, and a
born-digital page never reaches Tesseract."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from preverif.ocr.tesseract import configure, current_engine, ocr_image
from preverif.pipeline import FileRunner
from preverif.reading import analyse_file, count_pages
from preverif.records import InputFile
from preverif.settings import Settings

MISSING = "/nonexistent/bin/tesseract"
_FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in _FONT_PATHS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default()


def _page(lines: list[str]) -> Image.Image:
    """A small upright text page (about 150 dpi A5), quick to OCR."""
    image = Image.new("L", (900, 640), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((40, 40 + i * 44), line, font=_font(26), fill=0)
    return image


def _input(path: Path) -> InputFile:
    data = path.read_bytes()
    return InputFile(path=path, relpath=path.name, size=len(data), sha256=hashlib.sha256(data).hexdigest())


@pytest.fixture(scope="module")
def two_page_tiff(tmp_path_factory: pytest.TempPathFactory) -> InputFile:
    first = _page(["FACTURE ELECTRICITE", "Monsieur Jean DUPONT", "12 rue des Lilas 75011 Paris"])
    second = _page(["Montant total a payer", "Date de facture 03/02/2025", "Merci de votre confiance"])
    path = tmp_path_factory.mktemp("tiff") / "facture.tif"
    first.save(path, save_all=True, append_images=[second], dpi=(150, 150), compression="tiff_lzw")
    return _input(path)


def _words(analysis: object) -> list[list[str]]:
    return [[w.text for w in page.text.words] for page in analysis.pages]  # type: ignore[attr-defined]


def test_second_read_comes_from_cache_without_tesseract(two_page_tiff: InputFile, tmp_path: Path) -> None:
    settings = Settings(cache_dir=tmp_path / "cache", workers=1)
    first = analyse_file(two_page_tiff, settings)
    assert not first.from_cache
    assert any("DUPONT" in " ".join(page) for page in _words(first))
    # a missing binary: any OCR now fails, so an identical result proves that none was run
    broken = replace(settings, tesseract_cmd=MISSING)
    second = analyse_file(two_page_tiff, broken)
    assert second.from_cache
    assert _words(second) == _words(first)
    assert [p.rotation for p in second.pages] == [p.rotation for p in first.pages]
    assert all(p.error is None for p in second.pages)


def test_missing_binary_without_cache_fails_the_page(two_page_tiff: InputFile) -> None:
    """The control for the test above: without the cache the missing binary does show."""
    broken = Settings(cache_dir=None, workers=1, tesseract_cmd=MISSING)
    analysis = analyse_file(two_page_tiff, broken)
    assert analysis.pages and all(p.error is not None for p in analysis.pages)


def test_page_parallel_read_equals_sequential(two_page_tiff: InputFile) -> None:
    assert count_pages(two_page_tiff) == (2, 2)
    sequential = FileRunner(Settings(cache_dir=None, workers=1)).run([two_page_tiff])[0]
    runner = FileRunner(Settings(cache_dir=None, workers=2))
    assert len(runner._plan(two_page_tiff)) == 2  # one slice of pages per worker
    try:
        parallel = runner.run([two_page_tiff])[0]
    finally:
        runner.close()
    assert [p.number for p in parallel.pages] == [1, 2]
    assert _words(parallel) == _words(sequential)
    assert [p.rotation for p in parallel.pages] == [p.rotation for p in sequential.pages]
    assert parallel.mrz == sequential.mrz


def test_born_digital_page_never_calls_tesseract(tmp_path: Path) -> None:
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    path = tmp_path / "attestation.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.drawString(72, 760, "Attestation de droits Jean DUPONT")  # sparse: would tempt the MRZ reader
    pdf.save()
    broken = Settings(cache_dir=None, workers=1, tesseract_cmd=MISSING)
    analysis = analyse_file(_input(path), broken)
    assert analysis.kind == "pdf_digital"
    (page,) = analysis.pages
    assert page.error is None
    assert page.text.source == "text_layer"
    assert "DUPONT" in page.text.text


@pytest.mark.parametrize(
    "engine", [pytest.param("pytesseract", id="pytesseract"), pytest.param("auto", id="auto")]
)
def test_engines_read_the_same_words(engine: str) -> None:
    chosen = configure("tesseract", engine)
    try:
        assert current_engine() == chosen
        text = ocr_image(
            __import__("numpy").asarray(_page(["Justificatif de domicile", "Jean DUPONT"])), lang="fra+eng"
        )
    finally:
        configure("tesseract")
    assert [w.text for w in text.words] == ["Justificatif", "de", "domicile", "Jean", "DUPONT"]
    assert len({w.line for w in text.words}) == 2
    assert all(w.confidence > 50 for w in text.words)


def test_thumbnails_and_image_cues_are_the_same_cold_and_warm(
    two_page_tiff: InputFile, tmp_path: Path
) -> None:
    """Workers send back small grey thumbnails and the cues measured on the full page; the cache keeps both
    losslessly, so a warm run classifies from exactly what the cold run saw."""
    settings = Settings(cache_dir=tmp_path / "cache", workers=1)
    cold = analyse_file(two_page_tiff, settings)
    warm = analyse_file(two_page_tiff, settings)
    assert warm.from_cache and not cold.from_cache
    for a, b in zip(cold.pages, warm.pages, strict=True):
        assert max(a.image.shape) <= 1200
        assert a.image.ndim == 2
        assert set(a.visual) == {"handwriting", "portrait", "photo_grid", "id_card"}
        assert dict(a.visual) == dict(b.visual)
        assert (a.image == b.image).all()
        word = a.text.words[0]
        box = a.to_image(word.box)
        assert box.left <= a.image.shape[1] and box.top <= a.image.shape[0]
        assert a.image_scale == 1.0  # a small page is its own thumbnail


def test_a_large_page_leaves_the_worker_as_a_thumbnail_with_boxes_scaled(tmp_path: Path) -> None:
    big = Image.new("L", (2480, 3508), 255)  # A4 at 300 dpi
    draw = ImageDraw.Draw(big)
    draw.text((200, 300), "FACTURE ELECTRICITE Monsieur Jean DUPONT", font=_font(60), fill=0)
    path = tmp_path / "a4.png"
    big.save(path, dpi=(300, 300))
    [page] = analyse_file(_input(path), Settings(cache_dir=None, workers=1)).pages
    assert max(page.image.shape) == 1200
    assert page.quality.width == 2480
    assert abs(page.image_scale - 1200 / 3508) < 0.01
    word = next(w for w in page.text.words if "DUPONT" in w.text)
    box = page.to_image(word.box)
    assert box.right <= page.image.shape[1] and box.bottom <= page.image.shape[0]
    assert page.image[box.top : box.bottom, box.left : box.right].min() < 128  # the ink is where the box says


@pytest.mark.parametrize(
    ("content", "code"),
    [
        pytest.param(b"", "empty", id="empty-file"),
        pytest.param(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "corrupt", id="truncated-pdf"),
    ],
)
def test_cached_problem_names_the_file_it_is_about(tmp_path: Path, content: bytes, code: str) -> None:
    """Two dossiers holding the same broken content under two names: each report names its own file."""
    settings = Settings(cache_dir=tmp_path / "cache", workers=1)
    first_path, second_path = tmp_path / "a" / "scan0026.pdf", tmp_path / "b" / "scan0024.pdf"
    for path in (first_path, second_path):
        path.parent.mkdir()
        path.write_bytes(content)
    first = analyse_file(_input(first_path), settings)
    second = analyse_file(_input(second_path), settings)
    assert second.from_cache
    assert first.problem is not None and second.problem is not None
    assert first.problem.code == second.problem.code
    assert first.problem.file.endswith("scan0026.pdf")
    assert second.problem.file.endswith("scan0024.pdf")


def _bill_page(heading_grey: int) -> object:
    import numpy as np

    from preverif.imaging.enhance import normalise_lighting

    bold = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 30)
    image = Image.new("L", (1240, 900), 245)
    draw = ImageDraw.Draw(image)
    draw.text((90, 30), "FACTURE DE GAZ", font=bold, fill=0)
    draw.text((90, 90), "Date de facture : 27/06/2026", font=bold, fill=heading_grey)
    for i in range(14):
        draw.text(
            (90, 170 + i * 40),
            "Consommation gaz naturel 1616 kWh, montant TTC 259,75 EUR",
            font=_font(22),
            fill=20,
        )
    return normalise_lighting(np.asarray(image))


@pytest.mark.parametrize("grey", [pytest.param(190, id="grey-190"), pytest.param(200, id="grey-200")])
def test_pale_issue_date_line_is_read_again(grey: int) -> None:
    """A bill's « Date de facture » printed in a pale grey beside black text: Tesseract's global threshold
    files it with the paper (a 150-dpi gas bill lost it); the re-read with the adaptive threshold adds it."""
    from preverif.reading import read_page_text, reread_light_print

    configure("tesseract")
    settings = Settings(cache_dir=None)
    page = _bill_page(grey)
    first = read_page_text(page, None, settings, dpi=150)
    text = reread_light_print(page, first, settings, 150)
    assert "27/06/2026" in text.text
    assert "Consommation" in text.text
    assert len(text.words) >= len(first.words)


def test_bill_with_its_label_or_another_page_is_not_read_again() -> None:
    from preverif.reading import read_page_text, reread_light_print

    configure("tesseract")
    settings = Settings(cache_dir=None)
    page = _bill_page(0)  # the label in black: read the first time
    first = read_page_text(page, None, settings, dpi=150)
    assert "Date de facture" in first.text
    assert reread_light_print(page, first, settings, 150) is first
    letter = _page(["Monsieur Jean DUPONT", "12 rue des Lilas 75011 Paris", "Bonjour"])
    import numpy as np

    other = read_page_text(np.asarray(letter), None, settings, dpi=150)
    assert reread_light_print(np.asarray(letter), other, settings, 150) is other
