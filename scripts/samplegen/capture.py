"""Turn born-digital pages into what candidates really upload: flatbed scans, phone photos, faxes, low-res scans.

Every degradation is a small function over a PIL image that draws from its own ``numpy`` generator and
returns the new image plus the names of the defects it applied (recorded in the truth).
"""

from __future__ import annotations

import io
import math

import cv2
import numpy as np
import numpy.typing as npt
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont

Rng = np.random.Generator
U8 = npt.NDArray[np.uint8]
F32 = npt.NDArray[np.float32]

A4_MM = (210.0, 297.0)
MM_PER_INCH = 25.4


def rasterize_pdf(pdf: bytes, dpi: int) -> list[Image.Image]:
    """Every page of a PDF as an RGB image at ``dpi`` (pages keep their physical size)."""
    doc = pdfium.PdfDocument(pdf)
    try:
        pages: list[Image.Image] = []
        for index in range(len(doc)):
            page = doc[index]
            bitmap = page.render(scale=dpi / 72.0)
            pages.append(bitmap.to_pil().convert("RGB"))
            page.close()
        return pages
    finally:
        doc.close()


def place_on_a4(cards: list[Image.Image], dpi: int, rng: Rng, *, stacked: bool = True) -> Image.Image:
    """Lay card-sized images on a white A4 sheet, as a flatbed scan of an ID card's front and back.

    ``stacked`` puts them one above the other in the upper half (the usual photocopy); otherwise side by
    side (then the sheet is landscape, as when someone scans both faces across the glass).
    """
    width_px = round(A4_MM[0] / MM_PER_INCH * dpi)
    height_px = round(A4_MM[1] / MM_PER_INCH * dpi)
    if not stacked:
        width_px, height_px = height_px, width_px
    sheet = Image.new("RGB", (width_px, height_px), (255, 255, 255))
    margin = round(dpi * (0.35 + 0.3 * float(rng.random())))
    gap = round(dpi * (0.2 + 0.3 * float(rng.random())))
    x, y = margin, margin
    for card in cards:
        sheet.paste(card, (x, y))
        if stacked:
            y += card.height + gap
        else:
            x += card.width + gap
    return sheet


def rotate_content(image: Image.Image, degrees: int) -> Image.Image:
    """Rotate the page content clockwise by 0/90/180/270 degrees (what a sideways scan looks like)."""
    if degrees % 360 == 0:
        return image
    transpose = {
        90: Image.Transpose.ROTATE_270,
        180: Image.Transpose.ROTATE_180,
        270: Image.Transpose.ROTATE_90,
    }[degrees % 360]
    return image.transpose(transpose)


def _to_array(image: Image.Image) -> U8:
    return np.asarray(image.convert("RGB"), dtype=np.uint8)


def _jpeg_roundtrip(image: Image.Image, quality: int) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    buffer.seek(0)
    with Image.open(buffer) as reloaded:
        return reloaded.convert("RGB")


def _grain(shape: tuple[int, int], sigma: float, rng: Rng) -> npt.NDArray[np.int16]:
    """Sensor noise as int16, fast: OpenCV's generator seeded from ``rng`` (numpy's normal is slow at 300 dpi)."""
    noise = np.empty(shape, dtype=np.int16)
    cv2.setRNGSeed(int(rng.integers(0, 2**31 - 1)))
    cv2.randn(noise, np.array([0.0]), np.array([sigma]))
    return noise


def _add_grain(array: U8, sigma: float, rng: Rng) -> U8:
    noisy = array.astype(np.int16)
    noisy += _grain(array.shape[:2], sigma, rng)[:, :, None]
    np.clip(noisy, 0, 255, out=noisy)
    return noisy.astype(np.uint8)


def scan_flatbed(image: Image.Image, rng: Rng) -> tuple[Image.Image, list[str]]:
    """A flatbed scan: small skew, paper tint, sensor noise, slight blur, an edge shadow, JPEG artefacts."""
    defects: list[str] = []
    array = _to_array(image)
    height, width = array.shape[:2]
    angle = float(rng.uniform(-3.0, 3.0))
    if abs(angle) > 0.3:
        matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
        array = np.asarray(
            cv2.warpAffine(
                array, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255)
            ),
            dtype=np.uint8,
        )
        defects.append("skew")
    # paper colour: a per-channel lookup table, so ink stays dark and paper takes the tint
    tint = [[250, 250, 250], [246, 243, 232], [240, 240, 238], [248, 244, 222]][int(rng.integers(0, 4))]
    ramp = np.arange(256, dtype=np.float32)
    lut = np.stack([ramp * (t / 255.0) for t in tint], axis=-1).reshape(256, 1, 3)
    array = np.asarray(cv2.LUT(array, np.clip(lut, 0, 255).astype(np.uint8)), dtype=np.uint8)
    defects.append("tint")
    # scanner edge shadow along one border (lid not closed)
    side = int(rng.integers(0, 4))
    depth = max(8, int(min(height, width) * float(rng.uniform(0.01, 0.035))))
    shade = np.linspace(0.45, 1.0, depth, dtype=np.float32)
    if side == 0:
        array[:depth] = (array[:depth] * shade[:, None, None]).astype(np.uint8)
    elif side == 1:
        array[-depth:] = (array[-depth:] * shade[::-1, None, None]).astype(np.uint8)
    elif side == 2:
        array[:, :depth] = (array[:, :depth] * shade[None, :, None]).astype(np.uint8)
    else:
        array[:, -depth:] = (array[:, -depth:] * shade[None, ::-1, None]).astype(np.uint8)
    defects.append("edge_shadow")
    if rng.random() < 0.7:
        array = np.asarray(cv2.GaussianBlur(array, (0, 0), float(rng.uniform(0.4, 0.9))), dtype=np.uint8)
        defects.append("blur")
    array = _add_grain(array, float(rng.uniform(1.5, 3.5)), rng)
    defects.append("noise")
    result = _jpeg_roundtrip(Image.fromarray(array, "RGB"), int(rng.integers(70, 88)))
    defects.append("jpeg_artifacts")
    return result, defects


def _texture(height: int, width: int, rng: Rng) -> F32:
    """A table top: wood grain (stretched noise with rings) or fabric (fine cross-hatched noise)."""
    if rng.random() < 0.5:
        base = np.array(rng.choice([[120, 84, 52], [160, 118, 76], [96, 66, 44]]), dtype=np.float32)
        # grain lines along x, bent by a low-frequency field, plus fine fibre noise
        coarse = rng.normal(0, 1, size=(height // 40 + 2, width // 8 + 2)).astype(np.float32)
        bend = np.asarray(
            cv2.resize(coarse, (width, height), interpolation=cv2.INTER_CUBIC), dtype=np.float32
        )
        y = np.arange(height, dtype=np.float32)[:, None]
        rings = np.sin(y / float(rng.uniform(6.0, 14.0)) + bend * 1.6) * 13.0
        fibres = np.asarray(
            cv2.resize(
                rng.normal(0, 7, size=(height, max(1, width // 6))).astype(np.float32),
                (width, height),
                interpolation=cv2.INTER_LINEAR,
            ),
            dtype=np.float32,
        )
        shade = rings + fibres
    else:
        base = np.array(rng.choice([[70, 80, 110], [150, 150, 145], [110, 40, 45]]), dtype=np.float32)
        yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
        period = float(rng.uniform(2.0, 4.0))
        weave = (np.sin(xx / period) * np.sin(yy / period)) * 10.0
        shade = weave + rng.normal(0, 6, size=(height, width)).astype(np.float32)
    return np.asarray(base[None, None, :] + shade[:, :, None], dtype=np.float32)


def photo_phone(image: Image.Image, rng: Rng, long_side: int) -> tuple[Image.Image, list[str]]:
    """A phone photo: the page on a textured table, in perspective, unevenly lit, slightly blurred, flatter.

    Everything is computed at the output size (``long_side`` pixels), which keeps it fast.
    """
    canvas_scale = float(rng.uniform(1.15, 1.35))
    src_w, src_h = image.size
    scale = long_side / (max(src_w, src_h) * canvas_scale)
    page_w, page_h = max(1, round(src_w * scale)), max(1, round(src_h * scale))
    page = cv2.resize(_to_array(image), (page_w, page_h), interpolation=cv2.INTER_AREA).astype(np.float32)
    canvas_w, canvas_h = round(page_w * canvas_scale), round(page_h * canvas_scale)
    background = _texture(canvas_h, canvas_w, rng)
    # the page corners, jittered to make the perspective
    off_x = (canvas_w - page_w) / 2
    off_y = (canvas_h - page_h) / 2
    jitter = 0.06 * min(page_w, page_h)

    def corner(x: float, y: float) -> list[float]:
        return [x + float(rng.uniform(-jitter, jitter)), y + float(rng.uniform(-jitter, jitter))]

    src = np.array([[0, 0], [page_w, 0], [page_w, page_h], [0, page_h]], dtype=np.float32)
    dst = np.array(
        [
            corner(off_x, off_y),
            corner(off_x + page_w, off_y),
            corner(off_x + page_w, off_y + page_h),
            corner(off_x, off_y + page_h),
        ],
        dtype=np.float32,
    )
    matrix = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(page, matrix, (canvas_w, canvas_h), flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(
        np.ones((page_h, page_w), dtype=np.float32), matrix, (canvas_w, canvas_h), flags=cv2.INTER_LINEAR
    )[:, :, None]
    composed = warped * mask + background * (1.0 - mask)
    # uneven lighting: a linear gradient plus a soft diagonal shadow (the phone's own shadow)
    y, x = np.mgrid[0:canvas_h, 0:canvas_w].astype(np.float32)
    theta = float(rng.uniform(0, 2 * math.pi))
    gradient = np.cos(theta) * x / canvas_w + np.sin(theta) * y / canvas_h
    light = 0.92 + 0.16 * (gradient - gradient.min()) / max(float(np.ptp(gradient)), 1e-6)
    edge = float(rng.uniform(0.3, 0.7))
    shadow = 1.0 - 0.28 / (1.0 + np.exp(-((x / canvas_w) * 0.8 + (y / canvas_h) * 0.6 - edge) * 18.0))
    composed *= (light * shadow)[:, :, None]
    # lower contrast (phone auto-exposure) and a slightly warm white balance
    contrast = float(rng.uniform(0.75, 0.88))
    composed = (composed - 128.0) * contrast + 128.0 + float(rng.uniform(-6, 10))
    composed[:, :, 0] *= float(rng.uniform(1.0, 1.05))
    composed[:, :, 2] *= float(rng.uniform(0.9, 1.0))
    blurred = cv2.GaussianBlur(
        np.clip(composed, 0, 255).astype(np.uint8), (0, 0), float(rng.uniform(0.7, 1.3))
    )
    result = Image.fromarray(_add_grain(blurred, 3.0, rng), "RGB")
    return result, ["background", "perspective", "shadow", "low_contrast", "blur", "noise"]


def lowres(image: Image.Image, rng: Rng) -> tuple[Image.Image, list[str]]:
    """A 150 dpi scan: rasterised small already; adds the usual light scan noise and a strong JPEG pass."""
    array = np.asarray(cv2.convertScaleAbs(_to_array(image), alpha=0.97, beta=0.0), dtype=np.uint8)
    result = _jpeg_roundtrip(Image.fromarray(_add_grain(array, 3.0, rng), "RGB"), int(rng.integers(55, 72)))
    return result, ["lowres", "noise", "jpeg_artifacts"]


def _fax_font(width: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype("DejaVuSansMono.ttf", max(10, width // 90))
    except OSError:
        return ImageFont.load_default()


def fax(image: Image.Image, rng: Rng) -> tuple[Image.Image, list[str]]:
    """A fax: 200×100 dpi (half vertical resolution), binarised, with horizontal streaks and speckles.

    ``image`` is expected at 200 dpi; the result keeps its size (rows are doubled back) so pages stay A4.
    """
    grey = np.asarray(image.convert("L"), dtype=np.float32)
    height, width = grey.shape
    half = cv2.resize(grey, (width, max(1, height // 2)), interpolation=cv2.INTER_AREA)
    threshold = float(rng.uniform(150, 185))
    binary = np.where(half < threshold, 0, 255).astype(np.uint8)
    # streaks: rows dropped to white, now and then a thin smeared black line, and a dirty-roller column
    for _ in range(int(rng.integers(3, 9))):
        row = int(rng.integers(0, binary.shape[0]))
        binary[row : row + int(rng.integers(1, 3))] = 255
    if rng.random() < 0.5:
        row = int(rng.integers(0, binary.shape[0]))
        binary[row] = 0
    column = int(rng.integers(0, width))
    binary[:, column] = np.where(rng.random(binary.shape[0]) < 0.7, 0, binary[:, column])
    # the sending machine's header line
    header = Image.fromarray(binary, "L")
    stamp = f"{int(rng.integers(1, 28)):02d}/{int(rng.integers(9, 12)):02d}/2026 {int(rng.integers(8, 19)):02d}:{int(rng.integers(0, 60)):02d}"
    sender = f"DE : +33 {int(rng.integers(1, 6))} {int(rng.integers(10, 99))} {int(rng.integers(10, 99))} {int(rng.integers(10, 99))} {int(rng.integers(10, 99))}"
    ImageDraw.Draw(header).text(
        (width // 20, 2), f"{stamp}   {sender}   P. 001", fill=0, font=_fax_font(width)
    )
    binary = np.array(header, dtype=np.uint8)
    # speckle noise
    speckles = rng.random(binary.shape) < 0.0015
    binary[speckles] = 0
    full = cv2.resize(binary, (width, height), interpolation=cv2.INTER_NEAREST)
    return Image.fromarray(full, "L").convert("1"), ["binarised", "streaks", "noise"]
