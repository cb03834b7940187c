"""The histogram-based grey statistics give exactly what numpy's float versions gave."""

from __future__ import annotations

import numpy as np
import pytest

from preverif.imaging.enhance import normalise_lighting, stretch_contrast
from preverif.imaging.levels import grey_percentiles, mean_and_std


def _page(kind: str) -> np.ndarray:
    rng = np.random.default_rng(7)
    if kind == "noise":
        return rng.integers(0, 256, (301, 517), dtype=np.uint8)
    if kind == "text-on-paper":
        page = np.full((400, 300), 235, np.uint8)
        page[50:60, 20:280] = 20
        page[100:104, 20:200] = 40
        return page
    if kind == "shadowed":
        ys, xs = np.mgrid[0:500, 0:350]
        page = (250 - 0.25 * xs - 0.1 * ys).astype(np.uint8)
        page[200:215, 30:320] = 15
        return page
    if kind == "flat":
        return np.full((40, 60), 128, np.uint8)
    return np.zeros((1, 1), np.uint8)


KINDS = ["noise", "text-on-paper", "shadowed", "flat", "single-pixel"]


@pytest.mark.parametrize("kind", [pytest.param(k, id=k) for k in KINDS])
def test_percentiles_equal_numpy(kind: str) -> None:
    page = _page(kind)
    percents = [0, 1, 5, 12.5, 50, 95, 99, 100]
    assert grey_percentiles(page, percents) == pytest.approx(list(np.percentile(page, percents)), abs=1e-9)


@pytest.mark.parametrize("kind", [pytest.param(k, id=k) for k in KINDS])
def test_mean_and_std_equal_numpy(kind: str) -> None:
    page = _page(kind)
    mean, std = mean_and_std(page)
    assert mean == pytest.approx(float(page.mean()), abs=1e-6)
    assert std == pytest.approx(float(page.std()), abs=1e-6)


def _reference_stretch(grey: np.ndarray) -> np.ndarray:
    lo, hi = np.percentile(grey, [1.0, 99.0])
    if hi - lo < 10:
        return grey
    scaled = (grey.astype(np.float32) - float(lo)) * (255.0 / float(hi - lo))
    return np.clip(scaled, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("kind", [pytest.param(k, id=k) for k in KINDS])
def test_stretch_equals_float_version(kind: str) -> None:
    page = _page(kind)
    assert np.array_equal(stretch_contrast(page), _reference_stretch(page))


def test_shadowed_page_is_flattened() -> None:
    page = _page("shadowed")
    out = normalise_lighting(page)
    paper = out[:150]
    assert out.shape == page.shape and out.dtype == np.uint8
    assert float(paper.std()) < float(page[:150].std()) / 3  # the shadow's gradient is gone
    assert int(out[205, 100]) < 60  # the ink line stays dark


def test_junk_levels() -> None:
    empty = np.zeros((0, 0), np.uint8)
    assert grey_percentiles(empty, [50]) == [0.0]
    assert grey_percentiles(np.array([[1.5, 2.5]], np.float32), [50]) == [2.0]
