"""French wording helpers shared by the renderers: dates, amounts, civilities and name lines."""

from __future__ import annotations

import random
from datetime import date, timedelta

from samplegen.spec import DocSpec, Person

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
MONTHS_ABBR = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)
DATE_STYLES = ("slash", "long", "abbr", "dot")


def fr_date(d: date, style: str = "slash") -> str:
    """'12/03/2026', '12 mars 2026' ('1er mars 2026'), '3 janv. 2026', '12.03.2026', '12 03 2026'."""
    if style == "long":
        day = "1er" if d.day == 1 else str(d.day)
        return f"{day} {MONTHS[d.month - 1]} {d.year}"
    if style == "abbr":
        return f"{d.day} {MONTHS_ABBR[d.month - 1]} {d.year}"
    if style == "dot":
        return d.strftime("%d.%m.%Y")
    if style == "space":
        return d.strftime("%d %m %Y")
    return d.strftime("%d/%m/%Y")


def all_date_forms(d: date) -> list[str]:
    """Every form fr_date can produce (for tests and truth checks)."""
    return [fr_date(d, s) for s in (*DATE_STYLES, "space")] + [d.strftime("%d-%m-%Y"), d.isoformat()]


def fr_money(amount: float, symbol: bool = True) -> str:
    """'1 234,56 €' (ordinary spaces: OCR reads them back identically)."""
    neg = amount < 0
    cents = round(abs(amount) * 100)
    units, frac = divmod(cents, 100)
    groups = f"{units:,}".replace(",", " ")
    text = f"{'-' if neg else ''}{groups},{frac:02d}"
    return f"{text} €" if symbol else text


def add_months(d: date, months: int) -> date:
    """Same day n months later, clamped to the month's end."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return date(year, month, 28)


def add_years(d: date, years: int) -> date:
    """Same date n years later (29 Feb → 28 Feb)."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def civility(p: Person) -> str:
    return "M." if p.sex == "M" else "Mme"


def given_display(p: Person, first_only: bool = False) -> str:
    return p.given_names[0] if first_only and p.given_names else " ".join(p.given_names)


def person_line(
    p: Person, rng: random.Random, with_civility: bool = True, surname_first: bool = False
) -> str:
    """One person as printed on a letter: civility, given name, SURNAME, with 'épouse'/'née' usage names."""
    given = given_display(p, first_only=rng.random() < 0.6)
    civ = f"{civility(p)} " if with_civility else ""
    if p.usage_surname:
        if rng.random() < 0.5:
            core = f"{given} {p.usage_surname.upper()} née {p.surname.upper()}"
        else:
            core = f"{given} {p.surname.upper()} épouse {p.usage_surname.upper()}"
        if surname_first:
            core = f"{p.usage_surname.upper()} née {p.surname.upper()} {given}"
    elif surname_first:
        core = f"{p.surname.upper()} {given}"
    else:
        core = f"{given} {p.surname.upper()}"
    return civ + core


def recipient_line(spec: DocSpec, rng: random.Random, surname_first: bool = False) -> str:
    """The addressee line of a bill: single holder or joint holders per ``joint_style``."""
    h = spec.holder
    s = spec.second_holder
    if s is None:
        return person_line(h, rng, surname_first=surname_first)
    if spec.joint_style == "ou":
        first, second = (h, s) if h.sex == "M" else (s, h)
        civs = f"{civility(first)} ou {civility(second)}"
        return f"{civs} {given_display(h, True)} {h.surname.upper()}"
    return f"{person_line(h, rng)} et {person_line(s, rng)}"


def address_lines(p: Person) -> list[str]:
    """The holder's address lines, or a plausible default so a layout never collapses."""
    return list(p.address_lines) or ["12 rue de la République", "69002 LYON"]


def digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def alnum(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(n))


def town_of(p: Person) -> str:
    """Town part of the last address line ('69002 LYON' → 'Lyon')."""
    last = address_lines(p)[-1]
    parts = last.split(" ", 1)
    town = parts[1] if len(parts) == 2 and parts[0].isdigit() else last
    return town.title()


def shifted(d: date, days: int) -> date:
    return d + timedelta(days=days)
