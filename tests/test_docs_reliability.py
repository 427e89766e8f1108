"""docs/reliability.md and docs/security.md say what the tests do: the counts in the table are
the tests' own numbers, and every test the table names exists."""

from __future__ import annotations

import re
from pathlib import Path

from tests import test_access, test_concurrent_reads, test_crash_recovery, test_ingest_fuzz, test_ingest_hostile, test_injection

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")


def test_the_reliability_table_carries_the_tests_numbers(tmp_path):
    c = test_crash_recovery
    assert f"**{c.INGEST_KILLS}** `xiaoan ingest`, **{c.EXPORT_KILLS}** `xiaoan export`, **{c.REBUILD_KILLS}** `xiaoan rebuild`" in DOC
    assert c.INGEST_KILLS + c.EXPORT_KILLS >= c.MIN_KILLS >= 50
    assert f"**{test_concurrent_reads.LOADS}** ingests" in DOC
    assert f"**{test_ingest_fuzz.EXAMPLES * test_ingest_fuzz.FILES_PER_BATCH}** files a run" in DOC
    assert f"**{len(test_injection.PAYLOADS)}** payloads" in DOC
    assert f"**{len(test_ingest_hostile.hostile_files(tmp_path))}**: " in DOC
    assert f"all **{len(test_access.PAGES)}** pages with **{len(test_access.HOSTILE_PARAMS)}** forged URL parameters and " \
           f"**{len(test_access.HOSTILE_WIDGETS)}** forged widget values" in DOC


def test_every_test_the_documents_name_exists():
    named = set(re.findall(r"`(tests/test_\w+\.py)(?:::(\w+))?`", DOC))
    assert named
    for path, function in named:
        source = (ROOT / path).read_text(encoding="utf-8")
        assert not function or f"def {function}(" in source, (path, function)
    security = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    assert "tests/test_access.py" in security and "xiaoan user add" in security
