"""The city's lake (issue 17): districts' dated snapshots as one Hive-partitioned Parquet lake.

    LAKE/<table>/district=<6-digit code>/as_of=<YYYY-MM-DD>/part-<version>.parquet
    LAKE/_commits/district=<code>/as_of=<date>/COMMIT.json

`write.write_partition` copies a written snapshot folder into the lake (people's names left
out) and commits it; `read.committed`, `read.table_files` and `read.register_lake` are the only
ways a reader finds files: a (district, as-of) is visible only through its COMMIT.json, which
names the files of one complete version.
"""
