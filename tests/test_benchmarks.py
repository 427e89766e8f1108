"""The dashboard benchmark measures what the pages really ask: every Metrics call a view makes
is in benchmarks.dashboard_queries.page_calls for that page, and every listed call runs."""

from __future__ import annotations

from dataclasses import replace

from benchmarks.dashboard_queries import call, called_names, page_calls
from tests.metrics_data import F, district, m, metrics_for  # noqa: F401 (fixtures)

SOME = {"town": "T01", "school": "S01", "dept": "D01", "hazard": "H1"}


def test_every_metric_a_page_calls_is_benchmarked_for_that_page():
    listed = {page: {name for _, name, _ in calls} for page, calls in page_calls(SOME).items()}
    called = called_names()
    assert called, "no view calls found: has dashboard/views moved?"
    for page, names in called.items():
        assert names <= listed.get(page, set()), f"{page}: not benchmarked: {sorted(names - listed.get(page, set()))}"


def test_every_benchmarked_call_runs(m):
    for calls in page_calls(SOME).values():
        for _, name, how in calls:
            assert call(m, name, how, F, replace(F, towns=(SOME["town"],))) is not None


def _small_province(root):
    """A province-shaped folder: one registry table and two hazard ledgers as CSV."""
    import polars as pl

    (root / "registry").mkdir(parents=True)
    (root / "hazards").mkdir()
    pl.DataFrame({"学校代码": ["S01", "S02"], "在校生数": ["120", "80"]}).write_csv(root / "registry" / "学校.csv")
    ledger = {"隐患编号": ["H1", "H2"], "学校": ["S01", "S02"], "隐患类别": ["消防安全", "食品安全"],
              "隐患描述": ["灭火器过期", "留样柜损坏"], "发现日期": ["2025/5/3", "2025年5月14日"],
              "责任单位": ["区消防大队", "区市场监管局"], "整改时限": ["2025-06-02", "2025.6.13"]}
    for month in ("2025-05", "2025-06"):
        pl.DataFrame(ledger).write_csv(root / "hazards" / f"{month}隐患台账.csv")
    (root / ".complete").write_text("ok")
    return root


def test_the_stripped_set_drops_exactly_the_three_columns_from_hazard_ledgers(tmp_path, monkeypatch):
    import polars as pl

    from benchmarks import ingest_speed

    src = _small_province(tmp_path / "sample-x")
    monkeypatch.setattr(ingest_speed, "sample", lambda scale, fmt: src)
    monkeypatch.setattr(ingest_speed, "CACHE", tmp_path)
    out = ingest_speed.stripped()
    for ledger in sorted((src / "hazards").glob("*.csv")):
        before = pl.read_csv(ledger, infer_schema_length=0)
        after = pl.read_csv(out / "hazards" / ledger.name, infer_schema_length=0)
        assert after.columns == [c for c in before.columns if c not in ("隐患编号", "隐患类别", "责任单位")]
        # Every other cell as it was, except that each description names its hazard's place (the
        # same in every report of one hazard, as ledgers without 隐患编号 write them).
        kept = [c for c in after.columns if c != "隐患描述"]
        assert after.select(kept).equals(before.select(kept))
        pairs = pl.DataFrame({"id": before["隐患编号"], "was": before["隐患描述"], "now": after["隐患描述"]})
        assert pairs.filter(pl.col("was").is_not_null()).select(pl.col("now").str.ends_with(pl.col("was")).all()).item()
        places = pairs.filter(pl.col("was").is_not_null()).select(
            "id", place=pl.col("now").str.head(pl.col("now").str.len_chars() - pl.col("was").str.len_chars()))
        assert places.group_by("id").agg(pl.col("place").n_unique()).get_column("place").max() == 1
        assert places["place"].str.len_chars().min() > 0
    assert (out / "registry" / "学校.csv").read_bytes() == (src / "registry" / "学校.csv").read_bytes()


def test_the_typed_set_holds_real_date_and_number_cells(tmp_path, monkeypatch):
    import datetime as dt

    import openpyxl

    from benchmarks import scaling, xlsx_vs_openpyxl

    src = _small_province(tmp_path / "sample-x")
    monkeypatch.setattr(scaling, "dataset", lambda fraction: src)
    monkeypatch.setattr(xlsx_vs_openpyxl, "CACHE", tmp_path)
    out = xlsx_vs_openpyxl.typed_xlsx(workbooks=2)
    books = sorted((out / "hazards").glob("*.xlsx"))
    assert len(books) == 2
    rows = [row for book in books for row in openpyxl.load_workbook(book).active.iter_rows(min_row=2, values_only=True)]
    assert len(rows) == 4  # every ledger row, once
    found = {row[1]: row[4] for row in rows}
    assert found == {"S01": dt.datetime(2025, 5, 3), "S02": dt.datetime(2025, 5, 14)}  # dates as date cells
    school = openpyxl.load_workbook(out / "registry" / "学校.xlsx").active
    assert [c.value for c in school[2]] == ["S01", 120]  # numbers as number cells
