"""Scenarios → documents → files, and the ground truth of every generated dossier.

A dossier is planned first (``plan_dossier``: who the candidate is, which documents exist, how each file is
captured and named, what verdict the official rules give), then written (``write_dossier``: render every
document, capture it, encode it, write the files and ``truth/<id>.json``). The truth comes from the plan,
i.e. from the scenario's intent, never from reading the output back.
"""

from __future__ import annotations

import json
import random
import string
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from dateutil.relativedelta import relativedelta
from PIL import Image

from . import capture, formats
from .people import draw_birth_date, draw_person, upper_name, with_usage_name
from .spec import DocSpec, Person, RenderedDoc

Renderer = Callable[[DocSpec], RenderedDoc]
FORMAT_VERSION = 1

# ---------------------------------------------------------------- scenario vocabulary

MAIN_SCENARIOS: tuple[str, ...] = (
    "own_proof_recent",
    "own_proof_stale",
    "proof_boundary_inside",
    "proof_boundary_outside",
    "host_chain",
    "host_chain_missing_attestation",
    "host_chain_missing_host_id",
    "host_chain_missing_host_proof",
    "no_proof",
    "minor",
    "under21_assr",
    "under21_no_assr",
    "under21_honour_statement",
    "jdc_present",
    "jdc_missing",
    "jdc_exemption",
    "jdc_administrative_situation",
    "jdc_provisional",
    "over25",
    "foreign_residence_permit",
    "passport_id",
    "cni_expired_in_grace",
    "cni_expired_out_of_grace",
    "old_cni_extended",
    "joint_holders_ou",
    "joint_holders_et",
    "usage_name",
    "home_insurance_only",
    "property_tax_only",
    "tax_notice",
    "rent_receipt",
    "photo_ephoto",
    "photo_portrait",
    "photo_missing",
    "distractors",
    "multi_doc_pdf",
    "id_recto_verso_one_page",
    "twoddoc_bill",
    "twoddoc_tampered",
    "stated_identity",
    "stated_identity_mismatch",
    "driving_licence_id",
    "driving_licence_expired",
    "eu_citizen_id",
    "proof_other_only",
    "id_recto_verso_two_files",
)
# what each main scenario forces on the dossier's configuration (DossierConfig field → value)
SCENARIO_OVERRIDES: dict[str, dict[str, Any]] = {
    "own_proof_stale": {"recency": "stale"},
    "proof_boundary_inside": {"recency": "boundary_inside"},
    "proof_boundary_outside": {"recency": "boundary_outside"},
    "host_chain": {"proof": "host"},
    "no_proof": {"proof": "none"},
    "minor": {"age_band": "minor"},
    "under21_assr": {"age_band": "young"},
    "under21_no_assr": {"age_band": "young", "assr": None},
    "under21_honour_statement": {"age_band": "young", "assr": "honour_statement"},
    "jdc_present": {"age_band": "mid"},
    "jdc_missing": {"age_band": "mid", "jdc": None},
    "jdc_exemption": {"age_band": "young", "jdc": "exemption"},
    "jdc_administrative_situation": {"age_band": "mid", "jdc": "administrative_situation"},
    "jdc_provisional": {"age_band": "young", "jdc": "provisional"},
    "over25": {"age_band": "adult"},
    "foreign_residence_permit": {"id_kind": "residence_permit"},
    "passport_id": {"id_kind": "passport"},
    "cni_expired_in_grace": {"id_kind": "cni", "id_state": "expired_in_grace"},
    "cni_expired_out_of_grace": {"id_kind": "cni", "id_state": "expired_out_of_grace"},
    "old_cni_extended": {"id_kind": "cni", "id_state": "old_extended", "age_band": "adult"},
    "joint_holders_ou": {"joint": "ou", "age_band": "adult"},
    "joint_holders_et": {"joint": "et", "age_band": "adult"},
    "usage_name": {"usage_name": True, "age_band": "adult"},
    "home_insurance_only": {"proof_subtype": "home_insurance"},
    "property_tax_only": {"proof_subtype": "property_tax"},
    "tax_notice": {"proof_subtype": "tax_notice"},
    "rent_receipt": {"proof_subtype": "rent_receipt"},
    "photo_ephoto": {"photo": "ephoto"},
    "photo_portrait": {"photo": "portrait"},
    "photo_missing": {"photo": None},
    "distractors": {"distractors": 2},
    "multi_doc_pdf": {"multi_doc_pdf": True},
    "id_recto_verso_one_page": {"recto_verso": True, "id_kind": "cni_2021"},
    "twoddoc_bill": {"twoddoc": "ok", "proof_subtype": "electricity"},
    "twoddoc_tampered": {"twoddoc": "tampered", "proof_subtype": "electricity"},
    "stated_identity": {"stated": "agree"},
    "stated_identity_mismatch": {"stated": "disagree"},
    "driving_licence_id": {"id_kind": "driving_licence"},
    "driving_licence_expired": {"id_kind": "driving_licence", "id_state": "expired", "age_band": "adult"},
    "eu_citizen_id": {"id_kind": "foreign_id"},
    "proof_other_only": {"proof_subtype": "other", "proof": "own", "recency": "recent"},
    "id_recto_verso_two_files": {"split_faces": True, "id_kind": "cni_2021"},
}
# EU citizens file with their national ID card: no titre de séjour, no JDC (rules.json exempt_nationalities)
EU_NATIONALITIES: tuple[str, ...] = ("ITA", "ESP", "BEL", "DEU", "PRT")
RESIDENCE_EXEMPT: frozenset[str] = frozenset(("FRA", *EU_NATIONALITIES))
# address-bearing documents outside the accepted list (proof subtype 'other'), drawn by draw_notices
OTHER_PROOF_KINDS: tuple[str, ...] = ("caf", "echeance", "shop_invoice")
# EXIF Orientation tag → clockwise rotation of the stored pixels that the tag undoes when displayed
EXIF_STORED_ROTATION: dict[int, int] = {1: 0, 3: 180, 6: 270, 8: 90}
BROKEN_KINDS: tuple[str, ...] = ("truncated", "empty", "corrupt", "encrypted", "notes_txt", "not_a_document")
JUNK_NAMES: tuple[str, ...] = (".DS_Store", "Thumbs.db", "~$doc.docx", "photo.jpg.crdownload")
CAPTURES: tuple[str, ...] = ("digital", "scan", "phone_photo", "fax", "lowres")
FORMATS: tuple[str, ...] = ("jpeg", "png", "tiff", "webp", "bmp", "heic", "pdf_digital", "pdf_scan")
ROTATIONS: tuple[int, ...] = (0, 90, 180, 270)
BILL_SUBTYPES: tuple[str, ...] = ("electricity", "gas", "water", "phone", "internet")
PROOF_CYCLE: tuple[str, ...] = (*BILL_SUBTYPES, "rent_receipt", "tax_notice")
ISSUERS: dict[str, tuple[str, ...]] = {
    "electricity": ("EDF", "TotalEnergies", "Engie"),
    "gas": ("Engie", "TotalEnergies", "Eni"),
    "water": ("Veolia", "Suez", "Saur"),
    "phone": ("Orange", "SFR", "Bouygues Telecom", "Free Mobile"),
    "internet": ("Free", "Orange", "SFR", "Bouygues Telecom"),
    "rent_receipt": ("Foncia", "Nexity", "Citya", "Immobilière 3F"),
    "tax_notice": ("DGFiP",),
    "property_tax": ("DGFiP",),
    "home_insurance": ("MAIF", "MACIF", "AXA", "Groupama"),
    "caf": ("CAF",),
    "echeance": ("Foncia", "Nexity", "Citya", "Immobilière 3F"),
    "shop_invoice": ("Phone Shop Center", "Mobile Réparation Express", "Télécom Plus"),
    "payslip": ("Carrefour Market", "La Poste", "Decathlon"),
    "bank_statement": ("Crédit Agricole", "Société Générale", "La Banque Postale"),
    "receipt": ("Fnac", "Boulanger", "Leroy Merlin"),
}
TWODDOC_ISSUERS = ("EDF", "Engie", "TotalEnergies", "Orange", "SFR", "Free", "DGFiP", "Veolia")
BORN_DIGITAL_TYPES = ("proof_of_address", "jdc", "unknown")
CARD_SUBTYPES = ("cni", "cni_2021", "residence_permit", "driving_licence", "foreign_id")
CHECK_ORDER: tuple[str, ...] = (
    "identity",
    "proof_of_address",
    "proof_of_address_name",
    "host_chain",
    "assr",
    "jdc",
    "photo",
    "legal_representative",
    "residence_permit",
)


# ---------------------------------------------------------------- plan records


@dataclass
class DocPlan:
    """One document of a dossier: what to render and whose it is."""

    key: str
    spec: DocSpec
    role: str  # candidate | host | legal_rep | other
    mrz: list[str] | None = None


@dataclass
class FilePlan:
    """One file of a dossier: the documents it holds and how it was captured."""

    name: str
    fmt: str
    capture: str
    rotation: int
    docs: list[DocPlan]
    broken: str | None = None
    compose_card: bool = False  # ID front and back on one page
    seed: int = 0
    face: int | None = None  # 1 or 2: only this face (rendered page) of the card, front and back in two files
    stem: str | None = None  # a file name chosen at planning ('CNI recto'), the extension follows the format
    exif_orientation: int | None = None  # EXIF Orientation tag of a phone JPEG (pixels stored sideways)


@dataclass
class DossierConfig:
    """The choices a scenario makes; everything the truth says follows from these."""

    main: str
    age_band: str = "adult"  # minor | young (18-20) | mid (21-24) | adult (25+)
    nationality: str = "FRA"
    # cni_2021 | cni | passport | residence_permit | driving_licence | foreign_id
    id_kind: str = "cni_2021"
    # valid | expired_in_grace | expired_out_of_grace | old_extended | expired (no grace: driving licence)
    id_state: str = "valid"
    proof: str = "own"  # own | host | none
    proof_subtype: str = "electricity"
    recency: str = "recent"  # recent | stale | boundary_inside | boundary_outside
    host_missing: str | None = None  # attestation | host_id | host_proof
    joint: str | None = None  # ou | et
    usage_name: bool = False
    assr: str | None = "assr2"  # assr2 | asr | honour_statement | None (missing)
    jdc: str | None = "certificate"  # subtype or None (missing)
    photo: str | None = "ephoto"
    twoddoc: str | None = None  # ok | tampered
    distractors: int = 0
    multi_doc_pdf: bool = False
    recto_verso: bool = False
    split_faces: bool = False  # the candidate's ID card front and back in two files
    stated: str | None = None  # agree | disagree
    broken: str | None = None
    junk: list[str] = field(default_factory=list)
    duplicate: bool = False
    nested: bool = False


@dataclass
class DossierPlan:
    """A fully decided dossier: its files (still to render) and its truth."""

    dossier_id: str
    seed: int
    reference: date
    config: DossierConfig
    applicant: Person
    stated_identity: dict[str, Any] | None
    files: list[FilePlan]
    junk: list[str]
    duplicate_of: str | None
    duplicate_name: str | None
    expected_checks: dict[str, str]
    expected_verdict: str
    proof_info: dict[str, Any]
    scenarios: list[str]


# ---------------------------------------------------------------- small draws


def _age(birth: date, on: date) -> int:
    return relativedelta(on, birth).years


def _rand_date(rng: random.Random, start: date, end: date) -> date:
    span = max((end - start).days, 0)
    return start + timedelta(days=rng.randint(0, span))


def _alnum(rng: random.Random, n: int, alphabet: str = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789") -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def six_month_boundary(reference: date) -> date:
    """The oldest issue date still 'less than 6 calendar months' before the reference date."""
    return reference - relativedelta(months=6)


def _proof_date(rng: random.Random, reference: date, recency: str) -> date:
    boundary = six_month_boundary(reference)
    if recency == "stale":
        return _rand_date(rng, reference - relativedelta(months=14), boundary - timedelta(days=20))
    if recency == "boundary_inside":
        return boundary + timedelta(days=rng.randint(1, 3))
    if recency == "boundary_outside":
        return boundary - timedelta(days=rng.randint(1, 3))
    return _rand_date(rng, boundary + timedelta(days=15), reference - timedelta(days=3))


# ---------------------------------------------------------------- configuration from the scenario


def _config_for(main: str, index: int, rng: random.Random, *, variations: bool = True) -> DossierConfig:
    """Default draws, then the main scenario's overrides, then the cycled variations."""
    cfg = DossierConfig(main=main)
    cfg.age_band = rng.choice(("young", "mid", "mid", "adult", "adult", "adult"))
    cfg.id_kind = rng.choice(("cni_2021", "cni_2021", "cni", "passport"))
    cfg.proof_subtype = PROOF_CYCLE[index % len(PROOF_CYCLE)]
    cfg.assr = "assr2" if rng.random() < 0.7 else "asr"
    cfg.jdc = "certificate"
    cfg.photo = ("ephoto", "portrait")[index % 2]
    cfg.distractors = 1 if rng.random() < 0.2 else 0
    cfg.multi_doc_pdf = rng.random() < 0.1
    cfg.recto_verso = rng.random() < 0.15
    if cfg.proof_subtype in BILL_SUBTYPES and rng.random() < 0.25:
        cfg.twoddoc = "ok"
    if rng.random() < 0.08:
        cfg.joint = rng.choice(("ou", "et"))

    if main == "foreign_residence_permit":
        cfg.nationality = rng.choice(("DZA", "MAR", "SEN", "VNM", "TUN", "BRA", "MLI"))
    if main == "eu_citizen_id":
        cfg.nationality = rng.choice(EU_NATIONALITIES)
    if main.startswith("host_chain_missing_"):
        cfg.proof = "host"
        cfg.host_missing = main.removeprefix("host_chain_missing_")
    for name, value in SCENARIO_OVERRIDES.get(main, {}).items():
        setattr(cfg, name, value)

    # cycled variations, so that a run of 60 dossiers holds each of them
    if not variations:
        cfg.distractors = 0
        cfg.multi_doc_pdf = False
    elif index % 8 == 3:
        cfg.broken = BROKEN_KINDS[(index // 8) % len(BROKEN_KINDS)]
    if variations and index % 4 == 0:
        cfg.junk = [JUNK_NAMES[(index // 4) % len(JUNK_NAMES)]]
        if index % 12 == 0:
            cfg.junk.append(JUNK_NAMES[(index // 4 + 1) % len(JUNK_NAMES)])
    cfg.duplicate = variations and index % 9 == 5
    cfg.nested = variations and index % 6 == 4
    if variations and cfg.stated is None and index % 10 == 7:
        cfg.stated = "agree"

    # consistency: the rules of the scenario world
    if cfg.age_band == "minor":
        cfg.proof = "host" if cfg.proof != "none" else "none"
        cfg.joint = None
        cfg.usage_name = False
        cfg.nationality = "FRA"
        if cfg.id_kind == "residence_permit":
            cfg.id_kind = "cni_2021"
    if cfg.nationality in EU_NATIONALITIES:
        cfg.id_kind = "foreign_id"
        cfg.id_state = "valid"
    elif cfg.nationality != "FRA":
        cfg.id_kind = "residence_permit"
        cfg.id_state = "valid"
    elif cfg.id_kind == "foreign_id":
        cfg.id_kind = "cni_2021"
    if cfg.id_state == "expired" and cfg.id_kind != "driving_licence":
        cfg.id_state = "valid"
    if cfg.id_state == "old_extended":
        cfg.age_band = "adult"
    elif cfg.id_kind == "cni" and cfg.id_state == "valid" and cfg.age_band != "adult":
        cfg.id_kind = "cni_2021"  # a valid old-format card issued since 2014 belongs to a 30+ adult
    if cfg.id_state in ("expired_in_grace", "expired_out_of_grace"):
        cfg.age_band = "from_birth"  # the birth date follows from the card (issued to a minor)
    if cfg.proof == "host":
        cfg.joint = None
    if (
        cfg.proof_subtype not in BILL_SUBTYPES
        and cfg.twoddoc is not None
        and main
        not in (
            "twoddoc_bill",
            "twoddoc_tampered",
        )
    ):
        cfg.twoddoc = None
    if cfg.recency != "recent" and cfg.proof_subtype not in BILL_SUBTYPES:
        # the 6-month limit is only undisputed for bills (a tax notice is judged by its campaign)
        cfg.proof_subtype = BILL_SUBTYPES[index % len(BILL_SUBTYPES)]
    if cfg.recto_verso and cfg.id_kind == "passport":
        cfg.recto_verso = False
    if cfg.split_faces:
        cfg.recto_verso = False
        cfg.multi_doc_pdf = False
        if cfg.id_kind not in CARD_SUBTYPES:
            cfg.id_kind = "cni_2021"
    return cfg


# ---------------------------------------------------------------- documents


def _identity_doc(
    rng: random.Random,
    person: Person,
    kind: str,
    state: str,
    reference: date,
    role: str,
    key: str,
    cni_issue: date | None = None,
) -> DocPlan:
    """An identity document of ``person`` whose validity at ``reference`` follows ``state``."""
    birth = person.birth_date
    if kind == "cni":
        if state in ("expired_in_grace", "expired_out_of_grace"):
            # birth and issue chosen together by _birth_for_state: a minor at issue, so no +5 years
            issue = cni_issue or _rand_date(rng, date(2010, 1, 1), date(2012, 1, 1))
            expiry = issue + relativedelta(years=10) - timedelta(days=1)
        elif state == "old_extended":
            issue = _rand_date(rng, date(2009, 1, 5), date(2013, 12, 20))
            expiry = issue + relativedelta(years=10) - timedelta(days=1)
        else:  # issued 2014-2021 to an adult: 15 years printed
            issue = _rand_date(rng, max(date(2014, 1, 2), birth + relativedelta(years=19)), date(2021, 7, 30))
            expiry = issue + relativedelta(years=15) - timedelta(days=1)
        dept = rng.choice(("750", "692", "132", "593", "441", "351", "330", "315", "94A", "2A0"))
        number = f"{issue:%y%m}{dept[:3]}{_digits(rng, 5)}"
        subtype = "cni"
    elif kind == "cni_2021":
        issue = _rand_date(
            rng, max(date(2021, 8, 2), birth + relativedelta(years=12)), reference - timedelta(days=20)
        )
        expiry = issue + relativedelta(years=10) - timedelta(days=1)
        number = _alnum(rng, 9)
        subtype = "cni_2021"
    elif kind == "passport":
        issue = _rand_date(
            rng,
            max(reference - relativedelta(years=4), birth + relativedelta(years=12)),
            reference - timedelta(days=20),
        )
        minor_at_issue = _age(birth, issue) < 18
        expiry = issue + relativedelta(years=5 if minor_at_issue else 10) - timedelta(days=1)
        number = f"{_digits(rng, 2)}{_alnum(rng, 2, string.ascii_uppercase)}{_digits(rng, 5)}"
        subtype = "passport"
    elif kind == "driving_licence":
        # EU-format pink card (France, since 16 September 2013): 15 years, or 5 when limited (medical)
        if state == "expired":
            issue = _rand_date(rng, reference - relativedelta(years=9), reference - relativedelta(years=6))
            expiry = issue + relativedelta(years=5) - timedelta(days=1)
        else:
            issue = _rand_date(
                rng, max(date(2013, 9, 16), birth + relativedelta(years=14)), reference - timedelta(days=20)
            )
            expiry = issue + relativedelta(years=15) - timedelta(days=1)
        number = None  # the renderer prints its own licence number (copied into the truth)
        subtype = "driving_licence"
    elif kind == "foreign_id":
        issue = _rand_date(
            rng,
            max(reference - relativedelta(years=8), birth + relativedelta(years=12)),
            reference - timedelta(days=20),
        )
        expiry = issue + relativedelta(years=10) - timedelta(days=1)
        number = None  # the renderer draws the country's number format and its MRZ together
        subtype = "foreign_id"
    else:  # residence_permit
        issue = _rand_date(rng, reference - relativedelta(years=3), reference - timedelta(days=30))
        expiry = issue + relativedelta(years=rng.choice((4, 10))) - timedelta(days=1)
        number = _digits(rng, 10)
        subtype = "residence_permit"
    issuers = {
        "ITA": "Comune",
        "ESP": "Dirección General de la Policía",
        "BEL": "Commune",
        "DEU": "Stadt",
        "PRT": "República Portuguesa",
    }
    spec = DocSpec(
        type="identity",
        subtype=subtype,
        holder=person,
        issue_date=issue,
        issuer=issuers.get(person.nationality, "Préfecture") if kind == "foreign_id" else "Préfecture",
        expiry_date=expiry,
        document_number=number,
        layout=rng.randint(0, 99),
        seed=rng.randint(0, 2**31 - 1),
    )
    return DocPlan(key=key, spec=spec, role=role)


def _birth_for_state(rng: random.Random, state: str, reference: date) -> tuple[date, date]:
    """Birth and issue dates for an old CNI issued to a minor that expired inside or outside the grace."""
    if state == "expired_in_grace":
        expiry = reference - timedelta(days=rng.randint(60, 4 * 365))
    else:
        expiry = reference - relativedelta(years=5) - timedelta(days=rng.randint(30, 900))
    issue = expiry - relativedelta(years=10) + timedelta(days=1)
    birth = issue - relativedelta(years=rng.randint(10, 16)) - timedelta(days=rng.randint(10, 300))
    return birth, issue


def _proof_doc(
    rng: random.Random,
    holder: Person,
    subtype: str,
    issue: date,
    role: str,
    *,
    twoddoc: str | None = None,
    second: Person | None = None,
    joint: str | None = None,
) -> DocPlan:
    issuer = rng.choice(ISSUERS.get(subtype, ("Mairie",)))
    extra: dict[str, str] = {}
    if subtype == "other":
        kind = rng.choice(OTHER_PROOF_KINDS)
        extra["kind"] = kind
        issuer = rng.choice(ISSUERS[kind])
    if twoddoc is not None:
        issuer = rng.choice([i for i in TWODDOC_ISSUERS if i in ISSUERS.get(subtype, ())] or ["EDF"])
        if twoddoc == "tampered":
            # the signed 2D-Doc keeps an older genuine date; the printed date was edited to look recent
            extra["2ddoc_mismatch"] = "1"
    spec = DocSpec(
        type="proof_of_address",
        subtype=subtype,
        holder=holder,
        issue_date=issue,
        issuer=issuer,
        second_holder=second,
        joint_style=joint,
        with_2ddoc=twoddoc is not None,
        layout=rng.randint(0, 99),
        seed=rng.randint(0, 2**31 - 1),
        extra=extra,
    )
    return DocPlan(key=f"proof_{role}", spec=spec, role=role)


def _simple_doc(
    rng: random.Random,
    key: str,
    doc_type: str,
    subtype: str | None,
    holder: Person,
    issue: date | None,
    role: str,
    **kwargs: Any,
) -> DocPlan:
    spec = DocSpec(
        type=doc_type,
        subtype=subtype,
        holder=holder,
        issue_date=issue,
        layout=rng.randint(0, 99),
        seed=rng.randint(0, 2**31 - 1),
        **kwargs,
    )
    return DocPlan(key=key, spec=spec, role=role)


def _ephoto_code(rng: random.Random) -> str:
    return _alnum(rng, 22, string.ascii_uppercase + string.digits)


# ---------------------------------------------------------------- planning a dossier


def plan_dossier(
    index: int,
    seed: int,
    reference: date,
    *,
    main: str | None = None,
    broken: str | None = None,
    variations: bool = True,
    min_documents: int = 0,
) -> DossierPlan:
    """Decide everything about dossier ``index`` of a run seeded with ``seed``.

    ``main`` forces the main scenario (else it cycles through MAIN_SCENARIOS in a seed-shuffled order);
    ``variations=False`` drops the cycled extras (junk, duplicates, distractors…) for tidy fixtures.
    ``min_documents`` pads the dossier with more distractors (the benchmark's fuller dossiers); 0 changes
    nothing, so every existing seed regenerates identically.
    """
    rng = random.Random(f"preverif-samples:{seed}:{index}")
    if main is None:
        order = list(MAIN_SCENARIOS)
        random.Random(f"preverif-order:{seed}").shuffle(order)
        main = order[index % len(order)]
    cfg = _config_for(main, index, rng, variations=variations)
    if broken is not None:
        cfg.broken = broken

    # the candidate
    cni_issue: date | None = None
    bands = {"minor": (16, 17), "young": (18, 20), "mid": (21, 24), "adult": (25, 62)}
    if cfg.age_band == "from_birth":
        birth, cni_issue = _birth_for_state(rng, cfg.id_state, reference)
        applicant = draw_person(rng, reference=reference, min_age=18, max_age=18, nationality=cfg.nationality)
        applicant = replace(applicant, birth_date=birth)
    else:
        low, high = bands[cfg.age_band]
        applicant = draw_person(
            rng, reference=reference, min_age=low, max_age=high, nationality=cfg.nationality
        )
        if cfg.id_state == "old_extended":
            # an adult when the card was issued in 2009-2013
            applicant = replace(applicant, birth_date=draw_birth_date(rng, reference, 38, 62))
    if cfg.usage_name:
        applicant = with_usage_name(rng, applicant)
    age = _age(applicant.birth_date, reference)
    french = applicant.nationality == "FRA"

    docs: list[DocPlan] = []
    id_doc = _identity_doc(
        rng, applicant, cfg.id_kind, cfg.id_state, reference, "candidate", "id_candidate", cni_issue
    )
    applicant = id_doc.spec.holder
    docs.append(id_doc)

    # proof of address (own, host chain, none)
    proof_plan: DocPlan | None = None
    host: Person | None = None
    attestation_present = host_id_present = False
    if cfg.proof == "host":
        host_age = (38, 60) if cfg.age_band == "minor" else (30, 75)
        same_family = cfg.age_band == "minor" and rng.random() < 0.8
        host = draw_person(
            rng,
            reference=reference,
            min_age=host_age[0],
            max_age=host_age[1],
            surname=applicant.surname if same_family else None,
        )
        applicant = replace(applicant, address_lines=host.address_lines)
        id_doc.spec = replace(id_doc.spec, holder=applicant)
        host_role = "legal_rep" if cfg.age_band == "minor" else "host"
        if cfg.host_missing != "attestation":
            fait_le = _rand_date(rng, reference - timedelta(days=40), reference - timedelta(days=1))
            docs.append(
                _simple_doc(
                    rng,
                    "host_attestation",
                    "host_attestation",
                    None,
                    host,
                    fait_le,
                    "host",
                    host=host,
                    hosted=applicant,
                    handwritten=rng.random() < 0.75,
                )
            )
            attestation_present = True
        if cfg.host_missing != "host_id":
            host_kind = rng.choice(("cni_2021", "cni_2021", "passport"))
            host_id = _identity_doc(rng, host, host_kind, "valid", reference, host_role, "id_host")
            docs.append(host_id)
            host_id_present = True
        if cfg.host_missing != "host_proof":
            issue = _proof_date(rng, reference, cfg.recency)
            proof_plan = _proof_doc(rng, host, cfg.proof_subtype, issue, "host", twoddoc=cfg.twoddoc)
            docs.append(proof_plan)
    elif cfg.proof == "own":
        second: Person | None = None
        if cfg.joint is not None:
            partner_sex = "F" if applicant.sex == "M" else "M"
            partner = draw_person(
                rng,
                reference=reference,
                min_age=max(age - 5, 20),
                max_age=age + 5,
                sex=partner_sex,
                surname=applicant.usage_surname or applicant.surname if cfg.joint == "ou" else None,
                address=applicant.address_lines,
            )
            second = partner
        issue = _proof_date(rng, reference, cfg.recency)
        proof_plan = _proof_doc(
            rng,
            applicant,
            cfg.proof_subtype,
            issue,
            "candidate",
            twoddoc=cfg.twoddoc,
            second=second,
            joint=cfg.joint,
        )
        docs.append(proof_plan)
    # a minor's legal representative is the host parent; if the host ID is the missing piece it is missing too

    # ASSR (under 21), JDC (French, 17 to 25)
    needs_assr = age < 21
    needs_jdc = french and 17 <= age < 25
    if needs_assr and cfg.assr is not None:
        if cfg.assr == "honour_statement":
            assr_date = _rand_date(rng, reference - timedelta(days=60), reference - timedelta(days=1))
        elif cfg.assr == "assr2":
            assr_date = _rand_date(
                rng,
                applicant.birth_date + relativedelta(years=14),
                applicant.birth_date + relativedelta(years=15, months=6),
            )
        else:
            assr_date = _rand_date(
                rng,
                applicant.birth_date + relativedelta(years=16),
                min(reference, applicant.birth_date + relativedelta(years=20)),
            )
        assr_date = min(assr_date, reference - timedelta(days=5))
        docs.append(_simple_doc(rng, "assr", "assr", cfg.assr, applicant, assr_date, "candidate"))
    if needs_jdc and cfg.jdc is not None:
        if cfg.jdc in ("certificate", "exemption"):
            start = applicant.birth_date + relativedelta(years=16, months=3)
            jdc_date = _rand_date(
                rng, start, min(reference - timedelta(days=10), start + relativedelta(years=2))
            )
        else:
            jdc_date = _rand_date(rng, reference - timedelta(days=150), reference - timedelta(days=5))
        docs.append(_simple_doc(rng, "jdc", "jdc", cfg.jdc, applicant, jdc_date, "candidate"))
    if cfg.photo is not None:
        if cfg.photo == "ephoto":
            photo_date = _rand_date(rng, reference - timedelta(days=90), reference - timedelta(days=2))
            docs.append(
                _simple_doc(
                    rng,
                    "photo",
                    "photo",
                    "ephoto",
                    applicant,
                    photo_date,
                    "candidate",
                    ephoto_code=_ephoto_code(rng),
                )
            )
        else:
            docs.append(_simple_doc(rng, "photo", "photo", "portrait", applicant, None, "candidate"))

    def add_distractor(n: int) -> None:
        kind = ("payslip", "bank_statement", "receipt")[(index + n) % 3]
        when = _rand_date(rng, reference - timedelta(days=120), reference - timedelta(days=3))
        docs.append(
            _simple_doc(
                rng,
                f"distractor_{n}",
                "unknown",
                kind,
                applicant,
                when,
                "other",
                issuer=rng.choice(ISSUERS[kind]),
            )
        )

    for n in range(cfg.distractors):
        add_distractor(n)

    # a dossier holds at least four files: pad with everyday papers candidates add by mistake
    target = max(5 if cfg.multi_doc_pdf else 4, min_documents)
    n = cfg.distractors
    while len(docs) < target:
        add_distractor(n)
        n += 1
        cfg.distractors = n

    # checks by the official rules (SPEC §4)
    checks = _expected_checks(cfg, applicant, reference, proof_plan, attestation_present, host_id_present)
    statuses = list(checks.values())
    if any(s in ("missing", "fail") for s in statuses):
        verdict = "incomplete"
    elif "review" in statuses:
        verdict = "needs_review"
    else:
        verdict = "complete"

    stated: dict[str, Any] | None = None
    if cfg.stated is not None:
        stated_birth = applicant.birth_date
        if cfg.stated == "disagree":
            stated_birth = applicant.birth_date + timedelta(days=rng.choice((-2, -1, 1, 2)))
        stated = {
            "surname": upper_name(applicant.surname),
            "given_names": list(applicant.given_names),
            "birth_date": stated_birth.isoformat(),
            "nationality": applicant.nationality,
        }

    # EXIF orientation tags draw from their own stream, so the other draws (and the fixtures) stay as they were
    exif_rng = random.Random(f"preverif-exif:{seed}:{index}") if variations else None
    files = _plan_files(rng, cfg, docs, index, reference, exif_rng)
    dossier_id = f"d{index:04d}"
    duplicate_of: str | None = None
    duplicate_name: str | None = None
    if cfg.duplicate:
        candidates = [f for f in files if f.broken is None]
        original = candidates[rng.randrange(len(candidates))]
        duplicate_of = original.name
        stem, dot, ext = original.name.rpartition(".")
        duplicate_name = f"{stem} (1).{ext}" if dot else f"{original.name} (1)"
        if duplicate_name in {f.name for f in files}:
            duplicate_name = f"copie de {original.name.rsplit('/', 1)[-1]}"

    proof_info = {
        "file": None,
        "date": proof_plan.spec.issue_date.isoformat() if proof_plan and proof_plan.spec.issue_date else None,
        "recent": (proof_plan.spec.issue_date >= six_month_boundary(reference))
        if proof_plan and proof_plan.spec.issue_date
        else None,
        "in_applicant_name": (proof_plan.role == "candidate") if proof_plan else None,
        "host_attestation_required": cfg.proof == "host",
        "host_attestation_present": attestation_present,
        "host_id_present": host_id_present,
    }
    if proof_plan is not None:
        proof_info["file"] = next(f.name for f in files if any(d is proof_plan for d in f.docs))

    plan = DossierPlan(
        dossier_id=dossier_id,
        seed=seed,
        reference=reference,
        config=cfg,
        applicant=applicant,
        stated_identity=stated,
        files=files,
        junk=list(cfg.junk),
        duplicate_of=duplicate_of,
        duplicate_name=duplicate_name,
        expected_checks=checks,
        expected_verdict=verdict,
        proof_info=proof_info,
        scenarios=[],
    )
    plan.scenarios = _scenario_tags(plan)
    return plan


def _expected_checks(
    cfg: DossierConfig,
    applicant: Person,
    reference: date,
    proof: DocPlan | None,
    attestation_present: bool,
    host_id_present: bool,
) -> dict[str, str]:
    """The status of every rule that applies to this dossier, from the scenario's intent."""
    age = _age(applicant.birth_date, reference)
    checks: dict[str, str] = {}
    identity = "ok"
    if cfg.id_state in ("expired_out_of_grace", "expired"):
        identity = "fail"
    elif cfg.stated == "disagree":
        identity = "review"
    checks["identity"] = identity
    if proof is None:
        checks["proof_of_address"] = "missing"
    else:
        assert proof.spec.issue_date is not None
        recent = proof.spec.issue_date >= six_month_boundary(reference)
        if not recent:
            checks["proof_of_address"] = "fail"
        elif proof.spec.subtype in ("home_insurance", "property_tax", "other") or cfg.twoddoc == "tampered":
            checks["proof_of_address"] = "review"
        else:
            checks["proof_of_address"] = "ok"
        if cfg.proof == "own":
            checks["proof_of_address_name"] = "ok"
        else:
            checks["proof_of_address_name"] = "ok" if attestation_present else "fail"
    if cfg.proof == "host":
        complete = attestation_present and host_id_present and proof is not None
        checks["host_chain"] = "ok" if complete else "missing"
    if age < 21:
        checks["assr"] = "ok" if cfg.assr is not None else "missing"
    if applicant.nationality == "FRA" and 17 <= age < 25:
        checks["jdc"] = "ok" if cfg.jdc is not None else "missing"
    checks["photo"] = "ok" if cfg.photo is not None else "missing"
    if age < 18:
        checks["legal_representative"] = "ok" if host_id_present else "missing"
    if applicant.nationality not in RESIDENCE_EXEMPT:
        checks["residence_permit"] = "ok"
    return {code: checks[code] for code in CHECK_ORDER if code in checks}


def _scenario_tags(plan: DossierPlan) -> list[str]:
    """Every scenario the finished dossier exercises (not only the main one), for the coverage table."""
    cfg = plan.config
    reference = plan.reference
    age = _age(plan.applicant.birth_date, reference)
    tags: list[str] = [cfg.main]
    if cfg.proof == "own":
        tags.append(
            {
                "recent": "own_proof_recent",
                "stale": "own_proof_stale",
                "boundary_inside": "proof_boundary_inside",
                "boundary_outside": "proof_boundary_outside",
            }[cfg.recency]
        )
    elif cfg.proof == "host":
        tags.append("host_chain" if cfg.host_missing is None else f"host_chain_missing_{cfg.host_missing}")
        if cfg.recency.startswith("boundary"):
            tags.append(f"proof_{cfg.recency}")
    else:
        tags.append("no_proof")
    if age < 18:
        tags.append("minor")
    elif age < 21:
        tags.append(
            {
                "assr2": "under21_assr",
                "asr": "under21_assr",
                "honour_statement": "under21_honour_statement",
            }.get(cfg.assr or "", "under21_no_assr")
        )
    if plan.applicant.nationality == "FRA" and 17 <= age < 25:
        tags.append("jdc_missing" if cfg.jdc is None else "jdc_present")
        if cfg.jdc in ("exemption", "administrative_situation", "provisional"):
            tags.append(f"jdc_{cfg.jdc}")
    if age >= 25:
        tags.append("over25")
    if plan.applicant.nationality not in RESIDENCE_EXEMPT:
        tags.append("foreign_residence_permit")
    if cfg.id_kind == "passport":
        tags.append("passport_id")
    if cfg.id_kind == "driving_licence":
        tags.append("driving_licence_id")
    if cfg.id_kind == "foreign_id":
        tags.append("eu_citizen_id")
    if cfg.id_state != "valid":
        tags.append(
            {
                "expired_in_grace": "cni_expired_in_grace",
                "expired_out_of_grace": "cni_expired_out_of_grace",
                "old_extended": "old_cni_extended",
                "expired": "driving_licence_expired",
            }[cfg.id_state]
        )
    if cfg.joint is not None and cfg.proof == "own":
        tags.append(f"joint_holders_{cfg.joint}")
    if cfg.usage_name:
        tags.append("usage_name")
    if cfg.proof != "none" and plan.proof_info["file"] is not None:
        sub = cfg.proof_subtype
        if sub in ("home_insurance", "property_tax"):
            tags.append(f"{sub}_only")
        elif sub in ("tax_notice", "rent_receipt"):
            tags.append(sub)
        elif sub == "other":
            tags.append("proof_other_only")
        if cfg.twoddoc is not None:
            tags.append("twoddoc_bill" if cfg.twoddoc == "ok" else "twoddoc_tampered")
    tags.append(f"photo_{cfg.photo}" if cfg.photo else "photo_missing")
    if cfg.distractors:
        tags.append("distractors")
    if any(len(f.docs) > 1 for f in plan.files):
        tags.append("multi_doc_pdf")
    if any(f.compose_card for f in plan.files):
        tags.append("id_recto_verso_one_page")
    if any(f.face is not None for f in plan.files):
        tags.append("id_recto_verso_two_files")
    if cfg.stated is not None:
        tags.append("stated_identity" if cfg.stated == "agree" else "stated_identity_mismatch")
    if cfg.broken:
        tags.append("broken_files")
    if cfg.junk:
        tags.append("junk_files")
    if cfg.duplicate:
        tags.append("duplicate_file")
    if cfg.nested:
        tags.append("nested_folders")
    unique: list[str] = []
    for tag in tags:
        if tag not in unique:
            unique.append(tag)
    return unique


# ---------------------------------------------------------------- files: grouping, capture, names


def _is_card(doc: DocPlan) -> bool:
    return doc.spec.type == "identity" and doc.spec.subtype in CARD_SUBTYPES


def _choose_capture(rng: random.Random, doc: DocPlan, forced: str | None) -> str:
    if forced is not None and (forced != "digital" or doc.spec.type in BORN_DIGITAL_TYPES):
        return forced
    if doc.spec.type in BORN_DIGITAL_TYPES and not doc.spec.handwritten and rng.random() < 0.35:
        return "digital"
    return rng.choices(("scan", "phone_photo", "lowres", "fax"), weights=(45, 38, 9, 8))[0]


COMPATIBLE: dict[str, tuple[str, ...]] = {
    "digital": ("pdf_digital",),
    "scan": ("jpeg", "jpeg", "pdf_scan", "pdf_scan", "png", "tiff", "webp", "bmp"),
    "phone_photo": ("jpeg", "jpeg", "jpeg", "heic", "heic", "webp"),
    "fax": ("tiff", "pdf_scan", "png"),
    "lowres": ("jpeg", "png", "bmp", "webp"),
}


def _can_be_digital(doc: DocPlan) -> bool:
    return doc.spec.type in BORN_DIGITAL_TYPES and not doc.spec.handwritten


def _set_format(f: FilePlan, fmt: str) -> bool:
    """Give ``f`` the format ``fmt``, moving it to a compatible capture; False if it cannot take it."""
    doc = f.docs[0]
    if fmt == "pdf_digital":
        if not _can_be_digital(doc):
            return False
        f.capture, f.fmt = "digital", fmt
        return True
    if fmt == "bmp" and doc.spec.type not in ("identity", "photo"):
        return False
    if f.capture == "digital" or fmt not in COMPATIBLE[f.capture]:
        f.capture = next(c for c in ("scan", "phone_photo", "lowres", "fax") if fmt in COMPATIBLE[c])
    f.fmt = fmt
    return True


def _set_capture(f: FilePlan, capture_kind: str) -> bool:
    """Give ``f`` the capture ``capture_kind``, keeping its format when compatible."""
    doc = f.docs[0]
    if capture_kind == "digital":
        if not _can_be_digital(doc):
            return False
        f.capture, f.fmt = "digital", "pdf_digital"
        return True
    if f.capture == "digital":
        return False
    if f.fmt not in COMPATIBLE[capture_kind]:
        if f.fmt == "heic" or f.fmt == "bmp":
            return False  # keep the rare formats where they are
        f.fmt = COMPATIBLE[capture_kind][0]
    f.capture = capture_kind
    return True


def _choose_format(rng: random.Random, capture_kind: str, doc: DocPlan, forced: str | None) -> str:
    allowed = COMPATIBLE[capture_kind]
    if forced in allowed and (forced != "bmp" or doc.spec.type in ("identity", "photo")):
        return forced
    choice = rng.choice(allowed)
    # an uncompressed A4 bitmap is enormous: BMP only for small pieces (cards, photos)
    if choice == "bmp" and doc.spec.type not in ("identity", "photo"):
        choice = "jpeg"
    return choice


_FACE_STEMS: tuple[tuple[str, str], ...] = (
    ("CNI recto", "CNI verso"),
    ("carte identite recto", "carte identite verso"),
    ("Pièce identité recto", "Pièce identité verso"),
    ("cni_face", "cni_dos"),
    ("CNI 1", "CNI 2"),
)


def _split_faces(rng: random.Random, docs: list[DocPlan]) -> list[FilePlan]:
    """The candidate's ID card photographed or scanned face by face: two files, one face each."""
    card = next(d for d in docs if d.key == "id_candidate")
    docs.remove(card)
    cap = rng.choices(("scan", "phone_photo"), weights=(45, 55))[0]
    fmt = _choose_format(rng, cap, card, None)
    stems = rng.choice(_FACE_STEMS)
    return [
        FilePlan(name="", fmt=fmt, capture=cap, rotation=0, docs=[card], face=face, stem=stems[face - 1])
        for face in (1, 2)
    ]


def _plan_files(
    rng: random.Random,
    cfg: DossierConfig,
    docs: list[DocPlan],
    index: int,
    reference: date,
    exif_rng: random.Random | None = None,
) -> list[FilePlan]:
    """Group documents into files, choose capture/format/rotation, and give them messy names."""
    forced_format = FORMATS[index % len(FORMATS)]
    forced_capture = CAPTURES[index % len(CAPTURES)]
    forced_rotation = (90, 180, 270)[index % 3] if index % 2 == 1 else None
    remaining = list(docs)
    files: list[FilePlan] = []
    if cfg.split_faces:
        files.extend(_split_faces(rng, remaining))

    if cfg.multi_doc_pdf and len(remaining) >= 3:
        # e.g. ID then bill then JDC, all scanned into one PDF (or one multi-page TIFF)
        group = [remaining[0]]
        for doc in remaining[1:]:
            if doc.spec.type in ("proof_of_address", "jdc", "assr", "host_attestation") and len(group) < 3:
                group.append(doc)
        for doc in group:
            remaining.remove(doc)
        fmt = "pdf_scan" if rng.random() < 0.75 else "tiff"
        files.append(
            FilePlan(
                name="", fmt=fmt, capture="fax" if rng.random() < 0.15 else "scan", rotation=0, docs=group
            )
        )

    for doc in remaining:
        first_forced = not files and index % 2 == 0
        cap = _choose_capture(rng, doc, forced_capture if first_forced else None)
        fmt = _choose_format(rng, cap, doc, forced_format if (len(files) == 1) else None)
        if fmt == "pdf_digital" and cap != "digital":
            fmt = "pdf_scan"
        if cap == "digital":
            fmt = "pdf_digital"
        files.append(FilePlan(name="", fmt=fmt, capture=cap, rotation=0, docs=[doc]))

    # a forced format or capture the loop did not place: convert one suitable single-document file
    if not any(f.fmt == forced_format for f in files):
        for f in files:
            if len(f.docs) == 1 and f.face is None and _set_format(f, forced_format):
                break
    if not any(f.capture == forced_capture for f in files):
        for f in files:
            if len(f.docs) == 1 and f.face is None and _set_capture(f, forced_capture):
                break

    for f in files:
        if f.capture == "digital":
            continue
        if forced_rotation is not None and f is files[-1]:
            f.rotation = forced_rotation
        elif rng.random() < 0.12:
            f.rotation = rng.choice((90, 180, 270))
        card = next((d for d in f.docs if _is_card(d)), None)
        if card is not None and f.face is None and (cfg.recto_verso or f.fmt in formats.SINGLE_IMAGE_FORMATS):
            f.compose_card = True
        f.seed = rng.randint(0, 2**31 - 1)
        # phones store the sensor's pixels as shot and write how to turn them in the EXIF Orientation tag
        if (
            exif_rng is not None
            and f.capture == "phone_photo"
            and f.fmt == "jpeg"
            and exif_rng.random() < 0.6
        ):
            f.exif_orientation = exif_rng.choice((1, 6, 6, 6, 8, 8, 3))

    # broken files: an extra file, never one the rules need
    if cfg.broken is not None:
        files.append(
            FilePlan(
                name="",
                fmt=_broken_format(cfg.broken),
                capture="scan",
                rotation=0,
                docs=[],
                broken=cfg.broken,
                seed=rng.randint(0, 2**31 - 1),
            )
        )

    _name_files(rng, files, reference, nested=cfg.nested)
    return files


def _broken_format(kind: str) -> str:
    return {
        "truncated": "jpeg",
        "empty": "pdf_scan",
        "corrupt": "pdf_digital",
        "encrypted": "pdf_digital",
        "notes_txt": "txt",
        "not_a_document": "jpeg",
    }[kind]


_TYPE_NAMES: dict[str, tuple[str, ...]] = {
    "identity": ("Pièce identité recto-verso", "cni", "CNI recto verso", "carte identite", "piece_identite"),
    "passport": ("passeport", "Passeport", "scan passeport"),
    "residence_permit": ("titre de sejour", "Titre_séjour", "carte de séjour"),
    "driving_licence": ("permis de conduire", "Permis recto verso", "permis", "piece identite permis"),
    "foreign_id": ("carte identite", "ID card", "carta identita", "documento identidad", "cni"),
    "other": ("attestation caf", "avis echeance", "justificatif domicile", "facture"),
    "proof_of_address": ("justificatif domicile", "justif_domicile", "Justificatif de domicile"),
    "electricity": ("facture edf (1)", "facture électricité", "Facture_EDF"),
    "gas": ("facture gaz", "Facture gaz engie"),
    "water": ("facture eau", "Facture d'eau"),
    "phone": ("facture téléphone", "facture_mobile"),
    "internet": ("facture box", "Facture Free"),
    "rent_receipt": ("quittance loyer", "Quittance octobre"),
    "tax_notice": ("avis impot 2026", "Avis d'imposition"),
    "property_tax": ("taxe fonciere", "Taxe foncière 2026"),
    "home_insurance": ("attestation assurance", "assurance habitation"),
    "host_attestation": ("attestation hébergement", "attestation_hebergement", "Attestation sur l'honneur"),
    "jdc": ("JDC", "certificat JDC", "jdc"),
    "assr": ("ASSR2", "assr", "ASSR 2"),
    "photo": ("photo identité", "e-photo", "Photo"),
    "payslip": ("fiche de paie", "bulletin salaire octobre", "document"),
    "bank_statement": ("releve", "Relevé de compte", "document"),
    "receipt": ("ticket", "facture achat", "document"),
    "unknown": ("document",),
}


def _messy_name(rng: random.Random, f: FilePlan, reference: date, counter: int) -> str:
    ext = formats.EXTENSIONS.get(f.fmt, ".txt")
    when = reference - timedelta(days=rng.randint(1, 40), seconds=rng.randint(0, 86_399))
    stamp = f"{when:%Y%m%d}_{rng.randint(7, 21):02d}{rng.randint(0, 59):02d}{rng.randint(0, 59):02d}"
    doc = f.docs[0] if f.docs else None
    if f.capture == "phone_photo":
        style = rng.randint(0, 4)
        if ext == ".heic":
            return rng.choice((f"IMG_{rng.randint(1000, 9999)}.HEIC", f"IMG_{stamp}.heic"))
        if style == 0:
            return f"IMG_{stamp}{ext}"
        if style == 1:
            whats = f"WhatsApp Image {when:%Y-%m-%d} at {rng.randint(7, 22)}.{rng.randint(0, 59):02d}.{rng.randint(0, 59):02d}"
            return f"{whats}{'.jpeg' if ext == '.jpg' else ext}"
        if style == 2:
            return f"PXL_{stamp}{rng.randint(100, 999)}{ext}"
        if style == 3:
            return f"IMG_{rng.randint(1000, 9999)}{ext.upper() if ext == '.jpg' else ext}"
    if f.capture in ("scan", "fax", "lowres") and rng.random() < 0.45:
        return rng.choice(
            (
                f"scan{counter:04d}{ext}",
                f"Scan_{stamp}{ext}",
                f"numérisation {counter}{ext}",
                f"doc{rng.randint(100, 9999):05d}{ext}",
            )
        )
    if doc is None:
        return f"document{ext}"
    if len(f.docs) > 1:
        return rng.choice(("dossier complet", "Documents permis", "scan tout")) + ext
    key = doc.spec.subtype if doc.spec.subtype in _TYPE_NAMES else doc.spec.type
    if doc.spec.type == "proof_of_address" and rng.random() < 0.4:
        key = "proof_of_address"
    if doc.role in ("host", "legal_rep") and doc.spec.type == "identity":
        return rng.choice(("cni parent", "CNI hébergeant", "piece identite maman", "id papa")) + ext
    return rng.choice(_TYPE_NAMES.get(key, ("document",))) + ext


def _name_files(rng: random.Random, files: list[FilePlan], reference: date, *, nested: bool) -> None:
    used: set[str] = set()
    for counter, f in enumerate(files, start=1):
        if f.broken == "notes_txt":
            name = "notes.txt"
        elif f.broken == "empty":
            name = f"scan{counter + 20:04d}.pdf"
        elif f.broken == "corrupt":
            name = rng.choice(("facture.pdf", "Facture_novembre.pdf"))
        elif f.broken == "encrypted":
            name = rng.choice(("releve_protege.pdf", "avis_securise.pdf"))
        elif f.broken == "truncated":
            name = f"IMG_{(reference - timedelta(days=2)):%Y%m%d}_0{counter}1502.jpg"
        elif f.broken == "not_a_document":
            name = f"IMG_{(reference - timedelta(days=120)):%Y%m%d}_1{counter}3000.jpg"
        elif f.stem is not None:
            name = f.stem + formats.EXTENSIONS.get(f.fmt, ".jpg")
        else:
            name = _messy_name(rng, f, reference, counter)
        if nested and rng.random() < 0.5:
            name = rng.choice(("scans/", "Documents/papiers permis/", "Téléphone/")) + name
        base = name
        n = 2
        while name.lower() in used:
            stem, dot, ext = base.rpartition(".")
            name = f"{stem} ({n}).{ext}" if dot else f"{base} ({n})"
            n += 1
        used.add(name.lower())
        f.name = name


# ---------------------------------------------------------------- writing


@dataclass
class CaptureSettings:
    """Resolution and compression knobs; the fixture set uses smaller values."""

    scan_dpi: int = 300
    photo_dpi: int = 200
    lowres_dpi: int = 150
    fax_dpi: int = 200
    jpeg_quality: tuple[int, int] = (80, 92)
    photo_long_side: tuple[int, int] = (1600, 2400)
    png_dpi: int = 200  # lossless formats of a full-resolution scan would be huge
    bmp_dpi: int = 150


def _is_small_page(image: Image.Image, dpi: int) -> bool:
    """Cards, passports and photos: narrower than ~15 cm, so they sit on an A4 sheet when scanned."""
    return min(image.size) / dpi * 25.4 < 160 and max(image.size) / dpi * 25.4 < 200


def _compose_faces(faces: list[Image.Image], dpi: int) -> Image.Image:
    """Front and back of a card stacked on a white sheet just larger than the cards (for photos)."""
    gap = dpi // 5
    width = max(f.width for f in faces) + 2 * gap
    height = sum(f.height for f in faces) + gap * (len(faces) + 1)
    sheet = Image.new("RGB", (width, height), (246, 246, 244))
    y = gap
    for face in faces:
        sheet.paste(face, (gap, y))
        y += face.height + gap
    return sheet


def _capture_file(
    f: FilePlan, rendered: dict[str, RenderedDoc], settings: CaptureSettings
) -> tuple[bytes, list[tuple[DocPlan, list[int]]], list[str]]:
    """Render → rasterise → compose → degrade → rotate → encode one file."""
    rng = np.random.default_rng(f.seed)
    if f.capture == "digital":
        doc = f.docs[0]
        out = rendered[doc.key]
        return out.pdf, [(doc, list(range(1, out.page_count + 1)))], []
    dpi = {
        "scan": settings.scan_dpi,
        "phone_photo": settings.photo_dpi,
        "lowres": settings.lowres_dpi,
        "fax": settings.fax_dpi,
    }[f.capture]
    # lossless formats of a full-resolution scan would be huge: scan them at what a user would pick
    if f.fmt == "png":
        dpi = min(dpi, settings.png_dpi)
    elif f.fmt == "bmp":
        dpi = min(dpi, settings.bmp_dpi)
    single = f.fmt in formats.SINGLE_IMAGE_FORMATS
    pages: list[Image.Image] = []
    spans: list[tuple[DocPlan, list[int]]] = []
    for doc in f.docs:
        images = capture.rasterize_pdf(rendered[doc.key].pdf, dpi)
        if f.face is not None:
            images = images[f.face - 1 : f.face]
        small = bool(images) and _is_small_page(images[0], dpi)
        if _is_card(doc) and len(images) >= 2 and f.compose_card:
            if f.capture == "phone_photo":
                images = [_compose_faces(images[:2], dpi)]
            else:
                images = [capture.place_on_a4(images[:2], dpi, rng, stacked=bool(rng.random() < 0.7))]
        elif small and f.capture != "phone_photo" and f.fmt != "bmp":
            images = [capture.place_on_a4([im], dpi, rng) for im in images]
        if single:
            images = images[:1]
        start = len(pages) + 1
        pages.extend(images)
        spans.append((doc, list(range(start, len(pages) + 1))))
        if single:
            break
    defects: list[str] = []
    degraded: list[Image.Image] = []
    for page in pages:
        if f.capture == "scan":
            page, found = capture.scan_flatbed(page, rng)
        elif f.capture == "phone_photo":
            long_side = int(rng.integers(settings.photo_long_side[0], settings.photo_long_side[1] + 1))
            page, found = capture.photo_phone(page, rng, long_side)
        elif f.capture == "lowres":
            page, found = capture.lowres(page, rng)
        else:
            page, found = capture.fax(page, rng)
        # the truth's rotation is the content's after EXIF is applied; the pixels carry the tag's turn too
        stored = f.rotation + EXIF_STORED_ROTATION.get(f.exif_orientation or 1, 0)
        page = capture.rotate_content(page, stored % 360)
        if f.fmt in ("png", "bmp", "tiff") and f.capture != "fax" and f.docs[0].spec.type != "photo":
            page = page.convert("L")  # scanner software saves lossless scans in grey
        degraded.append(page)
        defects.extend(d for d in found if d not in defects)
    quality = int(rng.integers(settings.jpeg_quality[0], settings.jpeg_quality[1] + 1))
    data = formats.encode_pages(
        degraded, f.fmt, quality=quality, dpi=dpi, exif_orientation=f.exif_orientation
    )
    return data, spans, defects


def _broken_bytes(
    f: FilePlan, plan: DossierPlan, rendered: dict[str, RenderedDoc], settings: CaptureSettings
) -> bytes:
    rng = np.random.default_rng(f.seed)
    kind = f.broken
    if kind == "empty":
        return b""
    if kind == "notes_txt":
        return (
            "Notes dossier permis\n- rappeler le candidat pour la JDC\n- vérifier le justificatif de domicile\n"
        ).encode()
    if kind == "not_a_document":
        return formats.not_a_document_png(f.seed)
    if kind == "encrypted":
        return formats.encrypted_pdf(
            ["Relevé de compte", upper_name(plan.applicant.surname), "Document protégé"]
        )
    source = next(iter(rendered.values()))
    if kind == "corrupt":
        return formats.corrupt_pdf(source.pdf)
    # truncated: a JPEG of a real page cut short
    page = capture.rasterize_pdf(source.pdf, 100)[0]
    page, _ = capture.lowres(page, rng)
    return formats.truncate_bytes(formats.encode_pages([page], "jpeg", quality=80, dpi=100))


def _holder_json(person: Person | None) -> dict[str, Any] | None:
    """Birth surname and given names; a usage name ('épouse X') is printed beside it, see applicant."""
    if person is None:
        return None
    surname = person.surname
    return {
        "surname": upper_name(surname),
        "given_names": list(person.given_names),
        "raw": f"{upper_name(surname)} {' '.join(person.given_names)}",
    }


def _doc_truth(doc: DocPlan, pages: list[int]) -> dict[str, Any]:
    spec = doc.spec
    return {
        "pages": pages,
        "type": spec.type,
        "subtype": spec.subtype,
        "role": doc.role,
        "holder": _holder_json(spec.holder),
        "second_holder": _holder_json(spec.second_holder),
        "host": _holder_json(spec.host),
        "hosted": _holder_json(spec.hosted),
        "date": spec.issue_date.isoformat() if spec.issue_date else None,
        "expiry_date": spec.expiry_date.isoformat() if spec.expiry_date else None,
        "birth_date": spec.holder.birth_date.isoformat() if spec.type == "identity" else None,
        "issuer": spec.issuer,
        "document_number": spec.document_number,
        "ephoto_code": spec.ephoto_code,
        "with_2ddoc": spec.with_2ddoc,
        "handwritten": spec.handwritten,
        "mrz": doc.mrz,
    }


def write_dossier(
    plan: DossierPlan,
    out: Path,
    render: Renderer,
    settings: CaptureSettings | None = None,
) -> dict[str, Any]:
    """Write ``out/dossiers/<id>/…`` and ``out/truth/<id>.json``; return the truth."""
    settings = settings or CaptureSettings()
    folder = out / "dossiers" / plan.dossier_id
    folder.mkdir(parents=True, exist_ok=True)
    (out / "truth").mkdir(parents=True, exist_ok=True)
    rendered: dict[str, RenderedDoc] = {}
    for f in plan.files:
        for doc in f.docs:
            if doc.key not in rendered:
                out_doc = render(doc.spec)
                rendered[doc.key] = out_doc
                # facts the renderer invented (MRZ, a number or expiry left to it) go into the truth as printed
                doc.mrz = list(out_doc.mrz) or None
                if doc.spec.document_number is None and out_doc.document_number:
                    doc.spec = replace(doc.spec, document_number=out_doc.document_number)
                if doc.spec.expiry_date is None and out_doc.expiry_date:
                    doc.spec = replace(doc.spec, expiry_date=out_doc.expiry_date)
    if not rendered:
        raise ValueError(f"dossier {plan.dossier_id} has no document")
    files_truth: list[dict[str, Any]] = []
    written: dict[str, bytes] = {}
    for f in plan.files:
        if f.broken is not None:
            data = _broken_bytes(f, plan, rendered, settings)
            documents: list[dict[str, Any]] = []
            if f.broken == "not_a_document":
                documents = [
                    {
                        "pages": [1],
                        "type": "unknown",
                        "subtype": None,
                        "role": "other",
                        "holder": None,
                        "second_holder": None,
                        "host": None,
                        "hosted": None,
                        "date": None,
                        "expiry_date": None,
                        "birth_date": None,
                        "issuer": None,
                        "document_number": None,
                        "ephoto_code": None,
                        "with_2ddoc": False,
                        "handwritten": False,
                        "mrz": None,
                    }
                ]
            entry: dict[str, Any] = {
                "file": f.name,
                "format": "txt" if f.broken == "notes_txt" else f.fmt,
                "capture": "phone_photo" if f.broken == "not_a_document" else "scan",
                "rotation": 0,
                "exif_orientation": None,
                "defects": [],
                "broken": "not_a_document" if f.broken in ("notes_txt", "not_a_document") else f.broken,
                "expected_error": f.broken != "not_a_document",
                "documents": documents,
            }
        else:
            data, spans, defects = _capture_file(f, rendered, settings)
            entry = {
                "file": f.name,
                "format": f.fmt,
                "capture": f.capture,
                "rotation": f.rotation,
                "exif_orientation": f.exif_orientation,
                "defects": defects,
                "broken": None,
                "expected_error": False,
                "documents": [_doc_truth(doc, pages) for doc, pages in spans],
            }
        path = folder / f.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written[f.name] = data
        files_truth.append(entry)
    if plan.stated_identity is not None:
        (folder / "candidat.json").write_text(
            json.dumps(plan.stated_identity, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    for junk in plan.junk:
        (folder / junk).write_bytes(_junk_bytes(junk, written))
    if plan.duplicate_of is not None and plan.duplicate_name is not None:
        target = folder / plan.duplicate_name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(written[plan.duplicate_of])
    truth = build_truth(plan, files_truth)
    (out / "truth" / f"{plan.dossier_id}.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return truth


def _junk_bytes(name: str, written: dict[str, bytes]) -> bytes:
    if name == ".DS_Store":
        return b"\x00\x00\x00\x01Bud1" + bytes(range(256)) * 4
    if name == "Thumbs.db":
        return bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504
    if name.startswith("~$"):
        return b"\x0bJ. Dupont" + b"\x00" * 40 + b"J. Dupont" + b"\x00" * 100
    # an interrupted browser download: the head of a real JPEG
    some_jpeg = next((data for data in written.values() if data[:3] == b"\xff\xd8\xff"), b"\xff\xd8\xff\xe0")
    return some_jpeg[: max(4, len(some_jpeg) // 3)]


def build_truth(plan: DossierPlan, files_truth: list[dict[str, Any]]) -> dict[str, Any]:
    """The truth JSON (see helpers/truth_format.md), plus the skipped junk and duplicate files."""
    applicant = plan.applicant
    stated = plan.stated_identity
    truth: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "dossier": plan.dossier_id,
        "seed": plan.seed,
        "reference_date": plan.reference.isoformat(),
        "scenarios": plan.scenarios,
        "applicant": {
            "surname": stated["surname"] if stated else upper_name(applicant.surname),
            "given_names": stated["given_names"] if stated else list(applicant.given_names),
            "birth_date": stated["birth_date"] if stated else applicant.birth_date.isoformat(),
            "nationality": stated["nationality"] if stated else applicant.nationality,
            "usage_surname": upper_name(applicant.usage_surname) if applicant.usage_surname else None,
        },
        "stated_identity_file": stated is not None,
        "expected_verdict": plan.expected_verdict,
        "expected_checks": plan.expected_checks,
        "proof_of_address": plan.proof_info,
        "files": files_truth,
        "skipped_files": list(plan.junk),
        "duplicate_files": (
            [{"file": plan.duplicate_name, "duplicate_of": plan.duplicate_of}] if plan.duplicate_name else []
        ),
    }
    return truth
