"""What a scheduled snapshot needs besides the snapshot itself: the `latest` pointer of a
snapshot folder (as-of dates given by keyword — `today`, `yesterday`, `last-month-end` — are
read by xiaoan.dates).

The pointer is two things, both replaced atomically (written beside, then renamed over):

- `latest` — a relative symbolic link to the newest dated folder (`latest -> 2026-10-31`), for
  scripts, cron and systemd users (`ls snapshots/latest/report.html`); a Samba share shows it
  as a folder. Where the file system has no symbolic links it is left out.
- `latest.txt` — one line, the newest folder's name, for readers that cannot follow links
  (a Windows file server, a copy on a USB stick, an archive): open `latest.txt`, then that folder.

The pointer always names the newest dated folder in the output folder (a back-filled older
snapshot does not move it), so it can never point at a snapshot that `--keep` removed.
"""

from __future__ import annotations

import errno
import os
import re
import uuid
from pathlib import Path

SNAPSHOT_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LATEST_LINK = "latest"
LATEST_FILE = "latest.txt"
# Where symbolic links cannot be made (FAT, some network shares, no privilege on Windows).
_NO_SYMLINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL}


def dated_snapshots(out: Path) -> list[Path]:
    """The dated snapshot folders in `out`, oldest first."""
    if not out.is_dir():
        return []
    return sorted(p for p in out.iterdir() if p.is_dir() and not p.is_symlink() and SNAPSHOT_NAME.match(p.name))


def update_latest(out: Path) -> Path | None:
    """Point `latest` and `latest.txt` at the newest dated snapshot in `out`; returns it (None
    when there is none). Each is written under a temporary name and renamed into place, so a
    reader sees the old pointer or the new one, never none."""
    folders = dated_snapshots(out)
    if not folders:
        return None
    newest = folders[-1]
    _replace_text(out / LATEST_FILE, newest.name + "\n")
    _replace_link(out / LATEST_LINK, newest.name)
    return newest


def read_latest(out: Path) -> Path | None:
    """The snapshot folder `latest.txt` names (None when there is no pointer yet)."""
    try:
        name = (out / LATEST_FILE).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return out / name if SNAPSHOT_NAME.match(name) else None


def _replace_text(path: Path, text: str) -> None:
    work = path.with_name(f".{path.name}.tmp-{uuid.uuid4().hex[:8]}")
    try:
        with open(work, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(work, path)
    finally:
        work.unlink(missing_ok=True)


def _replace_link(path: Path, target: str) -> None:
    if path.exists() and not path.is_symlink():
        return  # someone's own folder or file called `latest`: never replaced by a link
    work = path.with_name(f".{path.name}.tmp-{uuid.uuid4().hex[:8]}")
    try:
        os.symlink(target, work, target_is_directory=True)
    except OSError as exc:
        if exc.errno in _NO_SYMLINKS:
            return  # latest.txt alone carries the pointer here
        raise
    try:
        os.replace(work, path)
    finally:
        if work.is_symlink():
            work.unlink()
