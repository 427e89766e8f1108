"""One labels module (xiaoan.labels): one column_label, one list of rate columns, and the
evaluation indicators read from the rules file wherever they are shown."""

from __future__ import annotations

import ast
from pathlib import Path

import polars as pl
import pytest

from dashboard import widgets
from tests.test_dashboard_data import dash_env, metrics, open_app, year_filters  # noqa: F401
from xiaoan.i18n import TEXT
from xiaoan.labels import RATE_COLUMNS, column_label, is_rate
from xiaoan.rules import load_rules
from tests.data_apptest import as_served  # noqa: F401 (autouse: the app as xiaoan serve runs it)

ROOT = Path(__file__).resolve().parent.parent


def test_a_column_label_is_the_shared_header_first():
    assert column_label("rectification_rate", "zh") == TEXT["col.rectification_rate"]["zh"]


def test_a_column_without_a_shared_header_takes_the_dashboard_label():
    assert "col.meeting_level" not in TEXT
    assert column_label("meeting_level", "en") == TEXT["dash.col.meeting_level"]["en"]


def test_a_column_without_any_label_keeps_its_name():
    assert column_label("no_such_column", "zh") == "no_such_column"


def test_the_rate_indicators_of_the_rules_are_rate_columns():
    rules = load_rules()
    indicators = {i for tier in ("town", "dept") for i in rules.indicators(tier)}
    fractions = {i for i in indicators if i.endswith(("_rate", "_coverage", "_compliance", "_attendance"))
                 or i == "reporting"}  # 信息报送率 = reported / due months (SPEC §3 v2)
    assert {i for i in indicators if is_rate(i)} == fractions


def _module_level_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {target.id for node in tree.body if isinstance(node, (ast.Assign, ast.AnnAssign))
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
            if isinstance(target, ast.Name)}


def test_no_other_module_keeps_its_own_list_of_rate_columns():
    owners = [str(p.relative_to(ROOT)) for package in ("xiaoan", "pipelines", "dashboard")
              for p in (ROOT / package).rglob("*.py")
              if any("RATE" in n or "PERCENT" in n for n in _module_level_names(p))]
    assert owners == ["xiaoan/labels.py"]


@pytest.mark.usefixtures("dash_env")
def test_the_evaluation_page_shows_the_indicators_of_the_rules_and_rates_as_percentages():
    at = open_app("evaluation")
    indicators = load_rules().indicators("town")
    scores = at.dataframe[0].value
    assert list(scores.columns) == [column_label(c, "zh") for c in ("rank", "town_code", "town_name", "score",
                                                                    "grade", *indicators)]
    shown = at.dataframe[1].value[column_label("value", "zh")].tolist()
    api = metrics().town_score_breakdown(year_filters()).filter(pl.col("town_code") == "T01").sort("position")
    assert api["indicator"].to_list() == indicators and any(is_rate(i) for i in indicators)
    assert shown == [widgets.percent(v) if i in RATE_COLUMNS else f"{v:.2f}"
                     for i, v in zip(api["indicator"], api["value"])]
