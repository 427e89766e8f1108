"""What `xiaoan serve` executes: Streamlit's own `streamlit run` command line, in a process that
first turns off Streamlit's scan for custom components and puts xiaoan's guard in front of the
web app Streamlit builds.

    python -m dashboard.server run dashboard/app.py --server.port 8501 ...

Streamlit 1.67 reads the metadata of every installed Python package when its runtime starts,
looking for "v2" custom components (`streamlit.components.v2.manifest_scanner`). xiaoan uses no
custom component, and on a server with the project's ~100 packages the scan costs ~0.2 s of a
cold start (docs/performance.md). If a later Streamlit moves the scanner, the patch does nothing
and Streamlit scans as before; `tests/test_dashboard_server.py` fails so that someone looks.

The guard (`Guard`, an ASGI middleware around the Starlette app of
`streamlit.web.server.starlette.starlette_server.create_starlette_app`; docs/security.md):
- `/media/<id>…` (downloads: Streamlit serves a download button's file to whoever has its URL,
  with no cookie and after logout) answers only a request that carries the `xiaoan_session`
  cookie, which this server bound at login to a live, logged-in session and unbinds at logout
  and when the session ends, and only when one of that cookie's live sessions made the file;
  without users, only a browser on this computer. Anything else: 403.
- `/_stcore/metrics` (cache names, counters) is refused always.
- every response says it may not be framed (X-Frame-Options, CSP frame-ancestors).
The cookie is set by `/_xiaoan/session/<ticket>`, which the page asks for once after login
(dashboard/login.py: a 1-pixel image); the ticket is single-use, short-lived and tied to the
session. The registry (`GRANTS`) lives in this module, which the app's scripts import in the
same process: `python -m dashboard.server` runs `main` from `dashboard.server`, not `__main__`.

Which session made which file, and putting the guard in front of the app Streamlit builds:
dashboard/media_guard.py (`guard_streamlit_app`, which `main` calls before Streamlit starts).
"""

from __future__ import annotations

import http.cookies
import ipaddress
import logging
import posixpath
import secrets
import sys
import threading
import time
from collections.abc import Callable
from urllib.parse import unquote

log = logging.getLogger("xiaoan.access")

COOKIE = "xiaoan_session"
BIND_ROUTE = "_xiaoan/session"  # + "/<ticket>": sets the cookie for the ticket's session
TICKET_SECONDS = 120  # a ticket not redeemed by then is void
FRAMING_HEADERS = ((b"x-frame-options", b"DENY"), (b"content-security-policy", b"frame-ancestors 'none'"),
                   (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"))
NO_STORE = ((b"cache-control", b"no-store"),)
FORWARDING_HEADERS = (b"x-forwarded-for", b"x-real-ip", b"forwarded", b"x-forwarded-host")
# a 1×1 transparent GIF: what the page's image gets back from the bind route
MAX_IDS_PER_SESSION = 1000  # media and placeholder ids remembered per session, the oldest forgotten first
PIXEL = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")


def skip_component_scan() -> bool:
    """Make Streamlit find no installed custom components without reading every package's
    metadata. True when the scanner was found and replaced."""
    try:
        from streamlit.components.v2 import manifest_scanner
    except ImportError:
        return False
    if not callable(getattr(manifest_scanner, "scan_component_manifests", None)):
        return False

    def no_components(max_workers: int | None = None) -> list:
        return []

    manifest_scanner.scan_component_manifests = no_components
    return True


class SessionGrants:
    """Which browser cookies stand for which logged-in sessions (thread-safe: the app's script
    threads write, the server's event loop reads).

    - `offer(session, user)` at login → a single-use ticket the page redeems at BIND_ROUTE;
    - `redeem(ticket, cookie)` → the cookie value to set (the browser's own, when it already
      has a valid one: two tabs of one browser share the cookie jar), now bound to the session;
    - `made(session, placeholder)` when a session's script offers a download made on click, and
      `made_by(placeholder, session)` before a click runs it;
    - `own(session, file_id)` when a session's script, or its click, stores a media file;
    - `revoke(session)` at logout, or when the gate finds the user gone: the session's cookie,
      its files and placeholders are forgotten;
    - `allows(cookie, file_ids)` → whether the cookie is bound to a session that is still live
      (the `live` check: active in Streamlit's runtime, its user still in the users file) and
      that owns the file.
    """

    def __init__(self, live: Callable[[str, str], bool] | None = None, active: Callable[[str], bool] | None = None):
        self._lock = threading.Lock()
        self._tickets: dict[str, tuple[str, str, float]] = {}  # ticket → (session, user, issued)
        self._sessions: dict[str, dict[str, str]] = {}  # cookie → {session: user}
        self._owned: dict[str, dict[str, None]] = {}  # session → the media file ids it made, oldest first
        self._made: dict[str, dict[str, None]] = {}  # session → its download buttons' placeholder ids
        self.live = live or session_live
        self.active = active or session_active

    def offer(self, session_id: str, user: str) -> str:
        self.prune()
        ticket = secrets.token_urlsafe(24)
        with self._lock:
            now = time.monotonic()
            self._tickets = {k: v for k, v in self._tickets.items() if now - v[2] < TICKET_SECONDS}
            self._tickets[ticket] = (session_id, user, now)
        return ticket

    def redeem(self, ticket: str, cookie: str | None) -> str | None:
        with self._lock:
            found = self._tickets.pop(ticket, None)
            if found is None or time.monotonic() - found[2] >= TICKET_SECONDS:
                return None
            session_id, user, _ = found
            if not (cookie and cookie in self._sessions):
                cookie = secrets.token_urlsafe(32)
            self._sessions.setdefault(cookie, {})[session_id] = user
            return cookie

    def bound(self, session_id: str) -> bool:
        with self._lock:
            return any(session_id in sessions for sessions in self._sessions.values())

    def revoke(self, session_id: str) -> None:
        with self._lock:
            for sessions in self._sessions.values():
                sessions.pop(session_id, None)
            self._sessions = {c: s for c, s in self._sessions.items() if s}
            self._tickets = {k: v for k, v in self._tickets.items() if v[0] != session_id}
            self._owned.pop(session_id, None)
            self._made.pop(session_id, None)

    def own(self, session_id: str, file_id: str) -> None:
        self._remember(self._owned, session_id, file_id)

    def made(self, session_id: str, placeholder: str) -> None:
        self._remember(self._made, session_id, placeholder)

    def made_by(self, placeholder: str, session_id: str) -> bool:
        with self._lock:
            return placeholder in self._made.get(session_id, {})

    def owns(self, session_id: str, file_id: str) -> bool:
        with self._lock:
            return file_id in self._owned.get(session_id, {})

    def _remember(self, table: dict[str, dict[str, None]], session_id: str, item: str) -> None:
        with self._lock:
            new_session = session_id not in self._owned and session_id not in self._made
        if new_session:
            self._forget_ended()
        with self._lock:
            items = table.setdefault(session_id, {})
            items.pop(item, None)
            items[item] = None
            while len(items) > MAX_IDS_PER_SESSION:
                del items[next(iter(items))]

    def _forget_ended(self) -> None:
        """Forget the files and placeholders of sessions Streamlit no longer serves (without
        users nothing revokes a session; with users, a closed tab does not log out)."""
        with self._lock:
            known = set(self._owned) | set(self._made)
        ended = [s for s in known if not self.active(s)]
        with self._lock:
            for session_id in ended:
                self._owned.pop(session_id, None)
                self._made.pop(session_id, None)

    def prune(self) -> None:
        """Forget the sessions that ended without a later download asking about them."""
        with self._lock:
            bound = [(s, user) for sessions in self._sessions.values() for s, user in sessions.items()]
        for session_id, user in bound:
            if not self.live(session_id, user):
                self.revoke(session_id)

    def allows(self, cookie: str | None, file_ids: set[str]) -> bool:
        """Whether one live session bound to the cookie made every file the path may name."""
        if not cookie or not file_ids:
            return False
        with self._lock:
            sessions = dict(self._sessions.get(cookie, {}))
        ended = [s for s, user in sessions.items() if not self.live(s, user)]
        for session_id in ended:
            self.revoke(session_id)
        with self._lock:
            return any(file_ids <= self._owned.get(s, {}).keys() for s in sessions if s not in ended)


def session_active(session_id: str) -> bool:
    """A session Streamlit still serves (its tab open)."""
    from streamlit.runtime import Runtime

    return Runtime.exists() and Runtime.instance().is_active_session(session_id)


def session_live(session_id: str, user: str) -> bool:
    """A session Streamlit still serves (its tab open), whose user the users file still names."""
    from xiaoan import access

    try:
        if not session_active(session_id):
            return False
        users = access.load_users()
    except access.AccessError:
        return False
    return user in users


GRANTS = SessionGrants()


def login_required() -> bool:
    """Whether the dashboard asks for a login (users or OIDC); a broken users file counts as
    yes (nobody gets in then)."""
    from xiaoan import access

    try:
        return access.login_configured()
    except access.AccessError:
        return True


class Guard:
    """ASGI middleware in front of Streamlit's app (see the module's docstring)."""

    def __init__(self, app, grants: SessionGrants | None = None, login_required: Callable[[], bool] = login_required,
                 base_url: str | None = None):
        self.app = app
        self.grants = grants or GRANTS
        self.login_required = login_required
        self._base_url = base_url

    @property
    def base(self) -> str:
        if self._base_url is None:
            from streamlit import config

            self._base_url = (config.get_option("server.baseUrlPath") or "").strip("/")
        return self._base_url

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # the path as Streamlit routes it and as normalised: a rule applies when either matches
        routes = {self._route(scope.get("path", ""), normalise) for normalise in (False, True)}
        if any(_under(route, "_stcore/metrics") for route in routes):
            await _respond(send, 403)
            return
        route = self._route(scope.get("path", ""), True)
        if route.startswith(BIND_ROUTE + "/"):
            await self._bind(scope, send, route[len(BIND_ROUTE) + 1:])
            return
        if any(_under(route, "media") for route in routes) and not self._may_download(scope):
            await _respond(send, 403)
            return

        async def framed(message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [h for h in FRAMING_HEADERS if h[0] not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, framed)

    def _route(self, path: str, normalise: bool = True, decode: bool = True) -> str:
        """The request's path below the base URL, decoded (once more: the server has already
        decoded it once) and normalised when asked (`//media/./x` → `media/x`)."""
        path = (unquote(path) if decode else path).lstrip("/")
        if normalise:
            path = posixpath.normpath("/" + path).lstrip("/")
        if self.base:
            if path != self.base and not path.startswith(self.base + "/"):
                return path
            path = path[len(self.base):].lstrip("/")
        return path

    def _may_download(self, scope) -> bool:
        if self.login_required():
            return self.grants.allows(_cookie(scope, COOKIE), self._media_ids(scope.get("path", "")))
        return _local_request(scope)

    def _media_ids(self, path: str) -> set[str]:
        """The file id a /media/ path names, read every way this guard and Streamlit may read it
        (Streamlit: the text after `media/` without its extension); a path read two ways names
        two ids, and all of them must be the session's."""
        ids = set()
        for decode in (False, True):
            for normalise in (False, True):
                route = self._route(path, normalise, decode)
                if _under(route, "media"):
                    ids.add(posixpath.splitext(route[len("media/"):])[0])
        return ids

    async def _bind(self, scope, send, ticket: str) -> None:
        cookie = self.grants.redeem(ticket, _cookie(scope, COOKIE))
        if cookie is None:
            await _respond(send, 403)
            return
        secure = "; Secure" if scope.get("scheme") == "https" else ""
        path = "/" + (self.base + "/" if self.base else "")
        header = f"{COOKIE}={cookie}; Path={path}; HttpOnly; SameSite=Strict{secure}".encode("latin-1")
        await _respond(send, 200, PIXEL, [(b"content-type", b"image/gif"), (b"set-cookie", header)])


def _under(route: str, prefix: str) -> bool:
    return route == prefix or route.startswith(prefix + "/")


def _cookie(scope, name: str) -> str | None:
    jar = http.cookies.SimpleCookie()
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except http.cookies.CookieError:
                return None
    morsel = jar.get(name)
    return morsel.value if morsel else None


def _local_request(scope) -> bool:
    """As dashboard/login.py decides for pages: a loopback client, nothing forwarded by a proxy,
    and a Host that names this computer."""
    client = (scope.get("client") or ("",))[0] or ""
    if not _loopback(client):
        return False
    headers = dict(scope.get("headers", []))
    if any(headers.get(name) for name in FORWARDING_HEADERS):
        return False
    host = headers.get(b"host", b"").decode("latin-1")
    host = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return not host or host == "localhost" or _loopback(host)


def _loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.strip("[]").split("%")[0]).is_loopback
    except ValueError:
        return False


async def _respond(send, status: int, body: bytes = b"", headers=()) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [*headers, *NO_STORE, *FRAMING_HEADERS, (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def log_to_stderr() -> None:
    """xiaoan's log lines (logins, locks, a broken users file) to the server's standard error,
    beside Streamlit's: the journal under systemd (docs/deployment.md). Without this, Python
    drops INFO lines such as a successful login."""
    logger = logging.getLogger("xiaoan")
    if not any(getattr(h, "xiaoan", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.xiaoan = True
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def main(argv: list[str] | None = None) -> None:
    """Run Streamlit's command line (`streamlit <argv>`) without the component scan, behind the
    guard, with xiaoan's log lines on standard error."""
    skip_component_scan()
    log_to_stderr()
    from dashboard.media_guard import guard_streamlit_app

    if not guard_streamlit_app():
        sys.exit("xiaoan: this Streamlit builds its web app elsewhere: the download guard cannot be installed")
    from streamlit.web import cli

    cli.main(args=sys.argv[1:] if argv is None else argv, prog_name="streamlit")


if __name__ == "__main__":
    from dashboard.server import main as run  # the module the app's scripts import, not __main__'s copy

    run()
