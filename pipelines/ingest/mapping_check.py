"""The office's mapping file checked against the contract (SPEC §2.1): every mapped header
names a contract field (`description`, or `hazards.description` where two kinds share a name)
or "" (ignore the column), and every mapped value is a word of that field's vocabulary.

xiaoan/mapping.py only parses the file (the core knows no contract); here a load refuses a
mapping that would silently send a column nowhere, with a message naming the file, the table
and the entry, in the clerk's language.
"""

from __future__ import annotations

from pathlib import Path

from pipelines import contract
from pipelines.contract import KINDS
from xiaoan.i18n import t
from xiaoan.mapping import IGNORE, Mapping, MappingError, load_mapping, mapping_path

# (kind, field) → the field's vocabulary (canonical word → synonyms): the fields whose values
# the mapping's [values.<field>] tables may map.
VOCABULARIES: dict[tuple[str, str], dict[str, tuple[str, ...]]] = {
    ("hazards", "category"): contract.CATEGORIES,
    ("hazards", "level"): contract.LEVELS,
    ("hazards", "status"): contract.STATUSES,
    ("inspections", "type"): contract.INSPECTION_TYPES,
    ("inspections", "category"): contract.CATEGORIES,
    ("meetings", "type"): contract.MEETING_TYPES,
    ("meetings", "level"): contract.MEETING_LEVELS,
    ("schools", "type"): contract.SCHOOL_TYPES,
    ("schools", "ownership"): contract.OWNERSHIPS,
}
# Vocabularies the contract may add (SPEC §2.2: 验收结果, 督办级别), picked up when it has them.
for _kind, _field, _name in (("hazards", "verification", "VERIFICATIONS"), ("hazards", "supervision", "SUPERVISIONS")):
    if isinstance(getattr(contract, _name, None), dict):
        VOCABULARIES[(_kind, _field)] = getattr(contract, _name)


def fields_named(name: str) -> list[tuple[str, str]]:
    """The (kind, field) pairs a mapped field name stands for: `kind.field` names one, a plain
    field name every kind that has it; [] when none has it."""
    kind, dot, field = name.partition(".")
    if dot:
        found = KINDS.get(kind)
        return [(kind, field)] if found and any(c.field == field for c in found.columns) else []
    return [(k.name, name) for k in KINDS.values() if any(c.field == name for c in k.columns)]


def _field_list() -> str:
    names = dict.fromkeys(c.field for k in contract.RECORD_KINDS for c in k.columns)
    return "、".join(names)


def problems(mapping: Mapping, source: Path | str) -> list[str]:
    """What is wrong in the mapping, one message per entry ([] when it can be used)."""
    out: list[str] = []
    header_tables = [("[headers]", mapping.headers)]
    header_tables += [(f'[headers.sender."{s}"]', m) for s, m in mapping.by_sender.items()]
    header_tables += [(f'[headers.sheet."{s}"]', m) for s, m in mapping.by_sheet.items()]
    for table, entries in header_tables:
        for header, field in entries.items():
            if field != IGNORE and not fields_named(field):
                out.append(t("mapping.bad_field", file=source, table=table, header=header, field=field, fields=_field_list()))
    for field, entries in mapping.values.items():
        vocabularies = [VOCABULARIES[p] for p in fields_named(field) if p in VOCABULARIES]
        if not vocabularies:
            known = "、".join(dict.fromkeys(f for _, f in VOCABULARIES))
            out.append(t("mapping.no_vocabulary", file=source, field=field, fields=known))
            continue
        words = [w for vocab in vocabularies for w in vocab]
        for value, word in entries.items():
            if word not in words:
                out.append(t("mapping.bad_value", file=source, field=field, value=value, word=word,
                             words="、".join(dict.fromkeys(words))))
    return out


def check(mapping: Mapping, source: Path | str) -> Mapping:
    """The mapping, if every entry can be used; else MappingError with every problem, one a line."""
    found = problems(mapping, source)
    if found:
        raise MappingError("\n".join(found))
    return mapping


def load_checked(path: Path | None = None, warehouse: Path | None = None) -> Mapping:
    """The office's mapping read from `path` (default: $XIAOAN_MAPPING, else mapping.toml
    beside the warehouse) and checked; an empty mapping when there is no such file."""
    source = path or mapping_path(warehouse)
    return check(load_mapping(source), source)
