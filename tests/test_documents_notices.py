"""督办通知书 (issue 16, SPEC §5 `xiaoan notices`): one Word notice per responsible unit holding
overdue or 挂牌 hazards as of D, opened here with python-docx — the GB/T 9704 page and fonts, the
number from the rules file's pattern and the warehouse's sequence (the same number when written
again, the next for another date, restarting each year, kept by later loads and by a rebuild),
every hazard of the unit once and no other unit's (compared with the metrics API), `--unit`, the
command's exit codes, a broken template's error, the 督办 page's .zip, and a dashboard reading the
warehouse while numbers are given.

The registry is tests/builders.SMALL_REGISTRY (青溪区: towns T01, T02; schools S01–S04; member
units D01–D03). D = 2026-10-31."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import docx
import polars as pl
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt
from typer.testing import CliRunner

from pipelines.publish import ingest, rebuild
from pipelines.publish.notices import NoticesError, assign_numbers, issue_notices, numbers
from tests import builders
from tests.data_apptest import as_served  # noqa: F401 (autouse fixture: the app as served, no component scan)
from xiaoan import config
from xiaoan.documents import notice
from xiaoan.labels import day_label
from xiaoan.metrics import Filters, HazardPick, Metrics
from xiaoan.rules import RulesError, load_rules
from xiaoan.warehouse import Reader, open_read_only
from xiaoan_cli.app import app

D = dt.date
A = D(2026, 10, 31)
HEADERS = builders.HAZARD_HEADERS + ["督办级别", "整改通知书编号"]
h = builders.hazard


def row(hazard: list, supervision: str | None = None, notice_no: str | None = None) -> list:
    return hazard + [supervision, notice_no]


ROWS = [
    row(h("N1", "S01", found=D(2026, 9, 1), dept="D01", deadline=D(2026, 10, 1), report=A)),  # overdue
    row(h("N2", "S02", found=D(2026, 9, 5), dept="D01", deadline=D(2026, 10, 10), report=A,
          description="消防通道堆放杂物 A&B <门>")),  # overdue; text a document must escape
    row(h("N3", "S03", found=D(2026, 10, 1), dept="D02", deadline=D(2026, 12, 31), report=A),
        "区级挂牌", "青教督〔2026〕7号"),  # 挂牌 in force, within its deadline
    row(h("N4", "S04", found=D(2026, 10, 1), dept="D01", deadline=D(2026, 12, 1), report=A)),  # open, not overdue
    row(h("N5", "S03", found=D(2026, 9, 1), dept="城关镇", deadline=D(2026, 10, 20), report=A)),  # a town's, overdue
    row(h("N6", "S01", found=D(2026, 9, 1), dept="D03", deadline=D(2026, 9, 20), status="已整改",
          rectified=D(2026, 9, 15), report=A)),  # rectified: in no notice
    row(h("N7", "S04", level="较大", found=D(2026, 9, 1), dept="河口镇初级中学", deadline=D(2026, 10, 15),
          report=A)),  # the school's own, overdue
    row(h("N8", "S01", found=D(2026, 8, 1), dept="D02", deadline=D(2026, 9, 1), report=A), "镇级挂牌"),  # both
]
NUMBER = re.compile(r"^青溪安督〔(\d{4})〕(\d+)号$")  # the default pattern with 青溪区


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("notices")
    warehouse = folder / "wh" / "warehouse.duckdb"
    ingest([builders.registry_workbook(folder / "登记册.xlsx")], warehouse)
    result = ingest([builders.xlsx(folder / "督办台账.xlsx", HEADERS, ROWS)], warehouse)
    assert [(f.loaded, f.rejected) for f in result.files] == [(len(ROWS), 0)]
    return warehouse


@pytest.fixture
def wh(built: Path, tmp_path: Path) -> Path:
    """A copy of the district (warehouse and archive) of this test's own: numbers are written."""
    shutil.copytree(built.parent, tmp_path / "wh")
    return tmp_path / "wh" / built.name


def expected(warehouse: Path, as_of: dt.date = A) -> dict[tuple[str, str], pl.DataFrame]:
    """What the metrics API says each unit's notice lists: its overdue hazards and its 挂牌 in force."""
    metrics = Metrics.open(warehouse)
    f = Filters(as_of=as_of)
    overdue = metrics.hazards(f, pick=HazardPick(overdue_only=True))
    in_force = metrics.supervision(f).filter(pl.col("in_force"))
    columns = ("hazard_id", "responsible_kind", "responsible_code", "responsible_name", "days_overdue",
               "effective_deadline")
    listed = pl.concat([overdue.select(columns), in_force.select(columns)], how="vertical_relaxed").unique("hazard_id")
    return {key: frame for key, frame in listed.group_by(["responsible_kind", "responsible_code"])}


def hazard_rows(document: docx.document.Document) -> list[dict[str, str]]:
    table = document.tables[0]
    header = [c.text for c in table.rows[0].cells]
    return [dict(zip(header, (c.text for c in r.cells))) for r in table.rows[1:]]


def text(document: docx.document.Document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def east_asian_font(run) -> str | None:
    fonts = run._element.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


# ---- the document

def test_a_notice_has_the_gbt9704_page_and_fonts(wh, tmp_path):
    written = issue_notices(wh, A, tmp_path / "out")
    document = docx.Document(str(written[0].path))
    section = document.sections[0]
    def mm(*lengths) -> tuple[float, ...]:  # Word keeps twentieths of a point: equal to 0.1 mm
        return tuple(round(length.mm, 1) for length in lengths)

    assert mm(section.page_width, section.page_height) == (210, 297)
    assert mm(section.top_margin, section.bottom_margin, section.left_margin, section.right_margin) == (37, 35, 28, 26)
    title = document.paragraphs[0]
    assert title.text == notice.TITLE
    assert (east_asian_font(title.runs[0]), title.runs[0].font.size) == ("方正小标宋简体", Pt(22))
    body = next(p for p in document.paragraphs if p.text.startswith("经查"))
    assert (east_asian_font(body.runs[0]), body.runs[0].font.size) == ("仿宋_GB2312", Pt(16))
    assert document.settings.odd_and_even_pages_header_footer
    for footer in (section.footer, section.even_page_footer):
        assert_page_number(footer.paragraphs[0])


def assert_page_number(paragraph) -> None:
    """The footer's paragraph is "— ", a PAGE field, " —": the field as Word writes it (begin,
    instrText PAGE, separate, its shown value, end) or as a w:fldSimple, between the two dashes."""
    before, field, after, kinds = [], [], [], []
    for child in paragraph._p:
        if child.tag == qn("w:fldSimple"):
            assert child.get(qn("w:instr")).split() == ["PAGE"]
            field.append(child)
            continue
        if child.tag != qn("w:r"):
            continue
        instr = [i.text for i in child.iter(qn("w:instrText"))]
        if instr or child.find(qn("w:fldChar")) is not None or (kinds and kinds[-1] != "end"):
            assert "".join(instr).split() in (["PAGE"], []), instr
            kinds += [f.get(qn("w:fldCharType")) if f.tag == qn("w:fldChar") else "instr"
                      for f in child if f.tag in (qn("w:fldChar"), qn("w:instrText"))]
            field.append(child)
        else:
            (after if field else before).append("".join(t.text for t in child.iter(qn("w:t"))))
    assert field, "no PAGE field in the footer"
    assert kinds in ([], ["begin", "instr", "separate", "end"]), kinds
    assert ("".join(before), "".join(after)) == ("— ", " —"), (before, after)


def test_each_unit_gets_one_notice_listing_its_hazards_once_and_no_other_units(wh, tmp_path):
    written = issue_notices(wh, A, tmp_path / "out")
    wanted = expected(wh)
    assert wanted and {(n.unit_kind, n.unit_code) for n in written} == set(wanted)
    assert len(written) == len(wanted)  # one notice per unit
    for one in written:
        mine = wanted[(one.unit_kind, one.unit_code)]
        rows = hazard_rows(docx.Document(str(one.path)))
        ids = Counter(r["隐患编号"] for r in rows)
        assert ids == Counter(mine["hazard_id"].to_list())  # each of its hazards exactly once, no other
        assert one.hazards == len(rows) == mine.height
        for r in rows:
            api = mine.filter(pl.col("hazard_id") == r["隐患编号"]).row(0, named=True)
            assert r["逾期天数"] == (str(api["days_overdue"]) if api["days_overdue"] else notice.NONE_MARK)
            assert r["整改时限"] == day_label(api["effective_deadline"])  # 2026年10月1日
    listed = {r for one in written for r in Counter(x["隐患编号"] for x in hazard_rows(docx.Document(str(one.path))))}
    assert listed.isdisjoint({"N4", "N6"})  # open within its deadline; rectified


def test_the_notice_names_its_unit_number_reply_date_and_office(wh, tmp_path):
    written = issue_notices(wh, A, tmp_path / "out")
    days = load_rules().documents.reply_days
    for one in written:
        document = docx.Document(str(one.path))
        body = text(document)
        assert NUMBER.match(one.notice_no) and one.notice_no in body.splitlines()
        assert f"{one.unit_name}：" in body.splitlines()  # 主送
        assert f"于{day_label(A + dt.timedelta(days=days))}前" in body  # 2026年11月7日 by default
        # hazards counted in 项, as on the dashboard
        assert f"截至2026年10月31日，你单位负责整改的校园安全隐患中，有{one.hazards}项逾期未整改或正在挂牌督办" in body
        assert "条" not in body.split("附件：")[0]
        assert "\n青溪区中小学幼儿园安全总校（园）长制工作办公室\n2026年10月31日\n" in body  # 落款, 成文日期
        assert body.index("附件：") < body.index("2026年10月31日\n") < body.rindex(notice.ATTACHMENT_TITLE)
        assert one.path.name == f"{one.notice_no}_{one.unit_name}.docx"
    n3 = next(r for one in written for r in hazard_rows(docx.Document(str(one.path))) if r["隐患编号"] == "N2")
    assert n3["隐患描述"] == "消防通道堆放杂物 A&B <门>"  # escaped in the XML, read back as typed
    n3 = next(r for one in written for r in hazard_rows(docx.Document(str(one.path))) if r["隐患编号"] == "N3")
    assert n3["挂牌督办"] == "区级挂牌（青教督〔2026〕7号）"


def test_file_names_are_safe_for_windows():
    name = notice.file_name("青溪安督〔2026〕1号", 'A/B\\C:D*E?F"G<H>I|J')
    assert not set('/\\:*?"<>|') & set(name) and name.endswith(".docx")


# ---- the numbers

def test_the_same_number_when_written_again_and_the_next_for_another_date(wh, tmp_path):
    first = {(n.unit_kind, n.unit_code): n.notice_no for n in issue_notices(wh, A, tmp_path / "a")}
    seqs = sorted(int(NUMBER.match(no).group(2)) for no in first.values())
    assert seqs == list(range(1, len(first) + 1))  # 1..n in the year
    again = {(n.unit_kind, n.unit_code): n.notice_no for n in issue_notices(wh, A, tmp_path / "b")}
    assert again == first
    later = issue_notices(wh, D(2026, 11, 30), tmp_path / "c")
    assert sorted(int(NUMBER.match(n.notice_no).group(2)) for n in later) == list(
        range(len(first) + 1, len(first) + len(later) + 1))
    held = numbers(wh)
    assert len(held) == len(first) + len(later) and len(set(held.values())) == len(held)


def test_numbers_restart_each_year(wh):
    units = [("department", "D01"), ("town", "T01")]
    assert assign_numbers(wh, D(2026, 12, 31), units) == {
        u: f"青溪安督〔2026〕{i}号" for i, u in enumerate(units, 1)}
    assert assign_numbers(wh, D(2027, 1, 31), units[1:]) == {units[1]: "青溪安督〔2027〕1号"}
    assert assign_numbers(wh, D(2026, 12, 30), units[:1]) == {units[0]: "青溪安督〔2026〕3号"}


def test_numbers_survive_a_later_load_and_a_rebuild(wh, tmp_path):
    given = {(n.unit_kind, n.unit_code): n.notice_no for n in issue_notices(wh, A, tmp_path / "a")}
    more = builders.xlsx(tmp_path / "新台账.xlsx", HEADERS,
                         [row(h("N9", "S02", found=D(2026, 9, 1), dept="D03", deadline=D(2026, 9, 30), report=A))])
    assert ingest([more], wh).published
    assert {(k, c): n for (k, c, _), n in numbers(wh, A).items()} == given
    result = rebuild(wh)
    assert result.batches == 3  # the registry, the ledger, the new ledger: replayed from the archive
    assert {(k, c): n for (k, c, _), n in numbers(wh, A).items()} == given
    again = {(n.unit_kind, n.unit_code): n.notice_no for n in issue_notices(wh, A, tmp_path / "b")}
    assert {u: again[u] for u in given} == given
    assert again[("department", "D03")] == f"青溪安督〔2026〕{len(given) + 1}号"  # N9's unit: the next number


def test_a_dashboard_reading_the_warehouse_is_not_disturbed(wh, tmp_path):
    reader = Reader(wh)
    held = open_read_only(wh)  # as a dashboard holds the live file, read-only, while numbers are given
    try:
        before = held.sql("select count(*) from hazards").fetchall()
        cur = reader.cursor()
        written = issue_notices(wh, A, tmp_path / "out")
        assert written
        assert held.sql("select count(*) from hazards").fetchall() == before  # the old version, still readable
        assert cur.sql("select count(*) from hazards").fetchall() == before
        cur.close()
        fresh = reader.cursor()  # the reader follows the new version, which holds the numbers
        assert fresh.sql("select count(*) from notice_numbers").fetchall() == [(len(written),)]
        fresh.close()
    finally:
        held.close()
        reader.close()


def test_writers_at_once_give_each_unit_its_own_number(wh):
    # the command line and the 督办 page at the same moment: the writer lock serialises them, so
    # no two units share a number and none is lost by a version swapped over another
    from concurrent.futures import ThreadPoolExecutor

    units = [("department", "D01"), ("department", "D02"), ("town", "T01"), ("school", "S04")]
    with ThreadPoolExecutor(len(units)) as pool:
        given = dict(item for run in pool.map(lambda u: assign_numbers(wh, A, [u]), units) for item in run.items())
    assert sorted(int(NUMBER.match(n).group(2)) for n in given.values()) == list(range(1, len(units) + 1))
    assert {(k, c): n for (k, c, _), n in numbers(wh).items()} == given


# ---- the command line

def run_cli(*args: str):
    return CliRunner().invoke(app, ["notices", *args], env={"XIAOAN_LANG": "zh"})


def test_the_command_writes_the_notices_and_prints_a_table(wh, tmp_path):
    out = tmp_path / "out"
    result = run_cli("--as-of", A.isoformat(), "--warehouse", str(wh), "--out", str(out))
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in out.glob("*.docx"))
    assert files and all(name in result.output for name in files)
    assert f"已生成督办通知书 {len(files)} 份" in result.output
    assert "项（截至2026年10月31日）" in result.output  # hazards in 项, the date in words


def test_unit_writes_only_that_units_notice(wh, tmp_path):
    out = tmp_path / "out"
    result = run_cli("--as-of", A.isoformat(), "--warehouse", str(wh), "--out", str(out), "--unit", "T01")
    assert result.exit_code == 0, result.output
    [only] = list(out.glob("*.docx"))
    assert only.name.endswith("_城关镇.docx")
    assert [r["隐患编号"] for r in hazard_rows(docx.Document(str(only)))] == expected(wh)[("town", "T01")][
        "hazard_id"].to_list()


def test_the_command_exit_codes(wh, tmp_path):
    out = str(tmp_path / "out")
    none = run_cli("--as-of", A.isoformat(), "--warehouse", str(wh), "--out", out, "--unit", "T02")
    assert none.exit_code == 1 and "T02 没有逾期未整改或挂牌督办的隐患" in none.output
    assert "截至2026年10月31日" in none.output
    unknown = run_cli("--as-of", A.isoformat(), "--warehouse", str(wh), "--out", out, "--unit", "X99")
    assert unknown.exit_code == 2 and "X99" in unknown.output
    bad_date = run_cli("--as-of", "2026-13-01", "--warehouse", str(wh), "--out", out)
    assert bad_date.exit_code == 2 and "--as-of" in bad_date.output
    missing = run_cli("--as-of", A.isoformat(), "--warehouse", str(tmp_path / "no.duckdb"), "--out", out)
    assert missing.exit_code == 2 and "xiaoan ingest" in missing.output and "找不到数据库" in missing.output
    early = run_cli("--as-of", "2026-01-31", "--warehouse", str(wh), "--out", out)  # nothing overdue yet: no notice
    assert early.exit_code == 0 and "未生成督办通知书" in early.output
    assert not list(Path(out).glob("*.docx")) and numbers(wh) == {}


def rules_file(folder: Path, documents: str) -> Path:
    """The packaged rules with a [documents] section."""
    path = folder / "rules.toml"
    path.write_text(config.DEFAULT_RULES.read_text(encoding="utf-8") + "\n[documents]\n" + documents, encoding="utf-8")
    return path


def test_a_broken_template_names_the_field_and_gives_no_number(wh, tmp_path, monkeypatch):
    broken = tmp_path / "督办通知书模板.docx"
    with zipfile.ZipFile(notice.TEMPLATE) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                assert b"{{ recipient }}" in data
                data = data.replace(b"{{ recipient }}", b"{{ recipent }}")
            target.writestr(item, data)
    monkeypatch.setenv("XIAOAN_RULES", str(rules_file(tmp_path, f'notice_template = "{broken.name}"\n')))
    with pytest.raises(NoticesError) as caught:
        issue_notices(wh, A, tmp_path / "out")
    message = caught.value.message("zh")
    assert "recipent" in message and str(broken) in message
    assert numbers(wh) == {}  # the template is tried before any number is given
    result = run_cli("--as-of", A.isoformat(), "--warehouse", str(wh), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2 and "recipent" in result.output


def test_a_template_that_fails_for_a_later_unit_gives_no_number(wh, tmp_path, monkeypatch):
    # the first unit (D01) has two hazards, a town (城关镇) one: {{ hazards[1].school }} fails for the town only
    broken = tmp_path / "督办通知书模板.docx"
    with zipfile.ZipFile(notice.TEMPLATE) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"{{ recipient }}", b"{{ recipient }}{{ hazards[1].school }}", 1)
            target.writestr(item, data)
    monkeypatch.setenv("XIAOAN_RULES", str(rules_file(tmp_path, f'notice_template = "{broken.name}"\n')))
    listed = expected(wh)
    assert len(listed[("department", "D01")]) == 2 and len(listed[("town", "T01")]) == 1
    with pytest.raises(NoticesError) as caught:
        issue_notices(wh, A, tmp_path / "out")
    assert "hazards[1].school" in caught.value.message("en") and str(broken) in caught.value.message("en")
    assert numbers(wh) == {} and not list((tmp_path / "out").glob("*.docx"))


@pytest.mark.parametrize("pattern,missing", [("{district_short}安督〔2026〕{seq}号", "{year}"),
                                             ("{district_short}安督〔{year}〕号", "{seq}")])
def test_a_notice_number_without_year_or_seq_is_refused_naming_file_and_line(pattern, missing, tmp_path):
    path = rules_file(tmp_path, f'notice_number = "{pattern}"\n')
    line = path.read_text(encoding="utf-8").splitlines().index(f'notice_number = "{pattern}"') + 1
    with pytest.raises(RulesError) as caught:
        load_rules(path)
    assert f"{path}, line {line}:" in str(caught.value) and f"must hold {missing}" in str(caught.value)


def test_the_rules_file_sets_the_number_issuer_reply_days_and_contact(wh, tmp_path, monkeypatch):
    monkeypatch.setenv("XIAOAN_RULES", str(rules_file(tmp_path, "\n".join((
        'notice_number = "{district_short}教安督字〔{year}〕第{seq}号"', 'issuer = "青溪区教育局安全办"',
        "reply_days = 10", 'contact = "联系人：办公室，电话：0000-1234567"', "")))))
    written = issue_notices(wh, A, tmp_path / "out")
    assert [n.notice_no for n in written] == [f"青溪教安督字〔2026〕第{i}号" for i in range(1, len(written) + 1)]
    body = text(docx.Document(str(written[0].path)))
    assert "于2026年11月10日前" in body and "（联系人：办公室，电话：0000-1234567）" in body.splitlines()
    assert "\n青溪区教育局安全办\n2026年10月31日\n" in body


# ---- the 督办 page

def test_the_supervision_page_offers_the_notices_as_one_zip(wh, monkeypatch):
    from tests.test_dashboard_data import open_app

    monkeypatch.setenv("XIAOAN_WAREHOUSE", str(wh))
    monkeypatch.delenv("XIAOAN_MAP", raising=False)
    monkeypatch.delenv("XIAOAN_SCOPE", raising=False)
    monkeypatch.delenv("XIAOAN_RULES", raising=False)
    at = open_app("supervision", params={"asof": A.isoformat()})
    at.button(key="supervision.notices.write").click().run()
    assert not at.exception, [e.value for e in at.exception]
    as_of, data, count, hazards = at.session_state["supervision.notices"]
    wanted = expected(wh)
    assert as_of == A and count == len(wanted) and hazards == sum(f.height for f in wanted.values())
    with zipfile.ZipFile(io.BytesIO(data)) as packed:
        names = packed.namelist()
    held = numbers(wh, A)
    assert sorted(names) == sorted(f"{held[(k, c, A)]}_{f['responsible_name'][0]}.docx" for (k, c), f in wanted.items())
    assert any(f"已生成督办通知书 {count} 份" in s.value for s in at.success)


def test_a_town_viewer_has_no_notices_button(wh, monkeypatch):
    from tests.test_dashboard_data import open_app
    from xiaoan.scope import Scope

    monkeypatch.setenv("XIAOAN_WAREHOUSE", str(wh))
    monkeypatch.delenv("XIAOAN_MAP", raising=False)
    at = open_app("supervision", scope=Scope.town("T01"), params={"asof": A.isoformat()})
    assert "supervision.notices.write" not in [b.key for b in at.button]


def test_the_shipped_template_is_the_layout_in_code(tmp_path):
    built = notice.build_template(tmp_path / "notice.docx")
    with zipfile.ZipFile(built) as fresh, zipfile.ZipFile(notice.TEMPLATE) as shipped:
        # rebuilt by scripts/make_document_templates.py
        assert fresh.read("word/document.xml") == shipped.read("word/document.xml")


def test_every_reason_a_notice_cannot_be_written_has_its_text():
    from xiaoan.i18n import TEXT

    source = (Path(__file__).resolve().parents[1] / "pipelines" / "publish" / "notices.py").read_text(encoding="utf-8")
    keys = set(re.findall(r'NoticesError\("(notices\.[a-z_.]+)"', source))
    keys |= {f"notices.{state}" for state in ("empty", "outdated")}  # readiness() other than ready
    assert len(keys) >= 7 and sorted(k for k in keys if k not in TEXT) == []


def test_the_fields_a_template_may_use_are_the_ones_given(wh):
    con = open_read_only(wh)
    try:
        listed = Metrics.from_connection(con).table("hazards_as_of", Filters(as_of=A), where=notice.LISTED)
    finally:
        con.close()
    context = notice.notice_context("N", "U", listed, A, issuer="I", reply_days=7)
    assert set(context) == set(notice.CONTEXT_FIELDS)
    assert all(set(r) == set(notice.ROW_FIELDS) for r in context["hazards"]) and context["hazards"]
