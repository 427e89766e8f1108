"""Publishing: one batch of files becomes one warehouse version (batch.py: lock → archive →
load → build → precompute → swap), and `xiaoan rebuild` replays the archive (rebuild.py).
The entry points are ingest(paths, warehouse, …) here and rebuild(warehouse); a caller that
wants to know the files first (the command line counts them for its progress bar and says when
there are none) takes ledger_files(paths) and hands that list to ingest_files(), so the folders
are walked once.

Files are read under the rules file in force and the office's mapping (`mapping`: a path, default
$XIAOAN_MAPPING, else mapping.toml beside the warehouse), checked against the contract before
anything is read (pipelines/ingest/mapping_check.py: a broken mapping stops the load with a
message naming the file and the entry). `rebuild` reads every archived file again with the
current mapping and the current rules."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.ingest import load
from pipelines.ingest.load import Offered, expand, not_regular
from pipelines.publish.batch import ZERO_REPORT, Outcome, load_context, publish_batch
from pipelines.publish.build import SchemaError
from pipelines.publish.rebuild import RebuildResult, rebuild
from xiaoan.i18n import t
from xiaoan.mapping import MappingError

__all__ = ["IngestResult", "MappingError", "RebuildResult", "SchemaError", "ZERO_REPORT", "ingest", "ingest_files",
           "ledger_files", "load_context", "rebuild"]


@dataclass
class IngestResult(load.IngestResult):
    """A load's files and, for each (same order), its ingest id and most frequent rejection
    reasons; the batch id names the load (its receipts folder, the ingest log's batch_id)."""

    batch_id: str = ""
    outcomes: list[Outcome] = field(default_factory=list)


def ingest(
    paths: list[Path],
    warehouse: Path,
    report_date: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
    mapping: Path | None = None,
) -> IngestResult:
    """Load files into the warehouse and publish the new version. Files that cannot even be
    opened are reported as rejected; the others go on."""
    return ingest_files(ledger_files(paths), warehouse, report_date, progress, mapping)


def ledger_files(paths: list[Path]) -> list[Path]:
    """The files offered by these paths: files as given, and the spreadsheets under folders."""
    return expand([Path(p) for p in paths])


def ingest_files(
    files: list[Path],
    warehouse: Path,
    report_date: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
    mapping: Path | None = None,
) -> IngestResult:
    """ingest() of the files ledger_files() found, each offered as it is (no folder walked again).
    MappingError (before anything is read) when the office's mapping cannot be used."""
    started = time.monotonic()
    ctx = load_context(warehouse, mapping)
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
    outcomes: dict[int, Outcome] = {}
    reports, published = publish_batch(warehouse, offered, batch_id, time.time_ns(), progress, ctx=ctx, outcomes=outcomes)
    found = [outcomes.get(seq, Outcome(0)) for seq in sorted(outcomes)] if published else [Outcome(0) for _ in reports]
    return IngestResult(warehouse, reports, published, time.monotonic() - started, batch_id if published else "", found)
