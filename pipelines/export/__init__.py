"""The dated snapshot (`xiaoan export`): tables and metrics as Parquet, report.xlsx, report.html
and manifest.json in DIR/<as-of>/, written atomically. See pipelines/export/snapshot.py."""

from __future__ import annotations

from pipelines.export.snapshot import ExportError, ExportResult, export_snapshot

__all__ = ["ExportError", "ExportResult", "export_snapshot"]
