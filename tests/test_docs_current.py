"""The documents generated from code are current."""

from pathlib import Path

from pipelines.contract_doc import render

ROOT = Path(__file__).resolve().parent.parent


def test_the_data_contract_document_matches_the_code():
    written = (ROOT / "docs" / "data-contract.md").read_text(encoding="utf-8")
    assert written == render(), "run: python -m pipelines.contract_doc > docs/data-contract.md"


def test_every_mart_is_documented_in_the_warehouse_guide():
    guide = (ROOT / "docs" / "warehouse.md").read_text(encoding="utf-8")
    marts = sorted(p.stem for p in (ROOT / "pipelines" / "models" / "marts").glob("*.sql"))
    assert marts and all(f"`{m}`" in guide for m in marts), [m for m in marts if f"`{m}`" not in guide]
