"""`xiaoan ingest`, `sample` and `rebuild` as users and scheduled jobs call them (SPEC §5)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests import builders
from xiaoan.i18n import t
from xiaoan_cli.app import app

runner = CliRunner()


def _ingest_two_files(tmp_path):
    wh = tmp_path / "wh" / "w.duckdb"
    registry = builders.registry_workbook(tmp_path / "登记册.xlsx")
    ledger = builders.xlsx(tmp_path / "三月台账.xlsx", builders.HAZARD_HEADERS, [builders.hazard("H1"), builders.hazard("H2", level="?")])
    return runner.invoke(app, ["ingest", "--warehouse", str(wh), "--report-date", "2026-03-31", str(registry), str(ledger)])


def test_ingest_prints_each_file_with_its_kind_and_counts_and_exits_0_with_rejections(tmp_path, monkeypatch):
    monkeypatch.delenv("XIAOAN_LANG", raising=False)
    result = _ingest_two_files(tmp_path)
    assert result.exit_code == 0, result.output
    assert "三月台账.xlsx" in result.output and t("cli.kind.hazards") in result.output
    assert t("cli.kind.registry") in result.output
    assert "未通过校验1条" in result.output and t("cli.ingest.published") in result.output


def test_ingest_speaks_chinese_to_the_clerk_by_default(tmp_path, monkeypatch):
    monkeypatch.delenv("XIAOAN_LANG", raising=False)
    output = _ingest_two_files(tmp_path).output
    for column in ("文件", "类别", "状态", "读入条数", "已导入", "跳过", "未通过校验"):
        assert column in output
    assert t("cli.status.loaded") in output and t("cli.status.rejected") in output
    assert not {"file", "status", "rows", "loaded", "skipped", "rejected", "published"} & set(output.split())


def test_xiaoan_lang_en_gives_the_command_line_in_english(tmp_path, monkeypatch):
    monkeypatch.setenv("XIAOAN_LANG", "en")
    output = _ingest_two_files(tmp_path).output
    assert "status" in output and "1 rejected" in output and "published a new version" in output
    assert "未通过校验" not in output


def test_ingest_of_a_folder_finds_its_spreadsheets(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    builders.registry_workbook(folder / "登记册.xlsx")
    (folder / "~$登记册.xlsx").write_bytes(b"lock file of an open workbook")
    result = runner.invoke(app, ["ingest", "--warehouse", str(tmp_path / "w.duckdb"), str(folder)])
    assert result.exit_code == 0 and "共1个文件" in result.output


def test_the_warehouse_path_comes_from_the_environment_when_not_given(tmp_path, monkeypatch):
    wh = tmp_path / "env" / "w.duckdb"
    monkeypatch.setenv("XIAOAN_WAREHOUSE", str(wh))
    result = runner.invoke(app, ["ingest", str(builders.registry_workbook(tmp_path / "r.xlsx"))])
    assert result.exit_code == 0 and wh.exists()


def run(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "XIAOAN_LANG"}
    return subprocess.run([sys.executable, "-m", "xiaoan_cli", *args], capture_output=True, text=True, env=env)


def test_ingest_that_cannot_run_exits_non_zero_with_one_line(tmp_path):
    missing = run("ingest", "--warehouse", str(tmp_path / "w.duckdb"), str(tmp_path / "nope.xlsx"))
    bad_date = run("ingest", "--warehouse", str(tmp_path / "w.duckdb"), "--report-date", "31/03/2026", str(tmp_path))
    for done in (missing, bad_date):
        assert done.returncode != 0
        assert len(done.stderr.strip().splitlines()) == 1 and done.stderr.startswith("xiaoan: ")
    assert t("cli.ingest.missing", path=tmp_path / "nope.xlsx") in missing.stderr
    assert t("cli.bad_date", option="--report-date", value="31/03/2026") in bad_date.stderr


def test_a_broken_rules_file_stops_ingest_and_rebuild_with_one_line(tmp_path):
    wh = tmp_path / "w.duckdb"
    assert run("ingest", "--warehouse", str(wh), str(builders.registry_workbook(tmp_path / "r.xlsx"))).returncode == 0
    bad = tmp_path / "rules.toml"
    bad.write_text("[derive]\ndefault_level = '超大'\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "XIAOAN_LANG"} | {"XIAOAN_RULES": str(bad)}
    ledger = builders.xlsx(tmp_path / "h.xlsx", builders.HAZARD_HEADERS, [builders.hazard("H1")])
    for args in (("ingest", "--warehouse", str(wh), str(ledger)), ("rebuild", "--warehouse", str(wh))):
        done = subprocess.run([sys.executable, "-m", "xiaoan_cli", *args], capture_output=True, text=True, env=env)
        assert done.returncode != 0, args
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and "考核规则文件有误" in lines[0] and "rules.toml" in lines[0], done.stderr


def test_sample_then_ingest_loads_the_district_and_rejects_exactly_its_bad_rows(tmp_path):
    out = tmp_path / "sample"
    from pipelines.sample import write_sample
    from pipelines.publish import ingest

    summary = write_sample(out, seed=7, fmt="csv", end=__import__("datetime").date(2026, 6, 30))
    result = ingest([out], tmp_path / "w.duckdb")
    assert sum(f.rejected for f in result.files) == summary["deliberately_bad_rows"]
    assert all(f.loaded + f.skipped + f.rejected == f.rows_in for f in result.files)


def test_rebuild_without_an_archive_says_so(tmp_path):
    done = run("rebuild", "--warehouse", str(tmp_path / "w.duckdb"))
    assert done.returncode != 0 and t("cli.rebuild.no_archive", path=tmp_path / "raw") in done.stderr


def test_an_unexpected_error_is_one_line_in_chinese(monkeypatch, capsys):
    from xiaoan_cli import app as cli

    monkeypatch.delenv("XIAOAN_LANG", raising=False)
    monkeypatch.delenv("XIAOAN_DEBUG", raising=False)

    def broken(**_):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(cli, "app", broken)
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    assert stopped.value.code == 1
    assert capsys.readouterr().err == f"xiaoan: {t('cli.unexpected', kind='RuntimeError', detail='磁盘已满')}\n"


def test_a_version_that_breaks_a_schema_file_is_reported_as_not_published(tmp_path, monkeypatch):
    import pipelines.publish as publish

    monkeypatch.delenv("XIAOAN_LANG", raising=False)

    def broken(*_, **__):
        raise publish.SchemaError("marts/hazards: 2 rows with null found_by_code")

    monkeypatch.setattr(publish, "ingest_files", broken)
    registry = builders.registry_workbook(tmp_path / "登记册.xlsx")
    result = runner.invoke(app, ["ingest", "--warehouse", str(tmp_path / "w.duckdb"), str(registry)])
    assert result.exit_code == 2
    assert t("cli.schema_broken", detail="marts/hazards: 2 rows with null found_by_code") in result.output


def test_sample_names_each_count_in_chinese(tmp_path, monkeypatch):
    monkeypatch.delenv("XIAOAN_LANG", raising=False)
    result = runner.invoke(app, ["sample", "--out", str(tmp_path / "s"), "--format", "csv", "--end", "2026-03-31"])
    assert result.exit_code == 0, result.output
    for label in (t("cli.sample.files_hazards"), t("cli.sample.schools"), t("cli.sample.deliberately_bad_rows")):
        assert label in result.output
    assert "deliberately_bad_rows" not in result.output and "files_hazards" not in result.output


# ---- what the clerk is told per file (SPEC §2.1 "Telling the clerk")

def _status_cell(output: str, name: str) -> str:
    """The 状态 cell of a file's line in the ingest table."""
    line = next(line for line in output.splitlines() if name in line and "│" in line)
    return line.split("│")[3].strip()


def test_a_file_of_which_no_row_was_loaded_is_never_said_to_be_loaded(tmp_path, monkeypatch):
    monkeypatch.delenv("XIAOAN_LANG", raising=False)
    monkeypatch.delenv("XIAOAN_MAPPING", raising=False)
    registry = builders.registry_workbook(tmp_path / "登记册.xlsx")
    all_bad = builders.xlsx(tmp_path / "全错.xlsx", builders.HAZARD_HEADERS,
                            [builders.hazard(f"X{i}", level="??") for i in range(12)])
    empty = builders.xlsx(tmp_path / "四月台账.xlsx", builders.HAZARD_HEADERS, [], title="城关镇2026年4月隐患排查台账")
    wh = tmp_path / "w.duckdb"
    first = runner.invoke(app, ["ingest", "--warehouse", str(wh), "--report-date", "2026-04-30",
                                str(registry), str(all_bad), str(empty)])
    assert first.exit_code == 0, first.output
    assert _status_cell(first.output, "全错.xlsx") == t("cli.status.all_rejected")
    assert _status_cell(first.output, "四月台账.xlsx") in (t("cli.status.zero_report"), t("cli.status.nothing"))
    assert _status_cell(first.output, "登记册.xlsx") == t("cli.status.loaded")
    again = runner.invoke(app, ["ingest", "--warehouse", str(wh), str(all_bad)])
    assert _status_cell(again.output, "全错.xlsx") == t("cli.status.duplicate")
    for output in (first.output, again.output):
        assert t("cli.status.loaded") not in {_status_cell(output, "全错.xlsx"), _status_cell(output, "四月台账.xlsx")
                                              if "四月台账.xlsx" in output else ""}


def test_a_header_only_ledger_is_a_zero_report(tmp_path, monkeypatch):
    monkeypatch.delenv("XIAOAN_LANG", raising=False)
    registry = builders.registry_workbook(tmp_path / "登记册.xlsx")
    empty = builders.xlsx(tmp_path / "城关镇四月台账.xlsx", builders.HAZARD_HEADERS, [], title="城关镇2026年4月隐患排查台账")
    result = runner.invoke(app, ["ingest", "--warehouse", str(tmp_path / "w.duckdb"), "--report-date", "2026-04-30",
                                 str(registry), str(empty)])
    assert result.exit_code == 0, result.output
    assert _status_cell(result.output, "城关镇四月台账.xlsx") == t("cli.status.zero_report")
    assert "零报告" in result.output


def test_each_file_lists_its_three_most_frequent_reasons_with_counts(tmp_path, monkeypatch):
    monkeypatch.delenv("XIAOAN_LANG", raising=False)
    registry = builders.registry_workbook(tmp_path / "登记册.xlsx")
    rows = ([builders.hazard(f"L{i}", level="严重") for i in range(3)] + [builders.hazard(f"S{i}", status="不清楚") for i in range(2)]
            + [builders.hazard("C1", category="天灾")] + [builders.hazard("K1", school="S99")] + [builders.hazard("OK")])
    ledger = builders.xlsx(tmp_path / "多种错误.xlsx", builders.HAZARD_HEADERS, rows)
    result = runner.invoke(app, ["ingest", "--warehouse", str(tmp_path / "w.duckdb"), str(registry), str(ledger)])
    line = next(line for line in result.output.splitlines() if line.startswith("多种错误.xlsx") and "主要原因" in line)
    assert "严重" in line and "（3 条）" in line and "不清楚" in line and "（2 条）" in line
    assert line.count("条）") == 3  # the top three only, not the fourth and fifth
    assert _status_cell(result.output, "多种错误.xlsx") == t("cli.status.loaded")  # one row did load
