"""Hostile and broken files: each is rejected whole with a reason a clerk can act on, before it
can take the machine's memory, and the other files of the same load go on. The limits are
those of pipelines/ingest/limits.py (lowered here where a real-size file would be slow to make)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from pipelines.ingest import limits
from pipelines.ingest.readers import UnreadableFile, read_sheets
from tests import builders
from tests.builders import HAZARD_HEADERS, hazard

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                 'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                 'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>')
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def workbook(path: Path, sheets: list[tuple[str, str]]) -> Path:
    """An .xlsx made by hand from (sheet name, <sheetData> content) pairs: the shapes a
    spreadsheet program would never write, but a crafted file can."""
    names = "".join(f'<sheet name="{n}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, (n, _) in enumerate(sheets))
    rels = "".join(f'<Relationship Id="rId{i + 1}" Type="{DOC_REL}/worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
                   for i in range(len(sheets)))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", f'<Relationships xmlns="{RELS_NS}"><Relationship Id="rId1" '
                                  f'Type="{DOC_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<workbook xmlns="{MAIN_NS}" xmlns:r="{DOC_REL}"><sheets>{names}</sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{RELS_NS}">{rels}</Relationships>')
        for i, (_, data) in enumerate(sheets):
            z.writestr(f"xl/worksheets/sheet{i + 1}.xml",
                       f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{DOC_REL}"><sheetData>{data}</sheetData></worksheet>')
    return path


def cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def good(tmp_path: Path, name: str = "good.xlsx") -> Path:
    return builders.xlsx(tmp_path / name, HAZARD_HEADERS, [hazard("H1"), hazard("H2")])


def _by_name(result) -> dict:
    return {Path(f.file).name: f for f in result.files}


# Each hostile file, and words its rejection must contain (zh, the clerk's language).
def hostile_files(tmp_path: Path) -> dict[str, tuple[bytes, str]]:
    d = tmp_path / "made"
    d.mkdir()
    header = "".join(cell(f"{chr(65 + i)}1", h) for i, h in enumerate(HAZARD_HEADERS))
    files = {
        # a few cells far apart: the reader would allocate 1,048,576 × 16,384 cells
        "corner.xlsx": (workbook(d / "corner.xlsx", [("台账", f'<row r="1">{header}</row>'
                                                            f'<row r="1048576">{cell("XFD1048576", "x")}</row>')]), "列数过多"),
        # cells without positions, placed one after another across 20,000 columns
        "implicit.xlsx": (workbook(d / "implicit.xlsx", [("台账", f'<row r="1">{header}</row><row r="2">'
                                                                + "<c/>" * 20000 + '<c t="inlineStr"><is><t>x</t></is></c></row>')]), "列数过多"),
        # a decompression bomb: 300 MB of zeros in a few hundred KB
        "bomb.xlsx": (_zip_bomb(d / "bomb.xlsx"), "压缩炸弹"),
        # thousands of sheets
        "sheets.xlsx": (workbook(d / "sheets.xlsx", [(f"s{i}", "") for i in range(3000)]), "工作表过多"),
        # binary junk and other files wearing a spreadsheet's name
        "photo.xlsx": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, "不是有效的电子表格文件"),
        "zip.xlsx": (_plain_zip(), "不是有效的电子表格文件"),
        "page.xls": ("<html><body><table><tr><td>隐患编号</td></tr></table></body></html>".encode(), "不是有效的电子表格文件"),
        "junk.csv": (bytes(range(1, 32)) * 300, "无法识别文本编码"),
        # CSV in encodings other than UTF-8 / UTF-16 with BOM / GBK
        "utf16.csv": (_ledger_text().encode("utf-16-le"), "无法识别文本编码"),
        "utf32.csv": (_ledger_text().encode("utf-32"), "无法识别文本编码"),
        "big5.csv": (_ledger_text(traditional=True).encode("big5"), "无法识别文本编码"),
        "sjis.csv": (_ledger_text(japanese=True).encode("shift_jis"), "无法识别文本编码"),
        # a CSV one million columns wide
        "wide.csv": (("隐患编号" + ",x" * 1_000_000 + "\n").encode(), "列数过多"),
    }
    return {name: (value.read_bytes() if isinstance(value, Path) else value, words) for name, (value, words) in files.items()}


def _zip_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (300 * 2**20))
    return path


def _plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("readme.txt", "not a workbook")
    return buffer.getvalue()


def _ledger_text(traditional: bool = False, japanese: bool = False) -> str:
    """A hazard ledger's header and rows as CSV text (in characters Big5 / Shift-JIS can hold)."""
    if japanese:
        header, body = "番号,学校,所属町,区分,等級,説明", "H1,第一小学校,城関町,消防安全,一般,配電盤の老朽化"
    elif traditional:
        header, body = "隱患編號,學校,所屬鎮,隱患類別,隱患等級,隱患描述", "H1,城關鎮第一小學,城關鎮,消防安全,一般,配電箱老化"
    else:
        header, body = ",".join(HAZARD_HEADERS), "H1,S01,,消防安全,一般,描述,2026-03-01,,D01,2026-04-01,,未整改,,,2026-03-31"
    return "\n".join([header, *[body] * 30]) + "\n"


def test_every_hostile_file_is_rejected_with_its_reason_and_the_good_one_loads(load, query, tmp_path):
    hostile = hostile_files(tmp_path)
    folder = tmp_path / "in"
    folder.mkdir()
    for name, (data, _) in hostile.items():
        (folder / name).write_bytes(data)
    result = load(*(folder / n for n in hostile), good(tmp_path))
    by_name = _by_name(result)
    for name, (_, words) in hostile.items():
        report = by_name[name]
        assert report.status == "rejected" and words in report.message, (name, report.message)
    assert by_name["good.xlsx"].loaded == 2
    rejected = dict(query('select file, reason from rejected_rows where "row" is null'))
    assert set(rejected) == set(hostile) and all(hostile[f][1] in r for f, r in rejected.items())


def test_a_file_larger_than_the_limit_is_rejected_and_the_others_go_on(load, tmp_path, monkeypatch):
    big = builders.xlsx(tmp_path / "big.xlsx", HAZARD_HEADERS, [hazard(f"B{i}") for i in range(300)])
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", big.stat().st_size - 1)
    by_name = _by_name(load(big, good(tmp_path)))
    assert by_name["big.xlsx"].status == "rejected" and "文件过大" in by_name["big.xlsx"].message
    assert by_name["good.xlsx"].loaded == 2


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_sheet_with_more_rows_than_the_limit_is_rejected_and_the_others_go_on(kind, load, tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROWS_PER_SHEET", 50)
    rows = [hazard(f"R{i}") for i in range(60)]
    long = (builders.xlsx(tmp_path / "long.xlsx", HAZARD_HEADERS, rows) if kind == "xlsx"
            else builders.csv_file(tmp_path / "long.csv", HAZARD_HEADERS, rows))
    by_name = _by_name(load(long, good(tmp_path)))
    assert by_name[long.name].status == "rejected" and "行数过多" in by_name[long.name].message
    assert "61" in by_name[long.name].message  # the rows it has, header included
    assert by_name["good.xlsx"].loaded == 2


def test_a_cell_longer_than_the_limit_rejects_its_row_only_and_stays_small_in_the_warehouse(load, query, tmp_path):
    huge = "长" * 300_000
    rows = [hazard("H1"), hazard("H2", description="长" * (limits.MAX_CELL_CHARS + 1)), hazard("H3", description=huge)]
    result = load(builders.csv_file(tmp_path / "long-cells.csv", HAZARD_HEADERS, rows))
    assert (result.files[0].loaded, result.files[0].rejected) == (1, 2)
    reasons = query('select "row", reason, length(raw) from rejected_rows order by "row"')
    assert [r[0] for r in reasons] == [3, 4] and all(str(limits.MAX_CELL_CHARS) in r[1] for r in reasons)
    assert max(r[2] for r in reasons) < 5 * limits.MAX_CELL_CHARS * 4  # cut, not 300,000 characters kept


def test_a_workbook_read_directly_refuses_the_dimension_bomb_without_allocating_it(tmp_path):
    corner = workbook(tmp_path / "c.xlsx", [("s", f'<row r="1">{cell("A1", "x")}</row><row r="1048576">{cell("XFD1048576", "y")}</row>')])
    with pytest.raises(UnreadableFile, match="列数过多"):
        read_sheets(corner, corner.read_bytes())
    spaced = workbook(tmp_path / "s.xlsx", [("s", '<row r="1"><c r = "A1" t="inlineStr"><is><t>x</t></is></c>'
                                                 '<c r = "ALL900000" t="inlineStr"><is><t>y</t></is></c></row>')])
    with pytest.raises(UnreadableFile, match="打开后过大"):
        read_sheets(spaced, spaced.read_bytes())
    fine = workbook(tmp_path / "f.xlsx", [("s", f'<row r="1">{cell("A1", "x")}{cell("AD1", "y")}</row>')])
    assert read_sheets(fine, fine.read_bytes())[0].grid.shape == (1, 30)


def test_a_far_stray_cell_is_read_as_the_rows_that_are_there_and_keeps_its_excel_row(load, query, tmp_path):
    """Within 1,000 columns, a cell at row 1,000,000 under a ledger: the sheet is compacted, not
    allocated down to that row; the stray row is rejected as Excel row 1000000. (Its 隐患编号 cell
    makes it a record; a row filled only in columns the contract does not name — a pre-numbered
    序号, a stray note — is blank and skipped.)"""
    header = "".join(cell(f"{chr(65 + i)}1", h) for i, h in enumerate(HAZARD_HEADERS))
    stray = cell("A1000000", "x") + cell("ALL1000000", "x")
    far = workbook(tmp_path / "far.xlsx", [("台账", f'<row r="1">{header}</row><row r="1000000">{stray}</row>')])
    sheet = read_sheets(far, far.read_bytes())[0]
    assert sheet.grid.shape == (2, 1000) and sheet.row_numbers().to_list() == [1, 1_000_000]
    report = _by_name(load(far, good(tmp_path)))["far.xlsx"]
    assert (report.status, report.rows_in, report.rejected) == ("all_rejected", 2, 1)
    assert query('select "row" from rejected_rows where file = \'far.xlsx\'') == [(1_000_000,)]


def test_text_in_the_encodings_offices_use_is_read(tmp_path):
    for encoding in ("utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"):
        path = tmp_path / f"{encoding}.csv"
        path.write_bytes(_ledger_text().encode(encoding))
        grid = read_sheets(path, path.read_bytes())[0].grid
        assert grid.row(0)[0] == "隐患编号" and grid.height == 31, encoding
    rare = tmp_path / "rare-name.csv"  # one rare character in a GBK file (a person's name) is fine
    rare.write_bytes((_ledger_text() + "H2,S01,,消防安全,一般,堃 报告\n").encode("gbk"))
    assert read_sheets(rare, rare.read_bytes())[0].grid.height == 32
