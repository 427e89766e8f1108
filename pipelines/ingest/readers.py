"""Read a file the office received into sheets of text cells.

Every cell arrives as text (or null), so nothing is coerced silently: parsing and checking
happen later, column by column. Row i of a sheet's grid is the row Excel shows as i + 1.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import fastexcel
import polars as pl

from xiaoan import config
from xiaoan.i18n import t

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")


class UnreadableFile(Exception):
    """The file is rejected whole; the message says why, in the clerk's words."""


@dataclass
class Sheet:
    name: str | None  # None for a CSV file
    index: int
    grid: pl.DataFrame  # columns c0..cN, all String; row i is Excel row i + 1


def read_sheets(path: Path, data: bytes) -> list[Sheet]:
    """All sheets of the file as text grids, or UnreadableFile with the reason."""
    if not data:
        raise UnreadableFile(t("file.empty"))
    if len(data) > config.MAX_FILE_BYTES:
        raise UnreadableFile(t("file.too_big", size=len(data) // 2**20, limit=config.MAX_FILE_BYTES // 2**20))
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return [Sheet(None, 0, _read_csv(data))]
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
    """An .xlsx is a zip: refuse one that would inflate far beyond its size before reading it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise UnreadableFile(t("file.unreadable", detail="not a zip archive")) from exc
    if inflated > config.MAX_XLSX_UNCOMPRESSED_BYTES or inflated > config.MAX_XLSX_RATIO * max(len(data), 2**20):
        raise UnreadableFile(t("file.bomb"))


def decode_text(data: bytes) -> str:
    """CSV text: UTF-8 with or without BOM, UTF-16 with BOM, else GBK (as GB18030, its superset).
    Anything else (UTF-32, binary) is refused rather than read as garbage."""
    candidates = ("utf-16",) if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig", "gb18030")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise UnreadableFile(t("file.encoding"))


def _read_csv(data: bytes) -> pl.DataFrame:
    text = decode_text(data)
    if not text.strip():
        raise UnreadableFile(t("file.empty"))
    # The width is the widest of the first records: title lines above the header are narrower.
    sample = text[:200_000]
    head = "\n".join(sample.splitlines()[:20])
    separator = "\t" if head.count("\t") > head.count(",") else ","
    width = max((len(record) for record, _ in zip(csv.reader(io.StringIO(sample), delimiter=separator), range(200))), default=1)
    width = max(width, 1)
    try:
        frame = pl.read_csv(
            text.encode("utf-8"),
            has_header=False,
            separator=separator,
            schema={f"c{i}": pl.String for i in range(width)},
            missing_columns="insert",
            truncate_ragged_lines=True,
            raise_if_empty=False,
        )
    except Exception as exc:
        raise UnreadableFile(t("file.unreadable", detail=_short(exc))) from exc
    if frame.height > config.MAX_ROWS_PER_SHEET:
        raise UnreadableFile(t("file.too_many_rows", sheet="csv", n=frame.height, limit=config.MAX_ROWS_PER_SHEET))
    return frame


def _grid(frame: pl.DataFrame) -> pl.DataFrame:
    frame = frame.rename({name: f"c{i}" for i, name in enumerate(frame.columns)})
    return frame.with_columns(pl.all().cast(pl.String))


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
