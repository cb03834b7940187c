"""Dates: ages on birthdays, 29 February, the six-month boundary, identity validity and grace."""

from __future__ import annotations

from datetime import date

import pytest

from preverif.records import Fields, MrzResult
from preverif.rules.config import load_rules
from preverif.rules.validity import age_on, identity_accepted, identity_end_date, is_recent, months_before

RULES = load_rules()


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        pytest.param(date(2008, 3, 14), date(2026, 3, 14), 18, id="on-18th-birthday"),
        pytest.param(date(2008, 3, 14), date(2026, 3, 13), 17, id="day-before-18th-birthday"),
        pytest.param(date(2008, 2, 29), date(2026, 2, 28), 18, id="29feb-turns-18-on-28feb-non-leap"),
        pytest.param(date(2008, 2, 29), date(2026, 2, 27), 17, id="29feb-day-before-28feb"),
        pytest.param(date(2008, 2, 29), date(2028, 2, 28), 19, id="29feb-leap-year-still-19-on-28feb"),
        pytest.param(date(2008, 2, 29), date(2028, 2, 29), 20, id="29feb-leap-year-birthday"),
        pytest.param(date(2001, 11, 27), date(2026, 11, 27), 25, id="turns-25-on-reference"),
    ],
)
def test_age_on(birth: date, on: date, age: int) -> None:
    assert age_on(birth, on) == age


@pytest.mark.parametrize(
    ("reference", "cutoff"),
    [
        pytest.param(date(2026, 11, 27), date(2026, 5, 27), id="plain"),
        pytest.param(date(2027, 8, 31), date(2027, 2, 28), id="31aug-to-28feb"),
        pytest.param(date(2028, 8, 31), date(2028, 2, 29), id="31aug-to-29feb-leap"),
        pytest.param(date(2026, 3, 31), date(2025, 9, 30), id="31mar-to-30sep"),
    ],
)
def test_months_before(reference: date, cutoff: date) -> None:
    assert months_before(reference, 6) == cutoff


@pytest.mark.parametrize(
    ("issue", "reference", "recent"),
    [
        pytest.param(date(2026, 5, 27), date(2026, 11, 27), True, id="boundary-day-is-recent"),
        pytest.param(date(2026, 5, 26), date(2026, 11, 27), False, id="day-before-boundary-is-stale"),
        pytest.param(date(2027, 2, 28), date(2027, 8, 31), True, id="month-end-boundary-recent"),
        pytest.param(date(2027, 2, 27), date(2027, 8, 31), False, id="month-end-day-before-stale"),
        pytest.param(date(2028, 2, 29), date(2028, 8, 31), True, id="leap-boundary-recent"),
        pytest.param(date(2028, 2, 28), date(2028, 8, 31), False, id="leap-day-before-stale"),
    ],
)
def test_is_recent(issue: date, reference: date, recent: bool) -> None:
    assert is_recent(issue, reference) is recent


def _old_mrz(issue: date, birth: date) -> MrzResult:
    return MrzResult(
        format="cni_old",
        lines=("IDFRADOUEL<<<<<<<<<<<<<<<<<<<<932013", "0506932020438CHRISTIANE<<NI2906209F3"),
        document_code="ID",
        issuing_state="FRA",
        surname="DOUEL",
        given_names=("CHRISTIANE", "NI"),
        document_number="050693202043",
        nationality="FRA",
        birth_date=birth,
        sex="F",
        expiry_date=None,
        issue_date=issue,
        checks={"number": True, "birth": True, "composite": True},
    )


@pytest.mark.parametrize(
    ("fields", "subtype", "reference", "status", "end"),
    [
        pytest.param(
            Fields(mrz=_old_mrz(date(2005, 6, 1), date(1929, 6, 20))),
            "cni",
            date(2025, 5, 1),
            "ok",
            date(2020, 5, 31),
            id="douel-mrz-only-extended-grace-ok",
        ),
        pytest.param(
            Fields(mrz=_old_mrz(date(2005, 6, 1), date(1929, 6, 20))),
            "cni",
            date(2025, 6, 2),
            "fail",
            date(2020, 5, 31),
            id="douel-beyond-grace",
        ),
        pytest.param(
            Fields(issue_date=date(2010, 3, 10), expiry_date=date(2020, 3, 9), birth_date=date(1980, 1, 1)),
            "cni",
            date(2029, 11, 27),
            "ok",
            date(2025, 3, 9),
            id="cni-2010-adult-printed-plus5-plus-grace",
        ),
        pytest.param(
            Fields(issue_date=date(2010, 3, 10), expiry_date=date(2020, 3, 9), birth_date=date(1995, 1, 1)),
            "cni",
            date(2026, 11, 27),
            "fail",
            date(2020, 3, 9),
            id="cni-2010-minor-at-issue-no-extension",
        ),
        pytest.param(
            Fields(expiry_date=date(2018, 3, 9), birth_date=date(1970, 1, 1)),
            "cni",
            date(2026, 11, 27),
            "ok",
            date(2023, 3, 9),
            id="cni-issue-inferred-from-printed-end",
        ),
        pytest.param(
            Fields(issue_date=date(2003, 5, 5), expiry_date=date(2013, 5, 4), birth_date=date(1970, 1, 1)),
            "cni",
            date(2026, 11, 27),
            "fail",
            date(2013, 5, 4),
            id="cni-2003-before-extension-window",
        ),
        pytest.param(
            Fields(issue_date=date(2004, 1, 2), birth_date=date(1970, 1, 1)),
            "cni",
            date(2024, 1, 1),
            "ok",
            date(2019, 1, 1),
            id="cni-first-day-of-window-computed-last-accepted-day",
        ),
        pytest.param(
            Fields(expiry_date=date(2022, 1, 10)),
            "cni_2021",
            date(2026, 11, 27),
            "ok",
            date(2022, 1, 10),
            id="cni2021-expired-within-5y",
        ),
        pytest.param(
            Fields(expiry_date=date(2021, 11, 26)),
            "cni_2021",
            date(2026, 11, 27),
            "fail",
            date(2021, 11, 26),
            id="cni2021-expired-5y-and-a-day",
        ),
        pytest.param(
            Fields(expiry_date=date(2021, 11, 27)),
            "cni_2021",
            date(2026, 11, 27),
            "ok",
            date(2021, 11, 27),
            id="cni2021-grace-last-day",
        ),
        pytest.param(
            Fields(expiry_date=date(2026, 11, 26)),
            "driving_licence",
            date(2026, 11, 27),
            "fail",
            date(2026, 11, 26),
            id="licence-no-grace",
        ),
        pytest.param(
            Fields(expiry_date=date(2025, 1, 1), nationality="DEU"),
            "passport",
            date(2026, 11, 27),
            "fail",
            date(2025, 1, 1),
            id="foreign-passport-no-grace",
        ),
        pytest.param(
            Fields(expiry_date=date(2025, 1, 1), nationality="FRA"),
            "passport",
            date(2026, 11, 27),
            "ok",
            date(2025, 1, 1),
            id="french-passport-grace",
        ),
        pytest.param(
            Fields(issue_date=date(2005, 3, 1), expiry_date=date(2015, 2, 28), nationality="FRA"),
            "passport",
            date(2018, 1, 1),
            "fail",
            date(2015, 2, 28),
            id="pre2006-passport-2y-grace-exceeded",
        ),
        pytest.param(
            Fields(issue_date=date(2005, 3, 1), expiry_date=date(2015, 2, 28), nationality="FRA"),
            "passport",
            date(2017, 2, 1),
            "ok",
            date(2015, 2, 28),
            id="pre2006-passport-within-2y",
        ),
        pytest.param(Fields(), "cni_2021", date(2026, 11, 27), "review", None, id="no-date-review"),
    ],
)
def test_identity_accepted(
    fields: Fields, subtype: str, reference: date, status: str, end: date | None
) -> None:
    assert identity_end_date(fields, subtype, RULES) == end
    assert identity_accepted(fields, subtype, reference, RULES).status == status


def test_old_cni_18th_birthday_in_issue_month_is_ambiguous() -> None:
    fields = Fields(mrz=_old_mrz(date(2006, 6, 1), date(1988, 6, 20)))
    decision = identity_accepted(fields, "cni", date(2020, 1, 1), RULES)
    assert decision.validity.ambiguous
    assert decision.status == "review"


def test_junk_fields_never_crash() -> None:
    bad_mrz = _old_mrz(date(2005, 6, 1), date(1929, 6, 20))
    bad_mrz = MrzResult(**{**bad_mrz.__dict__, "checks": {"number": False}})
    decision = identity_accepted(Fields(mrz=bad_mrz), "cni", date(2026, 1, 1), RULES)
    assert decision.status == "review"  # invalid MRZ dates are not trusted
    assert identity_accepted(Fields(), None, date(2026, 1, 1), RULES).status == "review"
