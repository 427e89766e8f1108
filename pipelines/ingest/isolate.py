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

from pipelines.contract import RECORD_KINDS
from pipelines.ingest import limits
from pipelines.ingest.context import LoadContext
from pipelines.ingest.forms import Unknown, read_sheet
from pipelines.ingest.headers import Header, is_instruction_sheet
from pipelines.ingest.readers import Sheet, UnreadableFile, read_sheets, short
from xiaoan.i18n import t

if TYPE_CHECKING:
    from pipelines.ingest.load import Offered

# Files read at once. This server has two cores, yet three threads: with two, a batch of five
# like-sized workbooks reads in three rounds and the fifth file reads alone on one core; with
# three, in two rounds that keep both cores busy. Reading is calamine's, outside Python's lock.
READ_THREADS = 3


@dataclass
class Examined:
    """One file read and its sheets' kinds found, or the reason it is rejected whole."""

    sheets: list[tuple[Sheet, Header]]
    reason: str | None = None


def examine_all(offered: list, plans: list | None = None, ctx: LoadContext | None = None) -> Iterator[tuple]:
    """(file, what its examination found) in order, READ_THREADS files at a time, each on a
    thread of its own: calamine and the CSV reader work outside Python's lock. The first
    threads start at the call, before the first result is asked for (the caller may do other
    work meanwhile). A file whose examination is not done after MAX_FILE_SECONDS is rejected
    whole and its thread abandoned (a daemon thread: it never keeps the process alive)."""
    keys = plans if plans is not None else offered
    ctx = ctx or LoadContext()
    queue: deque = deque()
    upcoming = iter(zip(keys, offered))

    def start() -> None:
        pair = next(upcoming, None)
        if pair is None:
            return
        box: list[Examined] = []
        thread = threading.Thread(target=lambda: box.append(examine(pair[1], ctx)), daemon=True, name="xiaoan-read")
        thread.start()
        queue.append((pair[0], thread, box, time.monotonic()))

    for _ in range(READ_THREADS):
        start()
    return _results(queue, start)


def _results(queue: deque, start) -> Iterator[tuple]:
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


def examine(item: Offered, ctx: LoadContext | None = None) -> Examined:
    """Read one file and find the kind of each of its sheets; whatever goes wrong becomes the
    reason the file is rejected whole (an interrupt still stops the load)."""
    if item.refused is not None:
        return Examined([], item.refused)
    try:
        sheets = read_sheets(Path(item.name), item.data)
        ctx = ctx or LoadContext()
        derive = ctx.rules.derive
        found, unknown = [], []
        for sheet in sheets:
            if is_instruction_sheet(sheet.name):
                continue
            pairs = read_sheet(sheet, item.name, ctx.mapping.header_map, tuple(derive.fine_words), tuple(derive.category_keywords))
            if isinstance(pairs, Unknown):
                unknown.append(pairs)
            else:
                found.extend(pairs)
        if not found:  # a CSV in an unexpected encoding reads as garbage: say so
            if any(s.doubtful_encoding for s in sheets):
                return Examined([], t("file.encoding"))
            return Examined([], unknown_message(unknown))
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


def unknown_message(unknown: list[Unknown]) -> str:
    """Why a file of no known kind is rejected (SPEC §2.1 "Telling the clerk"): the headers
    found, the columns each kind needs, and the command that writes the blank ledgers."""
    seen = next((u.headers for u in unknown if u.headers), [])
    if not seen:
        return t("file.no_known_headers")
    needs = "；".join(f"{kind.zh}：" + "、".join(kind.column(f).zh for f in kind.required) for kind in RECORD_KINDS)
    return t("forms.unknown_kind", headers="、".join(seen[:20]), needs=needs, command="xiaoan template --out DIR")
