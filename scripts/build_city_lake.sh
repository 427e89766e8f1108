#!/usr/bin/env bash
# Build a small city lake (issue 17): a sample city of N districts → one warehouse per district →
# `xiaoan export --lake` at the last three month ends. Re-running replaces each partition.
#
#   scripts/build_city_lake.sh [DIR] [N]      (defaults: data/city, 5)
#   END=2026-10-31 scripts/build_city_lake.sh  (the last month end covered; default: last month's)
#
# Writes DIR/sample/<区代码>/ (the files each office sends), DIR/warehouses/<区代码>/warehouse.duckdb,
# DIR/snapshots/<区代码>/<as-of>/ and the lake DIR/lake/ (read it with `xiaoan city rollup --lake DIR/lake`).
set -euo pipefail

DIR=${1:-data/city}
N=${2:-5}
XIAOAN=${XIAOAN:-$(dirname "$0")/../.venv/bin/xiaoan}
[ -x "$XIAOAN" ] || XIAOAN=xiaoan
END=${END:-$(date -d "$(date +%Y-%m-01) -1 day" +%F)}
month_end_before() { date -d "$(date -d "$1" +%Y-%m-01) -1 day" +%F; }
A3=$END
A2=$(month_end_before "$A3")
A1=$(month_end_before "$A2")

rm -rf "$DIR/sample"  # generated: written again whole (one seed gives the same files)
"$XIAOAN" sample --out "$DIR/sample" --districts "$N" --end "$END" >/dev/null
mkdir -p "$DIR/logs"
for folder in "$DIR"/sample/[0-9][0-9][0-9][0-9][0-9][0-9]; do
    code=$(basename "$folder")
    warehouse="$DIR/warehouses/$code/warehouse.duckdb"
    "$XIAOAN" ingest --warehouse "$warehouse" "$folder" >"$DIR/logs/ingest-$code.txt"
    for as_of in "$A1" "$A2" "$A3"; do
        "$XIAOAN" export --as-of "$as_of" --warehouse "$warehouse" --out "$DIR/snapshots/$code" \
            --lake "$DIR/lake" >"$DIR/logs/export-$code-$as_of.txt"
        tail -n 1 "$DIR/logs/export-$code-$as_of.txt"
    done
done
echo "lake: $DIR/lake ($N districts, as of $A1 $A2 $A3)"
