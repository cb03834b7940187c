"""2D-Doc strings (ANTS format, header v04) and their DataMatrix drawn as vector squares."""

from __future__ import annotations

import random
from datetime import date, timedelta

import numpy as np
import zxingcpp
from reportlab.pdfgen.canvas import Canvas

from samplegen.mrz_gen import to_mrz_text
from samplegen.spec import Person

GS = "\x1d"
US = "\x1f"
_EPOCH = date(2000, 1, 1)
_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def encode_2ddoc_date(d: date | None) -> str:
    """4 hex digits = days since 2000-01-01 ('FFFF' when absent)."""
    if d is None:
        return "FFFF"
    return f"{(d - _EPOCH).days:04X}"


def decode_2ddoc_date(hex4: str) -> date | None:
    """Inverse of encode_2ddoc_date, for tests and for checking a render."""
    if hex4.upper() == "FFFF":
        return None
    return _EPOCH + timedelta(days=int(hex4, 16))


def build_2ddoc(
    doc_type: str,
    issue: date,
    holder: Person,
    fields: list[tuple[str, str]],
    rng: random.Random,
) -> str:
    """Header DC04 + FR00 + cert + issue/signature dates + type + perimeter 01 + FR, fields, US + signature."""
    cert = rng.choice(["0001", "0002", "0003", "FR03", "CE01"])
    sig_date = issue + timedelta(days=rng.randint(0, 2))
    header = f"DC04FR00{cert}{encode_2ddoc_date(issue)}{encode_2ddoc_date(sig_date)}{doc_type}01FR"
    civ = "M" if holder.sex == "M" else "MME"
    given = " ".join(to_mrz_text(g).replace("<", " ") for g in holder.given_names)
    surname = to_mrz_text(holder.usage_surname or holder.surname).replace("<", " ")
    body_fields = [("10", f"{civ}/{surname}/{given}")] if doc_type != "28" else []
    body_fields += fields
    addr = list(holder.address_lines)
    if addr and doc_type != "28":
        body_fields.append(("22", to_mrz_text(addr[0]).replace("<", " ").strip()))
        last = addr[-1].split(" ", 1)
        if len(last) == 2 and last[0].isdigit():
            body_fields.append(("24", last[0]))
            body_fields.append(("25", to_mrz_text(last[1]).replace("<", " ").strip()))
    body = GS.join(f"{fid}{value}" for fid, value in body_fields)
    signature = "".join(rng.choice(_B32) for _ in range(103))
    return f"{header}{body}{US}{signature}"


def draw_datamatrix(c: Canvas, content: str, x: float, y: float, size: float) -> None:
    """DataMatrix of ``content`` as black squares, lower-left corner (x, y), ``size`` points wide."""
    bc = zxingcpp.create_barcode(content, zxingcpp.BarcodeFormat.DataMatrix)
    modules = np.array(zxingcpp.write_barcode_to_image(bc, scale=1, add_quiet_zones=False))
    rows, cols = modules.shape
    cell = size / cols
    c.saveState()
    c.setFillColorRGB(1, 1, 1)
    c.rect(x - 2 * cell, y - 2 * cell, size + 4 * cell, rows * cell + 4 * cell, stroke=0, fill=1)
    c.setFillColorRGB(0, 0, 0)
    for r in range(rows):
        for col in range(cols):
            if modules[r, col] < 128:
                c.rect(x + col * cell, y + (rows - 1 - r) * cell, cell * 1.01, cell * 1.01, stroke=0, fill=1)
    c.restoreState()
