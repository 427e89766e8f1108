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
# The inspection type a checklist's title says (SPEC §2.1: 日常检查 unless …; README gap 24).
TITLE_TYPES = (("专项", "专项检查"), ("开学", "开学检查"), ("节假日", "节假日检查"), ("督查", "督导检查"), ("督导", "督导检查"),
               ("考核", "督导检查"))


@dataclass
class Checklist:
    row: int  # grid row of the header
    columns: dict[str, int]  # role → grid column index


def find_checklist(grid: pl.DataFrame) -> Checklist | None:
    """The header row of a checklist: a check-item column beside a problem, 是（否） or result
    column, and no column of a ledger's own (学校名称, a per-row found date)."""
    for r, row in enumerate(grid.head(SCAN_ROWS).rows()):
        keys = [header_key_of(v) if v is not None and str(v).strip() else "" for v in row]
        roles: dict[str, int] = {}
        for role, words in (("item", ITEM_KEYS), ("problem", PROBLEM_KEYS), ("yes_no", YES_NO_KEYS), ("result", RESULT_KEYS),
                            ("measures", MEASURE_KEYS), ("deadline", DEADLINE_KEYS), ("status", STATUS_KEYS),
                            ("inspectors", INSPECTOR_KEYS), ("remark", REMARK_KEYS), ("score", ("得分",))):
            for word in words:  # the first word of the list that the row has wins
                if word in keys and keys.index(word) not in roles.values():
                    roles[role] = keys.index(word)
                    break
        if "item" in roles and ({"problem", "yes_no", "result"} & set(roles)) and not set(keys) & set(LEDGER_KEYS):
            return Checklist(r, roles)
    return None


def _key_expr(e: pl.Expr) -> pl.Expr:
    return e.str.normalize("NFKC").str.replace_all(r"[\s。.，,;；！!]+$", "").str.replace_all(r"^\s+", "")


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
    item = pl.col(col["item"]).str.strip_chars()
    if "problem" in col or "yes_no" in col:
        cell = pl.col(col.get("problem") or col["yes_no"])
        k = _key_expr(cell)
        problem = (k == "是") if "problem" not in col else (k.is_not_null() & (k != "") & ~k.is_in(list(NONE_WORDS)))
        description = cell.str.strip_chars() if "problem" in col else item
    else:
        cell = pl.col(col["result"])
        k = _key_expr(cell)
        fine = [unicodedata.normalize("NFKC", w) for w in fine_words]
        bad = k.is_in(list(BAD_RESULTS))
        fill_in = k.str.contains(r"〔\s*\d*\s*〕")  # 有校车〔 6 〕台: a count written into the form's blanks
        problem = k.is_not_null() & (k != "") & (bad | (~k.is_in(fine) & ~fill_in))
        remark = pl.col(col["remark"]).str.strip_chars() if "remark" in col else pl.lit(None, dtype=pl.String)
        description = pl.when(bad).then(pl.concat_str([item, remark], separator="；", ignore_nulls=True)).otherwise(cell.str.strip_chars())
    body = body.with_columns(__problem=problem.fill_null(False), __desc=description)
    problems = body.filter(pl.col("__problem"))
    context = _inspection_context(lines, title)
    inspectors = context.get("inspectors")
    if inspectors is None and "inspectors" in col:
        names = body.get_column(col["inspectors"]).drop_nulls().str.strip_chars().unique(maintain_order=True).to_list()
        inspectors = "、".join(n for n in names if n) or None
    hazard_context = {f: v for f, v in (("school", context.get("school")), ("town", context.get("town")),
                                        ("found_date", context.get("date")), ("report_date", context.get("report_date")),
                                        ("category", category_of(lines.values.get("category"), keywords))) if v}
    fields = {"description": "__desc"}
    labels = {c: label[c] for c in cols}
    labels["__desc"] = label[col.get("problem") or col.get("yes_no") or col["result"]]
    for role in ("measures", "deadline", "status"):
        if role in col:
            fields[role] = col[role]
    hazard_sheet = Sheet(sheet.name, sheet.index, problems.drop("__problem", "__excel"), excel_rows=problems.get_column("__excel"))
    hazard_header = Header(HAZARDS, 0, 0, fields, labels, context=hazard_context, form="checklist")
    count = str(problems.height)
    ins_grid = pl.DataFrame({"c0": [count]}, schema={"c0": pl.String})
    excel = sheet.row_numbers().slice(found.row, 1)
    ins_context = {f: v for f, v in (("school", context.get("school")), ("date", context.get("date")),
                                     ("department", context.get("department")), ("type", context.get("type")),
                                     ("inspectors", inspectors), ("category", category_of(lines.values.get("category"), keywords)))
                   if v}
    ins_sheet = Sheet(sheet.name, sheet.index, ins_grid, excel_rows=excel)
    ins_header = Header(INSPECTIONS, 0, 0, {"hazards_found": "c0"}, {"c0": labels["__desc"]}, context=ins_context, form="checklist",
                        rows_in=grid.height - problems.height)  # the sheet's other rows: title, lines, header, fine items
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


def _inspection_context(lines: Lines, title: str) -> dict[str, str]:
    out = {f: v for f, v in lines.values.items() if f in ("school", "town", "date", "inspectors", "department", "report_date")}
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
    found = find_checklist(grid)
    header = None
    if found is None:
        offered = office(None, None) if office else {}
        header = detect_header(grid, sheet.name, office={header_key_of(h): f for h, f in offered.items()} if offered else None)
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
            return [(s, h)]
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
    kind_fields = _fields(header.kind)
    context = {}
    for fld, value in lines.values.items():
        target = {"date": _date_field(header.kind)}.get(fld, fld)
        if target in kind_fields and target not in header.fields:
            context[target] = value
    if "category" in context:
        context["category"] = category_of(context["category"], keywords) or context["category"]
    if "report_date" in kind_fields and "report_date" not in header.fields and "report_date" not in context:
        month = next((m for m in (month_end(h) for h in hints) if m), None)
        if month:
            context["report_date"] = month
    header = replace(header, context=context, hints=hints, data_end=end if end < grid.height else None)
    body = grid.slice(header.data_start, end - header.data_start).select(list(header.fields.values()))
    has_rows = body.height > 0 and body.select(pl.any_horizontal(pl.all().str.strip_chars().str.len_chars() > 0).fill_null(False).any()).item()
    if not has_rows and not header.kind.registry:
        header.zero = True
    return [(sheet, header)]


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
    for text in (header.context.get("school"), *header.hints):
        code = school_named(text, registry, mapping)
        if code is not None:
            header.context["school"] = code
            return None
    if sender is not None and sender.kind == "school":
        header.context["school"] = sender.code
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
