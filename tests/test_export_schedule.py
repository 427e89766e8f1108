"""Scheduled snapshots: --as-of keywords (today, yesterday, last-month-end), the `latest`
pointer (a relative link and latest.txt, both replaced atomically, always the newest dated
snapshot) and --keep, from the export API and the command line."""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipelines.export import ExportError, export_snapshot
from pipelines.export import schedule
from pipelines.export.schedule import read_latest, update_latest
from tests.metrics_data import D, district  # noqa: F401 (fixture)
from xiaoan.dates import keyword_date
from xiaoan_cli.app import app


@pytest.mark.parametrize("word, today, day", [
    ("today", D(2026, 11, 28), D(2026, 11, 28)),
    ("yesterday", D(2026, 11, 1), D(2026, 10, 31)),
    ("yesterday", D(2026, 1, 1), D(2025, 12, 31)),
    ("last-month-end", D(2026, 11, 28), D(2026, 10, 31)),
    ("last-month-end", D(2026, 1, 15), D(2025, 12, 31)),
    ("last-month-end", D(2024, 3, 1), D(2024, 2, 29)),
    (" Last-Month-End ", D(2026, 7, 31), D(2026, 6, 30)),
])
def test_keywords_name_days_relative_to_today(word, today, day):
    assert keyword_date(word, today) == day


def test_other_words_are_not_keywords():
    assert keyword_date("2026-10-31", D(2026, 11, 1)) is None
    assert keyword_date("tomorrow", D(2026, 11, 1)) is None


@pytest.fixture(scope="module")
def last_month_end(district, tmp_path_factory):
    """The district exported as of last-month-end on 2026-04-02 into a folder of its own."""
    return export_snapshot(district, "last-month-end", None, None, tmp_path_factory.mktemp("keyword"), today=D(2026, 4, 2))


def test_export_takes_a_keyword_and_points_latest_at_the_snapshot(last_month_end):
    result, out = last_month_end, last_month_end.path.parent
    assert result.as_of == D(2026, 3, 31) and result.path == out / "2026-03-31"
    assert os.readlink(out / "latest") == "2026-03-31"  # relative: the folder can move or be shared
    assert (out / "latest.txt").read_text(encoding="utf-8") == "2026-03-31\n"
    assert (out / "latest" / "manifest.json").is_file() and read_latest(out) == result.path


def test_latest_names_the_newest_snapshot_even_after_a_backfill_and_keep(district, tmp_path):
    for day in (D(2026, 2, 28), D(2026, 3, 31)):
        export_snapshot(district, day, None, None, tmp_path)
    export_snapshot(district, D(2026, 1, 31), None, None, tmp_path)  # an older month written again later
    assert os.readlink(tmp_path / "latest") == "2026-03-31"
    export_snapshot(district, D(2026, 3, 15), None, None, tmp_path, keep=2)
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [
        "2026-03-15", "2026-03-31", "latest", "latest.txt"]
    assert read_latest(tmp_path) == tmp_path / "2026-03-31"


def test_a_failed_export_leaves_the_snapshots_and_latest(district, last_month_end, tmp_path, monkeypatch):
    # the snapshot as of 2026-03-31 and its pointer (the export above), copied here
    shutil.copytree(last_month_end.path.parent, tmp_path, symlinks=True, dirs_exist_ok=True)
    assert os.readlink(tmp_path / "latest") == "2026-03-31"
    before = {p.name: (p.stat().st_mtime_ns, p.is_symlink()) for p in tmp_path.iterdir()}

    def broken(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("pipelines.export.snapshot.write_report_xlsx", broken)
    with pytest.raises(ExportError, match="No space left on device"):
        export_snapshot(district, D(2026, 4, 30), None, None, tmp_path, keep=1)
    after = {p.name: (p.stat().st_mtime_ns, p.is_symlink()) for p in tmp_path.iterdir()}
    assert after == before and os.readlink(tmp_path / "latest") == "2026-03-31"


def test_without_symbolic_links_latest_txt_alone_carries_the_pointer(district, tmp_path, monkeypatch):
    def refused(*args, **kwargs):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(schedule.os, "symlink", refused)
    export_snapshot(district, D(2026, 3, 31), None, None, tmp_path)
    assert not (tmp_path / "latest").exists() and read_latest(tmp_path) == tmp_path / "2026-03-31"
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]


def test_a_folder_of_ones_own_called_latest_is_never_replaced(tmp_path):
    (tmp_path / "2026-03-31").mkdir()
    (tmp_path / "latest").mkdir()
    (tmp_path / "latest" / "notes.txt").write_text("mine")
    assert update_latest(tmp_path) == tmp_path / "2026-03-31"
    assert (tmp_path / "latest" / "notes.txt").read_text() == "mine"
    assert read_latest(tmp_path) == tmp_path / "2026-03-31"


def test_the_command_accepts_keywords_and_refuses_other_words_in_one_line(district, tmp_path, monkeypatch):
    monkeypatch.delenv("XIAOAN_LANG", raising=False)
    runner = CliRunner()
    base = ["export", "--warehouse", str(district), "--out", str(tmp_path)]
    ok = runner.invoke(app, [*base, "--as-of", "yesterday"])
    assert ok.exit_code == 0, ok.output
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    assert (tmp_path / yesterday / "manifest.json").is_file() and os.readlink(tmp_path / "latest") == yesterday
    bad = runner.invoke(app, [*base, "--as-of", "last-month"])
    assert bad.exit_code == 2 and bad.stderr.count("\n") == 1
    assert "--as-of 应为日期 YYYY-MM-DD 或 today, yesterday, last-month-end，实际为 last-month" in bad.stderr
    assert Path(tmp_path / "latest.txt").read_text(encoding="utf-8") == f"{yesterday}\n"
