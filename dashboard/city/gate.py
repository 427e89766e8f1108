"""The door of the city view: the district dashboard's login (dashboard/login.py,
xiaoan/access.py, docs/security.md) with the city's roles.

The same users file and identity provider, the same bcrypt check and lock after five wrong
passwords (access.log_in), the same download cookie (dashboard/server.py). Who sees what:
a `city` user every district, a `district` user bound to its 区代码 only its own; any other
account (a town, a member unit, a district user without 区代码) is refused here with a note.
Without users: no login, the whole city, and only for a browser on this computer — `xiaoan
serve --lake` binds 127.0.0.1 and refuses another address.
"""

from __future__ import annotations

import logging

import streamlit as st

from dashboard import login
from dashboard.city import scope as city_scope
from xiaoan import access
from xiaoan.i18n import t

USER_KEY = login.USER_KEY
log = logging.getLogger("xiaoan.access")


def gate(lang: str, pages: list | None = None) -> city_scope.CityScope:
    """Let the viewer in and return the scope (stored in the session), or stop the run with the
    login page. `pages`: the city view's pages, named (hidden) while the login form shows so that
    the page the URL asks for is the one shown after the login."""
    try:
        users = access.load_users()
    except access.AccessError as problem:
        log.error("login impossible: %s", problem)
        st.error(t("access.users_broken", lang))
        st.stop()
    if login.oidc_configured():
        user = login.oidc_user(users, lang) if st.user.is_logged_in else _oidc_login(lang, pages)
    elif users:
        user = _password_user(users, lang, pages)
    else:
        if not login.local_client():
            st.error(t("access.remote_refused", lang))
            st.stop()
        found = city_scope.current()
        if found.is_city:
            st.sidebar.caption(t("city.view.open_local", lang))
        return found
    found = city_scope.of_user(user)
    if found is None:
        login.close_downloads()
        st.session_state.pop(city_scope.SESSION_KEY, None)
        st.error(t("city.view.no_role", lang, name=user.name))
        st.button(t("access.logout", lang), key="auth.logout", on_click=_logout)
        st.stop()
    st.session_state[city_scope.SESSION_KEY] = found
    login.open_downloads(user)
    st.sidebar.caption(t("access.signed_in", lang, name=user.name, role=role_label(user, lang)))
    st.sidebar.button(t("access.logout", lang), key="auth.logout", on_click=_logout, icon=":material/logout:")
    return found


def role_label(user: access.User, lang: str) -> str:
    if user.role == "district" and user.code:
        return t("city.view.role.district", lang, code=user.code)
    return t(f"access.role.{user.role}", lang)


def _oidc_login(lang: str, pages: list | None) -> access.User:
    login.close_downloads()
    _login_page(lang, pages)
    st.button(t("access.oidc_button", lang), key="auth.oidc", on_click=st.login, type="primary")
    st.stop()


def _password_user(users: dict[str, access.User], lang: str, pages: list | None) -> access.User:
    name = st.session_state.get(USER_KEY)
    user = users.get(name) if isinstance(name, str) else None
    if user is not None and user.password_hash:
        return user
    st.session_state.pop(USER_KEY, None)
    st.session_state.pop(city_scope.SESSION_KEY, None)
    login.close_downloads()
    _login_page(lang, pages)
    login.password_form(users, lang)


def _login_page(lang: str, pages: list | None) -> None:
    if pages:
        st.navigation(pages, position="hidden")
    st.title(t("city.view.login_title", lang))
    st.caption(t("access.login_intro", lang))


def _logout() -> None:
    login.close_downloads()
    st.session_state.pop(USER_KEY, None)
    st.session_state.pop(city_scope.SESSION_KEY, None)
    if login.oidc_configured():
        st.logout()
