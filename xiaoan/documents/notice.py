"""督办通知书 (issue 16, SPEC §5 `xiaoan notices`): one Word notice per responsible unit of any kind
(成员单位, 镇, 村（社区）, 学校) that holds, as of the date D, hazards overdue (open, effective
deadline before D) or under a 挂牌督办 in force — each of its hazards listed once with its school,
description, level, found date, effective deadline, days overdue and 挂牌 (with the ledger's
整改通知书编号). The notice carries its number (rules file [documents] notice_number), the unit as
主送, the date to reply in writing by (D + reply_days), the office's signature block and contact line.

- `build_template(path)`: the shipped template's layout (GB/T 9704, xiaoan/documents/gbt9704.py);
  the office may edit a copy in Word and name it in the rules file (notice_template).
- `notice_context(...)`: the fields of one notice (what a template may use: see CONTEXT_FIELDS).
- `write_notices(warehouse, as_of, out, unit, rules=, assign=)`: reads the hazards through
  xiaoan.metrics, numbers the notices with `assign` (pipelines.publish.notices.assign_numbers,
  which writes the warehouse: the core does not import the publishing layer, so the caller
  hands it in — pipelines.publish.notices.issue_notices does) and renders each with render_docx.

The notice is dated D (成文日期), so a notice written again for the same D is the same notice.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from docx.enum.text import WD_ALIGN_PARAGRAPH

from xiaoan.documents import TEMPLATES_DIR, gbt9704
from xiaoan.documents.render import render_docx
from xiaoan.i18n import t
from xiaoan.labels import day_label, value_label
from xiaoan.metrics import Filters, Metrics
from xiaoan.rules import Rules, load_rules
from xiaoan.vocabulary import RESPONSIBLE_KINDS
from xiaoan.warehouse import open_read_only

TEMPLATE = TEMPLATES_DIR / "notice.docx"
NONE_MARK = "—"  # a cell with nothing to say (not overdue, no 挂牌)

# The hazards a notice lists (fixed SQL text over hazards_as_of): overdue or 挂牌 in force.
LISTED = ("where (is_overdue or supervision_in_force) and responsible_code is not null "
          "order by responsible_kind, responsible_code, days_overdue desc nulls last, found_date, hazard_id")

# The fields a notice template may use, and those of each row of `hazards`.
CONTEXT_FIELDS = ("notice_no", "title", "attachment_title", "recipient", "as_of", "date", "reply_deadline",
                  "reply_days", "issuer", "contact", "hazard_count", "overdue_count", "in_force_count", "hazards")
ROW_FIELDS = ("seq", "hazard_id", "school", "description", "level", "found_date", "deadline", "days_overdue",
              "supervision")
TITLE = t("notices.doc.title")
ATTACHMENT_TITLE = t("notices.doc.attachment_title")
# Windows refuses these in a file name (and control characters).
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass(frozen=True)
class Notice:
    """One notice written: the unit (kind, code, name), its number, its hazards, the file."""

    unit_kind: str
    unit_code: str
    unit_name: str
    notice_no: str
    hazards: int
    path: Path


class UnitUnknown(LookupError):
    """--unit names a code that is no responsible unit of the 基础信息表."""


# ---------------------------------------------------------------- the template

def build_template(path: Path) -> Path:
    """Write the shipped 督办通知书 template (GB/T 9704 page and type) to `path`: title, number,
    主送, the body, 附件说明, 落款 and date (kept on the page of the body's last paragraph), then
    on a page of its own the 附件, the table of the unit's hazards (one row per hazard)."""
    document = gbt9704.new_document()
    gbt9704.title(document, "{{ title }}")
    number = gbt9704.body(document, "{{ notice_no }}", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    number.paragraph_format.keep_with_next = True
    gbt9704.blank(document)
    gbt9704.recipients(document, "{{ recipient }}：")
    gbt9704.body(document, t("notices.doc.body", as_of="{{ as_of }}", hazards="{{ hazard_count }}",
                             overdue="{{ overdue_count }}", in_force="{{ in_force_count }}"))
    closing = gbt9704.body(document, t("notices.doc.closing", reply_deadline="{{ reply_deadline }}",
                                       issuer="{{ issuer }}"))
    gbt9704.body(document, "{%p if contact %}", indent=False)
    contact = gbt9704.body(document, t("notices.doc.contact", contact="{{ contact }}"))
    gbt9704.body(document, "{%p endif %}", indent=False)
    gap = gbt9704.blank(document)
    attachment = gbt9704.body(document, t("notices.doc.attachment", title="{{ attachment_title }}"))
    for paragraph in (closing, contact, gap, attachment):  # the 落款 never alone on a page
        paragraph.paragraph_format.keep_with_next = True
    gbt9704.signature(document, "{{ issuer }}", "{{ date }}")
    document.add_page_break()
    gbt9704.heading1(document, t("notices.doc.attachment_heading")).paragraph_format.first_line_indent = 0  # 另面, flush
    gbt9704.title(document, "{{ attachment_title }}")
    gbt9704.body(document, t("notices.doc.unit_line", unit="{{ recipient }}", number="{{ notice_no }}"), indent=False,
                 align=WD_ALIGN_PARAGRAPH.LEFT)
    grid = gbt9704.table(
        document,
        [t(f"notices.doc.col.{field}") for field in ROW_FIELDS],
        ["{{ h.seq }}", "{{ h.hazard_id }}", "{{ h.school }}", "{{ h.description }}", "{{ h.level }}",
         "{{ h.found_date }}", "{{ h.deadline }}", "{{ h.days_overdue }}", "{{ h.supervision }}"],
        widths_mm=[10, 17, 20, 27, 10, 18, 18, 11, 25], size=10.5)
    gbt9704.loop_rows(grid, "{%tr for h in hazards %}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


# ---------------------------------------------------------------- one notice's fields

def notice_context(notice_no: str, unit_name: str, hazards: pl.DataFrame, as_of: dt.date, *, issuer: str,
                   reply_days: int, contact: str = "") -> dict[str, Any]:
    """The fields of one notice: `hazards` are the unit's rows of hazards_as_of (overdue or 挂牌
    in force as of `as_of`), in the order listed."""
    rows = []
    for seq, h in enumerate(hazards.iter_rows(named=True), start=1):
        supervision = ""
        if h["supervision_in_force"]:
            supervision = value_label(h["supervision"])
            if h["notice_no"]:
                supervision = t("notices.doc.supervision_with_number", level=supervision, number=h["notice_no"])
        days = h["days_overdue"] if h["is_overdue"] else None
        rows.append({
            "seq": seq, "hazard_id": h["hazard_id"], "school": h["school_name"] or h["school_code"],
            "description": h["description"] or "", "level": value_label(h["level"]),
            "found_date": _date(h["found_date"]), "deadline": _date(h["effective_deadline"]),
            "days_overdue": str(days) if days else NONE_MARK, "supervision": supervision or NONE_MARK,
        })
    return {
        "notice_no": notice_no, "title": TITLE, "attachment_title": ATTACHMENT_TITLE, "recipient": unit_name,
        "as_of": day_label(as_of), "date": day_label(as_of), "reply_days": reply_days,
        "reply_deadline": day_label(as_of + dt.timedelta(days=reply_days)),
        "issuer": issuer, "contact": contact, "hazards": rows, "hazard_count": len(rows),
        "overdue_count": int(hazards["is_overdue"].sum()) if hazards.height else 0,
        "in_force_count": int(hazards["supervision_in_force"].sum()) if hazards.height else 0,
    }


# ---------------------------------------------------------------- writing them

def write_notices(warehouse: Path, as_of: dt.date, out: Path, unit: str | None = None, *,
                  assign: Callable[[list[tuple[str, str]]], dict[tuple[str, str], str]],
                  rules: Rules | None = None) -> list[Notice]:
    """Write into `out` the notice of every responsible unit holding overdue or 挂牌 hazards as
    of `as_of` (only the units whose code is `unit`, when given), numbered by `assign` (the
    units in order of kind and code → their numbers). Returns the notices written, [] when no
    unit holds such a hazard. UnitUnknown when `unit` is no unit of the 基础信息表;
    DocumentTemplateError when the template cannot be rendered (before any number is given)."""
    rules = rules or load_rules()
    options = rules.documents
    con = open_read_only(warehouse)
    try:
        metrics = Metrics.from_connection(con, rules)
        listed = metrics.table("hazards_as_of", Filters(as_of=as_of), where=LISTED)
        if unit is not None:
            listed = listed.filter(pl.col("responsible_code") == unit)
            if listed.is_empty() and not _is_unit(metrics, unit):
                raise UnitUnknown(unit)
        district = metrics.sql("select district_name from district limit 1")
    finally:
        con.close()
    district_name = district["district_name"][0] if district.height else ""
    issuer = options.issuer_for(district_name)
    units = _units(listed)
    if not units:
        return []
    template = notice_template(rules)
    groups = {key: frame for key, frame in listed.group_by(["responsible_kind", "responsible_code"],
                                                          maintain_order=True)}
    names = {key: groups[key]["responsible_name"][0] or key[1] for key in units}

    def context(key: tuple[str, str], number: str) -> dict[str, Any]:
        return notice_context(number, names[key], groups[key], as_of, issuer=issuer, reply_days=options.reply_days,
                              contact=options.contact)

    # Every unit's notice is rendered (in memory) before the warehouse gives any number: a template
    # that fails for one unit's fields (a second hazard it does not have) fails here, numbering none.
    for key in units:
        render_docx(template, context(key, ""))
    numbers = assign(units)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for seq, key in enumerate(units, start=1):
        path = out / file_name(numbers[key] or str(seq), names[key])
        path.write_bytes(render_docx(template, context(key, numbers[key])))
        written.append(Notice(key[0], key[1], names[key], numbers[key], groups[key].height, path))
    return written


def file_name(number: str, unit_name: str) -> str:
    """`<notice number>_<unit name>.docx`, with what Windows refuses in a name replaced by _."""
    stem = _UNSAFE.sub("_", f"{number}_{unit_name}").strip().rstrip(". ")
    return f"{stem or 'notice'}.docx"


def notice_template(rules: Rules) -> Path:
    """The rules file's notice_template (resolved against the rules file), else the shipped one."""
    return rules.documents.notice_template or TEMPLATE


def _units(listed: pl.DataFrame) -> list[tuple[str, str]]:
    """The units holding listed hazards, by kind (成员单位, 镇, 村, 学校) then code."""
    found = {(k, c) for k, c in listed.select("responsible_kind", "responsible_code").iter_rows()}
    order = {kind: i for i, kind in enumerate(RESPONSIBLE_KINDS)}
    return sorted(found, key=lambda u: (order.get(u[0], len(order)), u[1]))


def _is_unit(metrics: Metrics, code: str) -> bool:
    """Whether `code` is a responsible unit of the 基础信息表 (member unit, town, village, school)."""
    frame = metrics.sql("select count(*) as n from (select dept_code as code from departments union all "
                        "select town_code from towns union all select village_code from villages union all "
                        "select school_code from schools) where code = $code", {"code": code})
    return bool(frame["n"][0])


def _date(value: dt.date | None) -> str:
    """A date in a cell as in a sentence (labels.day_label: 2026年10月31日), — for none."""
    return day_label(value) if value else NONE_MARK


