"""MRZ bands of faxed identity cards: 1-bit, thin broken strokes, specks, streaks and white drop-outs; the
card's back sometimes faxed beside its front on one landscape sheet. The exact lines must be read."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from mrz_bands import td1_band
from preverif.extract.mrz import _despeckled, _without_streaks, read_mrz_with_rotation

OCRB = Path("/usr/share/fonts/opentype/ocr-b/OCRB.otf")
TODAY = date(2026, 11, 27)
CAP = 20  # cap height of a card's MRZ faxed at 200 dpi
pytestmark = pytest.mark.skipif(not OCRB.is_file(), reason="OCR-B font absent")


# letters whose foot or top a drop-out turns into another one (Z/7, J/T, U/O, Y/V)
BAND = td1_band("ZRJ4UY6KL", "071219", "M", "340419", "LAURENT<<YANIS<ANDRE<JOSE")
PITCH = 1.9 * CAP  # line spacing of the MRZ


def _sheet(defect: str) -> tuple[np.ndarray, int]:
    """A white A4-landscape-like sheet with the card's back (its MRZ at CAP px) and where line 1's cap top is;
    ``beside_front``: the card's front on the left, its text level with the MRZ's first line."""
    size = round(CAP / 0.71)
    font = ImageFont.truetype(str(OCRB), size)
    small = ImageFont.truetype(str(OCRB), round(size * 0.8))
    sheet = Image.new("L", (1700, 700), 255)
    draw = ImageDraw.Draw(sheet)
    x0, top = 900, 300
    draw.text((x0, top - 4 * CAP), "PREFECTURE 45", font=small, fill=0)
    for i, line in enumerate(BAND):
        draw.text((x0, round(top + PITCH * i)), line, font=font, fill=0)
    if defect == "beside_front":
        draw.text((560, top), "PARIS 14E (75)", font=font, fill=0)
        draw.text((560, top - 2 * CAP), "LIEU DE NAISSANCE", font=small, fill=0)
        draw.text((560, round(top + 2.5 * CAP)), "13 11 2034", font=font, fill=0)
    # where the cap top of line 1 lands (PIL draws from the ascender line)
    ink = np.asarray(sheet, np.uint8)[:, x0 : x0 + 30 * CAP] < 128
    cap_top = int(np.nonzero(ink[top - 10 : top + CAP * 2].any(axis=1))[0][0]) + top - 10
    return np.asarray(sheet, np.uint8), cap_top


def _fax(image: np.ndarray, defect: str, cap_top: int) -> np.ndarray:
    """Binarised as a fax sends it: thin strokes with breaks, specks, a vertical streak, and ``defect``."""
    rng = np.random.default_rng(11)
    ink = image < 100  # a high threshold: strokes come out thin
    ink &= rng.random(ink.shape) > 0.06  # broken strokes
    ink |= rng.random(ink.shape) < 0.002  # specks
    ink[:, 870] = rng.random(ink.shape[0]) < 0.7  # a dashed vertical streak (the fold between the sides)
    if defect == "dropout_foot":  # white scan lines erase the foot of line 1's letters
        ink[cap_top + round(0.8 * CAP) : cap_top + CAP + 2, :] = False
    if defect == "dropout_through":  # and run through line 3's letters
        third = cap_top + round(2 * PITCH)
        ink[third + round(0.2 * CAP) : third + round(0.2 * CAP) + 4, :] = False
    if defect == "specks":  # a dirty line: specks crowd the band, some beside the lines' ends
        ink |= rng.random(ink.shape) < 0.006
        for i in range(3):
            y = cap_top + round(PITCH * i) + CAP // 2
            ink[y : y + 2, 880:882] = True
    if defect == "black_streak":  # a black scan line struck through line 1
        ink[cap_top + CAP // 3 : cap_top + CAP // 3 + 3, :] = True
    return np.where(ink, 0, 255).astype(np.uint8)


@pytest.mark.parametrize(
    "defect",
    [
        pytest.param("dropout_foot", id="white-drop-out-erases-line-1-letters-foot"),
        pytest.param("dropout_through", id="white-drop-out-through-line-3"),
        pytest.param("black_streak", id="black-streak-through-line-1"),
        pytest.param("specks", id="specks-crowding-the-band"),
        pytest.param("beside_front", id="back-beside-front-text-level-with-line-1"),
    ],
)
def test_faxed_band_reads_exactly(defect: str) -> None:
    image, cap_top = _sheet(defect)
    faxed = _fax(image, defect, cap_top)
    reading = read_mrz_with_rotation(faxed, today=TODAY)
    assert reading is not None
    assert reading.result.lines == BAND
    assert reading.result.valid


@pytest.mark.parametrize(
    "image",
    [
        pytest.param(np.zeros((0, 0), np.uint8), id="empty"),
        pytest.param(np.full((3, 5), 255, np.uint8), id="tiny-white"),
        pytest.param(np.zeros((40, 400), np.uint8), id="all-black"),
        pytest.param(np.random.default_rng(1).integers(0, 256, (60, 500)).astype(np.uint8), id="noise"),
    ],
)
def test_fax_helpers_take_junk(image: np.ndarray) -> None:
    if image.size:
        assert _without_streaks(image) is None
        assert _despeckled(image) is None
    assert read_mrz_with_rotation(image, today=TODAY) is None


SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


@pytest.mark.parametrize(
    ("seed", "index", "name", "page", "lines"),
    [
        pytest.param(
            22000, 31, "doc08046.pdf", 2,
            ("IRFRA067497809<263177424578<<<", "0711191F3005017MAR<<<<<<<<<<<6", "EL<AMRANI<<SALMA<<<<<<<<<<<<<<"),
            id="streak-through-the-band-and-thinned-zeros",
        ),
        pytest.param(
            21000, 18, "scan0001.tif", 2,
            ("IRFRA714847931<357669505762<<<", "0810197M2907206DZA<<<<<<<<<<<7", "BENALI<<YACINE<<<<<<<<<<<<<<<<"),
            id="optional-data-six-weighing-as-g",
        ),
    ],
)  # fmt: skip
def test_faxed_residence_permits_of_the_generator(
    tmp_path: Path, seed: int, index: int, name: str, page: int, lines: tuple[str, ...]
) -> None:
    """Two faxed titres de séjour as the sample generator draws them (regenerated byte for byte), their
    number running on into the optional data. The first one's band was not even located: a dirty roller's
    streak down the page chained its lines to the text above and below; its line 2 zeros, thinned, matched
    '8' better than '0'. The second one's optional data held a '6' that the composite digit, the only check
    covering it, cannot tell from a 'G'."""
    import sys

    sys.path.insert(0, str(SCRIPTS))
    import make_samples
    from preverif.ingest import discover
    from preverif.ingest.load import load_pages
    from preverif.reading import prepare_and_read
    from preverif.settings import Settings
    from samplegen import dossiers

    task = make_samples.Task(index, seed, TODAY, tmp_path, dossiers.CaptureSettings())
    make_samples.build_dossier(task)
    folder = tmp_path / "dossiers" / f"d{index:04d}"
    settings = Settings(cache_dir=None)
    (dossier,) = discover.discover_dossiers(folder, settings, tmp_path / "work", single=True)
    (file,) = [f for f in dossier.files if f.relpath == name]
    (raw,) = [p for p in load_pages(file, settings, None).pages if p.number == page]
    prepared, _text = prepare_and_read(raw, settings)
    reading = read_mrz_with_rotation(prepared.image, today=TODAY)
    assert reading is not None
    assert reading.result.lines == lines
    assert reading.result.valid
