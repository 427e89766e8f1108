"""Town polygons and school coordinates, in pure numpy.

The standard district's towns are the Voronoi cells of eight fixed seeds inside a fixed,
irregular district outline (each cell is the outline clipped by the bisectors to the other
seeds), so the polygons never overlap and never depend on the random seed. The large scale
tiles a province-sized box with a jittered grid of quadrilaterals.
"""

from __future__ import annotations

import json
import math

import numpy as np

# Standard district: centre, half-extent in degrees, outline radius factors (16 vertices).
_CENTRE = (111.25, 23.55)
_HALF = (0.30, 0.24)
_OUTLINE_RADII = (1.00, 0.93, 0.97, 1.05, 0.98, 0.90, 0.95, 1.02,
                  0.99, 0.92, 0.88, 0.96, 1.04, 0.97, 0.91, 0.95)
# One seed per standard town, in the order of names.STANDARD_TOWNS (城关镇 in the middle).
_TOWN_SEEDS = ((111.24, 23.56), (111.43, 23.66), (111.10, 23.70), (111.46, 23.48),
               (111.30, 23.37), (111.05, 23.52), (111.26, 23.73), (111.12, 23.39))

# Large scale: the province box (lon0, lat0, lon1, lat1).
_PROVINCE_BOX = (104.0, 22.0, 112.0, 29.5)


def _outline() -> np.ndarray:
    angles = np.linspace(0.0, 2 * math.pi, len(_OUTLINE_RADII), endpoint=False)
    r = np.asarray(_OUTLINE_RADII)
    return np.column_stack([_CENTRE[0] + _HALF[0] * r * np.cos(angles),
                            _CENTRE[1] + _HALF[1] * r * np.sin(angles)])


def _clip(poly: np.ndarray, normal: np.ndarray, offset: float) -> np.ndarray:
    """Keep the part of a polygon where normal · p <= offset (Sutherland–Hodgman, one edge)."""
    out = []
    n = len(poly)
    for i in range(n):
        p, q = poly[i], poly[(i + 1) % n]
        dp, dq = normal @ p - offset, normal @ q - offset
        if dp <= 0:
            out.append(p)
        if (dp < 0 < dq) or (dq < 0 < dp):
            out.append(p + (q - p) * (dp / (dp - dq)))
    return np.array(out)


def voronoi_cells(seeds: np.ndarray, outline: np.ndarray) -> list[np.ndarray]:
    """The cell of each seed: the outline clipped by the bisector to every other seed."""
    cells = []
    for i, s in enumerate(seeds):
        cell = outline
        for j, t in enumerate(seeds):
            if i != j:
                normal = t - s
                cell = _clip(cell, normal, float(normal @ (s + t) / 2))
        cells.append(cell)
    return cells


def _wiggle(p: np.ndarray, q: np.ndarray, pieces: int = 6, amplitude: float = 0.06) -> np.ndarray:
    """Points strictly between p and q along a gently wavy line.

    The wave depends only on the (unordered) pair of end points, so the two towns that share
    an edge get exactly the same boundary, walked in opposite directions.
    """
    a, b = np.round(p, 6), np.round(q, 6)
    flip = tuple(a) > tuple(b)
    if flip:
        a, b = b, a
    key = float(np.sin(a[0] * 12.9898 + a[1] * 78.233 + b[0] * 39.3467 + b[1] * 11.135))
    phase = (key * 43758.5453) % 1.0
    t = np.arange(1, pieces) / pieces
    offset = amplitude * np.sin(np.pi * t) * np.sin(2 * np.pi * (t + phase)) * 1.5
    d = b - a
    normal = np.array([-d[1], d[0]])
    pts = a + t[:, None] * d + offset[:, None] * normal
    return pts[::-1] if flip else pts


def _wavy(ring: np.ndarray) -> np.ndarray:
    out = []
    for p, q in zip(ring, np.roll(ring, -1, axis=0), strict=True):
        out.append(np.round(p, 6)[None, :])
        out.append(_wiggle(p, q))
    return np.vstack(out)


def standard_town_polygons() -> list[np.ndarray]:
    """The fixed polygons of the eight standard towns (counter-clockwise rings, open)."""
    return [_wavy(cell) for cell in voronoi_cells(np.asarray(_TOWN_SEEDS), _outline())]


def grid_town_quads(n_towns: int, rng: np.random.Generator) -> np.ndarray:
    """n_towns jittered grid quadrilaterals over the province box, shape (n_towns, 4, 2)."""
    lon0, lat0, lon1, lat1 = _PROVINCE_BOX
    cols = math.ceil(math.sqrt(n_towns * (lon1 - lon0) / (lat1 - lat0)))
    rows = math.ceil(n_towns / cols)
    dx, dy = (lon1 - lon0) / cols, (lat1 - lat0) / rows
    gx, gy = np.meshgrid(lon0 + dx * np.arange(cols + 1), lat0 + dy * np.arange(rows + 1))
    jitter = rng.uniform(-0.22, 0.22, size=(2, rows + 1, cols + 1))
    inner = np.zeros((rows + 1, cols + 1), dtype=bool)
    inner[1:-1, 1:-1] = True
    gx = gx + np.where(inner, jitter[0] * dx, 0.0)
    gy = gy + np.where(inner, jitter[1] * dy, 0.0)
    r, c = np.divmod(np.arange(n_towns), cols)
    corners = [(r, c), (r, c + 1), (r + 1, c + 1), (r + 1, c)]
    return np.stack([np.column_stack([gx[i, j], gy[i, j]]) for i, j in corners], axis=1)


def points_in_quads(quads: np.ndarray, which: np.ndarray,
                    rng: np.random.Generator) -> np.ndarray:
    """One point inside quads[which[k]] for every k (bilinear map of the unit square)."""
    u, v = rng.uniform(0.1, 0.9, size=(2, len(which)))
    q = quads[which]
    p = ((1 - u) * (1 - v))[:, None] * q[:, 0] + (u * (1 - v))[:, None] * q[:, 1] \
        + (u * v)[:, None] * q[:, 2] + ((1 - u) * v)[:, None] * q[:, 3]
    return p


def contains(poly: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """Even-odd test: which points lie inside the polygon."""
    x, y = pts[:, 0], pts[:, 1]
    inside = np.zeros(len(pts), dtype=bool)
    for (x1, y1), (x2, y2) in zip(poly, np.roll(poly, -1, axis=0), strict=True):
        crosses = (y1 > y) != (y2 > y)
        with np.errstate(divide="ignore", invalid="ignore"):
            xint = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
        inside ^= crosses & (x < xint)
    return inside


def points_in_polygon(poly: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """n random points inside a polygon, kept off its edge (shrunk towards its centroid)."""
    centre = poly.mean(axis=0)
    core = centre + 0.85 * (poly - centre)
    lo, hi = core.min(axis=0), core.max(axis=0)
    found = np.empty((0, 2))
    while len(found) < n:
        cand = rng.uniform(lo, hi, size=(4 * n + 8, 2))
        found = np.vstack([found, cand[contains(core, cand)]])
    return found[:n]


def towns_geojson(codes: list[str], names: list[str], rings: list[np.ndarray]) -> str:
    """A FeatureCollection with one Polygon per town, one feature per line."""
    features = []
    for code, name, ring in zip(codes, names, rings, strict=True):
        coords = [[round(float(x), 5), round(float(y), 5)] for x, y in ring]
        coords.append(coords[0])
        feature = {"type": "Feature",
                   "properties": {"town_code": code, "town_name": name},
                   "geometry": {"type": "Polygon", "coordinates": [coords]}}
        features.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(features) + "\n]}\n"
