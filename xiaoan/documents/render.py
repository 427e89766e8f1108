"""Fill a .docx template's fields (docxtpl: Jinja tags in Word text) and return the document.

`render_docx(template, context)` renders with a StrictUndefined environment: a field the
context lacks is an error, not an empty gap in a document the office signs. Every problem of
the template — a field it names that the context does not give, a tag Jinja cannot read, a file
that is not a .docx — raises `DocumentTemplateError(template, field, detail)`, whose message
names the template file and the field (or the tag), so the office can fix its copy in Word.
Text values are XML-escaped (autoescape): a unit named "A&B" cannot break the document.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate

# A Jinja tag as the office typed it: {{ … }} or {% … %} (docxtpl's {%p / {%tr / {%tc too).
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")


class DocumentTemplateError(Exception):
    """A template cannot be rendered: `template` the file, `field` the field or tag at fault
    (None when the file itself is unusable), `detail` what is wrong (English, from Jinja)."""

    def __init__(self, template: Path | str, field: str | None, detail: str, tag: str | None = None):
        self.template, self.field, self.detail, self.tag = Path(template), field, detail, tag
        where = f"field '{field}'" if field else "the file"
        if tag and tag != field:
            where += f" in {tag}"
        super().__init__(f"{self.template}: {where}: {detail}")


def environment() -> jinja2.Environment:
    """The Jinja environment of every document: undefined fields are errors (StrictUndefined; the
    full name as the template writes it, row.days_overdue, is found by _undefined_field), text is
    escaped."""
    return jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)


def render_docx(template: Path | str, context: dict[str, Any]) -> bytes:
    """The .docx made from `template` with `context`'s values; DocumentTemplateError on any
    template problem (naming the file and the field or tag)."""
    template = Path(template)
    try:
        document = DocxTemplate(template)
        document.get_docx()  # docxtpl opens the file lazily
    except FileNotFoundError:
        raise DocumentTemplateError(template, None, "template file not found") from None
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DocumentTemplateError(template, None, f"not a readable .docx ({exc})") from None
    try:
        document.render(context, environment(), autoescape=True)
    except jinja2.UndefinedError as exc:
        field, tag = _undefined_field(exc, document)
        raise DocumentTemplateError(template, field, exc.message or str(exc), tag) from None
    except jinja2.TemplateSyntaxError as exc:
        raise DocumentTemplateError(template, _bad_tag(exc), exc.message or str(exc)) from None
    except (jinja2.TemplateError, TypeError, ValueError, AttributeError) as exc:
        raise DocumentTemplateError(template, _bad_tag(exc), str(exc)) from None
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _undefined_field(exc: jinja2.UndefinedError, document: DocxTemplate) -> tuple[str, str | None]:
    """The field of an undefined-value error and the tag that holds it: the name Jinja reports
    ("'x' is undefined", "'dict object' has no attribute 'x'", "list object has no element 1") as
    the template writes it (row.x, hazards[1].school), and the first tag of the template that
    names it (None when not found)."""
    message = exc.message or str(exc)
    element = re.search(r"has no element '?([^' ]+)'?", message)  # hazards[1] of a unit with one hazard
    found = re.search(r"has no attribute '([^']+)'", message) or re.search(r"'([^']+)' is undefined", message)
    name = element.group(1) if element else found.group(1) if found else message
    attribute = "has no attribute" in message
    for tag in _tags(document):
        if element:
            pattern = rf"[\w.]*\[\s*['\"]?{re.escape(name)}['\"]?\s*\][\w.]*"
        elif attribute:
            pattern = rf"[\w.]*\.{re.escape(name)}(?![\w])"
        else:
            pattern = rf"(?<![\w.]){re.escape(name)}(?![\w])"
        written = re.search(pattern, tag)
        if written:
            return written.group(0), tag
    return name, None


def _bad_tag(exc: Exception) -> str | None:
    """The tag where Jinja stopped: docxtpl keeps the text of the template lines around the
    faulty one (three before it); the tag on that line, the one the message names if several."""
    lines = list(getattr(exc, "docx_context", None) or ())
    lineno = getattr(exc, "lineno", None)
    if not lines or not lineno:
        return None
    at = min(lineno - 1 - max(lineno - 4, 0), len(lines) - 1)
    line = lines[at]
    tags = _TAG.findall(line) or [m.group(0).strip() for m in re.finditer(r"\{[{%][^{}]*", line)]
    named = re.findall(r"'([^']+)'", getattr(exc, "message", None) or str(exc))
    for tag in tags:
        if any(name in tag for name in named):
            return tag
    return tags[0] if tags else (line.strip() or None)


def _tags(document: DocxTemplate) -> list[str]:
    """The Jinja tags of the body, header and footer text (markup removed)."""
    parts = [document.get_xml()]
    for rel in document.get_docx().part.rels.values():
        if rel.reltype.endswith(("/header", "/footer")):
            parts.append(rel.target_part.blob.decode("utf-8", "replace"))
    text = re.sub(r"<[^>]+>", "", "".join(document.patch_xml(p) for p in parts))
    return _TAG.findall(text)
