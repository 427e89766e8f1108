"""Texts of the documents area (see xiaoan/i18n/__init__.py): keys documents.*."""

TEXT: dict[str, dict[str, str]] = {
}
