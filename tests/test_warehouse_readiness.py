"""Whether a warehouse is usable is decided once (xiaoan.warehouse.readiness): nothing loaded or
no school yet is 'empty'; a warehouse built by another version (a mart or a metric macro of this
one missing) is 'outdated'; else 'ready'. The dashboard and the export both ask it."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from tests.test_dashboard_data import APP
from xiaoan.warehouse import declared_macros, declared_marts, open_read_only, readiness


@pytest.fixture
def registry_copy(registry_warehouse, tmp_path) -> Path:
    """A copy of the warehouse holding the small registry (built by this version)."""
    shutil.copytree(registry_warehouse, tmp_path / "wh")
    return tmp_path / "wh" / "warehouse.duckdb"


def state(path: Path) -> str:
    con = open_read_only(path)
    try:
        return readiness(con)
    finally:
        con.close()


def change(path: Path, sql: str) -> None:
    con = duckdb.connect(str(path))
    try:
        con.execute(sql)
    finally:
        con.close()


def test_a_warehouse_with_the_registry_is_ready(registry_copy):
    assert state(registry_copy) == "ready"


def test_a_warehouse_with_nothing_loaded_is_empty(tmp_path):
    change(tmp_path / "blank.duckdb", "select 1")
    assert state(tmp_path / "blank.duckdb") == "empty"


def test_a_registry_without_schools_is_empty(registry_copy):
    change(registry_copy, "delete from schools")
    assert state(registry_copy) == "empty"


def test_a_missing_metric_macro_means_outdated(registry_copy):
    change(registry_copy, "drop macro table overdue_by_dept")
    assert state(registry_copy) == "outdated"


def test_a_missing_mart_means_outdated(registry_copy):
    change(registry_copy, "drop table villages")
    assert state(registry_copy) == "outdated"


def test_what_is_required_is_read_from_the_models():
    assert {"schools", "hazards", "rejected_rows"} <= declared_marts()
    assert {"hazard_states", "rate", "town_scores", "needs_attention"} <= declared_macros()


def test_the_dashboard_asks_for_a_rebuild_of_an_outdated_warehouse(registry_copy, monkeypatch):
    change(registry_copy, "drop macro table overdue_by_dept")
    monkeypatch.setenv("XIAOAN_WAREHOUSE", str(registry_copy))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "欢迎使用校安看板" in [t.value for t in at.title]
    assert any("xiaoan rebuild" in i.value for i in at.info)
