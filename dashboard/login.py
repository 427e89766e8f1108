"""The door of the dashboard (xiaoan/access.py, docs/security.md): runs before anything shows
data and sets the viewer's scope in the session from who logged in.

- OIDC configured (`[auth]` in secrets.toml): Streamlit's st.login; the users file gives the
  e-mail's role. An account without a role sees nothing.
- Users in the users file: a name and password form (bcrypt); five wrong passwords for one
  name lock it for a quarter of an hour, counted by access.log_in in a file beside the users
  file (so for attempts at the same moment, other server processes and after a restart).
- Neither: no login, the district view (or $XIAOAN_SCOPE), and only for a browser on this
  computer — `xiaoan serve` binds 127.0.0.1 and refuses another address, and a connection
  from elsewhere (another way of starting the app, or a reverse proxy in front of it) is
  refused here too.
The logged-in name is kept in the session (never a widget, so no browser can set it) and the
user is looked up again on every run: a user removed from the file is out at the next click.
A logged-in session binds the browser's download cookie (dashboard/server.py) and unbinds it at
logout (a wall screen's account never binds it); the login form keeps the page the URL asked
for, so a deep link survives the login.
"""

from __future__ import annotations

import ipaddress
import logging
import urllib.parse
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard import nav, server, viewer
from xiaoan import access
from xiaoan.i18n import t

USER_KEY = "auth.user"
MAX_FAILURES = access.MAX_FAILURES
LOCK_SECONDS = access.LOCK_SECONDS
log = logging.getLogger("xiaoan.access")


def gate(lang: str) -> None:
    """Let the viewer in (setting the scope) or stop the run with the login page."""
    try:
        users = access.load_users()
    except access.AccessError as problem:  # the details (its path, the parse error) are for the server's log only
        log.error("login impossible: %s", problem)
        st.error(t("access.users_broken", lang))
        st.stop()
    if _oidc_configured():
        user = _oidc_user(users, lang)
    elif users:
        user = _password_user(users, lang)
    else:
        _open(lang)
        return
    try:  # a city user, or a district user of another 区代码, does not belong on this district's dashboard
        scope = access.dashboard_scope(user)
    except access.AccessError as refused:
        log.warning("login refused: %s", refused)
        st.session_state.pop(viewer.SESSION_KEY, None)
        _close_downloads()
        st.error(refused.message(lang))
        st.sidebar.button(t("access.logout", lang), key="auth.logout", on_click=_logout, icon=":material/logout:")
        st.stop()
    st.session_state[viewer.SESSION_KEY] = scope
    if user.role == "wall":  # a wall screen downloads nothing: its browser never gets the download cookie
        _close_downloads()
    else:
        _open_downloads(user)
    st.sidebar.caption(t("access.signed_in", lang, name=user.name, role=t(f"access.role.{user.role}", lang)))
    st.sidebar.button(t("access.logout", lang), key="auth.logout", on_click=_logout, icon=":material/logout:")


def _open_downloads(user: access.User) -> None:
    """Bind this browser's download cookie to the session (dashboard/server.py): once per
    session, the page asks the server's bind route for a 1-pixel image with a single-use ticket;
    the answer sets an HttpOnly cookie without which no /media/ download is served."""
    session_id = _session_id()
    if session_id is None or server.GRANTS.bound(session_id):
        return
    ticket = server.GRANTS.offer(session_id, user.name)
    # relative: every page sits right under the base URL, so this resolves beside them
    st.sidebar.html(f'<img src="{server.BIND_ROUTE}/{ticket}" alt="" width="1" height="1" '
                    'style="position:absolute;opacity:0" data-xiaoan="session">')


def _close_downloads() -> None:
    session_id = _session_id()
    if session_id is not None:
        server.GRANTS.revoke(session_id)


def _session_id() -> str | None:
    ctx = get_script_run_ctx(suppress_warning=True)
    return ctx.session_id if ctx else None


def _open(lang: str) -> None:
    """No users: this computer only. The note on how the dashboard is served is for its
    administrator, who is the viewer here (a browser on the server itself, whole-district view,
    the one who started `xiaoan serve`); when the server pins a narrower view ($XIAOAN_SCOPE: a
    town's or a unit's screen left open for its people), nobody there administers it and the
    note stays out of the leaders' sight."""
    if not _local_client():
        st.error(t("access.remote_refused", lang))
        st.stop()
    if viewer.current().kind == "district":
        st.sidebar.caption(t("access.open_local", lang))


def _local_client() -> bool:
    """Whether the browser is on this computer: the connection comes from loopback (Streamlit
    gives no address then), no reverse proxy forwarded it (nginx on the same machine connects
    from 127.0.0.1 but adds X-Forwarded-For / X-Real-IP), and the browser's own address bar
    names this computer."""
    address = _client_address()
    if isinstance(address, str) and address and not _loopback(address):  # (the test harness gives a stand-in)
        return False
    if _forwarded():
        return False
    host = _browser_host()
    return host is None or host == "localhost" or _loopback(host)


def _loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.strip("[]").split("%")[0]).is_loopback
    except ValueError:
        return False


def _client_address() -> str | None:
    try:
        return st.context.ip_address
    except Exception:  # outside a browser session (tests, scripts)
        return None


FORWARDING_HEADERS = ("X-Forwarded-For", "X-Real-Ip", "Forwarded", "X-Forwarded-Host")


def _forwarded() -> bool:
    try:
        headers = st.context.headers
        return any(isinstance(headers.get(name), str) and headers.get(name) for name in FORWARDING_HEADERS)
    except Exception:
        return False


def _browser_host() -> str | None:
    try:
        url = st.context.url
    except Exception:
        return None
    return urllib.parse.urlsplit(url).hostname if isinstance(url, str) and url else None


def _oidc_configured() -> bool:
    try:
        return bool(st.secrets.get("auth"))
    except Exception:  # no secrets file at all
        return False


def _oidc_user(users: dict[str, access.User], lang: str) -> access.User:
    if not st.user.is_logged_in:
        _close_downloads()
        _login_page(lang)
        st.button(t("access.oidc_button", lang), key="auth.oidc", on_click=st.login, type="primary")
        st.stop()
    email = str(st.user.get("email") or "").strip().lower()
    user = next((u for name, u in users.items() if name.strip().lower() == email), None)
    if user is None or not email:
        _close_downloads()
        st.error(t("access.no_role", lang, email=email or "?"))
        st.button(t("access.logout", lang), key="auth.logout", on_click=st.logout)
        st.stop()
    return user


def _password_user(users: dict[str, access.User], lang: str) -> access.User:
    name = st.session_state.get(USER_KEY)
    user = users.get(name) if isinstance(name, str) else None
    if user is not None and user.password_hash:
        return user
    st.session_state.pop(USER_KEY, None)
    _close_downloads()
    _login_page(lang)
    _password_form(users, lang)


def _password_form(users: dict[str, access.User], lang: str) -> None:
    """The name-and-password form (also the city view's): a right password keeps the user's name
    in the session and reruns; a wrong one, or a locked name, says so. Stops the run."""
    with st.form("login", clear_on_submit=True, enter_to_submit=True):
        typed_name = st.text_input(t("access.name", lang), key="login.name", max_chars=100)
        password = st.text_input(t("access.password", lang), key="login.password", type="password", max_chars=200)
        submitted = st.form_submit_button(t("access.submit", lang), type="primary")
    if submitted and typed_name:
        outcome = access.log_in(users, typed_name, password, _failure_book(str(access.attempts_path())))
        if outcome.locked_for:
            st.error(t("access.locked", lang, minutes=max(1, round(outcome.locked_for / 60))))
        elif outcome.user is not None:
            st.session_state[USER_KEY] = outcome.user.name
            st.rerun()
        else:
            st.error(t("access.wrong", lang))
    st.stop()


def _login_page(lang: str) -> None:
    _keep_requested_page(lang)
    st.title(t("access.login_title", lang))
    st.caption(t("access.login_intro", lang))


def _keep_requested_page(lang: str) -> None:
    """Name the pages (hidden, nothing of them runs) while the login form shows, so that the
    page the URL asks for — a hazard's history with its id — stays the current page and is the
    one shown after the login, with its parameters. Without it Streamlit finds no such page on
    this run and falls back to the overview, which drops the id."""
    from xiaoan.metrics import Scope

    st.navigation(nav.pages(lang, Scope()), position="hidden")


def _logout() -> None:
    _close_downloads()
    st.session_state.pop(USER_KEY, None)
    st.session_state.pop(viewer.SESSION_KEY, None)
    if _oidc_configured():
        st.logout()


# ---- wrong passwords, counted per name in a file beside the users file (access.LoginAttempts)


@st.cache_resource(show_spinner=False)
def _failure_book(path: str) -> access.LoginAttempts:
    """One book (and its thread lock) per attempts file for every session of this server; the
    counts themselves live in the file, so other server processes and a restart see them."""
    return access.LoginAttempts(Path(path))


# ---- the same door for the city view (dashboard/city/gate.py): these checks, not a second copy
oidc_configured = _oidc_configured
oidc_user = _oidc_user
local_client = _local_client
open_downloads = _open_downloads
close_downloads = _close_downloads
failure_book = _failure_book
password_form = _password_form
