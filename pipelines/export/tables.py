"""What a snapshot holds: every table and metric as of A over [S, E], in the order the files,
the workbook sheets and the manifest list them. All numbers come from xiaoan.metrics."""

from __future__ import annotations

import json

import polars as pl

from pipelines.contract import ALL_KINDS, header_key_of, is_personal_header
from xiaoan.metrics import Filters, Metrics
from xiaoan.scope import PEOPLE_COLUMNS

# The tables of SPEC §5 and the columns each must have, in this order: the six of v1 (their v1
# columns first, the columns §2.2 / §3 v2 add after them), then the three of §3 v2.
CONTRACT: dict[str, tuple[str, ...]] = {
    "hazards": ("hazard_id", "school_code", "town_code", "category", "level", "description",
                "responsible_dept_code", "found_date", "deadline", "status", "rectified_date", "closed_date",
                "report_date", "is_open", "is_overdue", "risk",
                "responsible_kind", "responsible_code", "responsible_person", "effective_deadline", "extensions",
                "rework", "supervision", "notice_no", "verification", "closed_unverified", "derived"),
    "dept_closure": ("dept_code", "dept_name", "total", "rectified", "rectification_rate", "closed", "closure_rate",
                     "on_time_rate", "overdue_open", "median_days_to_rectify"),
    "town_risk": ("town_code", "town_name", "category", "risk"),
    "town_scores": ("town_code", "town_name", "rectification_rate", "on_time_rate", "inspection_coverage",
                    "meeting_compliance", "overdue_open_per_school", "score", "rank", "reporting", "grade"),
    "dept_scores": ("dept_code", "dept_name", "rectification_rate", "on_time_rate", "overdue_open",
                    "meeting_attendance", "median_days_to_rectify", "score", "rank",
                    "duty_inspection_coverage", "legal_education_coverage", "grade"),
    "rejected_rows": ("file", "sheet", "row", "column", "reason", "raw"),
    "unit_indicators": ("tier", "unit_code", "indicator", "value", "score", "weight", "status"),
    "unit_closure": ("responsible_kind", "responsible_code", "name", "total", "rectified", "rectification_rate",
                     "closed", "closure_rate", "on_time_rate", "overdue_open", "median_days_to_rectify"),
    "supervision": ("hazard_id", "responsible_kind", "responsible_code", "supervision", "notice_no", "due",
                    "days_open", "days_overdue"),
}


def gather(metrics: Metrics, f: Filters, mask_personal: bool = True) -> dict[str, pl.DataFrame]:
    """Every table of the snapshot, SPEC §5's (CONTRACT) first, each with its contract columns first."""
    tables = {
        "hazards": metrics.hazards(f),
        "dept_closure": metrics.dept_closure(f),
        "town_risk": metrics.town_risk(f),
        "town_scores": metrics.town_scores(f),
        "dept_scores": metrics.dept_scores(f),
        "rejected_rows": metrics.rejected_rows(),
        "unit_indicators": metrics.unit_indicators(f),
        "unit_closure": metrics.unit_closure(f),
        "supervision": metrics.supervision(f),
        "headline": metrics.headline_change(f),
        "town_risk_per_school": metrics.town_risk_per_school(f),
        "overdue_buckets": metrics.overdue_buckets(f),
        "repeat_hazards": metrics.repeat_hazards(f),
        "inspection_coverage": metrics.inspection_coverage(f),
        "uninspected_schools": metrics.uninspected_schools(f),
        "legal_education_coverage": metrics.legal_education_coverage(f),
        "meeting_compliance": metrics.meeting_compliance(f),
        "meeting_months": metrics.meeting_months(f),
        "district_plenary": metrics.district_plenary(f),
        "dept_meeting_attendance": metrics.dept_meeting_attendance(f),
        "town_score_breakdown": metrics.town_score_breakdown(f),
        "dept_score_breakdown": metrics.dept_score_breakdown(f),
        "town_score_trend": metrics.score_trend(f, tier="town"),
        "dept_score_trend": metrics.score_trend(f, tier="dept"),
        "departments": metrics.sql("select dept_code, dept_name, member, liaison, phone from departments "
                                   "order by dept_code"),
    }
    for name, columns in CONTRACT.items():
        frame = tables[name]
        missing = [c for c in columns if c not in frame.columns]
        if missing:  # a broken model, never the user's data
            raise RuntimeError(f"{name} lacks the contract columns {missing}")
        tables[name] = frame.select(*columns, *[c for c in frame.columns if c not in columns])
    if mask_personal:
        tables = {name: mask_columns(frame) for name, frame in tables.items()}
        tables["rejected_rows"] = tables["rejected_rows"].with_columns(
            pl.col("raw").map_elements(mask_raw, return_dtype=pl.String))
    return tables


def mask_columns(frame: pl.DataFrame) -> pl.DataFrame:
    """Every column of a person's name or phone (xiaoan.scope.PEOPLE_COLUMNS: 责任人, 验收人, 检查人员,
    主持人, 总校长, 成员, 联络员, 联系电话), whatever table holds it: names → the first character of
    each name and ** (`张**、李**`); phone numbers → first 3 and last 4 characters."""
    exprs = []
    for column, kind in PEOPLE_COLUMNS.items():
        if column not in frame.columns:
            continue
        text = pl.col(column).cast(pl.String).str.strip_chars()
        if kind == "name":
            masked = mask_name(pl.col(column))
        else:
            masked = (pl.when(text.str.len_chars() >= 8)
                      .then(text.str.slice(0, 3) + "****" + text.str.slice(-4, 4))
                      .when(text.str.len_chars() > 0).then(pl.lit("****")))
        exprs.append(masked.alias(column))
    return frame.with_columns(exprs) if exprs else frame


# What separates the names in one cell (检查人员: 张三、李四).
NAME_SEPARATORS = r"、,，;；/\s"


def mask_name(column: pl.Expr) -> pl.Expr:
    """A person's name → its first character and ** (a hazard's 责任人); several names in one cell
    (检查人员 张三、李四) each so (张**、李**)."""
    text = column.cast(pl.String).str.strip_chars()
    return pl.when(text.str.len_chars() > 0).then(
        text.str.replace_all(f"([^{NAME_SEPARATORS}])[^{NAME_SEPARATORS}]*", "${1}**"))


# The headers of the ledgers' and the registry's people columns other than a member unit's (their
# Chinese header, field name and aliases: 责任人, 负责人, 验收人, 复查人, 检查人员, 主持人, 总校长, …):
# a rejected row's cells under one of them, or under a member's, liaison's or phone header
# (pipelines.contract.is_personal_header), are masked.
PEOPLE_HEADERS = tuple(sorted({header_key_of(word) for kind in ALL_KINDS if kind.name != "departments"
                               for c in kind.columns if c.field in PEOPLE_COLUMNS
                               for word in (c.zh, c.field, *c.aliases)} - {""}))


def is_people_header(header: object) -> bool:
    """Whether a header cell, as typed, names a person's column (PEOPLE_HEADERS) or a member,
    liaison or phone."""
    key = header_key_of(str(header))
    return is_personal_header(header) or any(word in key for word in PEOPLE_HEADERS)


def mask_raw(raw: str | None) -> str | None:
    """A rejected row's cells (JSON {header: value}) with every person's name and phone masked."""
    if raw is None:
        return None
    try:
        cells = json.loads(raw)
    except ValueError:
        return raw
    if not isinstance(cells, dict):
        return raw
    masked = {k: ("***" if v not in (None, "") and is_people_header(k) else v) for k, v in cells.items()}
    return json.dumps(masked, ensure_ascii=False)
