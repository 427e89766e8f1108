"""The browser tests' harness: `xiaoan serve` on a free localhost port, headless Debian Chromium
driven by Playwright, and the wait for a page to finish drawing.

Needs /usr/bin/chromium, fonts-noto-cjk and the playwright package (scripts/install_browser.sh).
Without them the tests that use this harness are skipped with a loud reason, never silently.
"""

from __future__ import annotations

import contextlib
import itertools
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def require_browser() -> None:
    missing = []
    if not CHROMIUM.exists():
        missing.append("Debian's chromium (/usr/bin/chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package")
    if missing:
        pytest.skip("BROWSER TESTS SKIPPED — missing " + " and ".join(missing)
                    + ": run scripts/install_browser.sh (apt-get chromium fonts-noto-cjk, pip playwright)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, server: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"xiaoan serve exited with {server.returncode}: {server.stderr.read()}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as reply:
                if reply.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("xiaoan serve did not become healthy in time")


@contextlib.contextmanager
def running_dashboard(warehouse: Path | str, env: dict[str, str], *, lake: bool = False,
                      meanwhile: Callable[[], object] | None = None) -> Iterator[str]:
    """`xiaoan serve` of `warehouse` on a free localhost port with the environment `env` (less
    any XIAOAN_SCOPE); yields its base URL once it is healthy, stops it (by its pid) afterwards.
    With `lake`, `warehouse` is a city lake (`xiaoan serve --lake`) and XIAOAN_WAREHOUSE is left out too.
    `meanwhile` is called while the server starts (e.g. to launch the browser in the same seconds)."""
    dropped = ("XIAOAN_SCOPE", "XIAOAN_WAREHOUSE") if lake else ("XIAOAN_SCOPE",)
    env = {k: v for k, v in env.items() if k not in dropped}
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", "from xiaoan_cli.app import main; main()", "serve",
         "--lake" if lake else "--warehouse", str(warehouse), "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        if meanwhile is not None:
            meanwhile()
        wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for the module's tests."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# Animations (the skeletons' shimmer, the running indicator, transitions) off: they cost CPU
# while a page loads and change nothing a test looks at or photographs.
REDUCED_MOTION = "reduce"


def new_context(browser, height: int = 1600):
    """A fresh browser context as an office screen shows the dashboard (1440 wide, Chinese),
    asking for reduced motion."""
    return browser.new_context(viewport={"width": 1440, "height": height}, locale="zh-CN",
                               reduced_motion=REDUCED_MOTION)


@contextlib.contextmanager
def watched_tab(browser, server: str, height: int = 1600):
    """A tab in a fresh context that records, in its `outside` list, every request that leaves
    the machine (anything but `server`, its websocket and data:/blob:/about: URLs); closed after use."""
    context = new_context(browser, height)
    try:
        tab = context.new_page()
        tab.outside = []
        tab.on("request", lambda r: tab.outside.append(r.url)
               if not r.url.startswith((server, server.replace("http", "ws"), "data:", "blob:", "about:")) else None)
        yield tab
    finally:
        context.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    """A folder for the module's screenshots (printed)."""
    folder = tmp_path_factory.mktemp("screenshots")
    print(f"\nscreenshots in {folder}")
    return folder


@contextlib.contextmanager
def new_tab(browser, height: int = 1600):
    """A tab in a fresh context, closed after use."""
    context = new_context(browser, height)
    try:
        yield context.new_page()
    finally:
        context.close()


PASSWORD = "Xiaoan-2026-测试口令"  # the password the browser tests give their users


def log_in(tab, url: str, name: str = "wang", password: str = PASSWORD) -> None:
    """Log in on the dashboard's login form as a user the test wrote."""
    tab.goto(url)
    tab.wait_for_selector("input[type=password]", timeout=60_000)
    tab.get_by_label("用户名").fill(name)
    tab.get_by_label("密码").fill(password)
    tab.get_by_role("button", name="登录").click()
    settle(tab)


def log_in_together(*logins: tuple[object, str, str], password: str = PASSWORD) -> None:
    """`log_in` for several (tab, url, name) at once, as people logging in at the same time: every
    URL opened, then every form sent, then each page waited for — the server runs the sessions side by side."""
    for tab, url, _ in logins:
        tab.goto(url, wait_until="commit")
    for tab, _, name in logins:
        tab.wait_for_selector("input[type=password]", timeout=60_000)
        tab.get_by_label("用户名").fill(name)
        tab.get_by_label("密码").fill(password)
        tab.get_by_role("button", name="登录").click()
    for tab, _, _ in logins:
        settle(tab)


def settle(tab) -> None:
    """Wait until the app has finished its script run and drawn (the sidebar shown, then `drawn`)."""
    tab.wait_for_selector("[data-testid=stSidebar]", timeout=60_000)
    drawn(tab)


QUIET_MS = 500  # how long the page must stay finished before it counts as drawn
_DRAWN_JS = """([token, quiet]) => {
  const app = document.querySelector('[data-testid=stApp]');
  const charts = [...document.querySelectorAll('[data-testid=stPlotlyChart]')].filter(c => c.checkVisibility())
    .map(c => c.querySelector('.js-plotly-plot'));  // (a chart on a tab not shown is drawn when the tab is)
  const ready = !!app && app.dataset.testScriptState === 'notRunning'
    && document.querySelector('[data-testid=stSkeleton]') === null
    && charts.every(c => c && c.querySelector('.main-svg') && getComputedStyle(c).visibility !== 'hidden');
  let mark = window.__xiaoanDrawn;
  if (!mark || mark.token !== token) mark = window.__xiaoanDrawn = {token, since: null};
  if (!ready) { mark.since = null; return false; }
  if (mark.since === null) mark.since = performance.now();
  return performance.now() - mark.since >= quiet;
}"""
_drawn_calls = itertools.count()


def drawn(tab, timeout: float = 60_000) -> None:
    """Wait until the app's script run has finished and the page is drawn: no run going on, no
    element still loading its code (a skeleton), every plotly chart on view drawn — and all of
    that unchanged for QUIET_MS, so a run that an action has only just asked for, or a run that
    reruns itself, is waited for rather than taken for the end."""
    tab.wait_for_function(_DRAWN_JS, arg=[next(_drawn_calls), QUIET_MS], polling=50, timeout=timeout)
