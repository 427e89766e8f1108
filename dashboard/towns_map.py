"""The town map (镇域风险地图): the district's own GeoJSON drawn as filled polygons on plain x/y
axes with equal scale — no tiles, no geo subplot, nothing fetched from the network.

Each town is one go.Scatter(fill="toself") trace coloured from a sequential, colour-blind-safe
scale by its value (risk per school); a town without data is grey. Clicking a town returns
its code through the trace's customdata.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import plotly.colors as pc
import plotly.graph_objects as go
import streamlit as st

from dashboard.charts import NO_DATA_COLOUR, RISK_SCALE

CODE_KEYS = ("town_code", "code", "镇代码")
NAME_KEYS = ("town_name", "name", "镇名称")


@dataclass(frozen=True)
class TownShape:
    code: str | None
    name: str | None
    rings: tuple[tuple[tuple[float, float], ...], ...]  # outer rings (one per polygon part)


@st.cache_data(show_spinner=False)
def load_shapes(path: str, mtime: float) -> list[TownShape]:
    """The towns of a GeoJSON FeatureCollection (Polygon or MultiPolygon; holes are ignored)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    shapes = []
    for feature in data.get("features", []):
        props = feature.get("properties") or {}
        geometry = feature.get("geometry") or {}
        if geometry.get("type") == "Polygon":
            parts = [geometry["coordinates"]]
        elif geometry.get("type") == "MultiPolygon":
            parts = geometry["coordinates"]
        else:
            continue
        rings = tuple(tuple((float(x), float(y)) for x, y, *_ in part[0]) for part in parts if part)
        code = next((str(props[k]) for k in CODE_KEYS if props.get(k)), None)
        name = next((str(props[k]) for k in NAME_KEYS if props.get(k)), None)
        shapes.append(TownShape(code, name, rings))
    return shapes


def shapes_for(path: Path) -> list[TownShape] | None:
    """The shapes of the configured map file, or None when there is none or it is unreadable."""
    try:
        return load_shapes(str(path), path.stat().st_mtime)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def colour_for(value: float | None, vmax: float) -> str:
    if value is None:
        return NO_DATA_COLOUR
    scale = pc.get_colorscale(RISK_SCALE)
    return pc.sample_colorscale(scale, [0.0 if vmax <= 0 else min(value / vmax, 1.0)])[0]


def town_map(shapes: list[TownShape], values: dict[str, float], names: dict[str, str],
             hover: str, colourbar_title: str) -> go.Figure:
    """Filled town polygons coloured by `values` (keyed by town code, matched by code or name).

    `hover` is a format string with {name} and {value}; towns with no value read "—"."""
    by_name = {name: code for code, name in names.items()}
    vmax = max(values.values(), default=0.0)
    fig = go.Figure()
    for shape in shapes:
        code = shape.code if shape.code in names else by_name.get(shape.name or "", shape.code)
        value = values.get(code) if code else None
        name = names.get(code, shape.name or code or "")
        text = hover.format(name=name, value="—" if value is None else f"{value:.2f}")
        for ring in shape.rings:
            xs, ys = zip(*ring)
            fig.add_trace(go.Scatter(
                x=list(xs), y=list(ys), fill="toself", mode="lines", fillcolor=colour_for(value, vmax),
                line={"color": "#444444", "width": 1}, name=name, customdata=[code] * len(xs),
                hoveron="fills+points", hovertemplate=text + "<extra></extra>", text=name, showlegend=False,
            ))
        cx, cy = _label_point(shape.rings)
        fig.add_trace(go.Scatter(x=[cx], y=[cy], mode="markers", customdata=[code], marker={"size": 44, "opacity": 0.01},
                                 selected={"marker": {"opacity": 0.01}}, unselected={"marker": {"opacity": 0.01}},
                                 hovertemplate=text + "<extra></extra>", showlegend=False))
        fig.add_annotation(x=cx, y=cy, text=name, showarrow=False, font={"size": 12, "color": "#111111"},
                           bgcolor="rgba(255,255,255,0.75)", borderpad=2)
    # An invisible trace carries the colour bar.
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", showlegend=False, hoverinfo="skip",
                             marker={"colorscale": RISK_SCALE, "cmin": 0, "cmax": vmax or 1, "color": [0],
                                     "showscale": True, "colorbar": {"title": {"text": colourbar_title}}}))
    fig.update_xaxes(visible=False, showgrid=False, zeroline=False)
    fig.update_yaxes(visible=False, showgrid=False, zeroline=False, scaleanchor="x", scaleratio=1)
    fig.update_layout(plot_bgcolor="white", clickmode="event+select", dragmode=False)
    return fig


def _label_point(rings) -> tuple[float, float]:
    """Where the town's name goes: the centre of its largest part's vertices."""
    ring = max(rings, key=len)
    xs, ys = zip(*ring)
    return sum(xs) / len(xs), sum(ys) / len(ys)
