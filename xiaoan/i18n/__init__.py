"""The one translation lookup (zh, en) for every user-facing string, its texts kept by area.

`t(key, lang, **values)` renders a string. Chinese is the default language. Rejection reasons
are stored in the warehouse in Chinese (the clerk's language) and can be shown in English by
key where the dashboard needs it.

The texts live in one module per area — ingest (files, rows, command line, blank ledgers),
forms (how a real ledger's layout was read: label lines, checklists, one-record sheets,
senders), receipts (回执 workbooks and the load summary), exports (snapshots and reports),
vocabulary (column and value labels), dashboard, importer (the 导入台账 page), access (login,
roles, scope), documents (the 通报 .docx), notices (督办通知书 and their numbers), insights
(what the pages show of repeat hazards, 法治教育 and people's names), wall (the 驾驶舱 wall
screen), city (the city's roll-up and view over a lake) — and `TEXT` is their merge in that
order. A key belongs to exactly one area.
"""

from __future__ import annotations

from xiaoan.i18n import (access, city, dashboard, documents, exports, forms, importer, ingest, insights, notices,
                         receipts, vocabulary, wall)

DEFAULT_LANG = "zh"
LANGS = ("zh", "en")

AREAS = (ingest, forms, receipts, exports, vocabulary, dashboard, importer, access, documents, notices, insights, wall,
         city)


def _merge(areas: tuple) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for area in areas:
        for key, text in area.TEXT.items():
            if key in merged:
                raise ValueError(f"translation key {key!r} is defined twice ({area.__name__})")
            merged[key] = text
    return merged


TEXT: dict[str, dict[str, str]] = _merge(AREAS)


def t(key: str, lang: str = DEFAULT_LANG, /, **values: object) -> str:
    """The text for `key` in `lang` (falling back to Chinese), with `{name}` values filled in."""
    entry = TEXT[key]
    template = entry.get(lang) or entry[DEFAULT_LANG]
    return template.format(**values) if values else template


class TranslatedError(Exception):
    """An error whose reason is a text of this table: str() is the one-line reason in English (logs,
    tracebacks), message(lang) the same in the viewer's language. Subclass it per cause."""

    def __init__(self, key: str, **values: object):
        self.key, self.values = key, values
        super().__init__(t(key, "en", **values))

    def message(self, lang: str = DEFAULT_LANG) -> str:
        return t(self.key, lang, **self.values)
