"""Building the models: the order follows the SQL, and a load rebuilds only the marts whose
raw tables it changed (or whose SQL changed)."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines import catalog
from pipelines.publish import build, ingest
from pipelines.ingest.load import RAW_TABLE
from tests import builders
from tests.builders import INSPECTION_HEADERS
from xiaoan.warehouse import next_version, open_read_only, writer_lock


def test_models_are_built_after_the_models_they_read():
    order = [m.name for m in catalog.build_order(catalog.load_models())]
    for model in catalog.load_models():
        for ref in catalog.references(model) & set(order):
            assert order.index(ref) < order.index(model.name), (ref, model.name)


def test_every_mart_traces_back_to_raw_tables():
    sources = catalog.raw_sources(catalog.load_models())
    assert sources["hazards"] >= {"raw_hazard_reports"}
    assert sources["inspections"] >= {"raw_inspections"} and "raw_hazard_reports" not in sources["inspections"]


def test_references_are_what_the_query_reads_not_what_its_text_mentions():
    sql = """
        -- join villages
        with departments as (select * from departments where dept_name <> 'from towns'),
             named as (select d.dept_code from departments d, schools s /* join villages */)
        select * from named, raw_meetings m
    """
    assert catalog.references(catalog.Model("probe", "marts", sql)) == {"departments", "schools", "raw_meetings"}


def test_a_model_does_not_depend_on_itself():
    model = catalog.Model("hazards", "marts", "with hazards as (select * from int_hazard_reports_deduped) select * from hazards")
    assert catalog.references(model) == {"int_hazard_reports_deduped"}


def test_raw_not_nulls_come_from_raw_sql():
    """What the parse of raw.sql gives is what DuckDB itself enforces on the tables it creates."""
    con = duckdb.connect()
    build.create_raw_tables(con)
    for table in RAW_TABLE.values():
        enforced = con.execute("select column_name from duckdb_columns() where table_name = ? and not is_nullable "
                               "order by column_index", [table]).fetchall()
        assert catalog.raw_not_null(table) == tuple(c for (c,) in enforced if c not in catalog.BOOKKEEPING), table
    assert catalog.raw_not_null("raw_hazard_reports")[:2] == ("hazard_id", "school_code")


def test_parsed_json_holds_what_parsing_the_models_gives_now():
    """models/parsed.json, read instead of parsing, is current (after editing a model: run
    scripts/write_parsed_models.py)."""
    kept = json.loads((catalog.SQL_MODELS_DIR / catalog.PARSED).read_text(encoding="utf-8"))
    assert kept == catalog.parsed_now()


def test_the_models_as_shipped_need_no_parser_but_other_sql_is_parsed():
    """A process reading the shipped models imports no sqlglot; SQL the file does not hold (an
    edited model) is parsed, and the two ways agree."""
    code = ("import sys; from pipelines import catalog as c; c.build_order(c.load_models()); "
            "c.raw_sources(c.load_models()); c.raw_not_null('raw_hazard_reports'); print('sqlglot' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.stdout.strip() == "False"
    edited = "with raw_towns as (select 1 as x) select * from raw_towns, raw_schools s"
    assert catalog._sql_references(edited) == {"raw_schools"}
    for model in catalog.load_models():
        assert catalog._sql_references(model.sql) == catalog._parse_references(model.sql)


def test_raw_not_nulls_leave_out_the_bookkeeping_columns():
    assert not set(catalog.raw_not_null("raw_hazard_reports")) & {"ingest_id", "sheet_index", "row"}


def mart_versions(query) -> dict[str, str]:
    """mart → the last ingest id when it was built (kept in warehouse_meta)."""
    return {k.removeprefix("built:"): v for k, v in query("select key, value from warehouse_meta where key like 'built:%'")}


def test_a_hazard_ledger_rebuilds_the_hazard_marts_and_leaves_the_others(load, query, tmp_path):
    load(builders.xlsx(tmp_path / "i.xlsx", INSPECTION_HEADERS, [["I1", "2026-03-03", "D01", "S01", "日常检查", None, None, 0, 90]]))
    before = mart_versions(query)
    load(builders.xlsx(tmp_path / "h.xlsx", builders.HAZARD_HEADERS, [builders.hazard("H1")]))
    after = mart_versions(query)
    assert after["hazards"] != before["hazards"] and after["hazard_reports"] != before["hazard_reports"]
    assert after["ingest_log"] != before["ingest_log"]
    assert after["inspections"] == before["inspections"] and after["schools"] == before["schools"]
    assert query("select count(*) from inspections") == [(1,)] and query("select count(*) from hazards") == [(1,)]


def test_a_changed_model_is_rebuilt_even_when_no_data_changed(load, query, warehouse, tmp_path):
    import duckdb

    load(builders.xlsx(tmp_path / "h.xlsx", builders.HAZARD_HEADERS, [builders.hazard("H1")]))
    con = duckdb.connect(str(warehouse))
    try:
        con.execute("update warehouse_meta set value = 'stale' where key = 'model:schools'")
        con.execute("update warehouse_meta set value = '-1' where key in ('built:schools', 'built:hazards')")
        build.build_models(con, changed=set())
        built = dict(con.sql("select key, value from warehouse_meta where key in ('built:schools', 'built:hazards')").fetchall())
        assert built["built:schools"] != "-1"  # its SQL changed: rebuilt
        assert built["built:hazards"] == "-1"  # nothing changed: left alone
    finally:
        con.close()


def test_every_model_has_a_schema_file_and_back():
    models = {(m.layer, m.name) for m in catalog.load_models()}
    files = {(layer, path.stem) for layer in catalog.LAYERS for path in (catalog.SQL_MODELS_DIR / layer).glob("*.toml")}
    assert models == files


def test_every_model_keeps_its_schema_file(load, warehouse, tmp_path):
    """Views are not checked at build: here, over a small district with hazards, inspections
    and meetings, every model (views and marts) holds what its schema file says."""
    load(builders.xlsx(tmp_path / "h.xlsx", builders.HAZARD_HEADERS, [builders.hazard("H1"), builders.hazard("H2")]),
         builders.xlsx(tmp_path / "i.xlsx", INSPECTION_HEADERS, [["I1", "2026-03-03", "D01", "S01", "日常检查", None, None, 0, 90]]))
    con = open_read_only(warehouse)
    try:
        assert con.sql("select count(*) from hazards").fetchall() == [(2,)]
        problems = [p for m in catalog.load_models() for p in catalog.schema_problems(con, catalog.load_schema(m), m.layer)]
    finally:
        con.close()
    assert problems == []


def _models_copy(tmp_path: Path) -> Path:
    root = tmp_path / "models"
    shutil.copytree(catalog.SQL_MODELS_DIR, root)
    return root


def test_a_broken_mart_fails_the_build_and_keeps_the_live_version(load, warehouse, tmp_path):
    load(builders.xlsx(tmp_path / "h.xlsx", builders.HAZARD_HEADERS, [builders.hazard("H1"), builders.hazard("H2")]))
    root = _models_copy(tmp_path)
    schema = root / "marts" / "hazards.toml"
    schema.write_text(schema.read_text(encoding="utf-8").replace(
        'found_by_code           = { type = "VARCHAR" }', 'found_by_code           = { type = "VARCHAR", not_null = true }'),
        encoding="utf-8")
    live = warehouse.read_bytes()
    with pytest.raises(build.SchemaError, match=r"^marts/hazards: 2 rows with null found_by_code$"):
        with writer_lock(warehouse), next_version(warehouse) as con:
            con.execute("update warehouse_meta set value = 'stale' where key = 'model:hazards'")
            build.build_models(con, root=root, changed=set())
    assert warehouse.read_bytes() == live
    assert [p.name for p in warehouse.parent.iterdir() if p.name.startswith(f".{warehouse.name}.next-")] == []


def test_the_build_checks_key_words_and_columns(load, warehouse, tmp_path):
    load(builders.xlsx(tmp_path / "h.xlsx", builders.HAZARD_HEADERS, [builders.hazard("H1"), builders.hazard("H2")]))
    root = _models_copy(tmp_path)
    sql = root / "marts" / "hazards.sql"
    con = duckdb.connect(str(warehouse))
    try:
        sql.write_text(sql.read_text(encoding="utf-8").replace("select * from final", "select * replace ('H1' as hazard_id, '特大' as level) from final"),
                       encoding="utf-8")
        with pytest.raises(build.SchemaError) as broken:
            build.build_models(con, root=root, changed=set())
        assert str(broken.value) == ("marts/hazards: 1 rows repeating the key of another row (hazard_id); "
                                     "marts/hazards: 2 rows whose level is not one of LEVELS")
        sql.write_text(sql.read_text(encoding="utf-8").replace("select * replace ('H1' as hazard_id, '特大' as level) from final",
                                                               "select * exclude (measures) from final"), encoding="utf-8")
        with pytest.raises(build.SchemaError, match=r"^marts/hazards: columns .* differ from its schema file"):
            build.build_models(con, root=root, changed=set())
    finally:
        con.close()


def _macro_sql(con, name: str) -> str:
    return con.execute("select any_value(macro_definition) from duckdb_functions() where function_name = ?", [name]).fetchall()[0][0]


def test_unchanged_macros_are_not_created_again_and_the_new_version_keeps_them(load, query, warehouse, tmp_path):
    """The macros live in the warehouse file: a load whose macro files are the ones the live
    version was built with keeps them as they are (and they still give the figures)."""
    load(builders.xlsx(tmp_path / "h.xlsx", builders.HAZARD_HEADERS, [builders.hazard("H1")]))
    con = duckdb.connect(str(warehouse))
    try:
        assert build.create_macros(con) is False  # already there, same files
    finally:
        con.close()
    load(builders.xlsx(tmp_path / "h2.xlsx", builders.HAZARD_HEADERS, [builders.hazard("H2")]))
    assert query("select count(*) from hazards_as_of(current_date)") == [(2,)]
    assert {n for (n,) in query("select function_name from duckdb_functions() where macro_definition is not null")} >= catalog.declared_macros()


def test_a_changed_or_missing_macro_is_created_again(load, warehouse, tmp_path):
    load(builders.xlsx(tmp_path / "h.xlsx", builders.HAZARD_HEADERS, [builders.hazard("H1")]))
    root = _models_copy(tmp_path)
    con = duckdb.connect(str(warehouse))
    try:
        path = root / "metrics" / "01_helpers.sql"
        path.write_text(path.read_text(encoding="utf-8") + "\ncreate or replace macro probe_macro() as 41 + 1;\n", encoding="utf-8")
        assert build.create_macros(con, root) is True  # a file changed: every macro again
        assert con.sql("select probe_macro()").fetchall() == [(42,)]
        assert build.create_macros(con, root) is False
        con.execute("drop macro hazards_as_of")  # the fingerprint alone is not trusted
        assert build.create_macros(con, root) is True
        assert "hazard_states" in _macro_sql(con, "hazards_as_of")
    finally:
        con.close()


def test_views_are_created_again_only_when_a_model_file_or_raw_sql_changed(load, warehouse, tmp_path):
    load(builders.xlsx(tmp_path / "h.xlsx", builders.HAZARD_HEADERS, [builders.hazard("H1")]))
    con = duckdb.connect(str(warehouse))
    try:
        def view_sql() -> str:
            return con.execute("select sql from duckdb_views() where view_name = 'stg_schools'").fetchall()[0][0]

        con.execute("create or replace view stg_schools as select * from raw_schools where false")  # a marker
        build.build_models(con, layers=("staging", "intermediate"))
        assert "where false" in view_sql().lower()  # same files: left as it was
        root = _models_copy(tmp_path)
        path = root / "staging" / "stg_schools.sql"
        path.write_text("-- edited\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
        build.build_models(con, root=root, layers=("staging", "intermediate"))
        assert "where false" not in view_sql().lower()  # a model file changed: every view again
        con.execute("drop view stg_towns")
        build.build_models(con, root=root, layers=("staging", "intermediate"))
        assert con.sql("select count(*) from stg_towns").fetchall() == [(2,)]  # a missing view is created
    finally:
        con.close()


def test_a_first_load_creates_its_macros_beside_the_checks_and_builds_the_same_warehouse(warehouse, tmp_path, monkeypatch):
    """A first load binds the macros on a cursor of its own while its rows are checked (against
    marts created empty from their schema files); the marts built after replace those, and
    build_models finds the macros current."""
    calls: list[tuple[str, bool]] = []
    ahead, create = build.create_macros_ahead, build.create_macros

    def spy_ahead(con, *args):
        created = ahead(con, *args)
        calls.append(("ahead:" + threading.current_thread().name.split("_")[0], created))
        return created

    def spy_create(con, *args):
        created = create(con, *args)
        calls.append(("build_models", created))
        return created

    monkeypatch.setattr(build, "create_macros_ahead", spy_ahead)
    monkeypatch.setattr(build, "create_macros", spy_create)
    registry = builders.registry_workbook(tmp_path / "登记册.xlsx")
    ledger = builders.xlsx(tmp_path / "h.xlsx", builders.HAZARD_HEADERS, [builders.hazard("H1"), builders.hazard("H2")])
    ingest([registry, ledger], warehouse)
    # created ahead, on the macros' thread (True); then build_models' call finds them current (False)
    assert ("ahead:xiaoan-macros", True) in calls and calls[-1] == ("build_models", False)
    con = open_read_only(warehouse)
    try:
        assert {n for (n,) in con.sql("select function_name from duckdb_functions() "
                                      "where macro_definition is not null").fetchall()} >= catalog.declared_macros()
        assert con.sql("select count(*) from hazards_as_of(current_date)").fetchall() == [(2,)]
        assert con.sql("select count(*) from hazards").fetchall() == [(2,)]
    finally:
        con.close()
    calls.clear()
    ingest([builders.xlsx(tmp_path / "h2.xlsx", builders.HAZARD_HEADERS, [builders.hazard("H3")])], warehouse)
    assert calls == [("ahead:xiaoan-macros", False), ("build_models", False)]  # the next load: nothing to bind


def test_macros_created_ahead_bind_against_marts_made_from_their_schema_files(tmp_path):
    """On a warehouse with raw tables and views only, every mart is created empty with exactly
    its schema file's columns, and every macro binds against them."""
    path = tmp_path / "w.duckdb"
    with writer_lock(path), next_version(path) as con:
        build.create_raw_tables(con)
        build.build_models(con, layers=("staging", "intermediate"))
        assert build.create_macros_ahead(con) is True
        for model in catalog.load_models():
            if model.layer == "marts":
                schema = catalog.load_schema(model)
                assert catalog.schema_problems(con, schema, "marts") == [], model.name
        assert build.create_macros_ahead(con) is False  # current now
        assert build.create_macros(con) is False


def test_a_broken_macro_created_ahead_fails_the_load_and_keeps_the_live_version(load, warehouse, tmp_path, monkeypatch):
    load(builders.xlsx(tmp_path / "h.xlsx", builders.HAZARD_HEADERS, [builders.hazard("H1")]))
    root = _models_copy(tmp_path)
    path = root / "metrics" / "01_helpers.sql"
    path.write_text(path.read_text(encoding="utf-8") + "\ncreate or replace macro broken_probe() as table select * from no_such_table;\n",
                    encoding="utf-8")
    monkeypatch.setattr(build, "SQL_MODELS_DIR", root)
    ahead = build.create_macros_ahead
    monkeypatch.setattr(build, "create_macros_ahead", lambda con, r=root: ahead(con, r))
    live = warehouse.read_bytes()
    with pytest.raises(duckdb.CatalogException, match="no_such_table"):
        load(builders.xlsx(tmp_path / "h2.xlsx", builders.HAZARD_HEADERS, [builders.hazard("H2")]))
    assert warehouse.read_bytes() == live
