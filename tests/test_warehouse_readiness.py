"""Whether a warehouse is usable is decided once (xiaoan.warehouse.readiness): nothing loaded or
no school yet is 'empty'; a warehouse built by another version (a mart or a metric macro of this
one missing) is 'outdated'; else 'ready'. The dashboard and the export both ask it, with the marts
and macros pipelines/catalog.py reads from the models: the core never parses pipelines/models."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from tests.test_dashboard_data import APP
from pipelines.catalog import declared_macros, declared_marts
from xiaoan.i18n import t
from xiaoan.warehouse import open_read_only, readiness
from tests.data_apptest import as_served  # noqa: F401 (autouse: the app as xiaoan serve runs it)

CORE = Path(__file__).resolve().parents[1] / "xiaoan"


@pytest.fixture
def registry_copy(registry_warehouse, tmp_path) -> Path:
    """A copy of the warehouse holding the small registry (built by this version)."""
    shutil.copytree(registry_warehouse, tmp_path / "wh")
    return tmp_path / "wh" / "warehouse.duckdb"


def state(path: Path) -> str:
    con = open_read_only(path)
    try:
        return readiness(con, declared_marts(), declared_macros())
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


def test_a_macro_is_what_the_sql_creates_not_a_word_in_a_comment_or_a_string(tmp_path):
    (tmp_path / "metrics").mkdir()
    (tmp_path / "metrics" / "01_x.sql").write_text(
        "-- create macro in_a_comment(x) as x\n"
        "create or replace macro real_one(x) as 'create macro in_a_string() as 1';\n"
        "create temp macro temporary_one(x) as table select x", encoding="utf-8")
    assert declared_macros(tmp_path) == {"real_one", "temporary_one"}


def test_no_core_module_reads_the_models_but_the_fingerprint_of_the_cache():
    """Only config (which names the folder) and xiaoan/precomputed.py (which hashes the metric
    files' bytes for the cache's fingerprint, never reading what they declare) touch SQL_MODELS_DIR."""
    readers = set()
    for path in CORE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        names |= {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
        names |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        if "SQL_MODELS_DIR" in names:
            readers.add(path.relative_to(CORE).as_posix())
    assert readers == {"config.py", "precomputed.py"}


def test_the_dashboard_asks_for_a_rebuild_of_an_outdated_warehouse(registry_copy, monkeypatch):
    change(registry_copy, "drop macro table overdue_by_dept")
    monkeypatch.setenv("XIAOAN_WAREHOUSE", str(registry_copy))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert t("dash.welcome.title") in [title.value for title in at.title]
    assert any("xiaoan rebuild" in i.value for i in at.info)
