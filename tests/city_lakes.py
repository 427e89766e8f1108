"""Building city lakes from real sample districts in the test process (issue 17's tests).

`xiaoan(...)` runs a command of the command line through its typer app (typer's CliRunner: the
command's own code — option parsing, the --lake step of `export` — without starting Python
again). `without_report_files()` lets `export` write the snapshot's Parquet tables and
manifest.json, which are all that `export --lake` puts in the lake, but not report.xlsx,
report.html and bulletin.docx, which no city test reads (tests/test_export*.py and
tests/test_documents_bulletin.py test them). Each test file that builds a lake this way still
runs a real `xiaoan export --lake` subprocess somewhere (test_lake, test_city_rollup's real_lake).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from pipelines.export import snapshot
from xiaoan_cli.app import app


def xiaoan(*argv: str) -> str:
    """`xiaoan ARGV...` in this process; its output. Fails the test unless it exits 0."""
    result = CliRunner().invoke(app, list(argv))
    assert result.exit_code == 0 and result.exception is None, (argv, result.output, result.exception)
    return result.output


@contextlib.contextmanager
def without_report_files() -> Iterator[None]:
    """While inside: export_snapshot (and so `xiaoan export`) writes the Parquet tables and the
    manifest but not the report workbook or the HTML report, and an empty bulletin.docx."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(snapshot, "write_bulletin", lambda *args, **kwargs: b"")
        patch.setattr(snapshot, "write_report_xlsx", lambda *args, **kwargs: {})
        patch.setattr(snapshot, "write_report_html", lambda *args, **kwargs: None)
        yield
