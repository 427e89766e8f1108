"""The office's mapping file (台账映射表, SPEC §2.1): header → field and value → word change what
loads; a file is the same file only under the same mapping (offered again after the mapping
changed, it is read again and its rows supersede); a mapping that names no field, or a word
the field does not take, stops the load with a message naming the file and the entry."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from pipelines.ingest.mapping_check import load_checked, problems
from pipelines.publish import MappingError, ingest
from tests import builders
from xiaoan.mapping import load_mapping
from xiaoan_cli.app import app

ROOT = Path(__file__).resolve().parents[1]
# The template's headers, with the clerk's own word for 整改状态.
HEADERS = [("处理结果" if h == "整改状态" else h) for h in builders.HAZARD_HEADERS]
HEADER_ONLY = '[headers]\n"处理结果" = "status"\n'
HEADER_AND_VALUE = HEADER_ONLY + '\n[values.status]\n"搁置中" = "整改中"\n'


def _files(tmp: Path) -> list[Path]:
    registry = builders.registry_workbook(tmp / "登记册.xlsx")
    ledger = builders.xlsx(tmp / "三月台账.xlsx", HEADERS, [builders.hazard("H1", status="搁置中"),
                                                          builders.hazard("H2", status="整改中")])
    return [registry, ledger]


def _load(tmp: Path, name: str, mapping_text: str | None, files: list[Path]):
    wh = tmp / name / "w.duckdb"
    mapping = None
    if mapping_text is not None:
        mapping = tmp / name / "mapping.toml"
        mapping.parent.mkdir(parents=True, exist_ok=True)
        mapping.write_text(mapping_text, encoding="utf-8")
    return ingest(files, wh, mapping=mapping), wh


def _statuses(wh: Path) -> dict[str, str]:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return dict(con.sql("select hazard_id, status from hazards order by hazard_id").fetchall())
    finally:
        con.close()


def test_a_mapped_header_and_a_mapped_value_change_what_loads(tmp_path, monkeypatch):
    monkeypatch.delenv("XIAOAN_MAPPING", raising=False)
    files = _files(tmp_path)
    plain, plain_wh = _load(tmp_path, "plain", None, files)
    header, header_wh = _load(tmp_path, "header", HEADER_ONLY, files)
    both, both_wh = _load(tmp_path, "both", HEADER_AND_VALUE, files)
    # No mapping: 处理结果 is not a column the contract knows; the ledger has no status
    # column, so both hazards get the derived 未整改.
    assert plain.files[1].loaded == 2 and _statuses(plain_wh) == {"H1": "未整改", "H2": "未整改"}
    # The header mapped: the column is read as 整改状态, and 搁置中 is no word of it.
    assert (header.files[1].loaded, header.files[1].rejected) == (1, 1)
    assert _statuses(header_wh) == {"H2": "整改中"}
    # Header and value mapped: both load, 搁置中 as 整改中.
    assert both.files[1].loaded == 2 and _statuses(both_wh) == {"H1": "整改中", "H2": "整改中"}


def test_a_file_offered_again_after_its_mapping_changed_is_read_again_and_supersedes(tmp_path, monkeypatch):
    monkeypatch.delenv("XIAOAN_MAPPING", raising=False)
    files = _files(tmp_path)
    wh = tmp_path / "w" / "w.duckdb"
    mapping = tmp_path / "w" / "mapping.toml"
    mapping.parent.mkdir(parents=True)
    mapping.write_text(HEADER_ONLY, encoding="utf-8")
    first = ingest(files, wh, mapping=mapping)
    assert [f.status for f in first.files] == ["loaded", "loaded"] and _statuses(wh) == {"H2": "整改中"}
    again = ingest(files, wh, mapping=mapping)  # same content, same mapping: nothing new
    assert [f.status for f in again.files] == ["duplicate", "duplicate"] and not again.published
    mapping.write_text(HEADER_AND_VALUE, encoding="utf-8")
    changed = ingest(files, wh, mapping=mapping)  # the mapping changed: read again
    assert changed.published and [f.status for f in changed.files] == ["loaded", "loaded"]
    assert changed.files[1].loaded == 2 and _statuses(wh) == {"H1": "整改中", "H2": "整改中"}
    con = duckdb.connect(str(wh), read_only=True)
    try:
        hashes = con.sql("select distinct mapping_hash from ingest_log where file = '三月台账.xlsx'").fetchall()
        reports = con.sql("select count(*) from hazard_reports where hazard_id = 'H2'").fetchall()[0][0]
    finally:
        con.close()
    assert len(hashes) == 2 and all(h for (h,) in hashes)
    assert reports == 1  # the same hazard on the same report date: the later reading is the report in force


def test_rebuild_reads_every_archived_file_under_the_current_mapping(tmp_path, monkeypatch):
    from pipelines.publish import rebuild

    files = _files(tmp_path)
    wh = tmp_path / "w" / "w.duckdb"
    mapping = tmp_path / "w" / "mapping.toml"
    mapping.parent.mkdir(parents=True)
    mapping.write_text(HEADER_ONLY, encoding="utf-8")
    monkeypatch.setenv("XIAOAN_MAPPING", str(mapping))
    ingest(files, wh)
    assert _statuses(wh) == {"H2": "整改中"}
    mapping.write_text(HEADER_AND_VALUE, encoding="utf-8")
    rebuild(wh)
    assert _statuses(wh) == {"H1": "整改中", "H2": "整改中"}


@pytest.mark.parametrize(("text", "words"), [
    ('[headers]\n"隐患部位" = "descripton"\n', ("隐患部位", "descripton", "[headers]")),
    ('[headers.sender."青山镇"]\n"问题" = "hazards.nothing"\n', ("问题", "hazards.nothing", "青山镇")),
    ('[values.status]\n"已处理" = "处理了"\n', ("已处理", "处理了", "已整改")),
    ('[values.description]\n"x" = "y"\n', ("description",)),
    ('headers = "status"\n', ("[headers]",)),
    ('[headers]\n"a" = ["status"]\n', ("「a」",)),
    ('[headers\n', ("mapping.toml",)),
])
def test_a_bad_mapping_file_is_refused_with_the_file_and_the_entry(tmp_path, text, words):
    path = tmp_path / "mapping.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError) as caught:
        load_checked(path)
    message = str(caught.value)
    assert str(path) in message
    for word in words:
        assert word in message


def test_the_shipped_example_mapping_is_a_valid_mapping():
    example = ROOT / "xiaoan" / "mapping.example.toml"
    mapping = load_mapping(example)
    assert problems(mapping, example) == []
    assert mapping.headers["隐患部位"] == "description" and mapping.values["status"]["已处理完毕"] == "已整改"


def test_ingest_with_a_bad_mapping_stops_with_one_line_naming_the_file(tmp_path, monkeypatch):
    monkeypatch.delenv("XIAOAN_LANG", raising=False)
    monkeypatch.delenv("XIAOAN_MAPPING", raising=False)
    mapping = tmp_path / "office-mapping.toml"
    mapping.write_text('[headers]\n"问题" = "problem"\n', encoding="utf-8")
    registry = builders.registry_workbook(tmp_path / "登记册.xlsx")
    wh = tmp_path / "w.duckdb"
    result = CliRunner().invoke(app, ["ingest", "--warehouse", str(wh), "--mapping", str(mapping), str(registry)])
    assert result.exit_code != 0
    assert "office-mapping.toml" in result.output and "「问题」" in result.output and "problem" in result.output
    assert not wh.exists()  # nothing was read: the warehouse was not even created
