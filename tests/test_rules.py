"""The rules file (考核规则): the default holds SPEC §3's numbers; a malformed file or a bad value
gets a one-line error naming the file and the line."""

from __future__ import annotations

import pytest

from tests.metrics_data import rules_text
from xiaoan.config import DEFAULT_RULES
from xiaoan.rules import RulesError, load_rules, parse_rules


def line_of(text: str, needle: str, after: str | None = None) -> int:
    start = text.index(after) if after else 0
    return text[: text.index(needle, start)].count("\n") + 1


def test_the_default_rules_are_spec_section_3():
    rules = load_rules(DEFAULT_RULES)
    assert rules.as_sql()["risk"] == {"general": 1, "major": 3, "grave": 10, "overdue_factor": 2}
    # SPEC §3 Evaluation v2's weights (v1's rescaled around the new indicators), in SPEC's order.
    assert {i: rules.weight("town", i) for i in rules.indicators("town")} == {
        "rectification_rate": 27, "on_time_rate": 18, "inspection_coverage": 18, "meeting_compliance": 14,
        "overdue_open_per_school": 13, "reporting": 10}
    assert {i: rules.weight("dept", i) for i in rules.indicators("dept")} == {
        "rectification_rate": 27, "on_time_rate": 18, "overdue_open": 11, "meeting_attendance": 12,
        "median_days_to_rectify": 7, "duty_inspection_coverage": 15, "legal_education_coverage": 10}
    assert rules.duty("dept", "duty_inspection_coverage") == ["教育局", "公安", "交警", "消防", "市场监管", "卫生健康",
                                                              "建设", "应急", "交通运输"]
    assert rules.duty("dept", "legal_education_coverage") == ["公安"]
    assert rules.duty("dept", "rectification_rate") is None
    assert rules.as_sql()["supervision"] == {"overdue_days": 30, "levels": ["重大"]}
    assert rules.as_sql()["grades"] == [{"grade": "优秀", "min": 90}, {"grade": "良好", "min": 80},
                                        {"grade": "合格", "min": 60}]
    assert rules.as_sql()["grade_below"] == "不合格"
    assert rules.warnings == ()
    assert rules.get("town.overdue_open_per_school", "points_per_unit") == 25
    assert rules.get("dept.overdue_open", "points_per_unit") == 10
    assert (rules.get("dept.median_days_to_rectify", "full_at_days"),
            rules.get("dept.median_days_to_rectify", "zero_at_days")) == (7, 60)
    assert 0 < rules.dept_rectification_target <= 1


def test_xiaoan_rules_env_points_at_another_file(tmp_path, monkeypatch):
    other = tmp_path / "rules.toml"
    other.write_text(rules_text({("targets", "dept_rectification_rate"): 0.8}), encoding="utf-8")
    monkeypatch.setenv("XIAOAN_RULES", str(other))
    assert load_rules().dept_rectification_target == 0.8
    assert load_rules().source == other


def test_a_syntax_error_names_the_line(tmp_path):
    bad = tmp_path / "rules.toml"
    text = DEFAULT_RULES.read_text(encoding="utf-8").replace("major = 3 ", "major = = 3 ")
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(RulesError) as caught:
        load_rules(bad)
    message = str(caught.value)
    assert str(bad) in message and f"line {line_of(text, 'major = = 3')}" in message
    assert "\n" not in message


def test_weights_must_add_up_to_100():
    text = rules_text({("town.on_time_rate", "weight"): 25})
    with pytest.raises(RulesError, match=r"line \d+: the weights of \[town\.\*\] add up to 107; they must add up to 100"):
        parse_rules(text, "rules.toml")
    assert f"line {line_of(text, '[town.rectification_rate]')}:" in _error(text)


@pytest.mark.parametrize("table, key, value, words", [
    ("risk", "grave", '"ten"', "[risk] grave must be a number, got 'ten'"),
    ("risk", "general", "0", "[risk] general must be greater than 0"),
    ("dept.on_time_rate", "weight", "-5", "[dept.on_time_rate] weight must be at least 0"),
    ("repeat", "window_days", "7.5", "[repeat] window_days must be a whole number"),
    ("semesters", "spring_start_month", "13", "[semesters] spring_start_month must be at most 12"),
    ("targets", "dept_rectification_rate", "90", "[targets] dept_rectification_rate must be at most 1"),
    ("dept.median_days_to_rectify", "zero_at_days", "5", "zero_at_days must be greater than full_at_days"),
    ("overdue_buckets", "medium_days", "7", "medium_days must be greater than short_days"),
    ("risk", "major", "true", "[risk] major must be a number"),
])
def test_a_bad_value_names_its_line(table, key, value, words):
    text = rules_text({(table, key): value})
    message = _error(text)
    assert words in message
    assert message.startswith(f"rules.toml, line {line_of(text, f'{key} = {value}', f'[{table}]')}: ")


def test_an_unknown_or_missing_key_is_an_error():
    typo = DEFAULT_RULES.read_text(encoding="utf-8").replace("points_per_unit = 10", "points_per_unt = 10")
    assert "unknown key 'points_per_unt' in [dept.overdue_open]" in _error(typo)
    assert f"line {line_of(typo, 'points_per_unt')}" in _error(typo)
    missing = DEFAULT_RULES.read_text(encoding="utf-8").replace("overdue_factor = 2", "")
    assert "missing key 'overdue_factor' in [risk]" in _error(missing)
    assert f"line {line_of(missing, '[risk]')}:" in _error(missing)
    no_table = DEFAULT_RULES.read_text(encoding="utf-8").replace("[repeat]", "[repeats]")
    assert "unknown key 'repeats'" in _error(no_table)


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(RulesError, match="rules file not found"):
        load_rules(tmp_path / "nope.toml")


def _error(text: str) -> str:
    with pytest.raises(RulesError) as caught:
        parse_rules(text, "rules.toml")
    return str(caught.value)


# ---- [derive] (SPEC §2.1: how ingestion fills the fields a ledger lacks) ----

def _default_text() -> str:
    return DEFAULT_RULES.read_text(encoding="utf-8")


def _without_derive(text: str) -> str:
    return text[: text.index("# ---- 台账缺列时的推导")]


def test_the_default_derive_section_is_spec_section_2_1():
    derive = load_rules(DEFAULT_RULES).derive
    assert [c for c, _ in derive.category_keywords] == [
        "消防安全", "食品卫生", "校舍建筑", "设施设备", "交通安全", "防溺水", "治安防范", "心理健康", "周边环境"]
    assert dict(derive.category_keywords)["校舍建筑"] == (
        "墙", "楼梯", "扶手", "地砖", "瓷砖", "吊顶", "屋面", "宿舍", "教学楼")
    assert derive.deadline_days == {"一般": 30, "较大": 15, "重大": 7}
    assert derive.default_level == "一般"
    spec = {"正常", "良好", "完好", "合格", "符合", "符合要求", "已落实", "落实", "无问题", "无", "不涉及", "是", "否",
            "有", "√", "/", "—"}
    assert spec <= set(derive.fine_words)
    assert {"无异常", "已建立", "已制订", "已公示", "已核查"} <= set(derive.fine_words)
    # The first category whose keyword occurs wins, in the file's order; none → 其他.
    assert derive.category_of("食堂灭火器过期") == "消防安全"
    assert derive.category_of("教学楼插座松动") == "校舍建筑"
    assert derive.category_of("校门口有流动摊贩") == "周边环境"
    assert derive.category_of("值班记录不全") == "其他"
    assert derive.category_of(None) == "其他"


def test_a_file_without_derive_gets_spec_defaults_and_the_same_derive():
    rules = parse_rules(_without_derive(_default_text()), "rules.toml")
    assert rules.derive == load_rules(DEFAULT_RULES).derive


def test_the_file_order_of_categories_is_the_order_tried():
    text = _default_text().replace('"消防安全" = ["消防", "灭火器", "疏散", "烟感"]\n', "")
    text += '"消防安全" = ["消防", "灭火器", "疏散", "烟感"]\n'
    derive = parse_rules(text, "rules.toml").derive
    assert derive.category_keywords[-1][0] == "消防安全"
    assert derive.category_of("食堂灭火器过期") == "食品卫生"


def test_changed_deadline_days_and_level_are_read_and_change_the_hash():
    text = _default_text().replace('"较大" = 15', '"较大" = 10').replace('default_level = "一般"',
                                                                      'default_level = "较大"')
    rules = parse_rules(text, "rules.toml")
    assert rules.derive.deadline_days == {"一般": 30, "较大": 10, "重大": 7}
    assert rules.derive.default_level == "较大"
    default = load_rules(DEFAULT_RULES)
    assert rules.hash != default.hash and len(default.hash) == 16
    assert parse_rules(_default_text(), "other.toml").hash == default.hash
    assert rules.values == default.values  # the metric values are untouched


@pytest.mark.parametrize("old, new, needle, words", [
    ('"较大" = 15', '"较大" = 1.5', '"较大" = 1.5', "[derive.deadline_days] 较大 must be a whole number"),
    ('"重大" = 7', '"重大" = -1', '"重大" = -1', "[derive.deadline_days] 重大 must be at least 0"),
    ('"重大" = 7', '"严重" = 7', '"严重" = 7', "[derive.deadline_days] '严重' is not a level"),
    ('"心理健康" = ["心理"]', '"心理卫生" = ["心理"]', '"心理卫生"', "'心理卫生' is not a category"),
    ('"心理健康" = ["心理"]', '"心理健康" = []', '"心理健康" = []', "心理健康 must be a list of non-empty keywords"),
    ('"心理健康" = ["心理"]', '"心理健康" = "心理"', '"心理健康" = "心理"', "must be a list of non-empty keywords"),
    ('default_level = "一般"', 'default_level = "轻微"', 'default_level = "轻微"',
     "[derive] default_level must be one of 一般, 较大, 重大, got '轻微'"),
    ('default_level = "一般"', 'default_levl = "一般"', 'default_levl', "unknown key 'default_levl' in [derive]"),
    ('"—",\n', '"—", "",\n', '"—", ""', "[derive] fine_words must be a list of non-empty words"),
])
def test_a_bad_derive_value_names_its_line(old, new, needle, words):
    text = _default_text()
    assert old in text
    text = text.replace(old, new, 1)
    message = _error(text)
    assert words in message
    line = line_of(text, needle, "[derive]")
    if needle.startswith('"—"'):  # a list spread over lines is located at its key
        line = line_of(text, "fine_words =", "[derive]")
    assert message.startswith(f"rules.toml, line {line}: "), message


def test_a_missing_deadline_level_names_the_table_line():
    text = _default_text().replace('"较大" = 15\n', "")
    message = _error(text)
    assert "missing key '较大' in [derive.deadline_days]" in message
    assert message.startswith(f"rules.toml, line {line_of(text, '[derive.deadline_days]')}: ")
