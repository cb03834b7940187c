"""The evaluator's scoring rules (scripts/evaluate.py): the README's figures are only as honest as these."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from preverif.extract.mrz import parse_mrz
from preverif.records import (
    Applicant,
    Classification,
    Document,
    DossierReport,
    Fields,
    Judgement,
    ProofOfAddress,
)

# the 2021 CNI specimen of reference/ants-rules.md (TD1, three lines of 30)
BAND = (
    "IDFRAX4RTBPFW46<<<<<<<<<<<<<<<",
    "9007138F3002119FRA<<<<<<<<<<<6",
    "MARTIN<<MAELYS<GAELLE<MARIE<<<",
)


def _evaluate() -> ModuleType:
    path = Path(__file__).resolve().parents[1] / "scripts" / "evaluate.py"
    spec = importlib.util.spec_from_file_location("preverif_evaluate", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _card_side(file: str, band: tuple[str, ...] | None) -> Document:
    mrz = parse_mrz(band, today=date(2026, 11, 27)) if band else None
    return Document(
        file=file,
        pages=(1,),
        classification=Classification("identity", "cni_2021", 0.99),
        fields=Fields(mrz=mrz),
    )


def _report(documents: tuple[Document, ...]) -> DossierReport:
    judgement = Judgement(
        verdict="complete",
        checks=(),
        applicant=Applicant(surname="MARTIN"),
        proof_of_address=ProofOfAddress(None, None, None, None, False, False, False),
    )
    return DossierReport("d0000", Path("."), date(2026, 11, 27), judgement, documents, ())


def _truth(files: list[str]) -> dict[str, Any]:
    doc = {"pages": [1], "type": "identity", "subtype": "cni_2021", "holder": None, "mrz": list(BAND)}
    return {
        "dossier": "d0000",
        "expected_verdict": "complete",
        "files": [{"file": f, "capture": "scan", "rotation": 0, "documents": [dict(doc)]} for f in files],
    }


@pytest.mark.parametrize(
    ("bands", "expected"),
    [
        pytest.param({"face.jpg": None, "dos.jpg": BAND}, [True], id="band-read-on-the-back-counts-once"),
        pytest.param(
            {"face.jpg": None, "dos.jpg": None}, [False], id="band-read-on-neither-side-is-one-miss"
        ),
        pytest.param(
            {"face.jpg": None, "dos.jpg": (BAND[0], BAND[1], "MARTIN<<MAELYS<<<<<<<<<<<<<<<<")},
            [False],
            id="valid-band-with-other-names-is-a-miss",
        ),
        pytest.param({"carte.png": BAND}, [True], id="one-file-card"),
    ],
)
def test_a_card_in_two_files_scores_its_band_once(
    bands: dict[str, tuple[str, ...] | None], expected: list[bool]
) -> None:
    evaluate = _evaluate()
    scores = evaluate.Scores()
    documents = tuple(_card_side(f, b) for f, b in bands.items())
    scores.add(_report(documents), _truth(list(bands)), 0.0)
    assert scores.fields["mrz_exact"] == expected
    assert {scores.per_file[f"d0000/{f}#p1"]["mrz"] for f in bands} == set(expected)
