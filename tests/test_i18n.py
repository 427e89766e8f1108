"""The translation table: one lookup, texts kept by area, every key in both languages."""

import ast
import string
import types
from pathlib import Path

import pytest

import xiaoan.i18n as i18n
from xiaoan.i18n import LANGS, TEXT, t

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("xiaoan", "pipelines", "dashboard", "xiaoan_cli")
# callables whose first argument is a translation key: t() and ctx.t(), an ingest check's
# reason(), and the errors that carry a key to translate later
LOOKUPS = {"t", "reason", "ExportError", "Refused", "AccessError"}


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def _literal_keys() -> list[tuple[str, int, str, str]]:
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (isinstance(node, ast.Call) and node.args):
                    continue
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                first = node.args[0]
                if name in LOOKUPS and isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.append((str(path.relative_to(ROOT)), node.lineno, name, first.value))
    return found


def test_every_key_has_chinese_and_english():
    for key, text in TEXT.items():
        assert set(text) == set(LANGS), key
        assert all(text[lang].strip() for lang in LANGS), key


def test_both_languages_fill_in_the_same_values():
    for key, text in TEXT.items():
        assert _placeholders(text["zh"]) == _placeholders(text["en"]), key


def test_every_key_the_code_asks_for_exists():
    keys = _literal_keys()
    assert {name for _, _, name, _ in keys} == LOOKUPS  # the scan sees every kind of lookup
    assert [k for k in keys if k[3] not in TEXT] == []


def test_texts_are_kept_by_area_in_short_lines():
    files = sorted((ROOT / "xiaoan" / "i18n").glob("*.py"))
    assert {f.stem for f in files} == {"__init__", "ingest", "forms", "receipts", "exports", "vocabulary", "dashboard", "importer", "access",
                                    "documents", "notices", "insights", "wall", "city"}
    long = [(f.name, n) for f in files for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1)
            if len(line) > 120]
    assert long == []


def test_the_lookup_merges_the_areas_in_order():
    assert list(TEXT) == [key for area in i18n.AREAS for key in area.TEXT]
    assert i18n.AREAS[0].__name__ == "xiaoan.i18n.ingest"  # rejection reasons keep their order first


def test_a_key_defined_in_two_areas_is_refused():
    first = types.SimpleNamespace(__name__="first", TEXT={"dash.x": {"zh": "甲", "en": "a"}})
    second = types.SimpleNamespace(__name__="second", TEXT={"dash.x": {"zh": "乙", "en": "b"}})
    with pytest.raises(ValueError, match="dash.x"):
        i18n._merge((first, second))


def test_t_fills_in_values_and_falls_back_to_chinese():
    assert t("file.too_big", "en", size=9, limit=5) == "file too large (9 MB, limit 5 MB)"
    assert t("file.too_big", "fr", size=9, limit=5) == t("file.too_big", size=9, limit=5)
    assert "9" in t("file.too_big", size=9, limit=5)
