"""Who may open the dashboard, and what each one sees (docs/security.md).

Two ways in:
- **OIDC**: Streamlit's `st.login` against the office's identity provider, configured in the
  `[auth]` section of `.streamlit/secrets.toml`; the users file names each e-mail's role.
- **The users file** alone: names with bcrypt-hashed passwords, added with `xiaoan user add`.
Roles: `district` (everything), `town` (its own schools, villages and meetings), `department`
(the hazards assigned to it and its own inspections), `wall` (a 驾驶舱 screen: the wall page
only, of the district or of the town its code names; no names, downloads or writes); the query
layer enforces the scope. The
city view (`xiaoan serve --lake`) reads `city` (every district) and `district` with its 区代码 as
`code` (its own district only); a district user's code, when given, is that 6-digit 区代码.
On a district's dashboard (`dashboard_scope`) a city user is refused, and so is a district user
whose code is not the warehouse's own 区代码.
With neither, nobody logs in: the dashboard serves on 127.0.0.1 only, as the district.

The users file (TOML; `$XIAOAN_USERS`, default `data/users.toml`, outside git):

    [users."李镇长"]
    role = "town"
    code = "T01"
    password = "$2b$12$…"          # bcrypt; absent for a user who logs in through OIDC

Passwords never appear in the file, in logs or on screen: only their bcrypt hashes are kept.
Every password check goes through `log_in`, which counts failures per name in
`login_attempts.json` beside the users file (`LoginAttempts`) and logs the outcome.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import threading
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import bcrypt

from xiaoan import config
from xiaoan.i18n import t
from xiaoan.scope import DISTRICT, Scope

ROLES = ("district", "town", "department", "city", "wall")
DISTRICT_CODE = re.compile(r"[0-9]{6}")  # a 区代码 (pipelines.contract.is_district_code: the registry's rule)
ROUNDS = 12  # bcrypt cost: ~0.2 s a check, which also slows guessing
MIN_PASSWORD = 8
MAX_PASSWORD_BYTES = 72  # bcrypt's limit
LOOPBACK = ("127.0.0.1", "localhost", "::1")
MAX_FAILURES = 5  # wrong passwords for one name ...
LOCK_SECONDS = 15 * 60  # ... within this time lock it for this time
ATTEMPTS_FILE = "login_attempts.json"  # beside the users file
log = logging.getLogger("xiaoan.access")


class AccessError(ValueError):
    """A users file or a user that cannot be used; str() says why in one line (English, for the
    server's log), message(lang) in the reader's language (the command line's, Chinese by default)."""

    def __init__(self, key: str, **values: object):
        self.key, self.values = key, values
        super().__init__(t(key, "en", **values))

    def message(self, lang: str = "zh") -> str:
        return t(self.key, lang, **self.values)


@dataclass(frozen=True)
class User:
    name: str
    role: str
    code: str | None = None
    password_hash: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise AccessError("access.err.role", name=self.name, roles=", ".join(ROLES), role=self.role)
        if self.role in ("town", "department") and not self.code:
            raise AccessError("access.err.needs_code", name=self.name, role=self.role)
        if self.role == "district" and self.code and not DISTRICT_CODE.fullmatch(self.code):
            raise AccessError("city.view.users.district_code", name=self.name, code=self.code)
        if self.role == "city" and self.code:
            raise AccessError("city.view.users.city_code", name=self.name)

    @property
    def scope(self) -> Scope:
        """The scope of this user's role (xiaoan.scope): the district for a district user, else its
        unit. A district's dashboard asks dashboard_scope(), which also checks that the user belongs
        there (a district user's 区代码, no city user). The city view (dashboard/city/scope.py)
        reads role and code itself. A wall screen's account watches its town (with a code) or the
        district, on the wall page only."""
        if self.role == "wall":
            return Scope("town", self.code, wall=True) if self.code else Scope(wall=True)
        return DISTRICT if self.role in ("district", "city") else Scope(self.role, self.code)

    @property
    def registry_kind(self) -> str | None:
        """The registry table its code must be in (REGISTRY_TABLES): a town's or member unit's
        code, a wall screen's town; None when its code is not a unit's (district, city)."""
        if self.role == "wall":
            return "town" if self.code else None
        return self.role if self.role in REGISTRY_TABLES else None


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
        raise AccessError("access.err.unreadable", path=path, reason=exc) from None
    users = {}
    for name, entry in (data.get("users") or {}).items():
        if not isinstance(entry, dict):
            raise AccessError("access.err.entry", path=path, name=name)
        users[name] = User(name, str(entry.get("role", "")), _text(entry.get("code")), _text(entry.get("password")))
    return users


def _text(value) -> str | None:
    if value is None:
        return None
    return str(value).strip() or None


REGISTRY_TABLES = {"town": ("towns", "town_code", "town_name"), "department": ("departments", "dept_code", "dept_name")}


def registry_codes(role: str, warehouse: Path) -> dict[str, str] | None:
    """The codes a `role` user may be given — the registry's towns (镇代码) or member units
    (单位代码) in the warehouse, with their names; None when there is no warehouse yet.
    AccessError when the warehouse cannot be read (a load holds it: try again)."""
    table, code, name = REGISTRY_TABLES[role]
    con = _open_warehouse(warehouse)
    if con is None:
        return None
    try:
        return dict(con.execute(f"select {code}, {name} from {table} order by {code}").fetchall())
    except Exception as exc:
        raise AccessError("access.err.registry_table", path=warehouse, table=table,
                          reason=" ".join(str(exc).split())) from None
    finally:
        con.close()


def _open_warehouse(warehouse: Path | str):
    """A read-only connection to the warehouse; None when there is none yet; AccessError when it
    cannot be read (a load holds it, or it is not a warehouse)."""
    from xiaoan import warehouse as store

    try:
        return store.open_read_only(Path(warehouse))
    except store.WarehouseMissing:
        return None
    except Exception as exc:  # duckdb: locked by a load, or not a warehouse
        raise AccessError("access.err.registry", path=warehouse, reason=" ".join(str(exc).split())) from None


def dashboard_scope(user: User, warehouse: Path | None = None) -> Scope:
    """The scope `user` sees on the district dashboard serving `warehouse` (default: the configured
    one), or AccessError when the user does not belong there: a `city` user (the city view,
    `xiaoan serve --lake`, is its place), and a `district` user bound to a 区代码 other than the
    warehouse's own (also when the warehouse holds no 区代码: nothing shows it is that district).
    A district user without a code is the district's own (its server holds its own users file)."""
    if user.role == "city":
        raise AccessError("city.view.users.city_on_district", name=user.name)
    if user.role == "district" and user.code:
        own = warehouse_district_code(config.warehouse_path(warehouse))
        if own is None:
            raise AccessError("city.view.users.no_district_code", name=user.name, code=user.code)
        if user.code != own:
            raise AccessError("city.view.users.other_district", name=user.name, code=user.code, own=own)
    return user.scope


def warehouse_district_code(warehouse: Path) -> str | None:
    """The registry's 区代码 in the warehouse (its `district` row); None when there is none (no
    warehouse, no registry, a registry without 区代码). Read once per version of the file."""
    path = Path(warehouse)
    try:
        stat = path.stat()
    except OSError:
        return None
    return _district_code(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _district_code(path: str, mtime_ns: int, size: int) -> str | None:
    con = _open_warehouse(path)
    if con is None:
        return None
    try:
        row = con.execute("select district_code from district where district_code is not null limit 1").fetchone()
    except Exception:  # no registry yet, or one from before 区代码
        return None
    finally:
        con.close()
    code = _text(row[0]) if row else None
    return code if code and DISTRICT_CODE.fullmatch(code) else None


def hash_password(password: str, rounds: int = ROUNDS) -> str:
    check_password(password)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds=rounds)).decode("ascii")


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccessError("access.err.short", count=MIN_PASSWORD)
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise AccessError("access.err.long", count=MAX_PASSWORD_BYTES)


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


# ---------------------------------------------------------------- wrong passwords, counted on disk


def attempts_path(users_file: Path | None = None) -> Path:
    """Where the failed logins are counted: login_attempts.json beside the users file."""
    return (Path(users_file) if users_file else users_path()).parent / ATTEMPTS_FILE


class LoginAttempts:
    """Failed logins per name, kept in a small JSON file beside the users file so that a lock
    holds across the threads of one server, across server processes and across a restart.

    An attempt is *reserved* before its bcrypt check and counted as a failure until it is
    settled, so attempts sent at the same moment cannot get more than MAX_FAILURES checks:
    the sixth waits for the lock like any later one. Names are stored as keyed hashes (the
    key lives in the same file), never as typed, for a password may be typed into the name
    field. Every read-modify-write runs under a thread lock and an fcntl lock on a companion
    `.lock` file; the file is replaced atomically and is readable by its owner only. A damaged
    file is logged and read as empty."""

    PENDING_SECONDS = 120  # a reservation never settled (a killed process) stops counting after this

    def __init__(self, path: Path, max_failures: int = MAX_FAILURES, lock_seconds: float = LOCK_SECONDS):
        self.path = Path(path)
        self.max_failures = max_failures
        self.lock_seconds = lock_seconds
        self._thread_lock = threading.Lock()

    def reserve(self, name: str) -> tuple[str | None, float]:
        """(a ticket to settle after the check, 0) when `name` may be checked now, else
        (None, seconds until it may try again)."""
        with self._locked() as book:
            now = time.time()
            entry = self._entry(book, name, now)
            wait = self._wait(entry["failures"] + [at for at, _ in entry["pending"]], now)
            if wait:
                return None, wait
            ticket = secrets.token_hex(8)
            entry["pending"].append([now, ticket])
            return ticket, 0.0

    def settle(self, name: str, ticket: str, ok: bool) -> bool:
        """Record the outcome of a reserved check: a success clears the name's failures, a
        failure is counted. True when this failure locked the name."""
        with self._locked() as book:
            now = time.time()
            entry = self._entry(book, name, now)
            entry["pending"] = [p for p in entry["pending"] if p[1] != ticket]
            if ok:
                entry["failures"] = []
                return False
            entry["failures"].append(now)
            return len(entry["failures"]) == self.max_failures

    def locked_for(self, name: str) -> float:
        """Seconds `name` stays locked by failures already counted (0 when it may try)."""
        with self._locked() as book:
            now = time.time()
            return self._wait(self._entry(book, name, now)["failures"], now)

    def _wait(self, counted: list[float], now: float) -> float:
        """Seconds until a name with these counted attempts may try again (0: now; at least 1
        while locked): the lock runs from the oldest of its last MAX_FAILURES attempts."""
        if len(counted) < self.max_failures:
            return 0.0
        return max(1.0, self.lock_seconds - (now - sorted(counted)[-self.max_failures]))

    def _entry(self, book: dict, name: str, now: float) -> dict:
        key = hmac.new(bytes.fromhex(book["key"]), name.strip().encode("utf-8"), hashlib.sha256).hexdigest()[:32]
        entry = self._current(book["names"].get(key) or {}, now)
        book["names"][key] = entry
        return entry

    def _current(self, raw: dict, now: float) -> dict:
        """A name's failures within the lock window and its reservations not yet given up:
        all that can still count."""
        return {"failures": [float(at) for at in raw.get("failures", []) if now - float(at) < self.lock_seconds],
                "pending": [[float(at), str(ticket)] for at, ticket in raw.get("pending", [])
                            if now - float(at) < self.PENDING_SECONDS]}

    @contextlib.contextmanager
    def _locked(self):
        """The book, read under both locks and written back (pruned, atomically) on the way out."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._thread_lock:
            fd = os.open(self.path.with_name(self.path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                book = self._read()
                yield book
                # every name whose failures and reservations have all run out is dropped, not only
                # the one just tried: the file holds the names tried within the last lock window
                now = time.time()
                current = ((k, self._current(v, now)) for k, v in book["names"].items())
                book["names"] = {k: v for k, v in current if v["failures"] or v["pending"]}
                self._write(book)
            finally:
                os.close(fd)  # releases the flock

    def _read(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not (isinstance(data, dict) and isinstance(data.get("names"), dict)):
                raise ValueError("not a login-attempts book")
            bytes.fromhex(data["key"])
            for entry in data["names"].values():
                [float(at) for at in entry.get("failures", [])]
                [(float(at), str(t)) for at, t in entry.get("pending", [])]
            return data
        except FileNotFoundError:
            pass
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            log.warning("login attempts file %s is damaged (%s): counting from empty", self.path, type(exc).__name__)
        return {"key": secrets.token_hex(32), "names": {}}

    def _write(self, book: dict) -> None:
        _write_private(self.path, json.dumps(book))


@dataclass(frozen=True)
class LoginOutcome:
    user: User | None  # who logged in, or None
    locked_for: float = 0.0  # > 0: refused without a check, the name is locked this long


def log_in(users: dict[str, User], name: str, password: str, attempts: LoginAttempts) -> LoginOutcome:
    """The one way to check a password: reserve an attempt for the name (refused while it is
    locked, counting attempts still being checked), check it with bcrypt, settle it. Logs a
    success with the name and role and a lock with the name when it is a user's (never a
    typed name that is not one, never a password)."""
    name = name.strip()
    known = name if name in users else None
    ticket, wait = attempts.reserve(name)
    if ticket is None:
        log.warning("login refused: %s is locked for %d more minutes", _who(known), max(1, round(wait / 60)))
        return LoginOutcome(None, wait)
    user = None
    try:
        user = verify(users, name, password)
    finally:
        locked = attempts.settle(name, ticket, user is not None)
    if user is not None:
        log.info("login: %s (%s)", user.name, user.role)
    else:
        log.warning("login refused (a wrong name or password)")
        if locked:
            log.warning("login locked: %s after %d wrong passwords, for %d minutes", _who(known),
                        attempts.max_failures, round(attempts.lock_seconds / 60))
    return LoginOutcome(user)


def _who(known: str | None) -> str:
    return f"user {known}" if known else "a name that is not a user"


def save_user(user: User, path: Path | None = None) -> Path:
    """Add or replace a user in the file (created readable by its owner only), atomically."""
    path = Path(path) if path else users_path()
    users = load_users(path)
    users[user.name] = user
    _write_users(path, users)
    return path


def remove_user(name: str, path: Path | None = None) -> bool:
    """Take a user out of the file, atomically; False when there was no such user."""
    path = Path(path) if path else users_path()
    users = load_users(path)
    if users.pop(name, None) is None:
        return False
    _write_users(path, users)
    return True


def _write_users(path: Path, users: dict[str, User]) -> None:
    """Replace the users file at once, readable by its owner only."""
    _write_private(path, render(users.values()))


def _write_private(path: Path, text: str) -> None:
    """Replace `path` with `text` at once (a temporary file, made readable by its owner only,
    renamed over it): the users file and the login-attempts file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


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
