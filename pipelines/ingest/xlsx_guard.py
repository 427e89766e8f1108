"""Refuse an .xlsx before the spreadsheet reader opens it when it would blow up in memory.

An .xlsx is a zip of XML parts. Two shapes of hostile file are small on disk and huge once
opened:
- a decompression bomb: parts that inflate to far more than the file's size (the sizes the zip
  declares are checked; the reader never inflates a part beyond its declared size);
- a dimension bomb: a handful of cells far apart (A1 and XFD1048576): the reader allocates the
  whole rectangle between them, rows × columns cells, and the process dies.

`check_workbook` finds each worksheet the workbook lists and bounds its rectangle. The fast
path scans the sheet's XML for the rare things that can make it large: a column reference of
two or more letters, a row number of seven or more digits, a cell without a position. When
none occurs, the rectangle is at most 26 columns × 999,999 rows (under the cells limit; the
rows are counted after reading as before). Otherwise the sheet is
walked cell by cell (slower, exact). A sheet beyond the limits of xiaoan.config is refused
with the reason; nothing is read into memory whole.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass

import polars as pl

from xiaoan import config

CHUNK = 1 << 22  # bytes of a part's XML scanned at a time
# Attribute lists of a <c> element in which no attribute is `r` (a cell without its position).
_NO_POSITION = r"""<c(?:\s+[a-qs-zA-Z_][\w:.-]*\s*=\s*(?:"[^"]*"|'[^']*'))*\s*/?>"""
# A position beyond Z999999: two letters, or seven digits. Counted once anywhere and once as a
# namespaced attribute (xmlns:r="http…"); more of the first means one to look at.
_FAR = r"""r=["'](?:[A-Za-z]{2}|[A-Za-z]{0,3}[0-9]{7})"""
_FAR_NOT_AN_ATTRIBUTE = r""":r=["'](?:[A-Za-z]{2}|[A-Za-z]{0,3}[0-9]{7})"""
# An `r` attribute written with spaces around its `=` (legal, never written by Excel or WPS).
_SPACED = r"""r(?:[ \t\r\n]+=|=[ \t\r\n]+)"""
_FAST_COLUMNS, _FAST_ROWS = 26, 999_999
_REF = re.compile(r"([A-Za-z]{0,3})([0-9]*)")
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class Refused(Exception):
    """The workbook is refused; args[0] is an i18n key and args[1] its values."""


@dataclass(frozen=True)
class Extent:
    rows: int
    columns: int
    exact: bool = True  # False: an upper bound (the fast path), good for the cells limit only


def check_workbook(archive: zipfile.ZipFile) -> list[Extent]:
    """The bounding rectangle of every worksheet, or Refused when the workbook lists too many
    sheets or a sheet exceeds the limits (columns, rows, cells)."""
    parts = worksheet_parts(archive)
    if len(parts) > config.MAX_SHEETS:
        raise Refused("file.too_many_sheets", {"n": len(parts), "limit": config.MAX_SHEETS})
    extents = []
    for name, part in parts:
        extent = sheet_extent(archive, part)
        if not extent.exact:
            extents.append(extent)
            continue
        if extent.columns > config.MAX_COLUMNS:
            raise Refused("file.too_many_columns", {"sheet": name, "n": extent.columns, "limit": config.MAX_COLUMNS})
        if extent.rows > config.MAX_ROWS_PER_SHEET:
            raise Refused("file.too_many_rows", {"sheet": name, "n": extent.rows, "limit": config.MAX_ROWS_PER_SHEET})
        if extent.rows * extent.columns > config.MAX_SHEET_CELLS:
            raise Refused("file.sheet_too_large", {"sheet": name, "rows": extent.rows, "columns": extent.columns})
        extents.append(extent)
    return extents


def worksheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, zip member) of every worksheet, found as the reader finds them: the package
    relationships name the workbook, the workbook's relationships name its sheets."""
    members = set(archive.namelist())
    workbook = _target(archive, "_rels/.rels", "officeDocument", "") or "xl/workbook.xml"
    rels = posixpath.join(posixpath.dirname(workbook), "_rels", posixpath.basename(workbook) + ".rels")
    sheets = _relationships(archive, rels, posixpath.dirname(workbook))
    names = {}
    if workbook in members:
        for element in _iter_elements(archive, workbook):
            if element.tag.endswith("}sheet") or element.tag == "sheet":
                rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
                names[rid] = element.get("name", "")
            element.clear()
    parts = [(names.get(rid, target), target) for rid, (kind, target) in sheets.items() if kind.endswith("/worksheet")]
    return [(name, target) for name, target in parts if target in members]


def sheet_extent(archive: zipfile.ZipFile, part: str) -> Extent:
    """An upper bound of the rectangle the reader will allocate for this worksheet."""
    text = _xml_chunks(archive, part)
    if text is None:
        return _walk(archive, part)  # not UTF-8 XML: the parser decodes it
    n = {p: int(text.str.count_matches(p).sum() or 0) for p in (_NO_POSITION, _FAR, _FAR_NOT_AN_ATTRIBUTE, _SPACED)}
    if n[_NO_POSITION] or n[_SPACED]:
        return _walk(archive, part)  # positions that only a walk can tell
    if n[_FAR] == n[_FAR_NOT_AN_ATTRIBUTE] and _FAST_ROWS * _FAST_COLUMNS <= config.MAX_SHEET_CELLS:
        return Extent(_FAST_ROWS, _FAST_COLUMNS, exact=False)  # every cell is placed, within Z999999
    # Columns beyond Z (a wide ledger) or rows beyond 999999: read every position.
    refs = (text.str.extract_all(r"""\sr=["'][A-Za-z]{0,3}[0-9]+""").explode().drop_nulls()
            .str.extract_groups(r"""([A-Za-z]{0,3})([0-9]+)$"""))
    frame = refs.struct.unnest()
    letters = frame.get_column("1").str.to_uppercase().str.pad_start(3, "@")
    codes = [letters.str.slice(k, 1).str.encode("hex").str.to_integer(base=16, strict=False).fill_null(64) - 64
             for k in range(3)]
    columns = (codes[0] * 676 + codes[1] * 26 + codes[2]).max()
    rows = frame.get_column("2").str.slice(0, 9).cast(pl.Int64, strict=False).max()
    return Extent(int(rows or 0), int(columns or 0))


def _xml_chunks(archive: zipfile.ZipFile, part: str) -> pl.Series | None:
    """The part's XML as text in chunks cut before a '<' (XML forbids '<' inside a tag, so no
    tag is split); None when it is not UTF-8."""
    chunks = []
    with archive.open(part) as stream:
        carry = b""
        head = True
        while block := stream.read(CHUNK):
            if head and (block.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in block[:4096]):
                return None
            head = False
            data = carry + block
            cut = max(data.rfind(b"<"), 0)
            carry = data[cut:]
            if cut:
                chunks.append(data[:cut])
        if carry:
            chunks.append(carry)
    try:
        return pl.Series("x", chunks, dtype=pl.Binary).cast(pl.String)
    except pl.exceptions.PolarsError:
        return None


def _walk(archive: zipfile.ZipFile, part: str) -> Extent:
    """The exact rectangle, placing each row and cell as the reader does (an explicit
    position, else one after the previous)."""
    max_row = max_col = 0
    row = 0
    col = 0
    parent = None  # sheetData: each finished row is dropped from it, so memory stays flat
    try:
        for event, element in ET.iterparse(archive.open(part), events=("start", "end")):
            tag = element.tag.rsplit("}", 1)[-1]
            if event == "start" and tag == "sheetData":
                parent = element
            elif event == "start" and tag == "row":
                row = _int(element.get("r"), row + 1)
                col = 0
            elif event == "start" and tag == "c":
                letters, digits = _REF.match(element.get("r") or "").groups()
                col = _column(letters) if letters else col + 1
                if digits:
                    row = int(digits)
                max_row, max_col = max(max_row, row), max(max_col, col)
            elif event == "end" and tag == "row":
                element.clear()
                if parent is not None and len(parent) and parent[-1] is element:
                    parent.remove(element)
    except ET.ParseError:
        pass  # the reader will say what is wrong with it
    return Extent(max_row, max_col)


def _column(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text else default
    except ValueError:
        return default


def _relationships(archive: zipfile.ZipFile, rels: str, base: str) -> dict[str, tuple[str, str]]:
    """id → (type, member) of a relationships part (empty when it is missing)."""
    if rels not in archive.namelist():
        return {}
    out = {}
    for element in _iter_elements(archive, rels):
        if element.tag in (f"{_REL_NS}Relationship", "Relationship"):
            target = element.get("Target", "")
            member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
            out[element.get("Id", "")] = (element.get("Type", ""), member)
    return out


def _target(archive: zipfile.ZipFile, rels: str, kind: str, base: str) -> str | None:
    for rel_type, member in _relationships(archive, rels, base).values():
        if rel_type.endswith("/" + kind):
            return member
    return None


def _iter_elements(archive: zipfile.ZipFile, member: str):
    try:
        for _, element in ET.iterparse(archive.open(member)):
            yield element
    except ET.ParseError:
        return
