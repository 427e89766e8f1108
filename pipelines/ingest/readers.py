"""Read a file the office received into sheets of text cells.

Every cell arrives as text (or null), so nothing is coerced silently: parsing and checking
happen later, column by column. Row i of a sheet's grid is the row Excel shows as i + 1.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import fastexcel
import polars as pl

from pipelines.ingest import xlsx_guard
from xiaoan import config
from xiaoan.i18n import t

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")
# A cell may be as long as a whole file (the row is then rejected for it, not the file).
csv.field_size_limit(config.MAX_FILE_BYTES)


class UnreadableFile(Exception):
    """The file is rejected whole; the message says why, in the clerk's words."""


@dataclass
class Sheet:
    name: str | None  # None for a CSV file
    index: int
    grid: pl.DataFrame  # columns c0..cN, all String; row i is Excel row i + 1
    # A CSV read as GBK whose characters suggest another encoding (Big5, Shift-JIS): when no
    # known header is found in it, the encoding is the likelier reason to give.
    doubtful_encoding: bool = False


def read_sheets(path: Path, data: bytes) -> list[Sheet]:
    """All sheets of the file as text grids, or UnreadableFile with the reason."""
    if not data:
        raise UnreadableFile(t("file.empty"))
    if len(data) > config.MAX_FILE_BYTES:
        raise UnreadableFile(t("file.too_big", size=len(data) // 2**20, limit=config.MAX_FILE_BYTES // 2**20))
    suffix = path.suffix.lower()
    if suffix == ".csv":
        grid, doubtful = _read_csv(data)
        return [Sheet(None, 0, grid, doubtful)]
    if suffix in (".xlsx", ".xlsm"):
        _refuse_zip_bomb(data)
    elif suffix != ".xls":
        raise UnreadableFile(t("file.unsupported", ext=suffix or path.name))
    return _read_workbook(data)


def _read_workbook(data: bytes) -> list[Sheet]:
    try:
        book = fastexcel.read_excel(data)
        names = book.sheet_names
    except Exception as exc:  # calamine says "not a zip", "invalid OLE", …
        raise UnreadableFile(t("file.unreadable", detail=_short(exc))) from exc
    if len(names) > config.MAX_SHEETS:
        raise UnreadableFile(t("file.too_many_sheets", n=len(names), limit=config.MAX_SHEETS))
    sheets = []
    for index, name in enumerate(names):
        try:
            # skip_rows=0 keeps leading empty rows, so grid row i is Excel row i + 1.
            frame = book.load_sheet(index, header_row=None, skip_rows=0, dtypes="string").to_polars()
        except Exception as exc:
            raise UnreadableFile(t("file.unreadable", detail=f"{name}: {_short(exc)}")) from exc
        if frame.height > config.MAX_ROWS_PER_SHEET:
            raise UnreadableFile(t("file.too_many_rows", sheet=name, n=frame.height, limit=config.MAX_ROWS_PER_SHEET))
        sheets.append(Sheet(name, index, _grid(frame)))
    return sheets


def _refuse_zip_bomb(data: bytes) -> None:
    """An .xlsx is a zip: refuse one that would inflate far beyond its size, or whose sheets
    would take far more memory than their cells (a few cells far apart: xlsx_guard), before
    reading it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
            if inflated > config.MAX_XLSX_UNCOMPRESSED_BYTES or inflated > config.MAX_XLSX_RATIO * max(len(data), 2**20):
                raise UnreadableFile(t("file.bomb"))
            xlsx_guard.check_workbook(archive)
    except xlsx_guard.Refused as refused:
        raise UnreadableFile(t(refused.args[0], **refused.args[1])) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:  # not a zip, or an odd one
        detail = "not a zip archive" if str(exc) == "File is not a zip file" else _short(exc)
        raise UnreadableFile(t("file.unreadable", detail=detail)) from exc


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
    # The width is the widest of the first records: title lines above the header are narrower.
    sample = text[:200_000]
    head = "\n".join(sample.splitlines()[:20])
    separator = "\t" if head.count("\t") > head.count(",") else ","
    width = max((len(record) for record, _ in zip(csv.reader(io.StringIO(sample), delimiter=separator), range(200))), default=1)
    width = max(width, 1)
    if width > config.MAX_COLUMNS:
        raise UnreadableFile(t("file.too_many_columns", sheet="csv", n=width, limit=config.MAX_COLUMNS))
    try:
        frame = pl.read_csv(
            text.encode("utf-8"),
            has_header=False,
            separator=separator,
            schema={f"c{i}": pl.String for i in range(width)},
            missing_columns="insert",
            truncate_ragged_lines=True,
            raise_if_empty=False,
            n_rows=config.MAX_ROWS_PER_SHEET + 1,  # one more tells that there are too many
        )
    except Exception as exc:
        raise UnreadableFile(t("file.unreadable", detail=_short(exc))) from exc
    if frame.height > config.MAX_ROWS_PER_SHEET:
        rows = text.count("\n") + (not text.endswith("\n"))
        raise UnreadableFile(t("file.too_many_rows", sheet="csv", n=rows, limit=config.MAX_ROWS_PER_SHEET))
    return _capped(frame), doubtful


def _grid(frame: pl.DataFrame) -> pl.DataFrame:
    frame = frame.rename({name: f"c{i}" for i, name in enumerate(frame.columns)})
    return _capped(frame.with_columns(pl.all().cast(pl.String)))


def _capped(grid: pl.DataFrame) -> pl.DataFrame:
    """Cells far beyond MAX_CELL_CHARS cut to a few times that: the row is rejected for its
    long cell all the same, and its raw cells stay a reasonable size in the warehouse."""
    cap = 4 * config.MAX_CELL_CHARS
    if grid.is_empty() or not grid.width:
        return grid
    longest = grid.select(pl.all().str.len_chars().max()).row(0)
    long = [name for name, n in zip(grid.columns, longest) if n is not None and n > cap]
    return grid.with_columns(pl.col(long).str.slice(0, cap)) if long else grid


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
