"""Where a native reader's panic text goes (issue 14): the CLI sends it away from the clerk's
terminal (fd 2 redirected while a file is read); a server that reads uploads in its own process
turns that off with readers.redirect_native_stderr(False), and then fd 2 is left alone — the
file is rejected with its reason all the same. Each case runs in a process of its own, since
fd 2 is the whole process's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests import builders
from tests.builders import HAZARD_HEADERS, hazard

ROOT = Path(__file__).resolve().parent.parent

READ = """
import os, sys
from pathlib import Path
from pipelines.ingest import readers
if sys.argv[2] == "keep":
    assert readers.redirect_native_stderr(False) is True
path = Path(sys.argv[1])
try:
    readers.read_sheets(path, path.read_bytes())
except readers.UnreadableFile as exc:
    print("rejected:", exc)
os.write(2, b"server log line\\n")  # after the read: fd 2 is the process's own again
with readers.quiet_native_stderr():
    os.write(2, b"written while reading\\n")
"""


def read_in_child(path: Path, mode: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", READ, str(path), mode], capture_output=True, text=True, cwd=ROOT, timeout=120)


@pytest.fixture
def panicking(tmp_path: Path) -> Path:
    """A ledger with a number far below zero formatted as a date: calamine panics on it."""
    return builders.xlsx_with_cells(tmp_path / "dates.xlsx", HAZARD_HEADERS, [hazard("D1")], [(1, 6, -1e20, True)])


def test_by_default_the_panic_text_goes_nowhere_and_the_file_is_rejected(panicking):
    done = read_in_child(panicking, "quiet")
    assert done.returncode == 0, done.stderr
    assert "rejected:" in done.stdout
    assert "panicked" not in done.stderr and "written while reading" not in done.stderr
    assert "server log line" in done.stderr


def test_with_the_redirect_off_fd_2_is_left_alone_and_the_file_is_still_rejected(panicking):
    done = read_in_child(panicking, "keep")
    assert done.returncode == 0, done.stderr
    assert "rejected:" in done.stdout
    assert "panicked" in done.stderr  # the server's own log shows what the reader said
    assert "written while reading" in done.stderr and "server log line" in done.stderr


def test_a_good_workbook_reads_the_same_either_way(tmp_path):
    from pipelines.ingest import readers

    path = builders.xlsx(tmp_path / "good.xlsx", HAZARD_HEADERS, [hazard("H1"), hazard("H2")])
    quiet = readers.read_sheets(path, path.read_bytes())
    previous = readers.redirect_native_stderr(False)
    try:
        kept = readers.read_sheets(path, path.read_bytes())
    finally:
        readers.redirect_native_stderr(previous)
    assert len(quiet) == len(kept) == 1
    assert quiet[0].grid.equals(kept[0].grid) and quiet[0].grid.height == 3
