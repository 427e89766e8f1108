"""Texts of forms (issue 14): how a real ledger's sheet is read (pipelines/ingest/forms.py)."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "forms.unknown_kind": {
        "zh": "未找到可识别的表头。表中的列：{headers}。各类台账需要的列：{needs}。空白台账模板：{command}",
        "en": "no known headers. Columns found: {headers}. Columns each kind needs: {needs}. Blank ledgers: {command}",
    },
    "forms.which_school": {
        "zh": "本表没有“学校”列，表头上方、标题和文件名都没有写明是哪所学校："
              "请在表头上方加一行“学校：校名”（表头：{headers}）",
        "en": "this sheet has no school column and neither a line above it, its title nor the file name "
              "names the school: add a line 学校：<name> above the header (headers: {headers})",
    },
    "forms.missing_column": {
        "zh": "本表缺少“{column}”列（表头：{headers}），整张表未导入",
        "en": "this sheet lacks the column {column} (headers: {headers}); none of its rows was loaded",
    },
    "forms.undecided_answer": {
        "zh": "问卷中“{value}”：无法从问题的措辞判断勾选的是否为隐患，该条记录未导入，请核对",
        "en": "questionnaire answer {value}: its wording does not tell whether the ticked box is a hazard; "
              "the row was not loaded, please check it",
    },
    "forms.unknown_attendee": {
        "zh": "参会名单中的“{value}”像是一个单位，但不在基础信息表中",
        "en": "{value} in the attendees looks like a unit but is not in the base information table",
    },
    "forms.unknown_invited": {
        "zh": "应到单位中的“{value}”像是一个单位，但不在基础信息表中",
        "en": "{value} in the invited units looks like a unit but is not in the base information table",
    },
}
