"""The data contract of SPEC §2: record kinds, their columns, header aliases and the synonyms
accepted for each word of the vocabularies (the words themselves are xiaoan.vocabulary's).

Chinese here is data (the ledgers' own words), not interface text.
"""

from __future__ import annotations

import functools
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
    # Required fields whose column a sheet may lack: derived then (SPEC §2.1), never a reason to
    # reject. Where the column is there, an empty cell is still rejected.
    derivable: tuple[str, ...] = ()
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

    @property
    def needed(self) -> tuple[str, ...]:
        """The fields a sheet of this kind cannot do without: required and not derivable."""
        return tuple(f for f in self.required if f not in self.derivable)

    def column(self, field_name: str) -> Column:
        return next(c for c in self.columns if c.field == field_name)


_BRACKETED = re.compile(r"[(\[（【<《].*?[)\]）】>》]")
_NON_KEY = re.compile(r"[\s*＊:：#_\-—./、]+")


def header_key_of(text: str) -> str:
    """Normalise a header cell for matching: NFKC, no brackets, spaces, stars or punctuation."""
    if isinstance(text, str) and len(text) <= _KEY_CACHED_CHARS:
        return _header_key_cached(text)
    return _header_key(text)


# Reading a sheet asks for the key of each cell of its first rows several times (the checklist,
# the header, the place table), and the same headers recur sheet after sheet: short texts' keys
# are kept (header cells are short; a long free-text cell is not kept).
_KEY_CACHED_CHARS = 64


def _header_key(text: str) -> str:
    s = unicodedata.normalize("NFKC", str(text)).strip().lower()
    s = _BRACKETED.sub("", s)
    return _NON_KEY.sub("", s)


_header_key_cached = functools.lru_cache(maxsize=1 << 15)(_header_key)


C = Column

HAZARDS = Kind(
    "hazards",
    "隐患台账",
    (
        C("hazard_id", "隐患编号", ("隐患id", "hazard id", "hazardid"), True),
        C("school", "学校", ("学校名称", "单位名称", "学校代码", "校名", "学校(园)", "学校园", "school", "school_code", "school_name"), True),
        C("town", "所属镇", ("镇", "乡镇", "所属乡镇", "镇名称", "town", "town_code")),
        C("category", "隐患类别", ("隐患类型", "类别", "category"), True),
        C("level", "隐患等级", ("等级", "隐患级别", "level"), True),
        C("description", "隐患描述", ("隐患内容", "描述", "问题隐患", "存在问题", "隐患问题", "问题描述", "现状描述", "巡查情况",
                                   "隐患项目", "需整改的隐患", "description")),
        C("found_date", "发现日期", ("发现时间", "排查日期", "排查时间", "巡查日期", "检查日期", "检查时间", "found_date", "found"), True),
        C("found_by", "发现单位", ("排查单位", "found_by")),
        C("responsible_dept", "责任单位", ("整改责任单位", "责任部门", "responsible_dept", "responsible_department", "responsible"), True),
        C("responsible_person", "责任人", ("负责人", "整改责任人", "responsible_person")),
        C("deadline", "整改时限", ("整改期限", "整改截止日期", "完成时限", "预计治理完成时间", "整改时间", "deadline"), True),
        C("measures", "整改措施", ("整改建议", "整改意见", "measures")),
        C("status", "整改状态", ("状态", "整改落实情况", "整改情况", "整改进度", "治理进度", "完成情况", "status"), True),
        C("rectified_date", "整改完成日期", ("完成日期", "整改日期", "rectified_date", "rectified")),
        C("closed_date", "销号日期", ("closed_date", "closed")),
        C("report_date", "填报日期", ("报送日期", "report_date")),
        # SPEC §2.2: the closed loop as the office runs it (all optional).
        C("supervision", "督办级别", ("挂牌督办", "督办", "supervision")),
        C("notice_no", "整改通知书编号", ("通知书编号", "整改通知书号", "notice_no")),
        C("extended_deadline", "延期至", ("延期时限", "延期整改时限", "extended_deadline")),
        C("verifier", "验收人", ("复查人", "verifier")),
        C("verified_date", "验收日期", ("复查日期", "验收时间", "verified_date")),
        C("verification", "验收结果", ("复查情况", "验收情况", "复查结果", "verification")),
    ),
    signature=("hazard_id", "level", "status", "description", "verification"),
    # SPEC §2.1: required cells whose column a ledger may lack altogether; the value is then
    # derived (hazard identity, category, level, found date, responsible unit, deadline, status).
    derivable=("hazard_id", "category", "level", "found_date", "responsible_dept", "deadline", "status"),
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
        C("title", "会议名称", ("主题", "会议主题", "title")),
        C("type", "会议类型", ("type", "meeting_type"), True),
        C("level", "层级", ("会议层级", "level")),
        C("town", "所属镇", ("镇", "乡镇", "town", "town_code")),
        C("date", "召开日期", ("会议日期", "开会日期", "时间", "会议时间", "date", "meeting_date"), True),
        C("chair", "主持人", ("chair",)),
        C("attendees", "参会单位", ("参加人", "参加人员", "参会人员", "与会对象", "参会对象", "attendees")),
        # SPEC §3 v2: the units a 专题会议 invited (应到), against which attendance is counted.
        C("invited", "应到单位", ("应参会单位", "应出席单位", "应参加单位", "应到人员", "应参会人员", "应出席人员",
                               "通知参会单位", "参会范围", "invited", "invitees", "invited_units")),
        C("topics", "议题", ("会议议题", "会议内容", "主要内容", "topics")),
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
    (
        C("name", "区名称", ("district", "district_name"), True),
        C("principal", "总校长", ("principal",)),
        # SPEC §2: the 6-digit administrative code (optional; required to write into a city lake).
        C("code", "区代码", ("行政区划代码", "区县代码", "区划代码", "district_code")),
    ),
    signature=("name",),
    sheet_names=("区", "区级", "district"),
    registry=True,
)
DISTRICT_CODE = re.compile(r"[0-9]{6}")


def is_district_code(value: object) -> bool:
    """Whether a value is a 区代码: exactly six digits (ASCII, as stored after normalising)."""
    return value is not None and DISTRICT_CODE.fullmatch(str(value)) is not None
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
    "消防安全": ("消防", "火灾", "防火", "消防设施", "fire", "fire safety"),
    "校舍建筑": ("校舍", "校舍安全", "建筑", "建筑安全", "building"),
    "交通安全": ("交通", "traffic", "traffic safety"),
    "食品卫生": ("食品安全", "食品", "卫生", "食品卫生安全", "食堂食品", "食物、饮用水安全", "food", "food hygiene"),
    "治安防范": ("治安", "安保", "治安安全", "安全保卫", "security"),
    "防溺水": ("溺水", "防溺", "drowning"),
    "周边环境": ("校园周边", "周边", "周边环境安全", "校园周边环境", "校园及周边安全", "surroundings"),
    "设施设备": ("设备设施", "设施", "设备", "体育器材", "体育设施安全", "用电安全", "电气设备", "facilities", "equipment"),
    "心理健康": ("心理", "mental health"),
    "其他": ("其它", "other"),
})
LEVELS = _synonyms(vocabulary.LEVELS, {
    "一般": ("一般隐患", "一般风险", "轻微", "轻微隐患", "低", "general", "minor"),
    "较大": ("较大隐患", "较大风险", "中", "major"),
    "重大": ("重大隐患", "重大风险", "高", "severe", "critical"),
})
STATUSES = _synonyms(vocabulary.STATUSES, {
    "未整改": ("待整改", "未完成", "未处理", "未开始", "open", "not started"),
    "整改中": ("正在整改", "整改进行中", "处理中", "进行中", "限期整改", "in progress"),
    "已整改": ("已完成", "完成", "整改完成", "已处理", "整改完毕", "整改到位", "已整改到位", "已完成整改", "rectified", "done"),
    "已销号": ("销号", "已销", "已闭环", "闭环", "已消号", "消号", "closed"),
})
# SPEC §2.2: 督办级别 and 验收结果 (复查情况's words too). A verification cell may join several
# words of one sense (未达标，需二次整改): normalize.parse_joined_words splits it.
SUPERVISIONS = _synonyms(vocabulary.SUPERVISIONS, {
    "区级挂牌": ("区级", "区挂牌", "区级督办", "区级挂牌督办", "district"),
    "镇级挂牌": ("镇级", "镇挂牌", "镇级督办", "镇级挂牌督办", "town"),
})
VERIFICATIONS = _synonyms(vocabulary.VERIFICATIONS, {
    "通过": ("已完成", "合格", "已整改", "验收通过", "已通过", "复查合格", "达标", "pass", "passed"),
    "不通过": ("未达标", "不合格", "需二次整改", "未通过", "验收不通过", "复查不合格", "不达标", "fail", "failed"),
})
# 责任单位 words that name the row's own school (SPEC §2.1).
OWN_SCHOOL_WORDS = ("本校", "本园", "学校", "本单位")
# Deadline forms beside a date (SPEC §2.1): a trailing 前; N日内 / N天内 (found date + N days);
# 当日 / 立即 / 立即整改 (the found date).
DEADLINE_BEFORE_SUFFIX = "前"
DEADLINE_WITHIN = r"^(\d{1,4})\s*(?:日|天|个工作日)内?$"
DEADLINE_AT_ONCE = ("当日", "当天", "立即", "立即整改", "立行立改", "即时")
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
