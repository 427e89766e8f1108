"""report.xlsx's cell writer (pipelines/export/xlsx.py): the rows written into the sheet XML by
polars read back, in openpyxl and in calamine, as the values of the frame — text as text (a
formula stays text), control characters and XML characters intact, dates as dates with their
format, numbers with the column's style, NaN blank, the frame's nulls empty — across chunks."""

from __future__ import annotations

import datetime as dt
import math
import zipfile

import openpyxl
import polars as pl
import pytest
from openpyxl.utils.escape import unescape

from pipelines.export import xlsx

NASTY = ["=1+1", "@SUM(A1)", "+cmd|' /C calc'!A0", "<b>&amp;</b> \"q\"", "  spaced  ", "tab\there", "line\nbreak",
         "ctl\x01\x1f", "_x0041_ literal", "中文，全角", "", None, "x" * 40_000]


def frame(n: int = 7) -> pl.DataFrame:
    texts = (NASTY * (n // len(NASTY) + 1))[:n]
    return pl.DataFrame({
        "description": texts,
        "found_date": [dt.date(2026, 1, 1) + dt.timedelta(days=i) if i % 5 else None for i in range(n)],
        "finished_at": [dt.datetime(2026, 3, 5, 8, 30) + dt.timedelta(hours=i) for i in range(n)],
        "rectification_rate": [None if i % 4 == 0 else i / n for i in range(n)],
        "risk": [float("nan") if i % 6 == 1 else float(i) * 1.5 for i in range(n)],
        "overdue_open": list(range(n)),
        "is_open": [i % 2 == 0 if i % 3 else None for i in range(n)],
    }, schema_overrides={"overdue_open": pl.Int32})


def expected_text(value):
    return None if value in (None, "") else value[:32_767]


@pytest.mark.parametrize("rows,chunk", [(13, 50_000), (40, 7)])
def test_the_rows_read_back_as_the_frame(tmp_path, monkeypatch, rows, chunk):
    monkeypatch.setattr(xlsx, "CHUNK_ROWS", chunk)
    data = frame(rows)
    path = tmp_path / "report.xlsx"
    assert xlsx.write_report_xlsx(path, {"hazards": data}) == {}
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert sheet.max_row == rows + 1 and sheet.max_column == data.width
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:G{rows + 1}"
    for r, row in enumerate(data.iter_rows(named=True), start=2):
        text = sheet.cell(r, 1)  # Excel reads _xHHHH_ as the character; openpyxl leaves it to unescape
        assert (unescape(text.value) if text.value else None) == expected_text(row["description"])
        if text.value is not None:
            assert text.data_type == "s"  # never a formula
        date = sheet.cell(r, 2)
        assert (date.value.date() if date.value else None) == row["found_date"]
        if row["found_date"]:
            assert date.number_format == "yyyy-mm-dd"
        assert sheet.cell(r, 3).value == row["finished_at"]
        rate = sheet.cell(r, 4)
        assert rate.value == pytest.approx(row["rectification_rate"]) if row["rectification_rate"] is not None else rate.value is None
        if rate.value is not None:
            assert rate.number_format == "0.0%"
        risk = sheet.cell(r, 5)
        assert risk.value is None if math.isnan(row["risk"]) else risk.value == row["risk"]
        assert sheet.cell(r, 6).value == row["overdue_open"] and sheet.cell(r, 6).number_format == "0"
        assert sheet.cell(r, 7).value == ({True: "是", False: "否"}[row["is_open"]] if row["is_open"] is not None else None)
    # calamine (what polars reads Excel with) agrees on the text
    back = pl.read_excel(path, engine="calamine", infer_schema_length=0)
    assert back.height == rows
    assert [v or None for v in back[back.columns[0]].to_list()] == [expected_text(v) for v in data["description"]]
    # and the bytes are those xlsxwriter writes for the same strings
    with zipfile.ZipFile(path) as z:
        sheet_xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "ctl_x0001__x001F_" in sheet_xml and "_x005F_x0041_ literal" in sheet_xml
    assert "&lt;b&gt;&amp;amp;&lt;/b&gt; \"q\"" in sheet_xml


def test_an_infinite_number_is_an_error_cell_as_before(tmp_path):
    path = tmp_path / "report.xlsx"
    xlsx.write_report_xlsx(path, {"t": pl.DataFrame({"risk": [1.0, float("inf")]})})
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert sheet.cell(2, 1).value == 1.0 and sheet.cell(3, 1).value == "#DIV/0!" and sheet.cell(3, 1).data_type == "e"


def test_empty_tables_and_the_workbook_layout(tmp_path):
    path = tmp_path / "report.xlsx"
    xlsx.write_report_xlsx(path, {"hazards": frame(0), "town_risk": pl.DataFrame({"town_code": ["T01"]})})
    book = openpyxl.load_workbook(path)
    assert [ws.max_row for ws in book.worksheets] == [1, 2]
    assert book.worksheets[0].cell(1, 1).value == "隐患描述" or book.worksheets[0].cell(1, 1).value
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        sheet = z.read("xl/worksheets/sheet2.xml").decode()
        assert '<dimension ref="A1:A2"/>' in sheet
    assert not list(tmp_path.glob(".*layout"))  # the working file is gone
