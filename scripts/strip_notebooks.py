"""Strip outputs, execution counts and run metadata from notebooks before they are committed
(a test fails on a committed notebook that carries any).

    .venv/bin/python scripts/strip_notebooks.py                 # every notebook in notebooks/
    .venv/bin/python scripts/strip_notebooks.py path/to/a.ipynb
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
RUN_METADATA = ("execution", "collapsed", "scrolled", "ExecuteTime")


def strip(path: Path) -> bool:
    """Strip one notebook in place; True when it changed."""
    nb = nbformat.read(path, as_version=4)
    changed = False
    for cell in nb.cells:
        for key in RUN_METADATA:
            if key in cell.metadata:
                del cell.metadata[key]
                changed = True
        if cell.cell_type != "code":
            continue
        if cell.outputs or cell.execution_count is not None:
            cell.outputs, cell.execution_count = [], None
            changed = True
    for key in ("widgets",):
        if key in nb.metadata:
            del nb.metadata[key]
            changed = True
    if changed:
        nbformat.write(nb, path)
    return changed


def main(args: list[str]) -> int:
    paths = [Path(a) for a in args] or sorted(NOTEBOOKS.glob("*.ipynb"))
    for path in paths:
        if strip(path):
            print(f"stripped {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
