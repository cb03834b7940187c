"""Canvas primitives shared by the renderers: page set-up, text, logos, guilloché, portraits, signatures."""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass
from datetime import date

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from samplegen.fonts import font, register_fonts

MM = 72.0 / 25.4
RGB = tuple[float, float, float]


@dataclass
class Page:
    """A canvas being drawn and the buffer it writes to."""

    canvas: Canvas
    buffer: io.BytesIO
    width: float
    height: float
    pages: int = 1
    mrz: tuple[str, ...] = ()
    document_number: str | None = None
    expiry_date: date | None = None
    twoddoc: str | None = None

    def meta(self, mrz: list[str], number: str | None, expiry: date | None) -> None:
        """Remember what the truth file needs and cannot re-derive from the spec."""
        self.mrz = tuple(mrz)
        self.document_number = number
        self.expiry_date = expiry

    def next_page(self) -> None:
        self.canvas.showPage()
        self.pages += 1

    def finish(self) -> bytes:
        self.canvas.showPage()
        self.canvas.save()
        return self.buffer.getvalue()


def new_page(width_mm: float | None = None, height_mm: float | None = None, title: str = "") -> Page:
    """A deterministic (invariant) canvas: A4 by default, else the physical size in mm."""
    register_fonts()
    size = A4 if width_mm is None or height_mm is None else (width_mm * MM, height_mm * MM)
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=size, invariant=1, pageCompression=1)
    if title:
        c.setTitle(title)
    return Page(c, buf, size[0], size[1])


def hex_rgb(value: str) -> RGB:
    v = value.lstrip("#")
    return (int(v[0:2], 16) / 255, int(v[2:4], 16) / 255, int(v[4:6], 16) / 255)


def text(
    c: Canvas,
    x: float,
    y: float,
    s: str,
    face: str = "Sans",
    size: float = 9,
    color: RGB = (0, 0, 0),
    align: str = "left",
) -> float:
    """Draw one line; returns its width. x/y in points."""
    f = font(face)
    c.setFont(f, size)
    c.setFillColorRGB(*color)
    w = float(pdfmetrics.stringWidth(s, f, size))
    if align == "right":
        c.drawRightString(x, y, s)
    elif align == "center":
        c.drawCentredString(x, y, s)
    else:
        c.drawString(x, y, s)
    return w


def width(s: str, face: str, size: float) -> float:
    return float(pdfmetrics.stringWidth(s, font(face), size))


def wrap(s: str, face: str, size: float, max_w: float) -> list[str]:
    """Greedy word wrap to max_w points."""
    lines: list[str] = []
    cur = ""
    for word in s.split():
        trial = f"{cur} {word}".strip()
        if cur and width(trial, face, size) > max_w:
            lines.append(cur)
            cur = word
        else:
            cur = trial
    if cur:
        lines.append(cur)
    return lines


def paragraph(
    c: Canvas,
    x: float,
    y: float,
    s: str,
    max_w: float,
    face: str = "Sans",
    size: float = 9,
    leading: float | None = None,
    color: RGB = (0, 0, 0),
) -> float:
    """Wrapped text from top line y; returns the y below the last line."""
    lead = leading or size * 1.3
    for line in wrap(s, face, size, max_w):
        text(c, x, y, line, face, size, color)
        y -= lead
    return y


def rect(
    c: Canvas,
    x: float,
    y: float,
    w: float,
    h: float,
    fill: RGB | None = None,
    stroke: RGB | None = None,
    radius: float = 0,
    line_width: float = 0.6,
) -> None:
    c.saveState()
    if fill:
        c.setFillColorRGB(*fill)
    if stroke:
        c.setStrokeColorRGB(*stroke)
        c.setLineWidth(line_width)
    if radius:
        c.roundRect(x, y, w, h, radius, stroke=1 if stroke else 0, fill=1 if fill else 0)
    else:
        c.rect(x, y, w, h, stroke=1 if stroke else 0, fill=1 if fill else 0)
    c.restoreState()


def hline(c: Canvas, x1: float, x2: float, y: float, color: RGB = (0.6, 0.6, 0.6), lw: float = 0.5) -> None:
    c.saveState()
    c.setStrokeColorRGB(*color)
    c.setLineWidth(lw)
    c.line(x1, y, x2, y)
    c.restoreState()


def logo(c: Canvas, kind: str, x: float, y: float, size: float, color: RGB, color2: RGB) -> None:
    """An issuer mark made of shapes (never a real trademark): 'disc', 'square', 'bars', 'drop', 'wave',
    'star', 'rings', 'triangle'."""
    c.saveState()
    c.setFillColorRGB(*color)
    c.setStrokeColorRGB(*color)
    if kind == "square":
        c.rect(x, y, size, size, stroke=0, fill=1)
        c.setFillColorRGB(*color2)
        c.rect(x + size * 0.55, y, size * 0.45, size * 0.35, stroke=0, fill=1)
    elif kind == "bars":
        for i in range(4):
            c.setFillColorRGB(*(color if i % 2 == 0 else color2))
            c.rect(x + i * size * 0.27, y, size * 0.2, size * (0.4 + 0.2 * i), stroke=0, fill=1)
    elif kind == "drop":
        p = c.beginPath()
        p.moveTo(x + size / 2, y + size)
        p.curveTo(x + size * 0.1, y + size * 0.45, x, y + size * 0.1, x + size / 2, y)
        p.curveTo(x + size, y + size * 0.1, x + size * 0.9, y + size * 0.45, x + size / 2, y + size)
        c.drawPath(p, stroke=0, fill=1)
    elif kind == "wave":
        c.setLineWidth(size * 0.12)
        for i in range(3):
            c.setStrokeColorRGB(*(color if i != 1 else color2))
            p = c.beginPath()
            yy = y + size * (0.25 + 0.25 * i)
            p.moveTo(x, yy)
            p.curveTo(x + size * 0.3, yy + size * 0.2, x + size * 0.6, yy - size * 0.2, x + size, yy)
            c.drawPath(p, stroke=1, fill=0)
    elif kind == "star":
        p = c.beginPath()
        for i in range(10):
            r = size / 2 if i % 2 == 0 else size / 5
            a = math.pi / 2 + i * math.pi / 5
            px, py = x + size / 2 + r * math.cos(a), y + size / 2 + r * math.sin(a)
            if i == 0:
                p.moveTo(px, py)
            else:
                p.lineTo(px, py)
        p.close()
        c.drawPath(p, stroke=0, fill=1)
    elif kind == "rings":
        c.setLineWidth(size * 0.1)
        c.circle(x + size * 0.35, y + size / 2, size * 0.3, stroke=1, fill=0)
        c.setStrokeColorRGB(*color2)
        c.circle(x + size * 0.65, y + size / 2, size * 0.3, stroke=1, fill=0)
    elif kind == "triangle":
        p = c.beginPath()
        p.moveTo(x, y)
        p.lineTo(x + size, y)
        p.lineTo(x + size / 2, y + size)
        p.close()
        c.drawPath(p, stroke=0, fill=1)
        c.setFillColorRGB(*color2)
        c.circle(x + size / 2, y + size * 0.35, size * 0.15, stroke=0, fill=1)
    else:  # disc
        c.circle(x + size / 2, y + size / 2, size / 2, stroke=0, fill=1)
        c.setFillColorRGB(*color2)
        c.circle(x + size * 0.62, y + size * 0.62, size * 0.2, stroke=0, fill=1)
    c.restoreState()


def guilloche(
    c: Canvas, x: float, y: float, w: float, h: float, rng: random.Random, color: RGB, count: int = 14
) -> None:
    """Light interleaved sine curves, the security background of ID documents."""
    c.saveState()
    c.setStrokeColorRGB(*color)
    c.setLineWidth(0.25)
    p0 = rng.uniform(0, math.pi)
    for i in range(count):
        p = c.beginPath()
        base = y + h * (i + 0.5) / count
        amp = h / count * rng.uniform(0.8, 1.6)
        freq = rng.uniform(2.0, 4.0) * math.pi / w
        steps = 40
        for s in range(steps + 1):
            xx = x + w * s / steps
            yy = base + amp * math.sin(freq * (xx - x) + p0 + i * 0.6)
            if s == 0:
                p.moveTo(xx, yy)
            else:
                p.lineTo(xx, yy)
        c.drawPath(p, stroke=1, fill=0)
    c.restoreState()


def flag_fr(c: Canvas, x: float, y: float, w: float, h: float) -> None:
    for i, col in enumerate(((0.0, 0.14, 0.58), (1.0, 1.0, 1.0), (0.93, 0.16, 0.22))):
        rect(c, x + i * w / 3, y, w / 3, h, fill=col)


def marianne(c: Canvas, x: float, y: float, size: float, color: RGB = (0.0, 0.14, 0.58)) -> None:
    """A profile-like silhouette over a tricolour block: the 'Marianne' bloc-marque, as plain shapes."""
    flag_fr(c, x, y, size * 0.9, size * 0.55)
    c.saveState()
    c.setFillColorRGB(1, 1, 1)
    p = c.beginPath()
    p.moveTo(x + size * 0.55, y)
    p.curveTo(
        x + size * 0.45, y + size * 0.2, x + size * 0.62, y + size * 0.35, x + size * 0.5, y + size * 0.55
    )
    p.lineTo(x + size * 0.7, y + size * 0.55)
    p.lineTo(x + size * 0.7, y)
    p.close()
    c.drawPath(p, stroke=0, fill=1)
    c.restoreState()
    text(c, x, y - size * 0.28, "RÉPUBLIQUE", "Sans-Bold", size * 0.22, color)
    text(c, x, y - size * 0.52, "FRANÇAISE", "Sans-Bold", size * 0.22, color)
    text(c, x, y - size * 0.75, "Liberté", "Serif-Italic", size * 0.15)
    text(c, x, y - size * 0.92, "Égalité", "Serif-Italic", size * 0.15)
    text(c, x, y - size * 1.09, "Fraternité", "Serif-Italic", size * 0.15)


def portrait(
    c: Canvas,
    x: float,
    y: float,
    w: float,
    h: float,
    rng: random.Random,
    sex: str,
    background: RGB | None = None,
    gray: bool = False,
) -> None:
    """A drawn head-and-shoulders on a light uniform background (ISO-like framing)."""
    g = rng.uniform(0.86, 0.95)
    bg: RGB = background or (g, g, g)
    rect(c, x, y, w, h, fill=bg)
    skin_choices = [(0.96, 0.82, 0.70), (0.87, 0.67, 0.52), (0.65, 0.45, 0.32), (0.45, 0.30, 0.20)]
    skin = rng.choice(skin_choices)
    hair = rng.choice([(0.1, 0.07, 0.05), (0.35, 0.22, 0.1), (0.75, 0.6, 0.3), (0.2, 0.2, 0.2)])
    cloth = rng.choice(
        [(0.15, 0.2, 0.35), (0.3, 0.3, 0.3), (0.5, 0.1, 0.1), (0.1, 0.3, 0.2), (0.9, 0.9, 0.9)]
    )
    if gray:
        skin, hair, cloth = ((sum(v) / 3,) * 3 for v in (skin, hair, cloth))
    cx = x + w / 2
    c.saveState()
    p = c.beginPath()
    p.rect(x, y, w, h)
    c.clipPath(p, stroke=0, fill=0)
    # shoulders
    c.setFillColorRGB(*cloth)
    c.ellipse(cx - w * 0.55, y - h * 0.25, cx + w * 0.55, y + h * 0.3, stroke=0, fill=1)
    # neck
    c.setFillColorRGB(*skin)
    c.rect(cx - w * 0.09, y + h * 0.22, w * 0.18, h * 0.14, stroke=0, fill=1)
    # long hair behind the face
    c.setFillColorRGB(*hair)
    if sex == "F" and rng.random() < 0.7:
        c.ellipse(cx - w * 0.3, y + h * 0.2, cx + w * 0.3, y + h * 0.88, stroke=0, fill=1)
    # face
    c.setFillColorRGB(*skin)
    c.ellipse(cx - w * 0.2, y + h * 0.33, cx + w * 0.2, y + h * 0.8, stroke=0, fill=1)
    # hair top
    c.setFillColorRGB(*hair)
    p = c.beginPath()
    p.moveTo(cx - w * 0.21, y + h * 0.62)
    p.curveTo(cx - w * 0.24, y + h * 0.9, cx + w * 0.24, y + h * 0.9, cx + w * 0.21, y + h * 0.62)
    p.curveTo(cx + w * 0.1, y + h * 0.74, cx - w * 0.1, y + h * 0.74, cx - w * 0.21, y + h * 0.62)
    c.drawPath(p, stroke=0, fill=1)
    # eyes, nose, mouth
    c.setFillColorRGB(0.12, 0.1, 0.1)
    for dx in (-0.08, 0.08):
        c.ellipse(
            cx + w * dx - w * 0.028, y + h * 0.585, cx + w * dx + w * 0.028, y + h * 0.61, stroke=0, fill=1
        )
    c.setStrokeColorRGB(0.35, 0.2, 0.15)
    c.setLineWidth(max(0.3, w * 0.012))
    c.line(cx, y + h * 0.57, cx - w * 0.02, y + h * 0.5)
    p = c.beginPath()
    p.moveTo(cx - w * 0.07, y + h * 0.44)
    p.curveTo(cx - w * 0.03, y + h * 0.42, cx + w * 0.03, y + h * 0.42, cx + w * 0.07, y + h * 0.44)
    c.drawPath(p, stroke=1, fill=0)
    c.restoreState()


def signature(
    c: Canvas, x: float, y: float, w: float, h: float, rng: random.Random, color: RGB = (0.05, 0.1, 0.35)
) -> None:
    """A random handwritten-looking signature made of chained Bézier strokes."""
    c.saveState()
    c.setStrokeColorRGB(*color)
    c.setLineWidth(rng.uniform(0.6, 1.1))
    c.setLineCap(1)
    p = c.beginPath()
    px, py = x, y + h * rng.uniform(0.3, 0.7)
    p.moveTo(px, py)
    n = rng.randint(4, 7)
    for i in range(n):
        nx = x + w * (i + 1) / n
        ny = y + h * rng.uniform(0.1, 0.9)
        p.curveTo(
            px + rng.uniform(-0.1, 0.3) * w / n,
            y + h * rng.uniform(-0.2, 1.2),
            nx - rng.uniform(0, 0.4) * w / n,
            y + h * rng.uniform(-0.2, 1.2),
            nx,
            ny,
        )
        px, py = nx, ny
    c.drawPath(p, stroke=1, fill=0)
    # the final flourish underline
    p = c.beginPath()
    p.moveTo(x + w * rng.uniform(0, 0.3), y + h * rng.uniform(0, 0.2))
    p.curveTo(x + w * 0.5, y - h * 0.15, x + w * 0.8, y + h * 0.2, x + w * rng.uniform(0.85, 1.05), y)
    c.drawPath(p, stroke=1, fill=0)
    c.restoreState()


def wavy_text(
    c: Canvas,
    x: float,
    y: float,
    s: str,
    face: str,
    size: float,
    rng: random.Random,
    color: RGB = (0.05, 0.08, 0.3),
    wobble: float = 1.0,
) -> float:
    """Handwriting: word by word with a drifting baseline, size and slant jitter; returns end x."""
    f = font(face)
    phase = rng.uniform(0, 6.28)
    cur = x
    for i, word in enumerate(s.split(" ")):
        sz = size * rng.uniform(0.94, 1.06)
        dy = wobble * size * 0.12 * math.sin(phase + i * 0.7)
        c.saveState()
        c.translate(cur, y + dy)
        c.rotate(rng.uniform(-1.5, 1.5) * wobble)
        c.setFont(f, sz)
        c.setFillColorRGB(*color)
        c.drawString(0, 0, word)
        c.restoreState()
        cur += pdfmetrics.stringWidth(word + " ", f, sz) * rng.uniform(0.98, 1.08)
    return cur


def hand_paragraph(
    c: Canvas,
    x: float,
    y: float,
    s: str,
    max_w: float,
    face: str,
    size: float,
    leading: float,
    rng: random.Random,
    color: RGB = (0.05, 0.08, 0.3),
) -> float:
    """Wrapped handwriting with a slightly wandering left margin; returns y after the last line."""
    for line in wrap(s, face, size * 1.04, max_w):
        wavy_text(c, x + rng.uniform(-2, 3), y, line, face, size, rng, color)
        y -= leading
    return y
