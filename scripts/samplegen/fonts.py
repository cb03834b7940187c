"""Fonts for the renderers, and the OCR-B MRZ drawer.

reportlab only embeds TrueType outlines, and the OCR-B font installed is CFF (.otf); so the MRZ is drawn as a
high-resolution OCR-B image (Pillow/FreeType) with an invisible text layer on top carrying the same characters.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

_TTF = {
    "Sans": "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "Sans-Bold": "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
    "Sans-Italic": "/usr/share/fonts/truetype/liberation2/LiberationSans-Italic.ttf",
    "Serif": "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "Serif-Bold": "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf",
    "Serif-Italic": "/usr/share/fonts/truetype/liberation2/LiberationSerif-Italic.ttf",
    "Mono": "/usr/share/fonts/truetype/liberation2/LiberationMono-Regular.ttf",
    "Mono-Bold": "/usr/share/fonts/truetype/liberation2/LiberationMono-Bold.ttf",
    "DejaVu": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "DejaVu-Bold": "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "Cond": "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf",
    "Cond-Bold": "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf",
    "Hand-dkg": "/usr/share/fonts/truetype/fifthhorseman/dkg.ttf",
    "Hand-breip": "/usr/share/fonts/truetype/breip/Breip.ttf",
    "Hand-femke": "/usr/share/fonts/truetype/femkeklaver/femkeklaver.ttf",
}
HANDWRITING_FONTS = ("Hand-dkg", "Hand-breip", "Hand-femke")
OCRB_PATH = "/usr/share/fonts/opentype/ocr-b/OCRB.otf"
_MM = 72.0 / 25.4


@lru_cache(maxsize=1)
def register_fonts() -> tuple[str, ...]:
    """Register every available font once; missing files fall back to the built-in Helvetica family."""
    names = []
    for name, path in _TTF.items():
        if Path(path).exists():
            pdfmetrics.registerFont(TTFont(name, path))
            names.append(name)
    return tuple(names)


def font(name: str) -> str:
    """The registered name, or a built-in equivalent if the TTF was absent."""
    if name in register_fonts():
        return name
    if name.startswith("Mono"):
        return "Courier-Bold" if "Bold" in name else "Courier"
    if name.startswith("Serif"):
        return "Times-Bold" if "Bold" in name else "Times-Roman"
    return "Helvetica-Bold" if "Bold" in name else "Helvetica"


@lru_cache(maxsize=8)
def _ocrb(px: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if Path(OCRB_PATH).exists():
        return ImageFont.truetype(OCRB_PATH, px)
    return ImageFont.truetype(_TTF["Mono"], px)


@lru_cache(maxsize=64)
def _mrz_png(lines: tuple[str, ...], pitch_px: int, line_px: int) -> bytes:
    size = int(pitch_px / 0.6)  # OCR-B advance is ~0.6 em
    face = _ocrb(size)
    adv = face.getlength("0")
    if adv:
        size = max(8, int(size * pitch_px / adv))
        face = _ocrb(size)
    width = pitch_px * max(len(line) for line in lines) + pitch_px
    height = line_px * len(lines) + line_px // 3
    img = Image.new("LA", (width, height), (0, 0))
    draw = ImageDraw.Draw(img)
    for row, line in enumerate(lines):
        for col, ch in enumerate(line):
            draw.text((col * pitch_px, row * line_px + line_px // 6), ch, font=face, fill=(20, 255))
    buf = io.BytesIO()
    img.convert("RGBA").save(buf, format="PNG")
    return buf.getvalue()


def draw_mrz(c: Canvas, x: float, y_top: float, lines: list[str], pitch_mm: float, line_mm: float) -> None:
    """OCR-B MRZ image at (x, y_top) in points, plus an invisible monospace text layer aligned on it."""
    dpi_px_per_mm = 16  # ~400 dpi: sharp enough for the 300 dpi scans made from it, and fast
    pitch_px = int(pitch_mm * dpi_px_per_mm)
    line_px = int(line_mm * dpi_px_per_mm)
    png = _mrz_png(tuple(lines), pitch_px, line_px)
    img = ImageReader(io.BytesIO(png))
    w_px, h_px = img.getSize()
    w = w_px / dpi_px_per_mm * _MM
    h = h_px / dpi_px_per_mm * _MM
    c.drawImage(img, x, y_top - h, w, h, mask="auto")
    mono = font("Mono")
    font_size = line_mm * _MM * 0.62
    for row, line in enumerate(lines):
        t = c.beginText()
        t.setTextRenderMode(3)
        t.setFont(mono, font_size)
        natural = pdfmetrics.stringWidth("0", mono, font_size)
        t.setCharSpace(pitch_mm * _MM - natural)
        t.setTextOrigin(x, y_top - (row + 0.85) * line_mm * _MM)
        t.textLine(line)
        c.drawText(t)
