"""The shell on top, the core at the bottom (STYLE): which of our modules may import which.

Ranks: `xiaoan` (the core, 0) ← `pipelines` (1) ← `dashboard` (2) ← `xiaoan_cli` (the shell, 3);
a module imports only its own package or a lower one. Inside `pipelines`: `ingest` imports only
`contract`, `catalog` and `ingest.*`; `publish` may also import `ingest`; `export` imports
neither `ingest` nor `publish`; nothing imports `sample` but the shell. Every import counts,
including one inside a function (a lazy import is still a dependency) and
`importlib.import_module("literal")` / `__import__("literal")`.

`ALLOWED` listed the violations found when the check came in, each with the step of issue 13
that removed it; it is empty now and only ever shrinks (test_allowed_lists_only_live_violations).
"""

from __future__ import annotations

import ast
import functools
import graphlib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RANK = {"xiaoan": 0, "pipelines": 1, "dashboard": 2, "xiaoan_cli": 3}
SHELL = "xiaoan_cli"
# pipelines/<part>: the parts of pipelines/ each part may import (itself always).
PIPELINES_MAY_IMPORT = {
    "ingest": {"contract", "catalog"},
    "publish": {"contract", "catalog", "ingest"},
}
PIPELINES_NEVER = {"export": {"ingest", "publish"}}

# (rule, importer, imported): violations tolerated for a while, each with the step that removes
# it. Issue 13's steps 3 and 4 removed the last ones; keep it empty.
ALLOWED: set[tuple[str, str, str]] = set()


@dataclass(frozen=True)
class Edge:
    importer: str  # module name, e.g. "pipelines.ingest.load"
    imported: str  # the module it imports (a name imported from a module counts as the module)
    line: int
    name: str | None = None  # the name taken by `from module import name`, when not a module


@dataclass(frozen=True)
class Violation:
    rule: str
    importer: str
    imported: str
    line: int

    def key(self) -> tuple[str, str, str]:
        return (self.rule, self.importer, self.imported)

    def __str__(self) -> str:
        return f"{self.rule}: {self.importer}:{self.line} -> {self.imported}"


def modules(root: Path) -> dict[str, Path]:
    """Every module of our packages under root: dotted name → file."""
    found = {}
    for package in RANK:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def _ours(name: str) -> bool:
    return name.split(".")[0] in RANK


def _package_of(module: str, path: Path) -> str:
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def _literal_import(node: ast.Call) -> str | None:
    """The module named by importlib.import_module("x") or __import__("x")."""
    func = node.func
    called = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
    if called not in ("import_module", "__import__") or not node.args:
        return None
    first = node.args[0]
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None


def _module_edges(module: str, path: Path, known: dict[str, Path]) -> list[Edge]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _package_of(module, path)
    found: list[Edge] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [Edge(module, alias.name, node.lineno) for alias in node.names if _ours(alias.name)]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if not _ours(source):
                continue
            for alias in node.names:
                sub = f"{source}.{alias.name}"
                if sub in known:
                    found.append(Edge(module, sub, node.lineno))
                else:
                    found.append(Edge(module, source, node.lineno, alias.name))
        elif isinstance(node, ast.Call):
            target = _literal_import(node)
            if target and _ours(target):
                found.append(Edge(module, target, node.lineno))
    return found


def edges(root: Path) -> list[Edge]:
    """Every import between our modules under root (lazy ones included), relative ones resolved."""
    known = modules(root)
    return [edge for module, path in known.items() for edge in _module_edges(module, path, known)]


def _pipelines_part(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "pipelines" and len(parts) > 1 else None


def _layer_violations(edge: Edge) -> list[Violation]:
    out = []
    top_from, top_to = edge.importer.split(".")[0], edge.imported.split(".")[0]
    if RANK[top_to] > RANK[top_from]:
        out.append(Violation("runs up", edge.importer, edge.imported, edge.line))
    if top_to == SHELL and top_from != SHELL:
        out.append(Violation("imports the shell", edge.importer, edge.imported, edge.line))
    part_from, part_to = _pipelines_part(edge.importer), _pipelines_part(edge.imported)
    if part_to and part_to != part_from:
        if part_from in PIPELINES_MAY_IMPORT and part_to not in PIPELINES_MAY_IMPORT[part_from]:
            out.append(Violation(f"pipelines.{part_from} imports beyond its parts", edge.importer, edge.imported, edge.line))
        if part_to in PIPELINES_NEVER.get(part_from, ()):
            out.append(Violation(f"pipelines.{part_from} imports pipelines.{part_to}", edge.importer, edge.imported, edge.line))
        if part_to == "sample" and top_from != SHELL:
            out.append(Violation("imports the sample district", edge.importer, edge.imported, edge.line))
    return out


def _private_attribute_uses(module: str, path: Path, known: dict[str, Path]) -> list[Violation]:
    """`m._x` where m names another of our modules (import a.b as m, from a import b)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    bound: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _ours(alias.name):
                    bound[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                if f"{node.module}.{alias.name}" in known:
                    bound[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    out = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")):
            continue
        chain, value = [], node.value
        while isinstance(value, ast.Attribute):
            chain.append(value.attr)
            value = value.value
        if isinstance(value, ast.Name) and value.id in bound:
            target = ".".join([bound[value.id], *reversed(chain)])
            if target in known and target != module:
                out.append(Violation("private name crosses modules", module, f"{target}.{node.attr}", node.lineno))
    return out


def _shims(module: str, path: Path) -> list[Violation]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [Violation("lazy attribute shim", module, f"{module}.__getattr__", node.lineno)
            for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "__getattr__"]


def violations(root: Path) -> list[Violation]:
    """Every breach of the layering rules by the modules under root."""
    known = modules(root)
    found: list[Violation] = []
    for edge in edges(root):
        found += _layer_violations(edge)
        if edge.name and edge.name.startswith("_") and not edge.name.startswith("__"):
            found.append(Violation("private name crosses modules", edge.importer, f"{edge.imported}.{edge.name}", edge.line))
    for module, path in known.items():
        found += _private_attribute_uses(module, path, known)
        found += _shims(module, path)
    return list(dict.fromkeys(found))  # `from m import a, b` is one breach, not two


@functools.cache
def _live() -> tuple[Violation, ...]:
    return tuple(violations(ROOT))


def _unexpected(rule_prefix: str) -> list[str]:
    return [str(v) for v in _live() if v.rule.startswith(rule_prefix) and v.key() not in ALLOWED]


def test_no_import_runs_up():
    assert _unexpected("runs up") == []


def test_pipelines_parts_keep_their_order():
    assert _unexpected("pipelines.") == []


def test_nothing_imports_the_sample_district_but_the_shell():
    assert _unexpected("imports the sample district") == []


def test_the_shell_is_imported_by_nothing():
    assert _unexpected("imports the shell") == []


def test_no_private_name_crosses_modules():
    assert _unexpected("private name crosses modules") == []


def test_no_lazy_attribute_shims():
    assert _unexpected("lazy attribute shim") == []


def test_core_has_no_import_cycle():
    graph: dict[str, set[str]] = {}
    for edge in edges(ROOT):
        if edge.importer.split(".")[0] == "xiaoan" and edge.imported.split(".")[0] == "xiaoan" and edge.importer != edge.imported:
            graph.setdefault(edge.importer, set()).add(edge.imported)
    graphlib.TopologicalSorter(graph).prepare()  # raises CycleError naming the cycle


def test_allowed_lists_only_live_violations():
    """An entry whose violation is gone must leave ALLOWED, so it cannot come back unnoticed."""
    live = {v.key() for v in _live()}
    assert sorted(ALLOWED - live) == []


def _write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_the_checker_catches_a_violation(tmp_path):
    _write(tmp_path, "xiaoan/__init__.py", "")
    _write(tmp_path, "xiaoan/a.py", "def f():\n    import pipelines.b\n")
    _write(tmp_path, "pipelines/__init__.py", "")
    _write(tmp_path, "pipelines/b.py", "")
    assert [str(v) for v in violations(tmp_path)] == ["runs up: xiaoan.a:2 -> pipelines.b"]


def test_the_checker_catches_every_kind_of_breach(tmp_path):
    _write(tmp_path, "xiaoan/__init__.py", "def __getattr__(name):\n    raise AttributeError(name)\n")
    _write(tmp_path, "xiaoan/core.py", "import importlib\n_hidden = 1\nX = importlib.import_module('dashboard.page')\n")
    _write(tmp_path, "pipelines/__init__.py", "")
    _write(tmp_path, "pipelines/ingest/__init__.py", "")
    _write(tmp_path, "pipelines/ingest/load.py", "from ..publish import batch\nfrom xiaoan.core import _hidden\n")
    _write(tmp_path, "pipelines/publish/__init__.py", "")
    _write(tmp_path, "pipelines/publish/batch.py", "from pipelines.sample import make\n")
    _write(tmp_path, "pipelines/sample/__init__.py", "make = 1\n")
    _write(tmp_path, "pipelines/export/__init__.py", "from pipelines.ingest import load\n")
    _write(tmp_path, "dashboard/__init__.py", "")
    _write(tmp_path, "dashboard/page.py", "from xiaoan import core\nimport xiaoan_cli.app\nY = core._hidden\n")
    _write(tmp_path, "xiaoan_cli/__init__.py", "")
    _write(tmp_path, "xiaoan_cli/app.py", "from pipelines.sample import make\n")
    found = sorted(str(v) for v in violations(tmp_path))
    assert found == sorted([
        "runs up: xiaoan.core:3 -> dashboard.page",
        "pipelines.ingest imports beyond its parts: pipelines.ingest.load:1 -> pipelines.publish.batch",
        "private name crosses modules: pipelines.ingest.load:2 -> xiaoan.core._hidden",
        "imports the sample district: pipelines.publish.batch:1 -> pipelines.sample",
        "pipelines.publish imports beyond its parts: pipelines.publish.batch:1 -> pipelines.sample",
        "pipelines.export imports pipelines.ingest: pipelines.export:1 -> pipelines.ingest.load",
        "imports the shell: dashboard.page:2 -> xiaoan_cli.app",
        "runs up: dashboard.page:2 -> xiaoan_cli.app",
        "private name crosses modules: dashboard.page:3 -> xiaoan.core._hidden",
        "lazy attribute shim: xiaoan:1 -> xiaoan.__getattr__",
    ])
