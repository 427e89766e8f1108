"""Build the files offices send, for tests: a registry workbook and ledgers as .xlsx, .xls or
.csv, from plain Python rows. Every test that needs a file makes it here, in a tmp folder."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import xlsxwriter
import xlwt

Row = Sequence[object]

REGISTRY_HEADERS = {
    "区": ["区名称", "总校长"],
    "镇": ["镇代码", "镇名称", "总校长"],
    "村社区": ["村代码", "村名称", "镇代码", "总校长"],
    "学校": ["学校代码", "学校名称", "学校类型", "办学性质", "镇代码", "村代码", "在校生数", "纬度", "经度"],
    "成员单位": ["单位代码", "单位名称", "成员", "联络员", "联系电话"],
}
HAZARD_HEADERS = ["隐患编号", "学校", "所属镇", "隐患类别", "隐患等级", "隐患描述", "发现日期", "发现单位", "责任单位",
                  "整改时限", "整改措施", "整改状态", "整改完成日期", "销号日期", "填报日期"]
INSPECTION_HEADERS = ["检查编号", "检查日期", "检查单位", "学校", "检查类型", "检查类别", "检查人员", "发现隐患数", "检查得分"]
MEETING_HEADERS = ["会议编号", "会议名称", "会议类型", "层级", "所属镇", "召开日期", "主持人", "参会单位", "议题", "议定事项数"]

# A small district: 2 towns, 3 villages, 4 schools (two kindergartens share a name across
# towns), 3 member units.
SMALL_REGISTRY: dict[str, list[Row]] = {
    "区": [["青溪区", "王总"]],
    "镇": [["T01", "城关镇", "李镇长"], ["T02", "河口镇", "赵镇长"]],
    "村社区": [["V01", "东村", "T01", "张主任"], ["V02", "西村", "T01", "陈主任"], ["V03", "南村", "T02", "刘主任"]],
    "学校": [
        ["S01", "城关镇第一小学", "小学", "公办", "T01", "V01", 600, 30.10, 110.20],
        ["S02", "中心幼儿园", "幼儿园", "公办", "T01", "V02", 150, 30.11, 110.21],
        ["S03", "中心幼儿园", "幼儿园", "民办", "T02", "V03", 90, 30.20, 110.30],
        ["S04", "河口镇初级中学", "初中", "公办", "T02", "V03", 800, None, None],
    ],
    "成员单位": [
        ["D01", "区教育局", "周局长", "吴联络", "0774-0000001"],
        ["D02", "青溪公安分局", "郑局长", "孙联络", "0774-0000002"],
        ["D03", "消防救援大队", "钱队长", "冯联络", "0774-0000003"],
    ],
}


def registry_workbook(path: Path, tables: dict[str, list[Row]] | None = None, instructions: bool = True) -> Path:
    """The registry (登记册): one sheet per table, plus a 填表说明 sheet."""
    tables = SMALL_REGISTRY if tables is None else tables
    book = xlsxwriter.Workbook(str(path))
    for name, rows in tables.items():
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, REGISTRY_HEADERS[name])
        for i, row in enumerate(rows, start=1):
            _write_row(sheet, i, row, book)
    if instructions:
        book.add_worksheet("填表说明").write(0, 0, "请按表头填写，日期格式 2026-03-05")
    book.close()
    return path


def xlsx(path: Path, headers: Row, rows: Sequence[Row], sheet: str = "Sheet1", title: str | None = None,
         extra_sheets: dict[str, tuple[Row, Sequence[Row]]] | None = None) -> Path:
    """A ledger workbook: optional merged title line, a header row, the rows; more sheets optional."""
    book = xlsxwriter.Workbook(str(path))
    for name, (hdr, body) in {sheet: (headers, rows), **(extra_sheets or {})}.items():
        ws = book.add_worksheet(name)
        top = 0
        if title:
            ws.merge_range(0, 0, 0, max(len(hdr) - 1, 1), title)
            top = 1
        ws.write_row(top, 0, list(hdr))
        for i, row in enumerate(body, start=top + 1):
            _write_row(ws, i, row, book)
    book.close()
    return path


def xls(path: Path, headers: Row, rows: Sequence[Row], sheet: str = "Sheet1") -> Path:
    """The same ledger as an old .xls (WPS and old Excel)."""
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet(sheet)
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for c, h in enumerate(headers):
        ws.write(0, c, h)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                ws.write(r, c, dt.datetime.combine(value, dt.time()), date_style)
            elif value is not None:
                ws.write(r, c, value)
    book.save(str(path))
    return path


def csv_file(path: Path, headers: Row, rows: Sequence[Row], encoding: str = "utf-8", title: str | None = None) -> Path:
    """The ledger as CSV in the given encoding ('utf-8', 'utf-8-sig' for a BOM, 'gbk')."""
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        if title:
            writer.writerow([title])
        writer.writerow(list(headers))
        for row in rows:
            writer.writerow(["" if v is None else (v.isoformat() if isinstance(v, dt.date) else v) for v in row])
    return path


def _write_row(sheet, r: int, row: Row, book) -> None:
    date_format = book.__dict__.setdefault("_xiaoan_date", book.add_format({"num_format": "yyyy-mm-dd"}))
    for c, value in enumerate(row):
        if isinstance(value, dt.date):
            sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)
        elif isinstance(value, str):
            sheet.write_string(r, c, value)  # as typed: text that looks like a formula stays text
        elif value is not None:
            sheet.write(r, c, value)


def hazard(hazard_id: str, school: str = "S01", category: str = "消防安全", level: str = "一般",
           found: dt.date = dt.date(2026, 3, 1), dept: str = "D01", deadline: dt.date | None = None,
           status: str = "未整改", rectified: dt.date | None = None, closed: dt.date | None = None,
           report: dt.date | None = dt.date(2026, 3, 31), town: str | None = None, description: str = "隐患描述",
           found_by: str | None = None, measures: str | None = None) -> list[object]:
    """One hazard-ledger row in HAZARD_HEADERS order."""
    return [hazard_id, school, town, category, level, description, found, found_by, dept,
            deadline or found + dt.timedelta(days=30), measures, status, rectified, closed, report]


# ---- broken and odd files, as the fuzzing and the audits found them (tests/test_ingest_isolation.py)

def csv_variant(path: Path, headers: Row, rows: Sequence[Row], separator: str = ",", line_end: str = "\r\n",
                encoding: str = "utf-8") -> Path:
    """The ledger as CSV with another separator (; tab |) or line end ("\\r" alone: old exports)."""
    with open(path, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=separator, lineterminator=line_end).writerows(
            [list(headers), *[["" if v is None else (v.isoformat() if isinstance(v, dt.date) else v) for v in row] for row in rows]])
    return path


def xlsx_with_cells(path: Path, headers: Row, rows: Sequence[Row], cells: Sequence[tuple[int, int, object, bool]]) -> Path:
    """A ledger workbook with extra cells written where a clerk (or a crafted file) put them:
    (row, column, value, as_date) with 0-based row and column; as_date gives the number a
    yyyy-mm-dd format (a number far out of range then reads as a date)."""
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Sheet1")
    ws.write_row(0, 0, list(headers))
    for i, row in enumerate(rows, start=1):
        _write_row(ws, i, row, book)
    date_format = book.__dict__.setdefault("_xiaoan_date", book.add_format({"num_format": "yyyy-mm-dd"}))
    for r, c, value, as_date in cells:
        if as_date:
            ws.write_number(r, c, value, date_format)
        elif isinstance(value, str):
            ws.write_string(r, c, value)
        else:
            ws.write_number(r, c, value)
    book.close()
    return path


def with_corrupt_member(path: Path, member: str = "xl/worksheets/sheet1.xml") -> Path:
    """The workbook with one member's deflate stream overwritten (its sizes and checksum kept):
    inflating it fails with zlib's "Error -3 while decompressing data"."""
    import zipfile

    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    start = info.header_offset + 30 + int.from_bytes(data[info.header_offset + 26:info.header_offset + 28], "little") \
        + int.from_bytes(data[info.header_offset + 28:info.header_offset + 30], "little")
    data[start:start + info.compress_size] = b"\xff" * info.compress_size  # a deflate block of the reserved type
    path.write_bytes(bytes(data))
    return path


def encrypted_workbook(path: Path) -> Path:
    """What Excel writes for a password-protected .xlsx: an OLE compound file (not a zip) holding
    the streams EncryptionInfo and EncryptedPackage (their content here is filler)."""
    import struct

    end, free, fat_sector, none = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    stream_sectors = 8  # 4,096 bytes each: regular sectors, no mini stream
    fat = [fat_sector, end]
    for first in (2, 2 + stream_sectors):
        fat += [first + k + 1 for k in range(stream_sectors - 1)] + [end]
    fat += [free] * (128 - len(fat))
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0) + struct.pack("<I", 0) + struct.pack("<I", free) * 108)

    def entry(name: str, kind: int, left: int, right: int, child: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1) + struct.pack("<III", left, right, child)
                + bytes(16) + bytes(4) + bytes(16) + struct.pack("<IQ", start, size))

    directory = (entry("Root Entry", 5, none, none, 1, end, 0) + entry("EncryptionInfo", 2, none, 2, none, 2, 4096)
                 + entry("EncryptedPackage", 2, none, none, none, 2 + stream_sectors, 4096) + entry("", 0, none, none, none, 0, 0))
    body = struct.pack("<128I", *fat) + directory + b"\x04\x00\x04\x00\x40\x00\x00\x00".ljust(4096, b"\x5a") + bytes(range(256)) * 16
    path.write_bytes(header + body)
    return path


def xls_with_cells(path: Path, headers: Row, rows: Sequence[Row], cells: Sequence[tuple[int, int, object]]) -> Path:
    """The ledger as an old .xls with extra cells (0-based row and column, at most 65,535 and 255)."""
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("Sheet1")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, row in enumerate([list(headers), *rows]):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                ws.write(r, c, dt.datetime.combine(value, dt.time()), date_style)
            elif value is not None:
                ws.write(r, c, value)
    for r, c, value in cells:
        ws.write(r, c, value)
    book.save(str(path))
    return path
