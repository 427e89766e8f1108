"""Write one blank ledger workbook with xlsxwriter: per data sheet the contract's Chinese header
(required columns in red), column formats (dates, text codes), an input hint and a data
validation per column; a 填表说明 sheet; the dropdown lists on a hidden 下拉列表 sheet (which
ingestion, like 填表说明, passes over: pipelines/contract.INSTRUCTION_SHEETS)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from pipelines import contract as k
from pipelines.templates.choices import REGISTRY_LISTS, Choices
from pipelines.templates.layout import Entry, Ledger, entry_of
from xiaoan.i18n import TEXT, t

ROWS = 2000  # rows below the header that carry the validations
EARLIEST, LATEST = dt.date(1990, 1, 1), dt.date(2100, 12, 31)  # the loader's date range
MAX_HINT = 255  # Excel's limit for an input message
NUMBERS = {"whole": ("integer", 0, 10**9), "score": ("decimal", 0, 100),
           "latitude": ("decimal", -90, 90), "longitude": ("decimal", -180, 180)}


def write_ledger(path: Path, ledger: Ledger, choices: Choices, lang: str = "zh", today: dt.date | None = None) -> Path:
    """Write `ledger` to `path` (overwriting it) and return the path."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                           "strings_to_urls": False})
    formats = {
        "required": book.add_format({"bold": True, "font_color": "#C00000", "bg_color": "#FDE9D9", "border": 1}),
        "optional": book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "text": book.add_format({"num_format": "@"}),
        "title": book.add_format({"bold": True, "font_size": 14}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
    }
    try:
        data_sheets = [book.add_worksheet(name) for name, _, _ in ledger.sheets]
        instructions = book.add_worksheet(k.INSTRUCTIONS_SHEET)
        lists = _ListSheet(book.add_worksheet(k.LISTS_SHEET), choices)
        for sheet, (_, kind, entries) in zip(data_sheets, ledger.sheets):
            _write_data_sheet(sheet, kind, entries, lists, formats, lang)
        _write_instructions(instructions, ledger, choices, formats, lang, today or dt.date.today())
        lists.sheet.hide()
        data_sheets[0].activate()
    finally:
        book.close()
    return path


class _ListSheet:
    """The hidden sheet holding one dropdown list per column, each written on first use."""

    def __init__(self, sheet, choices: Choices):
        self.sheet, self.choices, self.ranges = sheet, choices, {}

    def range_of(self, name: str) -> str | None:
        """An absolute reference such as ='下拉列表'!$A$2:$A$15, or None for an empty list."""
        values = self.choices.lists.get(name, ())
        if not values:
            return None
        if name not in self.ranges:
            col = len(self.ranges)
            self.sheet.write_string(0, col, name)
            for r, value in enumerate(values, start=1):
                self.sheet.write_string(r, col, value)
            letter = xl_col_to_name(col)
            self.ranges[name] = f"='{k.LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
        return self.ranges[name]


def _write_data_sheet(sheet, kind: k.Kind, entries: dict[str, Entry], lists: _ListSheet, formats: dict, lang: str) -> None:
    sheet.freeze_panes(1, 0)
    for c, column in enumerate(kind.columns):
        entry = entry_of(entries, column.field)
        width = max(10, 2 * len(column.zh) + 4)
        cell_format = formats["date"] if entry.kind == "date" else formats["text"] if entry.kind == "code" else None
        sheet.set_column(c, c, width if entry.kind != "text" else max(width, 16), cell_format)
        sheet.write_string(0, c, column.zh, formats["required" if column.required else "optional"])
        sheet.data_validation(1, c, ROWS, c, _validation(kind, column, entry, lists, lang))


def _validation(kind: k.Kind, column: k.Column, entry: Entry, lists: _ListSheet, lang: str) -> dict:
    """The xlsxwriter data_validation options for one column: a check where one applies, and
    always the column's hint as the input message."""
    hint = _hint(kind, column, entry, lists.choices, lang)[:MAX_HINT]
    shown = {"input_title": column.zh[:32], "input_message": hint, "error_title": t("tpl.error.title", lang)}
    if entry.kind in ("list", "sheet_list"):
        source = lists.range_of(entry.source) if entry.kind == "list" else _sheet_codes(entry.source)
        if source:
            # Registry names: a code typed by hand is valid too, so only warn; vocabularies stop.
            strict = entry.kind == "list" and entry.source not in REGISTRY_LISTS
            # 参会单位 usually names several units (A、B): the list offers one, typing several is normal.
            several = entry.source == "attendee"
            return {"validate": "list", "source": source, "error_type": "stop" if strict else "warning",
                    "show_error": not several, "error_message": t("tpl.error.list", lang), **shown}
    if entry.kind == "date":
        return {"validate": "date", "criteria": "between", "minimum": dt.datetime.combine(EARLIEST, dt.time()),
                "maximum": dt.datetime.combine(LATEST, dt.time()), "error_type": "warning",
                "error_message": t("tpl.error.date", lang), **shown}
    if entry.kind in NUMBERS:
        kind_of, low, high = NUMBERS[entry.kind]
        return {"validate": kind_of, "criteria": "between", "minimum": low, "maximum": high, "error_type": "stop",
                "error_message": t("tpl.error.number", lang), **shown}
    return {"validate": "any", **shown}


def _sheet_codes(sheet_name: str) -> str:
    """The first column (the codes) of another sheet of the same workbook."""
    return f"='{sheet_name}'!$A$2:$A${ROWS + 1}"


def _hint(kind: k.Kind, column: k.Column, entry: Entry, choices: Choices, lang: str) -> str:
    """How to fill in a column, in words: the kind of entry, then the column's own rule."""
    if entry.kind == "list" and entry.source in REGISTRY_LISTS:
        offered = choices.lists.get(entry.source)
        base = t(f"tpl.hint.{entry.source}" if offered or entry.source == "attendee" else "tpl.hint.unit_free", lang)
    elif entry.kind == "list":
        base = t("tpl.hint.list", lang, values="、".join(choices.lists[entry.source]))
    elif entry.kind == "sheet_list":
        base = t("tpl.hint.sheet_list", lang, sheet=entry.source)
    else:
        base = t(f"tpl.hint.{entry.kind}", lang)
    note = f"tpl.note.{kind.name}.{column.field}"
    return f"{base}；{t(note, lang)}" if note in TEXT else base


def _write_instructions(sheet, ledger: Ledger, choices: Choices, formats: dict, lang: str, today: dt.date) -> None:
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 1, 8)
    sheet.set_column(2, 2, 90, formats["wrap"])
    sheet.write_string(0, 0, t("tpl.title", lang, ledger=ledger.title), formats["title"])
    general = ["tpl.general.rows", "tpl.general.required", "tpl.general.dates"]
    if ledger.sheets[0][1].registry:
        general.insert(1, "tpl.registry.order")
    else:
        general.append("tpl.general.sheets")
    lines = [t(key, lang) for key in general]
    if not ledger.sheets[0][1].registry:
        lines.append(t("tpl.general.registry", lang, district=choices.district or "", day=today.isoformat())
                     if choices.has_registry else t("tpl.general.no_registry", lang))
    lines.append(t("tpl.general.send", lang))
    row = 2
    for n, line in enumerate(lines, start=1):
        sheet.write_string(row, 0, f"{n}. {line}")
        row += 1
    row += 1
    for name, kind, entries in ledger.sheets:
        if len(ledger.sheets) > 1:
            sheet.write_string(row, 0, f"「{name}」", formats["title"])
            row += 1
        for c, label in enumerate(("tpl.head.column", "tpl.head.required", "tpl.head.hint")):
            sheet.write_string(row, c, t(label, lang), formats["optional"])
        row += 1
        for column in kind.columns:
            sheet.write_string(row, 0, column.zh, formats["required" if column.required else "optional"])
            sheet.write_string(row, 1, t("tpl.yes", lang) if column.required else "")
            sheet.write_string(row, 2, _hint(kind, column, entry_of(entries, column.field), choices, lang))
            row += 1
        row += 1
