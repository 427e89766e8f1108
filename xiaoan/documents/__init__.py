"""The documents the office signs and sends (issue 16): Word files in the GB/T 9704 format, made
from .docx templates the office may edit in Word.

- `render.py`: `render_docx(template, context) -> bytes` (docxtpl, undefined fields are errors)
  and `DocumentTemplateError` (names the template file and the field);
- `gbt9704.py`: the page, type and blocks of GB/T 9704 for building templates with python-docx;
- `bulletin.py`: the monthly 通报 (its template's layout and its context from xiaoan.metrics);
- `templates/`: the shipped templates, rebuilt by scripts/make_document_templates.py.
"""

from pathlib import Path

from xiaoan.documents.render import DocumentTemplateError, render_docx

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

__all__ = ["DocumentTemplateError", "TEMPLATES_DIR", "render_docx"]
