"""Official wording (issue 16): what a leader reads is 政务用语 — records counted in 条, the
基础信息表, 加权得分, 重点关注事项, the pages' full titles, units under a chart's title, periods
as 2026年第一季度 and 2026年10月, dates in sentences as 2026年10月31日, rates with one decimal in
every column, risk totals whole."""

from __future__ import annotations

import datetime as dt
import re

import plotly.graph_objects as go
import polars as pl
import pytest
import streamlit as st

from dashboard import charts, widgets
from pipelines.export import html as report_html
from pipelines.export import xlsx
from xiaoan import labels, periods
from xiaoan.i18n import AREAS, TEXT, t

# The areas of the wording pass (what the dashboard, report.xlsx/html, the importer and a clerk's
# messages say, the 通报, the 督办通知书, the wall screen, and the insights (repeat hazards, legal
# education) on the risk, inspections and school pages). The city area joins once its texts follow the same rules.
PASS_AREAS = ("dashboard", "exports", "vocabulary", "access", "importer", "receipts", "ingest", "forms",
              "documents", "notices", "wall", "insights")
# The documents and the wall screen say what the pages say: hazards in 项, 应挂牌未挂牌, 镇, 考核等级.
NEW_WORK = ("documents", "notices", "wall")
ZH = {key: text["zh"] for area in AREAS if area.__name__.rsplit(".", 1)[1] in PASS_AREAS
      for key, text in area.TEXT.items()}
# A term the reviewer retired, and what a text says instead.
RETIRED = {
    "登记册": "基础信息表",
    "得分贡献": "加权得分",
    "需要关注": "重点关注事项",
    "数据仓库": "数据库",
}
ISO_QUARTER = re.compile(r"\d{4}\s*Q[1-4]")
ISO_MONTH = re.compile(r"^\d{4}-\d{2}$")


@pytest.mark.parametrize("term", sorted(RETIRED))
def test_no_chinese_text_uses_a_retired_term(term):
    assert [key for key, text in ZH.items() if term in text] == [], f"{term} → {RETIRED[term]}"


def test_records_are_counted_in_tiao_not_rejected_in_rows():
    # 未通过校验的记录 123 条, not 拒收 123 行
    assert [key for key, text in ZH.items() if re.search(r"拒收.*行", text)] == []
    assert [key for key, text in ZH.items() if "拒收" in text] == []
    assert "条" in t("dash.overview.last_load_text", when="", files=1, loaded=2, rejected=3)
    assert "未通过校验的记录 3 条" in t("dash.overview.last_load_text", when="", files=1, loaded=2, rejected=3)


def test_page_titles_are_the_full_official_names():
    pages = {key: text for key, text in ZH.items() if key.startswith("dash.page.")}
    assert pages["dash.page.meetings"] == "会议制度落实情况"
    assert pages["dash.page.inspections"] == "检查督导情况"
    assert pages["dash.page.departments"] == "成员单位整改情况"
    assert not {"会议", "检查", "部门整改"} & set(pages.values())  # no bare title anywhere
    assert t("dash.overview.attention") == "重点关注事项"
    assert t("dash.risk.drill") == "学校及未整改隐患明细"


def test_the_seed_names_the_tiers_and_the_office():
    assert t("dash.org.tier.district") == "区级安全总校（园）长"
    assert t("dash.org.office") == "中小学幼儿园安全总校（园）长制工作办公室"
    assert "中小学幼儿园安全总校（园）长制工作办公室" in t("tpl.general.send")


def test_indicator_statuses_are_shown_as_reported_not_reported_not_applicable():
    # the data keeps SPEC §5's 有数据 / 不适用 / 未报送; a person reads 已报送 / 不适用 / 未报送
    from xiaoan.vocabulary import INDICATOR_STATUSES
    shown = {status: t(f"status.{status}") for status in INDICATOR_STATUSES}
    assert set(shown.values()) == {"已报送", "不适用", "未报送"}
    assert [t(f"dash.evaluation.status.{s}") for s in INDICATOR_STATUSES if "有数据" in t(f"dash.evaluation.status.{s}")] == []
    assert t("col.points") == "加权得分"


def test_chart_titles_carry_no_unit_in_brackets_and_units_are_notes():
    titles = {key: text for key, text in ZH.items() if key.endswith("_title") and key.startswith("dash.")}
    assert titles  # the scan sees the charts' titles
    assert [key for key, text in titles.items() if re.search(r"（(分|%|次|项|天)[^）]*）", text)] == []
    assert t("dash.unit.points") == "单位：分"
    fig = charts.styled(go.Figure(), t("dash.evaluation.town_title"), unit=t("dash.unit.points"))
    assert fig.layout.title.text == "各镇考核得分排名"
    assert fig.layout.title.subtitle.text == "单位：分"


@pytest.mark.parametrize("day, zh, en", [
    (dt.date(2026, 1, 1), "2026年第一季度", "Q1 2026"),
    (dt.date(2026, 5, 10), "2026年第二季度", "Q2 2026"),
    (dt.date(2025, 12, 31), "2025年第四季度", "Q4 2025"),
])
def test_quarters_are_named_in_chinese(day, zh, en):
    key = periods.quarter_label(day)  # the trend's data keeps its key (2026Q1)
    assert labels.quarter_label(day) == labels.quarter_label(key) == zh
    assert labels.quarter_label(key, "en") == en
    assert not ISO_QUARTER.search(labels.quarter_label(day))


def test_months_and_days_are_named_in_chinese():
    assert labels.month_label(dt.date(2026, 10, 31)) == labels.month_label("2026-10") == "2026年10月"
    assert labels.month_label("2026-10", "en") == "October 2026"
    assert labels.day_label(dt.date(2026, 10, 31)) == "2026年10月31日"
    assert labels.day_label(dt.date(2026, 3, 5), "en") == "5 March 2026"
    assert not ISO_MONTH.match(labels.month_label("2026-10"))


def test_tables_show_months_and_quarters_in_words():
    frame = pl.DataFrame({"quarter": ["2026Q1", "2025Q4"], "month": [dt.date(2026, 10, 1), dt.date(2026, 11, 1)],
                          "report_month": ["2026-10", None]})
    shown = labels.for_display(frame)
    assert shown[labels.column_label("quarter")].to_list() == ["2026年第一季度", "2025年第四季度"]
    assert shown[labels.column_label("month")].to_list() == ["2026年10月", "2026年11月"]
    assert shown[labels.column_label("report_month")].to_list() == ["2026年10月", None]


def test_the_period_filter_names_quarters_in_chinese():
    from dashboard.filters import period_name
    assert [period_name("quarter", i, "zh") for i in range(1, 5)] == ["第一季度", "第二季度", "第三季度", "第四季度"]
    assert period_name("month", 10, "zh") == "10月"


def test_rates_have_one_decimal_everywhere():
    assert [labels.rate_text(v) for v in (0.8, 0.78378, 1.0, None)] == ["80.0%", "78.4%", "100.0%", "—"]
    assert widgets.percent(0.8) == "80.0%"
    assert report_html._fmt("rectification_rate", 0.8, "zh") == "80.0%"
    assert report_html._fmt("rectification_rate", 0.78378, "zh") == "78.4%"


def test_risk_totals_are_whole_numbers():
    assert report_html._fmt("open_risk", 123.0, "zh") == "123"
    assert report_html._fmt("risk", 20.0, "zh") == "20"
    formats = {"int": "int", "float": "float", "pct": "pct", "date": "date", "datetime": "datetime"}
    assert xlsx._column_format("risk", pl.Float64, formats) == "int"
    assert xlsx._column_format("open_risk", pl.Float64, formats) == "int"
    assert xlsx._column_format("rectification_rate", pl.Float64, formats) == "pct"


def test_the_table_helper_shows_every_rate_column_with_one_decimal(monkeypatch):
    """widgets.table: each rate column is a percentage whose step gives one decimal (Streamlit's
    "percent" format shows step's decimals less two), so 80.0% stands beside 78.4%; risk whole."""
    seen = {}

    def dataframe(data, **kwargs):
        seen.update(kwargs["column_config"])
        return None

    monkeypatch.setattr(st, "dataframe", dataframe)
    monkeypatch.setattr(widgets, "downloads", lambda *args, **kwargs: None)
    frame = pl.DataFrame({"dept_name": ["甲", "乙"], "rectification_rate": [0.8, 0.78378],
                          "closure_rate": [0.5, None], "risk": [3.0, 20.0], "score": [88.25, 90.0]})
    widgets.table(frame, "wording.t", "zh", "wording")
    for column in ("rectification_rate", "closure_rate"):
        config = seen[labels.column_label(column)]
        assert config["type_config"]["format"] == "percent"
        decimals = len(str(config["type_config"]["step"]).split(".")[1])
        assert decimals - 2 == 1  # the fraction to 3 decimals: the percentage to 1
    assert seen[labels.column_label("risk")]["type_config"]["format"] == "%,d"
    assert seen[labels.column_label("score")]["type_config"]["format"] == "%.2f"


def test_the_workbook_headline_reads_rates_as_percentages():
    frame = pl.DataFrame({"metric": ["rectification_rate", "open_risk"], "value": [0.78378, 120.0],
                          "previous": [0.8, 100.0], "change": [-0.01622, 20.0]})
    shown = xlsx._readable("headline", frame, "zh")
    assert shown["value"].to_list() == ["78.4%", "120"]
    assert shown["previous"].to_list() == ["80.0%", "100"]
    assert shown["change"].to_list() == [t("dash.overview.pp", n="-1.6"), "+20"]


def test_every_area_of_the_wording_pass_is_in_the_table():
    names = {area.__name__.rsplit(".", 1)[1] for area in AREAS}
    assert set(PASS_AREAS) <= names
    assert len(ZH) > 500 and set(ZH) <= set(TEXT)


def _area_texts(*names: str) -> dict[str, str]:
    return {key: text["zh"] for area in AREAS if area.__name__.rsplit(".", 1)[1] in names
            for key, text in area.TEXT.items()}


def test_documents_notices_and_the_wall_count_hazards_in_xiang_as_the_pages_do():
    texts = _area_texts(*NEW_WORK)
    assert len(texts) > 100  # the scan sees the three areas
    # 条 is for records only (a ledger's rows on the wall): never for hazards
    assert {key for key, text in texts.items() if "条" in text} == {"wall.arrivals.rows", "wall.arrivals.rejected"}
    assert "逾期未整改隐患3项" in t("documents.bulletin.open_state", open_hazards=5, open_hazards_change="",
                                     grave_open=1, grave_open_change="", overdue_open=3, overdue_open_change="",
                                     open_risk=20, open_risk_change="", date="2026年10月31日")
    assert t("wall.supervision_due", n=2) == "应挂牌未挂牌 2 项"
    assert t("dash.supervision.due") in t("wall.supervision_due", n=2)  # the supervision page's word
    assert t("notices.col.hazards") == "隐患（项）"


@pytest.mark.parametrize("old, new", [("应挂未挂", "应挂牌未挂牌"), ("镇（街道）", "镇"), ("等次", "考核等级"),
                                      ("数据仓库", "数据库"), ("登记册", "基础信息表")])
def test_documents_notices_and_the_wall_use_the_dashboards_words(old, new):
    assert [key for key, text in _area_texts(*NEW_WORK).items() if old in text] == [], f"{old} → {new}"
    assert new in "".join(_area_texts("dashboard", "exports", "vocabulary", "ingest").values())


def test_documents_write_days_and_months_as_the_labels_do():
    import inspect

    from xiaoan.documents import bulletin, gbt9704, notice
    # one date helper (xiaoan.labels), not one per document module
    assert not [m.__name__ for m in (bulletin, gbt9704, notice) if hasattr(m, "chinese_date")]
    assert "day_label" in inspect.getsource(notice) and "month_label" in inspect.getsource(bulletin)
    context = notice.notice_context("青溪安督〔2026〕1号", "城关镇", pl.DataFrame(), dt.date(2026, 10, 31),
                                    issuer="青溪区中小学幼儿园安全总校（园）长制工作办公室", reply_days=7)
    assert (context["as_of"], context["reply_deadline"]) == ("2026年10月31日", "2026年11月7日")
    assert context["as_of"] == labels.day_label(dt.date(2026, 10, 31))
    assert not [key for key, text in _area_texts(*NEW_WORK).items() if ISO_MONTH.search(text)
                or re.search(r"\d{4}-\d{2}-\d{2}", text)]


def test_moments_are_written_in_words_with_or_without_the_year():
    when = dt.datetime(2026, 11, 29, 20, 19, 45)
    assert labels.time_label(when) == "2026年11月29日 20:19"
    assert labels.time_label(when, year=False) == "11月29日 20:19"
    assert labels.time_label(when, "en") == "29 November 2026, 20:19"
    assert labels.time_label(when, "en", year=False) == "29 November, 20:19"
    assert labels.time_label(dt.datetime(2026, 3, 5, 8, 5), year=False) == "3月5日 08:05"
    assert labels.time_label(None) == ""
    assert labels.time_label(when).startswith(labels.day_label(when.date()))


def test_counts_carry_no_thousands_separator_in_chinese_as_in_the_bulletin():
    # 政务 text writes 1042, not 1,042 (GB/T 15835: a 4-digit figure is not grouped); English groups
    from xiaoan.documents import bulletin
    assert labels.whole_text(1042, "zh") == "1042" and labels.whole_text(12345.4, "zh") == "12345"
    assert labels.whole_text(1042, "en") == "1,042"
    assert labels.whole_text(None, "zh") == "—"
    for lang in ("zh", "en"):  # the 通报 writes its figures the same way
        assert bulletin._figure("open_hazards", 1042, lang) == labels.whole_text(1042, lang)
