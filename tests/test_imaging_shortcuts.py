"""The preparation's shortcuts (shared resizes, histograms and labellings, vectorised loops, a leaner barcode
pass) must give exactly what the straightforward computation gives: checked here against reference
implementations written out in full, on pages drawn by the test."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
import zxingcpp

from preverif.barcodes.twoddoc import decode_barcodes
from preverif.imaging import deskew as deskew_module
from preverif.imaging.deskew import keep_character_marks, text_axis
from preverif.imaging.enhance import normalise_lighting
from preverif.imaging.levels import grey_histogram, grey_percentiles
from preverif.imaging.orient import count_characters, detect_orientation, header_rotation, resize_for_osd
from preverif.imaging.quality import measure_quality, resize_for_sharpness
from preverif.records import Image

LINES = (
    "Facture d'electricite du 12 mars 2024",
    "Monsieur Jean DUPONT, 12 rue de la Republique",
    "75011 Paris - Reference client 4402 1187 23",
    "Montant total a payer : 87,42 euros",
    "Prelevement automatique le 28 mars 2024",
)


def text_page(height: int, width: int, *, shadow: bool = False, turn: int = 0) -> Image:
    """A white page with lines of text (optionally a lighting gradient, optionally turned)."""
    page = np.full((height, width), 245, np.uint8)
    scale = width / 900
    for i in range(18):
        text = LINES[i % len(LINES)]
        y = int((90 + i * 48) * scale)
        if y > height - 20:
            break
        cv2.putText(
            page,
            text,
            (int(50 * scale), y),
            cv2.FONT_HERSHEY_SIMPLEX,
            0.8 * scale,
            20,
            max(1, round(2 * scale)),
        )
    if shadow:
        ramp = np.linspace(0.45, 1.0, width, dtype=np.float32)[None, :]
        page = np.clip(page.astype(np.float32) * ramp, 0, 255).astype(np.uint8)
    return np.ascontiguousarray(np.rot90(page, -(turn // 90))) if turn else page


PAGES = [
    pytest.param(text_page(1700, 1200), id="a4-150dpi"),
    pytest.param(text_page(2339, 1654, shadow=True), id="a4-200dpi-shadow"),
    pytest.param(text_page(1200, 850), id="exactly-1200"),
    pytest.param(text_page(1240, 880, turn=90), id="within-5pc-sideways"),
    pytest.param(text_page(700, 1100), id="landscape-small"),
]


def reference_line_blobs(binary: Image, horizontal: bool) -> float:
    """The per-component loop the vectorised version replaced."""
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (15, 1) if horizontal else (1, 15))
    smeared = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, kernel)
    count, _, stats, _ = cv2.connectedComponentsWithStats(smeared, connectivity=8)
    total = 0.0
    for i in range(1, count):
        width, height = int(stats[i, cv2.CC_STAT_WIDTH]), int(stats[i, cv2.CC_STAT_HEIGHT])
        along, across = (width, height) if horizontal else (height, width)
        if along > 0.9 * (binary.shape[1] if horizontal else binary.shape[0]):
            continue
        if along >= 30 and 4 <= across <= 45 and along >= 8 * across:
            total += along
    return total


def reference_marks(binary: Image) -> Image:
    _, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    widths, heights = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    keep = (heights >= 3) & (heights <= 40) & (widths >= 3) & (widths <= 40)
    keep[0] = False
    return np.ascontiguousarray(np.where(keep[labels], 255, 0), dtype=np.uint8)


def threshold(grey: Image) -> Image:
    return np.ascontiguousarray(
        cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15),
        dtype=np.uint8,
    )


@pytest.mark.parametrize("page", PAGES)
def test_character_marks_and_line_blobs_match_reference(page: Image) -> None:
    binary = threshold(resize_for_osd(page))
    marks = keep_character_marks(binary)
    assert marks.dtype == np.uint8
    assert np.array_equal(marks, reference_marks(binary))
    for horizontal in (True, False):
        assert deskew_module._line_blobs(marks, horizontal) == reference_line_blobs(marks, horizontal)


@pytest.mark.parametrize("page", PAGES)
def test_shared_marks_give_the_same_axis_and_header(page: Image) -> None:
    small = resize_for_osd(page)
    letters = keep_character_marks(threshold(small))
    if max(small.shape) <= deskew_module.AXIS_LONG_SIDE:
        assert text_axis(small, letters) == text_axis(small)
    assert header_rotation(small, letters) == header_rotation(small)
    assert count_characters(small) > 40


@pytest.mark.parametrize(
    "page",
    [
        pytest.param(text_page(1700, 1200), id="upright"),
        pytest.param(text_page(1240, 880, turn=90), id="sideways"),
    ],
)
def test_orientation_with_precomputed_small_page(page: Image) -> None:
    assert detect_orientation(page, False, small=resize_for_osd(page)) == detect_orientation(page, False)


@pytest.mark.parametrize("page", PAGES)
def test_quality_and_lighting_with_shared_work_are_identical(page: Image) -> None:
    counts = grey_histogram(page)
    small = resize_for_osd(page)
    work = small if small is not page else resize_for_sharpness(page)
    assert np.array_equal(work, resize_for_sharpness(page))
    assert measure_quality(page, 0, sharpness_work=work, counts=counts) == measure_quality(page, 0)
    shared, plain = normalise_lighting(page, counts), normalise_lighting(page)
    assert shared.dtype == plain.dtype and np.array_equal(shared, plain)


@pytest.mark.parametrize("percents", [pytest.param([0.5], id="ink"), pytest.param([1.0, 99.0], id="stretch")])
def test_percentiles_from_a_given_histogram(percents: list[float]) -> None:
    page = text_page(600, 420, shadow=True)
    expected = [float(v) for v in np.percentile(page, percents)]
    assert grey_percentiles(page, percents, grey_histogram(page)) == pytest.approx(expected, abs=1e-9)


def code_page(turn: int, *, module: int) -> Image:
    """A page with a 2D-Doc-like DataMatrix printed dark on light, turned by ``turn`` degrees."""
    symbol = zxingcpp.create_barcode("DC04FR000001TEST2D01", zxingcpp.BarcodeFormat.DataMatrix)
    code = np.asarray(symbol.to_image(scale=module), dtype=np.uint8)
    page = text_page(1400, 1000)
    page[200 : 200 + code.shape[0], 600 : 600 + code.shape[1]] = code
    return np.ascontiguousarray(np.rot90(page, -(turn // 90)))


@pytest.mark.parametrize(
    ("turn", "module"),
    [
        pytest.param(0, 6, id="upright"),
        pytest.param(90, 6, id="sideways"),
        pytest.param(180, 4, id="upside-down"),
        pytest.param(270, 2, id="small-modules-upscaled"),
    ],
)
def test_datamatrix_found_in_every_orientation(turn: int, module: int) -> None:
    codes = decode_barcodes(code_page(turn, module=module))
    assert [(c.format, c.text) for c in codes] == [("DataMatrix", "DC04FR000001TEST2D01")]


@pytest.mark.parametrize(
    "junk",
    [
        pytest.param(np.zeros((0, 0), np.uint8), id="empty"),
        pytest.param(np.full((5, 5), 255, np.uint8), id="tiny"),
        pytest.param(np.random.default_rng(1).integers(0, 256, (300, 200), dtype=np.uint8), id="noise"),
    ],
)
def test_junk_pages_give_no_codes(junk: Image) -> None:
    assert decode_barcodes(junk) == ()
