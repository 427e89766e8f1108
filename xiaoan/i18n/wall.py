"""Texts of the wall area (see xiaoan/i18n/__init__.py): keys wall.*."""

TEXT: dict[str, dict[str, str]] = {
}
