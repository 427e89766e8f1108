"""Read a file the office received into sheets of text cells.

Every cell arrives as text (or null), so nothing is coerced silently: parsing and checking
happen later, column by column. Row i of a sheet's grid is the row Excel shows as i + 1.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import sys
import tempfile
import threading
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import fastexcel
import polars as pl

from pipelines.ingest import limits, xls_guard, xlsx_guard
from xiaoan.i18n import t

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")
# An eager read hands each sheet over through pyarrow, which imports numpy, whose OpenBLAS
# starts a thread per core that spins while idle: ~0.1 s of CPU taken from a load on 2 cores
# (perf: 1.4–1.8 % of an .xlsx load's samples in blas_thread_server). xiaoan does no linear
# algebra; a process that imported numpy before us, or set the variable, keeps its own setting.
if "numpy" not in sys.modules:
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
# A cell may be as long as a whole file (the row is then rejected for it, not the file).
csv.field_size_limit(limits.MAX_FILE_BYTES)


class UnreadableFile(Exception):
    """The file is rejected whole; the message says why, in the clerk's words."""


@dataclass
class Sheet:
    name: str | None  # None for a CSV file
    index: int
    grid: pl.DataFrame  # columns c0..cN, all String; row i is Excel row i + 1 unless `excel_rows` says
    # A CSV read as GBK whose characters suggest another encoding (Big5, Shift-JIS): when no
    # known header is found in it, the encoding is the likelier reason to give.
    doubtful_encoding: bool = False
    # The Excel row of each grid row when the sheet was compacted (xlsx_guard: far, sparse
    # rows renumbered to follow the dense part); None when grid row i is Excel row i + 1.
    excel_rows: pl.Series | None = None

    def row_numbers(self) -> pl.Series:
        """The Excel row number of every grid row (Int32)."""
        if self.excel_rows is not None:
            return self.excel_rows.cast(pl.Int32).alias("__excel_row")
        return pl.int_range(1, self.grid.height + 1, dtype=pl.Int32, eager=True).alias("__excel_row")


# The first bytes of an OLE compound file (old .xls, and an encrypted .xlsx: Office wraps a
# password-protected workbook in one, with an EncryptionInfo stream beside the package).
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
# Errors of a zip whose parts are damaged (a corrupt deflate stream, a truncated member, …).
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, zlib.error, ValueError, OSError, KeyError)


def read_sheets(path: Path, data: bytes) -> list[Sheet]:
    """All sheets of the file as text grids, or UnreadableFile with the reason."""
    if not data:
        raise UnreadableFile(t("file.empty"))
    if len(data) > limits.MAX_FILE_BYTES:
        raise UnreadableFile(t("file.too_big", size=len(data) // 2**20, limit=limits.MAX_FILE_BYTES // 2**20))
    suffix = path.suffix.lower()
    if data.startswith(OLE_MAGIC) and _ENCRYPTION_INFO in data[:1 << 20] + data[-(1 << 20):]:
        raise UnreadableFile(t("file.encrypted"))  # any suffix: a password-protected workbook
    if suffix == ".csv":
        grid, doubtful = _read_csv(data)
        return [Sheet(None, 0, grid, doubtful)]
    compacted: dict[str | int, list[int]] = {}
    if suffix in (".xlsx", ".xlsm"):
        data, compacted, inflated = _guarded(data)
    elif suffix == ".xls":
        try:
            data, compacted = xls_guard.check_workbook(data)
        except xlsx_guard.Refused as refused:
            raise UnreadableFile(t(refused.args[0], **refused.args[1])) from None
        inflated = len(data)
    else:
        raise UnreadableFile(t("file.unsupported", ext=suffix or path.name))
    return _read_workbook(data, compacted, eager=inflated <= limits.EAGER_READ_BYTES)


def _read_workbook(data: bytes, compacted: dict[str | int, list[int]], eager: bool = False) -> list[Sheet]:
    """Every sheet through calamine. A panic in the native reader (pyo3's PanicException, a
    BaseException) rejects the file like any other error; its text goes to no terminal.
    `compacted` gives the Excel rows of sheets the guards compacted (by name for an .xlsx, by
    position for an .xls). `eager`: calamine converts each sheet straight into Arrow (faster,
    more memory while it does: limits.EAGER_READ_BYTES); the grids are the same either way."""
    try:
        with quiet_native_stderr():
            book = fastexcel.read_excel(data)
            names = book.sheet_names
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # calamine says "not a zip", "invalid OLE", …
        raise UnreadableFile(t("file.unreadable", detail=short(exc))) from exc
    except BaseException as exc:  # a panic in the native reader
        raise UnreadableFile(t("file.reader_failed", detail=short(exc))) from exc
    if len(names) > limits.MAX_SHEETS:
        raise UnreadableFile(t("file.too_many_sheets", n=len(names), limit=limits.MAX_SHEETS))
    sheets = []
    for index, name in enumerate(names):
        try:
            # skip_rows=0 keeps leading empty rows, so grid row i is Excel row i + 1.
            with quiet_native_stderr():
                if eager:
                    frame = pl.from_arrow(book.load_sheet(index, header_row=None, skip_rows=0, dtypes="string", eager=True))
                else:
                    frame = book.load_sheet(index, header_row=None, skip_rows=0, dtypes="string").to_polars()
        except (KeyboardInterrupt, SystemExit):
            raise
        except Exception as exc:
            raise UnreadableFile(t("file.unreadable", detail=f"{name}: {short(exc)}")) from exc
        except BaseException as exc:  # a panic in the native reader: a date far out of range, …
            raise UnreadableFile(t("file.reader_failed", detail=f"{name}: {short(exc)}")) from exc
        if frame.height > limits.MAX_ROWS_PER_SHEET:
            raise UnreadableFile(t("file.too_many_rows", sheet=name, n=frame.height, limit=limits.MAX_ROWS_PER_SHEET))
        rows = compacted.get(name, compacted.get(index))
        grid = _grid(frame)
        excel_rows = None
        if rows is not None:  # compacted: grid row i is Excel row rows[i] (blank rows past the last cell are not read)
            grid = grid.head(len(rows))
            excel_rows = pl.Series("__excel_row", rows[: grid.height], dtype=pl.Int32)
        sheets.append(Sheet(name, index, grid, excel_rows=excel_rows))
    return sheets


_quiet_lock = threading.Lock()
_quiet_users = 0
_quiet_saved: int | None = None
_quiet_enabled = True


def redirect_native_stderr(enabled: bool) -> bool:
    """Whether readers send native stderr away while they read (see quiet_native_stderr); returns
    the previous setting. On by default, for the CLI: a clerk's terminal shows no panic text.
    A long-running server that reads uploaded files in its own process turns it off once at
    start: fd 2 belongs to the whole process, so redirecting it would also swallow what the
    server's other threads log while a file is read. The panic itself is still caught and the
    file rejected with its reason either way; only where its text is printed changes. A reader
    run in a worker process of its own may keep the default: the redirect is that process's."""
    global _quiet_enabled
    with _quiet_lock:
        previous, _quiet_enabled = _quiet_enabled, bool(enabled)
    return previous


@contextlib.contextmanager
def quiet_native_stderr():
    """Send what native code writes to the process's stderr (a Rust panic's message) to a
    scratch file while a reader runs, so that no clerk sees it; Python's own errors are raised
    as exceptions and are not affected. Shared by the reading threads (the first one in
    redirects, the last one out restores). Does nothing after redirect_native_stderr(False)."""
    global _quiet_users, _quiet_saved
    with _quiet_lock:
        quiet = _quiet_enabled  # kept for the way out, should the setting change meanwhile
        if quiet:
            if _quiet_users == 0:
                try:
                    sink = tempfile.TemporaryFile()
                    _quiet_saved = os.dup(2)
                    os.dup2(sink.fileno(), 2)
                    sink.close()
                except OSError:
                    _quiet_saved = None
            _quiet_users += 1
    try:
        yield
    finally:
        if quiet:
            with _quiet_lock:
                _quiet_users -= 1
                if _quiet_users == 0 and _quiet_saved is not None:
                    os.dup2(_quiet_saved, 2)
                    os.close(_quiet_saved)
                    _quiet_saved = None


def _guarded(data: bytes) -> tuple[bytes, dict[str, list[int]], int]:
    """An .xlsx is a zip: refuse one that would inflate far beyond its size, or whose sheets
    would take far more memory than their cells (a few cells far apart: xlsx_guard), before
    reading it. A sheet whose far rows are sparse comes back compacted: the workbook's bytes
    with that sheet rewritten, and the Excel row of each of its rows (by sheet name). Also
    the bytes its members declare they inflate to."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
            if inflated > limits.MAX_XLSX_UNCOMPRESSED_BYTES or inflated > limits.MAX_XLSX_RATIO * max(len(data), 2**20):
                raise UnreadableFile(t("file.bomb"))
            checked = xlsx_guard.check_workbook(archive)
            if not checked.compacted:
                return data, {}, inflated
            return xlsx_guard.rewritten(archive, checked), {c.sheet: c.excel_rows for c in checked.compacted.values()}, inflated
    except xlsx_guard.Refused as refused:
        raise UnreadableFile(t(refused.args[0], **refused.args[1])) from None
    except zipfile.BadZipFile as exc:  # not a zip, or a damaged one
        if str(exc) == "File is not a zip file":
            raise UnreadableFile(t("file.unreadable", detail="not a zip archive")) from exc
        raise UnreadableFile(t("file.corrupt", detail=short(exc))) from exc
    except _ZIP_ERRORS as exc:  # a corrupt deflate stream (zlib.error), a truncated member, an odd zip
        raise UnreadableFile(t("file.corrupt", detail=short(exc))) from exc


def decode_text(data: bytes) -> str:
    """CSV text: UTF-8 with or without BOM, UTF-16 with BOM, else GBK (as GB18030, its superset).
    Anything else that cannot be text (UTF-32, UTF-16 without BOM, binary) is refused rather
    than read as garbage; Big5 or Shift-JIS read as GBK is told by `doubtful_gbk`."""
    return _decode(data)[0]


def _decode(data: bytes) -> tuple[str, str]:
    candidates = ("utf-16",) if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig", "gb18030")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text or _binary(text):
            continue
        return text, encoding
    raise UnreadableFile(t("file.encoding"))


_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")


def _binary(text: str) -> bool:
    """Control characters a typed table holds a few of at most (pasted from elsewhere): a
    tenth of the text is a binary file."""
    sample = text[:65536]
    return len(_CONTROLS.findall(sample)) > max(32, len(sample) // 10)


def doubtful_gbk(text: str) -> bool:
    """Text in another encoding (Big5, Shift-JIS, …) read as GB18030 turns into characters a
    simplified-Chinese ledger seldom holds: many outside GB2312, the characters GBK files are
    typed in. One rare name is fine; a fifth of the text is not."""
    chars = _CJK.findall(text[:20000])
    if len(chars) < 10:
        return False
    rare = sum(1 for ch in chars if not _in_gb2312(ch))
    return rare > len(chars) / 5


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def _read_csv(data: bytes) -> tuple[pl.DataFrame, bool]:
    text, encoding = _decode(data)
    doubtful = encoding == "gb18030" and doubtful_gbk(text)
    if not text.strip():
        raise UnreadableFile(t("file.empty"))
    if "\r" in text and "\n" not in text:  # old exports end lines with CR alone
        text = text.replace("\r", "\n")
    # The width is the widest of the first records: title lines above the header are narrower.
    sample = text[:200_000]
    separator = _separator(sample.splitlines()[:20])
    try:
        width = max((len(record) for record, _ in zip(csv.reader(io.StringIO(sample, newline=""), delimiter=separator), range(200))), default=1)
    except csv.Error as exc:
        raise UnreadableFile(t("file.unreadable", detail=short(exc))) from exc
    width = max(width, 1)
    if width > limits.MAX_COLUMNS:
        raise UnreadableFile(t("file.too_many_columns", sheet="csv", n=width, limit=limits.MAX_COLUMNS))
    try:
        frame = pl.read_csv(
            text.encode("utf-8"),
            has_header=False,
            separator=separator,
            schema={f"c{i}": pl.String for i in range(width)},
            missing_columns="insert",
            truncate_ragged_lines=True,
            raise_if_empty=False,
            n_rows=limits.MAX_ROWS_PER_SHEET + 1,  # one more tells that there are too many
        )
    except Exception as exc:
        raise UnreadableFile(t("file.unreadable", detail=short(exc))) from exc
    if frame.height > limits.MAX_ROWS_PER_SHEET:
        rows = text.count("\n") + (not text.endswith("\n"))
        raise UnreadableFile(t("file.too_many_rows", sheet="csv", n=rows, limit=limits.MAX_ROWS_PER_SHEET))
    return _capped(frame), doubtful


SEPARATORS = (",", "\t", ";", "|")


def _separator(head: list[str]) -> str:
    """The separator of a CSV: of comma, tab, semicolon and bar, the one its first lines hold
    most often (a header row has one between every two names); comma when none occurs."""
    counts = {sep: sum(line.count(sep) for line in head) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda sep: counts[sep])  # ties: the earlier (comma first)
    return best if counts[best] else ","


def _grid(frame: pl.DataFrame) -> pl.DataFrame:
    frame = frame.rename({name: f"c{i}" for i, name in enumerate(frame.columns)})
    return _capped(frame.with_columns(pl.all().cast(pl.String)))


def _capped(grid: pl.DataFrame) -> pl.DataFrame:
    """Cells far beyond MAX_CELL_CHARS cut to a few times that: the row is rejected for its
    long cell all the same, and its raw cells stay a reasonable size in the warehouse."""
    cap = 4 * limits.MAX_CELL_CHARS
    if grid.is_empty() or not grid.width:
        return grid
    longest = grid.select(pl.all().str.len_chars().max()).row(0)
    long = [name for name, n in zip(grid.columns, longest) if n is not None and n > cap]
    return grid.with_columns(pl.col(long).str.slice(0, cap)) if long else grid


def short(exc: BaseException) -> str:
    """The first line of an error's text (200 characters at most), or its type's name: the
    detail a rejection reason quotes."""
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__
