"""What every page needs from the session: the warehouse reader, the language, the viewer.

The reader is cached once per process (st.cache_resource). It attaches the published
warehouse read-only and follows newly published versions by itself, so ingestion never
meets a lock and the app never needs a restart; query caches are keyed on the version.
"""

from __future__ import annotations

import streamlit as st

from pipelines.catalog import declared_macros, declared_marts
from xiaoan import config
from xiaoan.i18n import DEFAULT_LANG, LANGS
from xiaoan.warehouse import Reader, WarehouseMissing, readiness

LANG_KEY = "lang"


@st.cache_resource(show_spinner=False)
def _reader_for(path: str) -> Reader:
    return Reader(path)


def reader() -> Reader:
    """The process-wide reader of the configured warehouse ($XIAOAN_WAREHOUSE)."""
    return _reader_for(str(config.warehouse_path()))


def version() -> tuple[int, int, int]:
    """The identity of the published version: part of every cache key."""
    return reader().version


def warehouse_state() -> str:
    """'missing' (no file), else xiaoan.warehouse.readiness against the marts and macros
    pipelines/catalog.py reads from this version's models: 'empty' (nothing loaded or no
    schools yet), 'outdated' (built by another version: `xiaoan rebuild`) or 'ready'."""
    try:
        cur = reader().cursor()
    except WarehouseMissing:
        return "missing"
    try:
        return readiness(cur, declared_marts(), declared_macros())
    finally:
        cur.close()


def lang() -> str:
    """The interface language of this session: 'zh' (default) or 'en'."""
    value = st.session_state.get(LANG_KEY, DEFAULT_LANG)
    return value if value in LANGS else DEFAULT_LANG
