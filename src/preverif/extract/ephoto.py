"""The e-photo code (photo-signature numérique) printed on an approved photo-booth sheet.

ANTS publishes no check digit for it (ants-rules §1.6), so nothing can prove an O/0 or I/1 repair:
the code is reported exactly as read (spaces and dashes removed), and the shape check stays soft.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from preverif.extract.dates import ODD_INPUT_ERRORS, fold, label_regex

EPHOTO_LABELS: tuple[str, ...] = (
    "code e-photo",
    "code ephoto",
    "e-photo",
    "ephoto",
    "code photo-signature",
    "code photo signature",
    "photo-signature",
    "photo signature",
    "code ANTS",
    "ANTS",
    "code",
)
EXPECTED_LENGTH = 22
_RUN_RE = re.compile(r"[A-Z0-9](?:[A-Z0-9]|[ \-](?=[A-Z0-9])){17,34}")


def _candidates(line: str) -> list[str]:
    """Compact 20–24-character runs of capitals and digits holding both letters and digits."""
    out: list[str] = []
    for m in _RUN_RE.finditer(line):
        groups = re.split(r"[ \-]", m.group(0))
        # drop leading/trailing plain words ('CODE', 'ANTS') glued to the run by a space
        while groups and groups[0].isalpha() and len(groups[0]) > 1 and len(groups) > 1:
            if 20 <= len("".join(groups)) <= 24 and len(groups[0]) <= 4:
                break
            groups = groups[1:]
        code = "".join(groups)
        digits = sum(c.isdigit() for c in code)
        letters = sum(c.isalpha() for c in code)
        if 20 <= len(code) <= 24 and digits >= 2 and letters >= 2:
            out.append(code)
    return out


def find_ephoto_code(lines: Sequence[str]) -> str | None:
    """The e-photo code as read (20–24 alphanumerics, 22 expected), preferring one near an e-photo label."""
    try:
        clean = [x.replace("\u00a0", " ") if isinstance(x, str) else "" for x in lines]
        regexes = [label_regex(x) for x in EPHOTO_LABELS]
        label_lines: dict[int, float] = {}
        stripped: list[str] = []
        for i, line in enumerate(clean):
            folded = fold(line)
            masked = list(line)
            for weight, rx in zip(range(len(regexes), 0, -1), regexes, strict=True):
                for m in rx.finditer(folded):
                    label_lines[i] = max(label_lines.get(i, 0.0), float(weight))
                    masked[m.start() : m.end()] = " " * (m.end() - m.start())
            stripped.append("".join(masked))
        best: tuple[float, int, str] | None = None
        for i, line in enumerate(stripped):
            for code in _candidates(line.upper() if line.isupper() else line):
                score = 0.0
                if i in label_lines:
                    score += 3.0 + label_lines[i] / 10
                elif (i - 1) in label_lines or (i - 2) in label_lines:
                    score += 2.0 + label_lines.get(i - 1, label_lines.get(i - 2, 0.0)) / 10
                score += (
                    2.0
                    if len(code) == EXPECTED_LENGTH
                    else 1.0
                    if abs(len(code) - EXPECTED_LENGTH) == 1
                    else 0.0
                )
                key = (score, -i, code)
                if best is None or key[:2] > best[:2]:
                    best = key
        return best[2] if best else None
    except ODD_INPUT_ERRORS:
        return None
