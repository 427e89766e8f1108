"""The dated snapshot (`xiaoan export`): tables and metrics as Parquet, report.xlsx, report.html
and manifest.json in DIR/<as-of>/, written atomically. See pipelines/export/snapshot.py.

The names below load on first use, so that importing the `export` command (every `xiaoan`
invocation registers it) does not load polars and DuckDB."""

from __future__ import annotations

import importlib

__all__ = ["ExportError", "ExportResult", "export_snapshot"]


def __getattr__(name: str):
    if name in __all__:
        return getattr(importlib.import_module("pipelines.export.snapshot"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
