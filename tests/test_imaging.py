"""Page preparation on real images drawn here: orientation, skew, phone-photo rescue, quality."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from preverif.imaging.deskew import deskew, estimate_skew, text_axis, to_grey
from preverif.imaging.enhance import normalise_lighting
from preverif.imaging.orient import (
    dark_mass_rotation,
    detect_orientation,
    header_rotation,
    rotate_clockwise,
)
from preverif.imaging.perspective import find_document_quad, rectify
from preverif.imaging.prepare import prepare_page
from preverif.imaging.quality import MSG_BLUR, MSG_DARK, measure_quality
from preverif.ocr.tesseract import ocr_image
from preverif.reading import prepare_and_read
from preverif.records import Box, Image, PageText, RawPage, Word
from preverif.settings import Settings

FONTS = Path("/usr/share/fonts/truetype")
SANS = FONTS / "dejavu" / "DejaVuSans.ttf"
MONO = FONTS / "dejavu" / "DejaVuSansMono.ttf"

BILL = (
    "Facture d'électricité du 12 mars 2024",
    "Monsieur Jean DUPONT",
    "12 rue de la République, 75011 Paris",
    "Référence client : 4402 1187 23",
    "Montant total à payer : 87,42 euros",
    "Consommation du 10 janvier au 10 mars",
    "Prélèvement automatique le 28 mars 2024",
)


def _font(path: Path, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if not path.exists():
        pytest.skip(f"police absente : {path}")
    return ImageFont.truetype(str(path), size)


def bill_page() -> Image:
    """An A4-shaped page (150 dpi) of French bill text."""
    im = PILImage.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(im)
    font = _font(SANS, 30)
    y = 120
    for line in BILL * 2:
        draw.text((110, y), line, font=font, fill=0)
        y += 70
    return np.array(im)


def card_page() -> Image:
    """An ID-1-shaped card with a photo block and a two-line MRZ at the bottom."""
    im = PILImage.new("L", (1012, 638), 235)
    draw = ImageDraw.Draw(im)
    font, mono = _font(SANS, 28), _font(MONO, 40)
    draw.rectangle((40, 120, 300, 460), fill=150)
    for i, line in enumerate(
        ("RÉPUBLIQUE FRANÇAISE", "CARTE NATIONALE D'IDENTITÉ", "Nom : MARTIN", "Prénoms : Sophie")
    ):
        draw.text((330, 40 + i * 60), line, font=font, fill=20)
    draw.text((30, 520), "IDFRAMARTIN<<<<<<<<<<<<<<<<<<<<<", font=mono, fill=0)
    draw.text((30, 570), "9012345678906SOPHIE<<MARIE<9007138F8", font=mono, fill=0)
    return np.array(im)


def card_on_sheet(defect: str) -> Image:
    """A card back (three-line MRZ, a monospaced grid) on a mostly blank A4 sheet at 300 dpi, with a
    scanner's defect: a shadow along the sheet's edge or a fax's dotted streak down the page."""
    sheet = np.full((3508, 2480), 242, np.uint8)
    card = PILImage.new("L", (1012, 638), 225)
    draw = ImageDraw.Draw(card)
    font, mono = _font(SANS, 24), _font(MONO, 44)
    draw.text((200, 40), "Adresse : 12 RUE DE LA PAIX, 75002 PARIS", font=font, fill=20)
    draw.text((200, 90), "PRÉFECTURE 75", font=font, fill=20)
    for i, line in enumerate(
        ("IDFRAX4RTYZ9N0<<<<<<<<<<<<<<<", "8001017F3001015FRA<<<<<<<<<<<4", "MARTIN<<SOPHIE<<<<<<<<<<<<<<<")
    ):
        draw.text((40, 420 + i * 62), line, font=mono, fill=0)
    sheet[200:838, 250:1262] = np.array(card)
    if defect == "shadow":
        sheet[:, :70] = np.linspace(40, 242, 70, dtype=np.uint8)[None, :]
    elif defect == "streak":
        for y in range(0, 3508, 12):
            sheet[y : y + 7, 360:364] = 30
    return sheet


@pytest.mark.parametrize("defect", [pytest.param("shadow", id="shadow"), pytest.param("streak", id="streak")])
@pytest.mark.parametrize("turned", [pytest.param(t, id=f"turned-{t}") for t in (0, 90, 180, 270)])
def test_text_axis_of_card_on_sheet_ignores_grid_and_defects(defect: str, turned: int) -> None:
    """The MRZ grid's columns, a scanner shadow and a fax streak must not pass for text lines (no OCR)."""
    image = rotate_clockwise(card_on_sheet(defect), turned)
    assert text_axis(image) == turned % 180


def faxed_portrait() -> Image:
    """A faxed ID photo: a black silhouette on white paper, the fax's header line along the top edge."""
    im = PILImage.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(im)
    draw.text((30, 8), "15/09/2026 12:26   DE : +33 4 92 65 56 73   P. 001", font=_font(MONO, 26), fill=0)
    draw.ellipse((120, 80, 260, 260), fill=0)
    draw.rectangle((60, 240, 320, 380), fill=0)
    return np.array(im)


@pytest.mark.parametrize("turned", [pytest.param(t, id=f"turned-{t}") for t in (0, 90, 180, 270)])
def test_faxed_portrait_is_turned_by_its_header_line(turned: int) -> None:
    """A photo has no text to orient by, but a fax's header line turns with it (no OCR)."""
    image = rotate_clockwise(faxed_portrait(), turned)
    assert detect_orientation(image, text_layer_present=False).rotate == (360 - turned) % 360


def e_photo() -> Image:
    """An e-photo: a grey face framed by dark hair and dark clothes that stop short of the picture's edges."""
    im = PILImage.new("L", (350, 450), 225)
    draw = ImageDraw.Draw(im)
    draw.rectangle((60, 300, 290, 420), fill=30)  # clothes, low in the picture
    draw.ellipse((110, 70, 240, 250), fill=40)  # hair
    draw.ellipse((125, 100, 225, 240), fill=150)  # face
    return np.array(im)


@pytest.mark.parametrize("turned", [pytest.param(t, id=f"turned-{t}") for t in (0, 90, 180, 270)])
def test_portrait_upright_by_its_dark_mass(turned: int) -> None:
    assert dark_mass_rotation(rotate_clockwise(e_photo(), turned)).rotate == (360 - turned) % 360


@pytest.mark.parametrize(
    "image",
    [
        pytest.param(np.full((400, 300), 255, np.uint8), id="blank"),
        pytest.param(np.zeros((400, 300), np.uint8), id="black"),
        pytest.param(np.random.default_rng(2).integers(0, 256, (300, 400), dtype=np.uint8), id="noise"),
    ],
)
def test_no_header_line_on_pages_without_one(image: Image) -> None:
    assert header_rotation(image) is None
    assert dark_mass_rotation(image).rotate in {0, 90, 180, 270}  # never a crash on junk


@pytest.mark.parametrize(
    "image",
    [
        pytest.param(np.zeros((0, 0), np.uint8), id="empty"),
        pytest.param(np.full((40, 30), 128, np.uint8), id="flat"),
    ],
)
def test_dark_mass_gives_no_answer_without_a_subject(image: Image) -> None:
    assert dark_mass_rotation(image).confidence == 0.0


@pytest.mark.parametrize(
    ("page", "turned"),
    [
        pytest.param("bill", 90, id="bill-90"),
        pytest.param("bill", 180, id="bill-180"),
        pytest.param("card", 270, id="card-mrz-270"),
        pytest.param("card", 180, id="card-mrz-180"),
    ],
)
def test_rotated_page_comes_back_upright(page: str, turned: int) -> None:
    """Orientation as the read stage settles it: preparation's guess confirmed by the page's own OCR."""
    upright = bill_page() if page == "bill" else card_page()
    turned_image = rotate_clockwise(upright, turned)
    guess = detect_orientation(turned_image, text_layer_present=False)
    assert guess.rotate % 180 == ((360 - turned) % 360) % 180, guess  # the lines' direction, at least
    raw = RawPage(file="p.png", number=1, image=turned_image, dpi=150.0)
    prepared, text = prepare_and_read(raw, Settings())
    assert prepared.rotation == (360 - turned) % 360, prepared.orientation_method
    assert any("MARTIN" in w.text or "DUPONT" in w.text for w in text.words)


def test_text_layer_page_needs_no_osd() -> None:
    assert detect_orientation(bill_page(), text_layer_present=True).method == "text_layer"


def _tilt(image: Image, angle: float) -> Image:
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return np.asarray(cv2.warpAffine(image, matrix, (w, h), borderValue=255), dtype=np.uint8)


@pytest.mark.parametrize("angle", [pytest.param(3.0, id="ccw-3"), pytest.param(-3.0, id="cw-3")])
def test_skew_estimated_within_half_degree(angle: float) -> None:
    tilted = _tilt(bill_page(), angle)
    estimate = estimate_skew(tilted)
    assert abs(estimate - angle) <= 0.5
    assert abs(estimate_skew(deskew(tilted, estimate))) <= 0.3


def test_skew_of_blank_page_is_zero() -> None:
    assert estimate_skew(np.full((400, 300), 255, np.uint8)) == 0.0


def phone_photo(page: Image) -> Image:
    """The page warped by a perspective onto a dark wooden-looking table, with a shadow."""
    rng = np.random.default_rng(3)
    h, w = 1500, 1300
    noise = rng.normal(0, 1, (h // 10, w // 10)).astype(np.float32)
    wood = cv2.resize(noise, (w, h), interpolation=cv2.INTER_CUBIC)
    background = np.clip(90 + 25 * wood + 15 * np.sin(np.arange(w) / 9.0)[None, :], 0, 255).astype(np.uint8)
    ph, pw = page.shape[:2]
    src = np.array([[0, 0], [pw - 1, 0], [pw - 1, ph - 1], [0, ph - 1]], np.float32)
    dst = np.array([[300, 120], [1050, 170], [1120, 1400], [200, 1360]], np.float32)
    matrix = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(page, matrix, (w, h), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full_like(page, 255), matrix, (w, h), flags=cv2.INTER_NEAREST)
    photo = np.where(mask > 0, warped, background).astype(np.float32)
    shadow = np.linspace(0.75, 1.0, w, dtype=np.float32)[None, :]
    return np.clip(photo * shadow, 0, 255).astype(np.uint8)


def test_phone_photo_is_rectified_so_that_ocr_reads_it() -> None:
    photo = phone_photo(bill_page())
    quad = find_document_quad(photo)
    assert quad is not None
    flat = normalise_lighting(rectify(photo, quad))
    h, w = flat.shape
    assert 1.3 < h / w < 1.5  # A4 proportions restored
    text = ocr_image(flat[: h // 3], lang="fra", psm=6).text
    assert "Facture" in text and "DUPONT" in text


def test_flatbed_scan_is_not_warped() -> None:
    page = bill_page()
    cv2.rectangle(page, (80, 90), (1160, 1600), 0, 3)  # a frame printed on the page is not a document edge
    assert find_document_quad(page) is None


def test_blurred_image_flagged() -> None:
    page = bill_page()
    assert MSG_BLUR not in measure_quality(page, 300).problems
    blurred = cv2.GaussianBlur(page, (0, 0), 5)
    quality = measure_quality(blurred, 300)
    assert MSG_BLUR in quality.problems
    assert "floue" in " ".join(quality.problems)


def test_dark_image_flagged() -> None:
    dark = (bill_page() * 0.22).astype(np.uint8)
    assert MSG_DARK in measure_quality(dark, 300).problems


def test_low_resolution_flagged() -> None:
    small = cv2.resize(bill_page(), (620, 877), interpolation=cv2.INTER_AREA)  # an A4 page at 75 dpi
    problems = measure_quality(small, 0).problems
    assert any(p.startswith("résolution trop faible (75 dpi)") for p in problems), problems


def test_prepare_born_digital_page_keeps_pixel_space() -> None:
    page = np.dstack([bill_page()] * 3)
    layer = PageText(words=(Word("Facture", Box(110, 120, 120, 30), 100.0, 0),), source="text_layer")
    raw = RawPage(file="f.pdf", number=1, image=page, dpi=150, text_layer=layer, content_hash="x")
    prepared = prepare_page(raw, Settings(cache_dir=None))
    assert prepared.image.shape == page.shape[:2] and prepared.rotation == 0
    assert prepared.quality.problems == ()


def test_prepare_rotated_tilted_scan() -> None:
    page = rotate_clockwise(_tilt(bill_page(), 2.0), 90)
    raw = RawPage(file="scan.png", number=1, image=page, dpi=150, content_hash="y")
    prepared = prepare_page(raw, Settings(cache_dir=None))
    assert prepared.rotation == 270
    assert abs(prepared.skew - 2.0) <= 0.5
    assert prepared.image.dtype == np.uint8 and prepared.image.ndim == 2
    assert prepared.image.shape[0] > prepared.image.shape[1]


@pytest.mark.parametrize(
    "junk",
    [
        pytest.param(np.zeros((0, 0), np.uint8), id="empty"),
        pytest.param(np.zeros((5, 5), np.uint8), id="tiny-black"),
        pytest.param(np.full((300, 200, 3), 255, np.uint8), id="blank-colour"),
        pytest.param(np.random.default_rng(1).integers(0, 256, (200, 300), dtype=np.uint8), id="noise"),
    ],
)
def test_junk_images_never_crash(junk: Image) -> None:
    raw = RawPage(file="j.png", number=1, image=junk, dpi=0)
    prepared = prepare_page(raw, Settings(cache_dir=None))
    assert prepared.image.dtype == np.uint8
    assert find_document_quad(junk) is None or junk.size > 0
    measure_quality(junk if junk.size else np.full((2, 2), 255, np.uint8), 0)


# ---------------------------------------------------------------- coloured print to grey

HEADING_COLOURS = [
    pytest.param((0, 200, 240), id="yellow"),  # BGR
    pytest.param((0, 140, 245), id="orange"),
    pytest.param((230, 170, 60), id="light-blue"),
]


def _coloured_heading(colour_bgr: tuple[int, int, int]) -> Image:
    """A bill's strip at 300 dpi: its date heading printed in the issuer's colour on off-white paper."""
    pil = PILImage.new("RGB", (1500, 220), (242, 241, 238))
    draw = ImageDraw.Draw(pil)
    try:
        font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 44)
    except OSError:
        pytest.skip("DejaVu fonts absent")
    b, g, r = colour_bgr
    draw.text((60, 40), "Facture émise le 10/10/2026", fill=(r, g, b), font=font)
    draw.text((60, 130), "Consommation du 04/09/2026", fill=(30, 30, 30), font=font)
    return cv2.cvtColor(np.asarray(pil), cv2.COLOR_RGB2BGR)


@pytest.mark.parametrize("colour", HEADING_COLOURS)
def test_coloured_heading_stays_dark_enough_to_read(colour: tuple[int, int, int]) -> None:
    page = _coloured_heading(colour)
    grey = to_grey(page)
    paper = int(np.median(grey))
    heading_ink = int(grey[40:110, 60:1400].min())
    assert paper - heading_ink >= 100  # plain luminance leaves yellow 45 levels under the paper
    text = ocr_image(normalise_lighting(grey), lang="fra", psm=6, dpi=300)
    assert "10/10/2026" in text.text


def test_neutral_and_tinted_pixels_keep_their_luminance() -> None:
    rng = np.random.default_rng(7)
    base = rng.integers(0, 256, size=(64, 64), dtype=np.uint8)
    # grey, a warm paper tint and JPEG-like chroma noise: channels within 80 levels of one another
    tint = np.stack([base * 0.85, base * 0.95, base.astype(np.float64)], axis=2)
    noisy = np.clip(tint + rng.integers(-12, 13, size=tint.shape), 0, 255).astype(np.uint8)
    assert np.array_equal(to_grey(noisy), cv2.cvtColor(noisy, cv2.COLOR_BGR2GRAY))
