"""The archive of every file offered to ingestion, unchanged and content-addressed, beside the
warehouse (`raw/` in the warehouse's folder). A sidecar JSON per file records what `xiaoan
rebuild` needs to replay it: its name, its batch, its order, and the report date it was given.

A file is archived before the version that loads it is published, so the archive always holds
every file the warehouse has loaded, whenever a writer is killed. Its sidecar says `pending`
until that version is published, then `published`. A writer killed in between leaves a pending
sidecar; the next writer (ingest or rebuild, under the writer lock) settles it against the live
warehouse: published when the warehouse logged that batch, else removed, so `xiaoan rebuild`
replays exactly the loads the warehouse holds.

The same content offered again under another mapping or rules (read again: SPEC §2.1) keeps one
blob and gets a second sidecar, `<sha256>.<batch_id>.json`, so a killed second reading never
takes away the first one's record (nor the blob it shares).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from xiaoan.config import archive_dir
from xiaoan.warehouse import fsync_path

PENDING, PUBLISHED = "pending", "published"


@dataclass
class ArchivedFile:
    sha256: str
    name: str
    batch_id: str
    batch_seq: int  # order of the batch: nanoseconds since the epoch when it started
    file_seq: int  # order of the file within its batch, as given on the command line
    report_date: str | None  # --report-date as given, ISO
    default_report_date: str  # what rows without 填报日期 received (the given date or the day of loading)
    state: str = PUBLISHED  # pending until the version that loaded it is published (older sidecars: published)

    def blob(self, root: Path) -> Path:
        return root / self.sha256[:2] / (self.sha256 + Path(self.name).suffix.lower())

    def sidecar(self, root: Path) -> Path:
        """`<sha256>.json` for the first batch that archived the content, `<sha256>.<batch>.json`
        for a later one."""
        first = self.blob(root).with_suffix(".json")
        later = first.with_name(f"{self.sha256}.{self.batch_id}.json")
        if later.exists():
            return later
        try:
            owner = json.loads(first.read_text(encoding="utf-8")).get("batch_id")
        except (OSError, ValueError):
            return first
        return first if owner == self.batch_id else later


def store(warehouse: Path, data: bytes, entry: ArchivedFile) -> Path:
    """Write the file and its sidecar atomically (temporary name, then rename)."""
    root = archive_dir(warehouse)
    blob = entry.blob(root)
    blob.parent.mkdir(parents=True, exist_ok=True)
    if not blob.exists():
        _atomic_write(blob, data)
    _write_sidecar(root, entry)
    return blob


def mark_published(warehouse: Path, stored: Iterable[ArchivedFile]) -> None:
    """The version that loaded these files is published: their sidecars say so."""
    root = archive_dir(warehouse)
    for entry in stored:
        _write_sidecar(root, replace(entry, state=PUBLISHED))


def settle(warehouse: Path, published_batches: set[str] | None) -> None:
    """Settle the sidecars a killed writer left pending (call under the writer lock):
    published when the live warehouse logged their batch, removed (with their file) when it
    did not. `published_batches` None means there is no warehouse to ask: pending sidecars
    stay, and a rebuild replays them (the clerk did send those files). Also removes the
    temporary files of a write that was cut short."""
    root = archive_dir(warehouse)
    if not root.is_dir():
        return
    for leftover in root.glob("*/.*.tmp"):
        leftover.unlink(missing_ok=True)
    if published_batches is None:
        return
    for entry in _read_all(root):
        if entry.state != PENDING:
            continue
        if entry.batch_id in published_batches:
            _write_sidecar(root, replace(entry, state=PUBLISHED))
        else:
            entry.sidecar(root).unlink(missing_ok=True)
            if not any(entry.blob(root).parent.glob(f"{entry.sha256}*.json")):  # no other reading keeps it
                entry.blob(root).unlink(missing_ok=True)


def entries(warehouse: Path) -> list[ArchivedFile]:
    """Every archived file, in the order it was loaded."""
    return sorted(_read_all(archive_dir(warehouse)), key=lambda e: (e.batch_seq, e.file_seq))


def _read_all(root: Path) -> list[ArchivedFile]:
    return [ArchivedFile(**json.loads(p.read_text(encoding="utf-8"))) for p in root.glob("*/*.json")]


def _write_sidecar(root: Path, entry: ArchivedFile) -> None:
    _atomic_write(entry.sidecar(root), json.dumps(asdict(entry), ensure_ascii=False, indent=1).encode("utf-8"))


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    fsync_path(path.parent)

