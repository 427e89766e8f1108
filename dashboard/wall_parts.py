"""The pieces of the 驾驶舱 wall screen, built for a 1920×1080 display seen from across a room:
large figures as HTML blocks (every registry or ledger text escaped), and plotly figures in a
dark template (bundled with plotly, nothing fetched). dashboard/views/wall.py puts them
together; the numbers come from xiaoan.metrics and the scope-aware queries, never from here."""

from __future__ import annotations

from html import escape

import plotly.graph_objects as go
import polars as pl

from dashboard import charts, towns_map, widgets
from dashboard.wall_shell import ACCENT, BACKGROUND, BAD, BORDER, GOOD, MUTED, PANEL, TEXT
from xiaoan.i18n import t
from xiaoan.inert import inert_figure
from xiaoan.labels import column_label, is_rate, rate_text, time_label, value_label, whole_text

# Grade colours, best first (Okabe–Ito: told apart with every common colour-vision deficiency;
# the grade is written on each bar as well, so colour is never the only cue).
GRADE_COLOURS = ("#009E73", "#56B4E9", "#E69F00", "#D55E00")
MAX_BARS = 16  # more ranked units than this: the top and the bottom half of it
# Figures where a rise is bad news (its arrow red), as on the overview.
WORSE_WHEN_UP = {"open_hazards", "grave_open", "overdue_open", "open_risk"}
PLOT_CONFIG = {"staticPlot": True, "displayModeBar": False}

CSS = f"""<style>
.wall {{ font-family: {charts.FONT_FAMILY}; color: {TEXT}; }}
.wall-head {{ display: flex; align-items: flex-end; justify-content: space-between; gap: 24px;
  border-bottom: 2px solid {BORDER}; padding: 0 4px 10px 4px; }}
.wall-title {{ font-size: 46px; font-weight: 700; letter-spacing: 2px; line-height: 1.1; white-space: nowrap; }}
.wall-meta {{ font-size: 22px; color: {MUTED}; text-align: right; line-height: 1.45; }}
.wall-meta b {{ color: {TEXT}; font-weight: 600; }}
.wall-kpis {{ display: grid; grid-template-columns: repeat(8, minmax(0, 1fr)); gap: 12px; }}
.wall-kpi {{ background: {PANEL}; border: 1px solid {BORDER}; border-radius: 10px; padding: 10px 14px 10px 16px; }}
.wall-kpi.alert {{ border-color: {BAD}; box-shadow: inset 0 0 0 1px {BAD}; }}
.wall-kpi-label {{ font-size: 21px; color: {MUTED}; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
.wall-kpi-value {{ font-size: 56px; font-weight: 700; line-height: 1.12; font-variant-numeric: tabular-nums; }}
.wall-kpis.en .wall-kpi-label {{ font-size: 17px; }}
.wall-kpi-delta {{ font-size: 20px; color: {MUTED}; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
.wall-kpi-delta.bad {{ color: {BAD}; }} .wall-kpi-delta.good {{ color: {GOOD}; }}
.wall-card {{ background: {PANEL}; border: 1px solid {BORDER}; border-radius: 10px; padding: 12px 16px;
  overflow: hidden; }}
.wall-card-title {{ font-size: 26px; font-weight: 700; margin-bottom: 8px; }}
.wall-note {{ font-size: 22px; color: {MUTED}; padding: 8px 0; }}
.wall-pills {{ display: flex; gap: 10px; font-size: 20px; }}
.wall-pill {{ padding: 4px 16px; border-radius: 999px; border: 1px solid {BORDER}; color: {MUTED}; }}
.wall-pill.on {{ background: {ACCENT}; border-color: {ACCENT}; color: {BACKGROUND}; font-weight: 700; }}
.wall-arrival {{ border-bottom: 1px solid {BORDER}; padding: 8px 2px; }}
.wall-arrival:last-child {{ border-bottom: none; }}
.wall-arrival-top {{ display: flex; gap: 12px; align-items: baseline; font-size: 24px; white-space: nowrap; }}
.wall-arrival-sender {{ font-weight: 700; overflow: hidden; text-overflow: ellipsis; flex: 1 1 auto; min-width: 0; }}
.wall-arrival-kind {{ color: {ACCENT}; flex: none; }}
.wall-arrival-rows {{ flex: none; font-variant-numeric: tabular-nums; }}
.wall-arrival-bottom {{ display: flex; gap: 12px; font-size: 19px; color: {MUTED}; white-space: nowrap; }}
.wall-arrival-file {{ overflow: hidden; text-overflow: ellipsis; flex: 1 1 auto; min-width: 0; }}
.wall-bad {{ color: {BAD}; }}
.wall-table {{ width: 100%; border-collapse: collapse; font-size: 23px; table-layout: fixed; }}
.wall-table th {{ text-align: left; color: {MUTED}; font-weight: 600; font-size: 20px; padding: 6px 10px;
  border-bottom: 2px solid {BORDER}; }}
.wall-table td {{ padding: 9px 10px; border-bottom: 1px solid {BORDER}; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }}
.wall-table td.num, .wall-table th.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
</style>"""


# ---------------------------------------------------------------- header and figures


def header(title: str, lines: list[str]) -> str:
    """The title on the left, the period, as-of date, refresh time (and scope) on the right."""
    meta = "<br>".join(lines)
    return (f'<div class="wall wall-head"><div class="wall-title">{escape(title)}</div>'
            f'<div class="wall-meta">{meta}</div></div>')


def figure_text(name: str, value: float | None, lang: str) -> str:
    """A headline figure as shown: rates with one decimal, risk and counts as whole numbers (no
    thousands separator in Chinese: labels.whole_text)."""
    if value is None:
        return "—"
    return rate_text(value) if is_rate(name) else whole_text(value, lang)


def change_text(name: str, change: float | None, lang: str) -> tuple[str, str]:
    """(text, css class) of a figure's change since last month end: an arrow and the signed
    change (percentage points for rates); red when it is bad news, green when good."""
    if change is None:
        return t("wall.no_previous", lang), ""
    if abs(change) < 1e-9:
        return t("wall.unchanged", lang), ""
    arrow = "▲" if change > 0 else "▼"
    amount = (t("wall.pp", lang, n=f"{100 * change:+.1f}") if is_rate(name)
              else ("+" if change > 0 else "-") + whole_text(abs(change), lang))
    worse = (change > 0) == (name in WORSE_WHEN_UP)
    return f"{arrow} {amount}", "bad" if worse else "good"


def kpis(rows: dict[str, dict], shown: tuple[str, ...], supervision: tuple[int, int], lang: str) -> str:
    """The headline tiles (value and change) and the 挂牌督办 tile (in force, and due but not listed)."""
    tiles = []
    for name in shown:
        row = rows.get(name, {})
        delta, css = change_text(name, row.get("change"), lang)
        tiles.append(_tile(column_label(name, lang), figure_text(name, row.get("value"), lang), delta, css, name))
    in_force, due = supervision
    due_text = (t("wall.supervision_due", lang, n=whole_text(due, lang)) if due
                else t("wall.supervision_none_due", lang))
    tiles.append(_tile(t("wall.supervision", lang), whole_text(in_force, lang), due_text, "bad" if due else "",
                       "supervision", alert=bool(in_force or due)))
    return f'<div class="wall wall-kpis {escape(lang)}">{"".join(tiles)}</div>'


def _tile(label: str, value: str, delta: str, css: str, name: str, alert: bool = False) -> str:
    return (f'<div class="wall-kpi{" alert" if alert else ""}" data-figure="{escape(name)}">'
            f'<div class="wall-kpi-label">{escape(label)}</div><div class="wall-kpi-value">{escape(value)}</div>'
            f'<div class="wall-kpi-delta {css}">{escape(delta)}</div></div>')


def pills(panels: tuple[str, ...], current: str, lang: str) -> str:
    """Which panel is on, among those the screen rotates through."""
    items = "".join(f'<span class="wall-pill{" on" if p == current else ""}">'
                    f'{escape(t(f"wall.panel.{p}", lang))}</span>' for p in panels)
    return f'<div class="wall wall-pills" data-panel="{escape(current)}">{items}</div>'


def card(title: str, body: str, height: int, panel: str) -> str:
    return (f'<div class="wall wall-card" data-panel-part="{escape(panel)}" style="height:{height}px">'
            f'<div class="wall-card-title">{escape(title)}</div>{body}</div>')


def note(text: str) -> str:
    return f'<div class="wall-note">{escape(text)}</div>'


# ---------------------------------------------------------------- ledgers received


def _when(value, lang: str) -> str:
    """When a file was received, in words without the year (11月29日 20:19: labels.time_label)."""
    return time_label(value, lang, year=False) or "—"


def _kind(kind: str | None, lang: str) -> str:
    key = f"cli.kind.{kind}"
    from xiaoan.i18n import TEXT

    return t(key, lang) if key in TEXT else str(kind or "")


def arrivals_list(log: pl.DataFrame, lang: str) -> str:
    """The latest files received, newest first: sender, kind, records; file name and time."""
    items = []
    for row in log.iter_rows(named=True):
        sender = value_label(row.get("unit_name"), lang) or t("wall.arrivals.unknown_sender", lang)
        rejected = row.get("rejected") or 0
        status = row.get("load_status")
        rows = whole_text(row.get("rows_in") or 0, lang)
        failed = t("wall.arrivals.rejected", lang, n=whole_text(rejected, lang))
        extra = (f' <span class="wall-bad">{escape(failed)}</span>'
                 if rejected else "")
        if status and status != "loaded":
            extra += f' <span class="wall-bad">{escape(value_label(status, lang))}</span>'
        items.append(
            '<div class="wall-arrival">'
            f'<div class="wall-arrival-top"><span class="wall-arrival-sender">{escape(str(sender))}</span>'
            f'<span class="wall-arrival-kind">{escape(_kind(row.get("kind"), lang))}</span>'
            f'<span class="wall-arrival-rows">{escape(t("wall.arrivals.rows", lang, n=rows))}'
            f'</span></div><div class="wall-arrival-bottom"><span class="wall-arrival-file">'
            f'{escape(str(row.get("file") or ""))}</span>'
            f'<span>{escape(_when(row.get("finished_at"), lang))}</span>{extra}'
            '</div></div>')
    return "".join(items)


def arrivals_table(log: pl.DataFrame, lang: str) -> str:
    """The latest files received as a wide table (the arrivals panel)."""
    heads = [("col_time", "", 15), ("col_sender", "", 19), ("col_kind", "", 11), ("col_file", "", 29),
             ("col_rows", "num", 9), ("col_result", "", 17)]
    head = "".join(f'<th class="{css}" style="width:{w}%">{escape(t(f"wall.arrivals.{k}", lang))}</th>'
                   for k, css, w in heads)
    body = []
    for row in log.iter_rows(named=True):
        rejected = row.get("rejected") or 0
        status = row.get("load_status")
        result = value_label(status, lang) if status else ""
        if rejected:
            failed = t("wall.arrivals.rejected", lang, n=whole_text(rejected, lang))
            result = f'{escape(result)} <span class="wall-bad">{escape(failed)}</span>'
        else:
            result = escape(result)
        cells = [escape(_when(row.get("finished_at"), lang)),
                 escape(value_label(row.get("unit_name"), lang) or t("wall.arrivals.unknown_sender", lang)),
                 escape(_kind(row.get("kind"), lang)), escape(str(row.get("file") or "")),
                 whole_text(row.get("rows_in") or 0, lang), result]
        body.append("<tr>" + "".join(f'<td class="{css}">{c}</td>' for c, (_, css, _w) in zip(cells, heads)) + "</tr>")
    return f'<table class="wall wall-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def risk_table(per_school: pl.DataFrame, lang: str) -> str:
    """The towns by risk per school, riskiest first (the map's numbers, for those who cannot
    tell the colours apart)."""
    ordered = per_school.sort("risk_per_school", descending=True, nulls_last=True)
    heads = [("col_town", "", 40), ("col_schools", "num", 18), ("col_open", "num", 22), ("col_risk", "num", 20)]
    head = "".join(f'<th class="{css}" style="width:{w}%">{escape(t(f"wall.map.{k}", lang))}</th>'
                   for k, css, w in heads)
    body = []
    for row in ordered.iter_rows(named=True):
        risk = row.get("risk_per_school")
        cells = [escape(str(row.get("town_name") or row.get("town_code"))), whole_text(row.get("schools") or 0, lang),
                 whole_text(row.get("open_hazards") or 0, lang), "—" if risk is None else f"{risk:.1f}"]
        body.append("<tr>" + "".join(f'<td class="{css}">{c}</td>' for c, (_, css, _w) in zip(cells, heads)) + "</tr>")
    return f'<table class="wall wall-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


# ---------------------------------------------------------------- charts


def dark(fig: go.Figure, title: str, height: int) -> go.Figure:
    """The shared chart style (charts.styled: fonts, palette, inert labels) on the dark template,
    with type large enough to read across the room."""
    charts.styled(fig, title, height=height)
    fig.update_layout(template="plotly_dark", paper_bgcolor=PANEL, plot_bgcolor=PANEL,
                      font={"family": charts.FONT_FAMILY, "size": 20, "color": TEXT},
                      title={"font": {"size": 26, "color": TEXT}, "x": 0.01, "y": 0.98},
                      margin={"l": 16, "r": 16, "t": 64, "b": 16})
    return fig


def text_width(text: str, size: int) -> int:
    """About how many pixels `text` takes at `size` px: a CJK character a full em, others about half."""
    return round(sum(size if ord(c) >= 0x2E80 else 0.56 * size for c in text))


def grade_colours(grades: list[str]) -> dict[str, str]:
    """A colour per grade, best first, from the rules file's grades."""
    return {g: GRADE_COLOURS[min(i, len(GRADE_COLOURS) - 1)] for i, g in enumerate(grades)}


def ranking_rows(scores: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """The ranked units in order — all of them, or the top and bottom when there are more than
    MAX_BARS — and how many are ranked."""
    ranked = scores.filter(pl.col("rank").is_not_null() & pl.col("score").is_not_null()).sort("rank")
    if ranked.height <= MAX_BARS:
        return ranked, ranked.height
    half = MAX_BARS // 2
    return pl.concat([ranked.head(half), ranked.tail(half)]), ranked.height


def ranking(scores: pl.DataFrame, name: str, title: str, height: int, colours: dict[str, str],
            lang: str, decimals: int) -> go.Figure:
    """Ranked units as horizontal bars (first at the top), each with its score and grade. Scores
    are written with the rules file's [scores] decimals, those the ranks are computed on (88.84
    4th and 88.75 5th, never both 88.8), as the 通报 and the evaluation page write them."""
    shown, _ = ranking_rows(scores)
    labels = [f"{r}  {n}" for r, n in zip(shown["rank"], shown[name])]
    per_bar = (height - 72) / max(shown.height, 1)  # pixels a bar and its gap get
    size = 26 if per_bar >= 60 else 22 if per_bar >= 30 else 20 if per_bar >= 24 else 17
    texts = [t("wall.rank.bar", lang, score=widgets.number(s, decimals), grade=value_label(g, lang) if g else "—")
             for s, g in zip(shown["score"], shown["grade"])]
    fig = go.Figure(go.Bar(x=shown["score"].to_list(), y=labels, orientation="h", text=texts,
                           textposition="outside", cliponaxis=False, constraintext="none",
                           textfont={"size": size, "color": TEXT},
                           marker_color=[colours.get(g, MUTED) for g in shown["grade"]]))
    dark(fig, title, height)
    fig.update_traces(width=0.72)
    fig.update_yaxes(autorange="reversed", tickfont={"size": size}, automargin=True)
    # the scores are written on the bars: the axis keeps its grid (every 20 points), not its labels;
    # the right margin holds the longest text beyond a full bar
    fig.update_xaxes(range=[0, 100], showgrid=True, gridcolor=BORDER, tickvals=[0, 20, 40, 60, 80, 100],
                     showticklabels=False, zeroline=False)
    room = max((text_width(x, size) for x in texts), default=0) + 16
    fig.update_layout(bargap=0.25, showlegend=False, margin={"l": 16, "r": room, "t": 64, "b": 8})
    return fig


def town_map(shapes, per_school: pl.DataFrame, title: str, height: int, lang: str) -> go.Figure:
    """The town map of towns_map (offline polygons) coloured by risk per school, restyled dark
    with large town names."""
    names = dict(per_school.select("town_code", "town_name").iter_rows())
    values = {r["town_code"]: r["risk_per_school"] for r in per_school.iter_rows(named=True)
              if r["risk_per_school"] is not None}
    fig = towns_map.town_map(shapes, values, names, t("wall.map.hover", lang), t("wall.map.unit", lang))
    dark(fig, title, height)
    fig.update_traces(line={"color": BACKGROUND, "width": 2}, selector={"fill": "toself"})
    fig.update_annotations(font={"size": 19, "color": "#0B1220"}, bgcolor="rgba(241,245,251,0.85)", borderpad=3)
    fig.update_layout(plot_bgcolor=PANEL, margin={"l": 8, "r": 8, "t": 64, "b": 90})
    for trace in fig.data:
        if trace.marker is not None and trace.marker.showscale:
            # under the map, across: the polygons keep the panel's width
            trace.marker.colorbar = {"title": {"text": t("wall.map.unit", lang), "font": {"size": 18, "color": TEXT},
                                               "side": "top"},
                                     "orientation": "h", "x": 0.5, "xanchor": "center", "y": -0.01, "yanchor": "top",
                                     "tickfont": {"size": 16, "color": TEXT}, "thickness": 18, "len": 0.7,
                                     "outlinewidth": 0}
    return inert_figure(fig)
