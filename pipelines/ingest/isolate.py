"""Each offered file examined on its own: read, guarded and its sheets' kinds found on a thread
of its own, READ_THREADS files at a time. Whatever happens to one file — an error, a panic in
the native reader, memory running out, a reader still busy after limits.MAX_FILE_SECONDS (its
thread is abandoned) — becomes the reason that file is rejected whole; the other files go on.
pipelines/ingest/load.py loads what the examination found.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.ingest import limits
from pipelines.ingest.headers import Header, detect_header, is_instruction_sheet
from pipelines.ingest.readers import Sheet, UnreadableFile, read_sheets, short
from xiaoan.i18n import t

if TYPE_CHECKING:
    from pipelines.ingest.load import Offered

READ_THREADS = 2  # files read at once (this server has two cores; more only queues)


@dataclass
class Examined:
    """One file read and its sheets' kinds found, or the reason it is rejected whole."""

    sheets: list[tuple[Sheet, Header]]
    reason: str | None = None


def examine_all(offered: list, plans: list | None = None) -> Iterator[tuple]:
    """(file, what its examination found) in order, READ_THREADS files at a time, each on a
    thread of its own: calamine and the CSV reader work outside Python's lock. A file whose
    examination is not done after MAX_FILE_SECONDS is rejected whole and its thread abandoned
    (a daemon thread: it never keeps the process alive)."""
    keys = plans if plans is not None else offered
    queue: deque = deque()
    upcoming = iter(zip(keys, offered))

    def start() -> None:
        pair = next(upcoming, None)
        if pair is None:
            return
        box: list[Examined] = []
        thread = threading.Thread(target=lambda: box.append(examine(pair[1])), daemon=True, name="xiaoan-read")
        thread.start()
        queue.append((pair[0], thread, box, time.monotonic()))

    for _ in range(READ_THREADS):
        start()
    while queue:
        key, thread, box, begun = queue.popleft()
        thread.join(max(0.0, begun + limits.MAX_FILE_SECONDS - time.monotonic()))
        if box:
            examined = box[0]
        elif thread.is_alive():
            examined = Examined([], t("file.timeout", limit=limits.MAX_FILE_SECONDS))
        else:
            examined = Examined([], t("file.failed", detail="-"))
        start()
        yield key, examined


def examine(item: Offered) -> Examined:
    """Read one file and find the kind of each of its sheets; whatever goes wrong becomes the
    reason the file is rejected whole (an interrupt still stops the load)."""
    if item.refused is not None:
        return Examined([], item.refused)
    try:
        sheets = read_sheets(Path(item.name), item.data)
        found = []
        for sheet in sheets:
            if is_instruction_sheet(sheet.name):
                continue
            header = detect_header(sheet.grid, sheet.name)
            if header is not None:
                found.append((sheet, header))
        if not found:  # a CSV in an unexpected encoding reads as garbage: say so
            return Examined([], t("file.encoding" if any(s.doubtful_encoding for s in sheets) else "file.no_known_headers"))
        return Examined(found)
    except UnreadableFile as exc:
        return Examined([], str(exc))
    except MemoryError:
        return Examined([], t("file.memory"))
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:
        return Examined([], t("file.failed", detail=short(exc)))
    except BaseException as exc:  # a panic in native code (pyo3's PanicException)
        return Examined([], t("file.reader_failed", detail=short(exc)))
