"""Dates: age on a day, 'less than six calendar months', and the real end of an identity document.

Policy decisions (documented because they are law, not code):

* Age is counted from birthday to birthday with ``dateutil.relativedelta``. A person born on 29 February
  turns a year older on 28 February in non-leap years: the circulaire of the Ministry of the Interior of
  25 July 2013 (electoral lists) says « une personne née le 29 février … atteindra sa majorité au dernier
  jour de février », in line with art. 641 of the Code de procédure civile (a period in years ends on the
  last day of the month when the same day does not exist). relativedelta computes exactly that.
* « de moins de 6 mois »: six calendar months before the reference date with relativedelta (31 August →
  28/29 February). The boundary day itself counts as recent: ``issue >= reference - 6 months``.
* A document 'expired for less than N years' on the reference date R is accepted when R <= end + N years,
  ``end`` being its last valid day.
* When only a period of validity is known, the end is ``issue + N years - 1 day`` (a new CNI issued
  2020-02-12 expires 2030-02-11).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from dateutil.relativedelta import relativedelta

from preverif.records import CheckStatus, Fields
from preverif.rules.config import Rules

OLD_CNI_LAST_PRINTED_END_OF_SHORT_CARDS = date(2024, 1, 1)  # cards issued before 2014 ended by then


def age_on(birth: date, on: date) -> int:
    """Completed years of a person born on ``birth`` at ``on`` (29 February → 28 February, see module doc)."""
    return relativedelta(on, birth).years


def months_before(reference: date, n: int) -> date:
    """``reference`` minus ``n`` calendar months, clamped to the month's end (31 August - 6 → 28/29 February)."""
    return reference - relativedelta(months=n)


def is_recent(issue: date, reference: date, months: int = 6) -> bool:
    """Issued at most ``months`` calendar months before ``reference``; the boundary day is recent."""
    return issue >= months_before(reference, months)


def add_years(day: date, years: int) -> date:
    """``day`` plus ``years`` (29 February → 28 February)."""
    return day + relativedelta(years=years)


@dataclass(frozen=True)
class IdentityValidity:
    """The real end of validity of an identity document and until when the permis accepts it."""

    end: date | None  # last valid day (old CNI: with the +5-year extension when it applies)
    printed_end: date | None
    accepted_until: date | None  # end + grace years
    grace_years: int
    extended: bool = False  # old CNI +5 years applied
    ambiguous: bool = False  # could not tell (e.g. 18th birthday in the issue month)
    basis: str = ""  # how the end was found: 'mrz', 'imprimée', 'calculée'…


@dataclass(frozen=True)
class IdentityDecision:
    """Whether an identity document is accepted at the reference date, with the reason's key."""

    status: CheckStatus
    reason: Literal["valid", "grace", "expired", "no_date", "ambiguous"]
    validity: IdentityValidity


def _issue_date(fields: Fields) -> date | None:
    if fields.issue_date is not None:
        return fields.issue_date
    if fields.mrz is not None and fields.mrz.valid:
        return fields.mrz.issue_date
    return None


def _birth_date(fields: Fields) -> date | None:
    if fields.birth_date is not None:
        return fields.birth_date
    if fields.mrz is not None and fields.mrz.valid:
        return fields.mrz.birth_date
    return None


def _issuing_state(fields: Fields) -> str | None:
    if fields.mrz is not None and fields.mrz.valid and fields.mrz.issuing_state:
        return fields.mrz.issuing_state
    return fields.nationality


def identity_grace_years(fields: Fields, subtype: str | None, rules: Rules) -> int | None:
    """Years an expired document stays accepted; None when it depends on something unread (passport's state)."""
    grace = rules.grace_years_french
    if subtype in ("cni", "cni_2021"):
        return grace.get(subtype, 0)
    if subtype == "passport":
        state = _issuing_state(fields)
        if state is None:
            return None
        if state not in rules.french_issuing_states:
            return rules.grace_years_foreign
        issue = _issue_date(fields)
        if issue is None and fields.expiry_date is not None:
            issue = add_years(fields.expiry_date, -rules.passport_validity_years) + timedelta(days=1)
        if issue is not None and issue < rules.passport_pre2006_issued_before:
            return grace.get("passport_pre2006", 0)
        return grace.get("passport", 0)
    if subtype == "foreign_id":
        return rules.grace_years_foreign
    return grace.get(subtype or "", 0)


def identity_validity(fields: Fields, subtype: str | None, rules: Rules) -> IdentityValidity:
    """The real end of validity (old CNI rule, MRZ expiry, printed expiry) and the grace that applies."""
    grace = identity_grace_years(fields, subtype, rules)
    grace_years = grace if grace is not None else 0
    if subtype == "cni":
        return _old_cni_validity(fields, rules, grace_years)
    end: date | None = None
    basis = ""
    if fields.mrz is not None and fields.mrz.valid and fields.mrz.expiry_date is not None:
        end, basis = fields.mrz.expiry_date, "mrz"
    elif fields.expiry_date is not None:
        end, basis = fields.expiry_date, "imprimée"
    elif subtype == "cni_2021" and fields.issue_date is not None:
        end = add_years(fields.issue_date, rules.cni_2021_validity_years) - timedelta(days=1)
        basis = "calculée"
    accepted = add_years(end, grace_years) if end is not None and grace is not None else None
    return IdentityValidity(end, end, accepted, grace_years, basis=basis, ambiguous=grace is None)


def _old_cni_validity(fields: Fields, rules: Rules, grace_years: int) -> IdentityValidity:
    """Old card: printed end, else issue + 10/15 years; +5 years if issued 2004-01-02..2013-12-31 to an adult."""
    cni = rules.cni_old
    issue = fields.issue_date
    month_only = False
    if issue is None and fields.mrz is not None and fields.mrz.valid and fields.mrz.issue_date is not None:
        issue, month_only = fields.mrz.issue_date, True
    birth = _birth_date(fields)
    printed = fields.expiry_date
    basis = "imprimée" if printed is not None else ""
    if issue is None and printed is not None and printed < OLD_CNI_LAST_PRINTED_END_OF_SHORT_CARDS:
        issue = add_years(printed + timedelta(days=1), -cni.validity_years_before_2014)
    if printed is None and issue is not None:
        adult = birth is not None and age_on(birth, issue) >= cni.adult_age_at_issue
        if issue < cni.long_validity_from:
            years = cni.validity_years_before_2014
        else:
            years = cni.validity_years_adult_from_2014 if adult else cni.validity_years_minor
        printed = add_years(issue, years) - timedelta(days=1)
        basis = "calculée"
    if printed is None:
        return IdentityValidity(None, None, None, grace_years, basis="")
    end, extended, ambiguous = printed, False, False
    if issue is not None and cni.extension_issued_from <= issue <= cni.extension_issued_to:
        if birth is None:
            ambiguous = True
        else:
            eighteen = add_years(birth, cni.adult_age_at_issue)
            if month_only and (eighteen.year, eighteen.month) == (issue.year, issue.month):
                ambiguous = True
            elif issue >= eighteen:
                end, extended = add_years(printed, cni.extension_years), True
    return IdentityValidity(
        end, printed, add_years(end, grace_years), grace_years, extended, ambiguous, basis
    )


def identity_end_date(fields: Fields, subtype: str | None, rules: Rules) -> date | None:
    """The real last valid day of an identity document, or None when no date could be read."""
    return identity_validity(fields, subtype, rules).end


def identity_accepted(fields: Fields, subtype: str | None, reference: date, rules: Rules) -> IdentityDecision:
    """Is the document accepted for the permis on ``reference``? Unreadable dates give 'review', not 'fail'."""
    validity = identity_validity(fields, subtype, rules)
    if validity.end is None:
        return IdentityDecision("review", "no_date", validity)
    if reference <= validity.end:
        return IdentityDecision("ok", "valid", validity)
    if validity.ambiguous or validity.accepted_until is None:
        extra = rules.cni_old.extension_years if subtype == "cni" else 0
        widest = add_years(validity.end, extra + max(rules.grace_years_french.values(), default=0))
        if reference > widest:
            return IdentityDecision("fail", "expired", validity)
        return IdentityDecision("review", "ambiguous", validity)
    if reference <= validity.accepted_until:
        return IdentityDecision("ok", "grace", validity)
    return IdentityDecision("fail", "expired", validity)
