"""What a viewer sees (查看范围): the scope of a login and the one place it becomes lists and flags.

A `Scope` is the district (everything), a town (its schools, its villages, its own town row) or
a member unit (the hazards it is responsible for, its inspections, the meetings it attended, its
own unit row). `resolve()` turns it into a `Slice` — the towns and member units whose rows it may
see and what personal data it may read — exactly as docs/security.md's Roles table says. The
metric macros (xiaoan.metrics) and the dashboard's listing queries (dashboard/queries.py) bind
the slice; neither asks which kind of viewer is looking.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# A code no row has (codes are trimmed, never empty): a list that keeps nothing.
NOTHING = ("",)
SCOPE_KINDS = ("district", "town", "department")
# Whose own record a row is: a town's (its scores, its 例会, its ledger) or a member unit's (its
# scores, its attendance of district meetings). A viewer of the other tier sees none of them.
OWN_ROW_TIERS = ("town", "dept")
# Every column that holds a person's name (or phone) anywhere the product reads: a hazard's 责任人
# and 验收人, an inspection's 检查人员, a meeting's 主持人, a member unit's 成员, 联络员 and 联系电话 —
# read by district viewers only (`sees_personal`) — and the 总校长 of a district, town or village,
# read by all but member units (`sees_principals`; a town its own town's only, by its rows). Each
# with how a snapshot masks it ("name": first character kept; "phone": first 3 and last 4). The
# one list the dashboard's queries, the metrics API, the snapshot's masking and the lake read
# (docs/security.md, "People's names").
PERSONAL_COLUMNS = {"responsible_person": "name", "verifier": "name", "inspectors": "name", "chair": "name",
                    "member": "name", "liaison": "name", "phone": "phone"}
PRINCIPAL_COLUMNS = {"principal": "name"}
PEOPLE_COLUMNS = {**PERSONAL_COLUMNS, **PRINCIPAL_COLUMNS}


@dataclass(frozen=True)
class Scope:
    """The viewer's slice: district (everything), a town's schools (and its own town row), or a
    department's hazards and inspections (and its own unit row).

    `wall`: a 驾驶舱 screen's account (users file role `wall`) watching the district or a town: the
    wall page only (the dashboard refuses every other page), no person's name of any kind, no
    download and nothing written — neither the 通报 nor a notice."""

    kind: str = "district"
    code: str | None = None
    wall: bool = False

    def __post_init__(self) -> None:
        if self.kind not in SCOPE_KINDS:
            raise ValueError(f"scope kind must be one of {', '.join(SCOPE_KINDS)}, got {self.kind!r}")
        if (self.kind == "district") != (self.code is None):
            raise ValueError("a town or department scope needs a code; the district scope takes none")
        if self.wall and self.kind == "department":
            raise ValueError("a wall screen watches the district or a town, not a member unit")

    @property
    def is_office(self) -> bool:
        """The district office itself (a district viewer, not a wall screen): the one viewer who
        writes the 通报, issues 督办通知书, loads data and reads the data-quality pages."""
        return self.kind == "district" and not self.wall

    @classmethod
    def town(cls, code: str) -> Scope:
        return cls("town", code)

    @classmethod
    def department(cls, code: str) -> Scope:
        return cls("department", code)


DISTRICT = Scope()


@dataclass(frozen=True)
class Slice:
    """A scope resolved: the rows it keeps and the data it may read.

    towns, depts: the town codes (of a row's town) and member-unit codes (of the unit responsible
    for a hazard, that inspected, or attended) whose rows it sees; empty = all, NOTHING = none.
    sees_personal: people's names and phones (PERSONAL_COLUMNS: 责任人, 验收人, 检查人员, 主持人,
        members, liaisons, phones; district only, not its wall screen).
    sees_principals: the names of town and village principals-in-chief (not a member unit, not a
        wall screen).
    sees_loads: the load log, rejected rows and the last load's counts (district only)."""

    towns: tuple[str, ...]
    depts: tuple[str, ...]
    sees_personal: bool
    sees_principals: bool
    sees_loads: bool

    @property
    def hidden_columns(self) -> tuple[str, ...]:
        """The columns of people's names (PEOPLE_COLUMNS) this slice may not read."""
        return ((() if self.sees_personal else tuple(PERSONAL_COLUMNS))
                + (() if self.sees_principals else tuple(PRINCIPAL_COLUMNS)))


def without_names(query: str, columns: Iterable[str], cut: Slice) -> str:
    """`query` with every column of `columns` (its result's) that holds a name `cut` may not read
    set to null, type kept: `select * replace (...) from (query)` — the query itself when none.
    Fixed text: the names come from PEOPLE_COLUMNS, never from a caller's value."""
    hidden = [c for c in cut.hidden_columns if c in set(columns)]
    if not hidden:
        return query
    nulls = ", ".join(f'case when false then "{c}" end as "{c}"' for c in hidden)
    return f"select * replace ({nulls}) from ({query}) as named"


def resolve(scope: Scope, towns: Iterable[str] = (), own_rows: str | None = None) -> Slice:
    """The slice of `scope` under a filter on `towns` (empty = all), for rows that are a tier's
    own record when `own_rows` is "town" or "dept": a town viewer gets no member unit's own row,
    a department viewer no town's own row — only its own tier holds its own record."""
    if own_rows is not None and own_rows not in OWN_ROW_TIERS:
        raise ValueError(f"own_rows must be one of {', '.join(OWN_ROW_TIERS)} or None, got {own_rows!r}")
    towns = tuple(towns)
    district = scope.kind == "district"
    # a wall screen reads no name at all; the district's screen lists the ledgers received (the load log)
    flags = {"sees_personal": district and not scope.wall,
             "sees_principals": scope.kind != "department" and not scope.wall, "sees_loads": district}
    if scope.kind == "town":
        if towns and scope.code not in towns:
            return Slice(NOTHING, (), **flags)
        return Slice((scope.code,), NOTHING if own_rows == "dept" else (), **flags)
    if scope.kind == "department":
        return Slice(NOTHING if own_rows == "town" else towns, (scope.code,), **flags)
    return Slice(towns, (), **flags)
