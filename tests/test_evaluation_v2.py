"""SPEC §3 Evaluation v2: every indicator of a unit is 有数据, 不适用 or 未报送; 不适用 ones are left
out and the unit's other weights rescaled to 100; a duty with no data scores 0; a unit with
nothing applicable has no score, one that only attended meetings is not ranked; ranks are
competition ranks among the ranked; grades by the rules' bands; the rules file's v2 keys.

score_units() is fed hand-made indicator rows (the VALS list town/dept_indicator_values give it),
so every expected number is worked out here from the rows alone."""

from __future__ import annotations

import duckdb
import pytest

from tests.metrics_data import rules_text
from xiaoan import vocabulary
from xiaoan.config import DEFAULT_RULES, SQL_MODELS_DIR
from xiaoan.rules import RulesError, load_rules, parse_rules

METRICS = SQL_MODELS_DIR / "metrics"
RULES = load_rules(DEFAULT_RULES).as_sql()
ROUNDING = 0.005 + 1e-9


@pytest.fixture(scope="module")
def con():
    con = duckdb.connect()
    for name in ("00_default_rules.sql", "01_helpers.sql", "02_formulas.sql", "03_scoring.sql", "36_score_units.sql"):
        con.execute((METRICS / name).read_text(encoding="utf-8"))
    yield con
    con.close()


def val(code, name, indicator, value, has_data=True, measurable=True):
    return {"unit_code": code, "unit_name": name, "indicator": indicator, "value": value, "has_data": has_data,
            "measurable": measurable}


def dept(code, name, **values):
    """One department's rows: indicator=(value, has_data[, measurable]); value None → no data."""
    out = []
    for indicator, spec in values.items():
        value, has_data, *rest = spec if isinstance(spec, tuple) else (spec, spec is not None)
        out.append(val(code, name, indicator, value, has_data, *rest))
    return out


def score(con, tier, vals, rules=RULES) -> dict[str, dict[str, dict]]:
    """{unit: {indicator: row}} of score_units(tier, vals, rules)."""
    out: dict[str, dict[str, dict]] = {}
    frame = con.sql(f"select * from score_units('{tier}', $v, $r)", params={"v": vals, "r": rules}).pl()
    for row in frame.iter_rows(named=True):
        out.setdefault(row["unit_code"], {})[row["indicator"]] = row
    return out


def unit(rows: dict[str, dict]) -> dict:
    first = next(iter(rows.values()))
    return {k: first[k] for k in ("total_score", "ranked", "rank", "grade")}


NO_HAZARDS = dict(rectification_rate=None, on_time_rate=None, overdue_open=(0.0, False),
                  median_days_to_rectify=None)


def test_the_status_words_are_the_vocabulary(con):
    assert con.sql("select [with_data_status(), not_applicable_status(), not_reported_status()]").fetchall()[0][0] == list(
        vocabulary.INDICATOR_STATUSES)


def test_a_dept_without_hazards_leaves_them_out_and_rescales_the_rest_exactly(con):
    # 区教育局: no hazards; attended 1 of 2 meetings it was invited to; inspected 1 of 4 schools
    # (its duty: name holds 教育局); not on the 法治副校长 duty list (公安) → that one is 不适用 too.
    vals = dept("D1", "区教育局", **NO_HAZARDS, meeting_attendance=0.5, duty_inspection_coverage=0.25,
                legal_education_coverage=(0.0, False))
    rows = score(con, "dept", vals)["D1"]
    for i in ("rectification_rate", "on_time_rate", "overdue_open", "median_days_to_rectify", "legal_education_coverage"):
        assert (rows[i]["status"], rows[i]["score"], rows[i]["weight"], rows[i]["points"]) == ("不适用", None, 0, 0)
        assert rows[i]["base_weight"] == RULES["dept"][i]["weight"]
    # Applicable: attendance 12 and duty inspections 15 of the rules → 12 × 100 / 27 and 15 × 100 / 27.
    assert rows["meeting_attendance"]["weight"] == pytest.approx(1200 / 27, abs=1e-12)
    assert rows["duty_inspection_coverage"]["weight"] == pytest.approx(1500 / 27, abs=1e-12)
    assert rows["meeting_attendance"]["weight"] + rows["duty_inspection_coverage"]["weight"] == pytest.approx(100)
    assert (rows["meeting_attendance"]["status"], rows["duty_inspection_coverage"]["status"]) == ("有数据", "有数据")
    # (50 × 12 + 25 × 15) / 27 = 36.111… → 36.11; ranked (a duty beyond attendance), alone: rank 1.
    assert unit(rows) == {"total_score": 36.11, "ranked": True, "rank": 1, "grade": "不合格"}
    assert sum(r["points"] for r in rows.values()) == pytest.approx((50 * 12 + 25 * 15) / 27)


def test_a_duty_with_no_data_scores_0_as_not_reported(con):
    # 青溪公安分局 is on both duty lists (公安); it did no inspection and no 法治教育 visit.
    vals = dept("D2", "青溪公安分局", rectification_rate=1.0, duty_inspection_coverage=(0.0, False),
                legal_education_coverage=(0.0, False))
    rows = score(con, "dept", vals)["D2"]
    for i in ("duty_inspection_coverage", "legal_education_coverage"):
        assert (rows[i]["status"], rows[i]["score"]) == ("未报送", 0)
    # 100 × 27 / (27 + 15 + 10) = 51.92…
    assert rows["duty_inspection_coverage"]["weight"] == pytest.approx(1500 / 52)
    assert unit(rows)["total_score"] == round(100 * 27 / 52, 2) == 51.92


def test_an_indicator_with_a_duty_list_is_not_applicable_off_the_list_even_with_data(con):
    # 区民政局 is on neither list, though it did inspect and visit.
    vals = dept("D3", "区民政局", rectification_rate=0.5, duty_inspection_coverage=0.75,
                legal_education_coverage=0.5)
    rows = score(con, "dept", vals)["D3"]
    assert [rows[i]["status"] for i in ("rectification_rate", "duty_inspection_coverage", "legal_education_coverage")] == [
        "有数据", "不适用", "不适用"]
    assert rows["rectification_rate"]["weight"] == 100 and unit(rows)["total_score"] == 50


def test_a_duty_list_names_a_unit_by_code_or_by_a_part_of_its_name(con):
    rules = {**RULES, "indicators": [{**s, "duty": ["D9", "民政"]} if s["indicator"] == "rectification_rate" else s
                                     for s in RULES["indicators"]]}
    vals = (dept("D9", "区司法局", rectification_rate=None) + dept("D8", "区民政局", rectification_rate=0.5)
            + dept("D7", "区水利局", rectification_rate=1.0))
    out = score(con, "dept", vals, rules)
    assert out["D9"]["rectification_rate"]["status"] == "未报送"   # by code, no data
    assert out["D8"]["rectification_rate"]["status"] == "有数据"   # by name part 民政
    assert out["D7"]["rectification_rate"]["status"] == "不适用"   # neither, whatever its data


def test_an_indicator_that_cannot_be_measured_is_not_applicable_even_on_duty(con):
    # No semester begins in the period: 法治副校长 is 不适用 for everyone (measurable false).
    vals = dept("D2", "青溪公安分局", rectification_rate=0.5, legal_education_coverage=(0.0, False, False))
    rows = score(con, "dept", vals)["D2"]
    assert rows["legal_education_coverage"]["status"] == "不适用"
    assert unit(rows)["total_score"] == 50


def test_a_unit_with_nothing_applicable_has_no_score_no_rank_no_grade(con):
    vals = dept("D4", "区民政局", **NO_HAZARDS, meeting_attendance=None) + dept("D5", "区水利局", rectification_rate=0.5)
    out = score(con, "dept", vals)
    assert unit(out["D4"]) == {"total_score": None, "ranked": False, "rank": None, "grade": None}
    assert all(r["weight"] == 0 and r["score"] is None for r in out["D4"].values())
    assert unit(out["D5"])["rank"] == 1


def test_a_dept_with_attendance_alone_has_a_score_but_no_rank(con):
    vals = (dept("D6", "区民政局", **NO_HAZARDS, meeting_attendance=1.0)
            + dept("D5", "区水利局", rectification_rate=0.5))
    out = score(con, "dept", vals)
    assert unit(out["D6"]) == {"total_score": 100, "ranked": False, "rank": None, "grade": "优秀"}  # 不参与排名
    # The unranked 100 takes no rank from the others: the 50 is first.
    assert unit(out["D5"])["rank"] == 1


def test_ranks_are_competition_ranks_among_the_ranked_units(con):
    vals = (dept("A", "甲局", rectification_rate=0.8) + dept("B", "乙局", rectification_rate=0.8)
            + dept("C", "丙局", rectification_rate=0.7) + dept("E", "丁局", meeting_attendance=1.0)
            + dept("F", "戊局", rectification_rate=None))
    out = score(con, "dept", vals)
    assert {u: unit(rows)["rank"] for u, rows in out.items()} == {"A": 1, "B": 1, "C": 3, "E": None, "F": None}


@pytest.mark.parametrize("rate, total, grade", [
    (1.0, 100, "优秀"), (0.9, 90.0, "优秀"), (0.8999, 89.99, "良好"), (0.8, 80.0, "良好"), (0.6, 60.0, "合格"),
    (0.5999, 59.99, "不合格"), (0.0, 0.0, "不合格"),
])
def test_grades_by_band_on_the_rounded_total(con, rate, total, grade):
    rows = score(con, "town", [val("T1", "城关镇", "rectification_rate", rate)])["T1"]
    assert unit(rows)["total_score"] == total and unit(rows)["grade"] == grade


def test_grades_follow_the_rules_bands(con):
    text = rules_text({("grades", "excellent"): 95, ("grades", "below"): '"差"'})
    rules = parse_rules(text).as_sql()
    assert [unit(score(con, "town", [val("T1", "城关镇", "rectification_rate", r)], rules)["T1"])["grade"]
            for r in (0.95, 0.94, 0.1)] == ["优秀", "良好", "差"]


def test_town_rows_are_scored_with_the_town_specs(con):
    # A town whose hazards are all still open and unrectified: on_time_rate 不适用 (no rectified),
    # reporting 1/3, overdue 2 per school (100 − 25 × 2 = 50), the rest measured.
    vals = [val("T1", "城关镇", "rectification_rate", 0.0), val("T1", "城关镇", "on_time_rate", None, False),
            val("T1", "城关镇", "inspection_coverage", 0.5), val("T1", "城关镇", "meeting_compliance", 1.0),
            val("T1", "城关镇", "overdue_open_per_school", 2.0), val("T1", "城关镇", "reporting", 1 / 3)]
    rows = score(con, "town", vals)["T1"]
    assert rows["overdue_open_per_school"]["score"] == 50
    assert rows["on_time_rate"]["status"] == "不适用"
    expected = (0 * 27 + 50 * 18 + 100 * 14 + 50 * 13 + 100 / 3 * 10) / (27 + 18 + 14 + 13 + 10)
    assert abs(unit(rows)["total_score"] - expected) <= ROUNDING and unit(rows)["total_score"] == 40.04


# ---- the rules file's v2 keys ----

def _v1_text() -> str:
    """The rules file as it was before Evaluation v2: v1 weights, no v2 tables or keys."""
    text = DEFAULT_RULES.read_text(encoding="utf-8")
    for table in ("[grades]", "[supervision]", "[town.reporting]", "[dept.duty_inspection_coverage]",
                  "[dept.legal_education_coverage]"):
        start = text.index(f"\n{table}") + 1
        end = text.find("\n[", start + 1)
        text = text[:start] + text[end + 1:]
    return rules_text({("town.rectification_rate", "weight"): 30, ("town.on_time_rate", "weight"): 20,
                       ("town.inspection_coverage", "weight"): 20, ("town.meeting_compliance", "weight"): 15,
                       ("town.overdue_open_per_school", "weight"): 15, ("dept.rectification_rate", "weight"): 35,
                       ("dept.on_time_rate", "weight"): 25, ("dept.overdue_open", "weight"): 15,
                       ("dept.meeting_attendance", "weight"): 15, ("dept.median_days_to_rectify", "weight"): 10}, text)


def test_a_file_without_the_v2_keys_gets_their_defaults_and_a_warning_naming_each():
    text = _v1_text()
    assert "\n[grades]" not in text and "\nduty = " not in text
    rules = parse_rules(text, "old.toml")
    sql = rules.as_sql()
    assert sql["supervision"] == {"overdue_days": 30, "levels": ["重大"]}
    assert [g["min"] for g in sql["grades"]] == [90, 80, 60] and sql["grade_below"] == "不合格"
    assert rules.weight("town", "reporting") == 10 and rules.weight("dept", "duty_inspection_coverage") == 15
    assert rules.duty("dept", "legal_education_coverage") == ["公安"]
    # the file's own weights keep their proportions and leave the added indicators their default
    # share: towns 30/20/20/15/15 × 0.9 + reporting 10; departments 35/25/15/15/10 × 0.75 + 15 + 10
    assert [rules.weight("town", i) for i in rules.indicators("town")] == pytest.approx([27, 18, 18, 13.5, 13.5, 10])
    assert [rules.weight("dept", i) for i in rules.indicators("dept")] == pytest.approx(
        [26.25, 18.75, 11.25, 11.25, 7.5, 15, 10])
    named = ["[grades]", "[supervision]", "[town.reporting]", "[dept.duty_inspection_coverage]",
             "[dept.legal_education_coverage]"]
    assert len(rules.warnings) == len(named) + 2
    assert "[town.*]" in rules.warnings[-2] and "0.9" in rules.warnings[-2] and "[dept.*]" in rules.warnings[-1]
    assert "按比例缩放" in rules.warning_lines("zh")[-1]
    for line, key in zip(rules.warnings, named):
        assert line.startswith("old.toml: ") and key in line and "\n" not in line
    assert all(key in line for line, key in zip(rules.warning_lines("zh"), named))
    assert all("默认值" in line for line in rules.warning_lines("zh")[:len(named)])
    assert load_rules(DEFAULT_RULES).warnings == ()


def test_a_v2_table_without_its_duty_list_gets_the_default_and_a_warning():
    text = DEFAULT_RULES.read_text(encoding="utf-8").replace('duty = ["公安"]\n', "")
    rules = parse_rules(text, "r.toml")
    assert rules.duty("dept", "legal_education_coverage") == ["公安"]
    assert rules.warnings == ("r.toml: no [dept.legal_education_coverage] duty in the rules file; its default is used "
                              "(SPEC §3 Evaluation v2)",)


def test_weights_must_add_up_to_100_only_for_a_tier_the_file_gives_whole():
    # v1 weights without the new indicators: no error (scores rescale: Σ score × w / Σ w).
    text = rules_text({("dept.rectification_rate", "weight"): 50}, _v1_text())
    # (50/25/15/15/10 = 115, scaled to the 75 the two added indicators leave)
    assert parse_rules(text).weight("dept", "rectification_rate") == pytest.approx(50 * 75 / 115)
    # Every indicator of the tier given: the old check holds.
    with pytest.raises(RulesError, match=r"the weights of \[dept\.\*\] add up to 123"):
        parse_rules(rules_text({("dept.rectification_rate", "weight"): 50}))


def test_any_indicator_may_have_a_duty_list():
    text = DEFAULT_RULES.read_text(encoding="utf-8").replace(
        "[town.reporting]                # 信息报送: score = 100 × share of due months reported\nweight = 10",
        '[town.reporting]\nweight = 10\nduty = ["T01", " 河口 "]')
    rules = parse_rules(text)
    assert rules.duty("town", "reporting") == ["T01", "河口"]
    assert [s["duty"] for s in rules.as_sql()["indicators"] if s["indicator"] == "reporting"] == [["T01", "河口"]]


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def _error(text: str) -> str:
    with pytest.raises(RulesError) as caught:
        parse_rules(text, "rules.toml")
    return str(caught.value)


@pytest.mark.parametrize("old, new, words", [
    ('duty = ["公安"]', 'duty = ["公安", ""]', "[dept.legal_education_coverage] duty must be a non-empty list of non-empty words"),
    ('duty = ["公安"]', "duty = []", "duty must be a non-empty list"),
    ('duty = ["公安"]', 'duty = "公安"', "duty must be a non-empty list"),
    ("excellent = 90", "excellent = 101", "[grades] excellent must be at most 100"),
    ("good = 80", "good = 95", "[grades] good must be below excellent"),
    ("pass = 60", "pass = 80", "[grades] pass must be below good"),
    ("pass = 60", "pass = -1", "[grades] pass must be at least 0"),
    ('below = "不合格"', "below = 1", "[grades] below must be a non-empty word"),
    ("overdue_days = 30", "overdue_days = 0", "[supervision] overdue_days must be at least 1"),
    ("overdue_days = 30", "overdue_days = 1.5", "[supervision] overdue_days must be a whole number"),
    ('levels = ["重大"]', 'levels = ["严重"]', "[supervision] levels: '严重' is not a level"),
    ('levels = ["重大"]', "levels = []", "[supervision] levels must be a non-empty list"),
    ("excellent = 90", "excelent = 90", "unknown key 'excelent' in [grades]"),
])
def test_a_bad_v2_value_names_its_line(old, new, words):
    text = DEFAULT_RULES.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    message = _error(text)
    assert words in message, message
    assert message.startswith(f"rules.toml, line {line_of(text, new)}: "), message


def test_the_command_line_prints_the_warnings_without_failing(tmp_path, monkeypatch, capsys):
    from xiaoan_cli.common import warn_rules

    old = tmp_path / "rules.toml"
    old.write_text(_v1_text(), encoding="utf-8")
    monkeypatch.setenv("XIAOAN_RULES", str(old))
    monkeypatch.setenv("XIAOAN_LANG", "zh")
    warn_rules()
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 7 and all(line.startswith("xiaoan: 提示：考核规则文件") for line in lines)  # 5 keys, 2 tiers scaled
    assert "[supervision]" in lines[1]
    monkeypatch.setenv("XIAOAN_RULES", str(DEFAULT_RULES))
    warn_rules()
    assert capsys.readouterr().err == ""
