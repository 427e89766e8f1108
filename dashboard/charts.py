"""The look of every chart: colour-blind-safe palettes, titles with units, the CJK font.

Categorical colours are Okabe–Ito (distinguishable with every common colour-vision
deficiency); risk scales are ColorBrewer YlOrRd (sequential, colour-blind safe); the target
line is black and dashed so it does not depend on colour at all.
"""

from __future__ import annotations

import plotly.graph_objects as go

from xiaoan.inert import inert_figure

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
RISK_SCALE = "YlOrRd"
COVERAGE_SCALE = "Blues"
TARGET_COLOUR = "#000000"
NO_DATA_COLOUR = "#DDDDDD"
# Fonts that carry Chinese first (Noto CJK on Linux, PingFang/YaHei on desktops).
FONT_FAMILY = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"


def styled(fig: go.Figure, title: str, height: int = 380, *, unit: str | None = None, **layout: object) -> go.Figure:
    """Title, font, palette and margins shared by every chart; the names and texts of its
    traces (town, school, unit names from the registry) shown as typed, never as markup. The
    unit is a note under the title (单位：分), never a bracket in it (…得分排名（分）)."""
    inert_figure(fig)
    heading: dict = {"text": title, "x": 0, "xanchor": "left", "y": 0.99, "yanchor": "top", "font": {"size": 16}}
    if unit:
        heading["subtitle"] = {"text": unit, "font": {"size": 12, "color": "#555555"}}
    fig.update_layout(
        title=heading,
        font={"family": FONT_FAMILY, "size": 13},
        colorway=list(OKABE_ITO),
        height=height,
        margin={"l": 10, "r": 10, "t": 84, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.01, "xanchor": "left", "x": 0},
        **layout,
    )
    return fig


def percent_axis(fig: go.Figure, axis: str = "yaxis") -> go.Figure:
    """A 0–100 % axis for rates kept as fractions."""
    fig.update_layout({axis: {"tickformat": ".0%", "range": [0, 1.05]}})
    return fig


def counts_axis(fig: go.Figure, axis: str = "yaxis") -> go.Figure:
    """Whole-number ticks for an axis of counts."""
    fig.update_layout({axis: {"tickformat": ",d", "rangemode": "tozero", "tick0": 0, "dtick": None}})
    fig.update_layout({axis: {"tickmode": "auto", "nticks": 6}})
    return fig


def target_line(fig: go.Figure, target: float, label: str) -> go.Figure:
    """A dashed black horizontal line at the target rate, labelled."""
    fig.add_hline(y=target, line_dash="dash", line_color=TARGET_COLOUR, line_width=2,
                  annotation_text=label, annotation_position="top right",
                  annotation_bgcolor="rgba(255,255,255,0.85)", annotation_font_color=TARGET_COLOUR)
    return fig


def heatmap(z: list[list[float]], rows: list[str], cols: list[str], customdata: list[list[list[str]]],
            hover: str, colourbar_title: str, scale: str = RISK_SCALE, text_format: str = ".0f") -> go.Figure:
    """A matrix with its values written in the cells (so colour is never the only cue).

    Plotly heatmaps cannot be selected, so an invisible square marker sits on every cell:
    clicking a cell selects that marker, whose customdata (`customdata[i][j]`) names the cell."""
    fig = go.Figure(go.Heatmap(
        z=z, x=cols, y=rows, colorscale=scale, zmin=0, texttemplate="%{z:" + text_format + "}", hoverinfo="skip",
        colorbar={"title": {"text": colourbar_title}}, xgap=2, ygap=2,
    ))
    cells = [(i, j) for i in range(len(rows)) for j in range(len(cols))]
    fig.add_trace(go.Scatter(
        x=[cols[j] for _, j in cells], y=[rows[i] for i, _ in cells], mode="markers",
        customdata=[customdata[i][j] for i, j in cells], text=[z[i][j] for i, j in cells],
        marker={"symbol": "square", "size": 30, "opacity": 0.01, "color": "#000000"},
        selected={"marker": {"opacity": 0.01}}, unselected={"marker": {"opacity": 0.01}},
        hovertemplate=hover.replace("%{z", "%{text") + "<extra></extra>", showlegend=False,
    ))
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", side="top")
    fig.update_layout(clickmode="event+select", plot_bgcolor="white", dragmode=False, hovermode="closest")
    return fig


def top_axis_room(fig: go.Figure) -> go.Figure:
    """Room between the title and x-axis labels drawn on top."""
    fig.update_layout(margin={"t": 110})
    return fig
