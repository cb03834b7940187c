"""Encode captured pages into the file formats candidates upload, and make the broken files.

All encoders are deterministic: same pixels and options → same bytes (no timestamps, no random ids).
"""

from __future__ import annotations

import io
import time

import pillow_heif
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

pillow_heif.register_heif_opener()

# a fixed date in the scanned PDFs' info dictionary, so the output never depends on the clock
SCAN_DATE = time.strptime("2026-11-20 10:15:00", "%Y-%m-%d %H:%M:%S")
EXIF_ORIENTATION = 0x0112  # the EXIF tag id of Orientation
SINGLE_IMAGE_FORMATS = ("jpeg", "png", "webp", "bmp", "heic")
MULTI_PAGE_FORMATS = ("tiff", "pdf_scan")
EXTENSIONS = {
    "jpeg": ".jpg",
    "png": ".png",
    "webp": ".webp",
    "bmp": ".bmp",
    "heic": ".heic",
    "tiff": ".tif",
    "pdf_scan": ".pdf",
    "pdf_digital": ".pdf",
}


def _rgb_or_grey(image: Image.Image) -> Image.Image:
    return image if image.mode in ("RGB", "L") else image.convert("L" if image.mode == "1" else "RGB")


def encode_pages(
    pages: list[Image.Image],
    fmt: str,
    *,
    quality: int = 85,
    dpi: int = 300,
    exif_orientation: int | None = None,
) -> bytes:
    """Encode pages as ``fmt``; single-image formats take exactly one page.

    ``exif_orientation`` (JPEG only) writes the EXIF Orientation tag a phone camera sets (1, 3, 6 or 8).
    """
    if not pages:
        raise ValueError("no page to encode")
    if fmt in SINGLE_IMAGE_FORMATS and len(pages) != 1:
        raise ValueError(f"{fmt} holds one page, got {len(pages)}")
    buffer = io.BytesIO()
    first = pages[0]
    if fmt == "jpeg":
        options: dict[str, object] = {}
        if exif_orientation is not None:
            exif = Image.Exif()
            exif[EXIF_ORIENTATION] = exif_orientation
            options["exif"] = exif.tobytes()
        _rgb_or_grey(first).save(buffer, "JPEG", quality=quality, dpi=(dpi, dpi), optimize=True, **options)
    elif fmt == "png":
        image = first if first.mode in ("RGB", "L", "1") else first.convert("RGB")
        image.save(buffer, "PNG", dpi=(dpi, dpi), optimize=False, compress_level=6)
    elif fmt == "webp":
        _rgb_or_grey(first).convert("RGB").save(buffer, "WEBP", quality=quality, method=2)
    elif fmt == "bmp":
        image = first if first.mode in ("RGB", "L", "1") else first.convert("RGB")
        image.save(buffer, "BMP", dpi=(dpi, dpi))
    elif fmt == "heic":
        _rgb_or_grey(first).convert("RGB").save(
            buffer, "HEIF", quality=quality, enc_params={"preset": "ultrafast"}
        )  # the default x265 preset takes ~7 s per photo
    elif fmt == "tiff":
        if all(p.mode == "1" for p in pages):
            options = {"compression": "group4"}  # what fax software writes
            images = pages
        else:
            options = {"compression": "tiff_jpeg", "quality": quality}
            images = [_rgb_or_grey(p) for p in pages]
        images[0].save(buffer, "TIFF", save_all=True, append_images=images[1:], dpi=(dpi, dpi), **options)
    elif fmt == "pdf_scan":
        images = [_rgb_or_grey(p) for p in pages]
        # JPEG-compressed pages like a scanner's PDF; Pillow writes no date unless asked to
        images[0].save(
            buffer,
            "PDF",
            save_all=True,
            append_images=images[1:],
            resolution=float(dpi),
            quality=quality,
            creationDate=SCAN_DATE,
            modDate=SCAN_DATE,
            producer="Scanner",
        )
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return buffer.getvalue()


def truncate_bytes(data: bytes, keep: float = 0.45) -> bytes:
    """The first part of a file, as left by an interrupted download or upload."""
    return data[: max(16, int(len(data) * keep))]


def corrupt_pdf(data: bytes) -> bytes:
    """A PDF whose body and cross-reference table are garbled but whose header still says %PDF."""
    head = data[:16]
    body = bytearray(data[16:])
    for i in range(0, len(body), 7):
        body[i] = (body[i] * 31 + 17) % 256
    return head + bytes(body[: len(body) // 2])


def encrypted_pdf(text_lines: list[str], user_password: str = "secret") -> bytes:
    """A password-protected PDF (RC4/AES through reportlab); the reader needs the user password to open it."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, encrypt=user_password, invariant=1)
    y = A4[1] - 72
    for line in text_lines:
        pdf.drawString(72, y, line)
        y -= 16
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def not_a_document_png(seed: int) -> bytes:
    """A valid image that is no document at all (a holiday-photo-like colour gradient)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:480, 0:640].astype(np.float32)
    sky = np.stack([80 + x / 8, 140 + y / 10, 220 - y / 6], axis=-1)
    sea_line = 300 + rng.integers(-20, 20)
    sky[int(sea_line) :] = np.stack(
        [20 + x[int(sea_line) :] / 20, 90 + 0 * x[int(sea_line) :], 150 + 0 * x[int(sea_line) :]], axis=-1
    )
    sky += rng.normal(0, 4, size=sky.shape)
    image = Image.fromarray(np.clip(sky, 0, 255).astype("uint8"), "RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()
