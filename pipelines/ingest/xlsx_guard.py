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

A third shape is an ordinary ledger with one stray cell far below it (a clerk's keystroke at
row 1,048,576): the reader would allocate every row down to it (2.8 GB for a 6 KB file).
Such a sheet is compacted instead of refused: when its rows reach far beyond the rows that
hold cells, the far, sparse part is renumbered to follow the dense part (runs of more than
`limits.COMPACT_GAP_ROWS` blank rows shrink to none), the sheet's XML is rewritten in memory
(row and cell positions, <dimension>, merged ranges) and the Excel row of every remaining
row is kept, so that a rejected row is still reported as Excel shows it.
"""

from __future__ import annotations

import bisect
import io
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field

import polars as pl

from pipelines.ingest import limits

CHUNK = 1 << 22  # bytes of a part's XML scanned at a time
# Attribute lists of a <c> element in which no attribute is `r` (a cell without its position).
_NO_POSITION = r"""<c(?:\s+[a-qs-zA-Z_][\w:.-]*\s*=\s*(?:"[^"]*"|'[^']*'))*\s*/?>"""
# A position beyond Z999999: two letters, or seven digits (found with an optional ':' before it,
# so that a namespace's attribute, xmlns:r="http…", is told apart).
_FAR = r"""r=["'](?:[A-Za-z]{2}|[A-Za-z]{0,3}[0-9]{7})"""
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
    used_rows: tuple[int, ...] | None = None  # the rows holding cells, when known (exact path)


@dataclass
class Compacted:
    """A sheet to read compacted: its rewritten XML and the Excel row of each of its rows."""

    sheet: str
    part: str
    xml: bytes
    excel_rows: list[int]


@dataclass
class Checked:
    extents: list[Extent]
    compacted: dict[str, Compacted] = field(default_factory=dict)  # by zip member


def check_workbook(archive: zipfile.ZipFile) -> Checked:
    """The bounding rectangle of every worksheet, or Refused when the workbook lists too many
    sheets or a sheet exceeds the limits (columns, rows, cells). Sheets whose rows reach far
    beyond the rows holding cells come back compacted (their rectangle is then the compacted one)."""
    parts = worksheet_parts(archive)
    if len(parts) > limits.MAX_SHEETS:
        raise Refused("file.too_many_sheets", {"n": len(parts), "limit": limits.MAX_SHEETS})
    extents = []
    compacted = {}
    for name, part in parts:
        extent = sheet_extent(archive, part)
        if not extent.exact:
            extents.append(extent)
            continue
        if extent.columns <= limits.MAX_COLUMNS and extent.used_rows:
            squeezed = compaction(extent.used_rows)
            if squeezed is not None and extent.rows - len(squeezed) >= limits.COMPACT_MIN_SAVED_ROWS:
                compacted[part] = Compacted(name, part, _rewrite(archive, part, squeezed), squeezed)
                extent = Extent(len(squeezed), extent.columns)
        if extent.columns > limits.MAX_COLUMNS:
            raise Refused("file.too_many_columns", {"sheet": name, "n": extent.columns, "limit": limits.MAX_COLUMNS})
        if extent.rows > limits.MAX_ROWS_PER_SHEET:
            raise Refused("file.too_many_rows", {"sheet": name, "n": extent.rows, "limit": limits.MAX_ROWS_PER_SHEET})
        if extent.rows * extent.columns > limits.MAX_SHEET_CELLS:
            raise Refused("file.sheet_too_large", {"sheet": name, "rows": extent.rows, "columns": extent.columns})
        extents.append(extent)
    return Checked(extents, compacted)


def rewritten(archive: zipfile.ZipFile, checked: Checked) -> bytes:
    """The workbook again, with its compacted sheets' XML in place of theirs (members in order)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in archive.infolist():
            part = checked.compacted.get(info.filename)
            target.writestr(info.filename, part.xml if part else archive.read(info.filename))
    return out.getvalue()


def compaction(used: tuple[int, ...]) -> list[int] | None:
    """The Excel row of each row of the compacted sheet: the rows holding cells, in order, with
    the blank rows between two of them kept when there are at most COMPACT_GAP_ROWS (blank
    rows above the first cell likewise); None when nothing would be saved."""
    gap = limits.COMPACT_GAP_ROWS
    rows: list[int] = []
    previous = 0
    for row in used:
        if row - previous - 1 <= gap:
            rows.extend(range(previous + 1, row))
        rows.append(row)
        previous = row
    return rows if len(rows) < used[-1] else None


_ROW_ATTR = re.compile(r"""(<(?:[\w.-]+:)?row\b[^>]*?\sr=)(["'])([0-9]+)\2""")
_CELL_ATTR = re.compile(r"""(<(?:[\w.-]+:)?c\b[^>]*?\sr=)(["'])([A-Za-z]{1,3})([0-9]+)\2""")
_REF_ATTR = re.compile(r"""(<(?:[\w.-]+:)?(?:dimension|mergeCell)\b[^>]*?\sref=)(["'])([^"']*)\2""")
_CELL_REF = re.compile(r"([A-Za-z]{1,3})([0-9]+)")


def _rewrite(archive: zipfile.ZipFile, part: str, rows: list[int]) -> bytes:
    """The sheet's XML with every row renumbered to its place in `rows` (rows that hold no cell
    and fall in a dropped gap go to the row before it)."""
    new_of = {old: new for new, old in enumerate(rows, start=1)}

    def renumber(old: int) -> int:
        return new_of.get(old) or max(bisect.bisect_right(rows, old), 1)

    text = archive.read(part).decode("utf-8")
    text = _ROW_ATTR.sub(lambda m: f"{m[1]}{m[2]}{renumber(int(m[3]))}{m[2]}", text)
    text = _CELL_ATTR.sub(lambda m: f"{m[1]}{m[2]}{m[3]}{renumber(int(m[4]))}{m[2]}", text)
    text = _REF_ATTR.sub(lambda m: m[1] + m[2] + _CELL_REF.sub(lambda r: f"{r[1]}{renumber(int(r[2]))}", m[3]) + m[2], text)
    return text.encode("utf-8")


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
    found = _found(text)
    if found["no_position"] or found["spaced"]:
        return _walk(archive, part)  # positions that only a walk can tell
    if not found["far"] and _FAST_ROWS * _FAST_COLUMNS <= limits.MAX_SHEET_CELLS and not _rows_to_read(text, found):
        return Extent(_FAST_ROWS, _FAST_COLUMNS, exact=False)  # every cell is placed, within Z999999
    return _exact(text)  # columns beyond Z (a wide ledger), rows beyond 999999, or sparse rows


def _exact(text: pl.Series) -> Extent:
    """The rectangle from every position written in the sheet's XML (and the rows holding cells)."""
    refs = (text.str.extract_all(r"""\sr=["'][A-Za-z]{0,3}[0-9]+""").explode().drop_nulls()
            .str.extract_groups(r"""([A-Za-z]{0,3})([0-9]+)$"""))
    frame = refs.struct.unnest()
    letters = frame.get_column("1").str.to_uppercase().str.pad_start(3, "@")
    codes = [letters.str.slice(k, 1).str.encode("hex").str.to_integer(base=16, strict=False).fill_null(64) - 64
             for k in range(3)]
    columns = (codes[0] * 676 + codes[1] * 26 + codes[2]).max()
    numbers = frame.get_column("2").str.slice(0, 9).cast(pl.Int64, strict=False)
    rows = numbers.max()
    used = numbers.filter(frame.get_column("1").str.len_chars() > 0).drop_nulls().unique().sort()
    return Extent(int(rows or 0), int(columns or 0), used_rows=tuple(used.to_list()))


_ROW_NUMBER = r"""<(?:[\w.-]+:)?row\b[^>]*?\sr=["'][0-9]+"""
# How Excel, WPS and the writers of polars and openpyxl begin a row: its number first.
_ROW_AS_WRITTEN = r"""<row r="[0-9]+"""
# One scan of the sheet's XML finds every rare thing and every row (a pass per pattern took ~3×
# the time: 0.50 s of CPU against 0.15 s on 57 province workbooks): a cell without a position, a
# position beyond Z999999 (":r=" kept apart, the namespace's attribute), an `r` written with
# spaces around its `=`, each row begun as written, and any other row element. Matches do not
# overlap; none of these can begin inside another's match but in a cell without a position
# (which is walked anyway), so what one scan finds is what each pattern would have found.
_SCAN = "|".join((_NO_POSITION, ":?" + _FAR, _SPACED, _ROW_AS_WRITTEN, r"""<row\b""", r""":row\b"""))
_SPACED_FOUND = r"""^r(?:[ \t\r\n]|=[ \t\r\n])"""


def _found(text: pl.Series) -> dict:
    """What _SCAN finds in the sheet's XML, told apart in one pass of polars: a cell without a
    position, an `r` with spaces, a far position (":r=…" is a namespace's attribute, not one),
    the row elements, those begun as written and the greatest number among these."""
    m = pl.col("m")
    written = m.str.starts_with('<row r="')
    return pl.DataFrame({"m": text.str.extract_all(_SCAN).explode().drop_nulls()}).select(
        no_position=m.str.starts_with("<c").any(),
        spaced=m.str.contains(_SPACED_FOUND).any(),
        far=m.str.starts_with("r=").any(),
        rows=(m.str.starts_with("<row") | m.str.starts_with(":row")).sum(),
        written=written.sum(),
        written_far=(written & (m.str.len_bytes() >= 8 + 7)).any(),  # seven digits or more
        written_max=m.filter(written).str.slice(8).cast(pl.Int64, strict=False).max(),
    ).row(0, named=True)


def _rows_to_read(text: pl.Series, found: dict) -> bool:
    """Whether the rows need every position read: a row numbered beyond 999999, or rows numbered
    far beyond the count of row elements (a stray cell far below a ledger: the sheet is then
    walked exactly, to be compacted)."""
    if found["written"] == found["rows"]:
        if found["written_far"]:
            return True
        count, greatest = found["written"], found["written_max"]
    else:  # some row begun otherwise (attributes before its number, a namespace prefix): the full pattern
        numbers = text.str.extract_all(_ROW_NUMBER).explode().drop_nulls().str.extract(r"([0-9]+)$").cast(pl.Int64, strict=False)
        count, greatest = numbers.len(), numbers.max()
    if not count:
        return False
    return int(greatest or 0) - count >= limits.COMPACT_MIN_SAVED_ROWS


def _xml_chunks(archive: zipfile.ZipFile, part: str) -> pl.Series | None:
    """The part's XML as text in chunks of about CHUNK bytes cut before a '<' (XML forbids '<'
    inside a tag, so no tag is split; polars scans the chunks side by side); None when it is not
    UTF-8. A part the reader will hold whole anyway (declaring at most limits.EAGER_READ_BYTES)
    is inflated in one call and then cut (~40 % less time than inflating block by block); a
    larger one block by block. Never beyond the size the part declares, either way."""
    with archive.open(part) as stream:
        declared = archive.getinfo(part).file_size
        if 0 < declared <= limits.EAGER_READ_BYTES:
            data = stream.read(declared)
            chunks = None if _not_utf8(data) else _cut(data)
        else:
            chunks = _blocks(stream)
    if chunks is None:
        return None
    try:
        return pl.Series("x", chunks, dtype=pl.Binary).cast(pl.String)
    except pl.exceptions.PolarsError:
        return None


def _not_utf8(head: bytes) -> bool:
    return head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4096]


def _cut(data: bytes) -> list[bytes]:
    """data in pieces of about CHUNK bytes, each cut before a '<'."""
    chunks = []
    start = 0
    while len(data) - start > CHUNK:
        cut = data.rfind(b"<", start + 1, start + CHUNK)
        if cut < 0:  # no tag in the window (one huge text): up to the next one
            cut = data.find(b"<", start + CHUNK)
            if cut < 0:
                break
        chunks.append(data[start:cut])
        start = cut
    chunks.append(data[start:] if start else data)
    return chunks


def _blocks(stream) -> list[bytes] | None:
    """The stream read CHUNK bytes at a time, cut the same way; None when it is not UTF-8."""
    chunks = []
    carry = b""
    head = True
    while block := stream.read(CHUNK):
        if head and _not_utf8(block):
            return None
        head = False
        data = carry + block
        cut = max(data.rfind(b"<"), 0)
        carry = data[cut:]
        if cut:
            chunks.append(data[:cut])
    if carry:
        chunks.append(carry)
    return chunks


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
