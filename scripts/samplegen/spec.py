"""The contract between the scenario builder (dossiers.py) and the document renderers (documents.py).

A DocSpec says what one document must show; the renderer decides how it looks (layout, issuer styling,
fonts) from ``layout`` and its own random generator seeded by ``seed``. The truth written to
``truth/<id>.json`` comes from the DocSpec, never from reading the rendered output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Person:
    """A person of a scenario. ``given_names`` in order; ``usage_surname`` for 'épouse X'."""

    surname: str
    given_names: tuple[str, ...]
    birth_date: date
    sex: str  # 'M' or 'F'
    birth_place: str
    nationality: str = "FRA"  # ISO alpha-3
    usage_surname: str | None = None
    address_lines: tuple[str, ...] = ()  # street, (complement), 'POSTCODE TOWN'


@dataclass(frozen=True)
class DocSpec:
    """One document to render.

    type/subtype use the ids of SPEC §3 (``unknown`` with subtype 'payslip', 'bank_statement', 'receipt'
    for distractors). ``holder`` is who the document belongs to; ``second_holder`` a joint holder
    ('M. ou Mme', 'M. X et Mme Y'); ``host``/``hosted`` for attestations d'hébergement.
    ``issue_date`` is the date the rules need (invoice date, avis établi le, délivrée le, fait le…);
    decoys (due date, period, contract start) are the renderer's to invent around it.
    """

    type: str
    subtype: str | None
    holder: Person
    issue_date: date | None
    issuer: str | None = None  # 'EDF', 'Engie', 'Orange', 'DGFiP', 'Foncia'…
    expiry_date: date | None = None
    document_number: str | None = None
    second_holder: Person | None = None
    joint_style: str | None = None  # 'ou' → 'M. ou Mme X', 'et' → 'M. X et Mme Y'
    host: Person | None = None
    hosted: Person | None = None
    ephoto_code: str | None = None
    with_2ddoc: bool = False
    handwritten: bool = False
    layout: int = 0  # which of the renderer's layouts for this type/issuer
    seed: int = 0
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RenderedDoc:
    """What a renderer returns: a born-digital PDF (vector text, the text layer) of one or more pages.

    Scans and photos are made from it by rasterising and degrading (dossiers.py / capture.py).
    ``page_count`` is how many pages the PDF has.
    """

    pdf: bytes
    page_count: int
    # an ID card is rendered as front and back; for cards the PDF page is card-sized, not A4
    card: bool = False
    # optional facts the renderer invented (added by the renderers' helper; all default to empty):
    mrz: tuple[str, ...] = ()  # the MRZ lines printed, check digits valid
    document_number: str | None = None  # the number printed when spec.document_number was None
    expiry_date: date | None = None  # the expiry printed when spec.expiry_date was None
    twoddoc: str | None = None  # the exact 2D-Doc payload encoded in the DataMatrix
