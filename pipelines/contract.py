"""The data contract of SPEC §2: record kinds, their columns, header aliases and the synonyms
accepted for each word of the vocabularies (the words themselves are xiaoan.vocabulary's).

Chinese here is data (the ledgers' own words), not interface text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from xiaoan import vocabulary


@dataclass(frozen=True)
class Column:
    """One contract column: canonical field name, canonical Chinese header, accepted aliases."""

    field: str
    zh: str
    aliases: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class Kind:
    """A record kind (a ledger, or one sheet of the registry)."""

    name: str
    zh: str
    columns: tuple[Column, ...]
    # Headers that say "this sheet is of this kind": at least one must be present.
    signature: tuple[str, ...] = ()
    sheet_names: tuple[str, ...] = ()
    registry: bool = False
    _lookup: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def field_for(self, header_key: str) -> str | None:
        if not self._lookup:
            for col in self.columns:
                for name in (col.zh, col.field, *col.aliases):
                    self._lookup[header_key_of(name)] = col.field
        return self._lookup.get(header_key)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.field for c in self.columns if c.required)

    def column(self, field_name: str) -> Column:
        return next(c for c in self.columns if c.field == field_name)


_BRACKETED = re.compile(r"[(\[（【<《].*?[)\]）】>》]")
_NON_KEY = re.compile(r"[\s*＊:：#_\-—./、]+")


def header_key_of(text: str) -> str:
    """Normalise a header cell for matching: NFKC, no brackets, spaces, stars or punctuation."""
    s = unicodedata.normalize("NFKC", str(text)).strip().lower()
    s = _BRACKETED.sub("", s)
    return _NON_KEY.sub("", s)


C = Column

HAZARDS = Kind(
    "hazards",
    "隐患台账",
    (
        C("hazard_id", "隐患编号", ("隐患id", "hazard id", "hazardid"), True),
        C("school", "学校", ("学校名称", "学校代码", "校名", "学校(园)", "学校园", "school", "school_code", "school_name"), True),
        C("town", "所属镇", ("镇", "乡镇", "所属乡镇", "镇名称", "town", "town_code")),
        C("category", "隐患类别", ("隐患类型", "类别", "category"), True),
        C("level", "隐患等级", ("等级", "隐患级别", "level"), True),
        C("description", "隐患描述", ("隐患内容", "描述", "description")),
        C("found_date", "发现日期", ("发现时间", "排查日期", "found_date", "found"), True),
        C("found_by", "发现单位", ("排查单位", "found_by")),
        C("responsible_dept", "责任单位", ("整改责任单位", "责任部门", "responsible_dept", "responsible_department", "responsible"), True),
        C("deadline", "整改时限", ("整改期限", "整改截止日期", "完成时限", "deadline"), True),
        C("measures", "整改措施", ("measures",)),
        C("status", "整改状态", ("状态", "status"), True),
        C("rectified_date", "整改完成日期", ("完成日期", "整改日期", "rectified_date", "rectified")),
        C("closed_date", "销号日期", ("closed_date", "closed")),
        C("report_date", "填报日期", ("报送日期", "report_date")),
    ),
    signature=("hazard_id", "level", "status"),
)
INSPECTIONS = Kind(
    "inspections",
    "检查记录",
    (
        C("inspection_id", "检查编号", ("inspection_id", "inspection id")),
        C("date", "检查日期", ("检查时间", "date", "inspection_date"), True),
        C("department", "检查单位", ("检查部门", "department", "dept", "dept_code"), True),
        C("school", "学校", ("学校名称", "学校代码", "被检查学校", "school", "school_code"), True),
        C("type", "检查类型", ("type", "inspection_type"), True),
        C("category", "检查类别", ("category",)),
        C("inspectors", "检查人员", ("inspectors",)),
        C("hazards_found", "发现隐患数", ("发现隐患数量", "隐患数", "hazards_found")),
        C("score", "检查得分", ("得分", "score")),
    ),
    signature=("date", "type", "department"),
)

MEETINGS = Kind(
    "meetings",
    "会议记录",
    (
        C("meeting_id", "会议编号", ("meeting_id", "meeting id")),
        C("title", "会议名称", ("title",)),
        C("type", "会议类型", ("type", "meeting_type"), True),
        C("level", "层级", ("会议层级", "level")),
        C("town", "所属镇", ("镇", "乡镇", "town", "town_code")),
        C("date", "召开日期", ("会议日期", "开会日期", "date", "meeting_date"), True),
        C("chair", "主持人", ("chair",)),
        C("attendees", "参会单位", ("attendees",)),
        C("topics", "议题", ("会议议题", "topics")),
        C("decisions", "议定事项数", ("议定事项", "decisions")),
    ),
    signature=("type", "date"),
)

# How ledgers write a member unit's name: a county-level division's name ends in one of
# DIVISION_SUFFIXES (青溪区, 某某县, 某某市, 某某旗), and its own bodies are written with the full
# name, the name without the suffix, or just DISTRICT_PREFIX in front (青溪公安分局, 区教育局).
DIVISION_SUFFIXES = "区县市旗"
DISTRICT_PREFIX = "区"

DISTRICT = Kind(
    "district",
    "区",
    (C("name", "区名称", ("district", "district_name"), True), C("principal", "总校长", ("principal",))),
    signature=("name",),
    sheet_names=("区", "区级", "district"),
    registry=True,
)
TOWNS = Kind(
    "towns",
    "镇",
    (
        C("code", "镇代码", ("town_code",), True),
        C("name", "镇名称", ("town_name",), True),
        C("principal", "总校长", ("principal",)),
    ),
    signature=("code", "name"),
    sheet_names=("镇", "乡镇", "towns"),
    registry=True,
)
VILLAGES = Kind(
    "villages",
    "村社区",
    (
        C("code", "村代码", ("村社区代码", "社区代码", "village_code"), True),
        C("name", "村名称", ("村社区名称", "社区名称", "village_name"), True),
        C("town_code", "镇代码", ("所属镇代码", "town_code"), True),
        C("principal", "总校长", ("principal",)),
    ),
    signature=("code",),
    sheet_names=("村社区", "村(社区)", "村", "社区", "villages"),
    registry=True,
)
SCHOOLS = Kind(
    "schools",
    "学校",
    (
        C("code", "学校代码", ("school_code",), True),
        C("name", "学校名称", ("school_name",), True),
        C("type", "学校类型", ("school_type",), True),
        C("ownership", "办学性质", ("ownership",)),
        C("town_code", "镇代码", ("所属镇代码", "town_code"), True),
        C("village_code", "村代码", ("村社区代码", "village_code")),
        C("students", "在校生数", ("学生数", "students")),
        C("lat", "纬度", ("lat", "latitude")),
        C("lon", "经度", ("lon", "lng", "longitude")),
    ),
    signature=("code", "type"),
    sheet_names=("学校", "学校名单", "schools"),
    registry=True,
)
DEPARTMENTS = Kind(
    "departments",
    "成员单位",
    (
        C("code", "单位代码", ("部门代码", "dept_code", "department_code"), True),
        C("name", "单位名称", ("部门名称", "dept_name", "department_name"), True),
        C("member", "成员", ("member",)),
        C("liaison", "联络员", ("liaison",)),
        C("phone", "联系电话", ("电话", "phone")),
    ),
    signature=("code",),
    sheet_names=("成员单位", "部门", "departments"),
    registry=True,
)

# Personal data (docs/security.md "Personal data"): the member units' fields that hold it, each
# with how a snapshot masks it ("name": first character kept; "phone": first 3 and last 4).
PERSONAL_FIELDS = {"member": "name", "liaison": "name", "phone": "phone"}
# A header of any sheet (a rejected row's raw cells) holds personal data when it contains one of
# those fields' headers or aliases, or 手机 (mobile); 成员 not where it begins 成员单位 (the unit).
_PERSONAL_EXTRA_WORDS = ("手机",)


def _personal_header_pattern() -> re.Pattern[str]:
    words = {w for name in PERSONAL_FIELDS for c in [DEPARTMENTS.column(name)] for w in (c.zh, c.field, *c.aliases)}
    parts = []
    for word in sorted(words | set(_PERSONAL_EXTRA_WORDS), key=lambda w: (-len(w), w)):
        rest = DEPARTMENTS.zh[len(word):] if DEPARTMENTS.zh.startswith(word) else ""
        parts.append(re.escape(word) + (f"(?!{re.escape(rest)})" if rest else ""))
    return re.compile("|".join(parts), re.IGNORECASE)


_PERSONAL_HEADER = _personal_header_pattern()


def is_personal_header(header: object) -> bool:
    """Whether a header cell, as typed, names a member, liaison or phone."""
    return _PERSONAL_HEADER.search(str(header)) is not None


REGISTRY_KINDS = (DISTRICT, TOWNS, VILLAGES, SCHOOLS, DEPARTMENTS)
RECORD_KINDS = (HAZARDS, INSPECTIONS, MEETINGS)
ALL_KINDS = REGISTRY_KINDS + RECORD_KINDS
KINDS = {k.name: k for k in ALL_KINDS}

# Sheets that carry instructions or dropdown lists, not data: skipped without complaint.
# 填表说明 and 下拉列表 are the sheets of the blank ledgers that `xiaoan template` writes.
INSTRUCTIONS_SHEET = "填表说明"
LISTS_SHEET = "下拉列表"
INSTRUCTION_SHEETS = (INSTRUCTIONS_SHEET, "说明", "填报说明", "使用说明", LISTS_SHEET, "instructions", "readme", "备注")

# ---- vocabularies: the accepted synonyms of each canonical word of xiaoan.vocabulary ----


def _synonyms(words: tuple[str, ...], synonyms: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """canonical word → its synonyms, in the vocabulary's order (every key also maps to itself)."""
    unknown = set(synonyms) - set(words)
    if unknown:
        raise ValueError(f"synonyms for words not in the vocabulary: {sorted(unknown)}")
    return {w: synonyms.get(w, ()) for w in words}


CATEGORIES = _synonyms(vocabulary.CATEGORIES, {
    "消防安全": ("消防", "火灾", "防火", "fire", "fire safety"),
    "校舍建筑": ("校舍", "校舍安全", "建筑", "建筑安全", "building"),
    "交通安全": ("交通", "traffic", "traffic safety"),
    "食品卫生": ("食品安全", "食品", "卫生", "食品卫生安全", "food", "food hygiene"),
    "治安防范": ("治安", "安保", "治安安全", "security"),
    "防溺水": ("溺水", "防溺", "drowning"),
    "周边环境": ("校园周边", "周边", "周边环境安全", "surroundings"),
    "设施设备": ("设备设施", "设施", "设备", "facilities", "equipment"),
    "心理健康": ("心理", "mental health"),
    "其他": ("其它", "other"),
})
LEVELS = _synonyms(vocabulary.LEVELS, {
    "一般": ("一般隐患", "一般风险", "低", "general", "minor"),
    "较大": ("较大隐患", "较大风险", "中", "major"),
    "重大": ("重大隐患", "重大风险", "高", "severe", "critical"),
})
STATUSES = _synonyms(vocabulary.STATUSES, {
    "未整改": ("待整改", "未完成", "未处理", "未开始", "open", "not started"),
    "整改中": ("正在整改", "整改进行中", "处理中", "进行中", "in progress"),
    "已整改": ("已完成", "完成", "整改完成", "已处理", "rectified", "done"),
    "已销号": ("销号", "已销", "已闭环", "闭环", "closed"),
})
SCHOOL_TYPES = _synonyms(vocabulary.SCHOOL_TYPES, {
    "幼儿园": ("幼儿园", "幼稚园", "kindergarten"),
    "小学": ("primary",),
    "初中": ("初级中学", "中学", "middle"),
    "九年一贯制": ("九年一贯制学校", "九年制"),
    "完全中学": ("完中",),
})
OWNERSHIPS = _synonyms(vocabulary.OWNERSHIPS, {"公办": ("公立", "public"), "民办": ("私立", "private")})
INSPECTION_TYPES = _synonyms(vocabulary.INSPECTION_TYPES, {
    "日常检查": ("日常", "routine"),
    "专项检查": ("专项",),
    "联合检查": ("联合",),
    "督导检查": ("督导", "督查"),
    "开学检查": ("开学", "开学前检查"),
    "节假日检查": ("节假日", "节前检查"),
    "校舍安全检测": ("校舍检测", "校舍安全鉴定"),
    "法治教育": ("法治宣传教育", "法制教育", "法治讲座", "法治副校长授课"),
})
MEETING_TYPES = _synonyms(vocabulary.MEETING_TYPES, {
    "全体成员单位会议": ("全体会议", "全体成员会议", "成员单位全体会议", "全体成员单位大会", "plenary"),
    "专题会议": ("专题", "专题会", "topical"),
    "例会": ("镇例会", "月例会", "例行会议", "regular"),
})
MEETING_LEVELS = _synonyms(vocabulary.MEETING_LEVELS, {"区": ("区级", "district"), "镇": ("镇级", "乡镇", "town")})

TOTALS_WORDS = ("合计", "总计", "小计", "共计", "total", "subtotal")
NOTE_PREFIXES = ("填表人", "审核人", "负责人", "填表说明", "说明", "备注", "注", "制表")
# Separators of the 参会单位 (attendees) list.
ATTENDEE_SEPARATORS = r"[、,，;；\n]+"


def vocabulary_map(vocab: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """synonym key → canonical value, keys normalised like cells (NFKC, no spaces, lower case)."""
    out: dict[str, str] = {}
    for canonical, synonyms in vocab.items():
        for word in (canonical, *synonyms):
            out[value_key_of(word)] = canonical
    return out


def value_key_of(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()
