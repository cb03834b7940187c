"""A form printed as a column of labels beside a column of values: each label is joined with its value."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from preverif.extract.fields import rejoin_label_rows
from preverif.reading import read_page_text
from preverif.records import Box, Word
from preverif.settings import Settings

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _line(text: str, left: int, top: int, line: int, block: int) -> list[Word]:
    out: list[Word] = []
    for token in text.split():
        out.append(Word(token, Box(left, top, 12 * len(token), 16), 90.0, line, block))
        left += 12 * len(token) + 8
    return out


def _words(rows: list[tuple[str, int, int, int]]) -> list[Word]:
    """(text, left, top, block) per line, in reading order."""
    return [w for i, (text, left, top, block) in enumerate(rows) for w in _line(text, left, top, i, block)]


COLUMNS = [  # Tesseract's reading order: the labels' block, then the values' block
    ("ATTESTATION DE SÉCURITÉ ROUTIÈRE", 100, 40, 0),
    ("Nom :", 100, 100, 1),
    ("Prénom(s) :", 100, 140, 1),
    ("Date de mise en recouvrement :", 100, 180, 1),
    ("NGUYEN", 500, 101, 2),
    ("Pierre-Yves Jean", 500, 139, 2),
    ("08/09/2026", 500, 182, 2),
]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            COLUMNS,
            [
                "ATTESTATION DE SÉCURITÉ ROUTIÈRE",
                "Nom : NGUYEN",
                "Prénom(s) : Pierre-Yves Jean",
                "Date de mise en recouvrement : 08/09/2026",
            ],
            id="label-column-then-value-column",
        ),
        pytest.param(
            [("Nom :", 100, 100, 1), ("DUPONT", 100, 130, 1)],
            ["Nom :", "DUPONT"],
            id="value-below-label-stays-apart",
        ),
        pytest.param(
            [("Nom :", 400, 100, 1), ("DUPONT", 100, 100, 2)],
            ["Nom :", "DUPONT"],
            id="text-left-of-the-label-is-not-its-value",
        ),
        pytest.param(
            [("Nom :", 100, 100, 1), ("Prénom :", 500, 100, 2)],
            ["Nom :", "Prénom :"],
            id="two-labels-on-one-row-stay-apart",
        ),
        pytest.param(
            [("Référence client : 123", 100, 100, 1), ("Agence", 600, 100, 2)],
            ["Référence client : 123", "Agence"],
            id="label-with-its-value-untouched",
        ),
        pytest.param([], [], id="no-words"),
    ],
)
def test_rejoin_label_rows(rows: list[tuple[str, int, int, int]], expected: list[str]) -> None:
    assert rejoin_label_rows(_words(rows)) == expected


def test_two_column_form_read_by_tesseract() -> None:
    """A real two-column form, rendered and read: Tesseract reads the labels' column, then the values'
    column; the joined lines carry each label with its value."""
    image = Image.new("L", (2480, 1200), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 30)
    draw.text((120, 60), "ATTESTATION DE SÉCURITÉ ROUTIÈRE (ASR)", font=font, fill=0)
    labels = ["Nom :", "Prénom(s) :", "Né(e) le :", "à :", "Établissement :", "Obtenue le :"]
    values = ["NGUYEN", "Pierre-Yves Jean", "10/02/2010", "LYON 3E (69)", "GRETA Aix-Marseille", "08/09/2026"]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        draw.text((120, 200 + 60 * i), label, font=font, fill=0)
        draw.text((1300, 200 + 60 * i), value, font=font, fill=0)
    text = read_page_text(np.asarray(image), None, Settings(), dpi=300)
    assert "Nom :" in text.lines, text.lines  # the layout this test is about: the columns read apart
    lines = rejoin_label_rows(text.words)
    assert "Nom : NGUYEN" in lines, lines
    assert "Prénom(s) : Pierre-Yves Jean" in lines, lines
    assert "Obtenue le : 08/09/2026" in lines, lines
