"""Faxed identity photos and e-photo sheets, drawn and faxed here: a fax keeps no grey, so a portrait
comes out as black shapes (hair, dark clothes, a dark face) or dither dots on the paper, its light
background and frame lost. Each must still read as a portrait (or, repeated, as a photo sheet), and no
faxed letter, stamp or card as one. No OCR except in the e-photo line tests."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image as PILImage

from preverif.classify.visual import _silhouette, detect_photo_grid, detect_portrait
from preverif.extract.ephoto import (
    EphotoLine,
    _align,
    _code_words_box,
    _Symbol,
    _with_coarse_doubt,
    find_ephoto_code,
    half_height_rows,
)
from preverif.records import Box, Word

PAGE_W, PAGE_H = 1654, 2339  # A4 at 200 dpi, a fax's horizontal resolution


def _portrait(width: int, height: int, *, face: int, hair: int, clothes: int | None) -> np.ndarray:
    """A grey ID photo: plain light background, hair capping a face, a neck, shoulders cut by the bottom
    edge (no shoulders when ``clothes`` is None: a tight crop or clothes as light as the background)."""
    img = np.full((height, width), 228, np.uint8)
    if clothes is not None:
        cv2.ellipse(
            img, (width // 2, int(1.08 * height)), (width // 2, int(0.33 * height)), 0, 0, 360, clothes, -1
        )
    neck_end = int(0.8 * height) if clothes is not None else int(0.72 * height)
    cv2.rectangle(img, (int(0.42 * width), int(0.55 * height)), (int(0.58 * width), neck_end), face, -1)
    cv2.ellipse(
        img, (width // 2, int(0.35 * height)), (int(0.3 * width), int(0.3 * height)), 0, 0, 360, hair, -1
    )
    cv2.ellipse(
        img, (width // 2, int(0.42 * height)), (int(0.22 * width), int(0.2 * height)), 0, 0, 360, face, -1
    )
    for side in (-1, 1):
        cv2.circle(img, (width // 2 + side * int(0.09 * width), int(0.41 * height)), 4, 40, -1)
    cv2.line(img, (int(0.45 * width), int(0.54 * height)), (int(0.55 * width), int(0.54 * height)), 60, 3)
    noise = np.random.default_rng(3).normal(0, 5, img.shape)
    return np.clip(img + noise, 0, 255).astype(np.uint8)


def _fax(page: np.ndarray, *, dither: bool, seed: int = 5) -> np.ndarray:
    """What a fax machine prints: 200×100 dpi, black and white (thresholded in text mode, error-diffused
    in photo mode), with a dark streak row, a vertical line from a dirty scanner glass and speckles."""
    rng = np.random.default_rng(seed)
    half = cv2.resize(page, (page.shape[1], page.shape[0] // 2), interpolation=cv2.INTER_AREA)
    if dither:
        binary = np.array(PILImage.fromarray(half).convert("1"), dtype=np.uint8) * 255
    else:
        binary = np.where(half < 128, 0, 255).astype(np.uint8)
    binary[int(0.3 * binary.shape[0])] = 0
    column = int(0.6 * binary.shape[1])
    binary[:, column] = np.where(rng.random(binary.shape[0]) < 0.7, 0, binary[:, column])
    binary[rng.random(binary.shape) < 0.0015] = 0
    cv2.putText(
        binary,
        "12/10/2026 14:21  DE : +33 1 23 45 67 89  P. 001",
        (60, 22),
        cv2.FONT_HERSHEY_SIMPLEX,
        0.8,
        0,
        2,
    )
    return cv2.resize(binary, (page.shape[1], page.shape[0]), interpolation=cv2.INTER_NEAREST)


def _sheet_with(photos: list[np.ndarray], at: list[tuple[int, int]]) -> np.ndarray:
    page = np.full((PAGE_H, PAGE_W), 250, np.uint8)
    for photo, (x, y) in zip(photos, at, strict=True):
        page[y : y + photo.shape[0], x : x + photo.shape[1]] = photo
    return page


# tones of hair, face and clothes (None: no shoulders): which turn black depends on them and the threshold
TONES = [
    pytest.param(40, 90, 60, id="all-dark-silhouette"),
    pytest.param(40, 200, 60, id="hood-white-face"),
    pytest.param(40, 90, None, id="head-and-neck-only"),
    pytest.param(40, 200, None, id="hair-ring-white-face-no-clothes"),
    pytest.param(40, 90, 215, id="dark-head-light-clothes"),
]


@pytest.mark.parametrize("dither", [pytest.param(False, id="threshold"), pytest.param(True, id="dither")])
@pytest.mark.parametrize(("hair", "face", "clothes"), TONES)
def test_faxed_id_photo_is_a_portrait(hair: int, face: int, clothes: int | None, dither: bool) -> None:
    photo = _portrait(276, 354, face=face, hair=hair, clothes=clothes)  # 35×45 mm at 200 dpi
    page = _fax(_sheet_with([photo], [(150, 250)]), dither=dither)
    assert detect_portrait(page) >= 0.5


def _letter() -> np.ndarray:
    page = np.full((PAGE_H, PAGE_W), 250, np.uint8)
    cv2.rectangle(page, (150, 150), (330, 330), 20, -1)  # a solid logo
    for row in range(12):
        y = 500 + 60 * row
        cv2.putText(
            page,
            "Madame, Monsieur, veuillez trouver ci-joint",
            (150, y),
            cv2.FONT_HERSHEY_SIMPLEX,
            1.2,
            30,
            3,
        )
    return page


def _stamp() -> np.ndarray:
    page = np.full((PAGE_H, PAGE_W), 250, np.uint8)
    cv2.circle(page, (500, 500), 160, 20, -1)  # a round black seal: as wide as high, no head
    cv2.putText(page, "Le maire", (400, 800), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 30, 3)
    return page


def _blacked_out_block() -> np.ndarray:
    page = np.full((PAGE_H, PAGE_W), 250, np.uint8)
    cv2.rectangle(page, (200, 300), (476, 654), 15, -1)  # a photo-sized area blacked out: no head in it
    return page


def _two_d_code() -> np.ndarray:
    page = np.full((PAGE_H, PAGE_W), 250, np.uint8)
    cells = np.random.default_rng(4).random((24, 24)) < 0.5  # a 2D-Doc's modules
    cells[:, 0] = cells[-1, :] = True
    page[300:588, 200:488] = np.where(np.kron(cells, np.ones((12, 12), bool)), 15, 250)
    return page


# (a lying oval is no negative: a page may come sideways, and so the cue tries every quarter turn)
@pytest.mark.parametrize(
    "make",
    [
        pytest.param(_letter, id="letter"),
        pytest.param(_stamp, id="round-seal"),
        pytest.param(_blacked_out_block, id="blacked-out-block"),
        pytest.param(_two_d_code, id="2d-code"),
    ],
)
def test_faxed_non_portraits_stay_non_portraits(make: object) -> None:
    assert callable(make)
    page = _fax(make(), dither=False)
    assert detect_portrait(page) < 0.5
    assert detect_photo_grid(page) < 0.5


@pytest.mark.parametrize("dither", [pytest.param(False, id="threshold"), pytest.param(True, id="dither")])
@pytest.mark.parametrize("count", [pytest.param(1, id="one-photo"), pytest.param(3, id="three-photos")])
def test_faxed_photo_sheet_is_a_grid(count: int, dither: bool) -> None:
    photo = _portrait(276, 354, face=200, hair=40, clothes=60)
    spots = [(150, 250), (600, 250), (150, 750)][:count]
    grid = detect_photo_grid(_fax(_sheet_with([photo] * count, spots), dither=dither))
    assert (grid >= 0.5) == (count > 1)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # a fax read the code's 6 as G: one digit left, but the run sits right under its label
        pytest.param(
            ["Code ANTS :", "INHDNJVVJE3VZGNGCHPZKV"], "INHDNJVVJE3VZGNGCHPZKV", id="one-digit-under-label"
        ),
        pytest.param(
            ["Code e-photo : QWERTZUIOPASDFGHJKLYXC"], "QWERTZUIOPASDFGHJKLYXC", id="no-digit-on-label-line"
        ),
        pytest.param(
            ["Code ANTS :", "QWER TZUI OPAS DFGH JKLY XC"], "QWERTZUIOPASDFGHJKLYXC", id="evenly-grouped"
        ),
        pytest.param(["Bonjour", "INHDNJVVJE3VZGNGCHPZKV"], None, id="no-label-needs-two-digits"),
        pytest.param(["Code ANTS :", "AGREE SERVICES EN LIGNE"], None, id="capitalised-words-are-no-code"),
        pytest.param(["Code ANTS :", "INHDNJVVJEVZGNGCHPZKV"], None, id="wrong-length-needs-two-digits"),
    ],
)
def test_code_with_few_digits_is_found_only_under_its_label(lines: list[str], expected: str | None) -> None:
    assert find_ephoto_code(lines) == expected


@pytest.mark.parametrize("drift", [pytest.param(d, id=f"drift-{d}") for d in (0.95, 1.0, 1.05)])
def test_symbols_whose_pitch_drifts_keep_their_cells(drift: float) -> None:
    # 22 glyph cells 30 px apart; Tesseract's symbol boxes spread ``drift`` times as far: by the end of the
    # line a 5 % drift is one pitch, which without the stretch shifts the last characters into the next cell
    cells = [(30 * k, 0, 30 * k + 26, 40) for k in range(22)]
    chars = "INHDNJVVJE3VZGN6CHPZKV"
    symbols = [_Symbol(13 + 30 * k * drift, ((c, 0.9),)) for k, c in enumerate(chars)]
    by_cell = _align(symbols, cells, offset=0.0)
    assert "".join(found[0].choices[0][0] if len(found) == 1 else "?" for found in by_cell) == chars


@pytest.mark.parametrize(
    "mask",
    [
        pytest.param(np.zeros((40, 30), bool), id="empty"),
        pytest.param(np.ones((40, 30), bool), id="full"),
        pytest.param(np.random.default_rng(1).random((40, 30)) < 0.5, id="noise"),
        pytest.param(np.zeros((1, 1), bool), id="one-pixel"),
    ],
)
def test_silhouette_of_junk_never_raises(mask: np.ndarray) -> None:
    assert _silhouette(mask).shape == mask.shape


@pytest.mark.parametrize(
    "page",
    [
        pytest.param(np.zeros((PAGE_H // 4, PAGE_W // 4), np.uint8), id="black"),
        pytest.param(
            (np.random.default_rng(2).random((600, 400)) < 0.5).astype(np.uint8) * 255, id="salt-pepper"
        ),
        pytest.param(np.full((20, 20), 255, np.uint8), id="tiny-white"),
    ],
)
def test_fax_cues_on_junk_never_raise(page: np.ndarray) -> None:
    assert 0.0 <= detect_portrait(page) <= 1.0
    assert 0.0 <= detect_photo_grid(page) <= 1.0


def _word(text: str, left: int, top: int, width: int, height: int = 20) -> Word:
    return Word(text=text, box=Box(left, top, width, height), confidence=90.0, line=top // 50)


@pytest.mark.parametrize(
    ("stray", "expected"),
    [
        pytest.param(None, Box(200, 700, 360, 24), id="code-alone"),
        # a fax header's phone number ('+33 …') holds a group of the code: it is on another line
        pytest.param(_word("33", 420, 10, 30), Box(200, 700, 360, 24), id="group-in-header"),
        pytest.param(_word("HNS", 600, 702, 40), Box(200, 700, 440, 24), id="same-line-piece"),
    ],
)
def test_code_box_keeps_to_the_code_line(stray: Word | None, expected: Box) -> None:
    words = [_word("0NAUS3SXVW7CO33JLU7", 200, 700, 360, 24)] + ([stray] if stray else [])
    assert _code_words_box(words, "0NAUS3SXVW7CO33JLU7HNS") == expected


def _code_line(*, fax_rows: bool, grey: bool = False) -> np.ndarray:
    """A code line drawn at 200 dpi; a fax's standard mode keeps every other row (each stored twice)."""
    line: np.ndarray = np.full((60, 700), 255, np.uint8)
    cv2.putText(line, "INHDNJVVJE3VZGN6CHPZKV", (10, 45), cv2.FONT_HERSHEY_SIMPLEX, 1.3, 0, 3)
    if grey:
        line = cv2.GaussianBlur(line, (5, 5), 0)
    elif fax_rows:
        line = np.repeat(line[::2], 2, axis=0)
    return line


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        pytest.param(_code_line(fax_rows=True), True, id="fax-standard-rows"),
        pytest.param(_code_line(fax_rows=False), False, id="binary-full-rows"),
        pytest.param(_code_line(fax_rows=False, grey=True), False, id="grey-scan"),
        pytest.param(np.full((40, 40), 255, np.uint8), False, id="blank-tells-nothing"),
        pytest.param(np.zeros((3, 3), np.uint8), False, id="too-small"),
        pytest.param(np.zeros((10, 10, 3), np.uint8), False, id="colour-is-not-a-fax-page"),
    ],
)
def test_half_height_rows(image: np.ndarray, expected: bool) -> None:
    assert half_height_rows(image) is expected


@pytest.mark.parametrize(
    ("fax_rows", "expected"),
    [
        # every character with a look-alike: I (1, L), D (0), the V's (U), the Z's (2), G (6) and 6 (G)
        pytest.param(True, (0, 3, 6, 7, 11, 12, 13, 15, 19, 21), id="fax-flags-look-alikes"),
        pytest.param(False, (9,), id="full-rows-keep-the-reader-s-doubt"),
    ],
)
def test_fax_line_flags_look_alikes(fax_rows: bool, expected: tuple[int, ...]) -> None:
    image = _code_line(fax_rows=fax_rows)
    line = EphotoLine("INHDNJVVJE3VZGN6CHPZKV", (9,))
    out = _with_coarse_doubt(line, image, Box(5, 10, 690, 45))
    assert out.code == line.code
    assert out.doubtful == tuple(sorted({9, *expected}))
