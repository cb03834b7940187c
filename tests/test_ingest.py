"""Discovery and loading on real files of every format and defect, written by the tests themselves."""

from __future__ import annotations

import hashlib
import io
import json
import os
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from preverif.errors import InputError
from preverif.ingest.discover import discover_dossiers, extract_zip, parse_statement
from preverif.ingest.load import LoadedFile, load_pages, load_pages_with_timeout, sniff_format
from preverif.records import InputFile
from preverif.settings import Settings

SANS = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
SETTINGS = Settings(cache_dir=None, ocr_dpi=150)


def page_image(text: str = "Facture du 12 mars 2024") -> PILImage.Image:
    im = PILImage.new("RGB", (400, 560), "white")
    draw = ImageDraw.Draw(im)
    font = ImageFont.truetype(str(SANS), 22) if SANS.exists() else ImageFont.load_default()
    for i in range(6):
        draw.text((30, 40 + 60 * i), f"{text} — ligne {i}", font=font, fill="black")
    draw.rectangle((30, 450, 120, 520), fill=(200, 30, 30))  # a red mark: tells BGR from RGB
    return im


def input_file(path: Path) -> InputFile:
    data = path.read_bytes()
    return InputFile(path=path, relpath=path.name, size=len(data), sha256=hashlib.sha256(data).hexdigest())


def load(path: Path, settings: Settings = SETTINGS) -> LoadedFile:
    return load_pages(input_file(path), settings)


# ---------------------------------------------------------------- discovery


def write(path: Path, data: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_nested_folder_is_one_dossier_in_natural_order(tmp_path: Path) -> None:
    root = tmp_path / "dupont"
    write(root / "page10.jpg", b"10")
    write(root / "page2.jpg", b"2")
    write(root / "id" / "cni.png", b"cni")
    write(root / "notes.txt", b"notes")
    [dossier] = discover_dossiers(root, SETTINGS, tmp_path / "work")
    assert dossier.name == "dupont"
    assert [f.relpath for f in dossier.files] == ["id/cni.png", "notes.txt", "page2.jpg", "page10.jpg"]
    assert dossier.files[0].sha256 == hashlib.sha256(b"cni").hexdigest()


def test_folder_of_folders_is_a_batch(tmp_path: Path) -> None:
    write(tmp_path / "lot" / "b-martin" / "cni.jpg", b"m")
    write(tmp_path / "lot" / "a-dupont" / "facture.pdf", b"d")
    write(tmp_path / "lot" / ".DS_Store", b"junk")
    dossiers = discover_dossiers(tmp_path / "lot", SETTINGS, tmp_path / "work")
    assert [d.name for d in dossiers] == ["a-dupont", "b-martin"]


@pytest.mark.parametrize(
    ("folders", "single", "expected"),
    [
        pytest.param(
            ("Documents/papiers permis", "Téléphone"), False, ["dossier"], id="sorting-folders-one-dossier"
        ),
        pytest.param(("scans", "photos"), False, ["dossier"], id="scans-and-photos-one-dossier"),
        pytest.param(
            ("b-martin", "a-dupont"), False, ["a-dupont", "b-martin"], id="candidates-folders-a-batch"
        ),
        pytest.param(("b-martin", "a-dupont"), True, ["dossier"], id="forced-single"),
    ],
)
def test_batch_or_one_dossier_sorted_in_sub_folders(
    tmp_path: Path, folders: tuple[str, ...], single: bool, expected: list[str]
) -> None:
    for k, folder in enumerate(folders):
        write(tmp_path / "dossier" / folder / f"piece{k}.jpg", bytes([k]))
    dossiers = discover_dossiers(tmp_path / "dossier", SETTINGS, tmp_path / "work", single=single)
    assert [d.name for d in dossiers] == expected
    assert sum(len(d.files) for d in dossiers) == len(folders)  # nothing lost either way


def test_junk_files_are_skipped_quietly(tmp_path: Path) -> None:
    root = tmp_path / "d"
    write(root / "cni.jpg", b"ok")
    junk = [
        ".DS_Store",
        "Thumbs.db",
        "desktop.ini",
        "~$lettre.docx",
        ".~lock.f.odt#",
        "f.pdf.crdownload",
        "a.part",
        "b.tmp",
        ".cache",
    ]
    for name in junk:
        write(root / name, name.encode())
    [dossier] = discover_dossiers(root, SETTINGS, tmp_path / "work")
    assert [f.relpath for f in dossier.files] == ["cni.jpg"]
    skipped = {p.file for p in dossier.problems if p.code == "skipped"}
    assert skipped == set(junk)
    assert all("ignoré" in p.message for p in dossier.problems)


def test_duplicates_reported_once_keeping_first(tmp_path: Path) -> None:
    root = tmp_path / "d"
    write(root / "b.jpg", b"same")
    write(root / "a.jpg", b"same")
    write(root / "c.jpg", b"other")
    [dossier] = discover_dossiers(root, SETTINGS, tmp_path / "work")
    assert [f.relpath for f in dossier.files] == ["a.jpg", "c.jpg"]
    [dup] = [p for p in dossier.problems if p.code == "duplicate"]
    assert dup.file == "b.jpg" and "a.jpg" in dup.message


@pytest.mark.parametrize(
    ("names", "kept"),
    [
        pytest.param(["scan0001 (1).pdf", "scan0001.pdf"], "scan0001.pdf", id="numbered-copy"),
        pytest.param(["facture - Copie.pdf", "facture.pdf"], "facture.pdf", id="windows-copy"),
        pytest.param(["a.jpg", "b.jpg"], "a.jpg", id="no-copy-name-first-wins"),
    ],
)
def test_duplicates_keep_the_original_looking_name(tmp_path: Path, names: list[str], kept: str) -> None:
    root = tmp_path / "d"
    for name in names:
        write(root / name, b"same content")
    [dossier] = discover_dossiers(root, SETTINGS, tmp_path / "work")
    assert [f.relpath for f in dossier.files] == [kept]
    assert [p.file for p in dossier.problems if p.code == "duplicate"] == [n for n in names if n != kept]


def test_symlink_outside_is_unsafe(tmp_path: Path) -> None:
    secret = write(tmp_path / "secret.txt", b"secret")
    root = tmp_path / "d"
    write(root / "cni.jpg", b"ok")
    os.symlink(secret, root / "lien.jpg")
    os.symlink(root / "cni.jpg", root / "inside.jpg")
    [dossier] = discover_dossiers(root, SETTINGS, tmp_path / "work")
    assert [p.code for p in dossier.problems if p.file == "lien.jpg"] == ["unsafe_path"]
    assert "lien.jpg" not in [f.relpath for f in dossier.files]
    assert [p.code for p in dossier.problems if p.file == "inside.jpg"] == ["duplicate"]


def test_candidat_json_is_a_statement_not_a_document(tmp_path: Path) -> None:
    root = tmp_path / "d"
    write(root / "cni.jpg", b"ok")
    statement = {
        "surname": "Dupont",
        "given_names": ["Jean", "Marc"],
        "birth_date": "2006-04-01",
        "nationality": "fra",
    }
    write(root / "candidat.json", json.dumps(statement).encode())
    [dossier] = discover_dossiers(root, SETTINGS, tmp_path / "work")
    assert [f.relpath for f in dossier.files] == ["cni.jpg"]
    identity = dossier.stated_identity
    assert identity is not None and identity.source == "stated"
    assert identity.given_names == ("Jean", "Marc") and identity.nationality == "FRA"
    assert str(identity.birth_date) == "2006-04-01"


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param(b"{not json", id="syntax"),
        pytest.param(b"[]", id="list"),
        pytest.param(b'{"surname": ""}', id="no-surname"),
        pytest.param(b'{"surname": "A", "birth_date": "31/12/2006"}', id="bad-date"),
        pytest.param(b'{"surname": "A", "given_names": [1]}', id="bad-names"),
        pytest.param(b'{"surname": "A", "nationality": "France"}', id="bad-country"),
        pytest.param(b"\xff\xfe\x00", id="binary"),
    ],
)
def test_malformed_candidat_json(tmp_path: Path, payload: bytes) -> None:
    write(tmp_path / "d" / "candidat.json", payload)
    write(tmp_path / "d" / "cni.jpg", b"ok")
    [dossier] = discover_dossiers(tmp_path / "d", SETTINGS, tmp_path / "work")
    assert dossier.stated_identity is None
    [problem] = dossier.problems
    assert problem.code == "invalid_statement" and "candidat.json" in problem.message
    with pytest.raises(ValueError):
        parse_statement(payload)


def make_zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def test_zip_dossier_extracted_with_zip_slip_refused(tmp_path: Path) -> None:
    archive = make_zip(
        tmp_path / "martin.zip",
        {
            "martin/cni.jpg": b"cni",
            "martin/sub/facture.pdf": b"pdf",
            "../evil.txt": b"evil",
            "/abs.txt": b"abs",
        },
    )
    work = tmp_path / "work"
    [dossier] = discover_dossiers(archive, SETTINGS, work)
    assert dossier.name == "martin"
    assert [f.relpath for f in dossier.files] == ["cni.jpg", "sub/facture.pdf"]
    assert all(f.path.is_relative_to(work) for f in dossier.files)
    unsafe = sorted(p.file for p in dossier.problems if p.code == "unsafe_path")
    assert unsafe == ["../evil.txt", "/abs.txt"]
    assert not (tmp_path / "evil.txt").exists()


def test_zip_symlink_entry_refused(tmp_path: Path) -> None:
    archive = tmp_path / "l.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        info = zipfile.ZipInfo("link.jpg")
        info.external_attr = 0o120777 << 16
        zf.writestr(info, "/etc/passwd")
        zf.writestr("cni.jpg", b"ok")
    ok, problems = extract_zip(archive, tmp_path / "out")
    assert ok and [p.code for p in problems] == ["unsafe_path"]
    assert not (tmp_path / "out" / "link.jpg").exists()


def test_zip_bomb_refused(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "bomb.zip", {"zeros.bin": b"\0" * (30 * 1024 * 1024)})
    [dossier] = discover_dossiers(archive, SETTINGS, tmp_path / "work")
    assert dossier.files == ()
    assert [p.code for p in dossier.problems] == ["too_large"]
    assert "bombe" in dossier.problems[0].message


def test_folder_of_zips_is_a_batch_and_corrupt_zip_does_not_stop_it(tmp_path: Path) -> None:
    lot = tmp_path / "lot"
    lot.mkdir()
    make_zip(lot / "a.zip", {"cni.jpg": b"a"})
    write(lot / "b.zip", b"PK\x03\x04 broken")
    dossiers = discover_dossiers(lot, SETTINGS, tmp_path / "work")
    assert [d.name for d in dossiers] == ["a", "b"]
    assert [f.relpath for f in dossiers[0].files] == ["cni.jpg"]
    assert [p.code for p in dossiers[1].problems] == ["corrupt"]


def test_missing_path_raises_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        discover_dossiers(tmp_path / "absent", SETTINGS, tmp_path / "work")


# ---------------------------------------------------------------- loading: formats


def save(im: PILImage.Image, path: Path, fmt: str, **kwargs: object) -> Path:
    im.save(path, fmt, **kwargs)
    return path


@pytest.mark.parametrize(
    ("suffix", "fmt", "kwargs"),
    [
        pytest.param("png", "PNG", {}, id="png"),
        pytest.param("webp", "WEBP", {"lossless": True}, id="webp"),
        pytest.param("bmp", "BMP", {}, id="bmp"),
        pytest.param("gif", "GIF", {}, id="gif"),
        pytest.param("jpg", "JPEG", {"quality": 95}, id="jpeg"),
    ],
)
def test_image_formats_load_as_bgr(tmp_path: Path, suffix: str, fmt: str, kwargs: dict[str, object]) -> None:
    path = save(page_image(), tmp_path / f"p.{suffix}", fmt, **kwargs)
    loaded = load(path)
    assert loaded.problem is None and loaded.kind == "image"
    [page] = loaded.pages
    assert page.image is not None and page.image.shape[:2] == (560, 400)
    b, g, r = (int(v) for v in page.image[485, 75][:3])
    assert r > 150 and b < 100, (b, g, r)  # BGR order
    assert len(page.content_hash) == 64


def test_jpeg_exif_orientation_applied(tmp_path: Path) -> None:
    upright = page_image()
    stored = upright.rotate(90, expand=True)  # stored sideways, EXIF says "rotate 90° CW to display"
    exif = PILImage.Exif()
    exif[0x0112] = 6
    path = save(stored, tmp_path / "photo.jpg", "JPEG", exif=exif.tobytes(), quality=95)
    [page] = load(path).pages
    assert page.image is not None and page.image.shape[:2] == (560, 400)


def test_multipage_tiff_all_frames(tmp_path: Path) -> None:
    frames = [page_image(f"Page {i}").convert("L") for i in range(3)]
    path = tmp_path / "scan.tif"
    frames[0].save(path, "TIFF", save_all=True, append_images=frames[1:], dpi=(300, 300))
    loaded = load(path)
    assert [p.number for p in loaded.pages] == [1, 2, 3]
    assert loaded.pages[0].dpi == pytest.approx(300)
    assert loaded.pages[0].image is not None and loaded.pages[0].image.ndim == 2


def test_heic_loads(tmp_path: Path) -> None:
    pillow_heif = pytest.importorskip("pillow_heif")
    if not pillow_heif.libheif_info().get("HEIF"):
        pytest.skip("pas d'encodeur HEIF ici")
    pillow_heif.register_heif_opener()
    path = save(page_image(), tmp_path / "IMG_0001.HEIC", "HEIF", quality=90)
    loaded = load(path)
    assert loaded.problem is None and loaded.kind == "image"
    assert loaded.pages[0].image is not None and loaded.pages[0].image.shape[:2] == (560, 400)


def test_format_by_magic_not_extension(tmp_path: Path) -> None:
    path = save(page_image(), tmp_path / "photo.pdf", "PNG")
    assert load(path).kind == "image"
    assert sniff_format(b"%PDF-1.7\n") == "pdf"


# ---------------------------------------------------------------- loading: PDF


def digital_pdf(path: Path, pages: int = 1, **canvas_kwargs: object) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4, **canvas_kwargs)
    for n in range(pages):
        c.setFont("Helvetica", 14)
        c.drawString(72, 760, "Facture d'électricité du 12 mars 2024")
        c.drawString(300, 760, "Page")
        c.drawString(72, 730, f"Monsieur Jean DUPONT — page {n + 1}")
        c.showPage()
    c.save()
    return path


def scanned_pdf(path: Path, pages: int = 1) -> Path:
    images = [page_image(f"Scan {i}") for i in range(pages)]
    images[0].save(path, "PDF", resolution=100.0, save_all=True, append_images=images[1:])
    return path


def test_digital_pdf_text_layer_with_boxes(tmp_path: Path) -> None:
    loaded = load(digital_pdf(tmp_path / "facture.pdf"))
    assert loaded.kind == "pdf_digital" and loaded.problem is None
    [page] = loaded.pages
    assert page.dpi == pytest.approx(150) and page.text_layer is not None
    assert page.text_layer.source == "text_layer"
    lines = page.text_layer.lines
    assert lines[0].startswith("Facture d'électricité du 12 mars 2024")
    assert lines[1].startswith("Monsieur Jean DUPONT")
    word = page.text_layer.words[0]
    # 72 pt from the left at 150 dpi = 150 px; the line's top near (842 - 760 - 14) pt
    assert abs(word.box.left - 150) <= 3
    assert 120 <= word.box.top <= 160
    assert page.image is not None
    assert abs(page.image.shape[0] - 1754) <= 1 and abs(page.image.shape[1] - 1240) <= 1


def test_scanned_pdf_rendered_at_ocr_dpi(tmp_path: Path) -> None:
    loaded = load(scanned_pdf(tmp_path / "scan.pdf", 2), Settings(cache_dir=None, ocr_dpi=200))
    assert loaded.kind == "pdf_scan"
    assert [p.dpi for p in loaded.pages] == [200, 200]
    assert all(p.text_layer is None for p in loaded.pages)
    assert loaded.pages[0].content_hash != loaded.pages[1].content_hash


def test_mixed_pdf_page_by_page(tmp_path: Path) -> None:
    from pypdfium2 import PdfDocument

    merged = PdfDocument.new()
    for part in (digital_pdf(tmp_path / "d.pdf"), scanned_pdf(tmp_path / "s.pdf")):
        src = PdfDocument(str(part))
        merged.import_pages(src)
        src.close()
    merged.save(str(tmp_path / "mixed.pdf"))
    merged.close()
    loaded = load(tmp_path / "mixed.pdf")
    assert loaded.kind == "pdf_mixed"
    assert [p.text_layer is not None for p in loaded.pages] == [True, False]


# ---------------------------------------------------------------- loading: broken files


def truncated(make: Callable[[Path], Path]) -> Callable[[Path], Path]:
    def build(path: Path) -> Path:
        full = make(path).read_bytes()
        path.write_bytes(full[: len(full) // 2])
        return path

    return build


def bomb_png(path: Path) -> Path:
    """A tiny PNG whose header declares 100 000 × 100 000 pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 0, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b"")
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + body)
    return path


def zip_inside(path: Path) -> Path:
    return make_zip(path, {"a.jpg": b"a"})


BROKEN: list[object] = [
    pytest.param(lambda p: write(p, b""), "empty", "Fichier vide", id="empty"),
    pytest.param(
        truncated(lambda p: save(page_image(), p, "JPEG")), "truncated", "tronqué", id="truncated-jpeg"
    ),
    pytest.param(truncated(lambda p: save(page_image(), p, "PNG")), None, "", id="truncated-png"),
    pytest.param(
        lambda p: write(p, b"%PDF-1.4\n1 0 obj garbage\n"), "corrupt", "PDF illisible", id="corrupt-pdf"
    ),
    pytest.param(truncated(lambda p: digital_pdf(p, 3)), None, "", id="truncated-pdf"),
    pytest.param(
        lambda p: digital_pdf(p, encrypt="secret"),
        "encrypted",
        "PDF protégé par un mot de passe : envoyez une version sans mot de passe",
        id="encrypted-pdf",
    ),
    pytest.param(
        lambda p: write(p, b"Bonjour, voici mon dossier.\n"),
        "unsupported",
        "Format non pris en charge",
        id="text-as-pdf",
    ),
    pytest.param(zip_inside, "unsupported", "Format non pris en charge", id="zip-inside"),
    pytest.param(
        lambda p: write(p, b"\x7fELF\x02\x01\x01" + b"\0" * 100),
        "unsupported",
        "Format non pris en charge",
        id="executable",
    ),
    pytest.param(bomb_png, "too_large", "Image trop grande (possible bombe de décompression)", id="bomb-png"),
    pytest.param(
        lambda p: write(p, b"\x89PNG\r\n\x1a\n" + np.random.default_rng(7).bytes(200)),  # fixed garbage
        "corrupt",
        "Image illisible",
        id="garbage-png",
    ),
]


@pytest.mark.parametrize(("make", "code", "message"), BROKEN)
def test_broken_file_gives_french_message(
    tmp_path: Path, make: Callable[[Path], Path], code: str | None, message: str
) -> None:
    loaded = load(make(tmp_path / "doc.pdf"))
    assert loaded.problem is not None, loaded
    assert loaded.problem.file == "doc.pdf"
    if code is not None:
        assert loaded.problem.code == code
        assert message in loaded.problem.message
        assert loaded.pages == () and loaded.kind == "unreadable"
    else:  # truncated PNG / PDF: depending on where the cut falls, 'truncated' or 'corrupt'
        assert loaded.problem.code in ("truncated", "corrupt")


def test_too_many_pages_keeps_first_n(tmp_path: Path) -> None:
    settings = Settings(cache_dir=None, max_pages_per_file=2)
    loaded = load(digital_pdf(tmp_path / "long.pdf", 4), settings)
    assert [p.number for p in loaded.pages] == [1, 2]
    assert loaded.problem is not None and loaded.problem.code == "too_many_pages"
    assert "4 pages" in loaded.problem.message and "2 premières" in loaded.problem.message


def test_file_over_byte_limit(tmp_path: Path) -> None:
    path = save(page_image(), tmp_path / "big.png", "PNG")
    loaded = load(path, Settings(cache_dir=None, max_file_bytes=100))
    assert loaded.problem is not None and loaded.problem.code == "too_large"


def test_pixel_limit_from_settings(tmp_path: Path) -> None:
    path = save(page_image(), tmp_path / "p.png", "PNG")
    loaded = load(path, Settings(cache_dir=None, max_pixels=10_000))
    assert loaded.problem is not None and loaded.problem.message.startswith("Image trop grande")


def test_load_with_timeout_runs_in_child(tmp_path: Path) -> None:
    path = save(page_image(), tmp_path / "p.png", "PNG")
    loaded = load_pages_with_timeout(input_file(path), SETTINGS)
    assert loaded.problem is None and loaded.pages[0].image is not None


def test_load_with_timeout_kills_slow_child(tmp_path: Path) -> None:
    path = scanned_pdf(tmp_path / "s.pdf", 3)
    loaded = load_pages_with_timeout(input_file(path), Settings(cache_dir=None, file_timeout_s=0.01))
    assert loaded.problem is not None and loaded.problem.code == "timeout"
    assert loaded.problem.message.startswith("Lecture interrompue après 0.01 s")


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"random-{s}") for s in range(4)])
def test_random_bytes_never_raise(tmp_path: Path, seed: int) -> None:
    rng = np.random.default_rng(seed)
    heads = [b"%PDF-1.5\n", b"\xff\xd8\xff\xe0", b"II*\x00", b"RIFF\0\0\0\0WEBP", b""]
    data = heads[seed % len(heads)] + rng.integers(0, 256, 3000, dtype=np.uint8).tobytes()
    loaded = load(write(tmp_path / "x.bin", data))
    assert loaded.problem is not None and loaded.pages == ()
    assert isinstance(io.BytesIO(data), io.BytesIO)
