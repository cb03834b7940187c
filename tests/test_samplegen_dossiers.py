"""The sample generator: scenario planning, expected verdicts, capture defects, file formats, determinism."""

from __future__ import annotations

import hashlib
import io
import json
import random
import sys
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pillow_heif
import pypdfium2 as pdfium
import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
sys.path.insert(0, str(SCRIPTS))

from samplegen import capture, dossiers, formats, people  # noqa: E402
from samplegen.spec import DocSpec, RenderedDoc  # noqa: E402

pillow_heif.register_heif_opener()
REFERENCE = date(2026, 11, 27)
FAST = dossiers.CaptureSettings(
    scan_dpi=90, photo_dpi=80, lowres_dpi=75, fax_dpi=90, photo_long_side=(500, 600)
)


def fake_render(spec: DocSpec) -> RenderedDoc:
    """A tiny stand-in renderer: the holder's name and the date on a page of the document's size."""
    card = spec.type == "identity" and spec.subtype in dossiers.CARD_SUBTYPES
    size = (85.6 * 72 / 25.4, 54 * 72 / 25.4) if card else A4
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=size, invariant=1)
    pages = 2 if card else 1
    for page in range(pages):
        pdf.setFont("Helvetica", 9)
        pdf.drawString(10, size[1] - 20, f"{spec.type} {spec.subtype} page {page + 1}")
        pdf.drawString(10, size[1] - 34, f"{spec.holder.surname.upper()} {' '.join(spec.holder.given_names)}")
        if spec.issue_date:
            pdf.drawString(10, size[1] - 48, spec.issue_date.strftime("%d/%m/%Y"))
        pdf.showPage()
    pdf.save()
    return RenderedDoc(pdf=buffer.getvalue(), page_count=pages, card=card)


def _page_count(path: Path) -> int:
    if path.suffix.lower() == ".pdf":
        doc = pdfium.PdfDocument(path.read_bytes())
        try:
            return len(doc)
        finally:
            doc.close()
    with Image.open(path) as image:
        return getattr(image, "n_frames", 1)


def _tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


# ---------------------------------------------------------------- planning and expected verdicts


@pytest.fixture(scope="module")
def plans() -> list[dossiers.DossierPlan]:
    return [dossiers.plan_dossier(i, 1000, REFERENCE) for i in range(60)]


def test_sixty_dossiers_cover_every_main_scenario(plans: list[dossiers.DossierPlan]) -> None:
    seen = {tag for plan in plans for tag in plan.scenarios}
    extra = {"broken_files", "junk_files", "duplicate_file", "nested_folders"}
    assert set(dossiers.MAIN_SCENARIOS) | extra <= seen


def test_verdict_follows_the_checks(plans: list[dossiers.DossierPlan]) -> None:
    for plan in plans:
        statuses = set(plan.expected_checks.values())
        if statuses & {"missing", "fail"}:
            assert plan.expected_verdict == "incomplete", plan.dossier_id
        elif "review" in statuses:
            assert plan.expected_verdict == "needs_review", plan.dossier_id
        else:
            assert plan.expected_verdict == "complete", plan.dossier_id
    assert {p.expected_verdict for p in plans} == {"complete", "incomplete", "needs_review"}


def _age(plan: dossiers.DossierPlan) -> int:
    birth = plan.applicant.birth_date
    return REFERENCE.year - birth.year - ((REFERENCE.month, REFERENCE.day) < (birth.month, birth.day))


def test_age_rules_decide_which_checks_apply(plans: list[dossiers.DossierPlan]) -> None:
    for plan in plans:
        age = _age(plan)
        french = plan.applicant.nationality == "FRA"
        assert ("assr" in plan.expected_checks) == (age < 21), plan.dossier_id
        assert ("jdc" in plan.expected_checks) == (french and 17 <= age < 25), plan.dossier_id
        assert ("legal_representative" in plan.expected_checks) == (age < 18), plan.dossier_id
        exempt = plan.applicant.nationality in dossiers.RESIDENCE_EXEMPT
        assert ("residence_permit" in plan.expected_checks) == (not exempt), plan.dossier_id


@pytest.mark.parametrize(
    ("main", "code", "status", "verdict"),
    [
        pytest.param("proof_boundary_inside", "proof_of_address", "ok", None, id="boundary-inside"),
        pytest.param(
            "proof_boundary_outside", "proof_of_address", "fail", "incomplete", id="boundary-outside"
        ),
        pytest.param("own_proof_stale", "proof_of_address", "fail", "incomplete", id="stale"),
        pytest.param("no_proof", "proof_of_address", "missing", "incomplete", id="no-proof"),
        pytest.param("home_insurance_only", "proof_of_address", "review", None, id="insurance"),
        pytest.param("property_tax_only", "proof_of_address", "review", None, id="property-tax"),
        pytest.param("twoddoc_tampered", "proof_of_address", "review", None, id="2ddoc-tampered"),
        pytest.param("host_chain_missing_host_id", "host_chain", "missing", "incomplete", id="no-host-id"),
        pytest.param(
            "host_chain_missing_attestation", "host_chain", "missing", "incomplete", id="no-attestation"
        ),
        pytest.param(
            "host_chain_missing_host_proof", "proof_of_address", "missing", "incomplete", id="no-host-proof"
        ),
        pytest.param("host_chain", "host_chain", "ok", None, id="host-chain"),
        pytest.param("minor", "legal_representative", "ok", None, id="minor"),
        pytest.param("under21_no_assr", "assr", "missing", "incomplete", id="no-assr"),
        pytest.param("under21_honour_statement", "assr", "ok", None, id="honour-statement"),
        pytest.param("jdc_missing", "jdc", "missing", "incomplete", id="no-jdc"),
        pytest.param("photo_missing", "photo", "missing", "incomplete", id="no-photo"),
        pytest.param("cni_expired_in_grace", "identity", "ok", None, id="cni-grace"),
        pytest.param("cni_expired_out_of_grace", "identity", "fail", "incomplete", id="cni-out-of-grace"),
        pytest.param("old_cni_extended", "identity", "ok", None, id="old-cni-plus-5"),
        pytest.param("stated_identity_mismatch", "identity", "review", None, id="stated-mismatch"),
        pytest.param("foreign_residence_permit", "residence_permit", "ok", None, id="foreigner"),
        pytest.param("driving_licence_id", "identity", "ok", None, id="driving-licence"),
        pytest.param(
            "driving_licence_expired", "identity", "fail", "incomplete", id="driving-licence-expired"
        ),
        pytest.param("eu_citizen_id", "identity", "ok", None, id="eu-citizen"),
        pytest.param("proof_other_only", "proof_of_address", "review", None, id="proof-other"),
        pytest.param("id_recto_verso_two_files", "identity", "ok", None, id="id-two-files"),
    ],
)
def test_scenario_intent(main: str, code: str, status: str, verdict: str | None) -> None:
    for index in range(4):  # whatever the random draws around it
        plan = dossiers.plan_dossier(index, 7, REFERENCE, main=main, variations=False)
        assert plan.expected_checks[code] == status, (index, plan.expected_checks)
        if verdict is not None:
            assert plan.expected_verdict == verdict


def _candidate_id(plan: dossiers.DossierPlan) -> DocSpec:
    return next(d for f in plan.files for d in f.docs if d.key == "id_candidate").spec


def test_driving_licence_dates_follow_the_rules() -> None:
    for index in range(5):
        valid = _candidate_id(plan := dossiers.plan_dossier(index, 13, REFERENCE, main="driving_licence_id"))
        assert valid.subtype == "driving_licence" and "driving_licence_id" in plan.scenarios
        assert valid.issue_date is not None and valid.expiry_date is not None
        assert valid.issue_date >= date(2013, 9, 16)  # EU format only
        assert valid.expiry_date > REFERENCE
        expired = _candidate_id(dossiers.plan_dossier(index, 13, REFERENCE, main="driving_licence_expired"))
        assert expired.issue_date is not None and expired.expiry_date is not None
        assert expired.issue_date >= date(2013, 9, 16)
        assert expired.expiry_date < REFERENCE  # no grace for a driving licence: identity fails


def test_eu_citizen_files_a_national_id_and_needs_neither_jdc_nor_permit() -> None:
    for index in range(6):
        plan = dossiers.plan_dossier(index, 17, REFERENCE, main="eu_citizen_id")
        card = _candidate_id(plan)
        assert card.subtype == "foreign_id"
        assert plan.applicant.nationality in dossiers.EU_NATIONALITIES
        assert card.holder.nationality == plan.applicant.nationality
        assert "residence_permit" not in plan.expected_checks
        assert "jdc" not in plan.expected_checks
        assert "foreign_residence_permit" not in plan.scenarios
        assert plan.expected_checks["identity"] == "ok"


def test_proof_other_is_a_caf_echeance_or_shop_invoice() -> None:
    kinds = set()
    for index in range(8):
        plan = dossiers.plan_dossier(index, 19, REFERENCE, main="proof_other_only")
        proof = next(d for f in plan.files for d in f.docs if d.spec.type == "proof_of_address").spec
        assert proof.subtype == "other" and proof.issuer
        kinds.add(proof.extra["kind"])
        assert plan.expected_checks["proof_of_address"] == "review"
        assert plan.expected_checks["proof_of_address_name"] == "ok"
        assert plan.proof_info["recent"] is True
    assert kinds == set(dossiers.OTHER_PROOF_KINDS)


def test_split_faces_keep_the_checks_and_make_two_files() -> None:
    for index in range(4):
        split = dossiers.plan_dossier(index, 23, REFERENCE, main="id_recto_verso_two_files")
        faces = [f for f in split.files if f.face is not None]
        assert [f.face for f in faces] == [1, 2]
        assert faces[0].docs[0] is faces[1].docs[0]  # one card, rendered once
        assert faces[0].fmt == faces[1].fmt and faces[0].capture == faces[1].capture
        assert not any(f.compose_card for f in faces)
        assert "id_recto_verso_two_files" in split.scenarios
        assert split.expected_checks["identity"] == "ok"
        assert "id_recto_verso_one_page" not in split.scenarios


def test_split_faces_truth_has_one_document_per_file(tmp_path: Path) -> None:
    plan = dossiers.plan_dossier(2, 23, REFERENCE, main="id_recto_verso_two_files")
    checks = dict(plan.expected_checks)
    truth = dossiers.write_dossier(plan, tmp_path, fake_render, FAST)
    assert truth["expected_checks"] == checks
    faces = [f for f in truth["files"] if f["documents"] and f["documents"][0]["type"] == "identity"]
    assert len(faces) == 2
    for entry in faces:
        assert len(entry["documents"]) == 1
        doc = entry["documents"][0]
        assert doc["pages"] == [1] and doc["role"] == "candidate" and doc["subtype"] == "cni_2021"
        assert _page_count(tmp_path / "dossiers" / truth["dossier"] / entry["file"]) == 1
    assert faces[0]["documents"][0]["holder"] == faces[1]["documents"][0]["holder"]
    assert faces[0]["file"] != faces[1]["file"]


def test_boundary_dates_sit_one_to_three_days_from_six_months() -> None:
    boundary = dossiers.six_month_boundary(REFERENCE)
    assert boundary == date(2026, 5, 27)
    assert dossiers.six_month_boundary(date(2026, 8, 31)) == date(2026, 2, 28)  # calendar months
    for main, sign in (("proof_boundary_inside", 1), ("proof_boundary_outside", -1)):
        for index in range(5):
            plan = dossiers.plan_dossier(index, 3, REFERENCE, main=main, variations=False)
            gap = (date.fromisoformat(plan.proof_info["date"]) - boundary).days
            assert 1 <= gap * sign <= 3


def test_old_cni_dates_follow_the_rules() -> None:
    for index in range(5):
        grace = dossiers.plan_dossier(index, 11, REFERENCE, main="cni_expired_in_grace", variations=False)
        card = next(d for f in grace.files for d in f.docs if d.key == "id_candidate").spec
        assert card.expiry_date is not None and card.issue_date is not None
        assert card.expiry_date < REFERENCE <= card.expiry_date.replace(year=card.expiry_date.year + 5)
        extended = dossiers.plan_dossier(index, 11, REFERENCE, main="old_cni_extended", variations=False)
        old = next(d for f in extended.files for d in f.docs if d.key == "id_candidate").spec
        assert old.issue_date is not None
        assert date(2004, 1, 2) <= old.issue_date <= date(2013, 12, 31)
        assert old.issue_date.year - old.holder.birth_date.year > 18


def test_minor_has_parent_chain_and_plausible_documents() -> None:
    plan = dossiers.plan_dossier(0, 5, REFERENCE, main="minor", variations=False)
    assert 16 <= _age(plan) <= 17
    roles = {(d.spec.type, d.role) for f in plan.files for d in f.docs}
    assert ("identity", "legal_rep") in roles
    assert ("host_attestation", "host") in roles
    assert ("proof_of_address", "host") in roles
    assert ("assr", "candidate") in roles
    assert plan.proof_info["host_attestation_required"] is True


def test_file_counts_and_names_are_sane(plans: list[dossiers.DossierPlan]) -> None:
    for plan in plans:
        names = [f.name for f in plan.files]
        assert len(names) == len({n.lower() for n in names})
        assert 3 <= len(names) <= 9
        for f in plan.files:
            ext = Path(f.name).suffix.lower()
            if f.broken is None:
                assert ext in {".jpg", ".jpeg", ".png", ".tif", ".webp", ".bmp", ".heic", ".pdf"}, f.name
                assert (f.fmt == "pdf_digital") == (f.capture == "digital")


def test_people_pools_hold_the_hard_names() -> None:
    for name in ("Jean-Baptiste", "Marie-Ève"):
        assert name in people.MALE_GIVEN + people.FEMALE_GIVEN
    for name in ("Martin-Dubois", "de La Fontaine", "N'Diaye", "D'Almeida"):
        assert name in people.SURNAMES
    rng = random.Random(1)
    for _ in range(50):
        person = people.draw_person(rng, reference=REFERENCE, min_age=17, max_age=17)
        birth = person.birth_date
        age = REFERENCE.year - birth.year - ((REFERENCE.month, REFERENCE.day) < (birth.month, birth.day))
        assert age == 17
        assert person.address_lines[-1][:5].isdigit()


# ---------------------------------------------------------------- capture and formats


def _marker_page() -> Image.Image:
    image = Image.new("RGB", (300, 400), "white")
    image.paste((0, 0, 0), (10, 10, 60, 60))  # black square top-left
    return image


def test_rotate_content_is_clockwise() -> None:
    rotated = np.asarray(capture.rotate_content(_marker_page(), 90))
    assert rotated.shape[:2] == (300, 400)
    assert rotated[30, 400 - 30].max() < 50  # top-left went to top-right
    assert rotated[30, 30].min() > 200


@pytest.mark.parametrize(
    "degrade",
    [
        pytest.param(lambda im, rng: capture.scan_flatbed(im, rng), id="scan"),
        pytest.param(lambda im, rng: capture.photo_phone(im, rng, 500), id="phone"),
        pytest.param(lambda im, rng: capture.lowres(im, rng), id="lowres"),
        pytest.param(lambda im, rng: capture.fax(im, rng), id="fax"),
    ],
)
def test_degradations_are_deterministic_and_change_the_page(degrade: Any) -> None:
    page = _marker_page()
    first, defects = degrade(page, np.random.default_rng(4))
    again, _ = degrade(page, np.random.default_rng(4))
    assert defects
    assert np.array_equal(np.asarray(first), np.asarray(again))
    assert not np.array_equal(np.asarray(first.convert("RGB").resize(page.size)), np.asarray(page))


def test_phone_photo_puts_page_on_a_table() -> None:
    photo, defects = capture.photo_phone(
        Image.new("RGB", (800, 1100), "white"), np.random.default_rng(2), 600
    )
    assert max(photo.size) == 600
    pixels = np.asarray(photo).astype(int)
    assert pixels[0, 0].mean() < 200  # a corner shows the table, not the white page
    assert "perspective" in defects


@pytest.mark.parametrize(
    "fmt", [pytest.param(f, id=f) for f in (*formats.SINGLE_IMAGE_FORMATS, "tiff", "pdf_scan")]
)
def test_formats_decode_back(fmt: str) -> None:
    pages = [_marker_page()] if fmt in formats.SINGLE_IMAGE_FORMATS else [_marker_page(), _marker_page()]
    data = formats.encode_pages(pages, fmt, quality=80, dpi=100)
    assert data == formats.encode_pages(pages, fmt, quality=80, dpi=100)  # deterministic bytes
    if fmt == "pdf_scan":
        doc = pdfium.PdfDocument(data)
        assert len(doc) == 2
        doc.close()
    else:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            assert getattr(image, "n_frames", 1) == len(pages)


def test_broken_files_are_really_broken() -> None:
    with pytest.raises(pdfium.PdfiumError):
        pdfium.PdfDocument(formats.encrypted_pdf(["secret"]))
    with pytest.raises(pdfium.PdfiumError):
        pdfium.PdfDocument(formats.corrupt_pdf(fake_render(_spec()).pdf))
    jpeg = formats.encode_pages([_marker_page()], "jpeg", quality=80)
    with pytest.raises(OSError), Image.open(io.BytesIO(formats.truncate_bytes(jpeg))) as image:
        image.load()


def _spec() -> DocSpec:
    holder = people.draw_person(random.Random(3), reference=REFERENCE, min_age=30, max_age=30)
    return DocSpec(type="proof_of_address", subtype="electricity", holder=holder, issue_date=REFERENCE)


# ---------------------------------------------------------------- writing dossiers


def _write(out: Path, indices: tuple[int, ...], render: dossiers.Renderer) -> list[dict[str, Any]]:
    return [
        dossiers.write_dossier(dossiers.plan_dossier(i, 1000, REFERENCE), out, render, FAST) for i in indices
    ]


def test_written_dossier_matches_its_truth(tmp_path: Path) -> None:
    # 3: broken file, 4: junk + nested folders, 5: duplicate
    truths = _write(tmp_path, (3, 4, 5), fake_render)
    for truth in truths:
        folder = tmp_path / "dossiers" / truth["dossier"]
        saved = json.loads((tmp_path / "truth" / f"{truth['dossier']}.json").read_text(encoding="utf-8"))
        assert saved == truth
        assert not (folder / "truth").exists()
        for entry in truth["files"]:
            path = folder / entry["file"]
            assert path.is_file(), entry["file"]
            if entry["broken"] is None:
                used = [p for doc in entry["documents"] for p in doc["pages"]]
                assert max(used) == _page_count(path), entry["file"]
            elif entry["broken"] == "empty":
                assert path.stat().st_size == 0
        for junk in truth["skipped_files"]:
            assert (folder / junk).is_file()
        for dup in truth["duplicate_files"]:
            assert (folder / dup["file"]).read_bytes() == (folder / dup["duplicate_of"]).read_bytes()
        if truth["stated_identity_file"]:
            stated = json.loads((folder / "candidat.json").read_text(encoding="utf-8"))
            assert set(stated) == {"surname", "given_names", "birth_date", "nationality"}


def test_same_seed_gives_identical_bytes_with_the_real_renderer(tmp_path: Path) -> None:
    documents = pytest.importorskip("samplegen.documents")
    first = _write(tmp_path / "a", (1, 2), documents.render_document)
    second = _write(tmp_path / "b", (1, 2), documents.render_document)
    assert first == second
    assert _tree_digest(tmp_path / "a") == _tree_digest(tmp_path / "b")
    assert any(doc["mrz"] for t in first for f in t["files"] for doc in f["documents"])


def _marked_a4() -> RenderedDoc:
    """An A4 page whose top-left quarter is black, to see where the content's top ends up."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    pdf.rect(0, A4[1] / 2, A4[0] / 2, A4[1] / 2, fill=1)
    pdf.showPage()
    pdf.save()
    return RenderedDoc(pdf=buffer.getvalue(), page_count=1)


@pytest.mark.parametrize(
    ("tag", "rotation"),
    [
        pytest.param(6, 0, id="tag6"),
        pytest.param(8, 0, id="tag8"),
        pytest.param(3, 0, id="tag3"),
        pytest.param(1, 0, id="tag1"),
        pytest.param(6, 180, id="tag6-still-upside-down"),
    ],
)
def test_exif_orientation_turns_the_pixels_the_tag_undoes(tag: int, rotation: int) -> None:
    from PIL import ImageOps

    doc = dossiers.DocPlan(key="bill", spec=_spec(), role="candidate")
    f = dossiers.FilePlan(
        name="IMG.jpg", fmt="jpeg", capture="phone_photo", rotation=rotation, docs=[doc], seed=5
    )
    f.exif_orientation = tag
    data, spans, _ = dossiers._capture_file(f, {"bill": _marked_a4()}, FAST)
    assert spans == [(doc, [1])]
    with Image.open(io.BytesIO(data)) as image:
        assert image.getexif()[formats.EXIF_ORIENTATION] == tag
        sideways = image.width > image.height
        shown = np.asarray(ImageOps.exif_transpose(image).convert("L"), dtype=np.float32)
    assert sideways == (tag in (6, 8))
    height, width = shown.shape
    assert height > width  # after EXIF the A4 page is upright again (portrait)
    top_left = shown[: height // 2, : width // 2].mean()
    bottom_right = shown[height // 2 :, width // 2 :].mean()
    # the black quarter is top-left when the truth says rotation 0, bottom-right when it says 180
    assert (top_left < bottom_right) == (rotation == 0)


def test_sixty_dossiers_carry_every_exif_tag(plans: list[dossiers.DossierPlan]) -> None:
    tags = {f.exif_orientation for plan in plans for f in plan.files}
    assert {3, 6, 8} <= tags
    for plan in plans:
        for f in plan.files:
            if f.exif_orientation is not None:
                assert f.capture == "phone_photo" and f.fmt == "jpeg"


def test_fixture_plans_have_no_exif_tags() -> None:
    plan = dossiers.plan_dossier(0, 2026, REFERENCE, main="over25", variations=False)
    assert all(f.exif_orientation is None for f in plan.files)


def test_jobs_do_not_change_the_output(tmp_path: Path) -> None:
    import make_samples

    def tasks(out: Path) -> list[make_samples.Task]:
        return [make_samples.Task(i, 1000, REFERENCE, out, FAST) for i in (6, 9)]

    serial = [t for t, _ in make_samples.run_tasks(tasks(tmp_path / "one"), 1)]
    parallel = [t for t, _ in make_samples.run_tasks(tasks(tmp_path / "two"), 2)]
    assert [t["dossier"] for t in parallel] == ["d0006", "d0009"]
    assert serial == parallel
    assert _tree_digest(tmp_path / "one") == _tree_digest(tmp_path / "two")


def test_cli_rejects_a_bad_reference_date(capsys: pytest.CaptureFixture[str]) -> None:
    import make_samples

    assert make_samples.main(["--reference-date", "27/11/2026", "--out", "/nonexistent"]) == 2
    assert "date de référence invalide" in capsys.readouterr().err
    assert make_samples.main(["--count", "0", "--out", "/nonexistent"]) == 2
    assert make_samples.main(["--jobs", "0", "--out", "/nonexistent"]) == 2
