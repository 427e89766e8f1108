"""回执 (receipts): for every sender with rejected rows in a load, a workbook of their rejected
rows exactly as they sent them (SPEC §2.1 "Telling the clerk") — the clerk's own headers in
their original order, their values, and 退回原因 (the reason) beside each row, with the file,
sheet and row it came from; ready to fix and send again.

One workbook per sender (`<out_dir>/<sender>.xlsx`, the name made safe for a file system; a
file whose sender is unknown is its own sender, named by the file's stem), one sheet per file
of theirs, a title line naming the sender and the load, the header frozen under it. A file
rejected whole has one line: its reason. Written from the published version's marts
(rejected_rows, ingest_log), so the command line and the import page write the same receipts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

import polars as pl

from xiaoan.i18n import DEFAULT_LANG, t
from xiaoan.warehouse import open_read_only

RECEIPTS_DIR = "receipts"  # beside the warehouse: <warehouse folder>/receipts/<batch_id>/<sender>.xlsx
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]+")
_MIDNIGHT = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]00:00:00(?:\.0+)?$")  # a date cell read as a timestamp
MAX_COLUMN_WIDTH = 50

# Who sent each file of a load, with the registry's name for a registry unit.
_REJECTED = """
with log as (select * from ingest_log where batch_id = $batch),
names as (
    select 'town' as kind, town_code as code, town_name as name from towns
    union all select 'department', dept_code, dept_name from departments
    union all select 'village', village_code, village_name from villages
    union all select 'school', school_code, school_name from schools)
select l.ingest_id, l.file, l.finished_at, coalesce(n.name, l.sender_name) as sender,
       r.sheet, r."row", r."column", r.reason, r.raw
from log l join rejected_rows r using (ingest_id)
left join names n on n.kind = l.sender_kind and n.code = l.sender_code
order by l.ingest_id, r.sheet nulls first, r."row" nulls first"""


def receipts_dir(warehouse: Path, batch_id: str) -> Path:
    """Where a load's receipts go by default: data/receipts/<batch_id>/ beside the warehouse."""
    return warehouse.parent / RECEIPTS_DIR / batch_id


def safe_name(text: str, fallback: str = "sender") -> str:
    """A sender's name as a file name: no path separators or characters a file system refuses."""
    name = _UNSAFE.sub("_", str(text)).strip(" ._")
    return name[:80] or fallback


def rejected_for(warehouse: Path, batch_id: str) -> pl.DataFrame:
    """The rejected rows of one load with their file and sender (empty when there are none)."""
    con = open_read_only(warehouse)
    try:
        names = {r for (r,) in con.sql("select table_name from duckdb_tables()").fetchall()}
        needed = {"ingest_log", "rejected_rows", "towns", "departments", "villages", "schools"}
        if not needed <= names:  # a warehouse older than its marts: no receipts to write
            return pl.DataFrame()
        return con.sql(_REJECTED, params={"batch": batch_id}).pl()
    finally:
        con.close()


def write_receipts(warehouse: Path, batch_id: str, out_dir: Path | None = None, lang: str = DEFAULT_LANG) -> list[Path]:
    """One 回执 workbook per sender with rejected rows in load `batch_id`; the paths written."""
    rows = rejected_for(warehouse, batch_id)
    if rows.is_empty():
        return []
    target = out_dir or receipts_dir(warehouse, batch_id)
    target.mkdir(parents=True, exist_ok=True)
    rows = rows.with_columns(sender=pl.coalesce(pl.col("sender"), pl.col("file").str.replace(r"\.[^.]*$", "")))
    written, used = [], set()
    for (sender,), mine in rows.group_by("sender", maintain_order=True):
        name = safe_name(sender)
        while name.lower() in used:  # two senders whose names make the same file name
            name += "_"
        used.add(name.lower())
        path = target / f"{name}.xlsx"
        _write_workbook(path, sender, batch_id, mine, lang)
        written.append(path)
    return written


def _cells(frame: pl.DataFrame) -> tuple[list[str], list[list[object]]]:
    """The clerk's headers in their original order (first seen first) and each row's values
    under them, from the rows' raw JSON (a per-file loop over its rejected rows: a receipt is
    as long as the rows the clerk must fix)."""
    headers: dict[str, None] = {}
    parsed = []
    for raw in frame["raw"].to_list():
        cells = json.loads(raw) if raw else {}
        if not isinstance(cells, dict):
            cells = {}
        headers.update(dict.fromkeys(cells))
        parsed.append({h: _MIDNIGHT.sub(r"\1", v) if isinstance(v, str) else v for h, v in cells.items()})
    order = list(headers)
    return order, [[cells.get(h) for h in order] for cells in parsed]


def _write_workbook(path: Path, sender: str, batch_id: str, rows: pl.DataFrame, lang: str) -> None:
    import xlsxwriter

    tmp = path.with_name(f".{path.name}.tmp")
    book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
    try:
        title_fmt = book.add_format({"bold": True, "font_size": 12})
        head_fmt = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"})
        reason_head = book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1, "text_wrap": True, "valign": "top"})
        reason_fmt = book.add_format({"font_color": "#C00000", "text_wrap": True, "valign": "top"})
        cell_fmt = book.add_format({"valign": "top"})
        when = rows["finished_at"].max()
        sheet_names: set[str] = set()
        for (_, file), mine in rows.group_by(["ingest_id", "file"], maintain_order=True):
            sheet = book.add_worksheet(_sheet_name(Path(file).stem, sheet_names))
            headers, values = _cells(mine)
            fixed = [t("receipt.file", lang), t("receipt.sheet", lang), t("receipt.row", lang)]
            columns = [*fixed, *headers, t("receipt.reason", lang), t("receipt.column", lang)]
            sheet.merge_range(0, 0, 0, max(len(columns) - 1, 1), t(
                "receipt.title", lang, sender=sender, batch=batch_id[:8],
                when=when.strftime("%Y-%m-%d %H:%M") if when else "",
            ), title_fmt)
            sheet.set_row(0, 30)
            for c, name in enumerate(columns):
                sheet.write_string(1, c, name, reason_head if name == t("receipt.reason", lang) else head_fmt)
            widths = [_width(name) for name in columns]
            for r, (meta, cells) in enumerate(zip(mine.select("file", "sheet", "row", "reason", "column").iter_rows(), values), 2):
                file_name, sheet_name, row, reason, column = meta
                line = [file_name, sheet_name or "", row, *cells,
                        reason if row is not None or sheet_name else f"{reason} {t('receipt.whole_file', lang)}", column or ""]
                for c, value in enumerate(line):
                    if value is None or value == "":
                        continue
                    fmt = reason_fmt if c == len(fixed) + len(headers) else cell_fmt
                    if isinstance(value, bool) or not isinstance(value, (int, float)):
                        sheet.write_string(r, c, str(value), fmt)  # as typed, never a formula
                    else:
                        sheet.write_number(r, c, value, fmt)
                    widths[c] = max(widths[c], _width(str(value)))
            for c, w in enumerate(widths):
                sheet.set_column(c, c, min(w + 2, MAX_COLUMN_WIDTH))
            sheet.freeze_panes(2, 0)
            sheet.autofilter(1, 0, 1 + len(values), len(columns) - 1)
    finally:
        book.close()
    tmp.replace(path)


def _width(text: str) -> int:
    """Display width: a CJK character takes two columns."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _sheet_name(stem: str, used: set[str]) -> str:
    """A valid, unique worksheet name (≤ 31 characters, none of []:*?/\\)."""
    base = _SHEET_UNSAFE.sub("_", stem).strip("'")[:28] or "sheet"
    name, n = base, 1
    while name.lower() in used:
        n += 1
        name = f"{base[:27]}~{n}"
    used.add(name.lower())
    return name


def receipt_files(warehouse: Path, batch_ids: Iterable[str] | None = None) -> list[tuple[str, Path]]:
    """The receipts on disk under the warehouse's receipts folder, newest load first:
    (batch id, path) for each (only these loads' when `batch_ids` is given)."""
    root = warehouse.parent / RECEIPTS_DIR
    if not root.is_dir():
        return []
    wanted = set(batch_ids) if batch_ids is not None else None
    folders = [d for d in root.iterdir() if d.is_dir() and (wanted is None or d.name in wanted)]
    folders.sort(key=lambda d: d.stat().st_mtime, reverse=True)
    return [(d.name, p) for d in folders for p in sorted(d.glob("*.xlsx")) if not p.name.startswith(".")]
