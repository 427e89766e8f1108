"""Layouts no test has seen (issue 14, SPEC §2.1): a hazard ledger built from a real layout's
headers alone (S01–S03 of tests/fixtures/real_layouts, and the district-wide ledgers found
beyond SPEC), each header possibly replaced by one of its aliases (pipelines.contract's and
SPEC §2.1's), cells written with vocabulary synonyms, columns in any order, with or without a
title and label lines. Only valid rows are generated, so every row must load: loaded + skipped +
rejected = rows in, and nothing is rejected."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from pipelines import contract
from pipelines.publish import ingest
from tests import real_layouts as rl
from tests.real_layouts import sample_registry_warehouse  # noqa: F401  (a session fixture)
from xiaoan.warehouse import open_read_only

# No shrinking: each example is a full ingest (~1 s), and the first failing ledger is shown as drawn.
SETTINGS = settings(max_examples=24, deadline=None, derandomize=True, database=None,
                    phases=(Phase.explicit, Phase.generate),
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large])

# SPEC §2.1's header aliases, beside the contract's own. 存在问题 / 需整改的隐患 name a checklist's
# problem column and 巡查情况 a patrol form's result (README gap 3): they stay with their layouts.
SPEC_ALIASES = {
    "school": ("学校名称", "单位名称"),
    "description": ("问题隐患", "隐患问题", "隐患内容", "问题描述", "现状描述", "隐患项目"),
    "status": ("整改落实情况", "整改情况", "整改进度", "治理进度", "完成情况"),
    "measures": ("整改建议", "整改意见"),
    "deadline": ("整改期限", "完成时限", "预计治理完成时间", "整改时间"),
    "found_date": ("巡查日期", "排查日期", "排查时间", "检查日期", "检查时间", "发现时间"),
    "responsible_person": ("责任人", "负责人"),
    "verification": ("复查情况", "验收情况"),
}
SPEC_STATUS = {"已销号": ("已消号", "消号"), "已整改": ("整改完毕", "整改到位", "已整改到位", "已完成整改", "100%"),
               "整改中": ("正在整改", "限期整改", "进行中", "50%", "80%"), "未整改": ("未开始",)}
SPEC_LEVEL = {"一般": ("轻微", "轻微隐患", "一般隐患"), "较大": ("较大隐患",), "重大": ("重大隐患",)}
SPEC_CATEGORY = {"消防安全": ("消防设施",), "食品卫生": ("食堂食品", "食物、饮用水安全"),
                 "周边环境": ("校园周边环境", "校园及周边安全"), "治安防范": ("安全保卫",),
                 "设施设备": ("体育器材", "体育设施安全", "用电安全", "电气设备")}
PASS_WORDS, FAIL_WORDS = ("已完成", "合格", "通过", "已整改"), ("未达标", "不合格", "需二次整改", "未通过")
DESCRIPTIONS = ("教学楼三楼走廊插座面板破损", "食堂燃气管道老化", "操场篮球架底座松动", "围墙东侧出现裂缝",
                "学生宿舍楼梯扶手松动", "校门口减速带损坏", "监控摄像头无法正常录像", "灭火器压力不足",
                "实验室化学药品未双人双锁", "厕所地砖破裂")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%-m/%-d", "%Y.%-m.%-d", "%Y年%-m月%-d日")
FOUND_LATEST = dt.date(2026, 10, 12)
EXTRA_FIELDS = ("level", "category", "status", "measures", "found_date", "responsible_person")


def _field_of_header(item: dict, header: str) -> str | None:
    key = re.sub(r"\(.*\)$", "", re.sub(r"\s+", "", unicodedata.normalize("NFKC", header)))
    return next((f for h, f in item["expect"]["field_map"].items()
                 if re.sub(r"\s+", "", unicodedata.normalize("NFKC", h)) == key), None)


def _base_layouts() -> list[tuple[str, list[tuple[str, str | None]]]]:
    """(id, [(header, field or None)]) of every plain hazard-ledger table in layouts.json."""
    out = []
    for item in rl.layouts():
        if item["sheet_form"] != "table" or item["expect"].get("kinds") != ["hazard"] or len(item["header_rows"]) != 1:
            continue
        columns = []
        for header in item["header_rows"][0]:
            fld = _field_of_header(item, header)
            columns.append((header, fld if fld in ALIASES else None))
        out.append((item["id"], columns))
    return out


def _aliases() -> dict[str, tuple[str, ...]]:
    out = {f: set(v) for f, v in SPEC_ALIASES.items()}
    for column in contract.HAZARDS.columns:
        out.setdefault(column.field, set()).update((column.zh, *column.aliases))
    return {f: tuple(sorted(v)) for f, v in out.items()}


def _words(vocab: dict[str, tuple[str, ...]], spec: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    return {w: tuple(sorted({w, *vocab.get(w, ()), *spec.get(w, ())})) for w in vocab}


ALIASES = _aliases()
STATUS_WORDS = _words(contract.STATUSES, SPEC_STATUS)
LEVEL_WORDS = _words(contract.LEVELS, SPEC_LEVEL)
CATEGORY_WORDS = _words(contract.CATEGORIES, SPEC_CATEGORY)
BASES = _base_layouts()


def _schools() -> list[tuple[str, str]]:
    """(code, name) of the sample district's schools whose name no other school shares."""
    schools = rl.sample_registry().schools
    names = schools["school_name"].to_list()
    return [(c, n) for c, n in zip(schools["school_code"].to_list(), names) if names.count(n) == 1]


SCHOOLS = _schools()


@st.composite
def ledgers(draw):
    base_id, base = draw(st.sampled_from(BASES))
    columns = [(h, f) for h, f in base]
    present = {f for _, f in columns if f}
    for fld in draw(st.lists(st.sampled_from([f for f in EXTRA_FIELDS if f not in present]), unique=True, max_size=2)):
        columns.append((ALIASES[fld][0], fld))
    # Each named column keeps its header as published or takes one of its aliases.
    headers = []
    for header, fld in columns:
        if fld and draw(st.booleans()):
            header = draw(st.sampled_from(ALIASES[fld]))
        headers.append((header, fld))
    keys = [re.sub(r"\(.*\)$", "", re.sub(r"[\s（）()]", "", h)) for h, _ in headers]
    if len(set(keys)) != len(keys):  # two columns drawn the same alias: keep the published headers
        headers = [(h, f) for h, f in columns]
    headers = draw(st.permutations(headers))
    fields = [f for _, f in headers]

    code, name = draw(st.sampled_from(SCHOOLS))
    fmt = draw(st.sampled_from(DATE_FORMATS))
    n = draw(st.integers(min_value=1, max_value=8))
    picked = draw(st.lists(st.sampled_from(DESCRIPTIONS), min_size=n, max_size=n))
    rows = []
    for i, text in enumerate(picked):
        found = FOUND_LATEST - dt.timedelta(days=draw(st.integers(0, 40)))
        status = draw(st.sampled_from(sorted(STATUS_WORDS)))
        cells = {
            "school": draw(st.sampled_from([code, name])),
            "description": f"{text}（{i + 1}处）" if draw(st.booleans()) else f"{text}{i + 1}号",
            "found_date": rl.strftime(found, fmt),
            "deadline": draw(st.one_of(
                st.integers(1, 60).map(lambda d: rl.strftime(FOUND_LATEST + dt.timedelta(days=d), fmt)),
                st.integers(1, 60).map(lambda d: rl.strftime(FOUND_LATEST + dt.timedelta(days=d), fmt) + "前"),
                st.sampled_from(["当日", "立即", "立即整改", "7日内", "15天内"]))),
            "status": draw(st.sampled_from(STATUS_WORDS[status])),
            "level": draw(st.sampled_from(LEVEL_WORDS[draw(st.sampled_from(sorted(LEVEL_WORDS)))])),
            "category": draw(st.sampled_from(CATEGORY_WORDS[draw(st.sampled_from(sorted(CATEGORY_WORDS)))])),
            "measures": draw(st.sampled_from(["立即更换", "联系维修", "加装防护", ""])),
            "responsible_person": draw(st.sampled_from(["王丽", "后勤主任", "张强"])),
            "verification": draw(st.sampled_from(PASS_WORDS if status in ("已整改", "已销号") else FAIL_WORDS + ("",))),
        }
        rows.append([cells.get(f, "") if f else draw(st.sampled_from(["", "教室", "1", "玩教具"])) for f in fields])

    above = []
    school_line = "school" not in fields
    if school_line or draw(st.booleans()):
        label = draw(st.sampled_from(["学校名称：", "学校：", "学校（公章）：", "填报单位："]))
        above.append(f"{label}{name}")
    if draw(st.booleans()):
        above.append("填报日期：2026年10月31日")
    title = draw(st.sampled_from([None, "安全隐患排查整改台账", f"{name}安全隐患排查记录（2026年10月）"]))
    suffix = draw(st.sampled_from([".xlsx", ".xls"]))
    item = {"id": f"unseen-{base_id}", "sheet_form": "table", "title": title, "above": above,
            "header_rows": [[h for h, _ in headers]], "sample_rows": rows, "below": [],
            "date_format": fmt, "file_name": f"台账{suffix}", "expect": {}}
    return item, code, len(rows)


_seq = itertools.count()


@SETTINGS
@given(ledger=ledgers())
def test_unseen_layout_loads_every_valid_row(ledger, tmp_path, sample_registry_warehouse):  # noqa: F811
    item, code, n = ledger
    folder = tmp_path / f"x{next(_seq)}"
    warehouse = rl.copy_warehouse(sample_registry_warehouse, folder / "wh")
    built = rl.build(item, folder / "in", name=f"台账{built_suffix(item)}")
    report = ingest([built.path], warehouse, rl.REPORT_DATE).files[0]
    headers = item["header_rows"][0]
    assert report.loaded + report.skipped + report.rejected == report.rows_in, (headers, report)
    con = open_read_only(warehouse)
    try:
        reasons = con.sql("select \"column\", reason, raw from raw_rejected_rows").fetchall()
        hazards = con.sql("select school_code from raw_hazard_reports").fetchall()
    finally:
        con.close()
    assert report.rejected == 0 and not reasons, (headers, item["above"], reasons[:3], report)
    assert report.status == "loaded", (headers, report)
    assert len(hazards) == n and {c for (c,) in hazards} == {code}, (headers, hazards)


def built_suffix(item: dict) -> str:
    return item["file_name"][len("台账"):]


def test_the_bases_are_the_plain_hazard_ledgers():
    """The generator starts from every hazard-ledger table of layouts.json (S01–S03 at least)."""
    ids = {base_id for base_id, _ in BASES}
    assert {"S01", "S02", "S03"} <= ids
    for _, columns in BASES:
        assert "description" in {f for _, f in columns}
