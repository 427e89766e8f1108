"""The faster ways of checking rows give exactly what the plain ways give (issue 14's speed work):
per_values (every column's distinct values at once) against per_value one column after another,
clean_tokens (NFKC only where a value is not ASCII) against clean_token, and a kind's rows checked
in two halves side by side against one check of them all, through real files."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.ingest import load as load_module
from pipelines.ingest.normalize import clean_token, clean_tokens, parse_date, per_value, per_values
from pipelines.publish import ingest
from tests import builders
from tests.builders import HAZARD_HEADERS
from xiaoan.warehouse import open_read_only

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

texts = st.one_of(
    st.none(),
    st.sampled_from(["", " ", "　", "S01", " S01 ", "Ｓ０１", "２０２６－３－５", "2026-03-05", "2026年3月5日", "①", "ﬁ",
                     "城关镇", " 城关镇　", "46086", "已整改", "ｘ"]),
    st.text(max_size=12),
)


@given(st.lists(st.tuples(texts, texts), min_size=0, max_size=40))
@SETTINGS
def test_per_values_is_per_value_column_after_column(rows):
    frame = pl.DataFrame({"a": [r[0] for r in rows], "b": [r[1] for r in rows]}, schema={"a": pl.String, "b": pl.String})
    specs = [("a", {"a_clean": clean_token(pl.col("a"))}), ("b", {"b_date": parse_date(clean_token(pl.col("b")))}),
             ("a", {"a_date": parse_date(pl.col("a")), "a_len": pl.col("a").str.len_chars()})]
    expected = frame
    for column, exprs in specs:
        expected = per_value(expected, column, exprs)
    got = per_values(frame, specs)
    assert got.columns == expected.columns
    assert got.equals(expected)


@given(st.lists(texts, min_size=0, max_size=60))
@SETTINGS
def test_clean_tokens_is_clean_token(values):
    series = pl.Series("id", values, dtype=pl.String)
    assert clean_tokens(series).equals(series.to_frame().select(clean_token(pl.col("id"))).to_series())


def _ledgers(tmp_path):
    """Three hazard ledgers with a repeated row in each, a bad date, an unknown school, a blank
    and a totals row: every outcome (loaded, skipped, rejected) in every file."""
    files = []
    for n in range(3):
        rows = [builders.hazard(f"H{n}-{i}", school=("S01", "S02", "S99")[i % 3], found=dt.date(2026, 3, 1 + i % 20),
                                status=("未整改", "整改中", "已整改")[i % 3],
                                rectified=dt.date(2026, 3, 25) if i % 3 == 2 else None)
                for i in range(40 + 7 * n)]
        rows[5][6] = "2026-13-45"  # a bad date
        rows.append(list(rows[3]))  # the same hazard and report date again in the file: a duplicate
        rows.append([None] * len(HAZARD_HEADERS))  # blank
        rows.append(["合计", *[None] * (len(HAZARD_HEADERS) - 1)])  # a totals line
        files.append(builders.xlsx(tmp_path / f"台账{n}.xlsx", HAZARD_HEADERS, rows))
    return files


TABLES = ["raw_hazard_reports", "raw_rejected_rows", "raw_warnings", "hazard_reports", "hazards"]


def _contents(warehouse) -> dict[str, list]:
    """Every row of the tables a load writes, in storage order (rowid): the raw tables keep the
    rows in file order. Ingest ids differ between the two warehouses only by the registry's."""
    con = open_read_only(warehouse)
    try:
        out = {}
        for table in TABLES:
            columns = [c for (c,) in con.sql(f"select column_name from duckdb_columns() where table_name = '{table}' "
                                             "and column_name not in ('ingest_id') order by column_index").fetchall()]
            names = ", ".join(f'"{c}"' for c in columns)
            out[table] = con.sql(f"select rowid, {names} from {table} order by rowid").fetchall()
        return out
    finally:
        con.close()


def _load(folder, registry, files, monkeypatch, side_by_side_rows):
    monkeypatch.setattr(load_module, "SIDE_BY_SIDE_ROWS", side_by_side_rows)
    warehouse = folder / "warehouse.duckdb"
    ingest([registry], warehouse)
    result = ingest(files, warehouse, dt.date(2026, 3, 31))
    return warehouse, [(f.rows_in, f.loaded, f.skipped, f.rejected) for f in result.files]


def test_two_halves_side_by_side_give_what_one_check_gives(tmp_path, monkeypatch):
    files = _ledgers(tmp_path)
    registry = builders.registry_workbook(tmp_path / "登记册.xlsx")
    one, counts_one = _load(tmp_path / "one", registry, files, monkeypatch, 10**9)

    checked = []  # the ingest ids of each call's sheets
    real = load_module.judge
    monkeypatch.setattr(load_module, "judge", lambda kind, items, *a: checked.append({i.ingest_id for i in items}) or real(kind, items, *a))
    two, counts_two = _load(tmp_path / "two", registry, files, monkeypatch, 1)
    hazards = [ids for ids in checked if ids and min(ids) > 1]  # (the registry file is ingest 1)
    assert len(hazards) == 2 and not hazards[0] & hazards[1] and len(hazards[0] | hazards[1]) == 3  # two halves, by file

    assert counts_two == counts_one
    assert all(loaded and skipped and rejected for _, loaded, skipped, rejected in counts_one)  # every outcome occurs
    assert _contents(two) == _contents(one)


@pytest.mark.parametrize("rows,files,cut", [([30_000, 30_000], [1, 2], 1), ([50_000, 10_000, 10_000], [1, 2, 3], 1),
                                            ([10_000, 10_000, 30_000], [1, 2, 3], 2), ([50_000, 50_000], [1, 1], None),
                                            ([10_000, 10_000], [1, 2], None)])
def test_the_cut_falls_between_files_near_the_middle(rows, files, cut):
    class Grid:
        def __init__(self, height):
            self.height = height

    class Sheet:
        def __init__(self, height):
            self.grid = Grid(height)

    class Item:
        def __init__(self, ingest_id, height):
            self.ingest_id, self.sheet = ingest_id, Sheet(height)

    items = [Item(f, r) for f, r in zip(files, rows)]
    assert load_module._half(items) == cut


# ---- the guard's XML read in one call, then cut, as it was read block by block


@given(pieces=st.lists(st.sampled_from([b"<row r=\"1\">", b"<c r=\"A1\" t=\"s\"><v>0</v></c>", b"</row>", "中文".encode(),
                                        b"x" * 7]), max_size=60),
       chunk=st.integers(min_value=8, max_value=64))
@SETTINGS
def test_a_part_read_in_one_call_is_cut_before_tags_like_one_read_in_blocks(pieces, chunk, monkeypatch):
    import io
    import zipfile

    from pipelines.ingest import xlsx_guard

    monkeypatch.setattr(xlsx_guard, "CHUNK", chunk)
    xml = b"<worksheet>" + b"".join(pieces) + b"</worksheet>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", xml)
    with zipfile.ZipFile(buffer) as archive:
        whole = xlsx_guard._xml_chunks(archive, "xl/worksheets/sheet1.xml").to_list()
        with archive.open("xl/worksheets/sheet1.xml") as stream:
            blocks = [b.decode() for b in xlsx_guard._blocks(stream)]
    for chunks in (whole, blocks):
        assert "".join(chunks) == xml.decode()
        assert all(c.startswith("<") for c in chunks[1:])  # no tag is split
    assert all(len(c.encode()) <= chunk for c in whole if "<" in c[1:])  # about CHUNK bytes each


def test_a_check_item_header_is_still_found_where_the_rows_above_hold_none():
    from pipelines.ingest.forms import find_checklist

    grid = pl.DataFrame({"c0": ["XX学校安全检查表", "序号", "1"], "c1": [None, "检查内容", "消防通道畅通"],
                         "c2": [None, "存在问题", "堵塞"]})
    found = find_checklist(grid)
    assert found is not None and found.row == 1 and found.columns["item"] == 1 and found.columns["problem"] == 2


def test_header_keys_are_the_same_cached_or_not():
    from pipelines.contract import _header_key, header_key_of

    for text in ["学校名称（全称）", " 隐患 编号* ", "Ｓｃｈｏｏｌ_Name", "x" * 100, "整改时限:", 46086, None]:
        assert header_key_of(text) == _header_key(text) == header_key_of(text)


# ---- the guard's one scan of a sheet finds what a count of each pattern found (the way before it)


def _extent_pattern_by_pattern(archive, part):
    """sheet_extent as it was: one count per pattern over the sheet's XML, then the row numbers."""
    from pipelines.ingest import limits, xlsx_guard as g

    text = g._xml_chunks(archive, part)
    if text is None:
        return g._walk(archive, part)
    count = {p: int(text.str.count_matches(p).sum() or 0) for p in (g._NO_POSITION, g._FAR, ":" + g._FAR, g._SPACED)}
    if count[g._NO_POSITION] or count[g._SPACED]:
        return g._walk(archive, part)
    plain, namespaced = (int(text.str.count_matches(p).sum() or 0) for p in (r"<row\b", r":row\b"))
    if not namespaced and plain == int(text.str.count_matches(g._ROW_AS_WRITTEN).sum() or 0):
        numbers = text.str.extract_all(g._ROW_AS_WRITTEN).explode().drop_nulls().str.slice(8).cast(pl.Int64, strict=False)
    else:
        numbers = (text.str.extract_all(g._ROW_NUMBER).explode().drop_nulls().str.extract(r"([0-9]+)$")
                   .cast(pl.Int64, strict=False))
    sparse = not numbers.is_empty() and int(numbers.max() or 0) - numbers.len() >= limits.COMPACT_MIN_SAVED_ROWS
    if count[g._FAR] == count[":" + g._FAR] and g._FAST_ROWS * g._FAST_COLUMNS <= limits.MAX_SHEET_CELLS and not sparse:
        return g.Extent(g._FAST_ROWS, g._FAST_COLUMNS, exact=False)
    return g._exact(text)


_ROWS = st.sampled_from(['<row r="{n}">', '<row spans="1:3" r="{n}">', '<x:row r="{n}">', "<row>", '<row  r="{n}">',
                         "<row r='{n}'>"])
_CELLS = st.sampled_from(['<c r="A{n}" t="s"><v>1</v></c>', '<c r="B{n}"><v>2</v></c>', '<c t="s"><v>1</v></c>',
                          '<c r = "A{n}"/>', '<c r= "C{n}"/>', '<c r="XFD1048576"/>', '<c r="AA{n}"/>', '<c r="A1234567"/>',
                          "<c r='D{n}'/>", '<c r="E{n}" t="inlineStr"><is><t>xr="AB 与 r = 1</t></is></c>',
                          '<c r="F{n}" t="inlineStr"><is><t>:row 与 &lt;row r="9"</t></is></c>', '<cols><col min="1"/></cols>'])


def _both_extents(rows, namespace):
    import io
    import zipfile

    from pipelines.ingest import xlsx_guard

    head = '<worksheet xmlns="x"' + (' xmlns:r="http://schemas/r"' if namespace else "") + "><sheetData>"
    body = "".join(row.format(n=n) + "".join(c.format(n=n) for c in cells) + "</row>" for row, n, cells in rows)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", head + body + "</sheetData></worksheet>")
    with zipfile.ZipFile(buffer) as archive:
        part = "xl/worksheets/sheet1.xml"
        return xlsx_guard.sheet_extent(archive, part), _extent_pattern_by_pattern(archive, part)


@given(rows=st.lists(st.tuples(_ROWS, st.integers(min_value=1, max_value=1_100_000), st.lists(_CELLS, max_size=3)),
                     max_size=8),
       namespace=st.booleans())
@settings(max_examples=300, deadline=None)
def test_one_scan_of_a_sheet_bounds_it_as_a_count_of_each_pattern_did(rows, namespace):
    new, before = _both_extents(rows, namespace)
    assert new == before


PLAIN_ROW, PLAIN_CELL = '<row r="{n}">', '<c r="A{n}" t="s"><v>1</v></c>'


@pytest.mark.parametrize("rows,path", [
    ([(PLAIN_ROW, n, [PLAIN_CELL]) for n in (1, 2, 3)], "fast"),
    ([(PLAIN_ROW, 1, [PLAIN_CELL]), (PLAIN_ROW, 2, ['<c r="AA{n}"/>'])], "exact"),  # a column beyond Z
    ([(PLAIN_ROW, 1, [PLAIN_CELL]), (PLAIN_ROW, 2, ['<c r="XFD1048576"/>'])], "exact"),
    ([(PLAIN_ROW, 1, [PLAIN_CELL]), (PLAIN_ROW, 1_048_576, [PLAIN_CELL])], "exact"),  # a row beyond 999999
    ([(PLAIN_ROW, 1, [PLAIN_CELL]), (PLAIN_ROW, 60_000, [PLAIN_CELL])], "exact"),  # sparse: to be compacted
    ([('<row spans="1:3" r="{n}">', 1, [PLAIN_CELL]), ('<row spans="1:3" r="{n}">', 60_000, [PLAIN_CELL])], "exact"),
    ([('<x:row r="{n}">', 1, [PLAIN_CELL]), ('<x:row r="{n}">', 2, [PLAIN_CELL])], "fast"),
    ([(PLAIN_ROW, 1, ['<c t="s"><v>1</v></c>'])], "walk"),  # a cell without a position
    ([(PLAIN_ROW, 1, ['<c r = "A{n}"/>'])], "walk"),  # an r with spaces
    ([(PLAIN_ROW, 1, ['<c r="E{n}" t="inlineStr"><is><t>xr="AB 与 r = 1</t></is></c>'])], "walk"),
])
@pytest.mark.parametrize("namespace", [False, True])
def test_each_shape_of_sheet_takes_its_path_with_one_scan_as_before(rows, path, namespace):
    new, before = _both_extents(rows, namespace)
    assert new == before
    assert {"fast": not new.exact, "exact": new.exact and new.used_rows is not None,
            "walk": new.exact and new.used_rows is None}[path]


def test_a_row_beyond_999999_is_read_exactly_even_when_the_rows_are_not_sparse(monkeypatch):
    from pipelines.ingest import limits

    monkeypatch.setattr(limits, "COMPACT_MIN_SAVED_ROWS", 10_000_000)  # no sheet is sparse: the row's number decides
    rows = [(PLAIN_ROW, 1, [PLAIN_CELL]), (PLAIN_ROW, 1_048_576, [])]  # (its cells' positions would say so too)
    new, before = _both_extents(rows, False)
    assert new == before and new.exact and new.rows == 1_048_576
