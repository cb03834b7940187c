"""The read stage's shortcuts give exactly what the long way gave: shared small copies for the image cues,
the paper level from a histogram, the hull of a print from its row ends, band locations found once per MRZ
search, and no MRZ search on a page that is one photograph."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from preverif.classify import visual
from preverif.extract import mrz
from preverif.imaging.levels import grey_percentiles
from preverif.reading import PHOTO_ONLY, MrzSearch, _wants_mrz


def _text_page() -> np.ndarray:
    page = np.full((1400, 1000), 250, np.uint8)
    for row in range(12):
        cv2.putText(
            page, "Facture 2026 numero 12345", (60, 120 + 90 * row), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 20, 2
        )
    return page


def _portrait_page() -> np.ndarray:
    page = np.full((900, 700), 235, np.uint8)
    cv2.ellipse(page, (350, 330), (130, 170), 0, 0, 360, 90, -1)  # head
    cv2.ellipse(page, (350, 900), (330, 260), 0, 180, 360, 60, -1)  # shoulders
    return page


def _card_on_paper() -> np.ndarray:
    page = np.full((1754, 1240), 248, np.uint8)
    cv2.rectangle(page, (200, 300), (200 + 856, 300 + 540), 170, -1)
    for row in range(6):
        cv2.putText(page, "IDFRA<<DUPONT<<<<", (240, 380 + 70 * row), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 30, 2)
    return page


def _photo_sheet() -> np.ndarray:
    page = np.full((1200, 900), 252, np.uint8)
    rng = np.random.default_rng(3)
    tile = rng.integers(40, 200, (320, 250)).astype(np.uint8)
    tile = np.asarray(cv2.GaussianBlur(tile, (31, 31), 0), np.uint8)
    for x, y in ((80, 100), (480, 100), (80, 600), (480, 600)):
        page[y : y + 320, x : x + 250] = tile
    return page


def _noise() -> np.ndarray:
    return np.random.default_rng(5).integers(0, 256, (600, 800, 3)).astype(np.uint8)


PAGES = [
    pytest.param(_text_page, id="text"),
    pytest.param(_portrait_page, id="portrait"),
    pytest.param(_card_on_paper, id="card"),
    pytest.param(_photo_sheet, id="photo-sheet"),
    pytest.param(_noise, id="colour-noise"),
    pytest.param(lambda: np.full((300, 200), 255, np.uint8), id="blank"),
    pytest.param(lambda: np.zeros((8, 8), np.uint8), id="tiny"),
]


@pytest.mark.parametrize("make", PAGES)
def test_measured_cues_equal_each_detector(make: object) -> None:
    page = make()  # type: ignore[operator]
    expected = {name: round(float(detect(page)), 4) for name, detect in visual.VISUAL_CUES.items()}
    assert visual.measure_visual_cues(page) == expected


@pytest.mark.parametrize(
    "grey",
    [
        pytest.param(np.full((50, 40), 200, np.uint8), id="flat"),
        pytest.param(np.arange(256, dtype=np.uint8).reshape(16, 16), id="every-level-once"),
        pytest.param(np.array([[0, 0, 0, 0, 0, 0, 0, 0, 0, 255]], np.uint8), id="split-at-the-rank"),
        pytest.param(np.random.default_rng(1).integers(0, 256, (300, 200)).astype(np.uint8), id="noise"),
        pytest.param(
            np.random.default_rng(2).integers(0, 256, (300, 400)).astype(np.uint8)[:, ::3], id="strided"
        ),
        pytest.param(np.array([[1, 2, 3]], np.uint8), id="too-small"),
        pytest.param(np.linspace(0, 1, 100).reshape(10, 10), id="float"),
    ],
)
def test_paper_level_is_the_90th_percentile(grey: np.ndarray) -> None:
    assert grey_percentiles(grey, [90])[0] == float(np.percentile(grey, 90))


def test_paper_level_on_many_random_pages() -> None:
    rng = np.random.default_rng(7)
    for _ in range(300):
        shape = (int(rng.integers(3, 120)), int(rng.integers(3, 120)))
        grey = rng.integers(0, int(rng.integers(1, 257)), shape).astype(np.uint8)
        grey[: int(shape[0] * rng.random())] = 255
        assert grey_percentiles(grey, [90])[0] == float(np.percentile(grey, 90))


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"shapes-{s}") for s in range(6)])
def test_row_ends_hull_fills_like_every_pixel_hull(seed: int) -> None:
    rng = np.random.default_rng(seed)
    mask = np.zeros((240, 320), np.uint8)
    for _ in range(4):
        centre = (int(rng.integers(0, 320)), int(rng.integers(0, 240)))
        cv2.circle(mask, centre, int(rng.integers(3, 70)), 255, -1)
    mask = np.where(rng.random(mask.shape) < 0.05 * seed, 255, mask).astype(np.uint8)
    whole = np.zeros_like(mask)
    cv2.fillConvexPoly(whole, cv2.convexHull(cv2.findNonZero(mask)), 255)
    ys, xs = np.nonzero(mask)
    x0, y0 = int(xs.min()), int(ys.min())
    region = mask[y0 : int(ys.max()) + 1, x0 : int(xs.max()) + 1] > 0
    fast = np.zeros_like(mask)
    cv2.fillConvexPoly(fast, cv2.convexHull(visual._row_ends(region, x0, y0)), 255)
    assert np.array_equal(whole, fast)


def _never() -> float:
    raise AssertionError("the portrait cue must not be asked for")


@pytest.mark.parametrize(
    ("text", "words", "portrait", "wanted"),
    [
        pytest.param("", 0, lambda: 1.0, MrzSearch.NONE, id="sparse-photo"),
        pytest.param("", 0, lambda: PHOTO_ONLY - 0.01, MrzSearch.TEMPLATES, id="sparse-not-a-photo"),
        pytest.param("", 5, lambda: 0.0, MrzSearch.TEMPLATES, id="sparse-default"),
        pytest.param("TOTAL TTC 12,50 EUR " * 5, 20, lambda: 0.0, MrzSearch.TEMPLATES, id="receipt"),
        pytest.param("IDFRA<<DUPONT", 3, _never, MrzSearch.FULL, id="mrz-wording-on-a-photo"),
        pytest.param("Passeport", 200, _never, MrzSearch.FULL, id="passport-wording"),
        pytest.param("facture " * 80, 80, _never, MrzSearch.NONE, id="dense-text"),
    ],
)
def test_wants_mrz_skips_only_photographs(text: str, words: int, portrait: object, wanted: MrzSearch) -> None:
    assert _wants_mrz(text, words, portrait) is wanted  # type: ignore[arg-type]


def test_bands_located_once_per_rotation() -> None:
    page = _card_on_paper()
    located: dict[tuple[int, int], list[tuple[int, int, int, int]]] = {}
    first = mrz._bands_of(page, 0, 4, located)
    assert first == mrz.locate_mrz_bands(page, max_bands=4)
    assert mrz._bands_of(np.zeros((20, 20), np.uint8), 360, 4, located) == first  # the stored answer
    assert set(located) == {(0, 4)}
