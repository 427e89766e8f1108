"""Past the login, in a real browser (docs/security.md): `xiaoan serve` with a users file,
headless Chromium. A CSV download's /media/ link gives nothing to a client without the
session's cookie, nor to the browser after logout; a deep link to a hazard survives the login
form. The harness (server, browser, waits) is tests/browser.py."""

from __future__ import annotations

import os
import urllib.error
import urllib.request

import pytest

from tests.browser import (  # noqa: F401 (browser: a fixture)
    PASSWORD, browser, log_in, log_in_together, new_context, new_tab, require_browser, running_dashboard,
)
from tests.test_dashboard_data import dashboard_warehouse, map_file
from xiaoan import access

pytestmark = pytest.mark.browser

ASOF = "2026-03-31"
USERS = (("wang", "district", None), ("li", "town", "T01"), ("zhao", "town", "T02"), ("d01", "department", "D01"))


@pytest.fixture(scope="module")
def server(tmp_path_factory, request):
    """`xiaoan serve` on a free port with a district user, a user of each town (T01, T02) and
    a department user (D01) (the browser launched while it starts); yields its base URL."""
    require_browser()
    users = tmp_path_factory.mktemp("users") / "users.toml"
    for name, role, code in USERS:
        access.save_user(access.User(name, role, code, access.hash_password(PASSWORD, rounds=4)), users)
    env = {**os.environ, "XIAOAN_MAP": str(map_file()), "XIAOAN_USERS": str(users)}
    with running_dashboard(dashboard_warehouse(), env, meanwhile=lambda: request.getfixturevalue("browser")) as url:
        yield url


@pytest.fixture
def tab(browser, server):  # noqa: F811
    with new_tab(browser) as page:
        yield page


def plain_get(url: str) -> tuple[int, bytes]:
    """A client on another machine: no cookie at all."""
    try:
        with urllib.request.urlopen(url, timeout=10) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read()


def test_a_download_link_gives_nothing_without_the_session_cookie_or_after_logout(tab, server):
    log_in(tab, f"{server}/hazards?asof={ASOF}")
    with tab.expect_download() as download:
        tab.get_by_role("button", name="下载 CSV").first.click()
    link = download.value.url
    assert "/media/" in link
    cookie = next(c for c in tab.context.cookies() if c["name"] == "xiaoan_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    mine = tab.context.request.get(link)  # the logged-in browser gets the file
    assert mine.status == 200 and "隐患编号" in mine.body().decode("utf-8-sig")

    status, body = plain_get(link)
    assert status == 403 and body == b""

    tab.locator("[data-testid=stSidebar]").get_by_role("button", name="退出登录").click()
    _settle_login_form(tab)
    after = tab.context.request.get(link)  # the same browser, its cookies, after logout
    assert after.status == 403 and after.body() == b""


def test_a_download_is_served_only_to_the_session_that_made_it(browser, server):  # noqa: F811
    """Town A's link, fetched by town B and by a department user with their own valid cookies,
    gives nothing; A's browser gets it while A is logged in; after A logs out, nobody does."""
    contexts = {name: new_context(browser) for name in ("li", "zhao", "d01")}
    try:
        tabs = {name: context.new_page() for name, context in contexts.items()}
        log_in_together((tabs["zhao"], f"{server}/?asof={ASOF}", "zhao"), (tabs["d01"], f"{server}/?asof={ASOF}", "d01"),
                        (tabs["li"], f"{server}/hazards?asof={ASOF}", "li"))
        with tabs["li"].expect_download() as download:
            tabs["li"].get_by_role("button", name="下载 CSV").first.click()
        link = download.value.url
        assert "/media/" in link
        mine = contexts["li"].request.get(link)
        assert mine.status == 200 and "H1" in mine.body().decode("utf-8-sig")  # a hazard of T01
        assert tabs["li"].evaluate("url => fetch(url).then(r => r.status)", link) == 200  # from A's page too
        for other in ("zhao", "d01"):  # logged in, idle, holding a valid cookie of their own
            assert any(c["name"] == "xiaoan_session" for c in contexts[other].cookies()), other
            theirs = contexts[other].request.get(link)
            assert theirs.status == 403 and theirs.body() == b"", other
            seen = tabs[other].evaluate("url => fetch(url).then(r => r.status)", link)  # from their page itself
            assert seen == 403, other

        tabs["li"].locator("[data-testid=stSidebar]").get_by_role("button", name="退出登录").click()
        _settle_login_form(tabs["li"])
        for name in ("li", "zhao", "d01"):
            assert contexts[name].request.get(link).status == 403, name
        assert plain_get(link)[0] == 403
    finally:
        for context in contexts.values():
            context.close()


def _settle_login_form(tab) -> None:
    tab.wait_for_selector("input[type=password]", timeout=60_000)
    tab.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=60_000)


def test_a_deep_link_to_a_hazard_survives_the_login(tab, server):
    log_in(tab, f"{server}/hazard?id=H1&asof={ASOF}")
    assert "隐患 H1" in tab.locator("[data-testid=stMain] h1").first.inner_text()
    assert "/hazard" in tab.url and "id=H1" in tab.url


def test_metrics_and_framing_on_the_real_server(server):
    status, body = plain_get(f"{server}/_stcore/metrics")
    assert status == 403 and body == b""
    with urllib.request.urlopen(server + "/", timeout=10) as reply:
        assert reply.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in reply.headers["Content-Security-Policy"]
