"""Labels for what the data holds: column names and the fixed vocabularies (categories,
levels, statuses, school types…) in the interface language.

Column labels reuse the shared `col.*` keys of xiaoan/i18n.py (the export's Chinese
headers), then the dashboard's own `dash.col.*`; values use `dash.val.<value>`. Data
values stay as stored (Chinese) everywhere else: only what is shown is translated.
"""

from __future__ import annotations

import polars as pl

from xiaoan.i18n import TEXT, t

# Columns whose values come from a fixed vocabulary and are shown translated.
VOCABULARY_COLUMNS = ("category", "level", "status", "school_type", "ownership", "meeting_type",
                      "inspection_type", "meeting_level", "load_status", "unit_name", "unit_kind")


def column_label(name: str, lang: str) -> str:
    for key in (f"col.{name}", f"dash.col.{name}"):
        if key in TEXT:
            return t(key, lang)
    return name


def value_label(value: object, lang: str) -> str:
    """A vocabulary value in the interface language (unknown values are shown as they are)."""
    if value is None:
        return ""
    key = f"dash.val.{value}"
    return t(key, lang) if key in TEXT else str(value)


def _vocabulary(values: pl.Series, lang: str) -> dict[str, str]:
    return {v: value_label(v, lang) for v in values.unique().drop_nulls().to_list()}


def for_display(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Vocabulary values translated and columns renamed to their labels, for tables and files."""
    frame = frame.with_columns(
        pl.col(c).replace_strict(_vocabulary(frame[c], lang), default=pl.col(c), return_dtype=pl.String)
        for c in VOCABULARY_COLUMNS if c in frame.columns and frame.schema[c] == pl.String
    )
    labels = {c: column_label(c, lang) for c in frame.columns}
    seen: dict[str, int] = {}
    for c, label in labels.items():  # two columns may share a label: keep names unique
        seen[label] = seen.get(label, 0) + 1
        if seen[label] > 1:
            labels[c] = f"{label} ({c})"
    return frame.rename(labels)
