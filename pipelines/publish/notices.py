"""督办通知书 numbers (issue 16): a sequence per year kept in the warehouse, table notice_numbers
(year, seq, unit_kind, unit_code, as_of, notice_no, issued_at), one row per responsible unit and
as-of date. The same unit's notice for the same as-of date keeps its number however often it is
written again; a new one takes the next seq of its year (the year of the as-of date), formatted
with the rules file's pattern ([documents] notice_number, e.g. 青溪安督〔2026〕12号).

Numbers are written as every writer writes the warehouse (xiaoan/warehouse.py): under the writer
lock, into a copy of the live file, published by an atomic swap, so a dashboard holding the live
file read-only is never disturbed. A later load copies the live file, so it keeps them; `xiaoan
rebuild` builds a new file from the archive alone and carries the table over (carry_over).

issue_notices() is the one entry point that writes notices (the command line and the 督办 page
call it): the documents themselves are laid out and rendered by xiaoan.documents.notice, which
takes the numbering from here (the core does not import the publishing layer)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import duckdb

from pipelines.catalog import declared_macros, declared_marts
from xiaoan.i18n import t
from xiaoan.rules import Rules, RulesError, load_rules
from xiaoan.warehouse import WarehouseMissing, fsync_path, next_version, open_read_only, readiness, writer_lock

TABLE = "notice_numbers"
DDL = f"""create table if not exists {TABLE} (
    year integer not null, seq integer not null, unit_kind varchar not null, unit_code varchar not null,
    as_of date not null, notice_no varchar not null, issued_at timestamp not null,
    primary key (unit_kind, unit_code, as_of), unique (year, seq))"""
COLUMNS = "year, seq, unit_kind, unit_code, as_of, notice_no, issued_at"

Unit = tuple[str, str]  # (responsible kind, responsible code)


def assign_numbers(warehouse: Path, as_of: dt.date, units: Iterable[Unit],
                   rules: Rules | None = None) -> dict[Unit, str]:
    """The notice number of each unit's notice for `as_of`: the one it was given before, else
    the next of the year, in the order the units are given. Nothing is written when every unit
    has its number already. WarehouseMissing when there is no warehouse. The pattern is the
    rules file's, checked when the rules are read (xiaoan.rules: {seq} required, no other name)."""
    wanted = list(dict.fromkeys((str(kind), str(code)) for kind, code in units))
    if not Path(warehouse).exists():
        raise WarehouseMissing(str(warehouse))
    if not wanted:
        return {}
    documents = (rules or load_rules()).documents
    known = _known_live(warehouse, as_of)
    if all(u in known for u in wanted):
        return {u: known[u] for u in wanted}
    with writer_lock(warehouse):
        known = _known_live(warehouse, as_of)  # another writer may have numbered them meanwhile
        if not all(u in known for u in wanted):
            with next_version(warehouse) as con:
                con.execute(DDL)
                known = _known(con, as_of)
                district = district_name(con)
                (last,) = con.execute(f"select coalesce(max(seq), 0) from {TABLE} where year = ?",
                                      [as_of.year]).fetchone()
                now = dt.datetime.now().replace(microsecond=0)
                for unit in wanted:
                    if unit in known:
                        continue
                    last += 1
                    known[unit] = documents.notice_no(district, as_of.year, last)
                    con.execute(f"insert into {TABLE} ({COLUMNS}) values (?, ?, ?, ?, ?, ?, ?)",
                                [as_of.year, last, *unit, as_of, known[unit], now])
    return {u: known[u] for u in wanted}


def district_name(con: duckdb.DuckDBPyConnection) -> str:
    """区名称 of the 基础信息表; "" before it is loaded."""
    try:
        row = con.execute("select district_name from district limit 1").fetchone()
    except duckdb.CatalogException:
        return ""
    return (row[0] or "").strip() if row else ""


def numbers(warehouse: Path, as_of: dt.date | None = None) -> dict[tuple[str, str, dt.date], str]:
    """The numbers the live warehouse holds: (kind, code, as_of) → notice number (of one as-of date)."""
    con = open_read_only(warehouse)
    try:
        if not _has_table(con):
            return {}
        rows = con.execute(f"select unit_kind, unit_code, as_of, notice_no from {TABLE} "
                           "where ?::date is null or as_of = ?::date", [as_of, as_of]).fetchall()
        return {(k, c, a): n for k, c, a, n in rows}
    finally:
        con.close()


def carry_over(live: Path, target: Path) -> int:
    """Copy the live warehouse's notice numbers into `target` (a rebuilt file not yet published:
    no reader has it open), attaching the live file read-only. Returns how many rows; 0 when the
    live file or its table does not exist."""
    if not Path(live).exists():
        return 0
    con = duckdb.connect(str(target))
    try:
        con.execute(f"attach '{_quote(live)}' as live (read_only)")
        present = con.execute("select count(*) from duckdb_tables() where database_name = 'live' and table_name = ?",
                              [TABLE]).fetchone()[0]
        if not present:
            return 0
        con.execute(DDL)
        con.execute(f"delete from {TABLE}")
        con.execute(f"insert into {TABLE} ({COLUMNS}) select {COLUMNS} from live.{TABLE}")
        (count,) = con.execute(f"select count(*) from {TABLE}").fetchone()
        con.execute("detach live")
        con.execute("checkpoint")
        return count
    finally:
        con.close()
        fsync_path(target)


class NoticesError(Exception):
    """Notices cannot be written: `key` names the reason in the notices.* texts (xiaoan.i18n),
    `values` fill it in; message(lang) is the one line to show."""

    def __init__(self, key: str, **values: object):
        super().__init__(key)
        self.key, self.values = key, values

    def message(self, lang: str = "zh") -> str:
        return t(self.key, lang, **self.values)


def issue_notices(warehouse: Path, as_of: dt.date, out: Path, unit: str | None = None,
                  rules: Rules | None = None) -> list:
    """Write the 督办通知书 of `as_of` into `out` (only `unit`'s, by its code), numbered here:
    xiaoan.documents.notice.write_notices with assign_numbers. Returns the notices written ([]:
    no unit, or not `unit`, holds an overdue or 挂牌 hazard). NoticesError with the reason when
    they cannot be written (no warehouse, an outdated one, an unknown unit, a broken template or
    rules file, a folder that cannot be written)."""
    from xiaoan.documents import DocumentTemplateError
    from xiaoan.documents.notice import UnitUnknown, write_notices

    warehouse = Path(warehouse)
    if not warehouse.exists():
        raise NoticesError("notices.no_warehouse", path=warehouse)
    con = open_read_only(warehouse)
    try:
        state = readiness(con, declared_marts(), declared_macros())
    finally:
        con.close()
    if state != "ready":
        raise NoticesError(f"notices.{state}", path=warehouse)
    try:
        rules = rules or load_rules()
        return write_notices(warehouse, as_of, out, unit, rules=rules,
                             assign=lambda units: assign_numbers(warehouse, as_of, units, rules))
    except RulesError as exc:
        raise NoticesError("notices.rules", detail=str(exc).splitlines()[0]) from None
    except UnitUnknown:
        raise NoticesError("notices.unit_unknown", unit=unit) from None
    except DocumentTemplateError as exc:
        raise NoticesError("notices.template", template=exc.template, field=exc.field or "-",
                           detail=exc.detail) from None
    except OSError as exc:
        raise NoticesError("notices.cannot_write", path=exc.filename or out, detail=exc.strerror or exc) from None


def _known_live(warehouse: Path, as_of: dt.date) -> dict[Unit, str]:
    con = open_read_only(warehouse)
    try:
        return _known(con, as_of) if _has_table(con) else {}
    finally:
        con.close()


def _known(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> dict[Unit, str]:
    rows = con.execute(f"select unit_kind, unit_code, notice_no from {TABLE} where as_of = ?", [as_of]).fetchall()
    return {(k, c): n for k, c, n in rows}


def _has_table(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute("select count(*) from duckdb_tables() where database_name = current_database() "
                            "and table_name = ?", [TABLE]).fetchone()[0])


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")
