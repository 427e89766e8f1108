"""`xiaoan user add|remove|list`: who may log in to the dashboard (xiaoan/access.py).

    xiaoan user add 李镇长 --role town --code T01        # asks for the password twice, hidden
    xiaoan user add li@qingxi.gov.cn --role town --code T01 --oidc   # logs in through the identity provider
    xiaoan user add 市教育局 --role city                 # the city view (xiaoan serve --lake): every district
    xiaoan user add 青溪区 --role district --code 320102   # the city view: its own district (区代码) only
    xiaoan user add 驾驶舱 --role wall                    # the office's wall screen: the /wall page only
    xiaoan user add 城关镇驾驶舱 --role wall --code T01     # a town's wall screen: its town, the /wall page only
    xiaoan user list
    xiaoan user remove 李镇长

The password is read from the terminal without echo (or from standard input when it is not a
terminal, for scripts) and only its bcrypt hash is written. Nothing prints it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from xiaoan import access, config
from xiaoan.i18n import t
from xiaoan_cli.common import fail, lang

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Who may log in to the dashboard (users file, bcrypt).")

UsersOpt = Annotated[Optional[Path], typer.Option("--users", help="users file (default data/users.toml or $XIAOAN_USERS)")]


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="login name (for --oidc: the e-mail the identity provider gives)")],
    role: Annotated[str, typer.Option("--role", help="district, town, department, city (the city view) or wall (a 驾驶舱 screen: the wall page only)")],
    code: Annotated[Optional[str], typer.Option("--code", help="the town's or department's code (town and department roles; a wall screen's town, else it shows the district); a district user's 区代码 for the city view")] = None,
    oidc: Annotated[bool, typer.Option("--oidc", help="logs in through the identity provider: no password")] = False,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="read the password from the first line of standard input (scripts)")] = False,
    users: UsersOpt = None,
    warehouse: Annotated[Optional[Path], typer.Option("--warehouse", help="warehouse whose registry the --code must be in (default data/warehouse.duckdb or $XIAOAN_WAREHOUSE)")] = None,
) -> None:
    """Add a user, or change one's role or password. A town's or department's code must be in
    the registry of the warehouse, when there is one."""
    try:
        user = access.User(name.strip(), role, code.strip() if code else None)
    except access.AccessError as exc:
        fail(exc.message(lang()))
    if not user.name:
        fail(t("access.cli.empty_name", lang()))
    checked = _check_code(user, warehouse)
    password_hash = None
    if not oidc:
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = typer.prompt(t("access.cli.password", lang()), hide_input=True, confirmation_prompt=True, err=True)
        try:
            password_hash = access.hash_password(password)
        except access.AccessError as exc:
            fail(exc.message(lang()))
        finally:
            del password
    try:
        path = access.save_user(access.User(user.name, user.role, user.code, password_hash), users)
    except access.AccessError as exc:
        fail(exc.message(lang()))
    except OSError as exc:
        fail(t("cli.cannot_write", lang(), path=exc.filename or users or access.users_path(), reason=exc.strerror or exc))
    how = f" ({t('access.cli.by_oidc', lang())})" if oidc else ""
    typer.echo(t("access.cli.saved", lang(), name=user.name, role=user.role, code=f" {user.code}" if user.code else "",
                 how=how, path=path))
    if checked:
        typer.echo(checked)


def _check_code(user: access.User, warehouse: Path | None) -> str | None:
    """Refuse a town or department code that the warehouse's registry does not hold; say what
    was checked (or that nothing could be, before the first load)."""
    role = user.registry_kind
    if role is None:  # district, city and a district's wall: no town or unit code to look up
        return None
    target = config.warehouse_path(warehouse)
    try:
        codes = access.registry_codes(role, target)
    except access.AccessError as exc:
        fail(exc.message(lang()))
    kind = t("access.cli.kind.town", lang()) if role == "town" else t("access.cli.kind.department", lang())
    if codes is None:
        return t("access.cli.not_checked", lang(), path=target, code=user.code)
    if user.code not in codes:
        known = ", ".join(list(codes)[:20]) + (" …" if len(codes) > 20 else "")
        fail(t("access.cli.unknown_code", lang(), code=user.code, kind=kind, path=target,
               known=known or t("access.cli.none", lang())))
    return t("access.cli.checked", lang(), code=user.code, unit=codes[user.code], path=target)


@app.command("remove")
def remove(name: Annotated[str, typer.Argument(help="login name")], users: UsersOpt = None) -> None:
    """Remove a user: they are out at their next click."""
    try:
        removed = access.remove_user(name, users)
    except access.AccessError as exc:
        fail(exc.message(lang()))
    except OSError as exc:
        fail(t("cli.cannot_write", lang(), path=exc.filename or users or access.users_path(), reason=exc.strerror or exc))
    if not removed:
        fail(t("access.cli.no_user", lang(), name=name))
    typer.echo(t("access.cli.removed", lang(), name=name))


@app.command("list")
def list_users(users: UsersOpt = None) -> None:
    """The users, their roles and how they log in (never their passwords)."""
    try:
        found = access.load_users(users)
    except access.AccessError as exc:
        fail(exc.message(lang()))
    for user in sorted(found.values(), key=lambda u: u.name):
        how = t("access.cli.by_password", lang()) if user.password_hash else t("access.cli.by_oidc", lang())
        typer.echo(f"{user.name}\t{user.role}\t{user.code or '-'}\t{how}")
