"""Entry point of the renderers: one DocSpec → one born-digital PDF (deterministic from ``spec.seed``)."""

from __future__ import annotations

import random
from collections.abc import Callable

from samplegen import draw_bills, draw_identity, draw_letters, draw_notices
from samplegen.drawing import Page
from samplegen.spec import DocSpec, RenderedDoc

Renderer = Callable[[DocSpec, random.Random], Page]

_RENDERERS: dict[tuple[str, str | None], Renderer] = {
    ("identity", "cni"): draw_identity.render_cni_old,
    ("identity", "cni_2021"): draw_identity.render_cni_2021,
    ("identity", "passport"): draw_identity.render_passport,
    ("identity", "residence_permit"): draw_identity.render_residence_permit,
    ("identity", "driving_licence"): draw_identity.render_driving_licence,
    ("identity", "foreign_id"): draw_identity.render_foreign_id,
    ("proof_of_address", "electricity"): draw_bills.render_bill,
    ("proof_of_address", "gas"): draw_bills.render_bill,
    ("proof_of_address", "water"): draw_bills.render_bill,
    ("proof_of_address", "phone"): draw_bills.render_bill,
    ("proof_of_address", "internet"): draw_bills.render_bill,
    ("proof_of_address", "rent_receipt"): draw_notices.render_rent_receipt,
    ("proof_of_address", "tax_notice"): draw_notices.render_tax_notice,
    ("proof_of_address", "property_tax"): draw_notices.render_property_tax,
    ("proof_of_address", "home_insurance"): draw_notices.render_home_insurance,
    ("proof_of_address", "other"): draw_notices.render_other_proof,
    ("host_attestation", None): draw_letters.render_host_attestation,
    ("jdc", "certificate"): draw_letters.render_jdc,
    ("jdc", "exemption"): draw_letters.render_jdc,
    ("jdc", "administrative_situation"): draw_letters.render_jdc,
    ("jdc", "provisional"): draw_letters.render_jdc,
    ("assr", "assr2"): draw_letters.render_assr,
    ("assr", "asr"): draw_letters.render_assr,
    ("assr", "honour_statement"): draw_letters.render_honour_statement,
    ("photo", "ephoto"): draw_letters.render_ephoto,
    ("photo", "portrait"): draw_letters.render_portrait,
    ("unknown", "payslip"): draw_notices.render_payslip,
    ("unknown", "bank_statement"): draw_notices.render_bank_statement,
    ("unknown", "receipt"): draw_notices.render_receipt,
    ("unknown", None): draw_notices.render_payslip,
}


def supported() -> list[tuple[str, str | None]]:
    """Every (type, subtype) this module can render."""
    return list(_RENDERERS)


def render_document(spec: DocSpec) -> RenderedDoc:
    """Draw ``spec`` as a PDF at the document's physical size; unknown subtypes fall back to the type's first."""
    key = (spec.type, spec.subtype)
    renderer = _RENDERERS.get(key)
    if renderer is None:
        for (t, _s), fn in _RENDERERS.items():
            if t == spec.type:
                renderer = fn
                break
    if renderer is None:
        raise ValueError(f"type de document inconnu : {spec.type}/{spec.subtype}")
    rng = random.Random(f"{spec.seed}/{spec.type}/{spec.subtype}/{spec.layout}")
    page = renderer(spec, rng)
    pages = page.pages
    pdf = page.finish()
    return RenderedDoc(
        pdf=pdf,
        page_count=pages,
        card=spec.type == "identity",
        mrz=page.mrz,
        document_number=page.document_number,
        expiry_date=page.expiry_date,
        twoddoc=page.twoddoc,
    )
