"""Texts of the insights area (see xiaoan/i18n/__init__.py): keys insights.*."""

TEXT: dict[str, dict[str, str]] = {
}
