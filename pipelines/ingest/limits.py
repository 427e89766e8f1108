"""Limits on what one file may hold and what one load may take (hostile input, SPEC §2): a file
beyond them is rejected whole, with the limit in its reason. Read them as attributes of this
module (`limits.MAX_SHEETS`), so a test can lower one for a run."""

from __future__ import annotations

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_SHEETS = 200
MAX_ROWS_PER_SHEET = 2_000_000
MAX_CELL_CHARS = 5_000
MAX_COLUMNS = 1_000
# Rows × columns of the rectangle a sheet's cells span: the reader allocates all of it, so a few
# cells far apart (A1 and XFD1048576) would take hundreds of GB. ~1 million rows × 40 columns.
MAX_SHEET_CELLS = 40_000_000
# An .xlsx is a zip: refuse one whose members would inflate beyond this (decompression bomb).
MAX_XLSX_UNCOMPRESSED_BYTES = 2 * 1024 * 1024 * 1024
MAX_XLSX_RATIO = 200
# A workbook whose XML inflates to at most this many bytes is read eagerly (calamine straight into
# Arrow: ~30 % less CPU, about twice the memory while a sheet is converted); a larger one is read
# through calamine's cell range, which holds less at once.
EAGER_READ_BYTES = 64 * 1024 * 1024
# A sheet whose rows reach this many rows beyond the rows that hold cells (a stray cell at row
# 1,048,576 under a small ledger) is compacted before it is read: runs of more than
# COMPACT_GAP_ROWS blank rows are dropped, and each row keeps its Excel row number.
COMPACT_MIN_SAVED_ROWS = 10_000
COMPACT_GAP_ROWS = 100
# One file's reading and checking may take this long; a reader still busy then is abandoned
# (its thread left to finish on its own) and the file rejected whole.
MAX_FILE_SECONDS = 300
# Cells held in memory at once during a load: files are read and checked in groups under
# this budget (one file larger than it is a group of its own), so that a load's memory does
# not grow with its number of files.
MAX_HELD_CELLS = 4_000_000
