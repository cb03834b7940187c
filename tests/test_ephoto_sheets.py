"""The e-photo code found and read on real rendered booth sheets (the sample generator's sheet, captured as
a 150-dpi scan or a fax) when the page OCR did not read the code line at all: the code row is found next
to its label from the glyphs alone, and comes out exact or with its wrong characters flagged doubtful."""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path

import cv2
import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from preverif.extract.ephoto import _glyph_row_near, reread_page_codes
from preverif.ocr.tesseract import ocr_image
from preverif.records import Box, PageText, Word
from samplegen import capture
from samplegen.documents import render_document
from samplegen.spec import DocSpec, Person

HOLDER = Person(
    surname="Martin",
    given_names=("Léa",),
    birth_date=date(2007, 5, 2),
    sex="F",
    birth_place="Lyon",
    address_lines=("3 rue des Lilas", "69003 LYON"),
)
_CODE_WORD = re.compile(r"^[A-Z0-9$@]{2,}$")


pytestmark = pytest.mark.usefixtures("tesseract_cli")


def _sheet(code: str, seed: int, kind: str) -> np.ndarray:
    """The sample generator's booth sheet for ``code``, placed on A4 and captured as ``kind``."""
    rng = np.random.default_rng(seed)
    spec = DocSpec(
        type="photo",
        subtype="ephoto",
        holder=HOLDER,
        issue_date=date(2026, 9, 5),
        ephoto_code=code,
        seed=seed,
    )
    dpi = 150 if kind == "lowres" else 200
    page = capture.place_on_a4(capture.rasterize_pdf(render_document(spec).pdf, dpi), dpi, rng)
    degraded, _defects = capture.lowres(page, rng) if kind == "lowres" else capture.fax(page, rng)
    return np.ascontiguousarray(cv2.cvtColor(np.asarray(degraded.convert("RGB")), cv2.COLOR_RGB2GRAY))


def _without_code_line(text: PageText) -> PageText:
    """The page text as when the OCR missed the code line: only words with lower-case letters or the label
    survive (the failure seen on faxes and 150-dpi scans)."""
    words = tuple(w for w in text.words if not (_CODE_WORD.match(w.text) and w.text not in ("ANTS", "CODE")))
    return PageText(words, text.source, text.mean_confidence)


def _check(code: str, codes: dict[str, str]) -> None:
    read = codes.get("ephoto", "")
    assert len(read) == len(code), f"code not found or cut wrong: {read!r}"
    doubtful = {int(x) for x in codes.get("ephoto_doubtful", "").split(",") if x}
    wrong = {i for i, (a, b) in enumerate(zip(read, code, strict=True)) if a != b}
    assert wrong <= doubtful, f"silently wrong at {sorted(wrong - doubtful)}: {read} for {code}"


@pytest.mark.parametrize(
    ("code", "seed", "kind"),
    [
        pytest.param("XQNEPRBCCDCBZJGU1PEKOC", 11, "lowres", id="lowres-150dpi-touching-glyphs"),
        pytest.param("RLC5S5II090KGY6K1KZMPZ", 4, "fax", id="fax-streaks"),
        pytest.param("L65K69WR6MDNKGTVFGINXB", 23, "fax", id="fax-nines-and-sixes"),
    ],
)
def test_code_row_found_next_to_its_label_when_page_ocr_missed_it(code: str, seed: int, kind: str) -> None:
    image = _sheet(code, seed, kind)
    text = _without_code_line(ocr_image(image, lang="fra", psm=3))
    assert not any(code[:4] in w.text for w in text.words)
    _check(code, reread_page_codes(image, text))


def test_label_line_is_never_taken_for_the_code() -> None:
    """A long label line ('Code photo-signature numérique :') has about 22 glyph blobs too: its prose
    words are blanked, so the row found is the code's, below it."""
    image = np.full((200, 900), 255, np.uint8)
    cv2.putText(image, "Code photo-signature numerique :", (20, 50), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 0, 2)
    cv2.putText(image, "RLC5S5II090KGY6K1KZMPZ", (20, 100), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 0, 2)
    words = (
        Word("Code", Box(20, 32, 70, 22), 90.0, 0),
        Word("photo-signature", Box(95, 32, 230, 24), 90.0, 0),
        Word("numerique", Box(330, 32, 140, 22), 90.0, 0),
    )
    row = _glyph_row_near(image, words[1].box, words)
    assert row is not None
    assert 70 <= row.top <= 85 and row.top + row.height <= 105


@pytest.mark.parametrize(
    "image",
    [
        pytest.param(np.full((50, 50), 255, np.uint8), id="blank"),
        pytest.param(np.zeros((300, 300), np.uint8), id="black"),
        pytest.param(np.random.default_rng(1).integers(0, 256, (300, 600), dtype=np.uint8), id="noise"),
    ],
)
def test_row_finder_on_junk_returns_none_or_a_box(image: np.ndarray) -> None:
    found = _glyph_row_near(image, Box(10, 10, 40, 12), (Word("photo", Box(10, 10, 40, 12), 90.0, 0),))
    assert found is None or isinstance(found, Box)
