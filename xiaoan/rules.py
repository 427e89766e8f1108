"""The evaluation rules (考核规则): weights and thresholds the office edits, in a TOML file.

`load_rules(path)` reads and validates the file (default: $XIAOAN_RULES, else xiaoan/rules.toml)
and returns `Rules`; anything wrong raises `RulesError` with a one-line message naming the file
and line. `Rules.as_sql()` is the struct the metric macros take as their `rules` parameter.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xiaoan import config

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

# table → key → kind. The indicator tables are fixed: the SQL computes exactly these.
SCHEMA: dict[tuple[str, ...], dict[str, Number]] = {
    ("risk",): {"general": POSITIVE, "major": POSITIVE, "grave": POSITIVE, "overdue_factor": Number(low=1)},
    ("targets",): {"dept_rectification_rate": Number(low=0, high=1)},
    ("overdue_buckets",): {"short_days": DAYS, "medium_days": DAYS},
    ("repeat",): {"window_days": DAYS},
    ("semesters",): {"spring_start_month": MONTH, "autumn_start_month": MONTH},
    ("scores",): {"decimals": Number(integer=True, low=0, high=6)},
    ("town", "rectification_rate"): {"weight": WEIGHT},
    ("town", "on_time_rate"): {"weight": WEIGHT},
    ("town", "inspection_coverage"): {"weight": WEIGHT},
    ("town", "meeting_compliance"): {"weight": WEIGHT},
    ("town", "overdue_open_per_school"): {"weight": WEIGHT, "points_per_unit": POSITIVE},
    ("dept", "rectification_rate"): {"weight": WEIGHT},
    ("dept", "on_time_rate"): {"weight": WEIGHT},
    ("dept", "overdue_open"): {"weight": WEIGHT, "points_per_unit": POSITIVE},
    ("dept", "meeting_attendance"): {"weight": WEIGHT},
    ("dept", "median_days_to_rectify"): {"weight": WEIGHT, "full_at_days": Number(low=0), "zero_at_days": POSITIVE},
}


@dataclass(frozen=True)
class Rules:
    """Validated rules. `values` is the file's content as {table: {key: number}} with dotted
    table names ("town.on_time_rate")."""

    values: dict[str, dict[str, float | int]]
    source: Path | None = field(default=None, compare=False)

    def __hash__(self) -> int:  # usable as a cache key
        return hash(json.dumps(self.values, sort_keys=True))

    def get(self, table: str, key: str) -> float | int:
        return self.values[table][key]

    def indicators(self, tier: str) -> list[str]:
        """The indicators of a tier ('town' or 'dept'), in the order of SPEC §3."""
        return [name[1] for name in SCHEMA if name[0] == tier]

    def weight(self, tier: str, indicator: str) -> float:
        return float(self.values[f"{tier}.{indicator}"]["weight"])

    @property
    def dept_rectification_target(self) -> float:
        return float(self.get("targets", "dept_rectification_rate"))

    def as_sql(self) -> dict[str, Any]:
        """The struct the metric macros take as `rules` (shape of the SQL default_rules())."""
        v = self.values
        return {
            "risk": {k: float(v["risk"][k]) for k in ("general", "major", "grave", "overdue_factor")},
            "overdue_buckets": {k: int(v["overdue_buckets"][k]) for k in ("short_days", "medium_days")},
            "repeat_window_days": int(v["repeat"]["window_days"]),
            "semesters": {k: int(v["semesters"][k]) for k in ("spring_start_month", "autumn_start_month")},
            "score_decimals": int(v["scores"]["decimals"]),
            **{tier: {ind: {k: float(x) for k, x in v[f"{tier}.{ind}"].items()} for ind in self.indicators(tier)}
               for tier in TIERS},
            # The same specs as rows, the form score_units() joins: one per tier × indicator.
            "indicators": [
                {"tier": tier, "position": position, "indicator": ind,
                 **{k: (float(v[f"{tier}.{ind}"][k]) if k in v[f"{tier}.{ind}"] else None) for k in SPEC_KEYS}}
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

    _check_known(data, (), fail)
    values: dict[str, dict[str, float | int]] = {}
    for table, keys in SCHEMA.items():
        node: Any = data
        for part in table:
            node = node.get(part) if isinstance(node, dict) else None
        label = _table(table)
        if not isinstance(node, dict):
            fail(table, f"missing table {label}")
        for key, kind in keys.items():
            if key not in node:
                fail(table, f"missing key '{key}' in {label}")
            problem = kind.check(node[key])
            if problem:
                fail((*table, key), f"{label} {key} {problem}")
        values[".".join(table)] = {key: node[key] for key in keys}

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
    for tier in TIERS:
        total = sum(float(values[".".join(t)]["weight"]) for t in SCHEMA if t[0] == tier)
        if abs(total - 100) > 1e-9:
            first = next(t for t in SCHEMA if t[0] == tier)
            fail(first, f"the weights of [{tier}.*] add up to {_fmt(total)}; they must add up to 100")
    return Rules(values, Path(source))


def _check_known(node: dict, prefix: tuple[str, ...], fail) -> None:
    """Every table and key of the file must be one the rules know (a typo is an error)."""
    tables = {t[len(prefix)] for t in SCHEMA if t[: len(prefix)] == prefix and len(t) > len(prefix)}
    keys = SCHEMA.get(prefix, {})
    for name, value in node.items():
        path = (*prefix, name)
        if name in tables:
            if not isinstance(value, dict):
                fail(path, f"{_table(path)} must be a table")
            _check_known(value, path, fail)
        elif name not in keys:
            where = f" in {_table(prefix)}" if prefix else ""
            fail(path, f"unknown key '{name}'{where} (known: {', '.join(sorted(tables | set(keys)))})")


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
