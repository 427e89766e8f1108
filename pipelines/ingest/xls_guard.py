"""Bound an old .xls (BIFF5/8 in an OLE compound file) before the spreadsheet reader opens it.

The reader allocates, for each sheet, the whole rectangle from A1 to its farthest cell. In a
.xls a cell's row and column are 16-bit numbers: a stray cell at IV65536 makes a 6 KB file
take 1.6 GB, and a crafted (or damaged) one naming column 65,535 would take hundreds of GB.

`check_workbook` walks the records of the workbook stream (no cell is decoded) and finds each
sheet's farthest row and column and the rows that hold cells. A sheet beyond the columns limit
is refused; a sheet whose rows reach far beyond the rows holding cells is compacted as an
.xlsx is (pipelines/ingest/xlsx_guard.py): the row numbers of its records are rewritten in
place (records keep their sizes, so the stream's offsets hold) and the Excel row of each
remaining row is kept. A file that is not a compound file is left to the reader, which says
what it is; a compound file whose workbook stream cannot be followed (a sector chain that
loops or leaves the file) is refused as damaged: the reader would follow it in its own way,
unbounded.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from pipelines.ingest import limits, xlsx_guard

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END_OF_CHAIN = 0xFFFFFFFE
# BIFF records that place one cell (row, column first) and the two that place a run of cells
# (row, first column, …, last column at the end).
_CELL = {0x0006, 0x00FD, 0x0203, 0x027E, 0x0201, 0x0205, 0x0204, 0x00D6, 0x0406, 0x0002, 0x0003, 0x0004, 0x0005, 0x0007}
_RUN = {0x00BD, 0x00BE}
_ROW, _DIMENSIONS, _MERGED, _BOF, _EOF = 0x0208, 0x0200, 0x00E5, 0x0809, 0x000A


class Unfollowable(Exception):
    """The compound file or its workbook stream cannot be followed."""


@dataclass
class _Sheet:
    records: list[tuple[int, int, int]]  # (record type, offset of its data in the stream, size)
    rows: set[int]
    worksheet: bool  # charts and macro sheets are bounded too, but the reader does not list them
    max_row: int = -1
    max_col: int = -1


def check_workbook(data: bytes) -> tuple[bytes, dict[int, list[int]]]:
    """The workbook (compacted where a sheet's far rows are sparse) and, by sheet index, the
    Excel row of each row of a compacted sheet; Refused (xlsx_guard's) beyond the limits."""
    if not data.startswith(MAGIC):
        return data, {}
    try:
        stream, place = _workbook_stream(data)
        sheets = _sheets(stream)
    except (Unfollowable, struct.error, IndexError, ValueError, UnicodeError) as exc:
        raise xlsx_guard.Refused("file.corrupt", {"detail": f"compound file: {type(exc).__name__}"}) from None
    compacted: dict[int, list[int]] = {}
    out = bytearray(stream)
    index = -1
    for number, sheet in enumerate(sheets, start=1):
        index += sheet.worksheet
        columns, rows = sheet.max_col + 1, sheet.max_row + 1
        if columns > limits.MAX_COLUMNS:
            raise xlsx_guard.Refused("file.too_many_columns", {"sheet": number, "n": columns, "limit": limits.MAX_COLUMNS})
        used = tuple(sorted(r + 1 for r in sheet.rows))
        squeezed = xlsx_guard.compaction(used) if used else None
        if sheet.worksheet and squeezed is not None and rows - len(squeezed) >= limits.COMPACT_MIN_SAVED_ROWS:
            _renumber(out, sheet, {old - 1: new for new, old in enumerate(squeezed)})
            compacted[index] = squeezed
            rows = len(squeezed)
        if rows * columns > limits.MAX_SHEET_CELLS:
            raise xlsx_guard.Refused("file.sheet_too_large", {"sheet": number, "rows": rows, "columns": columns})
    if not compacted:
        return data, {}
    rewritten = bytearray(data)
    for (start, end), file_offset in place:
        rewritten[file_offset:file_offset + end - start] = out[start:end]
    return bytes(rewritten), compacted


def _sheets(stream: bytes) -> list[_Sheet]:
    """The worksheets' records, in the order of their substreams (the reader's sheet order)."""
    sheets: list[_Sheet] = []
    current: _Sheet | None = None
    depth = 0
    offset = 0
    while offset + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, offset)
        body = offset + 4
        if kind == _BOF:
            depth += 1
            if depth == 1 and offset > 0:  # the first BOF is the workbook globals
                current = _Sheet([], set(), size >= 4 and struct.unpack_from("<H", stream, body + 2)[0] == 0x0010)
                sheets.append(current)
        elif kind == _EOF:
            depth = max(depth - 1, 0)
            if depth == 0:
                current = None
        elif current is not None and depth == 1:
            if kind in _CELL and size >= 4:
                row, col = struct.unpack_from("<HH", stream, body)
                _place(current, row, col, col)
                current.records.append((kind, body, size))
            elif kind in _RUN and size >= 6:
                row, first = struct.unpack_from("<HH", stream, body)
                (last,) = struct.unpack_from("<H", stream, body + size - 2)
                _place(current, row, first, max(first, last))
                current.records.append((kind, body, size))
            elif kind in (_ROW, _DIMENSIONS, _MERGED):
                current.records.append((kind, body, size))
        offset = body + size
    return sheets


def _place(sheet: _Sheet, row: int, first: int, last: int) -> None:
    sheet.rows.add(row)
    sheet.max_row = max(sheet.max_row, row)
    sheet.max_col = max(sheet.max_col, last)


def _renumber(stream: bytearray, sheet: _Sheet, new_of: dict[int, int]) -> None:
    """Rewrite the 0-based row numbers of the sheet's records (a row without a cell in a
    dropped gap goes to the row before it)."""
    used = sorted(new_of)

    def renumber(old: int) -> int:
        if old in new_of:
            return new_of[old]
        before = [r for r in used if r < old]
        return new_of[before[-1]] if before else 0

    for kind, body, size in sheet.records:
        if kind in _CELL or kind in _RUN or kind == _ROW:
            (old,) = struct.unpack_from("<H", stream, body)
            struct.pack_into("<H", stream, body, renumber(old))
        elif kind == _DIMENSIONS and size >= 14:  # BIFF8: first row, last row + 1 (32-bit)
            struct.pack_into("<II", stream, body, 0, max(new_of.values(), default=0) + 1)
        elif kind == _MERGED and size >= 2:
            (count,) = struct.unpack_from("<H", stream, body)
            for k in range(min(count, (size - 2) // 8)):
                at = body + 2 + 8 * k
                first, last = struct.unpack_from("<HH", stream, at)
                struct.pack_into("<HH", stream, at, renumber(first), renumber(last))


def _workbook_stream(data: bytes) -> tuple[bytes, list[tuple[tuple[int, int], int]]]:
    """The bytes of the Workbook (BIFF8) or Book (BIFF5) stream and where each piece of it
    lies in the file ((stream start, stream end), file offset)."""
    if not data.startswith(MAGIC) or len(data) < 512:
        raise Unfollowable
    shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    if shift not in (9, 12) or mini_shift != 6:
        raise Unfollowable
    size = 1 << shift
    n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
    cutoff, first_minifat, _n_minifat, first_difat, n_difat = struct.unpack_from("<IIIII", data, 0x38)
    n_sectors = (len(data) - size) // size + 1

    def offset(sector: int) -> int:
        if sector >= n_sectors:
            raise Unfollowable
        return (sector + 1) * size

    fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < n_sectors]
    sector = first_difat
    for _ in range(n_difat):
        if sector >= n_sectors:
            break
        values = struct.unpack_from(f"<{size // 4}I", data, offset(sector))
        fat_sectors += [s for s in values[:-1] if s < n_sectors]
        sector = values[-1]
    fat: list[int] = []
    for s in fat_sectors[:n_fat]:
        fat += struct.unpack_from(f"<{size // 4}I", data, offset(s))

    def chain(start: int, table: list[int]) -> list[int]:
        out, seen = [], set()
        while start != _END_OF_CHAIN and start < len(table):
            if start in seen:
                raise Unfollowable
            seen.add(start)
            out.append(start)
            start = table[start]
        return out

    directory = b"".join(data[offset(s):offset(s) + size] for s in chain(first_dir, fat))
    entries = {}
    for at in range(0, len(directory) - 127, 128):
        name_len = struct.unpack_from("<H", directory, at + 64)[0]
        name = directory[at:at + max(name_len - 2, 0)].decode("utf-16-le", errors="replace")
        start, length = struct.unpack_from("<II", directory, at + 0x74)
        entries.setdefault(name, (start, length))
    root = next(iter(entries.values()), None)
    stream_entry = entries.get("Workbook") or entries.get("Book")
    if stream_entry is None or root is None:
        raise Unfollowable
    start, length = stream_entry
    if length < cutoff:  # in the mini stream: 64-byte sectors inside the root entry's stream
        container = [offset(s) for s in chain(root[0], fat)]
        minifat: list[int] = []
        for s in chain(first_minifat, fat):
            minifat += struct.unpack_from(f"<{size // 4}I", data, offset(s))
        pieces = []
        for m in chain(start, minifat):
            at = m * 64
            pieces.append(container[at // size] + at % size)
        piece = 64
    else:
        pieces = [offset(s) for s in chain(start, fat)]
        piece = size
    stream = bytearray()
    place = []
    for file_offset in pieces:
        if len(stream) >= length:
            break
        take = min(piece, length - len(stream))
        place.append(((len(stream), len(stream) + take), file_offset))
        stream += data[file_offset:file_offset + take]
    return bytes(stream), place
