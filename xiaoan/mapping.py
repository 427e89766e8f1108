"""The office's own mapping (台账映射表): header → field and value → vocabulary word, in a TOML
file the office edits without code, beside the warehouse (SPEC §2.1).

    [headers]                       # for every file: the header as typed → the field it holds
    "隐患部位" = "description"
    "备注" = ""                      # "" = ignore this column
    [headers.sender."青山镇"]        # only for files this sender sends
    "问题" = "description"
    [headers.sheet."<header key>"]  # remembered by the import page for a header row (no sender known)
    [values.status]                 # a field's value as typed → the contract's word
    "已处理" = "已整改"
    [schools]                       # short names a ledger uses → registry school (code or full name)
    "田二小" = "S012"

A field is a contract field name (`description`), or `kind.field` (`hazards.description`)
where two kinds share a name. The file is read whole and validated by its users
(pipelines/ingest knows the contract's fields); here it is only parsed, looked up and saved.
Default path: $XIAOAN_MAPPING, else `mapping.toml` beside the warehouse.
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from xiaoan import config
from xiaoan.i18n import t

IGNORE = ""  # a header mapped to "" is a column the office wants ignored


class MappingError(ValueError):
    """The mapping file cannot be used; the message names the file and what is wrong."""


def _key(text: str) -> str:
    """How headers and values are compared: the same normalisation as header matching
    (pipelines.contract.header_key_of) is applied by the caller; here only trimming."""
    return str(text).strip()


@dataclass(frozen=True)
class Mapping:
    headers: dict[str, str] = field(default_factory=dict)  # header → field, every sender
    by_sender: dict[str, dict[str, str]] = field(default_factory=dict)  # sender → header → field
    by_sheet: dict[str, dict[str, str]] = field(default_factory=dict)  # header-row key → header → field
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # field → value → word
    schools: dict[str, str] = field(default_factory=dict)  # short name → school code or name
    text: str = ""  # the file's content as read ("" when there is none)

    @property
    def hash(self) -> str:
        """Identifies this mapping: a file is the same file only under the same mapping."""
        return hashlib.sha256(self.text.encode()).hexdigest()[:16] if self.text.strip() else ""

    def header_map(self, sender: str | None = None, sheet_key: str | None = None) -> dict[str, str]:
        """header → field for a file of this sender / a sheet with this header row: the
        sheet's remembered choice over the sender's over everyone's."""
        out = dict(self.headers)
        if sender and sender in self.by_sender:
            out.update(self.by_sender[sender])
        if sheet_key and sheet_key in self.by_sheet:
            out.update(self.by_sheet[sheet_key])
        return out


def mapping_path(warehouse: Path | None = None) -> Path:
    env = os.environ.get(config.MAPPING_ENV)
    if env:
        return Path(env).expanduser()
    return (warehouse or config.warehouse_path()).parent / "mapping.toml"


def load_mapping(path: Path | None = None) -> Mapping:
    """The mapping file parsed; an empty mapping when there is no file."""
    source = path or mapping_path()
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Mapping()
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(t("mapping.unreadable", file=source, detail=exc)) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(t("mapping.unreadable", file=source, detail=exc)) from exc
    return parse_mapping(data, text, source)


def parse_mapping(data: dict, text: str, source: Path | str) -> Mapping:
    """The tables of a parsed mapping file; MappingError naming the table that has the wrong shape."""

    def table(node: object, name: str) -> dict:
        if not isinstance(node, dict):
            raise MappingError(t("mapping.not_table", file=source, table=name))
        return node

    def pairs(node: object, name: str) -> dict[str, str]:
        out = {}
        for key, value in table(node, name).items():
            if isinstance(value, (dict, list)):
                raise MappingError(t("mapping.not_text", file=source, table=name, key=key))
            out[_key(key)] = str(value).strip()
        return out

    headers = table(data.get("headers", {}), "[headers]")
    plain = pairs({h: f for h, f in headers.items() if h not in _SCOPES}, "[headers]")
    by_sender = {s: pairs(m, f'[headers.sender."{s}"]') for s, m in table(headers.get("sender", {}), "[headers.sender]").items()}
    by_sheet = {s: pairs(m, f'[headers.sheet."{s}"]') for s, m in table(headers.get("sheet", {}), "[headers.sheet]").items()}
    values = {fld: pairs(m, f'[values."{fld}"]') for fld, m in table(data.get("values", {}), "[values]").items()}
    schools = pairs(data.get("schools", {}), "[schools]")
    return Mapping(plain, by_sender, by_sheet, values, schools, text)


_SCOPES = ("sender", "sheet")  # the sub-tables of [headers]; a header of that very name is written in a sender's table


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def dumps(mapping: Mapping) -> str:
    """The mapping as TOML (what `save_mapping` writes)."""
    out = ["# 台账映射表: header → field, value → vocabulary word (see docs/ingest.md)", "", "[headers]"]
    out += [f"{_quote(h)} = {_quote(f)}" for h, f in sorted(mapping.headers.items())]
    for scope, table in (("sender", mapping.by_sender), ("sheet", mapping.by_sheet)):
        for name, m in sorted(table.items()):
            out += ["", f"[headers.{scope}.{_quote(name)}]"] + [f"{_quote(h)} = {_quote(f)}" for h, f in sorted(m.items())]
    for fld, m in sorted(mapping.values.items()):
        out += ["", f"[values.{_quote(fld)}]"] + [f"{_quote(v)} = {_quote(w)}" for v, w in sorted(m.items())]
    if mapping.schools:
        out += ["", "[schools]"] + [f"{_quote(s)} = {_quote(c)}" for s, c in sorted(mapping.schools.items())]
    return "\n".join(out) + "\n"


def save_mapping(mapping: Mapping, path: Path | None = None) -> Path:
    """Write the mapping atomically (a reader sees the old file or the new one)."""
    target = path or mapping_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    tmp.write_text(dumps(mapping), encoding="utf-8")
    os.replace(tmp, target)
    return target
