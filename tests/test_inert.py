"""Ledger text shown through Markdown reads as typed and links nowhere (xiaoan/inert.py).

Streamlit's Markdown (remark-gfm) turns bare addresses into links *after* parsing, on the text
with every backslash escape resolved, by these two patterns (copied from Streamlit 1.67's
StreamlitMarkdown bundle, mdast-util-gfm-autolink-literal):
    /(https?:\\/\\/|www(?=\\.))([-.\\w]+)([^ \\t\\r\\n]*)/gi
    /(?<=^|\\s|\\p{P}|\\p{S})([-.\\w+]+)@([-\\w]+(?:\\.[-\\w]+)+)/gu
so escaping punctuation is not enough for them: the test reads the text as the parser leaves it."""

from __future__ import annotations

import re

import pytest

from xiaoan.inert import WORD_JOINER, markdown

URL = re.compile(r"(https?://|www(?=\.))([-.\w]+)([^ \t\r\n]*)", re.IGNORECASE | re.ASCII)
EMAIL = re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)", re.ASCII)  # (without the lookbehind: stricter)
ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")

HOSTILE = [
    "会话已过期，请访问 www.evil-example.cn 重新登录",
    "WWW.EVIL.CN",
    "详见http://evil.example/login?x=1",
    "HTTPS://evil.example",
    "联系 admin@evil.example 处理",
    "[点击](https://evil.example) 或 <https://evil.example>",
    "ftp 不算: www 与 . 分开 www . cn",
]


def parsed_text(source: str) -> str:
    """The text remark leaves after resolving backslash escapes (what autolinking scans)."""
    return ESCAPE.sub(r"\1", source)


@pytest.mark.parametrize("text", HOSTILE)
def test_a_bare_address_in_ledger_text_is_not_turned_into_a_link(text):
    shown = parsed_text(markdown(text))
    assert not URL.search(shown), shown
    assert not EMAIL.search(shown), shown


@pytest.mark.parametrize("text", HOSTILE)
def test_the_text_still_reads_exactly_as_typed(text):
    assert parsed_text(markdown(text)).replace(WORD_JOINER, "") == text


def test_the_patterns_do_find_the_addresses_in_the_raw_text():
    """The check above could fail: the same patterns find every address before markdown()."""
    assert all(URL.search(t) or EMAIL.search(t) for t in HOSTILE[:6])
