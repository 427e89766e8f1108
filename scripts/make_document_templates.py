"""Rebuild the .docx templates shipped in xiaoan/documents/templates/ from their layouts in code.

    .venv/bin/python scripts/make_document_templates.py            # all of them
    .venv/bin/python scripts/make_document_templates.py bulletin   # one

Each document module owns its template's layout (`build_template(path)`): the 通报 in
xiaoan/documents/bulletin.py, the 督办通知书 in xiaoan/documents/notice.py (when present). Commit
the .docx files this writes; an office edits a copy in Word and points the rules file's
[documents] bulletin_template / notice_template at it (docs/rules.md).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from xiaoan.documents import TEMPLATES_DIR  # noqa: E402

DOCUMENTS = ("bulletin", "notice")


def main(names: list[str]) -> int:
    unknown = [n for n in names if n not in DOCUMENTS]
    if unknown:
        print(f"unknown document {unknown[0]!r} (known: {', '.join(DOCUMENTS)})", file=sys.stderr)
        return 2
    for name in names or DOCUMENTS:
        try:
            module = importlib.import_module(f"xiaoan.documents.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"xiaoan.documents.{name}":
                raise
            print(f"{name}: no module xiaoan.documents.{name} yet, skipped")
            continue
        path = module.build_template(TEMPLATES_DIR / f"{name}.docx")
        print(f"{name}: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
