"""The city's roll-up (issue 17, SPEC §5): `rollup(lake, as_of, out)` reads the districts'
committed snapshots in the lake and writes the city's tables as a dated folder like a snapshot,
`out/<as-of>/<table>.parquet` + manifest.json, atomically (a temporary folder, then one rename).

The city tables (OUTPUTS) are defined once, in SQL (pipelines/city/models/*.sql, run in file
order, each as a view named after its file without the number): DuckDB runs them as written
(engine "duckdb", the default: one machine serves a city or a province), Spark SQL runs the same
text transpiled by sqlglot (engine "spark": PySpark, local[*] here, a cluster by spark_master;
pipelines/city/dialect.py). Their inputs, on either engine:
  - the lake tables, one view each named like the snapshot table (hazards, inspection_coverage,
    meeting_compliance, town_scores, dept_closure) with `district` and `as_of` columns: exactly
    the files the commit markers name (pipelines.lake.read.committed(), resolved once for every
    table, so a re-export running meanwhile is seen wholly old or wholly new), as-of ≤ D;
  - partitions(district, district_name, as_of, version, period_start, period_end): those
    partitions, each with its snapshot's period (its manifest's; default 1 January to as-of);
  - the city's rules (its own rules file, `rules_path`, else the one in force; the districts'
    weights play no part): rollup (one row: as_of = D, score_decimals, risk weights,
    grade_below), rule_indicators (the [town.*] specs), rule_duties, rule_grades.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.city import dialect
from pipelines.export.schedule import update_latest
from pipelines.export.snapshot import locked_output, publish_folder, remove_leftovers, sha256_of, xiaoan_version
from pipelines.lake.read import Partition, committed, parquet_source
from xiaoan import dates
from xiaoan.dates import DateError
from xiaoan.i18n import TranslatedError
from xiaoan.rules import RulesError, load_rules
from xiaoan.warehouse import fsync_path

MODELS = Path(__file__).resolve().parent / "models"
ENGINES = ("duckdb", "spark")
DEFAULT_SPARK_MASTER = "local[*]"
# The city tables, in the order the folder and the manifest list them.
OUTPUTS = ("district_scores", "district_indicators", "district_score_trend", "district_risk",
           "district_closure", "district_unit_closure")
# The lake tables the models read, each with the columns they use (a partition without one of
# these columns is not readable by this version).
LAKE_TABLES: dict[str, tuple[str, ...]] = {
    "hazards": ("category", "level", "found_date", "rectified_date", "effective_deadline", "is_rectified",
                "is_closed", "is_open", "is_overdue", "responsible_kind", "responsible_code"),
    "inspection_coverage": ("town_code", "schools", "inspected_schools"),
    "meeting_compliance": ("town_code", "months", "months_met"),
    "town_scores": ("town_code", "reporting", "reporting_has_data"),
    "dept_closure": ("dept_code", "dept_name"),
}
TIER = "town"  # the districts are ranked on the towns' indicators


class RollupError(TranslatedError):
    """The roll-up cannot run; str() is a one-line reason (English), message(lang) translates."""


@dataclass(frozen=True)
class RollupResult:
    path: Path
    as_of: dt.date
    engine: str
    row_counts: dict[str, int]
    partitions: list[Partition]
    seconds: float


def models() -> list[tuple[str, str]]:
    """(view name, SQL) of every model, in file order."""
    return [(re.sub(r"^\d+_", "", p.stem), p.read_text(encoding="utf-8")) for p in sorted(MODELS.glob("*.sql"))]


def rollup(lake: Path, as_of: dt.date | str, out: Path, engine: str = "duckdb", spark_master: str | None = None,
           rules_path: Path | None = None, lake_url: str | None = None, spark=None) -> RollupResult:
    """Write the city's tables as of `as_of` over the lake's committed partitions (as-of ≤ D) to
    out/<as-of>/, replacing a roll-up of the same date whole, and point out/latest at the newest.
    lake_url: where Spark reads the lake's files (e.g. s3a://bucket/lake) when the commit markers
    are read at `lake` (a mount of the same store); default: `lake` itself. spark: an existing
    SparkSession to use (else one is made, and stopped afterwards)."""
    began = time.perf_counter()
    try:
        day = dates.parse_date(as_of) if not isinstance(as_of, dt.date) else as_of
    except DateError:
        day = None
    if day is None:
        raise RollupError("city.rollup.bad_date", value=as_of)
    if engine not in ENGINES:
        raise RollupError("city.rollup.bad_engine", value=engine, engines=", ".join(ENGINES))
    try:
        rules = load_rules(rules_path)
    except RulesError as exc:
        raise RollupError("city.rollup.rules", detail=str(exc)) from None
    lake, out = Path(lake), Path(out)
    if not lake.is_dir():
        raise RollupError("city.rollup.no_lake", lake=lake)
    # One resolution of the commit markers for every table: the versions read belong together.
    parts = [p for p in committed(lake) if p.as_of <= day]
    if not any(p.as_of == day for p in parts):
        raise RollupError("city.rollup.no_partitions", lake=lake, as_of=day.isoformat())
    files = {table: [p.files[table] for p in parts if table in p.files] for table in LAKE_TABLES}
    empty = [table for table, paths in files.items() if not paths]
    if empty:
        raise RollupError("city.rollup.no_table", lake=lake, table=", ".join(empty))
    check_columns(parts)
    inputs = input_tables(parts, rules, day)
    if engine == "duckdb":
        tables = run_duckdb(files, inputs)
    else:
        tables = run_spark(lake, files, inputs, spark_master, lake_url, spark)

    name = day.isoformat()
    try:
        out.mkdir(parents=True, exist_ok=True)
        with locked_output(out):
            remove_leftovers(out)
            work = out / f".{name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
            work.mkdir()
            try:
                _write_all(work, tables, day, engine, spark_master, lake, parts, rules, rules_path)
                publish_folder(work, out / name)
            except BaseException:
                shutil.rmtree(work, ignore_errors=True)
                raise
            update_latest(out)
    except OSError as exc:
        raise RollupError("city.rollup.cannot_write", path=out / name, detail=exc.strerror or exc) from exc
    return RollupResult(out / name, day, engine, {k: v.num_rows for k, v in tables.items()}, parts,
                        time.perf_counter() - began)


# ---- inputs ----

def check_columns(parts: list[Partition]) -> None:
    """Every committed file of a lake table holds the columns the models use (LAKE_TABLES): both
    engines read the files by column name across partitions, so a missing column would read as
    NULL (a district with nothing rectified) rather than fail. Only the footers are read."""
    for p in parts:
        for table, needed in LAKE_TABLES.items():
            path = p.files.get(table)
            if path is None:
                continue
            try:
                names = set(pq.read_schema(path).names)
            except (OSError, pa.ArrowException) as exc:
                raise RollupError("city.rollup.unreadable", district=p.district_name or p.district_code,
                                  code=p.district_code, as_of=p.as_of.isoformat(), table=table,
                                  detail=str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
            missing = [c for c in needed if c not in names]
            if missing:
                raise RollupError("city.rollup.missing_column", district=p.district_name or p.district_code,
                                  code=p.district_code, as_of=p.as_of.isoformat(), table=table,
                                  column=", ".join(missing))


def input_tables(parts: list[Partition], rules, day: dt.date) -> dict[str, pa.Table]:
    """partitions and the city's rules as small Arrow tables (the same for both engines)."""
    def period(p: Partition) -> tuple[dt.date, dt.date]:
        given = p.manifest.get("period") or {}
        start = _date(given.get("start")) or dt.date(p.as_of.year, 1, 1)
        end = min(_date(given.get("end")) or p.as_of, p.as_of)
        return start, end

    periods = [period(p) for p in parts]
    partitions = pa.table({
        "district": pa.array([p.district_code for p in parts], pa.string()),
        "district_name": pa.array([p.district_name or p.district_code for p in parts], pa.string()),
        "as_of": pa.array([p.as_of for p in parts], pa.date32()),
        "version": pa.array([p.version for p in parts], pa.int64()),
        "period_start": pa.array([s for s, _ in periods], pa.date32()),
        "period_end": pa.array([e for _, e in periods], pa.date32()),
    })
    sql_rules = rules.as_sql()
    risk = sql_rules["risk"]
    rollup_row = pa.table({
        "as_of": pa.array([day], pa.date32()),
        "score_decimals": pa.array([sql_rules["score_decimals"]], pa.int32()),
        "risk_general": pa.array([risk["general"]], pa.float64()),
        "risk_major": pa.array([risk["major"]], pa.float64()),
        "risk_grave": pa.array([risk["grave"]], pa.float64()),
        "overdue_factor": pa.array([risk["overdue_factor"]], pa.float64()),
        "grade_below": pa.array([sql_rules["grade_below"]], pa.string()),
    })
    specs = [s for s in sql_rules["indicators"] if s["tier"] == TIER]
    indicators = pa.table({
        "indicator": pa.array([s["indicator"] for s in specs], pa.string()),
        "position": pa.array([s["position"] for s in specs], pa.int32()),
        "weight": pa.array([s["weight"] for s in specs], pa.float64()),
        "points_per_unit": pa.array([s["points_per_unit"] for s in specs], pa.float64()),
        "full_at_days": pa.array([s["full_at_days"] for s in specs], pa.float64()),
        "zero_at_days": pa.array([s["zero_at_days"] for s in specs], pa.float64()),
        "has_duty": pa.array([s["duty"] is not None for s in specs], pa.bool_()),
    })
    duties = [(s["indicator"], entry) for s in specs for entry in (s["duty"] or [])]
    rule_duties = pa.table({"indicator": pa.array([d[0] for d in duties], pa.string()),
                            "entry": pa.array([d[1] for d in duties], pa.string())})
    grades = sql_rules["grades"]
    rule_grades = pa.table({
        "grade": pa.array([g["grade"] for g in grades], pa.string()),
        "min_score": pa.array([g["min"] for g in grades], pa.float64()),
        "position": pa.array(list(range(1, len(grades) + 1)), pa.int32()),
    })
    return {"partitions": partitions, "rollup": rollup_row, "rule_indicators": indicators,
            "rule_duties": rule_duties, "rule_grades": rule_grades}


SQL_TYPES = {pa.string(): "varchar", pa.date32(): "date", pa.int32(): "integer", pa.int64(): "bigint",
             pa.float64(): "double", pa.bool_(): "boolean"}


def values_sql(table: pa.Table) -> str:
    """A small Arrow table as one SELECT over VALUES with typed columns (DuckDB dialect; both
    engines run it, Spark after to_spark): the inputs reach either engine as the same SQL."""
    columns = [(f.name, SQL_TYPES[f.type]) for f in table.schema]
    typed = ", ".join(f"cast({name} as {kind}) as {name}" for name, kind in columns)
    if table.num_rows == 0:
        return "select " + ", ".join(f"cast(null as {kind}) as {name}" for name, kind in columns) + " where 1 = 0"
    rows = ", ".join("(" + ", ".join(_literal(v) for v in row.values()) + ")" for row in table.to_pylist())
    return f"select {typed} from (values {rows}) as t({', '.join(name for name, _ in columns)})"


def _literal(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return f"'{value.isoformat()}'"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


# ---- engines ----

def run_duckdb(files: dict[str, list[Path]], inputs: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """The models on an in-memory DuckDB: the district's formula macros, the inputs, the lake
    views over the committed files, then each model as a view; the outputs as Arrow."""
    import duckdb

    con = duckdb.connect()
    try:
        con.execute(dialect.macro_sql())
        for name, table in inputs.items():
            con.execute(f"create temp table {name} as {values_sql(table)}")
        for table, paths in files.items():
            con.execute(f"create view {table} as select * from {parquet_source(paths)}")
        for name, sql in models():  # each model once, as a temporary table (they are small)
            con.execute(f"create temp table {name} as {sql}")
        return {name: normalize(con.sql(f"select * from {name}").to_arrow_table()) for name in OUTPUTS}
    finally:
        con.close()


def spark_session(master: str | None = None):
    """A SparkSession for the roll-up (local[*] unless a master URL is given)."""
    import sys
    import warnings

    with warnings.catch_warnings():  # "PySpark does not yet fully support pandas >= 3": no pandas here
        warnings.simplefilter("ignore", FutureWarning)
        from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # local mode: Python workers as the driver
    master = master or DEFAULT_SPARK_MASTER
    builder = (SparkSession.builder.master(master).appName("xiaoan-city-rollup")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.session.timeZone", "UTC")
               # district codes stay text ("320102", never a number); as_of is cast to a date below
               .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false"))
    # a few shuffle partitions on one machine (the city tables are small); a cluster keeps its own
    shuffle = os.environ.get("XIAOAN_SPARK_SHUFFLE_PARTITIONS") or ("4" if master.startswith("local") else None)
    if shuffle:
        builder = builder.config("spark.sql.shuffle.partitions", shuffle)
    if master.startswith("local"):
        # one short-lived JVM doing many small queries: the quick JIT tier alone halves the time here
        # (C2 compiling Spark's generated code competes for the same cores)
        builder = builder.config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1")
    if os.environ.get("XIAOAN_SPARK_DRIVER_MEMORY"):  # local mode: the one JVM's heap (default 1g)
        builder = builder.config("spark.driver.memory", os.environ["XIAOAN_SPARK_DRIVER_MEMORY"])
    return builder.getOrCreate()


def run_spark(lake: Path, files: dict[str, list[Path]], inputs: dict[str, pa.Table], master: str | None,
              lake_url: str | None, session=None) -> dict[str, pa.Table]:
    """The same models on Spark SQL (transpiled): the inputs as temp views, each lake table read
    from its explicit file list with basePath (Hive columns district and as_of from the paths),
    each model a temp view; the outputs collected as Arrow (the city tables are small)."""
    from pyspark.sql import functions as F

    spark = session or spark_session(master)
    try:
        for statement in dialect.spark_functions():
            spark.sql(statement)
        for name, table in inputs.items():
            spark.sql(dialect.to_spark(values_sql(table))).createOrReplaceTempView(name)
        for table, paths in files.items():
            base = _spark_path(lake / table, lake, lake_url)
            # mergeSchema: the union of the files' columns (a file's footer alone would decide
            # otherwise); check_columns has made sure every file holds the columns used
            frame = (spark.read.option("basePath", base).option("mergeSchema", "true")
                     .parquet(*[_spark_path(p, lake, lake_url) for p in paths]))
            frame.withColumn("as_of", F.to_date("as_of")).createOrReplaceTempView(table)
        for name, sql in models():
            frame = spark.sql(dialect.to_spark(sql))
            if name not in OUTPUTS:
                # a model the others read: computed once and cut from its lineage (they are small),
                # so the next model's plan reads it as data, not every view below it again
                frame = frame.localCheckpoint(eager=True)
            frame.createOrReplaceTempView(name)
        return {name: normalize(spark.table(name).toArrow()) for name in OUTPUTS}
    finally:
        if session is None:
            spark.stop()


def _spark_path(path: Path, lake: Path, lake_url: str | None) -> str:
    if not lake_url:
        return str(path)
    return lake_url.rstrip("/") + "/" + Path(path).relative_to(lake).as_posix()


def normalize(table: pa.Table) -> pa.Table:
    """One Arrow type per column whichever engine made it (string for large_string/string_view)."""
    fields = []
    for f in table.schema:
        kind = f.type
        if pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
            kind = pa.string()
        fields.append(pa.field(f.name, kind))
    schema = pa.schema(fields)
    return table.cast(schema) if schema != table.schema else table


# ---- the folder ----

def _write_all(work: Path, tables: dict[str, pa.Table], day: dt.date, engine: str, spark_master: str | None,
               lake: Path, parts: list[Partition], rules, rules_path: Path | None) -> None:
    for name, table in tables.items():
        pq.write_table(table, work / f"{name}.parquet")
    files = {p.name: {"bytes": p.stat().st_size, "sha256": sha256_of(p)} for p in sorted(work.iterdir())}
    rules_file = Path(rules.source) if rules.source else None
    manifest = {
        "as_of": day.isoformat(),
        "generated_at": dt.datetime.now().astimezone().replace(microsecond=0).isoformat(),
        "generator": f"xiaoan {xiaoan_version()}",
        "engine": engine,
        "spark_master": (spark_master or DEFAULT_SPARK_MASTER) if engine == "spark" else None,
        "lake": str(lake),
        "rules": {"path": str(rules_file) if rules_file else None,
                  "sha256": sha256_of(rules_file) if rules_file and rules_file.is_file() else None,
                  "hash": rules.hash, "tier": TIER,
                  "weights": {ind: rules.weight(TIER, ind) for ind in rules.indicators(TIER)}},
        "partitions": [{"district": p.district_code, "district_name": p.district_name, "as_of": p.as_of.isoformat(),
                        "version": p.version, "rules_hash": p.manifest.get("rules_hash"),
                        "files": {table: Path(p.files[table]).relative_to(lake).as_posix()
                                  for table in LAKE_TABLES if table in p.files}}
                       for p in parts],
        "row_counts": {name: table.num_rows for name, table in tables.items()},
        "files": files,
    }
    (work / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for path in work.iterdir():
        fsync_path(path)
    fsync_path(work)
