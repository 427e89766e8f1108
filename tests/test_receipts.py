"""回执 (receipts, SPEC §2.1 "Telling the clerk"): for every sender with rejected rows, a
workbook of their rows as they sent them — their own headers in their order, their values,
the reason beside each row — opened here with openpyxl as the clerk would open it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import openpyxl
from typer.testing import CliRunner

from pipelines.publish import ingest
from pipelines.publish.receipts import receipt_files, receipts_dir, safe_name, write_receipts
from tests import builders
from xiaoan.i18n import t
from xiaoan_cli.app import app

# An education bureau's district-wide list (SPEC §2.1), headers as published.
REAL_HEADERS = ["序号", "学校名称", "问题隐患", "整改时限", "整改落实情况"]
REAL_ROWS = [
    [1, "城关镇第一小学", "教学楼二楼消防栓水带缺失", dt.date(2026, 3, 20), "已整改到位"],
    [2, "城关镇第九小学", "食堂燃气管道老化", dt.date(2026, 3, 25), "正在整改"],  # no such school
    [3, "城关镇第一小学", "操场塑胶跑道破损", dt.date(2026, 4, 10), "看情况再说"],  # a status no one can read
    [4, "城关镇第一小学", "围栏松动", "五一前后", "未开始"],  # a deadline that is no date
]


def _rows(path: Path) -> tuple[openpyxl.Workbook, list[tuple]]:
    book = openpyxl.load_workbook(path)
    return book, [row for sheet in book for row in sheet.iter_rows(values_only=True)]


def _log(wh: Path, sql: str):
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()


def test_a_receipt_holds_the_clerks_own_headers_their_values_and_a_reason_per_row(tmp_path, monkeypatch):
    monkeypatch.delenv("XIAOAN_MAPPING", raising=False)
    registry = builders.registry_workbook(tmp_path / "登记册.xlsx")
    ledger = builders.xlsx(tmp_path / "城关镇隐患清单.xlsx", REAL_HEADERS, REAL_ROWS, sheet="三月",
                           title="城关镇学校安全问题隐患清单（2026年3月）")
    wh = tmp_path / "w" / "w.duckdb"
    result = ingest([registry, ledger], wh, report_date=dt.date(2026, 3, 31))
    report = result.files[1]
    assert report.rejected == 3 and report.loaded == 1, report
    written = write_receipts(wh, result.batch_id)
    assert len(written) == 1 and written[0].parent == receipts_dir(wh, result.batch_id)
    book, _ = _rows(written[0])
    sheet = book.worksheets[0]
    title, header, *body = list(sheet.iter_rows(values_only=True))
    assert result.batch_id[:8] in title[0] and t("receipt.reason") == "退回原因"
    fixed = [t("receipt.file"), t("receipt.sheet"), t("receipt.row")]
    assert list(header) == [*fixed, *REAL_HEADERS, t("receipt.reason"), t("receipt.column")]  # their headers, their order
    by_number = {row[header.index("序号")]: dict(zip(header, row)) for row in body}
    assert sorted(by_number) == ["2", "3", "4"]  # the rejected rows, and only they
    second, third, fourth = by_number["2"], by_number["3"], by_number["4"]
    assert second["学校名称"] == "城关镇第九小学" and second["问题隐患"] == "食堂燃气管道老化"
    assert second["整改时限"] == "2026-03-25" and second["整改落实情况"] == "正在整改"  # as typed
    assert "学校" in second["退回原因"]  # the school column is what is wrong
    assert third["整改落实情况"] == "看情况再说" and "看情况再说" in third["退回原因"]
    assert fourth["整改时限"] == "五一前后" and "五一前后" in fourth["退回原因"]
    assert (second["文件"], second["工作表"]) == ("城关镇隐患清单.xlsx", "三月")
    rows_in_excel = {r: n for n, r in _log(wh, "select \"row\", \"row\" from rejected_rows")}
    assert {d["行号"] for d in by_number.values()} == set(rows_in_excel)  # the row numbers Excel shows
    assert sheet.freeze_panes == "A3"
    assert sheet.column_dimensions["H"].width > 10  # the description column is readable


def test_one_workbook_per_sender_named_for_it_and_none_for_a_sender_without_rejections(tmp_path, monkeypatch):
    monkeypatch.delenv("XIAOAN_MAPPING", raising=False)
    registry = builders.registry_workbook(tmp_path / "登记册.xlsx")
    bad = builders.xlsx(tmp_path / "a.xlsx", builders.HAZARD_HEADERS, [builders.hazard("A1", level="严重得很"), builders.hazard("A2")])
    also_bad = builders.xlsx(tmp_path / "b.xlsx", builders.HAZARD_HEADERS, [builders.hazard("B1", status="不知道")])
    good = builders.xlsx(tmp_path / "c.xlsx", builders.HAZARD_HEADERS, [builders.hazard("C1")])
    wh = tmp_path / "w.duckdb"
    result = ingest([registry, bad, also_bad, good], wh)
    out = tmp_path / "receipts"
    written = write_receipts(wh, result.batch_id, out)
    senders = _log(wh, """select distinct coalesce(sender_name, sender_code, regexp_replace(file, '\\.[^.]*$', ''))
                          from ingest_log where rejected > 0""")
    assert len(written) == len(senders) >= 1 and all(p.parent == out for p in written)
    rows = [row for path in written for row in _rows(path)[1]]
    reasons = [r for r in rows if r and r[0] in ("a.xlsx", "b.xlsx")]
    assert len(reasons) == 2 and not any(r and r[0] == "c.xlsx" for r in rows)
    assert receipt_files(wh) == [] or all(p.suffix == ".xlsx" for _, p in receipt_files(wh))


def test_a_file_rejected_whole_gets_one_line_with_its_reason(tmp_path):
    registry = builders.registry_workbook(tmp_path / "登记册.xlsx")
    junk = tmp_path / "通讯录.xlsx"
    builders.xlsx(junk, ["姓名", "电话"], [["张三", "123"]])
    wh = tmp_path / "w.duckdb"
    result = ingest([registry, junk], wh)
    assert result.files[1].status == "rejected"
    written = write_receipts(wh, result.batch_id, tmp_path / "out")
    assert [p.name for p in written] == ["通讯录.xlsx"]
    _, rows = _rows(written[0])
    line = rows[2]
    assert line[0] == "通讯录.xlsx" and t("receipt.whole_file") in line[3]


def test_the_cli_writes_receipts_to_the_folder_given_and_lists_them(tmp_path, monkeypatch):
    monkeypatch.delenv("XIAOAN_LANG", raising=False)
    registry = builders.registry_workbook(tmp_path / "登记册.xlsx")
    ledger = builders.xlsx(tmp_path / "三月台账.xlsx", builders.HAZARD_HEADERS, [builders.hazard("H1", level="?")])
    out = tmp_path / "回执"
    result = CliRunner().invoke(app, ["ingest", "--warehouse", str(tmp_path / "w.duckdb"), "--receipts", str(out),
                                      str(registry), str(ledger)])
    assert result.exit_code == 0, result.output
    written = sorted(out.glob("*.xlsx"))
    assert len(written) == 1 and t("cli.ingest.receipts", n=1) in result.output and written[0].name in result.output


def test_a_senders_name_becomes_a_safe_file_name():
    assert safe_name("城关镇/教办:2026") == "城关镇_教办_2026"
    assert safe_name("..") == "sender" and safe_name("a" * 200) == "a" * 80
