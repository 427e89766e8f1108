"""Shared fixtures: a warehouse in a temporary folder, built through real ingestion of
files the tests generate (tests/builders.py)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from pipelines.publish import IngestResult, ingest
from tests import builders
from xiaoan.warehouse import open_read_only


@pytest.fixture(autouse=True)
def no_users_file(tmp_path_factory, monkeypatch):
    """Tests run without login unless they configure users themselves: a users file on the
    developer's machine (data/users.toml) must not change what the dashboard tests see."""
    monkeypatch.setenv("XIAOAN_USERS", str(tmp_path_factory.getbasetemp() / "no-users.toml"))


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    """An empty warehouse path in its own folder (its archive goes beside it)."""
    return tmp_path / "wh" / "warehouse.duckdb"


@pytest.fixture
def registry_file(tmp_path: Path) -> Path:
    return builders.registry_workbook(tmp_path / "登记册.xlsx")


@pytest.fixture(scope="session")
def registry_warehouse(tmp_path_factory) -> Path:
    """The small registry loaded once per session; tests get a copy of its folder."""
    root = tmp_path_factory.mktemp("registry-wh")
    registry = builders.registry_workbook(root / "登记册.xlsx")
    ingest([registry], root / "wh" / "warehouse.duckdb")
    return root / "wh"


@pytest.fixture
def load(warehouse: Path, registry_warehouse: Path):
    """load(*files, report_date=None) → IngestResult, with the small registry already loaded."""
    shutil.copytree(registry_warehouse, warehouse.parent)

    def _load(*files: Path, report_date: dt.date | None = None) -> IngestResult:
        return ingest(list(files), warehouse, report_date)

    return _load


@pytest.fixture
def query(warehouse: Path):
    """query(sql, *params) → list of tuples, read-only against the published warehouse."""

    def _query(sql: str, *params):
        con = open_read_only(warehouse)
        try:
            return con.sql(sql, params=list(params) if params else None).fetchall()
        finally:
            con.close()

    return _query


def pytest_make_parametrize_id(config, val, argname):
    """A bytes parameter is named by its size. Its content may be random (os.urandom), and
    `make test`'s workers (pytest-xdist) must each collect the same test names."""
    if isinstance(val, (bytes, bytearray)):
        return f"{len(val)}-bytes"
    return None


def pytest_collection_modifyitems(config, items):
    """Under `make test`'s workers: the files with a slow or browser test first. The workers are
    handed whole files in this order (--dist loadfile --no-loadscope-reorder), so the longest
    start first rather than run alone at the end. The order within each file stays."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    long = {item.path for item in items if item.get_closest_marker("slow") or item.get_closest_marker("browser")}
    items.sort(key=lambda item: item.path not in long)
