"""The one translation table (zh, en) for every user-facing string.

`t(key, lang, **values)` renders a string. Chinese is the default language. Rejection reasons
are stored in the warehouse in Chinese (the clerk's language) and can be shown in English by
key where the dashboard needs it.
"""

from __future__ import annotations

DEFAULT_LANG = "zh"
LANGS = ("zh", "en")

TEXT: dict[str, dict[str, str]] = {
    # ---- ingestion: files rejected whole ----
    "file.not_found": {"zh": "找不到文件", "en": "file not found"},
    "file.unsupported": {"zh": "不支持的文件类型「{ext}」，请提交 .xlsx、.xls 或 .csv 文件", "en": "unsupported file type '{ext}': send .xlsx, .xls or .csv"},
    "file.empty": {"zh": "文件为空", "en": "the file is empty"},
    "file.too_big": {"zh": "文件过大（{size} MB，上限 {limit} MB）", "en": "file too large ({size} MB, limit {limit} MB)"},
    "file.unreadable": {"zh": "无法读取：不是有效的电子表格文件（{detail}）", "en": "cannot be read: not a valid spreadsheet ({detail})"},
    "file.bomb": {"zh": "文件解压后过大（疑似压缩炸弹），拒绝读取", "en": "the file inflates far beyond its size (a decompression bomb): refused"},
    "file.too_many_sheets": {"zh": "工作表过多（{n} 个，上限 {limit} 个）", "en": "too many sheets ({n}, limit {limit})"},
    "file.too_many_rows": {"zh": "工作表「{sheet}」行数过多（{n} 行，上限 {limit} 行）", "en": "sheet '{sheet}' has too many rows ({n}, limit {limit})"},
    "file.encoding": {"zh": "无法识别文本编码：请将 CSV 保存为 UTF-8 或 GBK 编码", "en": "unknown text encoding: save the CSV as UTF-8 or GBK"},
    "file.no_known_headers": {"zh": "未找到可识别的表头：不是登记册、隐患台账、检查记录或会议记录", "en": "no known headers: not a registry, hazard, inspection or meeting ledger"},
    "file.duplicate": {"zh": "与已导入的文件内容相同，未重复导入", "en": "same content as a file already loaded: not loaded again"},
    # ---- ingestion: rows ----
    "row.missing_column": {"zh": "表头缺少必填列「{column}」", "en": "the header lacks the required column '{column}'"},
    "row.required": {"zh": "「{column}」为必填项，不能为空", "en": "'{column}' is required"},
    "row.bad_date": {"zh": "「{column}」不是有效日期：{value}", "en": "'{column}' is not a valid date: {value}"},
    "row.bad_value": {"zh": "「{column}」的值不在规定范围内（可填：{allowed}）", "en": "'{column}' is not one of: {allowed}"},
    "row.bad_integer": {"zh": "「{column}」应为不小于 0 的整数", "en": "'{column}' must be a whole number ≥ 0"},
    "row.bad_score": {"zh": "「{column}」应为 0 到 100 之间的数", "en": "'{column}' must be a number from 0 to 100"},
    "row.bad_number": {"zh": "「{column}」应为数字", "en": "'{column}' must be a number"},
    "row.bad_coordinate": {"zh": "「{column}」超出有效范围", "en": "'{column}' is out of range"},
    "row.unknown_school": {"zh": "学校不在登记册中", "en": "the school is not in the registry"},
    "row.ambiguous_school": {"zh": "学校名称在多个镇重名，请填写学校代码或所属镇", "en": "the school name exists in several towns: give its code or its town"},
    "row.unknown_town": {"zh": "镇不在登记册中", "en": "the town is not in the registry"},
    "row.town_mismatch": {"zh": "所属镇与学校登记的镇不一致", "en": "the town does not match the school's town in the registry"},
    "row.unknown_dept": {"zh": "「{column}」不在成员单位名单中", "en": "'{column}' is not a member unit in the registry"},
    "row.unknown_village": {"zh": "村（社区）不在登记册中或不属于该镇", "en": "the village is not in the registry or not in that town"},
    "row.unknown_attendee": {"zh": "参会单位不在成员单位名单中：{value}", "en": "attendees not in the registry: {value}"},
    "row.deadline_before_found": {"zh": "整改时限早于发现日期", "en": "the deadline is before the found date"},
    "row.rectified_before_found": {"zh": "整改完成日期早于发现日期", "en": "the rectified date is before the found date"},
    "row.closed_before_rectified": {"zh": "销号日期早于整改完成日期", "en": "the closed date is before the rectified date"},
    "row.rectified_required": {"zh": "整改状态为「{value}」时必须填写整改完成日期", "en": "a rectified date is required when the status is '{value}'"},
    "row.closed_required": {"zh": "整改状态为「已销号」时必须填写销号日期", "en": "a closed date is required when the status is 已销号 (closed)"},
    "row.duplicate_in_file": {"zh": "同一台账中重复出现（以第 {value} 行为准）", "en": "repeated within the same ledger (row {value} is kept)"},
    "row.cell_too_long": {"zh": "单元格内容过长（超过 {limit} 个字符）", "en": "a cell is too long (over {limit} characters)"},
    "row.town_required": {"zh": "层级为「镇」的会议必须填写所属镇", "en": "a town-level meeting needs its town"},
    # ---- command line ----
    "cli.kind.registry": {"zh": "登记册", "en": "registry"},
    "cli.kind.hazards": {"zh": "隐患台账", "en": "hazards"},
    "cli.kind.inspections": {"zh": "检查记录", "en": "inspections"},
    "cli.kind.meetings": {"zh": "会议记录", "en": "meetings"},
    "cli.kind.unknown": {"zh": "无法识别", "en": "unknown"},
}


def t(key: str, lang: str = DEFAULT_LANG, /, **values: object) -> str:
    """The text for `key` in `lang` (falling back to Chinese), with `{name}` values filled in."""
    entry = TEXT[key]
    template = entry.get(lang) or entry[DEFAULT_LANG]
    return template.format(**values) if values else template
