"""French words for every id the reports show (types, subtypes, statuses, rule codes), in one place.

Reports, the CSV and the terminal all call these functions so that a wording is changed once. An id
without a label falls back to a readable form of the id rather than failing: a new subtype added by the
classifier must never break a report.
"""

from __future__ import annotations

from collections.abc import Mapping

TYPE_LABELS: Mapping[str, str] = {
    "identity": "Pièce d'identité",
    "proof_of_address": "Justificatif de domicile",
    "host_attestation": "Attestation d'hébergement",
    "jdc": "Document JDC",
    "assr": "ASSR / ASR",
    "photo": "Photo d'identité",
    "unknown": "Document non reconnu",
}

# 'type/subtype' → the words a back office uses for that document.
SUBTYPE_LABELS: Mapping[str, str] = {
    "unknown/payslip": "Bulletin de paie (non demandé)",
    "unknown/bank_statement": "Relevé bancaire (non accepté comme justificatif)",
    "unknown/receipt": "Ticket de caisse (non demandé)",
    "unknown/payment_call": "Appel de fonds ou de cotisation",
    "unknown/contract_or_quote": "Contrat ou devis (non accepté comme justificatif)",
    "unknown/other_admin": "Autre document administratif (non demandé)",
    "identity/cni": "Carte d'identité (ancien modèle)",
    "identity/cni_2021": "Carte d'identité (2021)",
    "identity/passport": "Passeport",
    "identity/residence_permit": "Titre de séjour",
    "identity/driving_licence": "Permis de conduire",
    "identity/foreign_id": "Pièce d'identité étrangère",
    "proof_of_address/electricity": "Facture d'électricité",
    "proof_of_address/gas": "Facture de gaz",
    "proof_of_address/water": "Facture d'eau",
    "proof_of_address/phone": "Facture de téléphone",
    "proof_of_address/internet": "Facture d'accès à internet",
    "proof_of_address/rent_receipt": "Quittance de loyer",
    "proof_of_address/tax_notice": "Avis d'impôt",
    "proof_of_address/home_insurance": "Attestation d'assurance habitation",
    "proof_of_address/property_tax": "Avis de taxe foncière",
    "proof_of_address/other": "Justificatif de domicile (autre)",
    "jdc/certificate": "Certificat de participation à la JDC",
    "jdc/exemption": "Attestation d'exemption de JDC",
    "jdc/administrative_situation": "Attestation de situation administrative (JDC)",
    "jdc/provisional": "Attestation provisoire de JDC",
    "assr/assr2": "ASSR 2",
    "assr/asr": "ASR",
    "assr/honour_statement": "Déclaration sur l'honneur (ASSR)",
    "photo/ephoto": "Planche e-photo",
    "photo/portrait": "Photo d'identité",
}

CHECK_LABELS: Mapping[str, str] = {
    "identity": "Pièce d'identité",
    "proof_of_address": "Justificatif de domicile",
    "proof_of_address_name": "Nom sur le justificatif de domicile",
    "host_chain": "Hébergement (attestation et pièces de l'hébergeant)",
    "assr": "ASSR 2 / ASR",
    "jdc": "Journée défense et citoyenneté (JDC)",
    "photo": "Photo",
    "legal_representative": "Représentant légal",
    "residence_permit": "Titre de séjour",
}

# Order in which rule codes are listed when two checks are equally severe: what blocks a filing first.
CHECK_ORDER: tuple[str, ...] = (
    "identity",
    "residence_permit",
    "proof_of_address",
    "proof_of_address_name",
    "host_chain",
    "legal_representative",
    "assr",
    "jdc",
    "photo",
)

CHECK_STATUS_LABELS: Mapping[str, str] = {
    "ok": "conforme",
    "missing": "manquant",
    "fail": "non conforme",
    "review": "à vérifier",
}

# Lower is more urgent: a missing or failing piece blocks the filing, a doubt only needs a look.
CHECK_STATUS_SEVERITY: Mapping[str, int] = {"missing": 0, "fail": 0, "review": 1, "ok": 2}

VERDICT_LABELS: Mapping[str, str] = {
    "complete": "complet",
    "incomplete": "incomplet",
    "needs_review": "à vérifier",
}

DOCUMENT_STATUS_LABELS: Mapping[str, str] = {
    "ok": "lu",
    "review": "à vérifier",
    "error": "illisible",
}

APPLICANT_SOURCE_LABELS: Mapping[str, str] = {
    "stated": "déclarée par l'auto-école",
    "documents": "lue sur les documents",
    "unknown": "inconnue",
}

SIGNATURE_STATUS_LABELS: Mapping[str, str] = {
    "verified": "signature vérifiée",
    "invalid": "signature invalide",
    "unverifiable": "signature non vérifiable",
    "absent": "pas de signature",
}

MRZ_FORMAT_LABELS: Mapping[str, str] = {
    "cni_old": "ancienne carte d'identité (2 × 36)",
    "td1": "TD1 (3 × 30)",
    "td2": "TD2 (2 × 36)",
    "td3": "passeport (2 × 44)",
}

EVIDENCE_LABELS: Mapping[str, str] = {
    "type": "type",
    "date": "date",
    "issue_date": "date",
    "expiry_date": "fin de validité",
    "birth_date": "naissance",
    "holder": "titulaire",
    "host": "hébergeant",
    "hosted": "hébergé",
    "issuer": "émetteur",
    "mrz": "MRZ",
    "2ddoc": "2D-Doc",
    "ephoto": "code e-photo",
    "ephoto_code": "code e-photo",
    "address": "adresse",
    "nationality": "nationalité",
    "document_number": "numéro",
    "signature": "signature",
}

PROBLEM_LABELS: Mapping[str, str] = {
    "empty": "fichier vide",
    "corrupt": "fichier endommagé",
    "truncated": "fichier incomplet",
    "encrypted": "PDF protégé par mot de passe",
    "unsupported": "format non pris en charge",
    "too_large": "fichier trop volumineux",
    "unsafe_path": "chemin refusé",
    "timeout": "lecture trop longue",
    "duplicate": "doublon",
    "skipped": "fichier ignoré",
}

NATIONALITY_LABELS: Mapping[str, str] = {"FRA": "française"}


def _readable(identifier: str) -> str:
    """Fallback for an id without a label: 'home_insurance' → 'home insurance'."""
    return identifier.replace("_", " ").strip()


def type_label(doc_type: str) -> str:
    """French words for a document type id."""
    return TYPE_LABELS.get(doc_type, _readable(doc_type))


def document_label(doc_type: str, subtype: str | None) -> str:
    """French words for a type and its subtype, e.g. proof_of_address/electricity → 'Facture d'électricité'."""
    if subtype:
        label = SUBTYPE_LABELS.get(f"{doc_type}/{subtype}")
        if label:
            return label
        return f"{type_label(doc_type)} ({_readable(subtype)})"
    return type_label(doc_type)


def check_label(code: str) -> str:
    """French title of a rule code."""
    return CHECK_LABELS.get(code, _readable(code).capitalize())


def check_status_label(status: str) -> str:
    """French words for ok / missing / fail / review."""
    return CHECK_STATUS_LABELS.get(status, _readable(status))


def check_sort_key(code: str, status: str) -> tuple[int, int, str]:
    """Most important first: blocking before doubtful, then the usual checklist order."""
    order = CHECK_ORDER.index(code) if code in CHECK_ORDER else len(CHECK_ORDER)
    return (CHECK_STATUS_SEVERITY.get(status, 1), order, code)


def verdict_label(verdict: str) -> str:
    """French words for complete / incomplete / needs_review."""
    return VERDICT_LABELS.get(verdict, _readable(verdict))


def document_status_label(status: str) -> str:
    """French words for a document's reading status."""
    return DOCUMENT_STATUS_LABELS.get(status, _readable(status))


def applicant_source_label(source: str) -> str:
    """Where the candidate's identity came from, in French."""
    return APPLICANT_SOURCE_LABELS.get(source, _readable(source))


def signature_status_label(status: str) -> str:
    """French words for a 2D-Doc signature status."""
    return SIGNATURE_STATUS_LABELS.get(status, _readable(status))


def mrz_format_label(fmt: str) -> str:
    """French words for an MRZ layout."""
    return MRZ_FORMAT_LABELS.get(fmt, fmt)


def evidence_label(label: str) -> str:
    """French words for what a piece of evidence supports."""
    return EVIDENCE_LABELS.get(label, _readable(label))


def problem_label(code: str) -> str:
    """French words for a file problem code."""
    return PROBLEM_LABELS.get(code, _readable(code))


def nationality_label(code: str | None) -> str:
    """'FRA' → 'française'; other ISO codes are shown as they are."""
    if not code:
        return ""
    return NATIONALITY_LABELS.get(code.upper(), code)
