"""The dated snapshot (SPEC §5): the contract files and columns, the same numbers in the API,
the Parquet files and report.xlsx, ledger text kept as text (xlsx) and escaped (html), the
manifest, masked personal data, atomic replacement and clear errors."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from pipelines.export import ExportError, export_snapshot
from pipelines.export import snapshot as snapshot_module
from pipelines.export.tables import CONTRACT, mask_raw
from tests import builders
from tests.metrics_data import A, D, F, build_warehouse, metrics_for  # noqa: F401 (fixtures)
from xiaoan.i18n import t
from xiaoan.labels import column_label, table_label

TRICKY = ["=1+1", "+SUM(A1:A2)", "-2+3", "@cmd|' /C calc'!A0", "<script>alert('x')</script>"]


@pytest.fixture(scope="module")
def snapshot_district(tmp_path_factory) -> Path:
    """The hand-made district plus open, overdue 重大 hazards whose descriptions look like
    formulas or markup (from a CSV, so they arrive exactly as typed), and a registry row
    rejected with a member's name and phone in it."""
    folder = tmp_path_factory.mktemp("snapshot")
    registry = {**builders.SMALL_REGISTRY,
                "成员单位": [*builders.SMALL_REGISTRY["成员单位"], ["D09", None, "某某人", "某联络", "13800000000"]]}
    warehouse = build_warehouse(folder, registry=registry)
    rows = [builders.hazard(f"X{i}", "S04", "校舍建筑", "重大", D(2026, 3, 1), "D03", D(2026, 3, 10), description=text,
                            report=D(2026, 3, 20)) for i, text in enumerate(TRICKY)]
    from pipelines.publish import ingest
    result = ingest([builders.csv_file(folder / "tricky.csv", builders.HAZARD_HEADERS, rows)], warehouse)
    assert [f.loaded for f in result.files] == [len(TRICKY)]
    return warehouse


@pytest.fixture(scope="module")
def snapshot(snapshot_district, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    return export_snapshot(snapshot_district, A, None, None, out)


def exported_into(folder: Path, snapshot) -> Path:
    """The snapshot above (as of A, default period) copied with its `latest` pointer into folder:
    the state folder is in after that export. The tests that need a snapshot already there, to
    replace or to keep, start from it rather than export it again."""
    shutil.copytree(snapshot.path.parent, folder, symlinks=True, dirs_exist_ok=True)
    assert os.readlink(folder / "latest") == snapshot.path.name  # relative: it points into folder
    return folder / snapshot.path.name


def test_the_snapshot_folder_holds_the_contract(snapshot):
    folder = snapshot.path
    assert folder.name == "2026-03-31"
    names = {p.name for p in folder.iterdir()}
    assert {f"{n}.parquet" for n in CONTRACT} | {"manifest.json", "report.xlsx", "report.html"} <= names
    for name, columns in CONTRACT.items():
        frame = pl.read_parquet(folder / f"{name}.parquet")
        assert tuple(frame.columns[: len(columns)]) == columns, name
    hazards = pl.read_parquet(folder / "hazards.parquet")
    assert hazards.schema["is_open"] == pl.Boolean and hazards.schema["found_date"] == pl.Date
    rejected = pl.read_parquet(folder / "rejected_rows.parquet")
    assert rejected.filter(pl.col("sheet") == "成员单位").height == 1
    # every other metric is there too
    assert {"headline.parquet", "overdue_buckets.parquet", "repeat_hazards.parquet",
            "legal_education_coverage.parquet", "town_score_breakdown.parquet", "dept_score_trend.parquet",
            "meeting_months.parquet", "dept_meeting_attendance.parquet", "uninspected_schools.parquet"} <= names


def test_api_parquet_and_workbook_give_the_same_numbers(snapshot, snapshot_district, metrics_for):
    m = metrics_for(snapshot_district)
    book = openpyxl.load_workbook(snapshot.path / "report.xlsx", read_only=True)
    checks = {
        "dept_closure": (m.dept_closure(F), "dept_code", ["total", "rectification_rate", "closure_rate", "on_time_rate",
                                                          "overdue_open", "median_days_to_rectify"]),
        "town_scores": (m.town_scores(F), "town_code", ["rectification_rate", "inspection_coverage",
                                                        "meeting_compliance", "overdue_open_per_school", "score", "rank"]),
        "dept_scores": (m.dept_scores(F), "dept_code", ["meeting_attendance", "median_days_to_rectify", "score", "rank"]),
        "town_risk": (m.town_risk(F), None, ["risk"]),
        "hazards": (m.hazards(F), "hazard_id", ["risk"]),
    }
    for table, (api, key, columns) in checks.items():
        parquet = pl.read_parquet(snapshot.path / f"{table}.parquet")
        assert parquet.select(api.columns).equals(api), table
        sheet = _sheet(book, table)
        for column in columns:
            assert _numbers(sheet[column]) == pytest.approx(_numbers(api[column].to_list())), (table, column)
        if key:
            assert sheet[key] == api[key].to_list()
    book.close()


def test_workbook_formats(snapshot):
    book = openpyxl.load_workbook(snapshot.path / "report.xlsx")
    ws = book[table_label("dept_closure")]
    assert ws.freeze_panes == "A2"
    headers = [c.value for c in ws[1]]
    assert headers[:3] == [column_label("dept_code"), column_label("dept_name"), column_label("total")]
    rate = ws.cell(row=2, column=headers.index(column_label("rectification_rate")) + 1)
    assert rate.number_format == "0.0%"
    assert ws.column_dimensions["B"].width >= 10
    hazards = book[table_label("hazards")]
    found = hazards.cell(row=2, column=[c.value for c in hazards[1]].index(column_label("found_date")) + 1)
    assert found.is_date and found.number_format == "yyyy-mm-dd"
    assert book.sheetnames[: len(CONTRACT)] == [table_label(n) for n in CONTRACT]


def test_formula_looking_ledger_text_stays_text_in_the_workbook(snapshot):
    book = openpyxl.load_workbook(snapshot.path / "report.xlsx")
    ws = book[table_label("hazards")]
    headers = [c.value for c in ws[1]]
    column = headers.index(column_label("description")) + 1
    cells = {ws.cell(row=r, column=column).value: ws.cell(row=r, column=column) for r in range(2, ws.max_row + 1)}
    for text in TRICKY:
        assert text in cells, text
        assert cells[text].data_type == "s", text


def test_ledger_text_is_escaped_in_the_briefing_and_nothing_loads_from_the_network(snapshot):
    page = (snapshot.path / "report.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<script>alert(" not in page
    assert not re.search(r"<script[^>]*\bsrc=", page)
    assert not re.search(r"<link[^>]*\bhref=", page)
    assert "Plotly.newPlot" in page and len(page) > 1_000_000  # plotly.js embedded
    assert "青溪区" in page and t("report.heatmap") in page


def test_manifest(snapshot, snapshot_district):
    folder = snapshot.path
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["as_of"] == "2026-03-31"
    assert manifest["period"] == {"start": "2026-01-01", "end": "2026-03-31"}
    assert manifest["generated_at"]
    for name, rows in manifest["row_counts"].items():
        assert pl.read_parquet(folder / f"{name}.parquet").height == rows
    assert manifest["row_counts"]["hazards"] == 8 + len(TRICKY)
    on_disk = {p.name for p in folder.iterdir()} - {"manifest.json"}
    assert set(manifest["files"]) == on_disk
    for name, entry in manifest["files"].items():
        assert entry["sha256"] == hashlib.sha256((folder / name).read_bytes()).hexdigest(), name
    sources = {Path(s["file"]).name: s for s in manifest["source_files"]}
    assert {"登记册.xlsx", "隐患台账.xlsx", "tricky.csv"} <= set(sources)
    tricky = snapshot_district.parent.parent / "tricky.csv"
    assert sources["tricky.csv"]["sha256"] == hashlib.sha256(tricky.read_bytes()).hexdigest()
    assert manifest["personal_data_masked"] is True
    assert manifest["rules"]["values"]["town.rectification_rate"] == {"weight": 27}


def test_personal_data_is_masked_unless_asked(snapshot, snapshot_district, tmp_path):
    departments = pl.read_parquet(snapshot.path / "departments.parquet")
    assert departments.filter(pl.col("dept_code") == "D01").row(0, named=True) == {
        "dept_code": "D01", "dept_name": "区教育局", "member": "周**", "liaison": "吴**", "phone": "077****0001"}
    raw = pl.read_parquet(snapshot.path / "rejected_rows.parquet").filter(pl.col("sheet") == "成员单位")["raw"][0]
    assert "某某人" not in raw and "13800000000" not in raw and '"单位代码": "D09"' in raw
    workbook_text = _all_text(snapshot.path / "report.xlsx")
    assert "周局长" not in workbook_text and "13800000000" not in workbook_text
    plain = export_snapshot(snapshot_district, A, None, None, tmp_path, mask_personal=False)
    assert pl.read_parquet(plain.path / "departments.parquet")["member"].to_list()[0] == "周局长"


def test_every_column_has_a_distinct_label_in_both_languages(snapshot):
    from xiaoan.i18n import TEXT
    for lang in ("zh", "en"):
        labels = [TEXT[k][lang] for k in TEXT if k.startswith("col.")]
        assert len(labels) == len(set(labels)), [x for x in labels if labels.count(x) > 1]
    for parquet in snapshot.path.glob("*.parquet"):
        for column in pl.read_parquet_schema(parquet):
            assert f"col.{column}" in TEXT or f"header.{parquet.stem}.{column}" in TEXT, (parquet.name, column)


def test_mask_raw_keeps_other_cells_and_odd_input():
    assert json.loads(mask_raw('{"成员": "张三", "成员单位": "区教育局", "phone": "123"}')) == {
        "成员": "***", "成员单位": "区教育局", "phone": "***"}
    assert mask_raw(None) is None and mask_raw("not json") == "not json"


def test_a_new_export_replaces_the_snapshot_whole(snapshot, snapshot_district, tmp_path):
    first = exported_into(tmp_path, snapshot)
    (first / "stale.txt").write_text("from an older run")
    second = export_snapshot(snapshot_district, A, D(2026, 2, 1), None, tmp_path)
    assert second.path == first and not (second.path / "stale.txt").exists()
    assert json.loads((second.path / "manifest.json").read_text())["period"]["start"] == "2026-02-01"
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".export")) == [
        "2026-03-31", "latest", "latest.txt"]


def test_an_interrupted_export_leaves_the_old_snapshot_and_no_partial_folder(snapshot, snapshot_district, tmp_path,
                                                                            monkeypatch):
    first = exported_into(tmp_path, snapshot)
    before = {p.name: p.read_bytes() for p in first.iterdir()}

    def broken(*args, **kwargs):
        raise RuntimeError("disk pulled out")

    monkeypatch.setattr(snapshot_module, "write_report_html", broken)
    with pytest.raises(RuntimeError, match="disk pulled out"):
        export_snapshot(snapshot_district, A, D(2026, 2, 1), None, tmp_path)
    assert {p.name: p.read_bytes() for p in first.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".export.lock", "2026-03-31", "latest", "latest.txt"]
    # A first export that fails leaves nothing at all.
    with pytest.raises(RuntimeError):
        export_snapshot(snapshot_district, D(2026, 2, 28), None, None, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".export.lock", "2026-03-31", "latest", "latest.txt"]


def test_a_failed_swap_puts_the_old_snapshot_back(snapshot, snapshot_district, tmp_path, monkeypatch):
    first = exported_into(tmp_path, snapshot)
    before = (first / "manifest.json").read_bytes()
    monkeypatch.setattr(snapshot_module, "_exchange", lambda a, b: False)  # a file system without RENAME_EXCHANGE
    real_rename = snapshot_module.os.rename

    def rename(src, dst):
        if ".tmp-" in str(src):
            raise OSError(28, "No space left on device")
        return real_rename(src, dst)

    monkeypatch.setattr(snapshot_module.os, "rename", rename)
    with pytest.raises(ExportError, match="cannot write"):
        export_snapshot(snapshot_district, A, D(2026, 2, 1), None, tmp_path)
    assert (first / "manifest.json").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".export.lock", "2026-03-31", "latest", "latest.txt"]


def test_keep_prunes_older_snapshots(snapshot_district, tmp_path):
    for day in (D(2026, 1, 31), D(2026, 2, 28), A):
        export_snapshot(snapshot_district, day, None, None, tmp_path, keep=2)
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [
        "2026-02-28", "2026-03-31", "latest", "latest.txt"]


@pytest.mark.parametrize("as_of, start, end, words", [
    ("2026-13-01", None, None, "--as-of must be a date YYYY-MM-DD or one of today, yesterday, last-month-end, got '2026-13-01'"),
    ("2026-03-31", "yesterday", None, "--start must be a date"),
    ("2026-03-31", "2026-03-10", "2026-03-01", "the period starts (2026-03-10) after it ends (2026-03-01)"),
])
def test_bad_dates_are_one_line_errors(snapshot_district, tmp_path, as_of, start, end, words):
    with pytest.raises(ExportError) as caught:
        export_snapshot(snapshot_district, as_of, start, end, tmp_path)
    assert words in str(caught.value) and "\n" not in str(caught.value)
    assert not any(tmp_path.iterdir())


def test_missing_empty_or_foreign_warehouses_are_one_line_errors(tmp_path):
    with pytest.raises(ExportError, match="no warehouse at"):
        export_snapshot(tmp_path / "none.duckdb", A, None, None, tmp_path / "out")
    # A warehouse that only ever received a file it could not read: no registry.
    from pipelines.publish import ingest
    empty = tmp_path / "empty" / "warehouse.duckdb"
    ingest([builders.csv_file(tmp_path / "x.csv", ["甲", "乙"], [[1, 2]])], empty)
    with pytest.raises(ExportError, match="is empty"):
        export_snapshot(empty, A, None, None, tmp_path / "out")
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(ExportError, match="cannot open the warehouse"):
        export_snapshot(junk, A, None, None, tmp_path / "out")
    assert not (tmp_path / "out" / "2026-03-31").exists()


def test_a_warehouse_built_by_an_older_version_asks_for_a_rebuild(snapshot_district, tmp_path):
    import shutil

    import duckdb

    old = tmp_path / "old.duckdb"
    shutil.copyfile(snapshot_district, old)
    con = duckdb.connect(str(old))
    con.execute("drop macro table repeat_hazards")
    con.close()
    with pytest.raises(ExportError, match="lacks the metric macros: run xiaoan rebuild"):
        export_snapshot(old, A, None, None, tmp_path / "out")


def test_export_command_prints_path_counts_and_time(snapshot_district, tmp_path):
    import typer
    from typer.testing import CliRunner

    from xiaoan_cli.export import command as export_command

    app = typer.Typer()
    app.command("export")(export_command)
    app.command("noop")(lambda: None)  # a group, as in xiaoan's CLI
    runner = CliRunner()
    ok = runner.invoke(app, ["export", "--as-of", "2026-03-31", "--warehouse", str(snapshot_district),
                             "--out", str(tmp_path)])
    assert ok.exit_code == 0, ok.output
    assert str(tmp_path / "2026-03-31") in ok.output.replace("\n", "") and "dept_closure" in ok.output
    assert re.search(r"用时\d+\.\d秒", ok.output)
    bad = runner.invoke(app, ["export", "--as-of", "31/03/2026", "--warehouse", str(snapshot_district),
                              "--out", str(tmp_path)])
    assert bad.exit_code != 0
    assert bad.stderr.strip().count("\n") == 0 and "--as-of 应为日期" in bad.stderr


# ---------------------------------------------------------------- helpers


def _sheet(book, table: str) -> dict[str, list]:
    """A sheet as {column name: values}, its Chinese headers mapped back to the column names."""
    ws = book[table_label(table)]
    values = list(ws.iter_rows(values_only=True))
    header = values[0]
    names = {column_label(c): c for c in _all_columns()}
    return {names[h]: [row[i] for row in values[1:]] for i, h in enumerate(header) if h in names}


def _all_columns() -> list[str]:
    from xiaoan.i18n import TEXT
    return [k[4:] for k in TEXT if k.startswith("col.")]


def _numbers(values: list) -> list:
    return [None if v is None else float(v) for v in values]


def _all_text(path: Path) -> str:
    book = openpyxl.load_workbook(path, read_only=True)
    text = "\n".join(str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v)
    book.close()
    return text
