"""Whole files: unreadable ones are rejected whole while the others go on; the same content
never loads twice; every accepted file is archived; rebuild replays the archive; a reader
holding the warehouse never makes a load fail and never sees one half done."""

from __future__ import annotations

import datetime as dt
import os
import threading
import zipfile
from pathlib import Path

import pytest

from pipelines.publish import archive, ingest, rebuild
from tests import builders
from tests.builders import HAZARD_HEADERS, hazard
from xiaoan import config
from xiaoan.warehouse import Reader

D = dt.date


def good_ledger(tmp_path: Path, name: str = "good.xlsx", *ids: str) -> Path:
    return builders.xlsx(tmp_path / name, HAZARD_HEADERS, [hazard(i) for i in (ids or ("H1",))])


@pytest.mark.parametrize("name,content,needle", [
    ("junk.xlsx", os.urandom(4096), "不是有效的电子表格文件"),
    ("junk.xls", b"\xd0\xcf\x11\xe0" + os.urandom(2000), "不是有效的电子表格文件"),
    ("empty.csv", b"", "文件为空"),
    ("notes.txt", "随便写写".encode(), "不支持的文件类型"),
    ("strange.csv", "隐患编号,学校\n".encode("utf-32"), "无法识别文本编码"),
    ("other.csv", "姓名,年龄\n张三,12\n".encode(), "未找到可识别的表头"),
])
def test_a_file_that_cannot_be_read_is_rejected_whole_and_the_others_go_on(name, content, needle, load, query, tmp_path):
    bad = tmp_path / name
    bad.write_bytes(content)
    result = load(bad, good_ledger(tmp_path))
    by_name = {Path(f.file).name: f for f in result.files}
    assert by_name[name].status == "rejected" and needle in by_name[name].message
    assert by_name["good.xlsx"].loaded == 1
    assert query("select file, sheet, \"row\", \"column\" from rejected_rows") == [(name, None, None, None)]
    assert query("select status from ingest_log where file = ?", name) == [("rejected",)]


def test_a_decompression_bomb_disguised_as_xlsx_is_refused_before_reading(load, query, tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (300 * 2**20))
    result = load(bomb)
    assert result.files[0].status == "rejected" and "压缩炸弹" in result.files[0].message


def test_the_same_file_twice_even_under_another_name_changes_nothing(load, query, warehouse, tmp_path):
    first = good_ledger(tmp_path, "一月.xlsx", "H1", "H2")
    load(first)
    before = warehouse.stat().st_ino, query("select count(*) from raw_hazard_reports"), query("select count(*) from ingest_log")
    copy = tmp_path / "一月(1).xlsx"
    copy.write_bytes(first.read_bytes())
    result = load(copy)
    assert result.files[0].status == "duplicate" and not result.published
    after = warehouse.stat().st_ino, query("select count(*) from raw_hazard_reports"), query("select count(*) from ingest_log")
    assert after == before


def test_every_accepted_file_is_archived_unchanged_beside_the_warehouse(load, warehouse, tmp_path):
    ledger = good_ledger(tmp_path)
    load(ledger)
    entries = archive.entries(warehouse)
    stored = {e.name: e.blob(config.archive_dir(warehouse)).read_bytes() for e in entries}
    assert stored["good.xlsx"] == ledger.read_bytes()
    assert config.archive_dir(warehouse) == warehouse.parent / "raw"


def test_a_warehouse_elsewhere_never_touches_the_projects_data_folder(load, tmp_path):
    before = sorted(p.name for p in config.DATA_DIR.iterdir()) if config.DATA_DIR.exists() else []
    load(good_ledger(tmp_path))
    after = sorted(p.name for p in config.DATA_DIR.iterdir()) if config.DATA_DIR.exists() else []
    assert after == before


def test_rebuild_from_the_archive_gives_the_same_warehouse(load, query, warehouse, tmp_path):
    load(good_ledger(tmp_path, "03.xlsx", "H1", "H2"), report_date=D(2026, 3, 31))
    april = [hazard("H1", status="已整改", rectified=D(2026, 4, 3), report=None), hazard("H3", level="超大", report=None)]
    load(builders.csv_file(tmp_path / "04.csv", HAZARD_HEADERS, april, encoding="gbk"), report_date=D(2026, 4, 30))
    tables = ["hazards", "hazard_reports", "schools", "rejected_rows"]
    snapshot = {t: query(f"select * exclude (ingest_id) from {t} order by all") if t != "schools" else query("select * from schools order by all") for t in tables}
    warehouse.unlink()
    result = rebuild(warehouse)
    assert result.files == 3
    assert {t: (query(f"select * exclude (ingest_id) from {t} order by all") if t != "schools" else query("select * from schools order by all")) for t in tables} == snapshot


def test_a_reader_holding_the_warehouse_never_makes_a_load_fail_and_follows_new_versions(load, warehouse, tmp_path):
    load(good_ledger(tmp_path, "a.xlsx", "H1"))
    reader = Reader(warehouse)
    held = reader.cursor()
    assert held.sql("select count(*) from hazards").fetchall() == [(1,)]
    load(good_ledger(tmp_path, "b.xlsx", "H2", "H3"))  # must not fail although a reader holds the file
    assert held.sql("select count(*) from hazards").fetchall() == [(1,)]  # an open cursor keeps its version
    assert reader.cursor().sql("select count(*) from hazards").fetchall() == [(3,)]  # a new one sees the new version
    reader.close()


def test_a_load_that_fails_midway_leaves_the_published_version_untouched(load, query, warehouse, tmp_path, monkeypatch):
    load(good_ledger(tmp_path, "a.xlsx", "H1"))
    before = warehouse.read_bytes()
    from pipelines.publish import build

    def explode(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(build, "build_models", explode)
    with pytest.raises(RuntimeError):
        load(good_ledger(tmp_path, "b.xlsx", "H2"))
    assert warehouse.read_bytes() == before
    assert not list(warehouse.parent.glob(".*.next-*"))


def test_concurrent_readers_see_one_complete_version_while_loads_publish(load, warehouse, tmp_path):
    load(good_ledger(tmp_path, "0.xlsx", "H0"))
    reader = Reader(warehouse)
    seen, errors, stop = set(), [], threading.Event()

    def read_loop():
        while not stop.is_set():
            try:
                cur = reader.cursor()
                # Both counts come from one version: they must agree.
                a, b = cur.sql("select (select count(*) from hazards), (select count(*) from raw_hazard_reports)").fetchall()[0]
                assert a == b
                seen.add(a)
                cur.close()
            except Exception as exc:  # pragma: no cover - any error fails the test below
                errors.append(exc)

    threads = [threading.Thread(target=read_loop) for _ in range(2)]
    for th in threads:
        th.start()
    for i in range(1, 6):
        load(good_ledger(tmp_path, f"{i}.xlsx", f"H{i}"))
    stop.set()
    for th in threads:
        th.join()
    reader.close()
    assert errors == []
    assert seen and seen <= set(range(1, 7))  # every read saw one of the published versions
    assert reader_count(warehouse) == 6


def reader_count(warehouse: Path) -> int:
    reader = Reader(warehouse)
    try:
        return reader.cursor().sql("select count(*) from hazards").fetchall()[0][0]
    finally:
        reader.close()
