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
MAPPING_ENV = "XIAOAN_MAPPING"
USERS_ENV = "XIAOAN_USERS"
LANG_ENV = "XIAOAN_LANG"
WALL_MIN_ENV = "XIAOAN_WALL_MIN_SECONDS"
DEFAULT_RULES = Path(__file__).resolve().parent / "rules.toml"
DEFAULT_MAP = DATA_DIR / "sample" / "towns.geojson"
DEFAULT_USERS = DATA_DIR / "users.toml"
SQL_MODELS_DIR = PROJECT_ROOT / "pipelines" / "models"


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


def wall_min_seconds() -> int | None:
    """$XIAOAN_WALL_MIN_SECONDS: a lower floor for the wall screen's `refresh=` and `rotate=`
    (whole seconds, 1 or more), so the browser test sees a refresh in seconds rather than in half
    a minute; it only ever lowers the floors (dashboard/wall_shell.py). Unset, as in a deployment: None."""
    text = os.environ.get(WALL_MIN_ENV, "").strip()
    return int(text) if text.isdigit() and int(text) >= 1 else None


def cli_lang() -> str:
    """The language of the `xiaoan` command's messages: $XIAOAN_LANG when it is `en`, else
    Chinese (the office's language)."""
    return "en" if os.environ.get(LANG_ENV, "").strip().lower() == "en" else "zh"
