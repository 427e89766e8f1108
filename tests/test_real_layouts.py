"""The ledgers offices really keep (issue 14, SPEC §2.1): every layout of
tests/fixtures/real_layouts/layouts.json, written as the workbook a clerk would send
(tests/real_layouts.py) and ingested into a warehouse holding the sample district's registry,
loads what `expect` says it should: the counts of hazards / inspections / meetings, the values
of the columns it maps, the fields marked as derived — and for the files of no known kind a
rejection whole that quotes their headers. Every file accounts for all its rows.

These tests assert what the product should do, not what it did on the day they were written.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import pytest

from pipelines.publish import ingest
from tests import real_layouts as rl
from tests.real_layouts import sample_registry_warehouse  # noqa: F401  (a session fixture)
from xiaoan.warehouse import open_read_only

IDS = [item["id"] for item in rl.layouts()]
KIND_TABLE = {"hazard": "raw_hazard_reports", "inspection": "raw_inspections", "meeting": "raw_meetings"}
# The names a derived entry of layouts.json may take in the warehouse's `derived` lists.
DERIVED_NAMES = {
    ("inspection", "date"): {"date", "inspection_date"},
    ("inspection", "type"): {"type", "inspection_type"},
    ("inspection", "department"): {"department", "dept_code", "inspector"},
    ("inspection", "school"): {"school", "school_code"},
    ("meeting", "type"): {"type", "meeting_type"},
    ("meeting", "date"): {"date", "meeting_date"},
    ("hazard", "responsible"): {"responsible", "responsible_dept", "responsible_kind"},
}
HAZARD_DERIVABLE = {"hazard_id", "category", "level", "found_date", "deadline", "responsible", "status",
                    "rectified_date", "closed_date"}
CANONICAL_STATUS = {"未整改", "整改中", "已整改", "已销号"}
VERIFICATION = {"已完成": "通过", "合格": "通过", "通过": "通过", "已整改": "通过",
                "未达标": "不通过", "不合格": "不通过", "需二次整改": "不通过", "未通过": "不通过"}


def key(text: object) -> str:
    """A header or cell as layouts.json's field_map keys it: no inner whitespace, no trailing （…）."""
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))
    return re.sub(r"\(.*\)$", "", s)


def squeeze(text: object) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or "")))


@pytest.fixture
def run(tmp_path, sample_registry_warehouse):  # noqa: F811
    """run(layout_id) → (Built, FileReport, rows per kind, registry's last ingest_id)."""

    def _run(layout_id: str):
        warehouse = rl.copy_warehouse(sample_registry_warehouse, tmp_path / "wh")
        built = rl.build(layout_id, tmp_path / "in")
        con = open_read_only(warehouse)
        try:
            before = con.sql("select max(ingest_id) from raw_ingest_log").fetchall()[0][0]
        finally:
            con.close()
        result = ingest([built.path], warehouse, rl.REPORT_DATE)
        assert len(result.files) == 1
        con = open_read_only(warehouse)
        try:
            rows = {}
            for kind, table in KIND_TABLE.items():
                rel = con.sql(f"select * from {table} where ingest_id > $b order by \"row\"", params={"b": before})
                rows[kind] = [dict(zip(rel.columns, values)) for values in rel.fetchall()]
        finally:
            con.close()
        return built, result.files[0], rows

    return _run


def _column_of(built: rl.Built, header_key: str) -> int | None:
    for header in built.item.get("header_rows") or []:
        for c, text in enumerate(header):
            if text and key(text) == header_key:
                return c
    return None


def _sample_row(built: rl.Built, excel_row: int) -> list[str] | None:
    if excel_row in built.rows:
        return built.item["sample_rows"][built.rows.index(excel_row)]
    return None


def _derived_expectations(item: dict) -> dict[str, set[str]]:
    """kind → the fields layouts.json says every loaded record of that kind has derived."""
    primary = "meeting" if "meeting" in item["expect"]["kinds"][:1] else "hazard"
    out: dict[str, set[str]] = {}
    for entry in item["expect"].get("derived") or []:
        name = re.split(r"\s*[（(]", entry, maxsplit=1)[0].strip()
        kind, _, fld = name.rpartition(".")
        kind = kind or primary
        if " " in fld or kind not in KIND_TABLE:
            continue  # a note such as "attendee units", not a field
        out.setdefault(kind, set()).add(fld)
    return out


def _has_derived(row: dict, kind: str, fld: str) -> bool:
    names = DERIVED_NAMES.get((kind, fld), {fld})
    return bool(set(row.get("derived") or []) & names)


def _dated_lines(item: dict) -> bool:
    """Whether the form carries a date the clerk wrote (above, below or in its label cells)."""
    texts = list(item.get("above") or []) + list(item.get("below") or [])
    if item["sheet_form"].startswith("label_cells"):
        texts += [" ".join(row) for row in item["sample_rows"]]
    return any("{date" in text for text in texts)


@pytest.mark.parametrize("layout_id", IDS)
def test_real_layout_loads_as_expected(layout_id, run):
    built, report, rows = run(layout_id)
    item, expect, place = built.item, built.item["expect"], built.place

    # Every row of the file is accounted for.
    assert report.loaded + report.skipped + report.rejected == report.rows_in, report

    if expect.get("rejected_whole"):
        assert report.status == "rejected", report
        assert report.loaded == 0 and not any(rows.values()), rows
        message = squeeze(report.message)
        quoted = [key(h) for header in item["header_rows"] for h in header if h and "\\" not in h]
        missing = [h for h in quoted if h not in message]
        assert not missing, f"headers not quoted in the rejection: {missing}; message: {report.message}"
        return

    counts = {kind: len(found) for kind, found in rows.items()}
    wanted = {kind: expect["records"].get(kind, 0) for kind in KIND_TABLE
              if kind in expect["records"] or kind not in expect["kinds"]}
    assert {k: counts[k] for k in wanted} == wanted, (report, counts)
    assert report.status == "loaded" and report.loaded > 0, report

    # Every record is about the sample school (named in a column, a line, the title or the file name).
    for kind in ("hazard", "inspection"):
        assert {r["school_code"] for r in rows[kind]} <= {place.school_code}, rows[kind]

    # What the columns the layout maps hold arrives in the field they map to.
    field_map = {key(h): f for h, f in (expect.get("field_map") or {}).items()}
    for hazard in rows["hazard"]:
        cells = _sample_row(built, hazard["row"])
        if cells is None:
            continue
        for header_key, fld in field_map.items():
            c = _column_of(built, header_key)
            if c is None or c >= len(cells) or not cells[c]:
                continue
            _assert_hazard_cell(fld, cells[c], hazard, place, built.item)

    # An inspection: its date from the clerk's line, else the report date; a self-check when no unit is named.
    for inspection in rows["inspection"]:
        wanted_date = place.date if _dated_lines(item) else rl.REPORT_DATE
        if "inspection.date" not in (expect.get("from_lines") or {}).values() and not _dated_lines(item):
            wanted_date = rl.REPORT_DATE
        assert inspection["inspection_date"] == wanted_date, inspection
        if any(d.startswith("inspection.department (the school") for d in expect.get("derived") or []):
            assert inspection["self_check"] is True and inspection["inspector_code"] == place.school_code, inspection
        if "检查单位" in (expect.get("from_lines") or {}):
            assert inspection["dept_code"] == "D03" and not inspection["self_check"], inspection
        if "专项" in (item.get("title") or ""):
            assert inspection["inspection_type"] == "专项检查", inspection

    for meeting in rows["meeting"]:
        if "{date_no_year}" in " ".join(" ".join(r) for r in item["sample_rows"]):
            assert meeting["meeting_date"] == place.date, meeting
        for label, value in item["sample_rows"]:
            fld = field_map.get(key(label))
            if fld in ("title", "topics", "chair") and value:
                assert squeeze(rl.fill(value, item, place)) in squeeze(meeting[fld]), (label, meeting)

    # Derived values are marked as derived; values typed in a column are not.
    for kind, fields in _derived_expectations(item).items():
        for record in rows[kind]:
            missing = sorted(f for f in fields if not _has_derived(record, kind, f))
            assert not missing, f"{kind} row {record['row']}: not marked derived: {missing} (derived={record.get('derived')})"
    typed = {f for f in field_map.values() if f in HAZARD_DERIVABLE}
    for hazard in rows["hazard"]:
        # a relative 整改时限 (立即整改, 7日内) counts from the found date: when that date is derived,
        # so is the deadline's date, though the clerk typed the words
        counted = {"deadline"} if _has_derived(hazard, "hazard", "found_date") and _relative_deadline(built, hazard) else set()
        wrongly = sorted(f for f in typed - counted if _has_derived(hazard, "hazard", f))
        assert not wrongly, f"hazard row {hazard['row']}: typed in a column yet marked derived: {wrongly}"


def _relative_deadline(built, hazard: dict) -> bool:
    """Whether the row's 整改时限 cell says a number of days (or 立即) rather than a date."""
    cells = _sample_row(built, hazard["row"])
    columns = [_column_of(built, key(h)) for h, f in (built.item["expect"].get("field_map") or {}).items() if f == "deadline"]
    texts = [cells[c] for c in columns if cells is not None and c is not None and c < len(cells) and cells[c]]
    return any(re.search(r"日内|天内|立即|当日|当天", str(t)) for t in texts)


def _assert_hazard_cell(fld: str, cell: str, hazard: dict, place: rl.Place, item: dict) -> None:
    text = rl.fill(cell, item, place)
    if fld == "description":
        assert squeeze(text).rstrip("。") in squeeze(hazard["description"]), (text, hazard)
    elif fld == "measures":
        assert squeeze(text) in squeeze(hazard["measures"]), (text, hazard)
    elif fld in ("deadline", "found_date"):
        day = rl.sample_date(cell, place)
        if day is not None:
            assert hazard[fld] == day, (fld, text, hazard)
        elif fld == "deadline" and text in ("当日", "立即", "立即整改"):
            assert hazard["deadline"] == hazard["found_date"], (text, hazard)
    elif fld == "level":
        assert hazard["level"] == squeeze(text).removesuffix("隐患"), (text, hazard)
    elif fld == "status" and text in CANONICAL_STATUS:
        assert hazard["status"] == text, (text, hazard)
    elif fld == "responsible_person":
        assert hazard["responsible_person"] == text, (text, hazard)
    elif fld == "verification":
        words = [w for w in re.split(r"[，,；;。\s]+", text) if w]
        wanted = {VERIFICATION[w] for w in words if w in VERIFICATION}
        if len(wanted) == 1:
            assert hazard["verification"] in wanted, (text, hazard)
    elif fld == "school":
        assert hazard["school_code"] == place.school_code, (text, hazard)


def test_every_layout_names_its_source_in_the_readme():
    readme = (rl.FIXTURES / "README.md").read_text(encoding="utf-8")
    for item in rl.layouts():
        assert item["source"].startswith("http"), item["id"]
        assert item["source"] in readme, f"{item['id']}: source not in the README"
        assert f"| {item['id']} |" in readme, f"{item['id']}: no row in the README's table"
    beyond = [item for item in rl.layouts() if item.get("beyond_spec")]
    assert len(beyond) >= 8


def test_builder_writes_the_clerks_workbook(tmp_path):
    """The builder itself: title merged across the table, lines above, headers, filled rows."""
    import openpyxl

    built = rl.build("B01", tmp_path)
    sheet = openpyxl.load_workbook(built.path).active
    assert sheet["A1"].value == f"{rl.SAMPLE_SCHOOL}校舍及附属设施设备安全检查记录"
    assert "A1:E1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A2"].value == "2026年10月12日"
    assert [c.value for c in sheet[3]] == ["序号", "检查项目", "检查内容", "检查结果", "整改措施"]
    assert "A4:A6" in {str(r) for r in sheet.merged_cells.ranges}  # 序号 merged down over its items
    assert sheet.cell(row=built.rows[-1] + 1, column=1).value == "检查人：方杨 吴昊 王体雷 韦娜"
    assert built.path.name == f"{rl.SAMPLE_SCHOOL}校舍安全检查记录10月.xlsx"
    old = rl.build("S04", tmp_path)
    assert old.path.suffix == ".xls" and old.path.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    assert dt.date(2026, 10, 12) == rl.SAMPLE_DATE and Path(old.path).exists()
