"""docs/README.md indexes every document and command; docs/deployment.md names every file of
deploy/; the user guide covers the templates and snapshots."""

from __future__ import annotations

from pathlib import Path

from xiaoan_cli.app import app

ROOT = Path(__file__).resolve().parent.parent


def test_the_index_links_every_document_and_names_every_command():
    index = (ROOT / "docs" / "README.md").read_text(encoding="utf-8")
    documents = sorted(p.name for p in (ROOT / "docs").glob("*.md") if p.name != "README.md")
    assert all(f"]({name})" in index for name in documents), [n for n in documents if f"]({n})" not in index]
    commands = sorted(c.name or c.callback.__name__ for c in app.registered_commands)
    assert {"ingest", "serve", "export", "template", "sample", "rebuild"} <= set(commands)
    assert all(f"`xiaoan {name}" in index for name in commands), [n for n in commands if f"`xiaoan {n}" not in index]
    assert (ROOT / "notebooks" / "README.md").is_file() and "](../notebooks/README.md)" in index


def test_the_deployment_guide_names_every_deploy_file():
    guide = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "deploy").rglob("*") if p.is_file())
    assert files
    named = [f for f in files if f in guide or f.rsplit(".", 1)[0] + ".service` + `.timer" in guide]
    assert named == files, sorted(set(files) - set(named))


def test_the_user_guide_explains_templates_and_snapshots():
    guide = (ROOT / "docs" / "user-guide.md").read_text(encoding="utf-8")
    for words in ("xiaoan template", "下拉", "填表说明", "last-month-end", "latest.txt", "docs/deployment.md"):
        assert words in guide, words
