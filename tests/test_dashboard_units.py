"""The dashboard's pure helpers: periods, downloads that stay inert, labels, the town map, and
named queries that bind every value."""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import polars as pl
import pytest

from dashboard.downloads import inert, to_csv, to_xlsx
from dashboard.filters import url_date
from dashboard.towns_map import load_shapes, town_map
from xiaoan import periods
from xiaoan.labels import column_label, for_display, value_label
from xiaoan.rules import load_rules

D = dt.date
TODAY = D(2026, 11, 28)


# ---- periods (统计周期)

@pytest.mark.parametrize("kind, year, index, bounds", [
    ("year", 2026, 1, (D(2026, 1, 1), D(2026, 12, 31))),
    ("quarter", 2026, 2, (D(2026, 4, 1), D(2026, 6, 30))),
    ("month", 2024, 2, (D(2024, 2, 1), D(2024, 2, 29))),
    ("semester", 2026, 1, (D(2026, 2, 1), D(2026, 7, 31))),
    ("semester", 2026, 2, (D(2026, 8, 1), D(2027, 1, 31))),
])
def test_period_bounds(kind, year, index, bounds):
    assert periods.period_bounds(kind, year, index, periods.Semesters.of(load_rules())) == bounds


def test_semesters_follow_the_rules_months():
    spring_from_march = periods.Semesters(spring=3, autumn=9)
    assert periods.period_bounds("semester", 2026, 1, spring_from_march) == (D(2026, 3, 1), D(2026, 8, 31))
    assert periods.current_index("semester", D(2026, 1, 15), spring_from_march) == (2025, 2)


def test_without_an_as_of_date_a_past_period_is_seen_at_its_end_and_the_current_one_today():
    assert periods.resolve("month", 2026, 2, None, None, TODAY) == periods.Window(D(2026, 2, 28), D(2026, 2, 1), D(2026, 2, 28))
    assert periods.resolve("year", 2026, 1, None, None, TODAY) == periods.Window(TODAY, D(2026, 1, 1), TODAY)


def test_the_period_is_cut_at_an_explicit_as_of_date():
    window = periods.resolve("year", 2026, 1, None, D(2026, 3, 31), TODAY)
    assert (window.start, window.end, window.as_of) == (D(2026, 1, 1), D(2026, 3, 31), D(2026, 3, 31))
    custom = periods.resolve("custom", 0, 0, (D(2026, 5, 1), D(2026, 2, 1)), None, TODAY)
    assert (custom.start, custom.end) == (D(2026, 2, 1), D(2026, 5, 1))


@pytest.mark.parametrize("text", ["", None, "2026-02-30", "yesterday", "2026/01/01", "'; drop table x"])
def test_bad_dates_in_the_url_are_ignored(text):
    assert url_date(text) is None


def test_month_earlier_clips_to_the_months_end():
    assert periods.month_earlier(D(2026, 3, 31)) == D(2026, 2, 28)
    assert periods.month_earlier(D(2026, 1, 15)) == D(2025, 12, 15)


# ---- downloads: CSV and Excel keep hostile ledger text inert

HOSTILE = ["=HYPERLINK(\"http://x\",\"点我\")", "+cmd|' /C calc'!A0", "@SUM(A1:A2)", "-1+1", "<script>alert(1)</script>", "正常文本 😀"]


def test_csv_has_a_bom_and_no_cell_a_spreadsheet_would_run():
    frame = pl.DataFrame({"描述": HOSTILE, "n": list(range(len(HOSTILE)))})
    data = to_csv(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pl.read_csv(io.BytesIO(data[3:]))
    for original, cell in zip(HOSTILE, back["描述"]):
        assert cell == inert(original)
        assert not cell.startswith(("=", "+", "-", "@"))
    assert back["n"].to_list() == list(range(len(HOSTILE)))  # numbers stay numbers


def test_excel_writes_every_string_as_text_never_a_formula():
    frame = pl.DataFrame({"描述": HOSTILE, "日期": [D(2026, 3, 1)] * len(HOSTILE), "列表": [["a", "b"]] * len(HOSTILE)})
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(frame, "隐患/台账"))).active
    assert sheet.title == "隐患_台账"
    for row, original in enumerate(HOSTILE, start=2):
        cell = sheet.cell(row, 1)
        assert cell.value == original and cell.data_type == "s"
    assert sheet.cell(2, 2).value == dt.datetime(2026, 3, 1)
    assert sheet.cell(2, 3).value == "a、b"


def test_excel_keeps_numbers_as_numbers_and_blanks_blank():
    frame = pl.DataFrame({"n": [1, None, 3], "x": [0.5, float("nan"), None], "ok": [True, False, None],
                          "s": ["a", None, ""]})
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(frame, "t", "en"))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=1, values_only=False)]
    assert rows[0] == ["n", "x", "ok", "s"]  # the frame's own column names are the headers
    assert rows[1] == [1, 0.5, "yes", "a"]
    assert rows[2][0] is None and rows[2][1] is None and rows[2][2] == "no" and rows[2][3] is None
    assert rows[3][:3] == [3, None, None]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:D4"


# ---- labels

def test_labels_reuse_the_shared_column_names_and_translate_vocabularies():
    assert column_label("rectification_rate", "zh") == "整改率"
    assert column_label("rectification_rate", "en") == "Rectification rate"
    assert value_label("消防安全", "en") == "Fire safety" and value_label("未知值", "en") == "未知值"
    shown = for_display(pl.DataFrame({"category": ["防溺水"], "level": ["重大"], "town_name": ["城关镇"]}), "en")
    assert shown.row(0) == ("Drowning", "Grave", "城关镇")
    assert shown.columns == ["Category", "Level", "Town"]


# ---- the town map: polygons from GeoJSON, no geo subplot

def test_the_town_map_draws_polygons_on_plain_axes(tmp_path):
    geo = tmp_path / "towns.geojson"
    square = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    geo.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"town_code": "T01", "town_name": "城关镇"},
         "geometry": {"type": "Polygon", "coordinates": [square]}},
        {"type": "Feature", "properties": {"name": "河口镇"},
         "geometry": {"type": "MultiPolygon", "coordinates": [[[[2, 0], [3, 0], [3, 1], [2, 0]]], [[[4, 0], [5, 0], [5, 1], [4, 0]]]]}},
    ]}), encoding="utf-8")
    shapes = load_shapes(str(geo), geo.stat().st_mtime)
    assert [s.code for s in shapes] == ["T01", None] and len(shapes[1].rings) == 2
    fig = town_map(shapes, {"T01": 2.0, "T02": 8.0}, {"T01": "城关镇", "T02": "河口镇"}, "{name} {value}", "risk").to_dict()
    fills = [t for t in fig["data"] if t.get("fill") == "toself"]
    assert len(fills) == 3 and {t["customdata"][0] for t in fills} == {"T01", "T02"}  # 河口镇 matched by name
    assert "geo" not in fig["layout"] and "mapbox" not in fig["layout"] and "map" not in fig["layout"]
    assert fig["layout"]["yaxis"]["scaleanchor"] == "x"
