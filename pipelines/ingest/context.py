"""What a load reads its files under, besides the registry: the rules file in force (derived
values follow it: SPEC §2.1) and the office's mapping (header and value aliases)."""

from __future__ import annotations

from dataclasses import dataclass, field

from xiaoan.mapping import Mapping, load_mapping
from xiaoan.rules import Rules, load_rules


@dataclass(frozen=True)
class LoadContext:
    rules: Rules = field(default_factory=load_rules)
    mapping: Mapping = field(default_factory=load_mapping)
