"""What each blank ledger holds: its file, its sheets (record kinds of pipelines/contract.py,
whose Chinese headers and order it keeps) and, per column, what may be entered there.

An entry is one of: a dropdown list (a vocabulary or a registry list of choices.py, or the
codes typed in another sheet of the same registry workbook), a date, a whole number, a score,
a coordinate, a code kept as text, or free text.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines import contract as k


@dataclass(frozen=True)
class Entry:
    """What a column accepts. `kind`: list, sheet_list, date, whole, score, latitude,
    longitude, code or text; `source`: the list name (list) or the sheet whose first column
    holds the codes (sheet_list)."""

    kind: str
    source: str | None = None


TEXT, CODE, DATE, WHOLE = Entry("text"), Entry("code"), Entry("date"), Entry("whole")


def pick(source: str) -> Entry:
    return Entry("list", source)


@dataclass(frozen=True)
class Ledger:
    """One workbook: its file name and its data sheets (sheet name, record kind, entries)."""

    file: str
    title: str
    sheets: tuple[tuple[str, k.Kind, dict[str, Entry]], ...]


HAZARDS = Ledger("隐患台账.xlsx", k.HAZARDS.zh, ((k.HAZARDS.zh, k.HAZARDS, {
    "hazard_id": CODE, "school": pick("school"), "town": pick("town"), "category": pick("category"),
    "level": pick("level"), "found_date": DATE, "found_by": pick("department"),
    "responsible_dept": pick("department"), "deadline": DATE, "status": pick("status"),
    "rectified_date": DATE, "closed_date": DATE, "report_date": DATE,
}),))

INSPECTIONS = Ledger("检查记录.xlsx", k.INSPECTIONS.zh, ((k.INSPECTIONS.zh, k.INSPECTIONS, {
    "inspection_id": CODE, "date": DATE, "department": pick("department"), "school": pick("school"),
    "type": pick("inspection_type"), "category": pick("category"), "hazards_found": WHOLE,
    "score": Entry("score"),
}),))

MEETINGS = Ledger("会议记录.xlsx", k.MEETINGS.zh, ((k.MEETINGS.zh, k.MEETINGS, {
    "meeting_id": CODE, "type": pick("meeting_type"), "level": pick("meeting_level"), "town": pick("town"),
    "date": DATE, "attendees": pick("attendee"), "decisions": WHOLE,
}),))

# The registry is the 基础信息表 (issue 16's wording); ingestion knows it by its sheets, not its file
# name, so a registry kept under an older name (登记册.xlsx) loads as before.
REGISTRY = Ledger("基础信息表.xlsx", "基础信息表", (
    (k.DISTRICT.zh, k.DISTRICT, {}),
    (k.TOWNS.zh, k.TOWNS, {"code": CODE}),
    (k.VILLAGES.zh, k.VILLAGES, {"code": CODE, "town_code": Entry("sheet_list", k.TOWNS.zh)}),
    (k.SCHOOLS.zh, k.SCHOOLS, {
        "code": CODE, "type": pick("school_type"), "ownership": pick("ownership"),
        "town_code": Entry("sheet_list", k.TOWNS.zh), "village_code": Entry("sheet_list", k.VILLAGES.zh),
        "students": WHOLE, "lat": Entry("latitude"), "lon": Entry("longitude"),
    }),
    (k.DEPARTMENTS.zh, k.DEPARTMENTS, {"code": CODE, "phone": CODE}),
))

LEDGERS = (REGISTRY, HAZARDS, INSPECTIONS, MEETINGS)


def entry_of(entries: dict[str, Entry], field: str) -> Entry:
    return entries.get(field, TEXT)
