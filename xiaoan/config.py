"""Paths and defaults, in one place.

Every path the product uses is derived here; nothing else hard-codes a location.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_WAREHOUSE = DATA_DIR / "warehouse.duckdb"
WAREHOUSE_ENV = "XIAOAN_WAREHOUSE"
RULES_ENV = "XIAOAN_RULES"
MAP_ENV = "XIAOAN_MAP"
USERS_ENV = "XIAOAN_USERS"
DEFAULT_RULES = Path(__file__).resolve().parent / "rules.toml"
DEFAULT_MAP = DATA_DIR / "sample" / "towns.geojson"
DEFAULT_USERS = DATA_DIR / "users.toml"
SQL_MODELS_DIR = PROJECT_ROOT / "pipelines" / "models"

# Limits on what one file may hold (hostile input). A file beyond them is rejected whole.
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_SHEETS = 200
MAX_ROWS_PER_SHEET = 2_000_000
MAX_CELL_CHARS = 5_000
MAX_COLUMNS = 1_000
# Rows × columns of the rectangle a sheet's cells span: the reader allocates all of it, so a few
# cells far apart (A1 and XFD1048576) would take hundreds of GB. ~1 million rows × 40 columns.
MAX_SHEET_CELLS = 40_000_000
# An .xlsx is a zip: refuse one whose members would inflate beyond this (decompression bomb).
MAX_XLSX_UNCOMPRESSED_BYTES = 2 * 1024 * 1024 * 1024
MAX_XLSX_RATIO = 200
# A sheet whose rows reach this many rows beyond the rows that hold cells (a stray cell at row
# 1,048,576 under a small ledger) is compacted before it is read: runs of more than
# COMPACT_GAP_ROWS blank rows are dropped, and each row keeps its Excel row number.
COMPACT_MIN_SAVED_ROWS = 10_000
COMPACT_GAP_ROWS = 100
# One file's reading and checking may take this long; a reader still busy then is abandoned
# (its thread left to finish on its own) and the file rejected whole.
MAX_FILE_SECONDS = 300
# Cells held in memory at once during a load: files are read and checked in groups under
# this budget (one file larger than it is a group of its own), so that a load's memory does
# not grow with its number of files.
MAX_HELD_CELLS = 4_000_000


def warehouse_path(explicit: str | os.PathLike | None = None) -> Path:
    """The warehouse file: the explicit path, else $XIAOAN_WAREHOUSE, else data/warehouse.duckdb."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get(WAREHOUSE_ENV)
    if env:
        return Path(env).expanduser().resolve()
    return DEFAULT_WAREHOUSE


def archive_dir(warehouse: Path) -> Path:
    """The archive of accepted files: the folder `raw/` beside the warehouse file."""
    return warehouse.parent / "raw"


def users_path() -> Path:
    """Who may log in to the dashboard (xiaoan/access.py): $XIAOAN_USERS, else data/users.toml
    (outside git, like all of data/)."""
    env = os.environ.get(USERS_ENV)
    return Path(env).expanduser() if env else DEFAULT_USERS


def rules_path(explicit: str | os.PathLike | None = None) -> Path:
    if explicit:
        return Path(explicit)
    env = os.environ.get(RULES_ENV)
    return Path(env) if env else DEFAULT_RULES


def map_path() -> Path:
    env = os.environ.get(MAP_ENV)
    return Path(env) if env else DEFAULT_MAP
