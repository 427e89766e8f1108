"""Who may open the dashboard, and what each one sees (docs/security.md).

Two ways in:
- **OIDC**: Streamlit's `st.login` against the office's identity provider, configured in the
  `[auth]` section of `.streamlit/secrets.toml`; the users file names each e-mail's role.
- **The users file** alone: names with bcrypt-hashed passwords, added with `xiaoan user add`.
Roles: `district` (everything), `town` (its own schools, villages and meetings), `department`
(the hazards assigned to it and its own inspections); the query layer enforces the scope.
With neither, nobody logs in: the dashboard serves on 127.0.0.1 only, as the district.

The users file (TOML; `$XIAOAN_USERS`, default `data/users.toml`, outside git):

    [users."李镇长"]
    role = "town"
    code = "T01"
    password = "$2b$12$…"          # bcrypt; absent for a user who logs in through OIDC

Passwords never appear in the file, in logs or on screen: only their bcrypt hashes are kept.
"""

from __future__ import annotations

import functools
import json
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import bcrypt

from xiaoan import config

ROLES = ("district", "town", "department")
ROUNDS = 12  # bcrypt cost: ~0.2 s a check, which also slows guessing
MIN_PASSWORD = 8
MAX_PASSWORD_BYTES = 72  # bcrypt's limit
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class AccessError(ValueError):
    """A users file or a user that cannot be used; str() says why, in one line."""


@dataclass(frozen=True)
class User:
    name: str
    role: str
    code: str | None = None
    password_hash: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise AccessError(f"user {self.name!r}: role must be one of {', '.join(ROLES)}, got {self.role!r}")
        if self.role != "district" and not self.code:
            raise AccessError(f"user {self.name!r}: a {self.role} user needs the {self.role}'s code (--code)")
        if self.role == "district" and self.code:
            raise AccessError(f"user {self.name!r}: a district user takes no code")

    @property
    def scope(self):
        """The xiaoan.metrics.Scope this user sees."""
        from xiaoan.metrics import Scope

        return Scope() if self.role == "district" else Scope(self.role, self.code)


def users_path() -> Path:
    """The users file: $XIAOAN_USERS, else data/users.toml."""
    return config.users_path()


def load_users(path: Path | None = None) -> dict[str, User]:
    """Every user of the file (none when there is no file). AccessError when it is broken."""
    path = Path(path) if path else users_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise AccessError(f"cannot read the users file {path}: {exc}") from None
    users = {}
    for name, entry in (data.get("users") or {}).items():
        if not isinstance(entry, dict):
            raise AccessError(f"users file {path}: [users.{name}] must be a table")
        users[name] = User(name, str(entry.get("role", "")), _text(entry.get("code")), _text(entry.get("password")))
    return users


def _text(value) -> str | None:
    if value is None:
        return None
    return str(value).strip() or None


def hash_password(password: str, rounds: int = ROUNDS) -> str:
    check_password(password)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds=rounds)).decode("ascii")


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccessError(f"the password must have at least {MIN_PASSWORD} characters")
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise AccessError(f"the password must be at most {MAX_PASSWORD_BYTES} bytes (bcrypt's limit)")


def verify(users: dict[str, User], name: str, password: str) -> User | None:
    """The user when the name and password match, else None (in about the same time)."""
    user = users.get(name.strip())
    stored = user.password_hash if user and user.password_hash else None
    try:
        ok = bcrypt.checkpw(password.encode("utf-8"), (stored or _dummy_hash()).encode("ascii"))
    except ValueError:  # a password beyond 72 bytes, or a damaged hash
        ok = False
    return user if ok and stored else None


@functools.cache
def _dummy_hash() -> str:
    """A hash to check against when the name is unknown, so that a wrong name takes as long
    as a wrong password (made once, at the first failed login)."""
    return bcrypt.hashpw(b"not a password", bcrypt.gensalt(rounds=ROUNDS)).decode("ascii")


def save_user(user: User, path: Path | None = None) -> Path:
    """Add or replace a user in the file (created readable by its owner only), atomically."""
    path = Path(path) if path else users_path()
    users = load_users(path)
    users[user.name] = user
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(render(users.values()))
    os.replace(tmp, path)
    return path


def remove_user(name: str, path: Path | None = None) -> bool:
    path = Path(path) if path else users_path()
    users = load_users(path)
    if users.pop(name, None) is None:
        return False
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(render(users.values()))
    os.replace(tmp, path)
    return True


def render(users) -> str:
    """The users file's text (TOML; strings written as JSON strings, which TOML reads alike)."""
    lines = ["# xiaoan users: who may open the dashboard (docs/security.md). Passwords are bcrypt hashes;",
             "# add users with `xiaoan user add`. Keep this file out of git and readable by the server only.", ""]
    for user in sorted(users, key=lambda u: u.name):
        lines.append(f"[users.{_toml(user.name)}]")
        lines.append(f"role = {_toml(user.role)}")
        if user.code:
            lines.append(f"code = {_toml(user.code)}")
        if user.password_hash:
            lines.append(f"password = {_toml(user.password_hash)}")
        lines.append("")
    return "\n".join(lines)


def _toml(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


# ---------------------------------------------------------------- how the dashboard is reached


def secrets_files(cwd: Path | None = None) -> list[Path]:
    """Where Streamlit reads secrets.toml: the user's ~/.streamlit and the working folder's."""
    return [Path.home() / ".streamlit" / "secrets.toml", (cwd or Path.cwd()) / ".streamlit" / "secrets.toml"]


def oidc_configured(cwd: Path | None = None) -> bool:
    """An [auth] section (Streamlit's st.login) in one of the secrets files."""
    for path in secrets_files(cwd):
        try:
            if tomllib.loads(path.read_text(encoding="utf-8")).get("auth"):
                return True
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
    return False


def login_configured(cwd: Path | None = None) -> bool:
    """Whether anyone must log in: users in the users file, or an identity provider."""
    return bool(load_users()) or oidc_configured(cwd)


def is_loopback(address: str | None) -> bool:
    return (address or "127.0.0.1").strip("[]") in LOOPBACK
