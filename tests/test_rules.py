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
    assert {i: rules.weight("town", i) for i in rules.indicators("town")} == {
        "rectification_rate": 30, "on_time_rate": 20, "inspection_coverage": 20, "meeting_compliance": 15,
        "overdue_open_per_school": 15}
    assert {i: rules.weight("dept", i) for i in rules.indicators("dept")} == {
        "rectification_rate": 35, "on_time_rate": 25, "overdue_open": 15, "meeting_attendance": 15,
        "median_days_to_rectify": 10}
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
    with pytest.raises(RulesError, match=r"line \d+: the weights of \[town\.\*\] add up to 105; they must add up to 100"):
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
