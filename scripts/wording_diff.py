"""Every label of the translation table that changed since a git revision, as a Markdown table.

    .venv/bin/python scripts/wording_diff.py [REVISION] [--lang zh|en|both] [--areas a,b,...]

Compares the zh/en texts of the i18n area modules (xiaoan/i18n/<area>.py, their `TEXT`) at
REVISION (default e1dd94d, the groundwork of issue 16) with the working tree and prints one row
per key whose text changed, was added or was removed: key | old | new (zh, then en). A module
is read at the revision with `git show` and evaluated alone (an area module is a plain dict of
literals), so the script needs no checkout. Added keys show — as old, removed keys — as new.
"""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REVISION = "e1dd94d"
# The areas of the wording pass (issue 16): what a leader and a clerk read, the documents and the
# wall screen (tests/test_wording.py PASS_AREAS). `--areas all`: every area module of either side.
DEFAULT_AREAS = ("dashboard", "exports", "vocabulary", "access", "importer", "receipts", "ingest", "forms",
                 "documents", "notices", "wall")
ABSENT = "—"


def area_text(source: str) -> dict[str, dict[str, str]]:
    """The TEXT dict of an area module's source (literals only: evaluated without importing)."""
    tree = ast.parse(source)
    for node in tree.body:
        target = node.target if isinstance(node, ast.AnnAssign) else (
            node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else None)
        if isinstance(target, ast.Name) and target.id == "TEXT" and node.value is not None:
            return ast.literal_eval(node.value)
    return {}


def at_revision(revision: str, area: str) -> dict[str, dict[str, str]]:
    """An area's texts at a git revision ({} when the module did not exist there)."""
    done = subprocess.run(["git", "show", f"{revision}:xiaoan/i18n/{area}.py"], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8")
    return area_text(done.stdout) if done.returncode == 0 else {}


def in_tree(area: str) -> dict[str, dict[str, str]]:
    path = ROOT / "xiaoan" / "i18n" / f"{area}.py"
    return area_text(path.read_text(encoding="utf-8")) if path.exists() else {}


def all_areas(revision: str) -> list[str]:
    """Every area module of the i18n package, at the revision or in the working tree, the pass's
    areas first."""
    done = subprocess.run(["git", "ls-tree", "--name-only", f"{revision}:xiaoan/i18n/"], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8")
    names = {Path(n).stem for n in done.stdout.split()} | {p.stem for p in (ROOT / "xiaoan" / "i18n").glob("*.py")}
    names.discard("__init__")
    return [*DEFAULT_AREAS, *sorted(names - set(DEFAULT_AREAS))]


def changes(old: dict[str, dict[str, str]], new: dict[str, dict[str, str]], langs: tuple[str, ...]) -> list[tuple]:
    """(key, lang, old text, new text) for every text that differs, in the new table's order then
    the removed keys."""
    rows = []
    for key in [*new, *(k for k in old if k not in new)]:
        for lang in langs:
            before, after = old.get(key, {}).get(lang), new.get(key, {}).get(lang)
            if before != after:
                rows.append((key, lang, before, after))
    return rows


def cell(text: str | None) -> str:
    """A text in a Markdown table cell: pipes escaped, line breaks as <br>, absent as —."""
    if text is None:
        return ABSENT
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def table(rows: list[tuple], langs: tuple[str, ...]) -> str:
    with_lang = len(langs) > 1
    head = "| key | lang | old | new |\n|---|---|---|---|" if with_lang else "| key | old | new |\n|---|---|---|"
    lines = [head]
    for key, lang, before, after in rows:
        first = f"| `{key}` | {lang} " if with_lang else f"| `{key}` "
        lines.append(f"{first}| {cell(before)} | {cell(after)} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revision", nargs="?", default=DEFAULT_REVISION)
    parser.add_argument("--lang", choices=("zh", "en", "both"), default="both")
    parser.add_argument("--areas", default=",".join(DEFAULT_AREAS), help="comma-separated area modules")
    args = parser.parse_args(argv)
    langs = ("zh", "en") if args.lang == "both" else (args.lang,)
    areas = [a.strip() for a in args.areas.split(",") if a.strip()]
    if areas == ["all"]:
        areas = all_areas(args.revision)
    old: dict[str, dict[str, str]] = {}
    new: dict[str, dict[str, str]] = {}
    for area in areas:
        old |= at_revision(args.revision, area)
        new |= in_tree(area)
    rows = changes(old, new, langs)
    keys = len({r[0] for r in rows})
    print(f"Labels changed since {args.revision} in xiaoan/i18n/{{{','.join(areas)}}}.py: "
          f"{keys} keys, {len(rows)} texts.\n")
    print(table(rows, langs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
