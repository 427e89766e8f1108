"""A synthetic district (青溪区) written as the files its offices send: `xiaoan sample`.

    from pipelines.sample import write_sample
    summary = write_sample(Path("out"), seed=2026, scale="standard", fmt="mixed")

writes into `out`:

- registry/登记册.xlsx (or, with fmt="csv", registry/区.csv, 镇.csv, 村社区.csv, 学校.csv,
  成员单位.csv) and map/towns.geojson;
- hazards/: the monthly hazard ledgers (隐患台账) of three school years ending at `end`;
- inspections/: inspection records (检查记录); meetings/: meeting records (会议记录).

The same seed and end give the same files (CSV byte for byte, workbooks cell for cell —
in practice byte for byte too). Files already in `out` with the same names are overwritten;
others are left alone.

The standard scale has fixed towns (so the committed map data/sample/towns.geojson fits),
untidy hand-made files and about 0.6% deliberately invalid rows (counted in the summary).
Its hazards are assigned by duty (消防 → 消防救援大队, 食品 → 市场监管局, 周边 → the town or
village, small items → the school itself; none to 区委宣传部, 区委政法委 or 区财政局), and its
ledgers carry the closed loop of SPEC §2.2 (责任人; from the second school year 延期至, 验收…,
督办级别 and 整改通知书编号); one lagging town misses one month's ledger; member units with a
school-safety duty inspect at different rates; topical meetings name their 应到单位.
The large scale writes what it wrote before all that (member units only, the v1 columns).
The large scale (about 20,000 schools, 1,000,000 hazard reports) writes its records as
plain CSV whatever `fmt` says; with fmt="mixed" only its registry is a workbook.
The standard registry's 区 sheet carries 青溪区's 区代码 (990102, fictional).

    from pipelines.sample import write_city
    written = write_city(Path("city"), districts=5, seed=2026)

writes a sample city (issue 17): small districts of names.CITY_DISTRICTS (different names,
区代码 and sizes; drawn like the large scale, at the standard rates), each in city/<区代码>/.

Modules, in the order data flows:
  names, params, periods          vocabulary, scale knobs, calendar
  registry, geometry              towns, villages, schools, departments; polygons, points
  inspections, hazards, meetings  the records, vectorised (every hazard has its inspection)
  closed_loop                     responsible persons, extensions, verifications, 挂牌 (standard)
  bad_rows                        a few rows spoiled on purpose
  lookups, styles, messy, render  how each file writes names, dates and untidiness
  sheets                          the .xlsx / .xls / .csv writers
  *_files                         the folder layout of each kind of file
  generate                        write_sample
"""

from __future__ import annotations

from pathlib import Path

from pipelines.sample.generate import write_city, write_sample
from pipelines.sample.registry_files import standard_map_text

__all__ = ["write_sample", "write_city", "write_default_map", "standard_map_text"]


def write_default_map(path: Path | None = None) -> Path:
    """Write the standard district's map (default: data/sample/towns.geojson); returns it."""
    if path is None:
        from xiaoan.config import DEFAULT_MAP

        path = DEFAULT_MAP
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(standard_map_text(), encoding="utf-8")
    return path
