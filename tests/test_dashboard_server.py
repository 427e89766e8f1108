"""`xiaoan serve` runs Streamlit's own command line through dashboard.server, which turns off
Streamlit's scan of every installed package for custom components (xiaoan has none)."""

from __future__ import annotations

import importlib.metadata

from streamlit.components.v2 import component_manager, manifest_scanner

from dashboard import media_guard, server


def test_the_scan_is_found_and_replaced_in_the_pinned_streamlit(monkeypatch):
    # Restored after the test: the patch is process-wide.
    monkeypatch.setattr(manifest_scanner, "scan_component_manifests", manifest_scanner.scan_component_manifests)
    assert server.skip_component_scan(), "Streamlit moved its component scanner: update dashboard/server.py"

    read = []
    monkeypatch.setattr(importlib.metadata, "distributions", lambda *a, **k: read.append(1) or [])
    manager = component_manager.BidiComponentManager()
    manager.discover_and_register_components(start_file_watching=False)  # swallows errors: count calls instead
    assert read == [], "Streamlit still read every installed package's metadata"
    assert manifest_scanner.scan_component_manifests() == []


def test_the_scan_reads_the_packages_when_not_patched(monkeypatch):
    """The check above can fail: unpatched, the same call reads the installed packages."""
    read = []
    monkeypatch.setattr(importlib.metadata, "distributions", lambda *a, **k: read.append(1) or [])
    component_manager.BidiComponentManager().discover_and_register_components(start_file_watching=False)
    assert read == [1]


def test_without_the_scanner_the_patch_does_nothing(monkeypatch):
    monkeypatch.delattr(manifest_scanner, "scan_component_manifests")
    assert server.skip_component_scan() is False


# ---------------------------------------------------------------- the guard in front of Streamlit's app

import warnings  # noqa: E402

import pytest  # noqa: E402
from starlette.applications import Starlette  # noqa: E402
from starlette.responses import PlainTextResponse  # noqa: E402
from starlette.routing import Route  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

HAZARDS = "隐患编号,学校\nH1,S01\n"


def streamlit_like() -> Starlette:
    """Stands in for the app Streamlit builds: a download, the metrics, a page."""
    async def media(request):
        return PlainTextResponse(HAZARDS)

    async def metrics(request):
        return PlainTextResponse("cache_memory_bytes{cache_type=\"st_cache_data\"} 1\n")

    async def index(request):
        return PlainTextResponse("<html>page</html>")

    return Starlette(routes=[Route("/media/{file_id:path}", media), Route("/_stcore/metrics", metrics),
                             Route("/{path:path}", index)])


class Sessions:
    """Which sessions are live (stands in for Streamlit's runtime and the users file)."""

    def __init__(self):
        self.live = set()

    def __call__(self, session_id, user):
        return session_id in self.live

    def active(self, session_id):
        return session_id in self.live


@pytest.fixture
def sessions():
    return Sessions()


def guarded(sessions, login=True, client=("127.0.0.1", 5000), base_url="", **headers) -> TestClient:
    app = server.Guard(streamlit_like(), server.SessionGrants(live=sessions, active=sessions.active),
                       login_required=lambda: login, base_url=base_url)
    return TestClient(app, base_url="http://127.0.0.1:8501", client=client, headers=headers or None)


def bind(web: TestClient, session_id="s1", user="wang"):
    """What the page does after login: ask the bind route with the session's ticket."""
    ticket = web.app.grants.offer(session_id, user)
    return web.get(f"/{server.BIND_ROUTE}/{ticket}")


def test_every_response_forbids_framing(sessions):
    web = guarded(sessions)
    for path in ("/", "/hazards", "/media/x.csv", "/_stcore/metrics", f"/{server.BIND_ROUTE}/nothing"):
        reply = web.get(path)
        assert reply.headers["x-frame-options"] == "DENY", path
        assert reply.headers["content-security-policy"] == "frame-ancestors 'none'", path


def test_without_the_guard_the_page_may_be_framed(sessions):
    """The check above can fail: Streamlit's app alone sends no anti-framing header."""
    reply = TestClient(streamlit_like()).get("/")
    assert "x-frame-options" not in reply.headers and "content-security-policy" not in reply.headers


@pytest.mark.parametrize("login", [True, False])
@pytest.mark.parametrize("path", ["/_stcore/metrics", "/_stcore/metrics?families=cache_memory_bytes",
                                  "/_stcore//metrics", "/_stcore/./metrics/", "/_stcore/%6detrics"])
def test_metrics_never_answer(sessions, login, path):
    reply = guarded(sessions, login=login).get(path)
    assert reply.status_code == 403 and reply.content == b""


def test_a_download_needs_the_cookie_bound_to_a_live_logged_in_session(sessions):
    web = guarded(sessions)
    assert web.get("/media/x.csv").status_code == 403  # no cookie: another machine
    sessions.live.add("s1")
    bound = bind(web)
    assert bound.status_code == 200 and bound.headers["content-type"] == "image/gif"
    cookie = bound.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    web.app.grants.own("s1", "x")  # the session's script made the file
    reply = web.get("/media/x.csv")
    assert reply.status_code == 200 and reply.text == HAZARDS
    forged = guarded(sessions)
    forged.cookies.set(server.COOKIE, "forged")
    assert forged.get("/media/x.csv").status_code == 403


@pytest.mark.parametrize("path", ["/media/../media/x.csv", "/media/%2e%2e/x.csv", "/./media/x.csv", "/media//x.csv"])
def test_a_download_path_written_another_way_is_guarded_alike(sessions, path):
    reply = guarded(sessions).get(path)
    assert reply.status_code in (403, 404) and "H1" not in reply.text


def test_a_refused_download_carries_no_data(sessions):
    reply = guarded(sessions).get("/media/x.csv")
    assert reply.status_code == 403 and reply.content == b"" and "H1" not in reply.text


def test_logout_unbinds_the_cookie(sessions):
    web = guarded(sessions)
    sessions.live.add("s1")
    bind(web)
    web.app.grants.own("s1", "x")
    assert web.get("/media/x.csv").status_code == 200
    web.app.grants.revoke("s1")  # dashboard/login.py's logout
    assert web.get("/media/x.csv").status_code == 403


def test_a_session_that_ended_unbinds_the_cookie(sessions):
    web = guarded(sessions)
    sessions.live.add("s1")
    bind(web)
    web.app.grants.own("s1", "x")
    sessions.live.discard("s1")  # the tab was closed, or the user removed from the users file
    assert web.get("/media/x.csv").status_code == 403
    sessions.live.add("s1")  # and it stays unbound
    assert web.get("/media/x.csv").status_code == 403


def test_ended_sessions_are_forgotten_at_the_next_login(sessions):
    web = guarded(sessions)
    sessions.live |= {"s1", "s2"}
    bind(web, "s1")
    sessions.live.discard("s1")
    web.app.grants.offer("s2", "wang")
    assert not web.app.grants.bound("s1")


def test_two_tabs_share_the_cookie_and_one_logout_leaves_the_other(sessions):
    web = guarded(sessions)
    sessions.live |= {"s1", "s2"}
    bind(web, "s1")
    first = web.cookies[server.COOKIE]
    bind(web, "s2")
    assert web.cookies[server.COOKIE] == first
    web.app.grants.own("s1", "x")
    web.app.grants.own("s2", "y")
    assert web.get("/media/x.csv").status_code == 200 and web.get("/media/y.csv").status_code == 200
    web.app.grants.revoke("s1")
    assert web.get("/media/x.csv").status_code == 403  # the tab that logged out: its file goes with it
    assert web.get("/media/y.csv").status_code == 200
    web.app.grants.revoke("s2")
    assert web.get("/media/y.csv").status_code == 403


def test_a_ticket_is_used_once_and_only_for_its_session(sessions):
    web = guarded(sessions)
    sessions.live.add("s1")
    ticket = web.app.grants.offer("s1", "wang")
    assert web.get(f"/{server.BIND_ROUTE}/{ticket}").status_code == 200
    other = guarded(sessions)  # another machine replaying the ticket
    assert other.get(f"/{server.BIND_ROUTE}/{ticket}").status_code == 403
    assert other.get("/media/x.csv").status_code == 403
    assert other.get(f"/{server.BIND_ROUTE}/made-up").status_code == 403


def test_behind_a_base_url_the_same_rules_hold(sessions):
    web = guarded(sessions, base_url="xiaoan")
    assert web.get("/xiaoan/media/x.csv").status_code == 403
    assert web.get("/xiaoan/_stcore/metrics").status_code == 403
    sessions.live.add("s1")
    ticket = web.app.grants.offer("s1", "wang")
    reply = web.get(f"/xiaoan/{server.BIND_ROUTE}/{ticket}")
    assert reply.status_code == 200 and "Path=/xiaoan/" in reply.headers["set-cookie"]
    web.app.grants.own("s1", "x")
    assert web.get("/xiaoan/media/x.csv").status_code == 200


def test_without_users_downloads_serve_this_computer_only(sessions):
    assert guarded(sessions, login=False).get("/media/x.csv").text == HAZARDS
    assert guarded(sessions, login=False, client=("192.168.1.20", 5000)).get("/media/x.csv").status_code == 403
    proxied = guarded(sessions, login=False, **{"X-Forwarded-For": "192.168.1.20"})  # nginx on this machine
    assert proxied.get("/media/x.csv").status_code == 403
    named = TestClient(server.Guard(streamlit_like(), server.SessionGrants(live=sessions, active=sessions.active),
                                    login_required=lambda: False,
                                    base_url=""), base_url="http://xiaoan.example.gov.cn", client=("127.0.0.1", 1))
    assert named.get("/media/x.csv").status_code == 403  # the browser's address names another host


@pytest.fixture
def hooks(monkeypatch):
    """What guard_streamlit_app wraps, restored after the test: the wrapping is process-wide."""
    found = media_guard.streamlit_hooks()
    assert found is not None, "Streamlit moved what dashboard/media_guard.py wraps: `xiaoan serve` will refuse to start"
    for owner, name in found:
        monkeypatch.setattr(owner, name, getattr(owner, name))
    return found


def test_the_guard_wraps_the_app_streamlit_builds(hooks, monkeypatch):
    from streamlit.web.server.starlette import starlette_server

    monkeypatch.setattr(starlette_server, "create_starlette_app", lambda runtime: streamlit_like())
    assert media_guard.guard_streamlit_app()
    assert isinstance(starlette_server.create_starlette_app(None), server.Guard)
    assert all(getattr(getattr(owner, name), "xiaoan_guarded", False) for owner, name in hooks)


@pytest.mark.parametrize("which", range(5))
def test_if_anything_the_guard_wraps_has_moved_nothing_is_wrapped_and_serve_refuses(hooks, monkeypatch, which):
    owner, name = hooks[which]
    monkeypatch.delattr(owner, name)
    assert media_guard.guard_streamlit_app() is False
    assert not any(getattr(getattr(o, n, None), "xiaoan_guarded", False) for o, n in hooks)
    for process_wide in ("skip_component_scan", "log_to_stderr"):  # main's other steps, not under test here
        monkeypatch.setattr(server, process_wide, lambda: None)
    with pytest.raises(SystemExit, match="download guard cannot be installed"):
        server.main(["--version"])


# ---------------------------------------------------------------- which session made which file


def two_browsers(sessions):
    """Town A's browser (session a) and town B's (session b), each logged in, one guard."""
    a = guarded(sessions)
    b = TestClient(a.app, base_url="http://127.0.0.1:8501", client=("127.0.0.1", 5001))
    sessions.live |= {"a", "b"}
    bind(a, "a", "li")
    bind(b, "b", "zhao")
    return a, b


def test_a_download_is_served_only_to_the_session_that_made_it(sessions):
    a, b = two_browsers(sessions)
    a.app.grants.own("a", "x")
    assert a.get("/media/x.csv").status_code == 200
    refused = b.get("/media/x.csv")  # B's own valid cookie, A's link
    assert refused.status_code == 403 and refused.content == b""


def test_a_file_no_session_made_is_refused_to_every_cookie(sessions):
    """What Streamlit does with a file generated on a click: it links it to no session."""
    a, b = two_browsers(sessions)
    assert a.get("/media/x.csv").status_code == 403 and b.get("/media/x.csv").status_code == 403


def test_logout_forgets_the_sessions_files_for_the_next_user_of_the_tab(sessions):
    a, _ = two_browsers(sessions)
    a.app.grants.own("a", "x")
    a.app.grants.revoke("a")  # li logs out; zhao logs in in the same tab (the same session)
    bind(a, "a", "zhao")
    assert a.get("/media/x.csv").status_code == 403


def test_a_closed_tab_takes_its_files_with_it(sessions):
    a, _ = two_browsers(sessions)
    a.app.grants.own("a", "x")
    sessions.live.discard("a")
    assert a.get("/media/x.csv").status_code == 403


@pytest.mark.parametrize("path", ["/media/x.csv/../y.csv", "/media/y.csv", "/media/", "/media"])
def test_a_path_that_reads_as_another_file_is_refused(sessions, path):
    a, _ = two_browsers(sessions)
    a.app.grants.own("a", "x")
    assert a.get(path).status_code == 403


def test_a_path_is_served_only_when_every_reading_of_it_names_a_file_of_the_session(sessions):
    """`/media/%78.csv` as the server hands it on: Streamlit reads the file id `%78`, a second
    decoding reads `x` (TestClient decodes twice, so the request is made by hand)."""
    import asyncio

    a, _ = two_browsers(sessions)
    a.app.grants.own("a", "x")
    cookie = f"{server.COOKIE}={a.cookies[server.COOKIE]}".encode()

    def status(path: str) -> int:
        sent = []

        async def receive():
            return {"type": "http.request", "body": b""}

        async def send(message):
            sent.append(message)

        scope = {"type": "http", "method": "GET", "path": path, "headers": [(b"cookie", cookie)],
                 "client": ("127.0.0.1", 5000), "query_string": b"", "root_path": ""}
        asyncio.run(a.app(scope, receive, send))
        return sent[0]["status"]

    assert status("/media/x.csv") == 200
    assert status("/media/%78.csv") == 403
    a.app.grants.own("a", "%78")
    assert status("/media/%78.csv") == 200


def test_the_files_of_ended_sessions_are_forgotten_when_another_session_makes_one(sessions):
    grants = server.SessionGrants(live=sessions, active=sessions.active)
    sessions.live |= {"a", "b"}
    grants.own("a", "x")
    grants.made("a", "p")
    sessions.live.discard("a")  # without users nothing revokes a session
    grants.own("b", "y")
    assert not grants.owns("a", "x") and not grants.made_by("p", "a") and grants.owns("b", "y")


def test_a_session_remembers_its_latest_ids_only(sessions):
    grants = server.SessionGrants(live=sessions, active=sessions.active)
    sessions.live.add("a")
    for i in range(server.MAX_IDS_PER_SESSION + 1):
        grants.made("a", f"p{i}")
    assert not grants.made_by("p0", "a") and grants.made_by(f"p{server.MAX_IDS_PER_SESSION}", "a")


# ---- the same, through Streamlit's own media file manager and deferred download handler


@pytest.fixture
def media(hooks, monkeypatch, sessions):
    """Streamlit's MediaFileManager, wrapped, with scripts running as session `running[0]`."""
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    grants = server.SessionGrants(live=sessions, active=sessions.active)
    assert media_guard.guard_streamlit_app(grants)
    running = ["a"]
    sessions.live |= {"a", "b"}
    monkeypatch.setattr(media_guard, "script_session", lambda: running[0])
    return MediaFileManager(MemoryMediaFileStorage("/media")), grants, running


def click(manager, placeholder: str, session_id: str):
    """What a browser's click on a download button sends over its websocket."""
    import asyncio

    from streamlit.proto.BackMsg_pb2 import BackendOperationRequest
    from streamlit.runtime.backend_operation_handler import DeferredFileHandler

    request = BackendOperationRequest(request_id="r1")
    request.deferred_file.file_id = placeholder
    return asyncio.run(DeferredFileHandler(lambda: manager).handle(request, session_id))


def test_a_file_a_script_stores_is_its_sessions(media):
    manager, grants, _ = media
    url = manager.add(HAZARDS.encode(), "text/csv", "1.2", "hazards.csv", is_for_static_download=True)
    assert grants.owns("a", media_guard.media_id(url)) and not grants.owns("b", media_guard.media_id(url))


def test_a_download_made_on_click_is_the_clicking_sessions(media):
    manager, grants, _ = media
    placeholder = manager.add_deferred(lambda: HAZARDS, "text/csv", "1.2", "hazards.csv")
    reply = click(manager, placeholder, "a")
    assert reply.deferred_file.url.startswith("/media/") and not reply.error_msg
    assert grants.owns("a", media_guard.media_id(reply.deferred_file.url))


def test_another_session_cannot_run_a_sessions_download(media):
    manager, grants, _ = media
    ran = []
    placeholder = manager.add_deferred(lambda: ran.append(1) or HAZARDS, "text/csv", "1.2", "hazards.csv")
    reply = click(manager, placeholder, "b")  # B learned A's placeholder id
    assert reply.error_msg and not reply.deferred_file.url and ran == []


def test_without_the_hooks_another_session_runs_it(monkeypatch, sessions):
    """The check above can fail: Streamlit alone runs any session's placeholder for anyone."""
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    manager = MediaFileManager(MemoryMediaFileStorage("/media"))
    assert not getattr(MediaFileManager.execute_deferred, "xiaoan_guarded", False)
    placeholder = manager.add_deferred(lambda: HAZARDS, "text/csv", "1.2", "hazards.csv")
    assert click(manager, placeholder, "b").deferred_file.url.startswith("/media/")


def test_logout_forgets_the_sessions_download_buttons(media):
    manager, grants, _ = media
    placeholder = manager.add_deferred(lambda: HAZARDS, "text/csv", "1.2", "hazards.csv")
    grants.revoke("a")  # a stale click after logout (another user may log in in this tab)
    assert click(manager, placeholder, "a").error_msg


def test_a_broken_users_file_counts_as_login_required(tmp_path, monkeypatch):
    broken = tmp_path / "users.toml"
    broken.write_text('[users."li"\n', encoding="utf-8")
    monkeypatch.setenv("XIAOAN_USERS", str(broken))
    assert server.login_required() is True


def test_the_server_writes_login_lines_to_its_standard_error(tmp_path):
    """Python drops INFO lines without a handler: the server process installs one."""
    import subprocess
    import sys

    from xiaoan import access

    users = tmp_path / "users.toml"
    access.save_user(access.User("wang", "district", None, access.hash_password("Xiaoan-2026-pw", rounds=4)), users)
    code = ("from dashboard import server; from xiaoan import access; server.log_to_stderr(); "
            "access.log_in(access.load_users(), 'wang', 'Xiaoan-2026-pw', access.LoginAttempts(access.attempts_path()))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         env={**__import__("os").environ, "XIAOAN_USERS": str(users)})
    assert run.returncode == 0, run.stderr
    assert "INFO xiaoan.access: login: wang (district)" in run.stderr
