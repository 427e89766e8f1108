"""How one office typed one file (`FileStyle`), and which file gets which untidiness.

The k-th file of a kind takes the k-th entry of each cycle, so every feature shows up;
which month or quarter is the k-th is shuffled by the seed.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.sample import messy


@dataclass(frozen=True)
class FileStyle:
    container: str = "xlsx"     # xlsx | xls | csv
    encoding: str = "utf-8"     # csv: utf-8, utf-8-sig or gbk
    crlf: bool = False          # csv line ends
    title: bool = False         # title and date lines above the header
    two_row: bool = False       # group titles over a two-row header (hazards)
    english: bool = False       # English contract names as headers
    school_by: str = "name"     # name | code | mixed
    dept_by: str = "name"       # name | code | mixed
    town_by: str = "name"       # name | code
    date_style: str = "excel"   # excel | iso | slash | dot | cn
    date_mix: float = 0.0       # share of rows whose dates are typed another way
    shuffle: bool = False       # columns in another order
    remark: bool = False        # an extra 备注 column the contract does not name
    blank_rows: int = 0         # empty rows among the data
    totals: bool = False        # a 合计 row at the bottom
    synonyms: float = 0.0       # share of statuses written as synonyms (hazards)
    dirty: float = 0.0          # share of cells with stray spaces or full-width characters

    @property
    def excel_dates(self) -> bool:
        return self.container != "csv" and self.date_style == messy.EXCEL


def _at(k: int, options: tuple):
    return options[k % len(options)]


def workbook(k: int, container: str = "xlsx", two_row_ok: bool = True) -> FileStyle:
    """A hand-kept workbook (.xlsx or .xls) of the standard district."""
    return FileStyle(
        container=container,
        title=_at(k, (True, True, True, False, True, True, True)),
        two_row=two_row_ok and k % 3 == 0,
        school_by=_at(k, ("name", "name", "code", "mixed")),
        dept_by=_at(k, ("name", "code", "name", "mixed", "name")),
        town_by=_at(k, ("name", "name", "name", "name", "code", "name")),
        date_style=_at(k, ("excel", "excel", "iso", "excel", "slash", "excel", "dot", "cn",
                           "excel")),
        date_mix=_at(k, (0.0, 0.05, 0.0, 0.1)),
        shuffle=k % 5 == 3,
        remark=k % 4 == 1,
        blank_rows=_at(k, (2, 0, 1, 3)),
        totals=k % 2 == 0,
        synonyms=_at(k, (0.0, 0.0, 0.3, 0.1)),
        dirty=_at(k, (0.0, 0.03, 0.01, 0.02)),
    )


def hand_csv(k: int) -> FileStyle:
    """A CSV that an office exported or typed (standard district)."""
    return FileStyle(
        container="csv",
        encoding=_at(k, ("utf-8-sig", "utf-8", "gbk", "utf-8-sig", "utf-8")),
        crlf=_at(k, (False, False, True, False, True)),
        title=_at(k, (False, False, True, False, True, False)),
        english=k == 1,
        school_by=_at(k, ("name", "code", "name", "mixed")),
        dept_by=_at(k, ("name", "name", "code", "mixed", "name")),
        town_by=_at(k, ("name", "name", "name", "code")),
        date_style=_at(k, ("iso", "slash", "cn", "dot", "iso", "slash")),
        date_mix=_at(k, (0.0, 0.05, 0.0, 0.1)),
        shuffle=k % 5 == 2,
        remark=k % 4 == 3,
        blank_rows=_at(k, (0, 1, 0, 2)),
        totals=k % 3 == 2,
        synonyms=_at(k, (0.0, 0.2, 0.0, 0.1)),
        dirty=_at(k, (0.02, 0.0, 0.01, 0.0)),
    )


def bulk_csv(k: int) -> FileStyle:
    """A large-scale CSV: UTF-8, header on the first line, a little untidiness."""
    return FileStyle(
        container="csv",
        encoding=_at(k, ("utf-8", "utf-8-sig")),
        school_by=_at(k, ("code", "name", "code")),
        dept_by=_at(k, ("name", "code")),
        date_style=_at(k, ("iso", "iso", "slash", "iso", "cn")),
        date_mix=_at(k, (0.0, 0.01)),
        synonyms=_at(k, (0.0, 0.05, 0.0)),
        dirty=_at(k, (0.0, 0.002)),
    )
