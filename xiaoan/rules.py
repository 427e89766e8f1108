"""The evaluation rules (考核规则): weights and thresholds the office edits, in a TOML file.

`load_rules(path)` reads and validates the file (default: $XIAOAN_RULES, else xiaoan/rules.toml)
and returns `Rules`; anything wrong raises `RulesError` with a one-line message naming the file
and line. `Rules.as_sql()` is the struct the metric macros take as their `rules` parameter.
`Rules.derive` is the optional `[derive]` section (SPEC §2.1): how ingestion fills the fields a
ledger lacks; `Rules.hash` fingerprints the whole (metrics and derive) for the ingest log.
`Rules.documents` is the optional `[documents]` section (issue 16): the issuing office, the
templates, the notice numbers and the wording of the 通报 and the 督办通知书.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import string
import tomllib
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from xiaoan import config, vocabulary

TIERS = ("town", "dept")
# The keys of an indicator spec, every one present in `Rules.as_sql()["indicators"]` (None when
# the indicator has none).
SPEC_KEYS = ("weight", "points_per_unit", "full_at_days", "zero_at_days")


class RulesError(ValueError):
    """The rules file cannot be used; the message names the file and, when known, the line."""


@dataclass(frozen=True)
class Number:
    """One number of the file: integer or not, and its allowed range."""

    integer: bool = False
    low: float = 0.0
    high: float = math.inf
    low_open: bool = False  # True: the value must be > low (not ≥)

    def check(self, value: Any) -> str | None:
        """None when the value is acceptable, else what is wrong, in words."""
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return f"must be a number, got {value!r}"
        if self.integer and not float(value).is_integer():
            return f"must be a whole number, got {value!r}"
        if value < self.low or (self.low_open and value == self.low):
            return f"must be {'greater than' if self.low_open else 'at least'} {_fmt(self.low)}, got {_fmt(value)}"
        if value > self.high:
            return f"must be at most {_fmt(self.high)}, got {_fmt(value)}"
        return None


POSITIVE = Number(low=0, low_open=True)
WEIGHT = Number(low=0, high=100)
DAYS = Number(integer=True, low=1)
MONTH = Number(integer=True, low=1, high=12)
GRADE = Number(low=0, high=100)

# table → key → kind. The indicator tables are fixed: the SQL computes exactly these.
SCHEMA: dict[tuple[str, ...], dict[str, Number]] = {
    ("risk",): {"general": POSITIVE, "major": POSITIVE, "grave": POSITIVE, "overdue_factor": Number(low=1)},
    ("targets",): {"dept_rectification_rate": Number(low=0, high=1)},
    ("overdue_buckets",): {"short_days": DAYS, "medium_days": DAYS},
    ("repeat",): {"window_days": DAYS},
    ("semesters",): {"spring_start_month": MONTH, "autumn_start_month": MONTH},
    ("scores",): {"decimals": Number(integer=True, low=0, high=6)},
    ("grades",): {"excellent": GRADE, "good": GRADE, "pass": GRADE},
    ("supervision",): {"overdue_days": DAYS},
    ("town", "rectification_rate"): {"weight": WEIGHT},
    ("town", "on_time_rate"): {"weight": WEIGHT},
    ("town", "inspection_coverage"): {"weight": WEIGHT},
    ("town", "meeting_compliance"): {"weight": WEIGHT},
    ("town", "overdue_open_per_school"): {"weight": WEIGHT, "points_per_unit": POSITIVE},
    ("town", "reporting"): {"weight": WEIGHT},
    ("dept", "rectification_rate"): {"weight": WEIGHT},
    ("dept", "on_time_rate"): {"weight": WEIGHT},
    ("dept", "overdue_open"): {"weight": WEIGHT, "points_per_unit": POSITIVE},
    ("dept", "meeting_attendance"): {"weight": WEIGHT},
    ("dept", "median_days_to_rectify"): {"weight": WEIGHT, "full_at_days": Number(low=0), "zero_at_days": POSITIVE},
    ("dept", "duty_inspection_coverage"): {"weight": WEIGHT},
    ("dept", "legal_education_coverage"): {"weight": WEIGHT},
}

# Evaluation v2 (SPEC §3): the tables a file written before v2 lacks get these values, with a
# warning naming each (Rules.warnings); the file's own tables are read as today.
V2_TABLES: dict[tuple[str, ...], dict[str, Any]] = {
    ("grades",): {"excellent": 90, "good": 80, "pass": 60},
    ("supervision",): {"overdue_days": 30},
    ("town", "reporting"): {"weight": 10},
    ("dept", "duty_inspection_coverage"): {"weight": 15},
    ("dept", "legal_education_coverage"): {"weight": 10},
}
# The v2 keys that are lists or words, optional in their table: default, and whether leaving one
# out is warned about (a duty list or the supervised levels change scores and lists; the word for
# "below the last band" is only a label).
DEFAULT_DUTY_INSPECTION = ["教育局", "公安", "交警", "消防", "市场监管", "卫生健康", "建设", "应急", "交通运输"]
V2_KEYS: dict[tuple[str, ...], tuple[Any, bool]] = {
    ("supervision", "levels"): (["重大"], True),
    ("grades", "below"): ("不合格", False),
    ("dept", "duty_inspection_coverage", "duty"): (DEFAULT_DUTY_INSPECTION, True),
    ("dept", "legal_education_coverage", "duty"): (["公安"], True),
}
# The grade of each band of [grades], best first (SPEC §3 v2: 优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60).
GRADE_NAMES = {"excellent": "优秀", "good": "良好", "pass": "合格"}


# SPEC §2.1's defaults of the [derive] section, used for a key (or the whole section) the file
# leaves out, so a rules file written before the section existed keeps working.
DEFAULT_CATEGORY_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("消防安全", ("消防", "灭火器", "疏散", "烟感")),
    ("食品卫生", ("食堂", "厨房", "燃气", "食品")),
    ("校舍建筑", ("墙", "楼梯", "扶手", "地砖", "瓷砖", "吊顶", "屋面", "宿舍", "教学楼")),
    ("设施设备", ("电", "插座", "线路", "玩具", "器材", "塑胶")),
    ("交通安全", ("交通", "校车", "道路", "减速")),
    ("防溺水", ("溺水", "池塘", "河", "水库")),
    ("治安防范", ("门卫", "保安", "监控", "防护器械", "围栏")),
    ("心理健康", ("心理",)),
    ("周边环境", ("周边", "摊", "网吧")),
)
DEFAULT_DEADLINE_DAYS = {"一般": 30, "较大": 15, "重大": 7}
DEFAULT_FINE_WORDS = ("正常", "良好", "完好", "合格", "符合", "符合要求", "已落实", "落实", "无问题", "无", "不涉及",
                      "是", "否", "有", "√", "/", "—", "无异常", "已建立", "已制订", "已公示", "已核查")
DERIVE_KEYS = ("default_level", "fine_words", "deadline_days", "category_keywords")
# The category a description none of whose keywords occurs gets (SPEC §2.1: "else 其他").
OTHER_CATEGORY = "其他"


@dataclass(frozen=True)
class Derive:
    """The [derive] section: how ingestion fills what a ledger lacks (SPEC §2.1).

    - `category_keywords`: (category, keywords) pairs in the order they are tried; the first
      category with a keyword anywhere in the description wins, none → `other_category`.
    - `deadline_days`: level → days added to the found date when the ledger has no deadline.
    - `fine_words`: result words that say a check item is fine. The caller compares a cell with
      its whitespace and trailing punctuation removed (正常。 → 正常); the words are stored as
      written in the file (stripped of surrounding whitespace).
    - `default_level`: the level of a hazard whose ledger has no level column.
    """

    category_keywords: tuple[tuple[str, tuple[str, ...]], ...] = DEFAULT_CATEGORY_KEYWORDS
    deadline_days: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_DEADLINE_DAYS))
    fine_words: tuple[str, ...] = DEFAULT_FINE_WORDS
    default_level: str = "一般"
    other_category: str = OTHER_CATEGORY

    def as_json(self) -> dict[str, Any]:
        return {"category_keywords": [[c, list(k)] for c, k in self.category_keywords],
                "deadline_days": dict(self.deadline_days), "fine_words": list(self.fine_words),
                "default_level": self.default_level}

    @property
    def hash(self) -> str:
        """What a file's reading depends on in the rules (keywords, default level and days, fine
        words): a file is the same file only under the same one (SPEC §2.1). Weights and targets
        change scores, not what a file holds, so they are not in it (Rules.hash has them)."""
        blob = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def category_of(self, description: str | None) -> str:
        """The category the keyword table gives a description (one value; ingestion does the same
        vectorised)."""
        text = description or ""
        return next((c for c, words in self.category_keywords if any(w in text for w in words)),
                    self.other_category)


# The [documents] section's defaults (issue 16; docs/rules.md, "Documents").
DEFAULT_NOTICE_NUMBER = "{district_short}安督〔{year}〕{seq}号"
NOTICE_NUMBER_FIELDS = ("district_short", "year", "seq")
DEFAULT_RECIPIENTS = "各镇安全总校（园）长，区各成员单位"
# The default closing paragraphs of the 通报; {grade_below} is the rules file's lowest grade
# ([grades] below), filled in by default_requirements (the office may rename its grades).
DEFAULT_REQUIREMENTS = (
    "各镇、各成员单位要高度重视校园安全隐患排查整改工作，对照本通报指出的问题逐项建立整改台账，"
    "明确整改责任和整改时限，确保隐患按期整改到位。\n"
    "对挂牌督办和逾期未整改的隐患，责任单位要制定专项整改方案，落实整改资金和防控措施，"
    "整改完成后及时申请验收销号，并将整改进展情况书面报区中小学幼儿园安全总校（园）长制工作办公室。\n"
    "排名靠后、考核等级为{grade_below}的单位要认真分析原因，主要负责同志要亲自研究部署，切实扭转工作被动局面。"
    "区中小学幼儿园安全总校（园）长制工作办公室将适时开展督导检查，督查情况纳入年度考核。"
)


def default_requirements(grade_below: str) -> str:
    """The default closing paragraphs of the 通报, naming the rules file's lowest grade."""
    return DEFAULT_REQUIREMENTS.format(grade_below=grade_below)


DEFAULT_ISSUER_SUFFIX = "中小学幼儿园安全总校（园）长制工作办公室"
# The last character of a district's name that its short form drops (青溪区 → 青溪).
DISTRICT_SUFFIXES = "区县市旗"
DOCUMENT_KEYS = ("issuer", "bulletin_template", "notice_template", "notice_number", "reply_days", "requirements",
                 "recipients", "contact")


def district_short(district_name: str) -> str:
    """The district's name without its last 区/县/市/旗 (青溪区 → 青溪), as notice numbers use it."""
    name = (district_name or "").strip()
    return name[:-1] if len(name) > 1 and name[-1] in DISTRICT_SUFFIXES else name


@dataclass(frozen=True)
class Documents:
    """The [documents] section (every key optional): what the 通报 and the 督办通知书 say of the
    office and where their templates are.

    - `issuer`: the issuing office (落款); "" → "<区名称>中小学幼儿园安全总校（园）长制工作办公室";
    - `bulletin_template` / `notice_template`: an office's own .docx template (a path, relative
      to the rules file, resolved when read); None → the template shipped in xiaoan/documents;
    - `notice_number`: the pattern of a notice's number, placeholders {district_short}, {year},
      {seq} ({seq} required);
    - `reply_days`: days after the notice's date by which the unit replies in writing;
    - `requirements`: the closing paragraphs of the 通报, one per line;
    - `recipients`: 主送; `contact`: the 联系人及电话 line ("" → none).
    """

    issuer: str = ""
    bulletin_template: Path | None = None
    notice_template: Path | None = None
    notice_number: str = DEFAULT_NOTICE_NUMBER
    reply_days: int = 7
    requirements: str = field(default_factory=lambda: default_requirements(V2_KEYS[("grades", "below")][0]))
    recipients: str = DEFAULT_RECIPIENTS
    contact: str = ""

    def issuer_for(self, district_name: str) -> str:
        """The issuing office: the file's `issuer`, else the district's 安全总校（园）长制工作办公室."""
        return self.issuer or f"{(district_name or '').strip()}{DEFAULT_ISSUER_SUFFIX}"

    def requirement_paragraphs(self) -> list[str]:
        """`requirements` as paragraphs: one per non-empty line, stripped."""
        return [line.strip() for line in self.requirements.splitlines() if line.strip()]

    def notice_no(self, district_name: str, year: int, seq: int) -> str:
        """A notice's number from the pattern: e.g. 青溪安督〔2026〕12号."""
        return self.notice_number.format(district_short=district_short(district_name), year=year, seq=seq)


@dataclass(frozen=True)
class Rules:
    """Validated rules. `values` is the file's content as {table: {key: value}} with dotted table
    names ("town.on_time_rate"), v2 defaults filled in; `derive` is the [derive] section;
    `warnings` names, one line each, the v2 keys the file leaves out (their defaults are used)."""

    values: dict[str, dict[str, Any]]
    source: Path | None = field(default=None, compare=False)
    derive: Derive = field(default_factory=Derive)
    warnings: tuple[str, ...] = field(default=(), compare=False)
    missing: tuple[str, ...] = field(default=(), compare=False)  # the keys behind `warnings`, as [table] or [table] key
    # (tier, factor): a file without some of a tier's v2 indicators had its own weights of that
    # tier scaled by factor, so that the added ones weigh their default share of 100
    scaled: tuple[tuple[str, float], ...] = field(default=(), compare=False)
    # [documents]: wording and templates of the 通报 and notices; not in `hash` (no figure depends on it)
    documents: Documents = field(default_factory=Documents)

    def __hash__(self) -> int:  # usable as a cache key
        return hash(self.hash)

    @property
    def hash(self) -> str:
        """A stable fingerprint of everything the rules say (the metric values and [derive]):
        16 hex digits of sha256 over their canonical JSON. Recorded with each load."""
        blob = json.dumps({"values": self.values, "derive": self.derive.as_json()}, sort_keys=True,
                          ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]

    def get(self, table: str, key: str) -> Any:
        return self.values[table][key]

    def indicators(self, tier: str) -> list[str]:
        """The indicators of a tier ('town' or 'dept'), in the order of SPEC §3."""
        return [name[1] for name in SCHEMA if name[0] == tier]

    def weight(self, tier: str, indicator: str) -> float:
        return float(self.values[f"{tier}.{indicator}"]["weight"])

    def duty(self, tier: str, indicator: str) -> list[str] | None:
        """The indicator's duty list (unit codes or name parts), None when it has none."""
        return self.values[f"{tier}.{indicator}"].get("duty")

    def grades(self) -> list[tuple[str, float]]:
        """(grade, lowest total) best first; a total below the last gets `grade_below`."""
        return [(name, float(self.values["grades"][key])) for key, name in GRADE_NAMES.items()]

    @property
    def grade_below(self) -> str:
        return self.values["grades"]["below"]

    @property
    def dept_rectification_target(self) -> float:
        return float(self.get("targets", "dept_rectification_rate"))

    def warning_lines(self, language: str) -> list[str]:
        """`warnings` in a language of the CLI (zh / en), one line per key left out."""
        from xiaoan.i18n import t

        return ([t("cli.rules_v2_default", language, source=self.source or "<rules>", key=key) for key in self.missing]
                + [t("cli.rules_v2_scaled", language, source=self.source or "<rules>", tier=tier, factor=f"{factor:.4g}")
                   for tier, factor in self.scaled])

    def as_sql(self) -> dict[str, Any]:
        """The struct the metric macros take as `rules` (shape of the SQL default_rules())."""
        v = self.values
        return {
            "risk": {k: float(v["risk"][k]) for k in ("general", "major", "grave", "overdue_factor")},
            "overdue_buckets": {k: int(v["overdue_buckets"][k]) for k in ("short_days", "medium_days")},
            "repeat_window_days": int(v["repeat"]["window_days"]),
            "semesters": {k: int(v["semesters"][k]) for k in ("spring_start_month", "autumn_start_month")},
            "score_decimals": int(v["scores"]["decimals"]),
            "supervision": {"overdue_days": int(v["supervision"]["overdue_days"]),
                            "levels": list(v["supervision"]["levels"])},
            "grades": [{"grade": name, "min": low} for name, low in self.grades()],
            "grade_below": self.grade_below,
            **{tier: {ind: {k: float(x) for k, x in v[f"{tier}.{ind}"].items() if k in SPEC_KEYS}
                      for ind in self.indicators(tier)}
               for tier in TIERS},
            # The same specs as rows, the form score_units() joins: one per tier × indicator.
            "indicators": [
                {"tier": tier, "position": position, "indicator": ind,
                 **{k: (float(v[f"{tier}.{ind}"][k]) if k in v[f"{tier}.{ind}"] else None) for k in SPEC_KEYS},
                 "duty": self.duty(tier, ind)}
                for tier in TIERS for position, ind in enumerate(self.indicators(tier), 1)
            ],
        }


def load_rules(path: str | Path | None = None) -> Rules:
    """Read and validate a rules file (default: $XIAOAN_RULES, else the packaged rules.toml)."""
    source = config.rules_path(path)
    try:
        text = Path(source).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RulesError(f"{source}: rules file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(f"{source}: cannot read the rules file ({exc})") from None
    return parse_rules(text, source)


def parse_rules(text: str, source: str | Path = "<rules>") -> Rules:
    """Validate the TOML text of a rules file."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{source}: not valid TOML: {exc}") from None

    def fail(path: tuple[str, ...], message: str) -> None:
        line = locate(text, path)
        where = f"{source}, line {line}" if line else f"{source}"
        raise RulesError(f"{where}: {message}")

    derive = _parse_derive(data.pop("derive", None), fail)
    documents_node = data.pop("documents", None)
    documents = _parse_documents(documents_node, source, fail)
    _check_known(data, (), fail)
    values: dict[str, dict[str, Any]] = {}
    missing: list[str] = []
    given: set[tuple[str, ...]] = set()  # the tables the file writes
    for table, keys in SCHEMA.items():
        node: Any = data
        for part in table:
            node = node.get(part) if isinstance(node, dict) else None
        label = _table(table)
        if node is None and table in V2_TABLES:
            missing.append(label)
            values[".".join(table)] = dict(V2_TABLES[table])
            continue
        if not isinstance(node, dict):
            fail(table, f"missing table {label}")
        given.add(table)
        for key, kind in keys.items():
            if key not in node:
                fail(table, f"missing key '{key}' in {label}")
            problem = kind.check(node[key])
            if problem:
                fail((*table, key), f"{label} {key} {problem}")
        values[".".join(table)] = {key: node[key] for key in keys}
        if len(table) == 2 and table[0] in TIERS and "duty" in node:
            values[".".join(table)]["duty"] = _words(node["duty"], (*table, "duty"), f"{label} duty", fail)
    for (*table, key), (default, warned) in V2_KEYS.items():
        node = values[".".join(table)]
        written = _node(data, (*table, key))
        if written is None:
            node[key] = list(default) if isinstance(default, list) else default
            if warned and tuple(table) in given:
                missing.append(f"{_table(tuple(table))} {key}")
        elif key == "levels":
            node[key] = _words(written, (*table, key), f"{_table(tuple(table))} {key}", fail)
            for level in node[key]:
                if level not in vocabulary.LEVELS:
                    fail((*table, key), f"[supervision] levels: {level!r} is not a level "
                                        f"(levels: {', '.join(vocabulary.LEVELS)})")
        elif key == "below":
            if not isinstance(written, str) or not written.strip():
                fail((*table, key), "[grades] below must be a non-empty word")
            node[key] = written.strip()
        # (a duty list the file writes was read with its table)

    buckets = values["overdue_buckets"]
    if buckets["medium_days"] <= buckets["short_days"]:
        fail(("overdue_buckets", "medium_days"), "[overdue_buckets] medium_days must be greater than short_days")
    semesters = values["semesters"]
    if semesters["autumn_start_month"] <= semesters["spring_start_month"]:
        fail(("semesters", "autumn_start_month"),
             "[semesters] autumn_start_month must come after spring_start_month")
    median = values["dept.median_days_to_rectify"]
    if median["zero_at_days"] <= median["full_at_days"]:
        fail(("dept", "median_days_to_rectify", "zero_at_days"),
             "[dept.median_days_to_rectify] zero_at_days must be greater than full_at_days")
    bands = list(GRADE_NAMES)
    for better, worse in zip(bands, bands[1:]):
        if values["grades"][worse] >= values["grades"][better]:
            fail(("grades", worse), f"[grades] {worse} must be below {better} "
                                    f"({_fmt(values['grades'][worse])} ≥ {_fmt(values['grades'][better])})")
    # A file written before v2 (v1 weights adding up to 100) without some of a tier's v2
    # indicators: the added ones weigh their default (a share of 100, SPEC §3 v2) and the file's own
    # weights of the tier are scaled to the rest, keeping their proportions (v1's 30/20/20/15/15 with
    # reporting 10 → 27/18/18/13.5/13.5/10).
    scaled: list[tuple[str, float]] = []
    for tier in TIERS:
        tables = [t for t in SCHEMA if t[0] == tier]
        added = [t for t in tables if t not in given]
        kept = [t for t in tables if t in given]
        room = 100 - sum(float(values[".".join(t)]["weight"]) for t in added)
        total = sum(float(values[".".join(t)]["weight"]) for t in kept)
        if added and total > 0 and room > 0 and abs(total - room) > 1e-9:
            factor = room / total
            for t in kept:
                values[".".join(t)]["weight"] = float(values[".".join(t)]["weight"]) * factor
            scaled.append((tier, factor))
    for tier in TIERS:
        tables = [t for t in SCHEMA if t[0] == tier]
        if not all(t in given for t in tables):
            continue  # a file without some of the tier's indicators: scaled above
        total = sum(float(values[".".join(t)]["weight"]) for t in tables)
        if abs(total - 100) > 1e-9:
            fail(tables[0], f"the weights of [{tier}.*] add up to {_fmt(total)}; they must add up to 100")
    warnings = tuple(f"{source}: no {key} in the rules file; its default is used (SPEC §3 Evaluation v2)"
                     for key in missing) + tuple(
        f"{source}: the weights of [{tier}.*] the file gives are scaled by {factor:.4g} to leave the added "
        f"indicators their default share of 100 (SPEC §3 Evaluation v2)" for tier, factor in scaled)
    if not (isinstance(documents_node, dict) and "requirements" in documents_node):  # the default paragraphs name the file's own lowest grade
        documents = replace(documents, requirements=default_requirements(values["grades"]["below"]))
    return Rules(values, Path(source), derive, warnings, tuple(missing), tuple(scaled), documents)


def _node(data: dict, path: tuple[str, ...]) -> Any:
    node: Any = data
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _words(value: Any, path: tuple[str, ...], label: str, fail) -> list[str]:
    """A list of non-empty words (a duty list, the supervised levels), stripped, in file order."""
    if not isinstance(value, list) or not value or not all(isinstance(w, str) and w.strip() for w in value):
        fail(path, f"{label} must be a non-empty list of non-empty words, got {value!r}")
    return list(dict.fromkeys(w.strip() for w in value))


def _parse_derive(node: Any, fail) -> Derive:
    """The [derive] section, validated; a key left out keeps SPEC §2.1's default."""
    if node is None:
        return Derive()
    if not isinstance(node, dict):
        fail(("derive",), "[derive] must be a table")
    for key in node:
        if key not in DERIVE_KEYS:
            fail(("derive", key), f"unknown key '{key}' in [derive] (known: {', '.join(sorted(DERIVE_KEYS))})")
    out: dict[str, Any] = {}
    if "default_level" in node:
        level = node["default_level"]
        if level not in vocabulary.LEVELS:
            fail(("derive", "default_level"),
                 f"[derive] default_level must be one of {', '.join(vocabulary.LEVELS)}, got {level!r}")
        out["default_level"] = level
    if "fine_words" in node:
        words = node["fine_words"]
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            fail(("derive", "fine_words"), "[derive] fine_words must be a list of non-empty words")
        out["fine_words"] = tuple(dict.fromkeys(w.strip() for w in words))
    if "deadline_days" in node:
        days = node["deadline_days"]
        if not isinstance(days, dict):
            fail(("derive", "deadline_days"), "[derive.deadline_days] must be a table")
        for level in days:
            if level not in vocabulary.LEVELS:
                fail(("derive", "deadline_days", level),
                     f"[derive.deadline_days] {level!r} is not a level (levels: {', '.join(vocabulary.LEVELS)})")
        for level in vocabulary.LEVELS:
            if level not in days:
                fail(("derive", "deadline_days"), f"missing key '{level}' in [derive.deadline_days]")
            problem = Number(integer=True, low=0).check(days[level])
            if problem:
                fail(("derive", "deadline_days", level), f"[derive.deadline_days] {level} {problem}")
        out["deadline_days"] = {level: int(days[level]) for level in vocabulary.LEVELS}
    if "category_keywords" in node:
        table = node["category_keywords"]
        if not isinstance(table, dict):
            fail(("derive", "category_keywords"), "[derive.category_keywords] must be a table")
        pairs = []
        for category, words in table.items():
            where = ("derive", "category_keywords", category)
            if category not in vocabulary.CATEGORIES:
                fail(where, f"[derive.category_keywords] {category!r} is not a category "
                            f"(categories: {', '.join(vocabulary.CATEGORIES)})")
            if not isinstance(words, list) or not words or not all(isinstance(w, str) and w.strip() for w in words):
                fail(where, f"[derive.category_keywords] {category} must be a list of non-empty keywords")
            pairs.append((category, tuple(w.strip() for w in words)))
        out["category_keywords"] = tuple(pairs)
    return Derive(**out)


def _parse_documents(node: Any, source: str | Path, fail) -> Documents:
    """The [documents] section, validated; a key left out keeps its default. Template paths are
    resolved against the rules file's folder (whether the file exists is checked when a document
    is written: DocumentTemplateError names the path)."""
    if node is None:
        return Documents()
    if not isinstance(node, dict):
        fail(("documents",), "[documents] must be a table")
    for key in node:
        if key not in DOCUMENT_KEYS:
            fail(("documents", key), f"unknown key '{key}' in [documents] (known: {', '.join(sorted(DOCUMENT_KEYS))})")
    out: dict[str, Any] = {}
    for key in ("issuer", "recipients", "contact", "requirements", "notice_number"):
        if key in node:
            value = node[key]
            if not isinstance(value, str):
                fail(("documents", key), f"[documents] {key} must be text, got {value!r}")
            if key in ("recipients", "requirements", "notice_number") and not value.strip():
                fail(("documents", key), f"[documents] {key} must not be empty")
            out[key] = value.strip() if key != "requirements" else value
    if "notice_number" in out:
        _check_notice_number(out["notice_number"], fail)
    for key in ("bulletin_template", "notice_template"):
        if key in node:
            value = node[key]
            if not isinstance(value, str):
                fail(("documents", key), f"[documents] {key} must be a path, got {value!r}")
            if value.strip():
                if not value.strip().lower().endswith(".docx"):
                    fail(("documents", key), f"[documents] {key} must be a .docx file, got {value!r}")
                path = Path(value.strip()).expanduser()
                out[key] = path if path.is_absolute() else Path(source).parent / path
    if "reply_days" in node:
        problem = DAYS.check(node["reply_days"])
        if problem:
            fail(("documents", "reply_days"), f"[documents] reply_days {problem}")
        out["reply_days"] = int(node["reply_days"])
    return Documents(**out)


def _check_notice_number(pattern: str, fail) -> None:
    """A notice number pattern uses only the known placeholders, and both {seq} and {year} (else
    every notice of a year, or the notices of different years, would have the same number)."""
    where = ("documents", "notice_number")
    known = ", ".join("{" + n + "}" for n in NOTICE_NUMBER_FIELDS)
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None]
    except ValueError as exc:
        fail(where, f"[documents] notice_number {pattern!r}: {exc} (placeholders: {known})")
    unknown = [n for n in names if n not in NOTICE_NUMBER_FIELDS]
    if unknown:
        fail(where, f"[documents] notice_number {pattern!r}: unknown placeholder {{{unknown[0]}}} "
                    f"(placeholders: {known})")
    try:
        pattern.format(district_short="青溪", year=2026, seq=1)
    except (ValueError, KeyError, IndexError) as exc:
        fail(where, f"[documents] notice_number {pattern!r}: {exc} (placeholders: {known})")
    for name, what in (("seq", "the notice's number in the year"),
                       ("year", "the year, as the numbers start again from 1 each year")):
        if name not in names:  # without either, a number repeats: every notice of a year, or each year's
            fail(where, f"[documents] notice_number {pattern!r} must hold {{{name}}}, {what}")


def _check_known(node: dict, prefix: tuple[str, ...], fail) -> None:
    """Every table and key of the file must be one the rules know (a typo is an error)."""
    tables = {t[len(prefix)] for t in SCHEMA if t[: len(prefix)] == prefix and len(t) > len(prefix)}
    keys = set(SCHEMA.get(prefix, {})) | {k[-1] for k in V2_KEYS if k[:-1] == prefix}
    if len(prefix) == 2 and prefix[0] in TIERS:
        keys.add("duty")  # any indicator may have a duty list (SPEC §3 v2)
    for name, value in node.items():
        path = (*prefix, name)
        if name in tables:
            if not isinstance(value, dict):
                fail(path, f"{_table(path)} must be a table")
            _check_known(value, path, fail)
        elif name not in keys:
            where = f" in {_table(prefix)}" if prefix else ""
            fail(path, f"unknown key '{name}'{where} (known: {', '.join(sorted(tables | keys))})")


def locate(text: str, path: tuple[str, ...]) -> int | None:
    """The line (1-based) where `path` (table parts, then maybe a key) is written, else the line
    of the nearest enclosing table; None when nothing of it is in the text."""
    target = tuple(path)
    current: tuple[str, ...] = ()
    fallback = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        header = re.fullmatch(r"\[\[?\s*(.+?)\s*\]\]?", line)
        if header:
            current = _dotted(header.group(1))
            if current == target:
                return number
            continue
        assignment = re.match(r"([^=]+?)\s*=", line)
        if assignment:
            key = current + _dotted(assignment.group(1))
            if key == target:
                return number
            if fallback is None and target[: len(key)] == key:
                fallback = number
    if fallback is not None:
        return fallback
    return locate(text, target[:-1]) if len(target) > 1 else None


def _dotted(name: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in name.split("."))


def _table(path: tuple[str, ...]) -> str:
    return f"[{'.'.join(path)}]"


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)
