"""report.html: a self-contained briefing in Chinese — headline figures with the change since
last month, the risk heatmap, the departments' rates against the target, the scorecards (Evaluation
v2: grades, 不适用 / 未报送, rescaled weights, 不参与排名), 挂牌督办 and the gravest open hazards. plotly.js is embedded (no network, no CDN); every text that comes from
ledgers or the registry is HTML-escaped; in the charts it is written as entities, which plotly
shows as typed (xiaoan/inert.py)."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import plotly.graph_objects as go
import polars as pl

from xiaoan.i18n import DEFAULT_LANG, t
from xiaoan.inert import inert_figure
from xiaoan.labels import RATE_COLUMNS, WHOLE_COLUMNS, column_label, day_label, rate_text, value_label, whole_text
from xiaoan.rules import Rules
from xiaoan.vocabulary import NOT_APPLICABLE, NOT_REPORTED  # score_units' statuses (有数据 / 不适用 / 未报送)

TOP_HAZARDS = 20
LIST_ROWS = 50  # the longest supervision list printed
SUPERVISION_COLUMNS = ["hazard_id", "town_name", "school_name", "level", "responsible_name", "supervision", "notice_no",
                       "found_date", "effective_deadline", "days_open", "days_overdue", "extensions", "rework"]
DUE_COLUMNS = ["hazard_id", "town_name", "school_name", "level", "responsible_name", "found_date",
               "effective_deadline", "days_open", "days_overdue"]
PLOT_CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}
FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif'
STYLE = f"""
body {{ font-family: {FONT}; margin: 2em auto; max-width: 1100px; color: #222; padding: 0 1em; }}
h1 {{ font-size: 1.6em; margin-bottom: .2em; }} h2 {{ font-size: 1.25em; border-bottom: 2px solid #2b6cb0;
padding-bottom: .2em; margin-top: 2em; }} .sub {{ color: #555; }} .note {{ color: #666; font-size: .9em; }}
.cards {{ display: flex; flex-wrap: wrap; gap: .8em; }} .card {{ border: 1px solid #d0d7e2; border-radius: 6px;
padding: .6em .9em; min-width: 9.5em; }} .card .v {{ font-size: 1.5em; font-weight: bold; }}
.card .p {{ color: #666; font-size: .85em; }} table {{ border-collapse: collapse; width: 100%; font-size: .9em; }}
th, td {{ border: 1px solid #d0d7e2; padding: .3em .5em; text-align: left; vertical-align: top; }}
th {{ background: #eef3fa; }} td.n {{ text-align: right; }}
td .w {{ color: #666; font-size: .8em; white-space: nowrap; }} p.list {{ margin-top: 1.2em; }}
"""


def write_report_html(path: Path, tables: dict[str, pl.DataFrame], *, attention: pl.DataFrame, district: str | None,
                      as_of: dt.date, period: tuple[dt.date, dt.date], generated_at: dt.datetime, rules: Rules,
                      lang: str = DEFAULT_LANG) -> None:
    """The briefing. `attention`: the hazards that need attention, riskiest first, at most
    TOP_HAZARDS of them (Metrics.needs_attention: the overview's list)."""
    charts = _Charts()
    title = t("report.title", lang, district=district) if district else t("report.title_default", lang)
    subtitle = t("report.subtitle", lang, as_of=day_label(as_of, lang), start=day_label(period[0], lang),
                 end=day_label(period[1], lang))
    parts = [
        f"<h1>{_e(title)}</h1>",
        f'<p class="sub">{_e(subtitle)}</p>',
        f'<p class="note">{_e(t("report.generated", lang, at=generated_at.strftime("%Y-%m-%d %H:%M")))}</p>',
        f"<h2>{_e(t('report.overview', lang))}</h2>",
        _cards(tables["headline"], lang),
        f"<p>{_e(_plenary(tables['district_plenary'], lang))}</p>",
        f"<h2>{_e(t('report.heatmap', lang))}</h2>",
        f'<p class="note">{_e(t("report.heatmap_note", lang))}</p>',
        _heatmap(tables["town_risk"], charts, lang),
        f"<h2>{_e(t('report.dept_rates', lang))}</h2>",
        f'<p class="note">{_e(t("report.dept_rates_note", lang, target=_pct(rules.dept_rectification_target)))}</p>',
        _dept_rates(tables["dept_closure"], rules.dept_rectification_target, charts, lang),
        f"<h2>{_e(t('report.town_scores', lang))}</h2>",
        f'<p class="note">{_e(t("report.scores_note", lang))} {_e(_grades(rules, lang))}</p>',
        _scorecard(tables["town_scores"], "town", rules.indicators("town"), lang),
        f"<h2>{_e(t('report.dept_scores', lang))}</h2>",
        _scorecard(tables["dept_scores"], "dept", rules.indicators("dept"), lang),
        f"<h2>{_e(t('report.supervision', lang))}</h2>",
        _supervision(tables["supervision"], tables["hazards"], period, rules, lang),
        f"<h2>{_e(t('report.top_hazards', lang, n=TOP_HAZARDS))}</h2>",
        _top_hazards(attention, lang),
    ]
    page = (f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(title)} {as_of}</title><style>{STYLE}</style></head><body>\n"
            + "\n".join(parts) + "\n</body></html>\n")
    path.write_text(page, encoding="utf-8")


class _Charts:
    """Renders figures; the first one carries plotly.js itself (embedded, never a CDN link)."""

    def __init__(self) -> None:
        self.embedded = False

    def html(self, fig: go.Figure) -> str:
        inert_figure(fig)  # names from the registry shown as typed, never as plotly markup
        fig.update_layout(font={"family": FONT}, margin={"l": 10, "r": 10, "t": 30, "b": 10}, template="plotly_white")
        out = fig.to_html(full_html=False, include_plotlyjs=not self.embedded, include_mathjax=False, config=PLOT_CONFIG)
        self.embedded = True
        return out


def _cards(headline: pl.DataFrame, lang: str) -> str:
    cards = []
    for row in headline.iter_rows(named=True):
        metric = row["metric"]
        value, previous = _fmt(metric, row["value"], lang), _fmt(metric, row["previous"], lang)
        change = row["change"]
        arrow = "" if change is None or change == 0 else ("▲ " if change > 0 else "▼ ")
        cards.append(f'<div class="card"><div>{_e(column_label(metric, lang))}</div><div class="v">{_e(value)}</div>'
                     f'<div class="p">{_e(arrow)}{_e(t("report.previous", lang, value=previous))}</div></div>')
    return f'<div class="cards">{"".join(cards)}</div>'


def _plenary(plenary: pl.DataFrame, lang: str) -> str:
    row = plenary.row(0, named=True) if plenary.height else {"met": False}
    if row["met"]:
        return t("report.plenary_held", lang, date=day_label(row["last_plenary_date"], lang))
    return t("report.plenary_missing", lang)


def _heatmap(risk: pl.DataFrame, charts: _Charts, lang: str) -> str:
    if risk.is_empty():
        return f"<p>{_e(t('report.no_open_hazards', lang))}</p>"
    grid = risk.pivot(on="category", index="town_name", values="risk", aggregate_function="sum").sort("town_name")
    categories = [c for c in grid.columns if c != "town_name"]
    z = grid.select(categories).fill_null(0).to_numpy()
    fig = go.Figure(go.Heatmap(z=z, x=categories, y=grid["town_name"].to_list(), colorscale="Reds",
                               text=z, texttemplate="%{text:.0f}", hovertemplate="%{y} · %{x}: %{z}<extra></extra>",
                               colorbar={"title": {"text": column_label("risk", lang)}}))
    fig.update_layout(height=max(260, 32 * grid.height + 120), yaxis={"autorange": "reversed"})
    return charts.html(fig)


def _dept_rates(closure: pl.DataFrame, target: float, charts: _Charts, lang: str) -> str:
    names = closure["dept_name"].to_list()
    fig = go.Figure()
    for column in ("rectification_rate", "closure_rate"):
        fig.add_bar(name=column_label(column, lang), x=names, y=closure[column].to_list(),
                    hovertemplate="%{x}: %{y:.1%}<extra></extra>")
    fig.add_hline(y=target, line_dash="dash", line_color="#c53030",
                  annotation_text=f"{t('report.target', lang)} {_pct(target)}")
    fig.update_layout(barmode="group", yaxis={"tickformat": ".0%", "range": [0, 1.05]}, height=380,
                      legend={"orientation": "h"})
    return charts.html(fig)


def _scorecard(scores: pl.DataFrame, tier: str, indicators: list[str], lang: str) -> str:
    """One tier's scorecards (SPEC §3 v2): rank (不参与排名 when not ranked), name, score, grade, and
    per indicator its value, its score and weight after rescaling, or 不适用 / 未报送. Rows and cells
    carry the unit code, the indicator and its status (data-*) for readers and tests."""
    code, name = f"{tier}_code", f"{tier}_name"
    head = [column_label("rank", lang), column_label(name, lang), column_label("score", lang),
            column_label("grade", lang), *[column_label(i, lang) for i in indicators]]
    rows = []
    for row in scores.sort("rank", code, nulls_last=True).iter_rows(named=True):
        rank = (row["rank"] if row["rank"] is not None
                else t("ranked.no", lang) if row["score"] is not None else t("ranked.no_score", lang))
        cells = [f'<td class="n rank">{_e(rank)}</td>', f"<td>{_e(row[name])}</td>",
                 f'<td class="n score"><b>{_e(_score(row["score"]))}</b></td>',
                 f'<td class="grade">{_e(value_label(row["grade"], lang) if row["grade"] else "—")}</td>']
        for indicator in indicators:
            status = row[f"{indicator}_status"]
            shown = t(f"status.{status}", lang) if status else "—"  # no status: the tier lacks the indicator
            if status == NOT_APPLICABLE or status is None:
                inner = f'<div class="v">{_e(shown)}</div>'
            else:
                mark = f" ({shown})" if status == NOT_REPORTED else ""
                detail = t("report.indicator_detail", lang, score=_score(row[f"{indicator}_score"]),
                           weight=_score(row[f"{indicator}_weight"]))
                inner = (f'<div class="v">{_e(_fmt(indicator, row[indicator], lang))}{_e(mark)}</div>'
                         f'<div class="w">{_e(detail)}</div>')
            cells.append(f'<td class="n" data-indicator="{_e(indicator)}" data-status="{_e(status or "")}">{inner}</td>')
        rows.append(f'<tr data-unit="{_e(row[code])}">{"".join(cells)}</tr>')
    return _table(head, rows, f'class="scorecard" data-tier="{tier}"')


def _grades(rules: Rules, lang: str) -> str:
    """The grade bands of the rules in words: 优秀 ≥ 90、良好 ≥ 80、合格 ≥ 60."""
    bands = "、".join(f"{value_label(name, lang)} ≥ {low:g}" for name, low in rules.grades())
    return t("report.grades", lang, bands=bands, below=value_label(rules.grade_below, lang))


def _supervision(supervision: pl.DataFrame, hazards: pl.DataFrame, period, rules: Rules, lang: str) -> str:
    """挂牌督办: the rule, how many are in force and due (应挂未挂), the hazards found in the period
    closed without a passing verification (未经验收销号, as the dashboard's 挂牌督办 page counts
    them), and the lists of both with their notice numbers."""
    in_force = supervision.filter(pl.col("in_force"))
    due = supervision.filter(pl.col("due"))
    found = hazards.filter(pl.col("found_date").is_between(period[0], period[1]))
    unverified = int(found["closed_unverified"].sum() or 0)
    spec = rules.as_sql()["supervision"]
    levels = "、".join(value_label(v, lang) for v in spec["levels"])
    parts = [f'<p class="note">{_e(t("report.supervision_rule", lang, days=spec["overdue_days"], levels=levels))}</p>',
             f'<p class="supervision-counts" data-in-force="{in_force.height}" data-due="{due.height}" '
             f'data-closed-unverified="{unverified}">'
             f'{_e(t("report.supervision_counts", lang, in_force=in_force.height, due=due.height, unverified=unverified))}</p>']
    for key, frame, columns in (("report.supervision_in_force", in_force, SUPERVISION_COLUMNS),
                                ("report.supervision_due", due, DUE_COLUMNS)):
        parts.append(f'<p class="list"><b>{_e(t(key, lang))}</b></p>')
        parts.append(_hazard_list(frame, columns, lang))
    return "\n".join(parts)


def _top_hazards(worst: pl.DataFrame, lang: str) -> str:
    columns = ["hazard_id", "town_name", "school_name", "category", "level", "description", "responsible_name",
               "found_date", "effective_deadline", "days_overdue", "risk"]
    return _hazard_list(worst, columns, lang)


def _hazard_list(hazards: pl.DataFrame, columns: list[str], lang: str) -> str:
    """A list of hazards (at most LIST_ROWS, with a note when there are more), or 无."""
    if hazards.is_empty():
        return f"<p>{_e(t('report.none', lang))}</p>"
    rows = []
    for row in hazards.head(LIST_ROWS).select(columns).iter_rows(named=True):
        rows.append("<tr>" + "".join(f'<td{" class=n" if isinstance(row[c], (int, float)) else ""}>'
                                     f"{_e(_fmt(c, row[c], lang))}</td>" for c in columns) + "</tr>")
    cut = (f'<p class="note">{_e(t("report.list_cut", lang, total=hazards.height, shown=LIST_ROWS))}</p>'
           if hazards.height > LIST_ROWS else "")
    return _table([column_label(c, lang) for c in columns], rows) + cut


def _table(head: list[str], rows: list[str], attributes: str = "") -> str:
    header = "".join(f"<th>{_e(h)}</th>" for h in head)
    return (f"<table{' ' + attributes if attributes else ''}><thead><tr>{header}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def _score(value: float | None) -> str:
    """A score or weight as the briefing prints it: two decimals, — when there is none."""
    return "—" if value is None else f"{value:.2f}"


def _fmt(column: str, value, lang: str) -> str:
    """A cell as the briefing prints it: rates with one decimal (78.4%), risk totals whole."""
    if value is None:
        return "—"
    if column in RATE_COLUMNS:
        return _pct(value)
    if column in WHOLE_COLUMNS:
        return whole_text(value)
    if isinstance(value, float):
        return f"{value:.0f}" if value.is_integer() else f"{value:.2f}"
    return str(value)


def _pct(value: float) -> str:
    return rate_text(value)


def _e(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)
