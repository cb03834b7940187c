"""Reports: JSON against the published schema, CSV bytes, masking, HTML (also in headless Chromium), terminal."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import cv2
import jsonschema
import numpy as np
import pytest
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from preverif.records import (
    Applicant,
    Barcode,
    Box,
    Check,
    Classification,
    Document,
    DossierReport,
    Evidence,
    Fields,
    FileProblem,
    Image,
    Judgement,
    MrzResult,
    Page,
    PageQuality,
    PageText,
    PersonName,
    ProofOfAddress,
    TwoDDoc,
    Word,
)
from preverif.report import labels
from preverif.report.csv_report import HEADER, write_csv
from preverif.report.html_report import (
    encode_thumbnail,
    number_boxes,
    render_html,
    render_index,
    write_html,
    write_index,
)
from preverif.report.json_report import SCHEMA_VERSION, report_to_dict, write_json
from preverif.report.redact import mask_number, redact_text
from preverif.report.terminal import make_progress, render_dossier, render_summary

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "src" / "preverif" / "data" / "report.schema.json"
REF = date(2026, 11, 27)
ID_NUMBER = "X4RTBPFW4"
MRZ_LINES = (
    "IDFRAX4RTBPFW46<<<<<<<<<<<<<<<",
    "0803146F3105029FRA<<<<<<<<<<<8",
    "DUPONT<<MARIE<ANNE<<<<<<<<<<<<",
)


# ---------------------------------------------------------------- builders


def _draw_lines(image: Image, lines: list[tuple[str, int, int, float]]) -> list[Word]:
    """Write text with OpenCV and return the matching words (one per line), boxes in image pixels."""
    words = []
    for index, (text, x, y, scale) in enumerate(lines):
        (width, height), base = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, 2)
        cv2.putText(image, text, (x, y), cv2.FONT_HERSHEY_SIMPLEX, scale, (20, 20, 20), 2, cv2.LINE_AA)
        box = Box(x, y - height, width, height + base)
        words.append(Word(text=text, box=box, confidence=91.0, line=index))
    return words


def _quality(image: Image) -> PageQuality:
    return PageQuality(
        width=image.shape[1], height=image.shape[0], dpi=150, sharpness=300, brightness=230, contrast=40
    )


def bill_page() -> Page:
    """A grey A4 page at 100 dpi that looks like an electricity bill."""
    image = np.full((1169, 827), 250, dtype=np.uint8)
    cv2.rectangle(image, (40, 40), (260, 120), 120, -1)
    words = _draw_lines(
        image,
        [
            ("EDF", 70, 100, 1.6),
            ("Facture du 02/09/2026", 420, 100, 0.9),
            ("M. ou Mme DUPONT Jean", 420, 200, 0.9),
            ("12 rue des Lilas 69003 Lyon", 420, 240, 0.8),
            ("Montant TTC : 84,20 EUR", 60, 600, 0.9),
        ],
    )
    return Page(
        file="factures/edf septembre.pdf",
        number=1,
        image=image,
        text=PageText(words=tuple(words), source="text_layer", mean_confidence=100.0),
        quality=_quality(image),
        barcodes=(Barcode(format="DataMatrix", text="DC04FR000001..."),),
    )


def id_page() -> Page:
    """A BGR photo of an ID card on a table (colour, landscape)."""
    image = np.full((640, 1000, 3), (60, 90, 120), dtype=np.uint8)
    cv2.rectangle(image, (60, 60), (940, 580), (235, 225, 215), -1)
    cv2.rectangle(image, (90, 130), (330, 420), (150, 150, 160), -1)
    words = _draw_lines(
        image,
        [
            ("REPUBLIQUE FRANCAISE", 360, 110, 0.8),
            ("DUPONT", 360, 180, 0.9),
            ("Marie Anne", 360, 230, 0.9),
            (MRZ_LINES[0], 90, 480, 0.75),
            (MRZ_LINES[1], 90, 515, 0.75),
            (MRZ_LINES[2], 90, 550, 0.75),
        ],
    )
    return Page(
        file="IMG_20261103_101502.jpg",
        number=1,
        image=image,
        text=PageText(words=tuple(words), source="ocr", mean_confidence=84.0),
        quality=_quality(image),
        rotation=90,
    )


def identity_doc() -> Document:
    page = id_page()
    mrz = MrzResult(
        format="td1",
        lines=MRZ_LINES,
        document_code="ID",
        issuing_state="FRA",
        surname="DUPONT",
        given_names=("MARIE", "ANNE"),
        document_number=ID_NUMBER,
        nationality="FRA",
        birth_date=date(2008, 3, 14),
        sex="F",
        expiry_date=date(2031, 5, 2),
        issue_date=None,
        checks={"document_number": True, "birth_date": True, "expiry_date": True, "composite": True},
    )
    mrz_word = page.text.words[3]
    return Document(
        file=page.file,
        pages=(1,),
        classification=Classification(
            type="identity",
            subtype="cni_2021",
            confidence=0.97,
            scores={
                "identity/cni_2021": 0.97,
                "identity/passport": 0.2,
                "identity/cni": 0.31,
                "unknown": 0.01,
            },
            evidence=("MRZ TD1 IDFRA",),
        ),
        fields=Fields(
            holder=PersonName(raw="DUPONT Marie Anne", surname="DUPONT", given_names=("Marie", "Anne")),
            expiry_date=date(2031, 5, 2),
            birth_date=date(2008, 3, 14),
            issuer="Préfecture du Rhône",
            document_number=ID_NUMBER,
            nationality="FRA",
            mrz=mrz,
            evidence=(
                Evidence("holder", "DUPONT", page.file, 1, page.text.words[1].box),
                Evidence("mrz", MRZ_LINES[0], page.file, 1, mrz_word.box),
            ),
        ),
        quality_problems=("photo un peu floue",),
    )


def bill_doc(joint: bool = False) -> Document:
    page = bill_page()
    holder = PersonName(raw="M. ou Mme DUPONT Jean", surname="DUPONT", given_names=("Jean",), civility="M.")
    joint_holders = (
        (PersonName(raw="Mme DUPONT Sophie", surname="DUPONT", given_names=("Sophie",)),) if joint else ()
    )
    return Document(
        file=page.file,
        pages=(1,),
        classification=Classification(
            type="proof_of_address",
            subtype="electricity",
            confidence=0.91,
            scores={"proof_of_address/electricity": 0.91, "proof_of_address/gas": 0.44},
        ),
        fields=Fields(
            holder=holder,
            joint_holders=joint_holders,
            issue_date=date(2026, 9, 2),
            issue_date_source="2ddoc",
            issuer="EDF",
            address="12 rue des Lilas 69003 Lyon",
            twoddoc=TwoDDoc(
                version="04",
                ca_id="FR00",
                certificate_id="0001",
                issue_date=date(2026, 9, 2),
                signature_date=date(2026, 9, 2),
                document_type="01",
                perimeter="01",
                country="FR",
                fields={"10": "M DUPONT JEAN", "24": "69003"},
                signature_status="unverifiable",
                signature_message="2D-Doc décodé, signature non vérifiable (spécimen)",
            ),
            evidence=(
                Evidence("type", "EDF", page.file, 1, page.text.words[0].box),
                Evidence("date", "02/09/2026", page.file, 1, Box(600, 75, 170, 35)),
                Evidence("holder", "DUPONT Jean", page.file, 1, None),
            ),
        ),
    )


def simple_doc(file: str, doc_type: str, subtype: str | None, **fields: Any) -> Document:
    return Document(
        file=file,
        pages=(1,),
        classification=Classification(type=doc_type, subtype=subtype, confidence=0.8, scores={doc_type: 0.8}),
        fields=Fields(**fields),
    )


ALL_OK = (
    Check("identity", "ok", "Carte d'identité valable jusqu'au 02/05/2031.", ("IMG_20261103_101502.jpg",)),
    Check(
        "proof_of_address",
        "ok",
        "Facture d'électricité du 02/09/2026 : moins de 6 mois.",
        ("factures/edf septembre.pdf",),
    ),
    Check("proof_of_address_name", "ok", "Le justificatif est au nom du candidat."),
    Check("assr", "ok", "ASSR 2 présente."),
    Check("jdc", "ok", "Certificat JDC présent."),
    Check("photo", "ok", "Code e-photo lu."),
)

APPLICANT = Applicant("DUPONT", ("Marie", "Anne"), date(2008, 3, 14), "FRA", "documents")
PROOF = ProofOfAddress("factures/edf septembre.pdf", date(2026, 9, 2), True, True, False, False, False)


def make_report(
    dossier: str,
    checks: tuple[Check, ...],
    verdict: str,
    documents: tuple[Document, ...] | None = None,
    problems: tuple[FileProblem, ...] = (),
    applicant: Applicant = APPLICANT,
    proof: ProofOfAddress = PROOF,
    with_pages: bool = True,
) -> DossierReport:
    docs = (
        documents
        if documents is not None
        else (
            identity_doc(),
            bill_doc(),
            simple_doc("jdc.pdf", "jdc", "certificate", issue_date=date(2025, 6, 1)),
            simple_doc("assr.png", "assr", "assr2"),
            simple_doc("photo.jpg", "photo", "ephoto", ephoto_code="AB12CD34EF56GH78IJ90KL"),
        )
    )
    return DossierReport(
        dossier=dossier,
        root=Path("/tmp") / dossier,
        reference_date=REF,
        judgement=Judgement(verdict=verdict, checks=checks, applicant=applicant, proof_of_address=proof),  # type: ignore[arg-type]
        documents=docs,
        problems=problems,
        pages=(id_page(), bill_page()) if with_pages else (),
    )


def complete_report() -> DossierReport:
    return make_report("d0001 Dupont", ALL_OK, "complete")


def incomplete_report() -> DossierReport:
    checks = (
        Check("identity", "ok", "Carte d'identité valable jusqu'au 02/05/2031."),
        Check("photo", "review", "Photo trouvée mais code e-photo illisible : le recopier à la main."),
        Check(
            "proof_of_address",
            "fail",
            'Facture du 02/03/2026 : plus de 6 mois ; fournir une facture récente (« électricité », "gaz"…).',
            ("factures/edf septembre.pdf",),
        ),
        Check(
            "jdc",
            "missing",
            "Ajouter le certificat de participation à la JDC <b>ou</b> l'attestation d'exemption.",
        ),
    )
    return make_report("d0002 N'Diaye", checks, "incomplete")


def review_report() -> DossierReport:
    applicant = Applicant("N'DIAYE", ("Aïssatou", "Marie"), date(2008, 3, 14), "FRA", "stated")
    checks = (
        *ALL_OK[:2],
        Check(
            "host_chain",
            "review",
            "Le nom de l'hébergeant diffère entre l'attestation et la facture : à vérifier.",
        ),
    )
    proof = ProofOfAddress("factures/edf septembre.pdf", date(2026, 9, 2), True, False, True, True, True)
    docs = (identity_doc(), bill_doc(joint=True))
    return make_report("d0003", checks, "needs_review", documents=docs, applicant=applicant, proof=proof)


def problems_report() -> DossierReport:
    problems = (
        FileProblem(
            "scan;page 2.pdf",
            "encrypted",
            "PDF protégé par mot de passe : fournir une version sans mot de passe.",
        ),
        FileProblem("=cmd.jpg", "corrupt", "Fichier endommagé : refaire la photo."),
    )
    broken = Document(
        file="floue.jpg",
        pages=(1,),
        classification=Classification(type="unknown", subtype=None, confidence=0.0),
        fields=Fields(),
        status="error",
        error="Page illisible : photo trop floue, à refaire.",
    )
    checks = (Check("identity", "missing", "Ajouter la pièce d'identité du candidat (recto et verso)."),)
    docs = (bill_doc(), broken)
    return make_report("d0004", checks, "incomplete", documents=docs, problems=problems)


def nulls_report() -> DossierReport:
    empty = Document(
        file="x.bin",
        pages=(),
        classification=Classification(type="unknown", subtype=None, confidence=0.0),
        fields=Fields(),
        status="review",
    )
    return make_report(
        "vide",
        (),
        "needs_review",
        documents=(empty,),
        applicant=Applicant(surname=None),
        proof=ProofOfAddress(None, None, None, None, False, False, False),
        with_pages=False,
    )


REPORTS = {
    "complete": complete_report,
    "incomplete": incomplete_report,
    "needs_review": review_report,
    "with_problems": problems_report,
    "nulls_everywhere": nulls_report,
}
REPORT_PARAMS = [pytest.param(name, id=name) for name in REPORTS]


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


# ---------------------------------------------------------------- JSON


@pytest.mark.parametrize("name", REPORT_PARAMS)
def test_json_report_matches_published_schema(
    name: str, validator: jsonschema.Draft202012Validator, tmp_path: Path
) -> None:
    report = REPORTS[name]()
    path = tmp_path / "out" / "report.json"
    write_json(report, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []
    assert data == report_to_dict(report)
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["verdict"] == report.verdict
    assert data["reference_date"] == "2026-11-27"
    assert data["generator"]["name"] == "preverif"


def test_schema_rejects_a_wrong_report(validator: jsonschema.Draft202012Validator) -> None:
    data = report_to_dict(complete_report())
    bad = json.loads(json.dumps(data))
    bad["verdict"] = "ok"
    bad["documents"][0]["date"] = "02/09/2026"
    del bad["proof_of_address"]["recent"]
    bad["documents"][0]["page_image"] = "data:..."
    assert len(list(validator.iter_errors(bad))) >= 4


def test_json_fields_dates_holders_and_explicit_nulls() -> None:
    data = report_to_dict(review_report())
    identity, bill = data["documents"]
    assert identity["type"] == "identity" and identity["subtype"] == "cni_2021"
    assert identity["expiry_date"] == "2031-05-02" and identity["birth_date"] == "2008-03-14"
    assert identity["date"] is None and "date" in identity
    assert identity["scores"] == [
        {"id": "identity/cni_2021", "score": 0.97},
        {"id": "identity/cni", "score": 0.31},
        {"id": "identity/passport", "score": 0.2},
    ]
    assert identity["mrz"]["valid"] is True and identity["mrz"]["format"] == "td1"
    assert bill["holder"] == "M. ou Mme DUPONT Jean / Mme DUPONT Sophie"
    assert bill["date"] == "2026-09-02" and bill["date_source"] == "2ddoc"
    assert bill["twoddoc"]["signature_status"] == "unverifiable"
    assert {
        "label": "date",
        "text": "02/09/2026",
        "page": 1,
        "box": {"left": 600, "top": 75, "width": 170, "height": 35},
    } in bill["evidence"]
    assert data["applicant"] == {
        "surname": "N'DIAYE",
        "given_names": ["Aïssatou", "Marie"],
        "birth_date": "2008-03-14",
        "nationality": "FRA",
        "source": "stated",
    }
    assert data["proof_of_address"]["host_attestation_required"] is True
    assert data["summary"].startswith("Dossier à vérifier : 1 point à vérifier (hébergement")

    empty = report_to_dict(nulls_report())
    assert empty["applicant"]["surname"] is None and empty["applicant"]["birth_date"] is None
    assert empty["proof_of_address"]["file"] is None and empty["proof_of_address"]["recent"] is None
    doc = empty["documents"][0]
    for key in (
        "subtype",
        "holder",
        "date",
        "expiry_date",
        "birth_date",
        "issuer",
        "error",
        "mrz",
        "twoddoc",
        "ephoto_code",
    ):
        assert key in doc and doc[key] is None, key
    text = json.dumps(empty)
    assert "image" not in text


def test_json_problems_and_summary() -> None:
    data = report_to_dict(problems_report())
    assert data["problems"][0] == {
        "file": "scan;page 2.pdf",
        "code": "encrypted",
        "message": "PDF protégé par mot de passe : fournir une version sans mot de passe.",
    }
    assert data["documents"][1]["status"] == "error"
    assert "3 fichiers illisibles" in data["summary"]
    assert data["summary"].startswith("Dossier incomplet : 1 point à corriger (pièce d'identité)")


# ---------------------------------------------------------------- masking


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        pytest.param("X4RTBPFW4", "******FW4", id="cni"),
        pytest.param("AB1", "***", id="short"),
        pytest.param("  ", None, id="blank"),
        pytest.param(None, None, id="none"),
    ],
)
def test_mask_number(number: str | None, masked: str | None) -> None:
    assert mask_number(number) == masked


def test_full_document_number_never_leaves_in_any_format(tmp_path: Path) -> None:
    report = complete_report()
    data_text = json.dumps(report_to_dict(report), ensure_ascii=False)
    html = render_html(report)
    write_csv([report], tmp_path / "r.csv")
    csv_text = (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    for text in (data_text, html, csv_text):
        assert ID_NUMBER not in text
    data = report_to_dict(report)
    assert data["documents"][0]["mrz"]["document_number"] == "******FW4"
    assert data["documents"][0]["document_number"] == "******FW4"
    mrz_evidence = [e["text"] for e in data["documents"][0]["evidence"] if e["label"] == "mrz"]
    assert mrz_evidence == ["IDFRA******FW46<<<<<<<<<<<<<<<"]
    assert "******FW4" in html
    assert redact_text("n° x4rt bpfw4 ici", {ID_NUMBER}) == "n° ******FW4 ici"


def test_thumbnails_paint_over_document_numbers() -> None:
    page = id_page()
    assert number_boxes(page, {ID_NUMBER}) == [page.text.words[3].box]
    split = Page(
        "a.jpg",
        1,
        page.image,
        PageText(
            (
                Word("N°", Box(0, 0, 5, 5), 90, 0),
                Word("X4RT", Box(10, 0, 40, 10), 90, 0),
                Word("bpfw4", Box(55, 0, 50, 10), 90, 0),
            ),
            "ocr",
        ),
        page.quality,
    )
    assert number_boxes(split, {ID_NUMBER}) == [Box(10, 0, 40, 10), Box(55, 0, 50, 10)]
    assert number_boxes(page, set()) == []
    box = page.text.words[3].box
    plain = encode_thumbnail(page.image, width=2000)
    hidden = encode_thumbnail(page.image, width=2000, hide=[box])
    assert plain is not None and hidden is not None and plain != hidden
    import base64

    decoded = cv2.imdecode(
        np.frombuffer(base64.b64decode(hidden.split(",", 1)[1]), np.uint8), cv2.IMREAD_COLOR
    )
    region = decoded[box.top : box.bottom, box.left : box.right].astype(float)
    assert region.std() < 8 and abs(region.mean() - 128) < 8  # a flat grey patch: no text left


# ---------------------------------------------------------------- labels


@pytest.mark.parametrize(
    ("doc_type", "subtype", "words"),
    [
        pytest.param("proof_of_address", "electricity", "Facture d'électricité", id="electricity"),
        pytest.param("identity", "cni_2021", "Carte d'identité (2021)", id="cni_2021"),
        pytest.param("host_attestation", None, "Attestation d'hébergement", id="host"),
        pytest.param("jdc", "brand_new", "Document JDC (brand new)", id="unknown-subtype"),
        pytest.param("mystery", None, "mystery", id="unknown-type"),
    ],
)
def test_document_labels(doc_type: str, subtype: str | None, words: str) -> None:
    assert labels.document_label(doc_type, subtype) == words


def test_every_known_type_and_status_has_french_words() -> None:
    from preverif.records import DOCUMENT_TYPES

    for doc_type, subtypes in DOCUMENT_TYPES.items():
        assert doc_type in labels.TYPE_LABELS
        for subtype in subtypes:
            assert f"{doc_type}/{subtype}" in labels.SUBTYPE_LABELS
    assert labels.check_status_label("review") == "à vérifier"
    assert labels.verdict_label("needs_review") == "à vérifier"
    assert labels.verdict_label("incomplete") == "incomplet"
    assert labels.document_status_label("review") == "à vérifier"


# ---------------------------------------------------------------- CSV


def test_csv_bytes_open_cleanly_in_a_spreadsheet(tmp_path: Path) -> None:
    reports = [complete_report(), incomplete_report(), problems_report(), nulls_report()]
    path = tmp_path / "résumé.csv"
    write_csv(reports, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") == len(reports) + 1
    assert b"\n" not in raw.replace(b"\r\n", b"")
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == ";".join(HEADER)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[0] == list(HEADER)
    assert len(rows) == len(reports) + 1 and all(len(row) == len(HEADER) for row in rows)
    complete, incomplete, problems, empty = rows[1:]
    assert complete[:6] == ["d0001 Dupont", "DUPONT", "Marie Anne", "2008-03-14", "complet", ""]
    assert complete[6:] == ["2026-09-02", "5", ""]
    assert incomplete[4] == "incomplet"
    # most important first, joined with ' | ', with the ';' and quotes of the messages kept intact
    assert incomplete[5].split(" | ") == [
        'Facture du 02/03/2026 : plus de 6 mois ; fournir une facture récente (« électricité », "gaz"…).',
        "Ajouter le certificat de participation à la JDC <b>ou</b> l'attestation d'exemption.",
        "Photo trouvée mais code e-photo illisible : le recopier à la main.",
    ]
    assert (
        '"Facture du 02/03/2026 : plus de 6 mois ; fournir une facture récente (« électricité », ""gaz""…).'
        in text
    )
    assert problems[8] == "scan;page 2.pdf | =cmd.jpg | floue.jpg"
    assert empty[1:4] == ["", "", ""] and empty[4] == "à vérifier"


def test_csv_cells_are_never_formulas(tmp_path: Path) -> None:
    report = make_report("=HYPERLINK(1)", (Check("jdc", "missing", "-1 pièce"),), "incomplete", documents=())
    write_csv([report], tmp_path / "f.csv")
    rows = list(
        csv.reader(
            io.StringIO((tmp_path / "f.csv").read_text(encoding="utf-8-sig"), newline=""), delimiter=";"
        )
    )
    assert rows[1][0] == "'=HYPERLINK(1)" and rows[1][5] == "'-1 pièce"


# ---------------------------------------------------------------- HTML (static)

EXTERNAL = re.compile(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/|@import|url\(", re.IGNORECASE)


def assert_self_contained(html: str) -> None:
    assert not EXTERNAL.search(html), EXTERNAL.search(html)
    for match in re.finditer(
        r"""\b(?:src|srcset|href|action|poster|data)\s*=\s*["']?([^"'\s>]*)""", html, re.IGNORECASE
    ):
        value = match.group(1)
        attribute = match.group(0).split("=")[0].strip().lower()
        if attribute == "href":
            assert value.startswith("#") or not re.match(r"^[a-z][a-z0-9+.-]*:", value), value
        else:
            assert value.startswith("data:"), match.group(0)[:60]
    assert "<script" not in html.lower()
    assert "<link" not in html.lower()


@pytest.mark.parametrize("name", REPORT_PARAMS)
def test_html_is_self_contained_and_escaped(name: str) -> None:
    html = render_html(REPORTS[name]())
    assert_self_contained(html)
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert 'lang="fr"' in html


def test_html_puts_the_verdict_then_what_to_fix_first() -> None:
    html = render_html(incomplete_report())
    verdict = html.index("Dossier incomplet")
    todo = html.index("Ce qu'il faut faire")
    all_checks = html.index("Tous les contrôles")
    documents = html.index("Documents lus")
    assert verdict < todo < all_checks < documents
    todo_part = html[todo:all_checks]
    # blocking before doubtful; proof of address before JDC (checklist order)
    assert todo_part.index("Justificatif de domicile") < todo_part.index("JDC") < todo_part.index("Photo")
    assert "Identité" not in todo_part and "valable jusqu" not in todo_part
    assert "&lt;b&gt;ou&lt;/b&gt;" in html and "<b>ou</b>" not in html
    assert 'class="banner v-incomplete"' in html


def test_html_documents_have_thumbnails_highlights_and_french_words() -> None:
    html = render_html(complete_report())
    assert html.count('src="data:image/jpeg;base64,') == 2
    assert "Facture d&#39;électricité" in html and "Carte d&#39;identité (2021)" in html
    assert "<mark>02/09/2026</mark>" in html
    assert "Facture du " in html.split("<mark>02/09/2026</mark>")[0][-400:]
    overlays = re.findall(
        r'class="hl" style="left: ([\d.]+)%; top: ([\d.]+)%; width: ([\d.]+)%; height: ([\d.]+)%"', html
    )
    assert len(overlays) == 4  # evidence with a box: 2 on the ID card, 2 on the bill
    for values in overlays:
        assert all(0.0 <= float(v) <= 100.0 for v in values)
    assert "02/09/2026" in html and "2026-09-02" not in html
    assert "Rien à corriger" in html
    assert "AB12CD34EF56GH78IJ90KL" in html


def test_html_problems_listed_and_announced_in_todo() -> None:
    html = render_html(problems_report())
    todo = html[html.index("Ce qu'il faut faire") : html.index("Tous les contrôles")]
    assert "3 fichiers non lus" in todo and 'href="#fichiers"' in todo
    assert 'id="fichiers"' in html and "scan;page 2.pdf" in html
    assert "PDF protégé par mot de passe" in html
    assert "Page illisible : photo trop floue, à refaire." in html


def test_index_links_each_dossier(tmp_path: Path) -> None:
    reports = [complete_report(), incomplete_report(), review_report()]
    links = {r.dossier: f"{r.dossier}/rapport.html" for r in reports}
    html = render_index(reports, links)
    assert_self_contained(html)
    assert 'href="d0002 N&#39;Diaye/rapport.html"' in html
    assert html.index("d0002") < html.index("d0003") < html.index("d0001")  # worst first
    assert "Incomplet" in html and "À vérifier" in html and "Complet" in html
    assert "Ajouter le certificat de participation" in html
    write_index(reports, tmp_path / "index.html", links)
    assert (tmp_path / "index.html").read_text(encoding="utf-8") == html


@pytest.mark.parametrize(
    "image",
    [
        pytest.param(np.zeros((0, 0), dtype=np.uint8), id="empty"),
        pytest.param(np.zeros((5,), dtype=np.uint8), id="1d"),
        pytest.param(np.full((50, 80), 300.5), id="float"),
        pytest.param(np.zeros((40, 40, 4), dtype=np.uint8), id="bgra"),
        pytest.param(np.zeros((40, 40, 1), dtype=np.uint8), id="one-channel"),
        pytest.param(np.zeros((40, 40, 2), dtype=np.uint8), id="two-channels"),
        pytest.param(np.zeros((3000, 2000, 3), dtype=np.uint8), id="large"),
    ],
)
def test_thumbnail_encoding_never_crashes(image: Any) -> None:
    uri = encode_thumbnail(image)
    assert uri is None or uri.startswith("data:image/jpeg;base64,")
    if image.ndim >= 2 and image.size and image.shape[-1] != 2:
        assert uri is not None


def test_junk_records_still_render() -> None:
    page = Page(
        "a.jpg", 1, np.zeros((10, 10), dtype=np.uint8), PageText((), "none"), _quality(np.zeros((10, 10)))
    )
    doc = Document(
        file="a.jpg",
        pages=(1, 2),
        classification=Classification(type="unknown", subtype="", confidence=7.5, scores={"x": float("nan")}),
        fields=Fields(
            holder=PersonName(raw="  "),
            evidence=(
                Evidence("", "", "a.jpg", 1, Box(-5, -5, 0, 3)),
                Evidence("zz", "<x>", "a.jpg", 9, Box(1, 1, 99, 99)),
            ),
        ),
    )
    report = DossierReport("j", Path("j"), REF, nulls_report().judgement, (doc,), (), pages=(page,))
    data = report_to_dict(report)
    assert data["documents"][0]["confidence"] == 1.0 and data["documents"][0]["holder"] is None
    html = render_html(report)
    assert "&lt;x&gt;" in html


# ---------------------------------------------------------------- terminal


def test_terminal_dossier_summary_and_progress() -> None:
    console = Console(record=True, width=120, color_system=None)
    render_dossier(incomplete_report(), console)
    render_summary([complete_report(), incomplete_report(), problems_report()], console)
    out = console.export_text()
    assert "d0002 N'Diaye — DUPONT Marie Anne — ✖ INCOMPLET" in out
    assert "Ajouter le certificat de participation à la JDC <b>ou</b>" in out
    assert out.index("Justificatif de domicile (non conforme)") < out.index("(à vérifier)")
    assert "3 dossier(s) : 1 complet(s), 2 incomplet(s), 0 à vérifier" in out
    assert "Dossiers vérifiés" in out
    progress = make_progress(console)
    assert isinstance(progress, Progress)
    kinds = {type(column) for column in progress.columns}
    assert {BarColumn, MofNCompleteColumn, TimeRemainingColumn} <= kinds


# ---------------------------------------------------------------- HTML in headless Chromium

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def run_chromium(html_path: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--enable-logging=stderr",
        "--v=0",
        f"--user-data-dir={tmp_path / 'profile'}",
        *args,
        html_path.as_uri(),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def console_errors(stderr: str) -> list[str]:
    return [
        line
        for line in stderr.splitlines()
        if "Uncaught" in line or "ERROR:CONSOLE" in line or "Refused to" in line
    ]


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
@pytest.mark.parametrize(
    ("size", "name"),
    [
        pytest.param("412,915", "incomplete", id="phone-incomplete"),
        pytest.param("1280,900", "complete", id="desktop-complete"),
    ],
)
def test_html_in_headless_chromium(size: str, name: str, tmp_path: Path) -> None:
    report = REPORTS[name]()
    html_path = tmp_path / "rapport dossier.html"
    write_html(report, html_path)
    shot = tmp_path / "shot.png"
    result = run_chromium(html_path, tmp_path, f"--screenshot={shot}", f"--window-size={size}")
    assert shot.exists(), result.stderr[-2000:]
    assert console_errors(result.stderr) == []
    image = cv2.imread(str(shot))
    assert image is not None
    width, height = (int(v) for v in size.split(","))
    assert image.shape[1] == width and image.shape[0] == height
    assert float(image.std()) > 20  # not a blank page
    # the verdict banner is the first thing seen, in its colour (BGR): red for incomplete, green for complete
    banner = image[5:60, 5 : width - 5].reshape(-1, 3).astype(int)
    expected = {"incomplete": (0x1E, 0x26, 0xB3), "complete": (0x34, 0x6B, 0x17)}[name]
    share = float(np.mean(np.abs(banner - np.array(expected)).sum(axis=1) < 30))
    assert share > 0.5, share


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_html_dom_in_headless_chromium(tmp_path: Path) -> None:
    reports = [problems_report(), review_report()]
    html_path = tmp_path / "index.html"
    write_index(reports, html_path, {r.dossier: f"{r.dossier}.html" for r in reports})
    write_html(reports[0], tmp_path / "d0004.html")
    result = run_chromium(tmp_path / "d0004.html", tmp_path, "--dump-dom")
    assert console_errors(result.stderr) == []
    dom = result.stdout
    assert "Ce qu'il faut faire" in dom and "Dossier incomplet" in dom
    assert "<script" not in dom
    result = run_chromium(html_path, tmp_path, "--dump-dom")
    assert console_errors(result.stderr) == []
    assert 'href="d0004.html"' in result.stdout
