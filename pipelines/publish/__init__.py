"""Publishing: one batch of files becomes one warehouse version (batch.py: lock → archive →
load → build → precompute → swap), and `xiaoan rebuild` replays the archive (rebuild.py).
The entry points are ingest(paths, warehouse, …) here and rebuild(warehouse); a caller that
wants to know the files first (the command line counts them for its progress bar and says when
there are none) takes ledger_files(paths) and hands that list to ingest_files(), so the folders
are walked once."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from pipelines.ingest.load import IngestResult, Offered, expand, not_regular
from pipelines.publish.batch import publish_batch
from pipelines.publish.build import SchemaError
from pipelines.publish.rebuild import RebuildResult, rebuild
from xiaoan.i18n import t

__all__ = ["IngestResult", "RebuildResult", "SchemaError", "ingest", "ingest_files", "ledger_files", "rebuild"]


def ingest(
    paths: list[Path],
    warehouse: Path,
    report_date: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> IngestResult:
    """Load files into the warehouse and publish the new version. Files that cannot even be
    opened are reported as rejected; the others go on."""
    return ingest_files(ledger_files(paths), warehouse, report_date, progress)


def ledger_files(paths: list[Path]) -> list[Path]:
    """The files offered by these paths: files as given, and the spreadsheets under folders."""
    return expand([Path(p) for p in paths])


def ingest_files(
    files: list[Path],
    warehouse: Path,
    report_date: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> IngestResult:
    """ingest() of the files ledger_files() found, each offered as it is (no folder walked again)."""
    started = time.monotonic()
    today = dt.date.today()
    offered = []
    for seq, path in enumerate(files):
        refused = not_regular(path)
        data = b""
        if refused is None:
            try:
                data = path.read_bytes()
            except OSError as exc:
                refused = f"{t('file.not_found')}: {exc.strerror or exc}"
        offered.append(Offered(str(path), data, report_date, report_date or today, seq, refused=refused))
    batch_id = uuid.uuid4().hex
    reports, published = publish_batch(warehouse, offered, batch_id, time.time_ns(), progress)
    return IngestResult(warehouse, reports, published, time.monotonic() - started)
