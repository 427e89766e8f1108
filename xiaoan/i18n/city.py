"""Texts of the city area (see xiaoan/i18n/__init__.py): keys city.*."""

TEXT: dict[str, dict[str, str]] = {
}
