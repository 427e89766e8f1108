"""The archive of every file offered to ingestion, unchanged and content-addressed, beside the
warehouse (`raw/` in the warehouse's folder). A sidecar JSON per file records what `xiaoan
rebuild` needs to replay it: its name, its batch, its order, and the report date it was given.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from xiaoan.config import archive_dir


@dataclass
class ArchivedFile:
    sha256: str
    name: str
    batch_id: str
    batch_seq: int  # order of the batch: nanoseconds since the epoch when it started
    file_seq: int  # order of the file within its batch, as given on the command line
    report_date: str | None  # --report-date as given, ISO
    default_report_date: str  # what rows without 填报日期 received (the given date or the day of loading)

    def blob(self, root: Path) -> Path:
        return root / self.sha256[:2] / (self.sha256 + Path(self.name).suffix.lower())


def store(warehouse: Path, data: bytes, entry: ArchivedFile) -> Path:
    """Write the file and its sidecar atomically (temporary name, then rename)."""
    root = archive_dir(warehouse)
    blob = entry.blob(root)
    blob.parent.mkdir(parents=True, exist_ok=True)
    if not blob.exists():
        _atomic_write(blob, data)
    _atomic_write(blob.with_suffix(".json"), json.dumps(asdict(entry), ensure_ascii=False, indent=1).encode("utf-8"))
    return blob


def entries(warehouse: Path) -> list[ArchivedFile]:
    """Every archived file, in the order it was loaded."""
    root = archive_dir(warehouse)
    found = [ArchivedFile(**json.loads(p.read_text(encoding="utf-8"))) for p in root.glob("*/*.json")]
    return sorted(found, key=lambda e: (e.batch_seq, e.file_seq))


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
