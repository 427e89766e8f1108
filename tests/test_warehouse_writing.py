"""The connection a writer builds the next version on (xiaoan.warehouse.next_version): its rows go
in row groups of ROW_GROUP_ROWS, and every cursor of it opens on the working copy."""

from __future__ import annotations

import math

import duckdb

from xiaoan.warehouse import ROW_GROUP_ROWS, next_version, writer_lock


def _row_groups(path, table: str) -> list[int]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return [n for (n,) in con.sql(
            "select max(count) from pragma_storage_info($t) where column_name = 'i' "
            "group by row_group_id order by row_group_id", params={"t": table}).fetchall()]
    finally:
        con.close()


def test_a_version_is_written_in_row_groups_of_the_set_size(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    rows = 2 * ROW_GROUP_ROWS + 1_000
    with writer_lock(warehouse), next_version(warehouse) as con:
        con.execute("create table t as select range::integer as i from range($n)", {"n": rows})
    groups = _row_groups(warehouse, "t")
    assert len(groups) == math.ceil(rows / ROW_GROUP_ROWS) == 3  # DuckDB's default would give one
    assert groups == [ROW_GROUP_ROWS, ROW_GROUP_ROWS, 1_000]
    # The size is not kept in the file: the next writer sets it again, and its appends follow it.
    with writer_lock(warehouse), next_version(warehouse) as con:
        con.execute("insert into t select range::integer from range($n)", {"n": ROW_GROUP_ROWS})
    assert max(_row_groups(warehouse, "t")) == ROW_GROUP_ROWS
    assert sum(_row_groups(warehouse, "t")) == rows + ROW_GROUP_ROWS


def test_every_cursor_of_the_writer_opens_on_the_working_copy(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    with writer_lock(warehouse), next_version(warehouse) as con:
        con.execute("create table t as select 1 as i")
        cursor = con.cursor()  # precompute's inserts and the metrics run on cursors
        try:
            assert cursor.sql("select count(*) from t").fetchall() == [(1,)]
            cursor.execute("create table u as select 2 as i")
        finally:
            cursor.close()
        assert [name for (name,) in con.sql("select database_name from duckdb_databases() "
                                            "where not internal").fetchall()] == [con.sql("select current_database()").fetchall()[0][0]]
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.sql("select i from u").fetchall() == [(2,)]
    finally:
        con.close()
