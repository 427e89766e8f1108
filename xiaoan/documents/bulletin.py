"""The monthly 通报 (bulletin) on hazard checks and rectification: a Word document in the GB/T 9704
format, written by every snapshot (bulletin.docx) and downloadable from the overview.

    from xiaoan.documents.bulletin import write_bulletin
    data = write_bulletin(Metrics.open(path), date(2026, 10, 31))     # the .docx, as bytes

What it says (issue 16): the title (关于2026年10月全区中小学幼儿园安全隐患排查整改情况的通报), 主送,
一、总体情况 — the headline figures as of A and their change since the end of last month
(Metrics.headline_change); 二、考核排名情况 — the towns' and the member units' scores, ranks and
grades (town_scores, dept_scores; the units 不参与排名 are named apart in a sentence below their
table, never in it); 三、红黑榜 — per tier among the ranked units (honours below); 四、挂牌督办隐患 —
the hazards under 挂牌 as of A (Metrics.supervision, in force); 五、长期逾期未整改隐患 — the open
hazards overdue by more than [supervision] overdue_days; 六、工作要求 — the rules file's
[documents] requirements; the issuing office and the date (2026年10月31日). Every figure comes
from xiaoan.metrics for the same filters; rates have one decimal, risk is a whole number; days,
months and rates are written by xiaoan.labels as on the dashboard. No person's name is written
(units, towns and schools only).

The layout is the template's (`build_template`, shipped as templates/bulletin.docx; an office
may point [documents] bulletin_template at its own copy). The fields a template may use are the
keys of `bulletin_context`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl

from xiaoan.documents import TEMPLATES_DIR, gbt9704
from xiaoan.documents.render import render_docx
from xiaoan.i18n import DEFAULT_LANG, t
from xiaoan.labels import day_label, is_rate, month_label, rate_text, value_label
from xiaoan.metrics import Filters, HazardPick, Metrics
from xiaoan.rules import Rules
from xiaoan.vocabulary import SUPERVISIONS

TEMPLATE = TEMPLATES_DIR / "bulletin.docx"
# How many units each end of a tier's ranking puts on the 红榜 / 黑榜, and how few ranked units
# make the lists the top and bottom halves instead.
HONOURS = 3
FEWEST_FOR_THREE = 2 * HONOURS
# The headline figures of 总体情况 and how each is written: a count of hazards (项), a rate (one
# decimal, its change in 个百分点: labels.is_rate) or risk (a whole number).
COUNTS = ("open_hazards", "grave_open", "overdue_open", "hazards_found")
RISK = ("open_risk",)
# The figures of the period's sentence, in its order.
PERIOD_FIGURES = ("hazards_found", "rectification_rate", "closure_rate", "on_time_rate", "inspection_coverage",
                  "meeting_compliance")


# ---------------------------------------------------------------- 红黑榜


def honours(scores: pl.DataFrame, code: str, name: str) -> tuple[list[dict], list[dict]]:
    """The 红榜 and 黑榜 of one tier: among the ranked units (rank not null), the top HONOURS by
    rank and the bottom HONOURS by place from the bottom, when at least FEWEST_FOR_THREE are
    ranked; else the top and the bottom halves (n // 2 each, the middle one of an odd number on
    neither). Ties share a place: a place within the cut takes every unit holding it (so a list
    may be longer). A unit on the 红榜 is never on the 黑榜 (equal scores across the cut: 红榜).
    Each entry: code, name, score, place (rank; from the bottom for the 黑榜), best first / worst
    first."""
    ranked = scores.filter(pl.col("rank").is_not_null() & pl.col("score").is_not_null())
    n = ranked.height
    cut = HONOURS if n >= FEWEST_FOR_THREE else n // 2
    if cut == 0:
        return [], []
    ranked = ranked.with_columns(
        bottom=(pl.col("score").rank("min", descending=False)).cast(pl.Int64))
    red = ranked.filter(pl.col("rank") <= cut).sort("rank", code)
    black = (ranked.filter((pl.col("bottom") <= cut) & ~pl.col(code).is_in(red[code].to_list()))
             .sort("bottom", code))

    def entries(frame: pl.DataFrame, place: str) -> list[dict]:
        return [{"code": r[code], "name": r[name], "score": r["score"], "place": int(r[place])}
                for r in frame.iter_rows(named=True)]

    return entries(red, "rank"), entries(black, "bottom")


# ---------------------------------------------------------------- formatting


def percent(value: float | None, lang: str = DEFAULT_LANG) -> str:
    """A rate (a fraction) as a percentage with one decimal (labels.rate_text): 0.856 → 85.6%."""
    return t("documents.bulletin.no_data", lang) if value is None else rate_text(value)


def _figure(metric: str, value: float | None, lang: str) -> str:
    if value is None:
        return t("documents.bulletin.no_data", lang)
    if is_rate(metric):
        return percent(value, lang)
    return f"{round(value):,d}" if lang != "zh" else f"{round(value):d}"


def _change(metric: str, change: float | None, lang: str) -> str:
    """（较上月末增加25条）: the change of a figure since the end of the previous month."""
    if change is None:
        return ""
    if is_rate(metric):
        points = round(100 * change, 1)
        words = (t("documents.bulletin.same", lang) if points == 0 else
                 t("documents.bulletin.up_points" if points > 0 else "documents.bulletin.down_points", lang,
                   n=f"{abs(points):.1f}"))
    else:
        n = round(change)
        key = "up_count" if metric in COUNTS else "up"
        words = (t("documents.bulletin.same", lang) if n == 0 else
                 t(f"documents.bulletin.{key if n > 0 else key.replace('up', 'down')}", lang, n=abs(n)))
    return t("documents.bulletin.compared", lang, change=words)


def _score(value: float | None, decimals: int) -> str:
    return "" if value is None else f"{value:.{decimals}f}"


def _names(entries: list[dict], key: str, decimals: int, lang: str) -> str:
    if not entries:
        return t("documents.bulletin.nobody", lang)
    return t("documents.bulletin.list_sep", lang).join(
        t(key, lang, name=e["name"], place=e["place"], score=_score(e["score"], decimals)) for e in entries)


# ---------------------------------------------------------------- the context


def bulletin_context(metrics: Metrics, as_of: dt.date | Filters, rules: Rules | None = None,
                     district: str | None = None, *, lang: str = DEFAULT_LANG,
                     issued: dt.date | None = None) -> dict[str, Any]:
    """The fields of the 通报 as of `as_of` (a date: the calendar year up to it; or the snapshot's
    Filters, period and all): every figure from `metrics`. `rules` defaults to the metrics'
    rules, `district` to the 区名称 of the warehouse, `issued` (成文日期) to the as-of date."""
    f = as_of if isinstance(as_of, Filters) else Filters(as_of=as_of)
    rules = rules or metrics.rules
    if district is None:
        found = metrics.sql("select district_name from district limit 1")
        district = found["district_name"][0] if found.height else ""
    decimals = int(rules.get("scores", "decimals"))
    grades = t("documents.bulletin.list_sep", lang).join(
        value_label(g, lang) for g in [*(name for name, _ in rules.grades()), rules.grade_below])
    overdue_days = int(rules.get("supervision", "overdue_days"))
    date_text = day_label(f.as_of, lang)
    period = t("documents.bulletin.period", lang, start=day_label(f.period_start, lang),
               end=day_label(f.period_end, lang))

    # 一、总体情况: the headline figures and their change since the previous month end
    headline = metrics.headline_change(f)
    rows = {r["metric"]: r for r in headline.iter_rows(named=True)}
    figures = {metric: {"value": _figure(metric, r["value"], lang),
                        "previous": _figure(metric, r["previous"], lang),
                        "change": _change(metric, r["change"], lang)}
               for metric, r in rows.items()}
    values = {m: figures[m]["value"] for m in figures} | {f"{m}_change": figures[m]["change"] for m in figures}
    overview = [t("documents.bulletin.open_state", lang, date=date_text, **_pick(values, COUNTS[:3] + RISK)),
                t("documents.bulletin.period_state", lang, period=period,
                  **_pick(values, PERIOD_FIGURES))]

    # 二、考核排名情况 and 三、红黑榜
    tiers = {}
    for tier, (scores, code, name) in {"towns": (metrics.town_scores(f), "town_code", "town_name"),
                                       "depts": (metrics.dept_scores(f), "dept_code", "dept_name")}.items():
        ranked = scores.filter(pl.col("rank").is_not_null()).sort("rank", code)
        apart = scores.filter(pl.col("rank").is_null()).sort(code)
        red, black = honours(scores, code, name)
        tiers[tier] = {
            "rows": [{"rank": r["rank"], "name": r[name], "score": _score(r["score"], decimals),
                      "grade": value_label(r["grade"], lang),
                      "rectification_rate": percent(r["rectification_rate"], lang),
                      "overdue_open": "" if r["overdue_open"] is None else f"{round(r['overdue_open']):d}"}
                     for r in ranked.iter_rows(named=True)],
            "apart": [t("documents.bulletin.not_ranked", lang,
                        names=t("documents.bulletin.list_sep", lang).join(apart[name].to_list()))]
            if apart.height else [],
            "red": red, "black": black,
            "red_text": _names(red, "documents.bulletin.honour_entry", decimals, lang),
            "black_text": _names(black, "documents.bulletin.warning_entry", decimals, lang),
        }

    # 四、挂牌督办: the hazards under 挂牌 as of A; 应挂牌未挂牌 counted
    listed = metrics.supervision(f)
    in_force = listed.filter(pl.col("in_force"))
    levels = in_force["supervision"].value_counts()
    by_level = dict(zip(levels["supervision"].to_list(), levels["count"].to_list()))
    due = int(listed["due"].sum() or 0)
    supervision = [{"no": i, "town": r["town_name"] or "", "school": r["school_name"] or "",
                    "description": r["description"] or "", "level": r["level"] or "",
                    "unit": r["responsible_name"] or "", "supervision": r["supervision"] or "",
                    "notice_no": r["notice_no"] or "", "days_overdue": r["days_overdue"] or 0}
                   for i, r in enumerate(in_force.iter_rows(named=True), 1)]
    supervision_text = (t("documents.bulletin.supervision", lang, date=date_text, in_force=in_force.height,
                          district=by_level.get(SUPERVISIONS[0], 0), town=by_level.get(SUPERVISIONS[1], 0), due=due)
                        if supervision else t("documents.bulletin.supervision_none", lang, date=date_text, due=due))

    # 五、长期逾期未整改: open hazards overdue by more than [supervision] overdue_days
    # (those already under 挂牌 are in 四 and not listed twice)
    late = (metrics.hazards(f, pick=HazardPick(overdue_only=True), order="overdue")
            .filter((pl.col("days_overdue") > overdue_days)
                    & ~pl.col("hazard_id").is_in(in_force["hazard_id"].implode())))
    overdue = [{"no": i, "town": r["town_name"] or "", "school": r["school_name"] or "",
                "description": r["description"] or "", "level": r["level"] or "",
                "unit": r["responsible_name"] or r["dept_name"] or "",
                "deadline": day_label(r["effective_deadline"], lang),
                "supervision": r["supervision"] or "", "days_overdue": r["days_overdue"]}
               for i, r in enumerate(late.iter_rows(named=True), 1)]
    overdue_text = (t("documents.bulletin.overdue", lang, date=date_text, days=overdue_days, n=len(overdue))
                    if overdue else t("documents.bulletin.overdue_none", lang, date=date_text, days=overdue_days))

    documents = rules.documents
    return {
        "title": t("documents.bulletin.title", lang, month=month_label(f.as_of, lang)),
        "district": district,
        "month": month_label(f.as_of, lang),
        "as_of": date_text,
        "period": period,
        "recipients": documents.recipients,
        "issuer": documents.issuer_for(district),
        "date": day_label(issued or f.as_of, lang),
        "opening": t("documents.bulletin.opening", lang, period=period),
        "overview": overview,
        "figures": figures,
        "rankings": t("documents.bulletin.rankings", lang, period=period, grades=grades),
        "towns": tiers["towns"]["rows"], "towns_apart": tiers["towns"]["apart"],
        "depts": tiers["depts"]["rows"], "depts_apart": tiers["depts"]["apart"],
        "honours": t("documents.bulletin.honours", lang),
        "red_towns": tiers["towns"]["red_text"], "black_towns": tiers["towns"]["black_text"],
        "red_depts": tiers["depts"]["red_text"], "black_depts": tiers["depts"]["black_text"],
        "honour_lists": {tier: {"red": tiers[tier]["red"], "black": tiers[tier]["black"]} for tier in tiers},
        "supervision_text": supervision_text,
        "supervision": supervision,
        "overdue_days": overdue_days,
        "overdue_text": overdue_text,
        "overdue": overdue,
        "requirements": documents.requirement_paragraphs(),
        "contact": documents.contact,
    }


def _pick(values: dict[str, str], metrics: tuple[str, ...]) -> dict[str, str]:
    return {k: values.get(k, "") for m in metrics for k in (m, f"{m}_change")}


def template_path(rules: Rules) -> Path:
    """The office's template when the rules file names one, else the shipped one."""
    return rules.documents.bulletin_template or TEMPLATE


def write_bulletin(metrics: Metrics, as_of: dt.date | Filters, rules: Rules | None = None,
                   district: str | None = None, *, lang: str = DEFAULT_LANG, issued: dt.date | None = None,
                   template: Path | None = None) -> bytes:
    """The 通报 as a .docx (bytes): `bulletin_context` rendered into `template` (default: the rules
    file's bulletin_template, else the shipped one). DocumentTemplateError on a template problem."""
    rules = rules or metrics.rules
    context = bulletin_context(metrics, as_of, rules, district, lang=lang, issued=issued)
    return render_docx(template or template_path(rules), context)


# ---------------------------------------------------------------- the template


def build_template(path: Path, lang: str = DEFAULT_LANG) -> Path:
    """Write the shipped template (docxtpl fields; Jinja loops for paragraphs and table rows) in
    the GB/T 9704 format to `path` (scripts/make_document_templates.py)."""
    doc = gbt9704.new_document()
    gbt9704.title(doc, "{{ title }}")
    gbt9704.recipients(doc, "{{ recipients }}：")
    gbt9704.body(doc, "{{ opening }}")

    gbt9704.heading1(doc, t("documents.bulletin.h_overview", lang))
    _paragraphs(doc, "overview")

    gbt9704.heading1(doc, t("documents.bulletin.h_rankings", lang))
    gbt9704.body(doc, "{{ rankings }}")
    for tier, heading, column in (("towns", "h_towns", "col_town"), ("depts", "h_depts", "col_dept")):
        gbt9704.heading2(doc, t(f"documents.bulletin.{heading}", lang))
        headers = [t(f"documents.bulletin.{c}", lang) for c in
                   ("col_rank", column, "col_score", "col_grade", "col_rectification_rate", "col_overdue_open")]
        fields = ["{{ r.rank }}", "{{ r.name }}", "{{ r.score }}", "{{ r.grade }}", "{{ r.rectification_rate }}",
                  "{{ r.overdue_open }}"]
        _table(doc, tier, headers, fields, [16, 52, 20, 20, 22, 26], none_key="documents.bulletin.none_ranked",
               lang=lang)
        _paragraphs(doc, f"{tier}_apart")

    gbt9704.heading1(doc, t("documents.bulletin.h_honours", lang))
    gbt9704.body(doc, "{{ honours }}")
    for heading, side in (("h_red", "red"), ("h_black", "black")):
        gbt9704.heading2(doc, t(f"documents.bulletin.{heading}", lang))
        gbt9704.body(doc, t("documents.bulletin.line_towns", lang, names=f"{{{{ {side}_towns }}}}"))
        gbt9704.body(doc, t("documents.bulletin.line_depts", lang, names=f"{{{{ {side}_depts }}}}"))

    hazard_columns = ("col_no", "col_town", "col_school", "col_hazard", "col_level", "col_unit")
    gbt9704.heading1(doc, t("documents.bulletin.h_supervision", lang))
    gbt9704.body(doc, "{{ supervision_text }}")
    _table(doc, "supervision",
           [t(f"documents.bulletin.{c}", lang) for c in (*hazard_columns, "col_supervision", "col_days_overdue")],
           ["{{ r.no }}", "{{ r.town }}", "{{ r.school }}", "{{ r.description }}", "{{ r.level }}", "{{ r.unit }}",
            "{{ r.supervision }}", "{{ r.days_overdue }}"],
           [10, 16, 26, 37, 10, 23, 17, 17], size=10.5)

    gbt9704.heading1(doc, t("documents.bulletin.h_overdue", lang))
    gbt9704.body(doc, "{{ overdue_text }}")
    _table(doc, "overdue",
           [t(f"documents.bulletin.{c}", lang) for c in (*hazard_columns, "col_deadline", "col_days_overdue")],
           ["{{ r.no }}", "{{ r.town }}", "{{ r.school }}", "{{ r.description }}", "{{ r.level }}", "{{ r.unit }}",
            "{{ r.deadline }}", "{{ r.days_overdue }}"],
           [10, 15, 24, 31, 10, 21, 28, 17], size=10.5)

    gbt9704.heading1(doc, t("documents.bulletin.h_requirements", lang))
    _paragraphs(doc, "requirements", keep_with_next=True)  # the last one stays with the 落款

    gbt9704.signature(doc, "{{ issuer }}", "{{ date }}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def _paragraphs(doc, name: str, keep_with_next: bool = False) -> None:
    """One body paragraph per item of the list field `name` ({%p for %} … {%p endfor %})."""
    gbt9704.body(doc, f"{{%p for text in {name} %}}")
    gbt9704.body(doc, "{{ text }}").paragraph_format.keep_with_next = keep_with_next
    gbt9704.body(doc, "{%p endfor %}")


def _table(doc, name: str, headers: list[str], fields: list[str], widths: list[float], size: float = 12.0,
           none_key: str | None = None, lang: str = DEFAULT_LANG) -> None:
    """A table of the list field `name`, one row per item, shown only when the list is not empty
    (else the `none_key` sentence, when given)."""
    gbt9704.body(doc, f"{{%p if {name} %}}")
    grid = gbt9704.table(doc, headers, fields, widths, size=size)
    gbt9704.loop_rows(grid, f"{{%tr for r in {name} %}}")
    if none_key:
        gbt9704.body(doc, "{%p else %}")
        gbt9704.body(doc, t(none_key, lang))
    gbt9704.body(doc, "{%p endif %}")
