"""The city's roll-up (issue 17, pipelines/city): parity of the Spark engine with DuckDB, the
city's own rules, the commit markers' visibility, a roll-up during a re-export, and the figures
checked against the district's own snapshot tables.

Lakes: a synthetic city (pipelines/city/synthetic.py: five districts, three as-of dates, one more
district missing the last date and a twin of the best for a tie; snapshot tables written through
the lake's own writer, seconds to build) for most tests; the sample city of five districts at
three month ends (xiaoan sample --districts 5 → each district ingested from its ledgers → export
--lake; built in this process, the exports without their report files: tests/city_lakes.py) for
the parity of the engines on real ledgers; and its first district exported as of D by a real
`xiaoan export --lake` subprocess into a lake of its own, for the figures against the district's
own metrics. One Spark session serves both parity tests."""

from __future__ import annotations

import datetime as dt
import math
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import sqlglot
from sqlglot import exp

from pipelines.city import dialect, rollup as city
from pipelines.city.rounding import exact_round
from pipelines.city.synthetic import write_lake
from pipelines.lake.read import committed
from pipelines.lake.write import write_partition
from pipelines.publish import ingest
from tests.city_lakes import without_report_files, xiaoan
from xiaoan.rules import load_rules

AS_OFS = ["2026-03-31", "2026-06-30", "2026-09-30"]
D = dt.date(2026, 9, 30)
ROOT = Path(__file__).resolve().parents[1]
XIAOAN = [sys.executable, "-m", "xiaoan_cli.app"]


LATE = ("990801", "迟报区")  # committed for the first two as-of dates only: not reported, not ranked as of D
TWIN = ("990802", "孪生区")  # the same tables as the best district: a tie (competition ranks 1, 1, 3)


@pytest.fixture(scope="module")
def lake(tmp_path_factory) -> Path:
    """Five synthetic districts × three as-of dates, a district missing the last date, and a twin
    of the district ranked first as of D (its tables copied, committed under its own code)."""
    path = tmp_path_factory.mktemp("city") / "lake"
    write_lake(path, 5, AS_OFS, hazards_per_district=500, seed=11)
    scores = pq.read_table(city.rollup(path, D, tmp_path_factory.mktemp("first")).path
                           / "district_scores.parquet").to_pylist()
    best = min(scores, key=lambda r: r["rank"])["district"]
    write_lake(path, [LATE], AS_OFS[:2], hazards_per_district=400, seed=12)
    for part in committed(path):
        if part.district_code == best:
            folder = Path(tempfile.mkdtemp(dir=path.parent))
            for table, file in part.files.items():
                shutil.copy(file, folder / f"{table}.parquet")
            write_partition(path, folder, TWIN[0], TWIN[1], part.as_of, part.manifest)
    return path


def read(folder: Path) -> dict[str, pa.Table]:
    return {name: pq.read_table(folder / f"{name}.parquet") for name in city.OUTPUTS}


@pytest.fixture(scope="module")
def duck(lake, tmp_path_factory) -> dict[str, pa.Table]:
    out = tmp_path_factory.mktemp("duck")
    result = city.rollup(lake, D, out)
    return read(result.path)


def rules_file(tmp_path: Path, weights: dict[str, float], duty: dict[str, list[str]] | None = None) -> Path:
    """A copy of the packaged rules with other [town.*] weights (and duty lists)."""
    text = (ROOT / "xiaoan" / "rules.toml").read_text(encoding="utf-8")
    lines, section = [], None
    for line in text.splitlines():
        stripped = line.split("#")[0].strip()
        if stripped.startswith("["):
            section = stripped.strip("[]")
            lines.append(line)
            if section.startswith("town.") and duty and section[5:] in duty:
                lines.append("duty = [" + ", ".join(f'"{d}"' for d in duty[section[5:]]) + "]")
            continue
        if section and section.startswith("town.") and stripped.startswith("weight"):
            lines.append(f"weight = {weights[section[5:]]}")
            continue
        lines.append(line)
    path = tmp_path / "city_rules.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def competition_ranks(scores: dict[str, float | None]) -> dict[str, int | None]:
    ranked = [s for s in scores.values() if s is not None]
    return {k: (None if s is None else 1 + sum(1 for o in ranked if o > s)) for k, s in scores.items()}


# ---- one SQL text, two engines ----

def test_models_transpile_with_every_macro_expanded():
    names = set(dialect.macros())
    assert {"rate", "on_time", "hazard_risk", "indicator_status", "weighted_score"} <= names
    for name, sql in city.models():
        spark_sql = dialect.to_spark(sql)
        tree = sqlglot.parse_one(spark_sql, read="spark")
        left = {f.name.lower() for f in tree.find_all(exp.Anonymous)} & names
        assert not left, (name, left)
        assert "ROUND(" not in spark_sql.upper().replace(dialect.ROUND_FUNCTION.upper() + "(", "")


def test_the_expanded_models_mean_what_the_macros_mean(lake, monkeypatch):
    """The macro expansion that Spark gets, run back on DuckDB, gives DuckDB's tables."""
    parts = [p for p in committed(lake) if p.as_of <= D]
    files = {t: [p.files[t] for p in parts if t in p.files] for t in city.LAKE_TABLES}
    inputs = city.input_tables(parts, load_rules(None), D)
    native = city.run_duckdb(files, inputs)
    original = city.models
    monkeypatch.setattr(city, "models", lambda: [(n, dialect.to_duckdb_expanded(s)) for n, s in original()])
    expanded = city.run_duckdb(files, inputs)
    for name in city.OUTPUTS:
        assert native[name].equals(expanded[name]), name


def test_spark_round_is_duckdb_round():
    """xiaoan_round (Spark) is DuckDB 2.0's ROUND: the double's exact value, half away from zero."""
    values = [0.015, 0.125, 2.675, 1.005, 83.385, 0.285, -0.015, -2.5, 0.0, 99.995, 12.3450000001, 7 / 3]
    values += [k / 1000 for k in range(0, 100000, 37)] + [k / 8 for k in range(0, 800, 3)]
    con = duckdb.connect()
    con.execute(f"create macro xr(x, d) as {dialect.round_body()}")
    for d in (0, 1, 2, 3, 9):
        got = con.execute(f"select list(round(x, {d})), list(xr(x, {d})) from (select unnest($1::double[]) as x)",
                          [values]).fetchone()
        assert got[0] == got[1], d
        assert got[0] == [exact_round(v, d) for v in values], d
    assert exact_round(0.015, 2) == 0.01 and exact_round(0.125, 2) == 0.13


# ---- Spark ----

def spark_or_skip():
    try:
        import pyspark  # noqa: F401
    except ImportError:
        pytest.skip("SPARK NOT INSTALLED: pyspark is missing (make spark installs the [spark] extra) — "
                    "the Spark parity of the city roll-up is NOT tested")
    if shutil.which("java") is None:
        pytest.skip("JAVA NOT INSTALLED: scripts/install_java.sh could not install openjdk-17-jre-headless — "
                    "the Spark parity of the city roll-up is NOT tested")


@pytest.fixture(scope="module")
def spark():
    spark_or_skip()
    session = city.spark_session("local[2]")
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def assert_same_tables(duck: dict[str, pa.Table], sparked: dict[str, pa.Table]) -> None:
    """Every city table equal: same columns and types, same rows in the same order; floats to 1e-9,
    medians and every other value exactly."""
    for name in city.OUTPUTS:
        a, b = duck[name], sparked[name]
        assert a.schema == b.schema, name
        assert a.num_rows == b.num_rows > 0, name
        for column in a.column_names:
            x, y = a[column].to_pylist(), b[column].to_pylist()
            if pa.types.is_floating(a.schema.field(column).type) and not column.startswith("median"):
                assert all((p is None and q is None)
                           or (p is not None and q is not None and math.isclose(p, q, abs_tol=1e-9))
                           for p, q in zip(x, y)), (name, column)
            else:
                assert x == y, (name, column)


@pytest.mark.slow
def test_spark_equals_duckdb(lake, spark, tmp_path):
    """Every city table from --engine spark equals --engine duckdb: same columns and types, same
    rows in the same order; floats to 1e-9, medians and every other value exactly. One run, under
    city rules with a duty list (不适用 for the districts it does not name), on a lake with a tie and
    a district that has not reported as of D."""
    rules = load_rules(None)
    weights = {i: rules.weight("town", i) for i in rules.indicators("town")}
    codes = sorted({p.district_code for p in committed(lake)})
    duty_rules = rules_file(tmp_path, weights, {"reporting": codes[:2] + [TWIN[0]]})
    duck = read(city.rollup(lake, D, tmp_path / "duck", rules_path=duty_rules).path)
    result = city.rollup(lake, D, tmp_path / "spark", engine="spark", spark=spark, rules_path=duty_rules)
    sparked = read(result.path)
    manifest = (result.path / "manifest.json").read_text(encoding="utf-8")
    assert '"engine": "spark"' in manifest
    assert_same_tables(duck, sparked)
    # what the run covered: the duty list's 不适用, the tie, the district not reported as of D
    statuses = {(r["district"], r["status"]) for r in sparked["district_indicators"].to_pylist()
                if r["indicator"] == "reporting"}
    assert {s for c, s in statuses if c in codes[:2] + [TWIN[0]]} == {"有数据"}
    assert {s for c, s in statuses if c not in codes[:2] + [TWIN[0]]} == {"不适用"}
    scores = {r["district"]: r for r in sparked["district_scores"].to_pylist()}
    assert sorted(r["rank"] for r in scores.values() if r["rank"] is not None)[:3] == [1, 1, 3]
    assert scores[TWIN[0]]["rank"] == 1 and scores[TWIN[0]]["score"] is not None
    assert not scores[LATE[0]]["reported"] and scores[LATE[0]]["rank"] is None and scores[LATE[0]]["score"] is None
    # the trend covers every committed partition up to D (the late district's two dates included)
    trend = sparked["district_score_trend"].to_pydict()
    assert sorted(set(trend["as_of"])) == [dt.date.fromisoformat(d) for d in AS_OFS]
    assert len(trend["as_of"]) == len([p for p in committed(lake) if p.as_of <= D])


# ---- the city's rules ----

def test_scores_follow_the_citys_weights(lake, duck, tmp_path):
    """The score is Σ score × weight / Σ weight of the indicator rows, rounded as the rules say;
    ranks are competition ranks; the districts' own weights (in their manifests) play no part."""
    ind = pl.from_arrow(duck["district_indicators"])
    scores = pl.from_arrow(duck["district_scores"])
    rules = load_rules(None)
    late = scores.filter(pl.col("district") == LATE[0]).row(0, named=True)
    assert not late["reported"] and late["score"] is None and late["rank"] is None and late["grade"] is None
    assert ind.filter(pl.col("district") == LATE[0]).height == 0
    scores = scores.filter(pl.col("reported"))
    assert scores.height == len({p.district_code for p in committed(lake) if p.as_of == D})
    for row in scores.iter_rows(named=True):
        mine = ind.filter(pl.col("district") == row["district"])
        applicable = mine.filter(pl.col("status") != "不适用")
        total = sum(rules.weight("town", i) for i in applicable["indicator"])
        for r in mine.iter_rows(named=True):
            expected_weight = 0.0 if r["status"] == "不适用" else rules.weight("town", r["indicator"]) * 100 / total
            assert math.isclose(r["weight"], expected_weight, abs_tol=1e-12)
            assert r["base_weight"] == rules.weight("town", r["indicator"])
        raw = sum(r["score"] * r["weight"] for r in applicable.iter_rows(named=True)) / 100
        assert row["score"] == exact_round(exact_round(raw, 9), 2)
    ranks = competition_ranks(dict(zip(scores["district"], scores["score"])))
    assert dict(zip(scores["district"], scores["rank"])) == ranks
    assert sorted(ranks.values())[:3] == [1, 1, 3]  # the twin ties with the district it copies
    grades = {r["district"]: ("优秀" if r["score"] >= 90 else "良好" if r["score"] >= 80 else "合格" if r["score"] >= 60
                              else "不合格") for r in scores.iter_rows(named=True)}
    assert dict(zip(scores["district"], scores["grade"])) == grades

    # the city weighs only the rectification rate: the ranking is the rectification rates' order
    only = {i: 0 for i in rules.indicators("town")} | {"rectification_rate": 100}
    result = city.rollup(lake, D, tmp_path / "out", rules_path=rules_file(tmp_path, only))
    other = pl.from_arrow(read(result.path)["district_scores"]).filter(pl.col("reported"))
    expected = competition_ranks({r["district"]: exact_round(100 * r["rectification_rate"], 2)
                                  for r in other.iter_rows(named=True)})
    assert dict(zip(other["district"], other["rank"])) == expected
    assert dict(zip(other["district"], other["rank"])) != dict(zip(scores["district"], scores["rank"]))
    manifest = (result.path / "manifest.json").read_text(encoding="utf-8")
    assert '"rectification_rate": 100.0' in manifest


def test_a_duty_list_names_districts(lake, tmp_path):
    """[town.reporting] duty = [one district's code]: 不适用 for the others, their weights rescaled."""
    rules = load_rules(None)
    weights = {i: rules.weight("town", i) for i in rules.indicators("town")}
    first = committed(lake)[0].district_code
    result = city.rollup(lake, D, tmp_path, rules_path=rules_file(tmp_path, weights, {"reporting": [first]}))
    ind = pl.from_arrow(read(result.path)["district_indicators"]).filter(pl.col("indicator") == "reporting")
    status = dict(zip(ind["district"], ind["status"]))
    assert status.pop(first) == "有数据"
    assert set(status.values()) == {"不适用"}
    reported = len({p.district_code for p in committed(lake) if p.as_of == D})
    assert ind.filter(pl.col("status") == "不适用")["weight"].to_list() == [0.0] * (reported - 1)


# ---- what the roll-up reads ----

def test_an_uncommitted_partition_is_invisible(lake, duck, tmp_path):
    """Part files without a commit marker (a writer killed before its COMMIT.json): a new
    district, and a newer version of a committed partition — the roll-up sees neither."""
    copy = tmp_path / "lake"
    shutil.copytree(lake, copy)
    part = committed(copy)[0]
    hazards = pl.read_parquet(part.files["hazards"])
    # a newer version of a committed partition, every hazard rectified, never committed
    newer = part.files["hazards"].with_name("part-000009.parquet")
    rectified = hazards.with_columns(is_rectified=pl.lit(True), is_open=pl.lit(False), is_overdue=pl.lit(False))
    rectified.write_parquet(newer)
    # a district whose files are all there but whose commit never came
    for table, path in part.files.items():
        target = copy / table / "district=990999" / f"as_of={D.isoformat()}" / "part-000001.parquet"
        target.parent.mkdir(parents=True)
        shutil.copy(path, target)
    result = city.rollup(copy, D, tmp_path / "out")
    again = read(result.path)
    assert "990999" not in again["district_scores"]["district"].to_pylist()
    for name in city.OUTPUTS:
        assert again[name].equals(duck[name]), name


def reexport(lake: Path, code: str, seed: int) -> None:
    """Write the district's D partition again (other figures: another seed), as export --lake does."""
    scratch = Path(tempfile.mkdtemp(dir=lake.parent))
    write_lake(scratch / "lake", [(code, "重报区")], [D], hazards_per_district=300, seed=seed)
    part = committed(scratch / "lake")[0]
    folder = scratch / "snapshot"
    folder.mkdir()
    for table, path in part.files.items():
        shutil.copy(path, folder / f"{table}.parquet")
    write_partition(lake, folder, code, "重报区", D, {"period": {"start": "2026-01-01", "end": D.isoformat()}})


def test_a_rollup_during_a_reexport_sees_old_or_new(lake, tmp_path, monkeypatch):
    """The roll-up resolves the commit markers once: a re-export committed after that (while
    the roll-up reads) leaves its result as it was; the next roll-up sees the new partition whole;
    roll-ups running while a district is re-exported again and again each see one or the other."""
    copy = tmp_path / "lake"
    shutil.copytree(lake, copy)
    code = committed(copy)[0].district_code
    old = read(city.rollup(copy, D, tmp_path / "old").path)

    real = city.committed

    def resolve_then_reexport(path):
        parts = real(path)
        reexport(copy, code, seed=101)  # commits while the roll-up goes on to read its files
        return parts

    monkeypatch.setattr(city, "committed", resolve_then_reexport)
    during = read(city.rollup(copy, D, tmp_path / "during").path)
    monkeypatch.setattr(city, "committed", real)
    new = read(city.rollup(copy, D, tmp_path / "new").path)
    for name in city.OUTPUTS:
        assert during[name].equals(old[name]), name
    assert not new["district_scores"].equals(old["district_scores"])
    assert "重报区" in new["district_scores"]["district_name"].to_pylist()

    # a writer re-exporting (two versions in turn) while roll-ups run: each sees one version whole
    other = read(city.rollup(copy, D, tmp_path / "b").path)  # the state after seed 101
    reexport(copy, code, seed=102)
    latest = read(city.rollup(copy, D, tmp_path / "c").path)  # the state after seed 102
    assert not latest["district_scores"].equals(other["district_scores"])
    stop = threading.Event()
    errors: list[BaseException] = []
    commits: list[int] = []  # how many re-exports the writer committed, once it stopped

    def writer():
        done = 0
        try:
            while not stop.is_set():
                reexport(copy, code, seed=101 if done % 2 == 0 else 102)
                done += 1
        except BaseException as exc:  # noqa: BLE001 — reported by the test, never swallowed
            errors.append(exc)
        finally:
            commits.append(done)

    def committed_so_far() -> int:
        return max(p.version for p in committed(copy) if p.district_code == code and p.as_of == D)

    first = committed_so_far()
    thread = threading.Thread(target=writer)
    thread.start()
    during_runs = []
    try:
        for i in range(4):
            before = committed_so_far()
            seen = read(city.rollup(copy, D, tmp_path / f"run{i}").path)
            during_runs.append((before, committed_so_far()))
            versions = [t for t in (other, latest) if all(seen[n].equals(t[n]) for n in city.OUTPUTS)]
            assert versions, i  # every city table of one version or of the other, never a mix
    finally:
        stop.set()
        thread.join()
    assert not errors, errors
    # the writer did commit while the roll-ups ran: new versions appeared between their starts and ends
    assert commits and commits[0] >= 1
    assert sum(after > before for before, after in during_runs) >= 1, during_runs
    assert committed_so_far() > first


def test_a_partition_lacking_a_column_is_refused(lake, tmp_path):
    """A committed hazards file without is_rectified (an older writer): the roll-up refuses, naming
    the district, the as-of date, the table and the column — it never reads it as NULL (nothing rectified)."""
    copy = tmp_path / "lake"
    shutil.copytree(lake, copy)
    part = next(p for p in committed(copy) if p.as_of == D)
    path = part.files["hazards"]
    pq.write_table(pq.read_table(path).drop_columns(["is_rectified"]), path)
    with pytest.raises(city.RollupError) as caught:
        city.rollup(copy, D, tmp_path / "out")
    message = str(caught.value)
    assert "\n" not in message
    for part_of in (part.district_code, D.isoformat(), "hazards", "is_rectified"):
        assert part_of in message, part_of
    assert part.district_code in caught.value.message("zh") and "is_rectified" in caught.value.message("zh")
    assert not (tmp_path / "out" / D.isoformat()).exists()


def test_errors_name_the_problem(lake, tmp_path):
    with pytest.raises(city.RollupError, match="2026-09-29"):
        city.rollup(lake, "2026-09-29", tmp_path)
    with pytest.raises(city.RollupError, match="engine"):
        city.rollup(lake, D, tmp_path, engine="hive")
    with pytest.raises(city.RollupError, match="no lake"):
        city.rollup(tmp_path / "nowhere", D, tmp_path)
    assert not list(tmp_path.glob(".*tmp*"))


# ---- the sample city: five districts of `xiaoan sample --districts`, three as-of dates ----

@pytest.fixture(scope="module")
def sample_warehouses(tmp_path_factory) -> list[Path]:
    """`xiaoan sample --districts 5` (the command, run in this process: tests/city_lakes.py), each
    district's ledgers ingested into its own warehouse (pipelines.publish.ingest, as `xiaoan
    ingest` does); the warehouses in the order of the districts' codes."""
    base = tmp_path_factory.mktemp("sample_city")
    xiaoan("sample", "--out", str(base / "sample"), "--districts", "5", "--end", D.isoformat())
    folders = sorted(p for p in (base / "sample").iterdir() if p.is_dir())
    assert len(folders) == 5
    warehouses = []
    for folder in folders:
        warehouse = base / "warehouses" / f"{folder.name}.duckdb"
        result = ingest([folder], warehouse)
        assert result.published, folder
        warehouses.append(warehouse)
    return warehouses


@pytest.fixture(scope="module")
def sample_city(sample_warehouses, tmp_path_factory) -> Path:
    """The issue's parity lake from real ledgers: each sample district's warehouse exported with
    `xiaoan export --lake` at three month ends (the command in this process, its lake step as on
    the command line, the report files left out: tests/city_lakes.py)."""
    base = tmp_path_factory.mktemp("sample_lake")
    with without_report_files():
        for warehouse in sample_warehouses:
            for as_of in AS_OFS:
                xiaoan("export", "--as-of", as_of, "--warehouse", str(warehouse),
                       "--out", str(base / "snapshots" / warehouse.stem), "--lake", str(base / "lake"))
    return base / "lake"


# ---- a real district ----

@pytest.fixture(scope="module")
def real_lake(sample_warehouses, tmp_path_factory) -> tuple[Path, Path]:
    """One sample district (the sample city's first: the district `xiaoan sample --districts 1`
    writes), exported as of D by a real `xiaoan export --lake` subprocess into a lake of its own."""
    base = tmp_path_factory.mktemp("real")
    subprocess.run(XIAOAN + ["export", "--as-of", D.isoformat(), "--warehouse", str(sample_warehouses[0]),
                             "--out", str(base / "snapshots"), "--lake", str(base / "lake")],
                   check=True, capture_output=True, cwd=ROOT)
    assert [p.district_code for p in committed(base / "lake")] == [sample_warehouses[0].stem]
    return base / "lake", base / "snapshots" / D.isoformat()


def test_figures_match_the_districts_own_snapshot(real_lake, tmp_path):
    """On a real exported district, the city's closure by member unit is the district's own
    dept_closure, and its counts are the snapshot's (the city's default rules = the district's)."""
    lake, snapshot = real_lake
    out = read(city.rollup(lake, D, tmp_path).path)
    own = pl.read_parquet(snapshot / "dept_closure.parquet").sort("dept_code")
    mine = pl.from_arrow(out["district_unit_closure"]).sort("dept_code")
    columns = ["dept_code", "dept_name", "total", "rectified", "closed", "overdue_open", "rectified_on_time", "open"]
    assert mine.select(columns).to_dicts() == own.select(columns).to_dicts()
    for column in ["rectification_rate", "closure_rate", "on_time_rate", "median_days_to_rectify", "risk"]:
        for a, b in zip(mine[column].to_list(), own[column].to_list()):
            assert (a is None and b is None) or math.isclose(a, b, abs_tol=1e-9), column
    hazards = pl.read_parquet(snapshot / "hazards.parquet").filter(pl.col("found_date") >= dt.date(D.year, 1, 1))
    scores = pl.from_arrow(out["district_scores"]).row(0, named=True)
    assert scores["hazards"] == hazards.height
    assert scores["rectified"] == hazards["is_rectified"].sum()
    assert scores["overdue_open"] == hazards["is_overdue"].sum()
    coverage = pl.read_parquet(snapshot / "inspection_coverage.parquet")
    assert scores["schools"] == coverage["schools"].sum()
    assert math.isclose(scores["inspection_coverage"], coverage["inspected_schools"].sum() / coverage["schools"].sum())
    towns = pl.read_parquet(snapshot / "town_scores.parquet")
    assert math.isclose(scores["reporting"], towns["reporting"].mean())
    risk = pl.read_parquet(snapshot / "town_risk.parquet")
    assert math.isclose(pl.from_arrow(out["district_risk"])["risk"].sum(), risk["risk"].sum())
    assert scores["reported"] and scores["rank"] == 1


# ---- the sample city's parity ----

@pytest.mark.slow
def test_spark_equals_duckdb_on_the_sample_city(sample_city, spark, tmp_path):
    """Five sample districts (ingested from their ledgers, exported with --lake) × three as-of dates:
    every city table from --engine spark equals --engine duckdb."""
    parts = committed(sample_city)
    assert len({p.district_code for p in parts}) == 5 and sorted({p.as_of.isoformat() for p in parts}) == AS_OFS
    duck = read(city.rollup(sample_city, D, tmp_path / "duck").path)
    sparked = read(city.rollup(sample_city, D, tmp_path / "spark", engine="spark", spark=spark).path)
    assert_same_tables(duck, sparked)
    scores = duck["district_scores"].to_pylist()
    assert len(scores) == 5 and all(r["reported"] and r["rank"] is not None for r in scores)
    assert len(duck["district_score_trend"]) == 15
