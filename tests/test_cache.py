"""The analysis cache: round trips of every cached record, atomic writes, clear, damaged entries."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from preverif.ocr.cache import (
    AnalysisCache,
    barcodes_from_json,
    barcodes_to_json,
    cache_key,
    mrz_from_json,
    mrz_to_json,
    quality_from_json,
    quality_to_json,
    text_from_json,
    text_to_json,
)
from preverif.records import Barcode, Box, MrzResult, PageQuality, PageText, Word


def test_records_survive_a_round_trip() -> None:
    text = PageText(
        words=(Word("Facture", Box(1, 2, 3, 4), 91.5, 0, 1), Word("du", Box(5, 2, 3, 4), 88.0, 0, 1)),
        source="ocr",
        mean_confidence=89.75,
    )
    assert text_from_json(text_to_json(text)) == text
    quality = PageQuality(100, 200, 300.0, 12.5, 200.0, 40.0, ("photo floue, à refaire",))
    assert quality_from_json(quality_to_json(quality)) == quality
    codes = (Barcode("DataMatrix", "DC04…", Box(0, 0, 10, 10)), Barcode("QRCode", "x", None))
    assert barcodes_from_json(barcodes_to_json(codes)) == codes
    mrz = MrzResult(
        format="td1",
        lines=(
            "IDFRAX4RTBPFW46<<<<<<<<<<<<<<<",
            "9007138F3002119FRA<<<<<<<<<<<6",
            "MARTIN<<MAELYS<GAELLE<MARIE<<<",
        ),
        document_code="ID",
        issuing_state="FRA",
        surname="MARTIN",
        given_names=("MAELYS", "GAELLE", "MARIE"),
        document_number="X4RTBPFW4",
        nationality="FRA",
        birth_date=date(1990, 7, 13),
        sex="F",
        expiry_date=date(2030, 2, 11),
        issue_date=None,
        checks={"document_number": True, "composite": True},
    )
    assert mrz_from_json(mrz_to_json(mrz)) == mrz
    assert mrz_from_json(None) is None


def test_put_get_clear(tmp_path: Path) -> None:
    cache = AnalysisCache(tmp_path)
    key = cache_key("abc", "fra+eng", 300)
    assert cache.get(key) is None
    cache.put(key, {"pages": [1, 2]})
    assert cache.get(key) == {"pages": [1, 2]}
    assert cache.stats()[0] == 1
    assert cache.clear() == 1
    assert cache.get(key) is None


def test_key_changes_with_any_setting() -> None:
    assert cache_key("abc", "fra", 300) != cache_key("abc", "fra", 200)
    assert cache_key("abc", "fra", 300) != cache_key("abd", "fra", 300)


def test_a_damaged_entry_reads_as_a_miss(tmp_path: Path) -> None:
    cache = AnalysisCache(tmp_path)
    key = cache_key("x")
    cache.put(key, {"a": 1})
    path = next((tmp_path / "analysis").rglob("*.json"))
    path.write_text("{not json", encoding="utf-8")
    assert cache.get(key) is None
