"""What hand-typed ledgers do to clean values, vectorised with polars.

Dates typed in several ways, full-width characters, stray spaces, blank rows, a 合计 totals
row, columns in another order. Functions that draw take the random generator explicitly.
"""

from __future__ import annotations

import numpy as np
import polars as pl

DATE_FORMATS = {
    "iso": "%Y-%m-%d",
    "slash": "%Y/%-m/%-d",
    "dot": "%Y.%-m.%-d",
    "cn": "%Y年%-m月%-d日",
}
STYLE_CODES = {name: i for i, name in enumerate(DATE_FORMATS)}
# "excel" dates stay ISO text in the frame; the workbook writers turn them into date cells.
EXCEL = "excel"
_HALF = "0123456789-ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_FULL = "０１２３４５６７８９－ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ"


def date_text(col: str, styles: np.ndarray) -> pl.Expr:
    """The date column as text, each row in its style (an index into DATE_FORMATS)."""
    expr = pl.col(col)
    style = pl.Series(styles)
    out = expr.dt.strftime(DATE_FORMATS["iso"])
    for name, fmt in DATE_FORMATS.items():
        if name != "iso" and (styles == STYLE_CODES[name]).any():
            out = pl.when(style == STYLE_CODES[name]).then(expr.dt.strftime(fmt)).otherwise(out)
    return out


def date_styles(rng: np.random.Generator, n: int, main: str, mix: float) -> np.ndarray:
    """Per-row style codes: `main` for most rows, a share `mix` typed in other ways."""
    others = np.array([code for name, code in STYLE_CODES.items() if name != main])
    styles = np.full(n, STYLE_CODES[main])
    alt = rng.random(n) < mix
    styles[alt] = rng.choice(others, size=int(alt.sum()))
    return styles


def fullwidth(expr: pl.Expr, mask: np.ndarray) -> pl.Expr:
    """Digits, letters and hyphens as full-width characters in the masked rows."""
    wide = expr.str.replace_many(list(_HALF), list(_FULL))
    return pl.when(pl.Series(mask)).then(wide).otherwise(expr)


def stray_spaces(expr: pl.Expr, mask: np.ndarray) -> pl.Expr:
    """A space before and two after the text, in the masked rows."""
    return pl.when(pl.Series(mask)).then(pl.concat_str(pl.lit(" "), expr, pl.lit("  "))) \
        .otherwise(expr)


def sprinkle(rng: np.random.Generator, n: int, rate: float) -> np.ndarray:
    """A random mask that is true in about `rate` of n rows."""
    return rng.random(n) < rate


def with_blank_rows(frame: pl.DataFrame, rng: np.random.Generator, k: int) -> pl.DataFrame:
    """The frame with k all-empty rows at random places (never first)."""
    if k <= 0 or frame.height < 2:
        return frame
    at = np.sort(rng.choice(np.arange(1, frame.height), size=min(k, frame.height - 1),
                            replace=False))
    order = pl.Series(np.insert(np.arange(frame.height), at, -1))
    order = pl.select(pl.when(order >= 0).then(order)).to_series()
    return frame.select(pl.all().gather(order))


def with_totals(frame: pl.DataFrame, count: int,
                sums: dict[str, int] | None = None) -> pl.DataFrame:
    """The frame with a 合计 row at the bottom: 合计 in the first text column, the row count
    in the next one, and some column sums."""
    text = [c for c in frame.columns if frame.schema[c] == pl.String]
    row: dict[str, object] = {c: None for c in frame.columns}
    row[text[0]] = "合计"
    if len(text) > 1:
        row[text[1]] = f"共{count}条"
    row.update(sums or {})
    totals = pl.DataFrame({c: pl.Series([row[c]], dtype=frame.schema[c]) for c in frame.columns})
    return pl.concat([frame, totals])


def shuffled(columns: list[str], rng: np.random.Generator,
             groups: dict[str, str] | None = None) -> list[str]:
    """Columns in a random order; with groups, members of a group stay side by side."""
    if not groups:
        return [columns[i] for i in rng.permutation(len(columns))]
    blocks: list[list[str]] = []
    for c in columns:
        g = groups.get(c)
        if g and blocks and groups.get(blocks[-1][0]) == g:
            blocks[-1].append(c)
        else:
            blocks.append([c])
    blocks = [[b[i] for i in rng.permutation(len(b))] for b in blocks]
    order = rng.permutation(len(blocks))
    return [c for i in order for c in blocks[i]]
