"""Building the models: the order follows the SQL, and a load rebuilds only the marts whose
raw tables it changed (or whose SQL changed)."""

from __future__ import annotations

from pipelines import build
from tests import builders
from tests.builders import INSPECTION_HEADERS


def test_models_are_built_after_the_models_they_read():
    order = [m.name for m in build.build_order(build.load_models())]
    for model in build.load_models():
        for ref in build.references(model) & set(order):
            assert order.index(ref) < order.index(model.name), (ref, model.name)


def test_every_mart_traces_back_to_raw_tables():
    sources = build.raw_sources(build.load_models())
    assert sources["hazards"] >= {"raw_hazard_reports"}
    assert sources["inspections"] >= {"raw_inspections"} and "raw_hazard_reports" not in sources["inspections"]


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
