"""`xiaoan rebuild`: the warehouse again from the archived files alone, replayed load by load
in their original order, built beside the live file and published over it in one step.

It holds the writer lock from start to end, so a load that runs meanwhile waits and then
lands on the rebuilt version instead of being overwritten by it. Sidecars a killed writer left
pending are settled first (pipelines/publish/archive.py), so the replay is exactly the history of
loads the live warehouse holds. A rebuild that is killed leaves the live file as it was; its
scratch folder is removed by the next one, as are the working copies (`.<name>.next-*`) a
killed load left beside the live file.

Every file is read again under the current rules file and the office's current mapping (not the
ones in force when it was first loaded): derived values (categories from keywords, default
levels and deadlines) and header and value aliases follow today's files. A file archived under
two readings (offered again after its mapping changed) is replayed at each, the second a duplicate.

What the archive does not hold is carried over from the live file before the swap: the 督办通知书
numbers already given (pipelines/publish/notices.py), so a notice written again keeps its number.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import os
import shutil
import time
from pathlib import Path

from pipelines.ingest.load import Offered
from pipelines.publish import archive, notices
from pipelines.publish.batch import ingest_log_values, load_context, publish_batch
from xiaoan.config import archive_dir
from xiaoan.warehouse import fsync_path, remove_orphans, writer_lock

SCRATCH_PREFIX = ".rebuild-"


@dataclasses.dataclass
class RebuildResult:
    files: int
    batches: int
    seconds: float


def rebuild(warehouse: Path, mapping: Path | None = None) -> RebuildResult:
    """MappingError (before anything is touched) when the office's mapping cannot be used."""
    started = time.monotonic()
    ctx = load_context(warehouse, mapping)
    with writer_lock(warehouse):
        for stale in warehouse.parent.glob(f"{SCRATCH_PREFIX}*"):  # left by a rebuild that was killed
            shutil.rmtree(stale, ignore_errors=True)
        remove_orphans(warehouse)  # a killed load's working copy (we hold the lock: none is live)
        archive.settle(warehouse, ingest_log_values(warehouse, "batch_id"))
        entries = archive.entries(warehouse)
        if not entries:
            raise FileNotFoundError(f"no archived files in {archive_dir(warehouse)}: nothing to rebuild from")
        scratch = warehouse.parent / f"{SCRATCH_PREFIX}{os.getpid()}"
        scratch.mkdir(parents=True)
        target = scratch / warehouse.name
        batches = 0
        try:
            for (batch_id, batch_seq), group in itertools.groupby(entries, key=lambda e: (e.batch_id, e.batch_seq)):
                offered = [
                    Offered(
                        name=e.name,
                        data=e.blob(archive_dir(warehouse)).read_bytes(),
                        report_date=dt.date.fromisoformat(e.report_date) if e.report_date else None,
                        default_report_date=dt.date.fromisoformat(e.default_report_date),
                        file_seq=e.file_seq,
                    )
                    for e in group
                ]
                publish_batch(target, offered, batch_id, batch_seq, archive_files=False, ctx=ctx)
                batches += 1
            notices.carry_over(warehouse, target)  # numbers given stay given (not in the archive)
            os.replace(target, warehouse)
            fsync_path(warehouse.parent)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    return RebuildResult(len(entries), batches, time.monotonic() - started)
