"""The registry (登记册) as a workbook or as one CSV per table, and the town map."""

from __future__ import annotations

from pathlib import Path

from pipelines.sample import geometry, names
from pipelines.sample.registry import Registry
from pipelines.sample.sheets import Table, write_csv, write_xlsx

SHEETS: dict[str, tuple[str, dict[str, str]]] = {
    # sheet: (registry attribute, column -> header)
    "区": ("district", {"district_name": "区名称", "principal": "总校长", "district_code": "区代码"}),
    "镇": ("towns", {"town_code": "镇代码", "town_name": "镇名称", "principal": "总校长"}),
    "村社区": ("villages", {"village_code": "村代码", "village_name": "村名称",
                            "town_code": "镇代码", "principal": "总校长"}),
    "学校": ("schools", {"school_code": "学校代码", "school_name": "学校名称",
                         "school_type": "学校类型", "ownership": "办学性质", "town_code": "镇代码",
                         "village_code": "村代码", "students": "在校生数", "lat": "纬度",
                         "lon": "经度"}),
    "成员单位": ("departments", {"dept_code": "单位代码", "dept_name": "单位名称",
                                 "member": "成员", "liaison": "联络员", "phone": "联系电话"}),
}
NOTES = [
    "填表说明：",
    "1. 本登记册由区中小学幼儿园安全总校（园）长制办公室维护，新增或撤并学校请及时更新。",
    "2. 学校代码、镇代码、村代码全区唯一，填报台账时学校可填代码或全称。",
    "3. 成员单位如因工作需要增加，请在成员单位表末尾续填。",
]


def _tables(reg: Registry, titled: bool) -> list[Table]:
    tables = []
    for sheet, (attr, columns) in SHEETS.items():
        frame = getattr(reg, attr)
        present = {c: h for c, h in columns.items() if c in frame.columns}  # 区代码: where there is one
        frame = frame.select(list(present)).rename(present)
        title = f"{reg.district_name}中小学幼儿园名册" if titled and sheet == "学校" else None
        tables.append(Table(sheet, frame, title))
    return tables


def write_registry(out: Path, reg: Registry, curated: bool, fmt: str) -> int:
    """registry/登记册.xlsx, or with fmt="csv" registry/<table>.csv; returns files written."""
    folder = out / "registry"
    if fmt == "csv":
        tables = _tables(reg, titled=False)
        for table in tables:
            write_csv(folder / f"{table.name}.csv", table, "utf-8-sig")
        return len(tables)
    write_xlsx(folder / "登记册.xlsx", _tables(reg, titled=curated), NOTES, notes_first=True,
               constant_memory=not curated)
    return 1


def towns_geojson(reg: Registry) -> str:
    """The town map of a registry as GeoJSON text."""
    return geometry.towns_geojson(reg.towns["town_code"].to_list(),
                                  reg.towns["town_name"].to_list(), reg.polygons)


def write_map(out: Path, reg: Registry) -> int:
    path = out / "map" / "towns.geojson"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(towns_geojson(reg), encoding="utf-8")
    return 1


def standard_map_text() -> str:
    """The standard district's map: fixed towns and polygons, whatever the seed."""
    return geometry.towns_geojson([c for c, _ in names.STANDARD_TOWNS],
                                  [t for _, t in names.STANDARD_TOWNS],
                                  geometry.standard_town_polygons())
