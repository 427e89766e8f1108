"""`xiaoan user add|remove|list`: who may log in to the dashboard (xiaoan/access.py).

    xiaoan user add 李镇长 --role town --code T01        # asks for the password twice, hidden
    xiaoan user add li@qingxi.gov.cn --role town --code T01 --oidc   # logs in through the identity provider
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

from xiaoan import access

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Who may log in to the dashboard (users file, bcrypt).")

UsersOpt = Annotated[Optional[Path], typer.Option("--users", help="users file (default data/users.toml or $XIAOAN_USERS)")]


def _fail(message: str) -> None:
    sys.stderr.write(f"xiaoan: {' '.join(message.split())}\n")
    raise typer.Exit(2)


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="login name (for --oidc: the e-mail the identity provider gives)")],
    role: Annotated[str, typer.Option("--role", help="district, town or department")],
    code: Annotated[Optional[str], typer.Option("--code", help="the town's or department's code (town and department roles)")] = None,
    oidc: Annotated[bool, typer.Option("--oidc", help="logs in through the identity provider: no password")] = False,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="read the password from the first line of standard input (scripts)")] = False,
    users: UsersOpt = None,
) -> None:
    """Add a user, or change one's role or password."""
    try:
        user = access.User(name.strip(), role, code.strip() if code else None)
    except access.AccessError as exc:
        _fail(str(exc))
    if not user.name:
        _fail("the name must not be empty")
    password_hash = None
    if not oidc:
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = typer.prompt("password", hide_input=True, confirmation_prompt=True, err=True)
        try:
            password_hash = access.hash_password(password)
        except access.AccessError as exc:
            _fail(str(exc))
        finally:
            del password
    try:
        path = access.save_user(access.User(user.name, user.role, user.code, password_hash), users)
    except (access.AccessError, OSError) as exc:
        _fail(str(exc))
    where = f" {user.code}" if user.code else ""
    typer.echo(f"{user.name}: {user.role}{where}{' (OIDC)' if oidc else ''} → {path}")


@app.command("remove")
def remove(name: Annotated[str, typer.Argument(help="login name")], users: UsersOpt = None) -> None:
    """Remove a user: they are out at their next click."""
    try:
        removed = access.remove_user(name, users)
    except (access.AccessError, OSError) as exc:
        _fail(str(exc))
    if not removed:
        _fail(f"no user {name!r}")
    typer.echo(f"removed {name}")


@app.command("list")
def list_users(users: UsersOpt = None) -> None:
    """The users, their roles and how they log in (never their passwords)."""
    try:
        found = access.load_users(users)
    except access.AccessError as exc:
        _fail(str(exc))
    for user in sorted(found.values(), key=lambda u: u.name):
        typer.echo(f"{user.name}\t{user.role}\t{user.code or '-'}\t{'password' if user.password_hash else 'OIDC'}")
