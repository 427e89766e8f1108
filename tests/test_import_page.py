"""The 导入台账 page and the preview under it (pipelines/publish/preview.py): what a load would do
with some files — kinds, header → field and where that came from, every row's outcome — read
as ingest reads and judged against the live registry without writing anything; a header
remapped changes the preview; the page loads the files through the same publish as the CLI
(archived), remembers the choice in the office's mapping, and refuses any viewer but the
district's."""

from __future__ import annotations

import ctypes
import dataclasses
import datetime as dt
import hashlib
import os
import pickle
import shutil
import time
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.filters import Selection
from dashboard.page import PageContext
from pipelines.publish import preview as pv
from tests import builders
from tests.test_dashboard_data import AS_OF, build, open_app
from xiaoan.config import archive_dir
from xiaoan.mapping import Mapping, load_mapping, mapping_path, save_mapping
from xiaoan.scope import Scope
from xiaoan.warehouse import open_read_only, writer_lock
from tests.data_apptest import as_served  # noqa: F401 (autouse: the app as xiaoan serve runs it)

D = dt.date
H = builders.hazard
PAGE = Path(__file__).resolve().parent.parent / "dashboard" / "views" / "importer.py"
# The template's headers with 隐患描述 typed as 隐患部位, a header the contract does not know.
HEADERS = [*builders.HAZARD_HEADERS[:5], "隐患部位", *builders.HAZARD_HEADERS[6:]]
ROWS = [
    H("N1", "S01", "消防安全", "一般", D(2026, 3, 1), "D01", D(2026, 4, 1), "未整改", description="灭火器过期"),
    H("N2", "S99", "消防安全", "一般", D(2026, 3, 1), "D01", D(2026, 4, 1), "未整改", description="学校不明"),
    [None] * len(HEADERS),
    H("N3", "S02", "交通安全", "较大", D(2026, 3, 2), "D02", D(2026, 3, 20), "整改中", description="校门口缺减速带"),
]


@pytest.fixture(scope="module")
def built_district(tmp_path_factory) -> Path:
    """The small district built once for this module (two ingests); each test loads into a copy."""
    return build(tmp_path_factory.mktemp("import-district"))


@pytest.fixture
def district(built_district, tmp_path, monkeypatch) -> Path:
    """A warehouse of its own (the page loads into it), the dashboard pointed at it."""
    warehouse = Path(shutil.copytree(built_district.parent, tmp_path / "district" / "wh")) / built_district.name
    monkeypatch.setenv("XIAOAN_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("XIAOAN_MAP", str(built_district.parent.parent / "towns.geojson"))
    monkeypatch.delenv("XIAOAN_SCOPE", raising=False)
    monkeypatch.delenv("XIAOAN_MAPPING", raising=False)
    monkeypatch.delenv("XIAOAN_USERS", raising=False)
    return warehouse


def ledger(folder: Path, name: str = "青溪隐患台账.xlsx") -> Path:
    return builders.xlsx(folder / name, HEADERS, ROWS)


def one_sheet(result: pv.Preview) -> pv.SheetPreview:
    (file,) = result.files
    (sheet,) = file.sheets
    return sheet


def field_of(sheet: pv.SheetPreview, text: str) -> pv.HeaderField:
    return next(h for h in sheet.headers if h.text == text)


def log_count(warehouse: Path) -> int:
    con = open_read_only(warehouse)
    try:
        return con.sql("select count(*) from raw_ingest_log").fetchall()[0][0]
    finally:
        con.close()


# ---- the preview -----------------------------------------------------------------------------


def test_the_preview_shows_the_kind_each_header_and_each_rows_outcome(district, tmp_path):
    data = ledger(tmp_path).read_bytes()
    result = pv.preview(district, [("青溪隐患台账.xlsx", data)], Mapping())
    sheet = one_sheet(result)
    assert sheet.kind == "hazards"
    assert field_of(sheet, "学校") == pv.HeaderField("c1", "学校", "school", pv.CONTRACT)
    assert field_of(sheet, "隐患部位").field is None and field_of(sheet, "隐患部位").source is None
    assert (sheet.rows_in, sheet.loaded, sheet.skipped, sheet.rejected) == (5, 2, 2, 1)  # header + blank skipped
    outcomes = dict(zip(sheet.rows[pv.ROW].to_list(), sheet.rows[pv.STATUS].to_list()))
    assert outcomes == {2: pv.LOADED, 3: pv.REJECTED, 4: pv.SKIPPED, 5: pv.LOADED}
    rejected = sheet.rows.filter(sheet.rows[pv.STATUS] == pv.REJECTED)
    assert rejected[pv.COLUMN].to_list() == ["学校"] and "S99" in rejected["学校"].to_list()
    assert "基础信息表" in rejected[pv.REASON][0]
    assert result.files[0].sha256 == hashlib.sha256(data).hexdigest()


def test_the_preview_caps_the_rows_shown_and_counts_them_all(district, tmp_path):
    rows = [H(f"N{i}", "S01", description=f"隐患{i}") for i in range(30)]
    data = builders.xlsx(tmp_path / "long.xlsx", builders.HAZARD_HEADERS, rows).read_bytes()
    sheet = one_sheet(pv.preview(district, [("long.xlsx", data)], Mapping(), rows=10))
    assert sheet.rows.height == 10 and sheet.loaded == 30


def test_a_file_of_no_known_kind_is_rejected_whole_and_the_others_go_on(district, tmp_path):
    good = ledger(tmp_path).read_bytes()
    result = pv.preview(district, [("说明.txt", b"not a ledger"), ("ok.xlsx", good)], Mapping())
    bad, ok = result.files
    assert bad.message and not bad.sheets
    assert ok.message is None and ok.counts[1] == 2


def test_the_preview_writes_nothing_and_does_not_wait_for_a_writer(district, tmp_path):
    data = ledger(tmp_path).read_bytes()

    def state():
        return log_count(district), district.stat().st_mtime_ns, sorted(archive_dir(district).rglob("*"))

    before = state()
    with writer_lock(district):  # a load under way holds the lock: the preview reads the published version
        result = pv.preview(district, [("a.xlsx", data)], Mapping())
    assert one_sheet(result).loaded == 2
    assert state() == before
    assert not mapping_path(district).exists()


def test_a_remapped_header_changes_the_preview(district, tmp_path):
    data = ledger(tmp_path).read_bytes()
    plain = one_sheet(pv.preview(district, [("a.xlsx", data)], Mapping()))
    key = plain.sheet_key
    # The office's mapping names 隐患部位 (description): the column is read, from the mapping.
    office = Mapping(headers={"隐患部位": "description"})
    mapped = one_sheet(pv.preview(district, [("a.xlsx", data)], office))
    assert field_of(mapped, "隐患部位") == pv.HeaderField("c5", "隐患部位", "description", pv.MAPPING)
    # The page's choice (by header row) over the office's mapping: ignore 学校 → no row loads.
    chosen = Mapping(headers=office.headers, by_sheet={key: {"学校": ""}})
    changed = one_sheet(pv.preview(district, [("a.xlsx", data)], chosen, base=office))
    assert field_of(changed, "学校") == pv.HeaderField("c1", "学校", None, pv.CHOICE)
    assert field_of(changed, "隐患部位").source == pv.MAPPING
    assert (plain.loaded, changed.loaded) == (2, 0)
    assert "school" in changed.missing_required


# ---- the page ----------------------------------------------------------------------------------
# The page reads and loads through pv.in_worker, a child process per call (~2 s to start). The
# child is tested below (a real child that dies, segfaults or hangs) and on the page by the load
# test; the other page tests run the call in this process, through the same pickling.

CHILD = pv.in_worker


def _in_process(call, *args, seconds=None, **kwargs):
    fn = {"preview": pv.preview, "load_files": pv.load_files}[call]
    args, kwargs = pickle.loads(pickle.dumps((args, kwargs)))
    return pickle.loads(pickle.dumps(fn(*args, **kwargs)))


@pytest.fixture
def in_process(monkeypatch):
    """pv.in_worker runs its call in this process (the child process is not what such a test tests)."""
    monkeypatch.setattr(pv, "in_worker", _in_process)


def _plain(value):
    """A preview as plain values (its sheets' rows as lists), to compare two previews."""
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, pl.DataFrame):
        return value.columns, value.rows()
    return value


def test_the_child_previews_as_the_page_process_would(district, tmp_path):
    files = [("青溪隐患台账.xlsx", ledger(tmp_path).read_bytes())]
    in_child = CHILD("preview", district, files, Mapping())
    assert one_sheet(in_child).loaded == 2
    assert _plain(in_child) == _plain(pv.preview(district, files, Mapping()))


def upload(at: AppTest, *files: Path) -> AppTest:
    at.file_uploader[0].set_value([(f.name, f.read_bytes(), "application/octet-stream") for f in files])
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_page_previews_an_upload(district, tmp_path, in_process):
    at = upload(open_app("importer"), ledger(tmp_path))
    assert at.title[0].value == "导入台账"
    assert any("将导入记录 2 条" in m.value and "未通过校验的记录 1 条" in m.value for m in at.markdown)
    headers = at.dataframe[0].value
    assert "⚠ 未识别" in headers.loc[headers["表头"] == "隐患部位", "字段"].tolist()
    rows = at.dataframe[1].value
    assert rows["去向"].tolist() == ["导入", "未通过校验", "跳过", "导入"]
    assert "学校不在基础信息表中：S99" in rows["原因"].tolist()


def test_the_page_loads_archives_and_remembers_the_choice(district, tmp_path, monkeypatch):
    """The preview in this process, the load in the real child."""
    monkeypatch.setattr(pv, "in_worker", lambda call, *a, **k: (CHILD if call == "load_files" else _in_process)(
        call, *a, **k))
    path = ledger(tmp_path)
    at = upload(open_app("importer"), path)
    box = next(s for s in at.selectbox if s.label == "「隐患部位」对应")
    assert box.value == ""  # unknown: ignored
    box.set_value("description")
    at.run()
    at.button(key="importer.load").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.success and "已导入" in at.success[0].value
    con = open_read_only(district)
    try:
        got = con.sql("select hazard_id from hazards where hazard_id in ('N1', 'N2', 'N3') order by 1").fetchall()
        logged = con.sql("select file, loaded, rejected from raw_ingest_log where file = ?", params=[path.name]).fetchall()
    finally:
        con.close()
    assert got == [("N1",), ("N3",)]
    assert logged == [(path.name, 2, 1)]
    # The 回执 of the rejected row (S99), written by the load and offered on the page.
    assert any("回执 1 份" in m.value for m in at.markdown)
    (button,) = at.download_button
    (receipt,) = receipt_paths(district)
    assert button.label == receipt.stem
    cells = [c for row in openpyxl.load_workbook(receipt, read_only=True).active.iter_rows(values_only=True)
             for c in row if c is not None]
    assert "S99" in cells and "学校不明" in cells and "隐患部位" in cells
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    assert list(archive_dir(district).rglob(f"{sha}.xlsx")), "the file is archived like any other"
    remembered = load_mapping(mapping_path(district))
    (key, chosen), = remembered.by_sheet.items()
    assert chosen == {"隐患部位": "description"}
    # The next file with that header row reads the same way, from the office's mapping.
    again = one_sheet(pv.preview(district, [("next.xlsx", path.read_bytes())], remembered))
    assert again.sheet_key == key
    assert field_of(again, "隐患部位").source == pv.MAPPING


def receipt_paths(warehouse: Path) -> list[Path]:
    from pipelines.publish.receipts import receipt_files

    return [path for _, path in receipt_files(warehouse)]


def test_the_load_reads_under_the_mapping_file_it_is_given_and_writes_the_receipts(district, tmp_path):
    path = ledger(tmp_path)
    elsewhere = save_mapping(Mapping(headers={"隐患部位": "description"}), tmp_path / "office" / "mapping.toml")
    done = pv.load_files([path], district, elsewhere, "zh")
    assert done.result.published and done.receipts_error is None
    assert [(f.loaded, f.rejected) for f in done.result.files] == [(2, 1)]
    con = open_read_only(district)
    try:
        described = con.sql("select description from hazards where hazard_id = 'N1'").fetchall()
    finally:
        con.close()
    assert described == [("灭火器过期",)]  # 隐患部位 read as the description: the file given was used
    (receipt,) = done.receipts
    assert receipt.exists() and receipt in receipt_paths(district)


# ---- the child process ---------------------------------------------------------------------------
# Objects that do something to the child as it unpickles its request: a real child that dies
# (an exit status, a segfault as a native reader's crash would) or hangs.


class Exits:
    def __reduce__(self):
        return os._exit, (3,)


class Segfaults:
    def __reduce__(self):
        return ctypes.string_at, (0,)


class Hangs:
    def __reduce__(self):
        return time.sleep, (60,)


@pytest.mark.parametrize(("poison", "code"), [(Exits(), 3), (Segfaults(), -11)])
def test_a_child_that_dies_is_reported_not_raised_as_its_traceback(poison, code):
    with pytest.raises(pv.WorkerFailed) as failed:
        pv.in_worker("preview", poison)
    assert (failed.value.reason, failed.value.code) == ("crash", code)


def test_a_child_that_runs_out_of_time_is_stopped():
    started = time.monotonic()
    with pytest.raises(pv.WorkerFailed) as failed:
        pv.in_worker("preview", Hangs(), seconds=2)
    assert (failed.value.reason, failed.value.seconds) == ("timeout", 2)
    assert time.monotonic() - started < 30


def _poisoned(monkeypatch, poison, seconds=None):
    real = pv.in_worker

    def worker(call, *args, **kwargs):
        return real(call, *args, poison, seconds=seconds, **kwargs)

    monkeypatch.setattr(pv, "in_worker", worker)


@pytest.mark.parametrize(("poison", "seconds", "message"), [
    (Segfaults(), None, "读取文件的后台进程意外退出（退出码 -11），文件可能已损坏或不是台账。"),
    (Hangs(), 2, "读取文件超过 1 分钟仍未完成，已停止。"),
])
def test_the_page_says_plainly_when_reading_dies_or_times_out(district, tmp_path, monkeypatch, poison, seconds,
                                                              message):
    _poisoned(monkeypatch, poison, seconds)
    at = upload(open_app("importer"), ledger(tmp_path))
    (error,) = at.error
    assert error.value.startswith(message) and "Traceback" not in error.value
    assert not any(b.key == "importer.load" for b in at.button)  # nothing to load from a failed reading


def test_the_page_says_plainly_when_the_load_dies_and_nothing_is_published(district, tmp_path, monkeypatch,
                                                                           in_process):
    at = upload(open_app("importer"), ledger(tmp_path))
    before = log_count(district)
    monkeypatch.setattr(pv, "in_worker", lambda call, *a, **k: CHILD(call, *a, Exits(), **k) if call == "load_files"
                        else _in_process(call, *a, **k))
    at.button(key="importer.load").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [
        "导入的后台进程意外退出（退出码 3），没有发布新版本，数据库未变。请稍后重试，或用命令行 xiaoan ingest 导入。"]
    assert log_count(district) == before


def _menu(kind: str, code: str) -> None:
    import streamlit as st

    from dashboard import nav
    from xiaoan.scope import Scope

    scope = Scope(kind, code) if code else Scope()
    st.session_state["menu"] = [p.url_path for pages in nav.pages("zh", scope).values() for p in pages]


@pytest.mark.parametrize(("kind", "code", "listed"), [("district", "", True), ("town", "T01", False),
                                                      ("department", "D01", False)])
def test_the_menu_lists_the_page_for_district_viewers_only(kind, code, listed):
    at = AppTest.from_function(_menu, args=(kind, code))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "quality" in at.session_state["menu"] if listed else "hazards" in at.session_state["menu"]
    assert ("importer" in at.session_state["menu"]) is listed


@pytest.mark.parametrize("scope", [Scope("town", "T01"), Scope("department", "D01")])
def test_the_page_itself_refuses_a_town_or_department_viewer(district, scope):
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.session_state["ctx.page"] = PageContext("zh", scope, Selection(AS_OF, D(2026, 1, 1), AS_OF))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == ["只有区级用户可以导入台账。"]
    assert not at.file_uploader and not at.button


def test_a_town_viewer_reaching_the_url_does_not_get_the_page(district):
    at = open_app("importer", scope="town:T01")
    assert not at.file_uploader
    assert all(t.value != "导入台账" for t in at.title)
