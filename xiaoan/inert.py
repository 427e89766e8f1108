"""Text from ledgers and the registry made inert wherever it is shown.

Clerks type what they like, and a file may come from anyone: `=HYPERLINK(...)`, `<script>`,
`[点击](http://…)`, `:red[...]`. Each place text is shown interprets something:
- Markdown (Streamlit's st.markdown, titles, captions, notes): links, images, emphasis,
  colour directives, icons, LaTeX → `markdown()` escapes every punctuation mark with a
  backslash, so the text shows as typed and nothing in it is followed; bare addresses
  (`www.…`, `http://…`, e-mails), which Streamlit's Markdown turns into links after parsing
  whatever the escapes, get an invisible word joiner that breaks the pattern;
- plotly labels (axis categories, names, texts): a small HTML subset, links included →
  `plotly_label()` writes `<`, `>` and `&` as entities, which plotly shows as typed;
- spreadsheets (CSV and Excel files): formulas → dashboard/downloads.py and
  pipelines/export/xlsx.py write text as text;
- HTML (report.html): everything → html.escape in pipelines/export/html.py.
SQL never sees ledger text but as bound parameters.
"""

from __future__ import annotations

import re

# Every ASCII punctuation mark may be backslash-escaped in CommonMark; escaping all of them
# (not only today's Markdown syntax) also covers Streamlit's :directives: and $LaTeX$.
_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
# Streamlit's Markdown (remark-gfm's autolink literals) links, in the text as parsed (escapes
# resolved), `https?://…`, `www.…` and `…@host.tld`. A WORD JOINER (U+2060, invisible, no
# width) after `http`/`https`, `www` and `@` breaks each pattern; the text reads the same.
WORD_JOINER = "\u2060"
_AUTOLINK_STARTS = re.compile(r"(?i)(https?(?=\\:)|www(?=\\\.)|\\@)")


def markdown(text: object) -> str:
    """The text as Markdown that shows it exactly as typed (line breaks kept as spaces)."""
    if text is None:
        return ""
    flat = " ".join(str(text).split())  # a blank line would start a new block
    return _AUTOLINK_STARTS.sub(lambda m: m.group(1) + WORD_JOINER, _MARKDOWN_SPECIAL.sub(r"\\\1", flat))


def plotly_label(text: object) -> object:
    """A label as plotly shows it literally (its pseudo-HTML tags and links not followed)."""
    if not isinstance(text, str):
        return text
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def inert_figure(fig):
    """Every trace's categories, names and texts as plotly_label (customdata, which clicks
    read back, stays as it is). Returns the figure."""
    for trace in fig.data:
        for attribute in ("x", "y", "text", "hovertext", "name", "labels"):
            value = trace[attribute] if attribute in trace else None
            if isinstance(value, (str, list, tuple)):
                trace[attribute] = plotly_labels(value)
    return fig


def plotly_labels(values):
    """plotly_label over a list (or a list of lists), other values as they are."""
    if isinstance(values, str):
        return plotly_label(values)
    if isinstance(values, (list, tuple)):
        return [plotly_labels(v) for v in values]
    return values
