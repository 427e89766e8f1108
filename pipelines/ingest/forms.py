"""How a sheet of a real ledger is read (SPEC §2.1): the label lines above and below the table
(学校：…, 检查时间：…), checklist forms (rows are check items: one inspection, and one hazard
per problem row) and one-record-per-sheet label-cell forms (a meeting, an inspection).

Every form becomes (Sheet, Header) pairs of the contract's kinds, so that judging, the rules,
rejected rows and their raw cells work as for any table: a checklist gives a hazards sheet
whose rows are the clerk's problem rows (their Excel row numbers, their own headers) and a
one-row inspections sheet; a label-cell form gives a one-row sheet. Python runs per sheet;
the rows of a sheet are handled by polars.

Chinese here is data: the labels and words ledgers print.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import polars as pl

from pipelines.contract import CATEGORIES, DISTRICT_PREFIX, HAZARDS, INSPECTIONS, MEETINGS, Kind, header_key_of
from pipelines.ingest.headers import SCAN_ROWS, Header, detect_header
from pipelines.ingest.normalize import parse_date
from pipelines.ingest.readers import Sheet
from pipelines.ingest.resolve import Registry
from xiaoan.i18n import t
from xiaoan.mapping import Mapping

# ---- label lines (SPEC §2.1 "Lines above the table", and below it: fixtures README gap 8) ----

# label (as printed, NFKC) → the field it fills. Longer labels are tried first.
LINE_LABELS: dict[str, str] = {
    **dict.fromkeys(("学校", "学校名称", "学校(公章)", "学校(盖章)", "学校(园)", "小学/幼儿园(盖章)", "幼儿园(盖章)",
                     "单位名称", "检查地点", "受检学校", "被检查学校"), "school"),
    **dict.fromkeys(("镇", "乡镇", "所属镇", "所属乡镇"), "town"),
    **dict.fromkeys(("检查时间", "检查日期", "日期", "时间", "填写时间", "巡查日期", "巡查时间", "排查日期", "排查时间"), "date"),
    **dict.fromkeys(("检查人员", "检查人", "检查人签名", "检查人员签字", "检查人员签名", "检查人签字", "排查人", "巡查人"), "inspectors"),
    **dict.fromkeys(("填报日期", "填表时间", "填表日期", "报送日期"), "report_date"),
    "填报单位": "sender",
    "检查单位": "department",
    "类别": "category",
}
# A label may go without its colon only when it ends in a bracket (学校（公章）四寨民族小学).
_LABEL_ALT = "|".join(
    r"\s*".join(re.escape(ch) for ch in label) for label in sorted(LINE_LABELS, key=len, reverse=True)
)
_LABEL = re.compile(rf"(?:(?<=^)|(?<=[\s，,;；。]))(?P<label>{_LABEL_ALT})\s*(?:[:：]|(?<=\)))")
_ANY_LABEL = re.compile(r"(?:(?<=^)|(?<=\s))[^\s:：]{1,16}[:：]")  # any label: where a value ends
_DATE = re.compile(r"(\d{4}|20[xX]{2})\s*年\s*(\d{1,2})?\s*月\s*(\d{1,2})?\s*日?|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}")
_MONTH_TEXT = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月")
ZERO_WORDS = ("无隐患", "本月无新增隐患", "本月无隐患", "无新增隐患")


def _clean_line(text: str) -> str:
    s = unicodedata.normalize("NFKC", text)
    # letter-spaced labels (负 责 人, 时 间): single characters joined by single spaces
    return re.sub(r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff](?: [\u4e00-\u9fff](?![\u4e00-\u9fff]))+",
                  lambda m: m.group(0).replace(" ", ""), s)


def full_date(text: str) -> str | None:
    """A whole date written in the text (2026年3月5日, 2026-03-05), or None (a template's
    2020年 月 日 with blanks is no date)."""
    for m in _DATE.finditer(text):
        if m.group(0)[:1].isdigit() and "年" not in m.group(0):
            return m.group(0)
        if m.group(1) and m.group(1).isdigit() and m.group(2) and m.group(3):
            return f"{m.group(1)}年{m.group(2)}月{m.group(3)}日"
    return None


def parse_line(text: str) -> list[tuple[str, str, str]]:
    """(field, value, label as printed) for each known label of a line; a bare date (no label
    before it) gives ("date", …, "")."""
    s = _clean_line(text)
    labels = list(_LABEL.finditer(s))
    cuts = sorted({m.start() for m in _ANY_LABEL.finditer(s)} | {m.start() for m in labels} | {len(s)})
    out = []
    for m in labels:
        end = next(c for c in cuts if c > m.start() and c >= m.end()) if any(c >= m.end() for c in cuts) else len(s)
        value = re.split(r"\s{2,}", s[m.end():end].strip())[0].strip() if s[m.end():end].strip() else ""
        field = LINE_LABELS[re.sub(r"\s", "", m.group("label"))]
        if field in ("date", "report_date"):
            value = full_date(s[m.end():end]) or ""
        out.append((field, value, m.group("label")))
    first = labels[0].start() if labels else len(s)
    bare = full_date(s[:first]) if s[:first].strip() else None
    if bare is None and labels:  # a date after a label's value, with no label of its own (检查单位：… 2026年…)
        for m in labels:
            if LINE_LABELS[re.sub(r"\s", "", m.group("label"))] not in ("date", "report_date"):
                tail = s[m.end():]
                parts = re.split(r"\s{2,}", tail.strip(), maxsplit=1)
                if len(parts) == 2 and not _ANY_LABEL.match(parts[1]):
                    bare = full_date(parts[1])
    if bare:
        out.append(("date", bare, ""))
    return out


def row_texts(grid: pl.DataFrame, start: int, end: int) -> list[str]:
    """The text of each grid row in [start, end): its cells joined by wide spaces."""
    if end <= start:
        return []
    return ["    ".join(str(v).strip() for v in row if v is not None and str(v).strip()) for row in grid.slice(start, end - start).rows()]


@dataclass
class Lines:
    """What the lines of a sheet say: field → value, field → label as printed, and whether a
    line declares a zero report."""

    values: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    zero: bool = False
    texts: list[str] = field(default_factory=list)

    def read(self, texts: list[str]) -> "Lines":
        for text in texts:
            self.texts.append(text)
            if any(w in re.sub(r"\s", "", text) for w in ZERO_WORDS):
                self.zero = True
            for fld, value, label in parse_line(text):
                if value and fld not in self.values:
                    self.values[fld] = value
                    self.labels[fld] = label
        return self


def month_end(text: str) -> str | None:
    """…2026年3月… in a title or file name → 2026-03-31 (the report date of a monthly ledger)."""
    m = _MONTH_TEXT.search(unicodedata.normalize("NFKC", text))
    if not m or not 1 <= int(m.group(2)) <= 12:
        return None
    y, mo = int(m.group(1)), int(m.group(2))
    nxt = pl.date(y + (mo == 12), mo % 12 + 1, 1)
    return str(pl.select(nxt - pl.duration(days=1)).item())


# ---- checklists (SPEC §2.1 two bullets; fixtures README gaps 3, 4, 7, 22, 24) ----

# Column words of a checklist, as header keys (header_key_of): the check item (most specific
# first: the description of a ×/不合格 row), the problem, the 是（否） column, the result only.
ITEM_KEYS = ("检查内容", "具体内容", "自查要点", "检查要点", "督查内容", "排查内容", "巡查内容", "考核细则与标准",
             "检查内容及评分标准", "隐患项目", "检查项目", "自查项目", "考核要素", "项目", "内容")
PROBLEM_KEYS = ("存在问题", "需整改的隐患", "存在的问题", "发现的问题", "隐患问题")
YES_NO_KEYS = ("是", "是否")
RESULT_KEYS = ("检查结果", "检查情况", "自查情况", "督查情况", "落实情况", "自查结果", "排查记录", "检查记录", "结果",
               "巡查情况", "学校自查情况记录", "检查结果记录")
MEASURE_KEYS = ("整改措施", "整改意见", "整改建议", "处置方式", "处置情况", "处理情况", "检查意见")
DEADLINE_KEYS = ("整改期限", "整改时限", "完成时限", "预计治理完成时间", "整改时间")
STATUS_KEYS = ("整改情况", "治理进度", "整改进度", "整改落实情况", "完成情况")
INSPECTOR_KEYS = ("排查人", "检查人签名", "检查人", "巡查人", "检查人员")
REMARK_KEYS = ("备注",)
LEDGER_KEYS = ("学校", "学校名称", "巡查日期", "排查日期", "检查日期", "发现日期", "发现时间", "隐患编号", "隐患描述")
NONE_WORDS = ("无", "否", "没有", "—", "/", "-", "——", "无问题", "无隐患", "\\")
BAD_RESULTS = ("×", "✗", "✘", "x", "X", "不合格", "不符合", "不符合要求", "未落实")
# A scored checklist (README gap 18): the item's score, its maximum, and the words of a totals row.
SCORE_KEYS = ("得分", "实得分", "评分")
MAXIMUM_KEYS = ("分值", "满分", "标准分", "应得分")
TOTAL_WORDS = ("合计", "总计", "总分", "合计得分", "得分合计", "总得分", "累计得分")
FULL_MARKS = 100.0
# A group or item title that ends in its maximum: 1.四防建设（15分）, A1学校维护稳定工作（28）.
_MAXIMUM_CELL = r"^[^，,；;。()]{1,24}\(\s*(\d+(?:\.\d+)?)\s*分?\s*\)$"
# The inspection type a checklist's title says (SPEC §2.1: 日常检查 unless …; README gap 24).
TITLE_TYPES = (("专项", "专项检查"), ("开学", "开学检查"), ("节假日", "节假日检查"), ("督查", "督导检查"), ("督导", "督导检查"),
               ("考核", "督导检查"))


@dataclass
class Checklist:
    row: int  # grid row of the header
    columns: dict[str, int]  # role → grid column index
    # A table whose rows are places (rooms of a dormitory check, README gap 25): the columns
    # naming the place, and the columns of what was checked there (违禁电器使用情况); empty for
    # a checklist whose rows are check items.
    places: tuple[int, ...] = ()
    findings: tuple[int, ...] = ()


ROLE_WORDS = (("item", ITEM_KEYS), ("problem", PROBLEM_KEYS), ("yes_no", YES_NO_KEYS), ("result", RESULT_KEYS),
              ("measures", MEASURE_KEYS), ("deadline", DEADLINE_KEYS), ("status", STATUS_KEYS),
              ("inspectors", INSPECTOR_KEYS), ("remark", REMARK_KEYS), ("score", SCORE_KEYS), ("maximum", MAXIMUM_KEYS))
# The office's mapping (field a header maps to) → the checklist role of that column.
OFFICE_ROLES = {"description": "problem", "measures": "measures", "deadline": "deadline", "status": "status",
                "inspectors": "inspectors", "remark": "remark"}
# A column the office maps to one of these makes the sheet a ledger, not a checklist.
LEDGER_FIELDS = ("school", "found_date", "hazard_id", "report_date")


def _roles(keys: list[str], office: dict[str, str] | None) -> tuple[dict[str, int], set[int], bool] :
    """role → column of a header row: the office's mapping first (a column it maps to "" is
    ignored), then the word lists (the first word of a list that the row has wins); and
    whether a column is one of a ledger's own."""
    roles: dict[str, int] = {}
    ignored: set[int] = set()
    ledger = False
    for i, k in enumerate(keys):
        if not k or not office or k not in office:
            continue
        target = office[k].rpartition(".")[2]
        if office[k] == "":
            ignored.add(i)
        elif target in LEDGER_FIELDS:
            ledger = True
        elif OFFICE_ROLES.get(target) and OFFICE_ROLES[target] not in roles:
            roles[OFFICE_ROLES[target]] = i
    taken = set(roles.values()) | ignored
    where: dict[str, list[int]] = {}  # key → its columns, so each word is one lookup, not a scan of the row
    for i, k in enumerate(keys):
        if k:
            where.setdefault(k, []).append(i)
    for role, words in ROLE_WORDS:
        if role in roles:
            continue
        for word in words:
            hits = [i for i in where.get(word, ()) if i not in taken]
            if hits:
                roles[role] = hits[0]
                taken.add(hits[0])
                break
    ledger = ledger or any(k in LEDGER_KEYS for i, k in enumerate(keys) if i not in ignored)
    return roles, ignored, ledger


_ITEM_KEYS = frozenset(ITEM_KEYS)


def _row_keys(row: tuple) -> list[str]:
    return [header_key_of(v) if v is not None and str(v).strip() else "" for v in row]


def find_checklist(grid: pl.DataFrame, office: dict[str, str] | None = None) -> Checklist | None:
    """The header row of a checklist: a check-item column beside a problem, 是（否） or result
    column, and no column of a ledger's own (学校名称, a per-row found date). `office` is the
    office's mapping (header key → field): a column mapped to 隐患描述 is the problem column,
    to 整改措施 / 整改时限 / 整改状态 / 检查人员 those roles, to "" ignored."""
    for r, row in enumerate(grid.head(SCAN_ROWS).rows()):
        keys = _row_keys(row)
        if _ITEM_KEYS.isdisjoint(keys):  # no check-item column: the role "item" comes from these words only
            continue
        roles, _, ledger = _roles(keys, office)
        if "item" in roles and ({"problem", "yes_no", "result"} & set(roles)) and not ledger:
            return Checklist(r, roles)
    return None


# A table whose rows are places (README gap 25): the place columns, and the columns of what was
# found there, named …情况 for the thing checked. A column whose every value is a grade (卫生情况
# 优秀/良好/一般/较差, gap 16) is a grade, not a finding: its 一般 is no hazard level.
PLACE_KEYS = ("楼栋", "楼号", "栋号", "楼宇", "寝室号", "寝室", "宿舍号", "宿舍", "房间号", "房号", "房间", "教室", "班级",
              "院系", "年级", "部位", "检查部位", "区域", "检查区域", "地点", "检查地点", "位置", "场所", "场室")
FINDING_SUFFIX = "情况"
GRADE_WORDS = ("优秀", "优", "良好", "良", "较好", "好", "中等", "中", "一般", "及格", "较差", "差", "很差",
               "a", "b", "c", "d", "甲", "乙", "丙", "丁")


def find_place_table(grid: pl.DataFrame, office: dict[str, str] | None = None) -> Checklist | None:
    """The header row of a table whose rows are places and whose other columns say what was
    found there (楼栋 / 寝室号 / 违禁电器使用情况 / 卫生情况): at least one place column and one
    finding column that is not all grades."""
    for r, row in enumerate(grid.head(SCAN_ROWS).rows()):
        keys = _row_keys(row)
        roles, ignored, ledger = _roles(keys, office)
        places = tuple(i for i, k in enumerate(keys) if k in PLACE_KEYS and i not in ignored)
        used = set(roles.values()) | ignored | set(places)
        findings = tuple(i for i, k in enumerate(keys) if i not in used and len(k) > len(FINDING_SUFFIX)
                         and k.endswith(FINDING_SUFFIX))
        if not places or not findings or ledger:
            continue
        body = grid.slice(r + 1, _table_end(grid, r + 1) - r - 1)
        grades = [unicodedata.normalize("NFKC", w) for w in GRADE_WORDS]
        kept = []
        for i in findings:
            k = _key_expr(body.get_column(grid.columns[i])).str.to_lowercase()
            values = k.filter(k.is_not_null() & (k != ""))
            if values.len() and not values.is_in(grades).all():
                kept.append(i)
        if kept:
            return Checklist(r, {role: i for role, i in roles.items() if role not in ("item", "result", "yes_no")},
                             places=places, findings=tuple(kept))
    return None


def _key_expr(e: pl.Expr | pl.Series) -> pl.Expr | pl.Series:
    return e.str.normalize("NFKC").str.replace_all(r"[\s。.，,;；！!]+$", "").str.replace_all(r"^\s+", "")


def _is_problem_result(cell: pl.Expr, fine: list[str]) -> tuple[pl.Expr, pl.Expr]:
    """(problem, bad): a result cell that says ×/不合格, or free text that is no fine word nor a
    fill-in count (有校车〔 6 〕台)."""
    k = _key_expr(cell)
    bad = k.is_in(list(BAD_RESULTS))
    fill_in = k.str.contains(r"〔\s*\d*\s*〕")
    return k.is_not_null() & (k != "") & (bad | (~k.is_in(fine) & ~fill_in)), bad


def checklist_pairs(sheet: Sheet, found: Checklist, lines: Lines, title: str, fine_words: tuple[str, ...],
                    keywords: tuple = ()) -> list[tuple[Sheet, Header]]:
    """A checklist as (hazards sheet of its problem rows, one-row inspections sheet)."""
    grid = sheet.grid
    cols = grid.columns
    col = {role: cols[i] for role, i in found.columns.items()}
    header_row = grid.row(found.row)
    label = {c: str(header_row[i]).strip() if header_row[i] is not None else "" for i, c in enumerate(cols)}
    end = _table_end(grid, found.row + 1)
    body = grid.with_columns(sheet.row_numbers().alias("__excel")).slice(found.row + 1, end - found.row - 1)
    fine = [unicodedata.normalize("NFKC", w) for w in fine_words]
    if found.findings:  # rows are places: the place, then each finding that is a problem, by its header
        place = pl.concat_str([pl.col(cols[i]).str.strip_chars() for i in found.places], separator=" ", ignore_nulls=True)
        tests = [(i, *_is_problem_result(pl.col(cols[i]), fine)) for i in found.findings]
        problem = pl.any_horizontal([p.fill_null(False) for _, p, _ in tests])
        said = pl.concat_str([pl.when(p).then(pl.concat_str([pl.lit(f"{label[cols[i]]}："), pl.col(cols[i]).str.strip_chars()]))
                              for i, p, _ in tests], separator="；", ignore_nulls=True)
        description = pl.concat_str([place, said], separator="，", ignore_nulls=True)
        desc_column = cols[found.findings[0]]
    elif "problem" in col or "yes_no" in col:
        item = pl.col(col["item"]).str.strip_chars()
        cell = pl.col(col.get("problem") or col["yes_no"])
        k = _key_expr(cell)
        problem = (k == "是") if "problem" not in col else (k.is_not_null() & (k != "") & ~k.is_in(list(NONE_WORDS)))
        description = cell.str.strip_chars() if "problem" in col else item
        desc_column = col.get("problem") or col["yes_no"]
    else:
        item = pl.col(col["item"]).str.strip_chars()
        cell = pl.col(col["result"])
        problem, bad = _is_problem_result(cell, fine)
        remark = pl.col(col["remark"]).str.strip_chars() if "remark" in col else pl.lit(None, dtype=pl.String)
        description = pl.when(bad).then(pl.concat_str([item, remark], separator="；", ignore_nulls=True)).otherwise(cell.str.strip_chars())
        desc_column = col["result"]
    body = body.with_columns(__problem=problem.fill_null(False), __desc=description)
    problems = body.filter(pl.col("__problem")).drop("__problem")
    inspectors = None
    if "inspectors" in col:
        names = body.get_column(col["inspectors"]).drop_nulls().str.strip_chars().unique(maintain_order=True).to_list()
        inspectors = "、".join(n for n in names if n) or None
    fields = {"description": "__desc", **{role: col[role] for role in ("measures", "deadline", "status") if role in col}}
    labels = {c: label[c] for c in cols}
    labels["__desc"] = label[desc_column]
    return inspection_with_hazards(sheet, problems, fields, labels, lines, title, keywords, inspectors=inspectors,
                                   anchor_row=found.row, form="checklist", score=checklist_score(body, col))


def inspection_with_hazards(sheet: Sheet, problems: pl.DataFrame, fields: dict[str, str], labels: dict[str, str], lines: Lines,
                            title: str, keywords: tuple, *, inspectors: str | None, anchor_row: int, form: str,
                            warnings: pl.DataFrame | None = None, score: str | None = None) -> list[tuple[Sheet, Header]]:
    """A form that records one inspection and its problem rows (`problems`: the clerk's rows
    with their Excel row in __excel and the description in __desc) as a hazards sheet of those
    rows and a one-row inspections sheet standing for the sheet's other rows. `score` is the
    form's 检查得分 when its item scores make one (checklist_score)."""
    context = _inspection_context(lines, title)
    inspectors = context.get("inspectors") or inspectors
    category = category_of(lines.values.get("category"), keywords)
    hazard_context = {f: v for f, v in (("school", context.get("school")), ("town", context.get("town")),
                                        ("found_date", context.get("date")), ("report_date", context.get("report_date")),
                                        ("category", category), ("sender", context.get("sender"))) if v}
    hazard_sheet = Sheet(sheet.name, sheet.index, problems.drop("__excel"), excel_rows=problems.get_column("__excel"))
    hazard_header = Header(HAZARDS, 0, 0, fields, labels, context=hazard_context, form=form)
    ins_grid = pl.DataFrame({"c0": [str(problems.height)]}, schema={"c0": pl.String})
    excel = sheet.row_numbers().slice(anchor_row, 1)
    # The inspection's category: the 类别 line's, else the one its title names (消防安全检查记录表).
    ins_category = category or title_category(title, keywords)
    ins_context = {f: v for f, v in (("school", context.get("school")), ("date", context.get("date")),
                                     ("department", context.get("department")), ("type", context.get("type")),
                                     ("inspectors", inspectors), ("category", ins_category), ("score", score),
                                     ("sender", context.get("sender"))) if v}
    ins_sheet = Sheet(sheet.name, sheet.index, ins_grid, excel_rows=excel)
    ins_header = Header(INSPECTIONS, 0, 0, {"hazards_found": "c0"}, {"c0": labels.get("__desc", "")}, context=ins_context,
                        form=form, rows_in=sheet.grid.height - problems.height,  # the sheet's other rows
                        warnings=warnings)
    return [(hazard_sheet, hazard_header), (ins_sheet, ins_header)]


def category_of(text: str | None, keywords: tuple = ()) -> str | None:
    """The category a 类别 line names (类别：校车安全管理隐患排查 → 交通安全): a category word or
    synonym in it (longest first), else the first category whose keyword occurs (the rules
    file's [derive] table, SPEC §2.1 order); None when it names none."""
    if not text:
        return None
    s = unicodedata.normalize("NFKC", text)
    words = sorted(((w, c) for c, syn in CATEGORIES.items() for w in (c, *syn) if len(w) > 1 and not w.isascii()),
                   key=lambda p: -len(p[0]))
    for word, category in words:
        if word in s:
            return category
    for category, words_of in keywords:
        if any(w in s for w in words_of):
            return category
    return None


def title_category(title: str | None, keywords: tuple = ()) -> str | None:
    """The category a form's title names (学校消防安全检查记录表 → 消防安全): a category word, else
    a keyword of the rules file of two characters or more (a one-character keyword such as 河 or
    电 is too likely to be part of a school's or town's name in a title)."""
    return category_of(title, tuple((c, tuple(w for w in words if len(w) > 1)) for c, words in keywords))


def checklist_score(body: pl.DataFrame, col: dict[str, str]) -> str | None:
    """A scored checklist's 检查得分 (README gap 18), or None: the sum of the item scores (得分)
    when the form's maxima — a 分值 column, else the maxima its group or item titles end in
    (1.四防建设（15分）) — total 100; else the value of its totals row (合计) when on 0–100."""
    if "score" not in col:
        return None
    others = [c for c in body.columns if c not in (col["score"], col.get("maximum"), "__excel", "__desc", "__problem")]
    if not others or body.height == 0:
        return None
    total_words = list(TOTAL_WORDS)
    keyed = [pl.col(c).str.normalize("NFKC").str.replace_all(r"\s+", "") for c in others]
    number = (pl.col(col["score"]).str.normalize("NFKC").str.strip_chars().str.replace(r"分$", "")
              .cast(pl.Float64, strict=False))
    f = body.select(__total=pl.any_horizontal([k.is_in(total_words).fill_null(False) for k in keyed]), __score=number,
                    __max=(pl.col(col["maximum"]).str.normalize("NFKC").str.strip_chars().str.replace(r"分$", "")
                           .cast(pl.Float64, strict=False) if "maximum" in col else pl.lit(None, dtype=pl.Float64)),
                    **{f"__k{i}": k for i, k in enumerate(keyed)})
    items = f.filter(~pl.col("__total"))
    maxima = None
    if items.get_column("__max").is_not_null().any():
        maxima = items.get_column("__max").sum()
    else:
        for i in range(len(others)):  # the leftmost column whose titles end in their maxima (groups come first)
            found = items.get_column(f"__k{i}").drop_nulls().unique().str.extract(_MAXIMUM_CELL, 1).cast(pl.Float64, strict=False)
            if found.is_not_null().any():
                maxima = found.sum()
                break
    scores = items.get_column("__score")
    if maxima is not None and abs(maxima - FULL_MARKS) < 1e-6 and scores.is_not_null().any():
        return _number_text(scores.sum())
    totals = f.filter(pl.col("__total")).get_column("__score").drop_nulls()
    if totals.len() and 0 <= totals[0] <= FULL_MARKS:
        return _number_text(totals[0])
    return None


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _inspection_context(lines: Lines, title: str) -> dict[str, str]:
    out = {f: v for f, v in lines.values.items()
           if f in ("school", "town", "date", "inspectors", "department", "report_date", "sender")}
    for word, kind in TITLE_TYPES:
        if word in title:
            out["type"] = kind
            break
    return out


def _table_end(grid: pl.DataFrame, start: int) -> int:
    """The grid row where the table ends: label lines below it (检查人：…) are not rows. Only
    the last rows are looked at."""
    end = grid.height
    for r in range(grid.height - 1, max(start, grid.height - 8) - 1, -1):
        text = row_texts(grid, r, r + 1)[0] if grid.height else ""
        if not text:
            if r == end - 1:
                end = r
            continue
        if _LABEL.match(_clean_line(text)) or (full_date(text) and len(text) <= 24):
            end = r
        else:
            break
    return end


# ---- label-cell forms: one record per sheet (SPEC §2.1 meetings; B10 an inspection) ----

MEETING_LABELS: dict[str, str] = {
    **dict.fromkeys(("时间", "会议时间", "安全会议时间", "召开日期", "召开时间", "开会时间", "会议日期"), "date"),
    **dict.fromkeys(("主题", "会议主题", "会议名称", "议题名称"), "title"),
    "主持人": "chair",
    **dict.fromkeys(("参加人员", "参加人", "参会人员", "与会对象", "与会人员", "参会单位", "出席人员"), "attendees"),
    **dict.fromkeys(("应到单位", "应参会单位", "应出席单位", "应到人员", "参会范围"), "invited"),  # SPEC §3 v2 (应到)
    **dict.fromkeys(("会议内容", "主要内容", "会议内容记录", "会议议题", "议题"), "topics"),
    "会议类型": "type", "所属镇": "town", "层级": "level",
    **dict.fromkeys(("地点", "会议地点", "记录人", "缺席人员"), ""),
}
INSPECTION_LABELS: dict[str, str] = {
    **dict.fromkeys(("检查时间", "检查日期"), "date"),
    **dict.fromkeys(("检查地点", "被检查学校", "受检学校", "学校名称"), "school"),
    "检查人员": "inspectors", "检查单位": "department", "检查类型": "type",
    **dict.fromkeys(("检查内容", "检查结果", "检查意见", "整改意见"), ""),
}


def label_cell_pair(sheet: Sheet, title: str) -> tuple[Sheet, Header] | None:
    """A one-record sheet whose labels are in a column and values beside them: one meeting or
    one inspection, as a one-row sheet of that kind (its cells labelled as the clerk did)."""
    rows = sheet.grid.head(SCAN_ROWS + 10).rows()
    numbers = sheet.row_numbers().head(len(rows)).to_list()
    best = None
    for kind, table in ((MEETINGS, MEETING_LABELS), (INSPECTIONS, INSPECTION_LABELS)):
        keys = {header_key_of(k): v for k, v in table.items()}
        found: dict[str, tuple[str, str, int]] = {}
        hits = 0
        for r, row in enumerate(rows):
            cells = [(i, str(v).strip()) for i, v in enumerate(row) if v is not None and str(v).strip()]
            for j, (i, text) in enumerate(cells):
                k = header_key_of(text)
                if k in keys:
                    hits += 1
                    value = cells[j + 1][1] if j + 1 < len(cells) and header_key_of(cells[j + 1][1]) not in keys else ""
                    if keys[k] and keys[k] not in found and value:
                        found[keys[k]] = (value, text, numbers[r])
        if "date" in found and hits >= 3 and (best is None or hits > best[0]):
            best = (hits, kind, found)
    if best is None:
        return None
    _, kind, found = best
    if kind is MEETINGS and "title" not in found and title:
        found["title"] = (title, title, numbers[0])
    names = [f"c{i}" for i in range(len(found))]
    grid = pl.DataFrame({n: [v[0]] for n, v in zip(names, found.values())}, schema={n: pl.String for n in names})
    fields = dict(zip(found, names))
    labels = {n: v[1] for n, v in zip(names, found.values())}
    excel = pl.Series("__excel_row", [found["date"][2]], dtype=pl.Int32)
    return Sheet(sheet.name, sheet.index, grid, excel_rows=excel), Header(kind, 0, 0, fields, labels, form="label_cells")


# ---- questionnaires: no header row; a question, ticked boxes, a fill-in (README gaps 11, 20) ----

FORM_MAX_ROWS = 2000  # a questionnaire or a report in label blocks is a page or two, never a ledger
OPEN_BOXES = "□☐"
TICKED_BOXES = "☑☒■▣✓✔√"
# The answer words of ticked boxes: the bad one of a pair that says so itself, and the yes / no
# words whose sense the question decides.
BAD_ANSWERS = ("不安全", "不合格", "不正常", "异常", "不符合", "不完好", "不畅通", "不齐全", "不到位", "危险")
YES_ANSWERS = ("有", "是", "存在", "已")
NO_ANSWERS = ("无", "否", "不存在", "没有", "未", "不是")
# The question's wording: a question about something bad (是否有破损, 有无…隐患) makes 有 / 是
# the bad answer; one about something that should be (是否建立…制度) makes 无 / 否 the bad one.
# Bad words are taken out of the question first (安全隐患 is not 安全); a good word after
# 未 / 不 / 没 is bad (是否未建立).
QUESTION_BAD_WORDS = ("安全隐患", "安全问题", "隐患", "问题", "缺陷", "损坏", "破损", "开裂", "裂缝", "裂纹", "松动",
                      "脱落", "渗漏", "漏水", "漏电", "堵塞", "占用", "锈蚀", "老化", "故障", "私拉", "乱接", "违规",
                      "违章", "违禁", "危险", "过期", "失效", "缺失", "破旧", "倾斜", "积水", "坍塌", "腐朽", "断裂",
                      "外露", "裸露", "变形", "沉降", "霉变", "杂物", "无证", "超载", "超员", "隐蔽")
QUESTION_GOOD_WORDS = ("建立", "制定", "制订", "落实", "配备", "配置", "设置", "安装", "完好", "畅通", "有效", "开展",
                       "签订", "健全", "取得", "持证", "定期", "公示", "培训", "演练", "登记", "合格", "安全", "符合",
                       "齐全", "正常", "到位", "牢固", "稳固", "明确", "备案", "检测", "检验", "维护", "保养")


def question_polarity(question: str) -> str | None:
    """"yes" when 有 / 是 is the bad answer to the question, "no" when 无 / 否 is; None when
    its wording says neither or both (then nothing is guessed)."""
    s = unicodedata.normalize("NFKC", question or "")
    bad = False
    for word in sorted(QUESTION_BAD_WORDS, key=len, reverse=True):
        if word in s:
            bad = True
            s = s.replace(word, " ")
    good_alt = "|".join(sorted(QUESTION_GOOD_WORDS, key=len, reverse=True))
    s, negated = re.subn(rf"(?:未|不|没有|没)(?:{good_alt})", " ", s)
    bad = bad or negated > 0
    good = any(word in s for word in QUESTION_GOOD_WORDS)
    if bad != good:
        return "yes" if bad else "no"
    return None


def answer_verdict(question: str, ticked: list[str], offered: list[str]) -> str:
    """What one ticked answer says: "bad" (a hazard), "fine", "none" (nothing ticked) or
    "undecided" (several ticked, or the question does not tell which box is bad)."""
    if not ticked:
        return "none"
    if len(ticked) > 1:
        return "undecided"
    answer = unicodedata.normalize("NFKC", ticked[0]).strip()
    options = {unicodedata.normalize("NFKC", o).strip() for o in offered} | {answer}
    if answer in BAD_ANSWERS:
        return "bad"
    if options & set(BAD_ANSWERS):
        return "fine"  # 安全 beside 不安全
    if answer in YES_ANSWERS or answer in NO_ANSWERS:
        polarity = question_polarity(question)
        if polarity is None:
            return "undecided"
        return "bad" if (answer in YES_ANSWERS) == (polarity == "yes") else "fine"
    return "undecided"


def questionnaire_pairs(sheet: Sheet, title: str, keywords: tuple = ()) -> list[tuple[Sheet, Header]] | None:
    """A questionnaire (no header row: the question, its boxes with one ticked, a fill-in) as
    one inspection and a hazard per question whose ticked box is the bad one; a question whose
    bad box cannot be told loads nothing and is listed as a warning. None when the sheet has
    fewer than two rows of boxes."""
    grid = sheet.grid
    if grid.height > FORM_MAX_ROWS or grid.width == 0:
        return None
    marks = f"[{OPEN_BOXES}{TICKED_BOXES}]"
    word = f"[^\\s{OPEN_BOXES}{TICKED_BOXES}]+"
    text = pl.concat_str([pl.col(c).fill_null("").str.replace_all("\t", " ") for c in grid.columns], separator="\t")
    parts = f"^(?P<__q>[^{OPEN_BOXES}{TICKED_BOXES}]*)(?P<__boxes>{marks}[^\t]*)(?:\t(?P<__fill>.*))?$"
    f = grid.with_columns(sheet.row_numbers().alias("__excel"), __t=text).with_columns(
        pl.col("__t").str.extract_groups(parts).alias("__m")).unnest("__m").with_columns(
        pl.col("__q").str.replace_all(r"\s+", " ").str.strip_chars(),
        pl.col("__fill").str.replace_all(r"\s+", " ").str.strip_chars(),
    ).with_columns(
        __ticked=pl.col("__boxes").str.extract_all(f"[{TICKED_BOXES}]\\s*{word}"),
        __open=pl.col("__boxes").str.extract_all(f"[{OPEN_BOXES}]\\s*{word}"),
    ).with_columns(__is_q=(pl.col("__ticked").list.len() + pl.col("__open").list.len() >= 2) & pl.col("__open").list.len().gt(0)
                   .or_(pl.col("__ticked").list.len() >= 2))
    asked = f.filter(pl.col("__is_q").fill_null(False))
    if asked.height < 2:
        return None
    strip_mark = f"^[{OPEN_BOXES}{TICKED_BOXES}]\\s*"
    asked = asked.with_columns(pl.col("__ticked").list.eval(pl.element().str.replace(strip_mark, "")),
                               pl.col("__open").list.eval(pl.element().str.replace(strip_mark, "")))
    # Per distinct (question, ticked, offered): a questionnaire repeats few of them.
    verdicts = {}
    for q, ticked, offered in asked.select("__q", "__ticked", "__open").unique().iter_rows():
        verdicts[(q, tuple(ticked), tuple(offered))] = answer_verdict(q or "", list(ticked), list(offered))
    keyed = asked.with_columns(__key=pl.concat_str([pl.col("__q").fill_null(""), pl.col("__ticked").list.join("\u0001"),
                                                    pl.col("__open").list.join("\u0001")], separator="\u0002"))
    table = pl.DataFrame({"__key": ["\u0002".join([q or "", "\u0001".join(t_), "\u0001".join(o)]) for q, t_, o in verdicts],
                          "__verdict": list(verdicts.values())}, schema={"__key": pl.String, "__verdict": pl.String})
    keyed = keyed.join(table, on="__key", how="left", maintain_order="left")
    prompt = r"^(?:若有|如有|若是|如是|若存在|如存在|若否|如否)[，,]?\s*(?:为|请描述|请说明|请注明|在)?\s*[:：]?\s*"
    filled = pl.col("__fill").str.contains(r"\d") | pl.col("__fill").str.contains(r"[:：]\s*\S")
    answer = pl.col("__ticked").list.first()
    description = pl.concat_str([pl.col("__q").str.replace(r"[？?]\s*$", ""), pl.lit("："), answer,
                                 pl.when(filled).then(pl.concat_str([pl.lit("，"), pl.col("__fill").str.replace(prompt, "")]))],
                                ignore_nulls=True)
    cols = grid.columns
    problems = keyed.filter(pl.col("__verdict") == "bad").select(*cols, "__excel", __desc=description)
    labels = {c: t("ingest.header.nth_column", number=i + 1) for i, c in enumerate(cols)}
    labels["__desc"] = labels[cols[0]]
    undecided = keyed.filter(pl.col("__verdict") == "undecided")
    warnings = None
    if undecided.height:
        value = pl.concat_str([pl.col("__q"), pl.col("__boxes").str.strip_chars()], separator=" ", ignore_nulls=True)
        warnings = undecided.select(row=pl.col("__excel").cast(pl.Int64), column=pl.lit(labels[cols[0]]),
                                    message=pl.format(t("forms.undecided_answer", value="{}"), value), value=value)
    first = int(asked.get_column("__excel").min())
    numbers = sheet.row_numbers().to_list()
    above = numbers.index(first) if first in numbers else 0
    lines = Lines().read([x for x in row_texts(grid, 0, above) if x])
    return inspection_with_hazards(sheet, problems, {"description": "__desc"}, labels, lines, title, keywords,
                                   inspectors=None, anchor_row=above, form="questionnaire", warnings=warnings)


# ---- reports in numbered label blocks: 隐患1：… / 整改措施：… (README gap 19) ----

BLOCK_DESCRIPTION_KEYS = ("隐患", "问题", "存在问题", "存在的问题", "安全隐患", "隐患问题", "问题隐患", "隐患内容", "发现问题",
                          "发现的问题", "问题描述", "隐患描述")
_BLOCK_LINE = (r"^\s*(?P<num>\d{1,3}\s*[、.．)）]?\s*)?(?P<label>[^:：\d\s][^:：\d]{0,11}?)\s*(?P<n2>\d{1,3})?\s*[:：]"
               r"\s*(?P<value>.*)$")


def _block_field(label: str) -> str | None:
    key = header_key_of(label)
    if key in {header_key_of(k) for k in BLOCK_DESCRIPTION_KEYS}:
        return "description"
    return HAZARDS.field_for(key)


def block_pairs(sheet: Sheet, title: str) -> tuple[list[tuple[Sheet, Header]], Lines] | None:
    """A report whose records are blocks of 标签：值 lines (隐患1：… / 整改措施：…; 01 / 学校名称：…
    / 问题隐患：…), one hazard per block, as hazards sheets of one row per block (at the
    block's first Excel row; blocks giving the same fields share a sheet), and the sheet's
    label lines (those before the first block).
    A block starts at a numbered line (隐患1：, 01) — or, when no line is numbered, at each
    description line. None unless there are two blocks, or one with a description and more."""
    grid = sheet.grid
    if grid.height > FORM_MAX_ROWS or grid.width == 0:
        return None
    text = pl.concat_str([pl.col(c).str.strip_chars() for c in grid.columns], separator=" ", ignore_nulls=True)
    f = grid.select(sheet.row_numbers().alias("__excel"), __t=text.str.strip_chars())
    f = f.with_columns(pl.col("__t").str.extract_groups(_BLOCK_LINE).alias("__m"),
                       __bare=pl.col("__t").str.contains(r"^\d{1,3}\s*[、.．]?$").fill_null(False)).unnest("__m")
    labels = f.get_column("label").drop_nulls().unique().to_list()
    table = pl.DataFrame({"label": labels, "__field": [_block_field(x) for x in labels]}, schema={"label": pl.String, "__field": pl.String})
    f = f.join(table, on="label", how="left", maintain_order="left")
    numbered = pl.col("__bare") | (pl.col("__field").is_not_null() & (pl.col("num").is_not_null() | pl.col("n2").is_not_null()))
    starts = numbered if f.select(numbered.fill_null(False).any()).item() else pl.col("__field") == "description"
    f = f.with_columns(__block=starts.fill_null(False).cast(pl.Int32).cum_sum())
    lines_end = f.filter(pl.col("__block") > 0).get_column("__excel").min()
    body = f.filter((pl.col("__block") > 0) & pl.col("__field").is_not_null())
    if body.is_empty() or lines_end is None:
        return None
    blocks = (body.group_by("__block", "__field", maintain_order=True)
              .agg(pl.col("value").str.strip_chars().first(), pl.col("label").first(), pl.col("n2").first())
              .pivot("__field", index="__block", values="value", aggregate_function="first"))
    starts_at = f.filter(pl.col("__block") > 0).group_by("__block").agg(pl.col("__excel").min())
    blocks = blocks.join(starts_at, on="__block", how="left").sort("__block")
    if "description" not in blocks.columns:
        return None
    blocks = blocks.filter(pl.col("description").is_not_null() & (pl.col("description") != ""))
    fields = [c for c in blocks.columns if c not in ("__block", "__excel")]
    if blocks.height < 2 and not (blocks.height == 1 and len(fields) >= 2):
        return None
    printed = dict(body.group_by("__field", maintain_order=True).agg(pl.col("label").first()).iter_rows())
    numbers = sheet.row_numbers().to_list()
    above = numbers.index(lines_end) if lines_end in numbers else 0
    lines = Lines().read([x for x in row_texts(grid, 0, above) if x])
    # Blocks that give different fields are sheets of their own: a field one block leaves out is
    # derived for it, not an empty cell to reject (the clerk wrote no such line).
    given = blocks.with_columns(__given=pl.concat_str([pl.col(fld).is_not_null().cast(pl.String) for fld in fields]))
    out = []
    for (_, part) in given.group_by("__given", maintain_order=True):
        have = [fld for fld in fields if part.get_column(fld).is_not_null().any()]
        names = {fld: f"c{i}" for i, fld in enumerate(have)}
        rows = part.select(*[pl.col(fld).cast(pl.String).alias(names[fld]) for fld in have])
        header = Header(HAZARDS, 0, 0, {fld: names[fld] for fld in have}, {names[fld]: printed.get(fld) or fld for fld in have},
                        form="blocks", rows_in=part.height)
        out.append((Sheet(sheet.name, sheet.index, rows, excel_rows=part.get_column("__excel")), header))
    out[0][1].rows_in = grid.height - (blocks.height - out[0][0].grid.height)  # the first stands for the lines too
    return out, lines


# ---- one sheet read whole ----


@dataclass
class Unknown:
    """A sheet of no known kind: the header cells seen on its first rows (for the clerk)."""

    headers: list[str]


def read_sheet(sheet: Sheet, file_name: str, office: Callable[[str | None, str | None], dict[str, str]] | None,
               fine_words: tuple[str, ...], keywords: tuple = ()) -> list[tuple[Sheet, Header]] | Unknown:
    """The (sheet, header) pairs a sheet of a ledger gives, or Unknown when it is of no known kind."""
    grid = sheet.grid
    top_texts = row_texts(grid, 0, min(grid.height, SCAN_ROWS))
    title = next((t for t in top_texts if t), "")
    hints = tuple(h for h in (title, sheet.name or "", _stem(file_name)) if h)
    offered = office(None, None) if office else {}
    office_keys = {header_key_of(h): f for h, f in offered.items()}
    found = find_checklist(grid, office_keys)
    if found is not None and office:  # the mapping remembered for this sender / this header row
        mapped = office(Lines().read(top_texts[: found.row]).values.get("sender"), sheet_key(grid, found.row, found.row + 1))
        if mapped != offered:
            found = find_checklist(grid, {header_key_of(h): f for h, f in mapped.items()})
    header = None
    if found is None:
        header = detect_header(grid, sheet.name, office=office_keys or None)
        if header is not None and office:
            row_key = sheet_key(grid, header.first_row, header.data_start)
            sender = Lines().read(top_texts[: header.first_row]).values.get("sender")
            mapped = office(sender, row_key)
            if mapped != offered:
                header = detect_header(grid, sheet.name, office={header_key_of(h): f for h, f in mapped.items()}) or header
    if found is None and header is None:
        pair = label_cell_pair(sheet, title)
        if pair is not None:
            lines = Lines().read([t for t in top_texts if t])
            s, h = pair
            h.hints = hints
            h.context = {f: v for f, v in lines.values.items() if f in ("school", "town") and f not in h.fields and f in _fields(h.kind)}
            if "sender" in lines.values:
                h.context["sender"] = lines.values["sender"]
            if h.kind is INSPECTIONS:
                # One inspection per sheet: its category the one its title names; the hazards it
                # found are those the sheet yields as records — none (its results are free text).
                category = title_category(title, keywords) if "category" not in h.fields else None
                if category:
                    h.context["category"] = category
                if "hazards_found" not in h.fields:
                    h.context["hazards_found"] = "0"
            return [(s, h)]
        found = find_place_table(grid, office_keys)
    if found is None and header is None:
        pairs = questionnaire_pairs(sheet, title, keywords)
        if pairs is not None:
            for _, h in pairs:
                h.hints = hints
            return pairs
        blocks = block_pairs(sheet, title)
        if blocks is not None:
            pairs, lines = blocks
            return [(s, _with_lines(h, lines, hints, keywords)) for s, h in pairs]
        if Lines().read(top_texts).zero:  # 本月无新增隐患: a hazard ledger's zero report with no table
            return [(sheet, Header(HAZARDS, 0, grid.height, {}, {}, hints=hints, zero=True))]
        return Unknown(_header_cells(grid))
    first = found.row if found is not None else header.first_row
    end = _table_end(grid, first + 1)
    lines = Lines().read(top_texts[:first] + row_texts(grid, end, grid.height))
    if found is not None:
        pairs = checklist_pairs(sheet, found, lines, title, fine_words, keywords)
        for _, h in pairs:
            h.hints = hints
        return pairs
    assert header is not None
    if header.kind.registry:
        return [(sheet, header)]
    header = replace(_with_lines(header, lines, hints, keywords), data_end=end if end < grid.height else None)
    body = grid.slice(header.data_start, end - header.data_start).select(list(header.fields.values()))
    has_rows = body.height > 0 and body.select(pl.any_horizontal(pl.all().str.strip_chars().str.len_chars() > 0).fill_null(False).any()).item()
    if not has_rows and not header.kind.registry:
        header.zero = True
    return [(sheet, header)]


def _with_lines(header: Header, lines: Lines, hints: tuple[str, ...], keywords: tuple) -> Header:
    """The header with what the sheet's lines, title and file name give the fields its table
    lacks (a line's date is the found date of a hazard, the date of any other record)."""
    kind_fields = _fields(header.kind)
    context = {}
    for fld, value in lines.values.items():
        target = {"date": _date_field(header.kind)}.get(fld, fld)
        if target in kind_fields and target not in header.fields:
            context[target] = value
    if "category" in context:
        context["category"] = category_of(context["category"], keywords) or context["category"]
    if "sender" in lines.values:  # 填报单位: the sender (sender_of), and the school when it names one (settle)
        context["sender"] = lines.values["sender"]
    if "report_date" in kind_fields and "report_date" not in header.fields and "report_date" not in context:
        month = next((m for m in (month_end(h) for h in hints) if m), None)
        if month:
            context["report_date"] = month
    return replace(header, context=context, hints=hints)


def _date_field(kind: Kind) -> str:
    return "found_date" if kind is HAZARDS else "date"


def _fields(kind: Kind) -> set[str]:
    return {c.field for c in kind.columns}


def _stem(file_name: str) -> str:
    name = file_name.replace("\\", "/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name


def sheet_key(grid: pl.DataFrame, first: int, data_start: int) -> str:
    """A sheet's header row as one key (the import page remembers a mapping under it)."""
    cells = [header_key_of(v) for row in grid.slice(first, data_start - first).rows() for v in row if v is not None and str(v).strip()]
    return "|".join(cells)


def _header_cells(grid: pl.DataFrame) -> list[str]:
    """The cells of the sheet's most filled row among its first rows: what the clerk's header
    probably is (quoted when the sheet is of no known kind)."""
    rows = grid.head(SCAN_ROWS).rows()
    if not rows:
        return []
    best = max(rows, key=lambda row: sum(1 for v in row if v is not None and str(v).strip()))
    return [re.sub(r"\s+", "", str(v)) for v in best if v is not None and str(v).strip()]


# ---- against the registry, at load time: the sender, the school of a sheet, the report month ----


@dataclass(frozen=True)
class Sender:
    """The unit that sent a file (SPEC §2.1): kind (town / department / school / village),
    registry code and name; all None when no unit could be told."""

    kind: str | None
    code: str | None
    name: str | None


def _units(registry: Registry) -> list[tuple[str, str, str, str]]:
    """(text to look for, kind, code, name) of every registry unit, longest text first: full
    names, and a member unit's name without the district's own prefix (区教育局 → 教育局).
    Built once per registry (a province's has ~60k units; files ask it hundreds of times)."""
    return _unit_index(registry)[0]


def _unit_index(registry: Registry) -> tuple[list[tuple[str, str, str, str]], dict[str, list[int]], list[int]]:
    """_units, and where to look: the positions of the units whose text starts with each two
    characters, and those that must always be tried (one character, or holding whitespace)."""
    frames = (registry.schools, registry.towns, registry.departments, registry.villages)
    cached = registry.__dict__.get("_forms_unit_index")
    if cached is not None and all(a is b for a, b in zip(cached[0], frames)):
        return cached[1]
    out = []
    for kind, frame in (("school", registry.schools), ("town", registry.towns), ("department", registry.departments),
                        ("village", registry.villages)):
        for code, name in frame.select("code", "name").iter_rows():
            if not name:
                continue
            out.append((unicodedata.normalize("NFKC", name), kind, code, name))
            if kind == "department" and name.startswith(DISTRICT_PREFIX) and len(name) > 3:
                out.append((name[len(DISTRICT_PREFIX):], kind, code, name))
    out.sort(key=lambda u: -len(u[0]))
    by_pair: dict[str, list[int]] = {}
    always = []
    for i, (needle, *_) in enumerate(out):
        if len(needle) < 2 or any(ch.isspace() for ch in needle):
            always.append(i)
        else:
            by_pair.setdefault(needle[:2], []).append(i)
    index = (out, by_pair, always)
    registry.__dict__["_forms_unit_index"] = (frames, index)
    return index


def units_in(text: str, registry: Registry, kinds: tuple[str, ...] = ("school", "town", "department", "village")) -> list[tuple[str, str, str]]:
    """The registry units named in a text, (kind, code, name), longest names first, each once."""
    s = unicodedata.normalize("NFKC", text or "")
    units, by_pair, always = _unit_index(registry)
    # Only units whose first two characters occur in the text can be in it (a replacement by a
    # space below cannot make a name without whitespace appear).
    candidates = sorted({*always, *(i for k in {s[j:j + 2] for j in range(len(s) - 1)} for i in by_pair.get(k, ()))})
    found, seen = [], set()
    for needle, kind, code, name in (units[i] for i in candidates):
        if kind in kinds and needle in s and (kind, code) not in seen:
            seen.add((kind, code))
            found.append((kind, code, name))
            s = s.replace(needle, " ")  # 青溪区实验小学 is not also 实验小学
    return found


def school_named(text: str | None, registry: Registry, mapping: Mapping) -> str | None:
    """The registry school a text names: its code or full name, a full name inside it, or a
    short name of the office's mapping ([schools] 田二小 = …)."""
    if not text:
        return None
    s = unicodedata.normalize("NFKC", text).strip()
    codes = set(registry.schools.get_column("code").to_list())
    if s in codes:
        return s
    found = units_in(s, registry, ("school",))
    if found:
        return found[0][1]
    for short, target in sorted(mapping.schools.items(), key=lambda p: -len(p[0])):
        if short and short in s:
            named = units_in(target, registry, ("school",))
            return target if target in codes else (named[0][1] if named else None)
    return None


def settle(header: Header, registry: Registry, mapping: Mapping, sender: Sender | None) -> tuple[str, str] | None:
    """Give a sheet with no school column its school (from a line, the title, the sheet's or
    the file's name, else the sender when a school sent it); (column, message) when no school
    can be found — one message for the sheet (SPEC §2.1)."""
    if "school" not in _fields(header.kind) or "school" in header.fields:
        return None
    # A line's school (学校：…), else the 填报单位 line's unit when it is a school (SPEC §2.1: the
    # sender's line names the school too), else the title, the sheet's or the file's name.
    for i, text in enumerate((header.context.get("school"), header.context.get("sender"), *header.hints)):
        code = school_named(text, registry, mapping)
        if code is not None:
            header.context["school"] = code
            if i > 1:  # not a line's: the title, the sheet's or the file's name
                header.guessed = tuple({*header.guessed, "school"})
            return None
    if sender is not None and sender.kind == "school":
        header.context["school"] = sender.code
        header.guessed = tuple({*header.guessed, "school"})
        return None
    header.context.pop("school", None)
    if header.zero:
        return None
    headers = "、".join(v for v in header.labels.values() if v)
    return header.kind.column("school").zh, t("forms.which_school", headers=headers)


def sender_of(file_name: str, headers: list[Header], registry: Registry, mapping: Mapping) -> Sender | None:
    """The sender: the unit of a 填报单位 / 镇 line, else a town or unit named in the file name,
    else the unit the rows are about (the one school a sheet names)."""
    lines = [h.context.get(f) for h in headers for f in ("sender", "town")]
    for text in lines:
        found = units_in(text or "", registry)
        if found:
            return Sender(*found[0])
    stem = _stem(file_name)
    found = units_in(stem, registry, ("town", "department", "village"))
    if found:
        return Sender(*found[0])
    schools = {h.context.get("school") for h in headers if h.context.get("school")}
    for h in headers:
        code = school_named(h.context.get("school"), registry, mapping) if h.context.get("school") else None
        if code is None:
            for text in h.hints:
                code = school_named(text, registry, mapping)
                if code:
                    break
        if code:
            schools.add(code)
    codes = {c for c in schools if c in set(registry.schools.get_column("code").to_list())}
    if len(codes) == 1:
        code = codes.pop()
        name = registry.schools.filter(pl.col("code") == code).get_column("name").item()
        return Sender("school", code, name)
    return None


@dataclass
class Settled:
    """A sheet of a file settled against the registry: `problem` is the one message for the whole
    sheet (no school found …) when its rows cannot be judged."""

    sheet: Sheet
    header: Header
    problem: tuple[str, str] | None = None


def settle_file(file_name: str, sheets: list[tuple[Sheet, Header]], registry: Registry,
                mapping: Mapping) -> tuple[Sender | None, list[Settled]]:
    """What a file's sheets say only against the registry (SPEC §2.1): its sender, and for each
    ledger sheet its school from its lines, title or file name (`settle`), or the one message
    that it cannot be read for want of a column. Registry sheets pass as they are. The load and
    the import page's preview both settle files here."""
    if all(header.kind.registry for _, header in sheets):
        return None, [Settled(sheet, header) for sheet, header in sheets]
    sender = sender_of(file_name, [h for _, h in sheets if not h.kind.registry], registry, mapping)
    return sender, [Settled(sheet, header, None if header.kind.registry else settle(header, registry, mapping, sender))
                    for sheet, header in sheets]


def data_rows(sheet: Sheet, header: Header) -> int:
    """How many rows of the sheet's table hold a cell (the rows a sheet-wide message is about)."""
    end = header.data_end if header.data_end is not None else sheet.grid.height
    body = sheet.grid.slice(header.data_start, max(end - header.data_start, 0))
    if body.height == 0 or body.width == 0:
        return 0
    return int(body.select(pl.any_horizontal(pl.all().str.strip_chars().str.len_chars() > 0).fill_null(False).sum()).item())


def report_month(header: Header, default: dt.date) -> dt.date:
    """The first day of the month a zero report is for: its report-date line, else the file's date."""
    text = header.context.get("report_date")
    day = None
    if text:
        day = pl.select(parse_date(pl.lit(re.sub(r"\s", "", text)))).item()
    day = day or default
    return day.replace(day=1)
