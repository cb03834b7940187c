"""Which organisation issued a document, from a list of known issuers (EDF, Free, DGFiP…).

Names are looked for where issuers print them: the header (logo text, sender block) and the legal
footer ('Free SAS au capital de …', 'RCS'). A name met only inside the body counts for little,
so 'Total facture' does not make TotalEnergies the issuer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from preverif.extract.dates import ODD_INPUT_ERRORS, fold

_LEGAL_RE = re.compile(r"\b(?:capital|rcs|r\.c\.s|siret|siren|siege social|tva intra|sas|sa|sarl)\b")


def _issuer_regex(name: str) -> re.Pattern[str]:
    body = r"\s*".join(re.escape(part) for part in fold(name).split())
    return re.compile(r"(?<![a-z0-9])" + body + r"(?![a-z0-9])")


def find_issuer(lines: Sequence[str], known_issuers: Sequence[str]) -> str | None:
    """The strongest known issuer name (as spelled in ``known_issuers``), or None."""
    try:
        clean = [x if isinstance(x, str) else "" for x in lines]
        names = [n for n in known_issuers if isinstance(n, str) and fold(n).strip()]
        if not clean or not names:
            return None
        total = len(clean)
        scores: dict[str, float] = {}
        first_seen: dict[str, int] = {}
        for name in names:
            rx = _issuer_regex(name)
            for i, line in enumerate(clean):
                folded = fold(line)
                for m in rx.finditer(folded):
                    weight = 0.5
                    if i < max(6, total * 0.25):
                        weight = 2.0
                    if _LEGAL_RE.search(folded):
                        weight = max(weight, 3.0)
                    elif i >= total * 0.75:
                        weight = max(weight, 1.0)
                    # a capitalised mention ('Free', 'EDF') is the brand; 'free' in a sentence is not
                    if line[m.start() : m.end()][:1].isupper():
                        weight += 0.5
                    scores[name] = scores.get(name, 0.0) + weight
                    first_seen.setdefault(name, i)
        if not scores:
            return None
        # longer names first on ties ('Engie' vs 'Engie Home Services')
        best = max(scores, key=lambda n: (scores[n], -first_seen[n], len(n)))
        return best if scores[best] >= 1.0 else None
    except ODD_INPUT_ERRORS:
        return None
