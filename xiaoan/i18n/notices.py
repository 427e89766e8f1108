"""Texts of the notices area (see xiaoan/i18n/__init__.py): keys notices.*."""

TEXT: dict[str, dict[str, str]] = {
}
