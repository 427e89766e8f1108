"""The city's lake (issue 17): `xiaoan export --lake`, pipelines/lake (write_partition, committed,
register_lake), 区代码 in the registry and the sample city (`xiaoan sample --districts N`)."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import polars as pl
import pyarrow.parquet as pq
import pytest
import xlsxwriter

from pipelines.contract import is_district_code
from pipelines.export.snapshot import export_snapshot
from pipelines.lake.read import COMMIT_FILE, committed, register_lake, table_files
from pipelines.lake.write import PERSONAL_COLUMNS, LakeError, part_name, write_partition
from pipelines.publish import ingest
from pipelines.sample import names, write_city
from tests import builders
from tests.city_lakes import without_report_files
from xiaoan.i18n import t
from xiaoan.warehouse import open_read_only

END = dt.date(2026, 10, 31)
A1, A2 = dt.date(2026, 8, 31), dt.date(2026, 9, 30)
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> dict:
    """A sample city of three districts; the first ingested, with snapshots at two month ends
    written unmasked (--no-mask): the lake must leave people's names out whatever the snapshot holds.
    The snapshots are written without their report files (tests/city_lakes.py): the lake takes
    their Parquet tables and manifest only."""
    root = tmp_path_factory.mktemp("city")
    written = write_city(root / "sample", 3, seed=7, end=END)
    first = written[0]
    warehouse = root / "wh" / "warehouse.duckdb"
    ingest([Path(first["folder"])], warehouse)
    with without_report_files():
        snapshots = {a: export_snapshot(warehouse, a, None, None, root / "snapshots", mask_personal=False).path
                     for a in (A1, A2)}
    return {"root": root, "written": written, "warehouse": warehouse, "snapshots": snapshots,
            "code": first["code"], "name": first["district"]}


def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xiaoan_cli", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=300)


def _counts(con: duckdb.DuckDBPyConnection, parts) -> dict[tuple[str, str, dt.date], tuple[int, int]]:
    """(table, district, as_of) -> (rows the view reads, rows the commit's manifest says)."""
    out = {}
    for p in parts:
        for table in p.files:
            n = con.sql(f'select count(*) from "{table}" where district = ? and as_of = ?',
                        params=[p.district_code, p.as_of]).fetchall()[0][0]
            out[(table, p.district_code, p.as_of)] = (n, p.row_counts[table])
    return out


# ---------------------------------------------------------------- layout and commit


def test_export_lake_writes_the_layout_and_commit_marker(city, tmp_path):
    lake = tmp_path / "lake"
    run = _cli("export", "--as-of", A2.isoformat(), "--warehouse", str(city["warehouse"]),
               "--out", str(tmp_path / "out"), "--lake", str(lake))
    assert run.returncode == 0, run.stderr
    assert city["code"] in run.stdout and "数据湖" in run.stdout
    snapshot = tmp_path / "out" / A2.isoformat()
    tables = sorted(p.stem for p in snapshot.glob("*.parquet"))
    assert {"hazards", "dept_closure", "town_risk", "town_scores", "dept_scores", "unit_closure"} <= set(tables)

    marker = lake / "_commits" / f"district={city['code']}" / f"as_of={A2.isoformat()}" / COMMIT_FILE
    commit = json.loads(marker.read_text(encoding="utf-8"))
    assert commit["version"] == 1 and commit["district_code"] == city["code"]
    assert commit["district_name"] == city["name"] and commit["as_of"] == A2.isoformat()
    assert sorted(commit["files"]) == tables
    for table, rel in commit["files"].items():
        assert rel == f"{table}/district={city['code']}/as_of={A2.isoformat()}/{part_name(1)}"
        schema = pq.read_schema(lake / rel)
        assert "district" not in schema.names and "as_of" not in schema.names
        assert pq.read_metadata(lake / rel).num_rows == commit["manifest"]["row_counts"][table]
    manifest = json.loads((snapshot / "manifest.json").read_text(encoding="utf-8"))
    facts = commit["manifest"]
    assert re.fullmatch(r"[0-9a-f]{64}", facts["rules_hash"])
    assert facts["source_files"] == manifest["source_files"] and facts["source_files"]
    assert facts["row_counts"] == manifest["row_counts"]
    assert "quarter_as_of" in pq.read_schema(lake / commit["files"]["town_score_trend"]).names

    parts = committed(lake)
    assert [(p.district_code, p.district_name, p.as_of, p.version) for p in parts] == \
        [(city["code"], city["name"], A2, 1)]
    assert table_files(lake, "hazards") == [lake / commit["files"]["hazards"]]
    assert table_files(lake, "hazards", as_of=A1) == [] and table_files(lake, "hazards", districts=["990199"]) == []
    con = duckdb.connect()
    register_lake(con, lake)
    hazards = con.sql("select * from hazards").pl()
    assert hazards.schema["district"] == pl.String and hazards.schema["as_of"] == pl.Date
    assert set(hazards["district"]) == {city["code"]} and set(hazards["as_of"]) == {A2}
    assert hazards.height == pl.read_parquet(snapshot / "hazards.parquet").height
    assert con.sql("select district, district_name, as_of, version from lake_partitions").fetchall() == \
        [(city["code"], city["name"], A2, 1)]


def test_no_name_of_a_person_reaches_the_lake(city, tmp_path):
    lake = tmp_path / "lake"
    write_partition(lake, city["snapshots"][A2], city["code"], city["name"], A2)
    con = open_read_only(city["warehouse"])
    try:
        people = {r[0] for r in con.sql("""
            select principal from raw_district union select principal from raw_towns
            union select principal from raw_villages union select member from raw_departments
            union select liaison from raw_departments union select phone from raw_departments
            union select chair from raw_meetings union select responsible_person from raw_hazard_reports
            union select verifier from raw_hazard_reports
            union select unnest(regexp_split_to_array(inspectors, '[、,，;；\\s]+')) from raw_inspections
        """).fetchall() if r[0] and len(r[0]) >= 2}
    finally:
        con.close()
    assert len(people) > 50

    def names_in(folder: Path, files) -> dict[str, set[str]]:
        found = {}
        for path in files:
            frame = pl.read_parquet(path)
            strings = [v for column in frame.select(pl.col(pl.String)).iter_columns() for v in column.drop_nulls()]
            tokens = set(strings) | {x for v in strings for x in re.split(r"[、,，;；\s\"':{}\[\]]+", v)}
            hit = people & tokens
            if hit:
                found[path.name] = hit
        return found

    # the unmasked snapshot has some (members, liaisons, a rejected row's 检查人员): the test can fail
    assert names_in(city["snapshots"][A2], city["snapshots"][A2].glob("*.parquet"))
    parts = committed(lake)
    files = [f for p in parts for f in p.files.values()]
    assert names_in(lake, files) == {}
    for path in files:
        assert not PERSONAL_COLUMNS & set(pq.read_schema(path).names), path
    dropped = parts[0].manifest["dropped_columns"]
    assert {"responsible_person"} <= set(dropped["hazards"]) and {"raw"} <= set(dropped["rejected_rows"])
    assert {"member", "liaison", "phone"} <= set(dropped["departments"])


# ---------------------------------------------------------------- re-export


def test_reexport_replaces_the_partition_and_old_versions_go_two_commits_later(city, tmp_path):
    lake, code = tmp_path / "lake", city["code"]
    old, new = city["snapshots"][A1], city["snapshots"][A2]
    assert pl.read_parquet(old / "hazards.parquet").height != pl.read_parquet(new / "hazards.parquet").height
    folder = lake / "hazards" / f"district={code}" / f"as_of={A2.isoformat()}"
    versions = []
    for i, snapshot in enumerate([old, new, old, new], start=1):  # the same partition, other contents
        part = write_partition(lake, snapshot, code, city["name"], A2, keep_seconds=0)
        versions.append(part.version)
        assert part.version == i
        assert set(part.files) == {p.stem for p in snapshot.glob("*.parquet")}
        con = duckdb.connect()
        seen = register_lake(con, lake)
        assert [(p.district_code, p.as_of, p.version) for p in seen] == [(code, A2, i)]
        for table, (rows, said) in _counts(con, seen).items():
            assert rows == said == pl.read_parquet(snapshot / f"{table[0]}.parquet").height, table
        kept = sorted(p.name for p in folder.iterdir())
        assert kept == [part_name(v) for v in range(max(1, i - 1), i + 1)]  # this version and the one before
    assert versions == [1, 2, 3, 4]
    # by default a version superseded less than ten minutes ago stays (a long roll-up still reads it)
    write_partition(lake, old, code, city["name"], A2)
    assert sorted(p.name for p in folder.iterdir()) == [part_name(v) for v in (3, 4, 5)]
    with pytest.raises(LakeError):
        write_partition(lake, new, "99010", city["name"], A2)
    assert [(p.district_code, p.version) for p in committed(lake)] == [(code, 5)]  # a refused write: nothing
    assert not list(lake.glob("*/district=99010"))


WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from pipelines.lake.write import write_partition
    lake, a, b, code, name, as_of, stop = sys.argv[1:]
    i = 0
    while not Path(stop).exists() and i < 400:
        write_partition(Path(lake), Path(a if i % 2 else b), code, name, as_of)
        i += 1
    print(i)
""")


def test_a_reader_during_repeated_reexports_sees_a_whole_partition(city, tmp_path):
    lake, code = tmp_path / "lake", city["code"]
    old, new = city["snapshots"][A1], city["snapshots"][A2]
    write_partition(lake, old, code, city["name"], A2)
    expected = {s: {p.stem: pl.read_parquet(p).height for p in s.glob("*.parquet")} for s in (old, new)}
    stop = tmp_path / "stop"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(lake), str(old), str(new), code, city["name"],
                               A2.isoformat(), str(stop)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    versions, contents = set(), set()
    try:
        began = time.monotonic()
        while time.monotonic() - began < 60 and (len(versions) < 6 or time.monotonic() - began < 8):
            con = duckdb.connect()
            parts = register_lake(con, lake)
            assert len(parts) == 1
            counts = _counts(con, parts)
            con.close()
            assert all(rows == said for rows, said in counts.values()), counts
            whole = {table: rows for (table, _, _), (rows, _) in counts.items()}
            assert whole in expected.values()  # all of one snapshot: never a mix, never a table missing
            versions.add(parts[0].version)
            contents.add(next(s for s, e in expected.items() if e == whole))
    finally:
        stop.touch()
        out, _ = writer.communicate(timeout=120)
    assert writer.returncode == 0
    assert int(out) >= 3 and len(versions) >= 3 and len(contents) == 2  # the reader really ran among writes


# ---------------------------------------------------------------- 区代码


def _registry(path: Path, district_rows: list[list]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    for name, rows in builders.SMALL_REGISTRY.items():
        sheet = book.add_worksheet(name)
        if name == "区":
            sheet.write_row(0, 0, ["区名称", "总校长", "区代码"])
            rows = district_rows
        else:
            sheet.write_row(0, 0, builders.REGISTRY_HEADERS[name])
        for i, row in enumerate(rows, start=1):
            sheet.write_row(i, 0, row)
    book.close()
    return path


def test_district_code_is_six_digits_else_the_row_is_rejected(warehouse, tmp_path, query):
    bad = ["99010", "9901022", "A90102", "99 01 02"]
    rows = [["白鹭区", "王总", value] for value in bad] + [["青溪区", "王总", "９９０１０２"]]
    report = ingest([_registry(tmp_path / "登记册.xlsx", rows)], warehouse)
    assert report.files[0].rejected == len(bad)
    reasons = [r[0] for r in query("select reason from rejected_rows where sheet = '区' order by row")]
    assert reasons == [t("city.lake.bad_code_row", column="区代码", value=v) for v in bad]
    assert all("区代码" in r and "6位数字" in r for r in reasons)
    assert query("select district_name, district_code from district") == [("青溪区", "990102")]
    # a number cell, as Excel keeps a code typed without a leading apostrophe
    ingest([_registry(tmp_path / "登记册2.xlsx", [["青溪区", "王总", 990103]])], warehouse)
    assert query("select district_code from district") == [("990103",)]
    assert [is_district_code(v) for v in ("990102", "99010", "9901022", "９９０１０２", None, "")] == \
        [True, False, False, False, False, False]


def test_lake_is_refused_without_district_code(load, warehouse, tmp_path):
    # `load` put the small registry in: a 区 sheet without 区代码
    lake, out = tmp_path / "lake", tmp_path / "out"
    run = _cli("export", "--as-of", "2026-03-31", "--warehouse", str(warehouse), "--out", str(out),
               "--lake", str(lake))
    assert run.returncode != 0
    assert run.stderr.strip().count("\n") == 0 and "区代码" in run.stderr
    assert run.stderr.strip() == "xiaoan: " + t("city.lake.no_code", lake=lake)
    assert not lake.exists() and not (out / "2026-03-31").exists()  # nothing written anywhere


def test_lake_is_refused_first_when_the_warehouse_has_no_district_row(load, warehouse, tmp_path):
    """No 区 row at all (a registry without its 区 sheet): --lake is refused before the snapshot is
    written, as it is for a row without 区代码 — not after the snapshot folder is there."""
    con = duckdb.connect(str(warehouse))
    con.execute("delete from district")
    con.close()
    lake, out = tmp_path / "lake", tmp_path / "out"
    run = _cli("export", "--as-of", "2026-03-31", "--warehouse", str(warehouse), "--out", str(out),
               "--lake", str(lake))
    assert run.returncode != 0
    assert run.stderr.strip() == "xiaoan: " + t("city.lake.no_code", lake=lake)
    assert not lake.exists() and not (out / "2026-03-31").exists()  # nothing written anywhere


def test_a_warehouse_from_before_district_code_loads_it(load, warehouse, tmp_path, query):
    con = duckdb.connect(str(warehouse))  # as a warehouse built before 区代码 was
    con.execute("alter table raw_district drop column district_code")
    con.execute("create or replace table district as select district_name, principal from district")
    con.execute("delete from warehouse_meta where key = 'views'")
    con.close()
    run = _cli("export", "--as-of", "2026-03-31", "--warehouse", str(warehouse), "--out", str(tmp_path / "out"),
               "--lake", str(tmp_path / "lake"))
    assert run.returncode != 0 and "区代码" in run.stderr
    report = ingest([_registry(tmp_path / "登记册.xlsx", [["青溪区", "王总", "990102"]])], warehouse)
    assert report.files[0].status == "loaded" and report.files[0].rejected == 0
    assert query("select district_name, district_code from district") == [("青溪区", "990102")]


# ---------------------------------------------------------------- the sample city


def test_the_sample_citys_districts_differ_and_the_single_district_is_unchanged(city, tmp_path):
    written = city["written"]
    codes = [w["code"] for w in written]
    assert [w["folder"].name for w in written] == codes
    registries = [pl.read_excel(w["folder"] / "registry" / "登记册.xlsx", sheet_name="区",
                                schema_overrides={"区代码": pl.String}) for w in written]
    assert [r["区代码"][0] for r in registries] == codes and all(is_district_code(c) for c in codes)
    assert len(set(codes)) == len({r["区名称"][0] for r in registries}) == len(written) == 3
    assert len({(w["towns"], w["schools"], w["hazard_reports"]) for w in written}) == 3
    codes_all = [c for c, *_ in names.CITY_DISTRICTS]
    assert len(set(codes_all)) == len({n for _, n, *_ in names.CITY_DISTRICTS}) == len(codes_all)
    assert names.STANDARD_DISTRICT_CODE not in codes_all
    # one seed: the same city again, file for file
    again = write_city(tmp_path / "again", 2, seed=7, end=END)
    for a, b in zip(written, again):
        assert sorted(p.relative_to(a["folder"]) for p in a["folder"].rglob("*.csv")) == \
            sorted(p.relative_to(b["folder"]) for p in b["folder"].rglob("*.csv"))
        first = next(a["folder"].glob("hazards/*.csv"))
        assert first.read_bytes() == (b["folder"] / first.relative_to(a["folder"])).read_bytes()
    # without --districts the command writes the one district, as before (no code folders)
    run = _cli("sample", "--out", str(tmp_path / "one"), "--format", "csv", "--end", "2024-06-30")
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in (tmp_path / "one").iterdir()) == ["hazards", "inspections", "map", "meetings",
                                                                       "registry"]
    district = pl.read_csv(tmp_path / "one" / "registry" / "区.csv", schema_overrides={"区代码": pl.String})
    assert district.row(0)[0] == names.STANDARD_DISTRICT and district["区代码"][0] == names.STANDARD_DISTRICT_CODE
    bad = _cli("sample", "--out", str(tmp_path / "none"), "--districts", "0")
    assert bad.returncode != 0 and "--districts" in bad.stderr and not (tmp_path / "none").exists()
