"""People's names (docs/security.md, "People's names"): 责任人, 验收人, 检查人员, 主持人, 成员, 联络员 and
联系电话 are read by district viewers only; the 总校长 of a town or village by the district and that
town. A town and a department viewer meet none of them in any query a page can run, any page, any
download; the district viewer does; a snapshot masks them unless asked not to.

The queries and the pages are enumerated, not listed: every named query of dashboard/queries.py,
every table macro of pipelines/models/metrics, every method of the metrics API, every page the app
routes — so a column, a query or a page added later is walked too.
"""

from __future__ import annotations

import csv
import inspect
import io
import json
import re
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from streamlit.delta_generator import DeltaGenerator

from dashboard import nav, queries
from pipelines.export import export_snapshot
from pipelines.export.tables import gather
from tests.data_apptest import as_served  # noqa: F401 (autouse fixture: the app as served, no component scan)
from tests.people_data import AS_OF, PERSONAL_NAMES, START, TOWN_PRINCIPALS, map_file, people_warehouse
from tests.test_dashboard_data import chart_specs, open_app
from xiaoan.metrics import Filters, Metrics, Scope
from xiaoan.scope import PEOPLE_COLUMNS, PERSONAL_COLUMNS

TOWN, DEPT, DISTRICT = Scope.town("T01"), Scope.department("D02"), Scope()
SCOPES = [TOWN, DEPT]
IDS = ["town", "department"]
F = Filters(as_of=AS_OF, start=START, end=AS_OF)
MACROS = Path(__file__).resolve().parent.parent / "pipelines" / "models" / "metrics"
# A table macro with the metric macros' call (A, S, E, filters…, rules): the first argument is `a`.
TABLE_MACRO = re.compile(r"create or replace macro (\w+)\(\s*a,\s*s := null.*?\)\s*as table", re.S)


def forbidden(scope: Scope) -> set[str]:
    """The names this viewer must never meet: every personal name, and the principals of the towns
    (and their villages) that are not its own — all of them for a department."""
    own = TOWN_PRINCIPALS.get(scope.code, set()) if scope.kind == "town" else set()
    return set(PERSONAL_NAMES) | (set().union(*TOWN_PRINCIPALS.values()) - own)


def found(texts, names: set[str]) -> set[str]:
    """The names that occur in any of the texts (a cell may hold several: 唐国强、罗文)."""
    return {n for text in texts if text for n in names if n in str(text)}


def frame_texts(frame: pl.DataFrame) -> list[str]:
    return [str(v) for column in frame.columns for v in frame[column].to_list() if v is not None]


@pytest.fixture
def people_env(monkeypatch):
    monkeypatch.setenv("XIAOAN_WAREHOUSE", str(people_warehouse()))
    monkeypatch.setenv("XIAOAN_MAP", str(map_file()))
    monkeypatch.delenv("XIAOAN_SCOPE", raising=False)
    monkeypatch.delenv("XIAOAN_RULES", raising=False)


@pytest.fixture(scope="module")
def m() -> Metrics:
    return Metrics.open(people_warehouse())


# ---------------------------------------------------------------- every query a page can run


def table_macros() -> list[str]:
    names = [name for path in sorted(MACROS.glob("*.sql")) for name in TABLE_MACRO.findall(path.read_text("utf-8"))]
    assert len(names) >= 30 and "hazards_as_of" in names and "inspections_in_period" in names
    return names


def metric_results(m: Metrics, scope: Scope) -> dict[str, pl.DataFrame]:
    """Every table macro through the API's own binding (Metrics.table), every public method of the
    API that takes the filters and a scope, and every hazard's history."""
    out = {f"macro {name}": m.table(name, F, scope) for name in table_macros()}
    for name, method in inspect.getmembers(Metrics, inspect.isfunction):
        params = list(inspect.signature(method).parameters.values())
        if name.startswith("_") or [p.name for p in params[1:3]] != ["f", "scope"]:
            continue
        if any(p.default is inspect.Parameter.empty for p in params[3:]):
            continue  # a building block (scores_by_quarter, quarter_scores_query): walked through its callers
        result = getattr(m, name)(F, scope)
        if isinstance(result, pl.DataFrame):
            out[name] = result
    for hazard_id in m.hazards(F)["hazard_id"]:
        out[f"hazard_history {hazard_id}"] = m.hazard_history(hazard_id, scope=scope)
    return out


def query_values(sql: str) -> dict[str, object]:
    """A value for each parameter a named query asks for."""
    values = {"start": START, "end": AS_OF, "as_of": AS_OF, "towns": [], "school_types": [], "search": "", "n": 10}
    missing = set(queries._PARAM.findall(sql)) - set(values) - {"scope_towns", "scope_depts", "sees_personal",
                                                                  "sees_principals", "sees_loads"}
    assert not missing, f"give the test a value for {missing}"
    return values


def named_queries() -> dict[str, str]:
    texts = {k: v for k, v in vars(queries).items()
             if k.isupper() and not k.startswith("_") and isinstance(v, str) and "select" in v.lower()}
    assert {"MEETINGS", "DEPARTMENTS", "TOWNS", "VILLAGES"} <= set(texts)
    return texts


def query_results(scope: Scope) -> dict[str, pl.DataFrame]:
    return {name: queries.run(sql, scope, **query_values(sql)) for name, sql in named_queries().items()}


@pytest.mark.usefixtures("people_env")
@pytest.mark.parametrize("scope", SCOPES, ids=IDS)
def test_no_query_a_page_can_run_gives_a_town_or_department_a_name(scope, m):
    results = {**metric_results(m, scope), **query_results(scope)}
    leaked = {name: found(frame_texts(frame), forbidden(scope)) for name, frame in results.items()}
    assert not {k: v for k, v in leaked.items() if v}
    # the names' columns are there, and empty: the rows are, the names are not
    assert m.inspections(F, scope)["inspectors"].null_count() == m.inspections(F, scope).height > 0
    assert m.hazards(F, scope)["responsible_person"].null_count() == m.hazards(F, scope).height > 0


@pytest.mark.usefixtures("people_env")
def test_the_district_viewer_reads_every_name(m):
    results = {**metric_results(m, DISTRICT), **query_results(DISTRICT)}
    seen = set().union(*(found(frame_texts(frame), set(PERSONAL_NAMES)) for frame in results.values()))
    assert seen == set(PERSONAL_NAMES)  # P9's 责任人 too: in its rejected row's cells (the quality page's)


def test_every_people_column_the_marts_hold_is_ruled(m):
    """A column of a person's name in any mart is in xiaoan.scope.PEOPLE_COLUMNS (a new one must be
    added there to be ruled): the marts' columns named like people, each listed."""
    columns = m.sql("select distinct column_name from information_schema.columns "
                    "where table_schema = 'main'")["column_name"].to_list()
    people = {c for c in columns if re.search(r"person|verifier|inspector(s)?$|chair|principal|member$|liaison|phone",
                                              c)}
    assert people <= set(PEOPLE_COLUMNS), people - set(PEOPLE_COLUMNS)
    assert {"responsible_person", "verifier", "inspectors", "chair", "principal", "member", "liaison",
            "phone"} <= people


# ---------------------------------------------------------------- every page and download


def routed_pages() -> list[str]:
    """Every page the app routes: the menu, the hidden pages and the wall screen (if built)."""
    names = [name for _, items in nav.SECTIONS for name, *_ in items] + [name for name, *_ in nav.HIDDEN]
    wall = getattr(nav, "WALL", None)
    if wall and (Path(nav.__file__).parent / nav.VIEWS / f"{wall[0]}.py").exists():
        names.append(wall[0])
    return names


def _file_texts(name: str, data: bytes) -> list[str]:
    if name.endswith(".csv"):
        return [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for c in row]
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]


def walk(page: str, scope: Scope, monkeypatch, params: dict | None = None) -> list[str]:
    """Everything the page hands the browser as text: tables, charts, metrics, text, every download."""
    offered = []
    real = DeltaGenerator.download_button

    def spy(self, label, data, *args, **kwargs):
        offered.append((kwargs["file_name"], data))
        return real(self, label, data, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", spy)
    at = open_app(page, scope=scope, params=params)
    texts = [t for frame in at.dataframe for column in frame.value.columns for t in map(str, frame.value[column])]
    texts += [json.dumps(spec, ensure_ascii=False) for spec in chart_specs(at)]
    texts += [f"{x.label} {x.value}" for x in at.metric]
    texts += [e.value for kind in ("title", "subheader", "markdown", "caption", "info", "warning", "success", "error")
              for e in getattr(at, kind)]
    for name, data in offered:
        texts += _file_texts(name, data() if callable(data) else data)
    return texts


# What each scope opens the pages with: a hazard it sees, one of its schools, the drill-down's town.
OPEN = {TOWN: {"id": "P2", "school": "S01"}, DEPT: {"id": "P2", "school": "S01"},
        DISTRICT: {"id": "P1", "school": "S01"}}


@pytest.mark.usefixtures("people_env")
@pytest.mark.parametrize("scope", SCOPES, ids=IDS)
def test_no_page_or_download_gives_a_town_or_department_a_name(scope, monkeypatch):
    walked = routed_pages()
    assert {"hazard", "meetings", "inspections", "organisation", "school", "risk"} <= set(walked)
    for page in walked:
        texts = walk(page, scope, monkeypatch, OPEN[scope])
        assert not found(texts, forbidden(scope)), (page, found(texts, forbidden(scope)))


@pytest.mark.usefixtures("people_env")
def test_the_district_viewer_sees_the_names_on_the_pages(monkeypatch):
    on = {page: found(walk(page, DISTRICT, monkeypatch, OPEN[DISTRICT]), set(PERSONAL_NAMES))
          for page in ("hazard", "inspections", "meetings", "organisation")}
    assert {"韩梅梅", "苏晓明"} <= on["hazard"]                         # P1's 责任人 and 验收人
    assert {"唐国强", "罗文", "潘志刚", "邹凯"} <= on["inspections"]
    assert {"曹建华", "严华", "顾明"} <= on["meetings"]
    assert {"周局长", "吴联络", "0774-0000001"} <= on["organisation"]


@pytest.mark.usefixtures("people_env")
def test_a_town_reads_its_own_principals_and_its_meetings_without_their_chair(monkeypatch):
    texts = walk("organisation", TOWN, monkeypatch)
    assert found(texts, TOWN_PRINCIPALS["T01"]) == TOWN_PRINCIPALS["T01"]
    meetings = open_app("meetings", scope=TOWN)
    listed = meetings.dataframe[-1].value
    assert listed["会议名称"].tolist() == ["城关镇一月例会"] and listed["主持人"].isna().all()


# ---------------------------------------------------------------- the snapshot: masked unless asked


def _masked(name: str) -> str:
    return name[0] + "**"


def test_the_snapshot_masks_every_name_by_default_and_keeps_them_with_no_mask(m, tmp_path):
    masked, plain = gather(m, F), gather(m, F, mask_personal=False)
    texts = [t for frame in masked.values() for t in frame_texts(frame)]
    assert not found(texts, set(PERSONAL_NAMES))
    plain_texts = [t for frame in plain.values() for t in frame_texts(frame)]
    # every name a snapshot table holds: the hazards' 责任人, the units' people, the rejected row's 责任人
    held = found(plain_texts, set(PERSONAL_NAMES))
    assert {"韩梅梅", "何建国", "周局长", "0774-0000001", "袁立新"} <= held
    hazards = masked["hazards"].filter(pl.col("hazard_id") == "P1").row(0, named=True)
    assert hazards["responsible_person"] == _masked("韩梅梅")
    for table, frame in masked.items():  # every people column of every table is masked, whatever the table
        for column in set(frame.columns) & set(PERSONAL_COLUMNS):
            values = [v for v in frame[column].to_list() if v]
            assert all("**" in v for v in values), (table, column, values)
    raw = json.loads(masked["rejected_rows"].filter(pl.col("raw").str.contains("P9"))["raw"][0])
    assert raw["责任人"] == "***" and raw["隐患编号"] == "P9"

    snapshot = export_snapshot(people_warehouse(), AS_OF, None, None, tmp_path / "out")
    files = [p for p in snapshot.path.iterdir() if p.suffix in (".parquet", ".html", ".json", ".xlsx")]
    texts = []
    for path in files:
        if path.suffix == ".parquet":
            texts += frame_texts(pl.read_parquet(path))
        elif path.suffix == ".xlsx":
            texts += _file_texts(path.name, path.read_bytes())
        else:
            texts.append(path.read_text(encoding="utf-8"))
    assert not found(texts, set(PERSONAL_NAMES))
    assert json.loads((snapshot.path / "manifest.json").read_text("utf-8"))["personal_data_masked"] is True


def test_masking_a_cell_of_several_names_masks_each():
    from pipelines.export.tables import mask_columns, mask_raw
    frame = mask_columns(pl.DataFrame({"inspectors": ["唐国强、罗文", None], "chair": ["曹建华", ""],
                                       "verifier": ["苏晓明", None], "phone": ["0774-0000001", None]}))
    assert frame.row(0) == ("唐**、罗**", "曹**", "苏**", "077****0001")
    cells = json.loads(mask_raw(json.dumps({"检查人员": "唐国强", "主持人": "曹建华", "验收人": "苏晓明", "整改责任人": "何建国",
                                            "总校长": "李镇长", "检查单位": "区教育局", "责任单位": "D01"},
                                           ensure_ascii=False)))
    assert cells == {"检查人员": "***", "主持人": "***", "验收人": "***", "整改责任人": "***", "总校长": "***",
                     "检查单位": "区教育局", "责任单位": "D01"}


def test_the_district_results_are_unchanged_by_the_rule(m):
    """The rule cuts names out of scoped results only: the district's queries are the macros' own."""
    assert m.query("hazards_as_of", F)[0].startswith("select * from hazards_as_of(")
    scoped = m.query("hazards_as_of", F, TOWN)[0]
    assert scoped.startswith("select * replace (") and '"responsible_person"' in scoped
