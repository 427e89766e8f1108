"""Texts of importer (issue 14)."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
}
