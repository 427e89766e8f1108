"""The 驾驶舱 wall screen in a real browser: `xiaoan serve` with a users file, headless Debian
Chromium at 1920×1080, logged in as a wall account. The page shows no Streamlit error, no
sidebar and no header, its figures and panels fit the screen, nothing is fetched from outside
the machine; a screenshot is taken (docs/img/wall.png). Left on, the screen rotates its panels
and refreshes itself without reloading the page, so its login does not lapse — and an account
removed from the users file is out at the next refresh. The server runs with
XIAOAN_WALL_MIN_SECONDS=2 (xiaoan.config.wall_min_seconds), so that test can ask for a rotation
every 3 s and a refresh every 8 s instead of the product's floors (10 s and 30 s) and see two
refreshes in seconds; the rotation, the refresh and the login check are the product's own code.

Needs /usr/bin/chromium, fonts-noto-cjk and the playwright package (scripts/install_browser.sh);
without them these tests are skipped with a loud reason. XIAOAN_BROWSER_WAREHOUSE (and
XIAOAN_MAP, XIAOAN_BROWSER_ASOF) pick another district, e.g. the sample district for the
documentation's screenshot; with XIAOAN_DOCS_SCREENSHOTS=1 it is copied to docs/img/.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from tests.browser import (PASSWORD, REDUCED_MOTION, browser, drawn, require_browser,  # noqa: F401 (browser: a fixture)
                           running_dashboard)
from tests.test_dashboard_data import dashboard_warehouse, map_file
from xiaoan import access

pytestmark = pytest.mark.browser

DOCS_IMG = Path(__file__).resolve().parent.parent / "docs" / "img"
ASOF = os.environ.get("XIAOAN_BROWSER_ASOF", "2026-03-31")
WALL_USER = "wall-screen"
SCREEN = {"width": 1920, "height": 1080}
ROTATE, REFRESH = 3, 8  # seconds, below the product's floors: the server's XIAOAN_WALL_MIN_SECONDS allows them


@pytest.fixture(scope="module")
def users(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("users") / "users.toml"
    access.save_user(access.User(WALL_USER, "district", None, access.hash_password(PASSWORD, rounds=4)), path)
    access.save_user(access.User("leaving", "district", None, access.hash_password(PASSWORD, rounds=4)), path)
    return path


@pytest.fixture(scope="module")
def server(users, request):
    """`xiaoan serve` with the users file (the browser launched while it starts); yields its base URL."""
    require_browser()
    warehouse = os.environ.get("XIAOAN_BROWSER_WAREHOUSE") or dashboard_warehouse()
    env = {**os.environ, "XIAOAN_MAP": os.environ.get("XIAOAN_MAP") or str(map_file()), "XIAOAN_USERS": str(users),
           "XIAOAN_WALL_MIN_SECONDS": "2"}
    with running_dashboard(warehouse, env, meanwhile=lambda: request.getfixturevalue("browser")) as url:
        yield url


@pytest.fixture
def screen(browser, server):  # noqa: F811
    """A 1920×1080 tab; records every request that leaves the machine and every page load."""
    context = browser.new_context(viewport=SCREEN, locale="zh-CN", reduced_motion=REDUCED_MOTION)
    tab = context.new_page()
    tab.outside, tab.loads = [], []
    tab.on("request", lambda r: tab.outside.append(r.url)
           if not r.url.startswith((server, server.replace("http", "ws"), "data:", "blob:", "about:")) else None)
    tab.on("framenavigated", lambda frame: tab.loads.append(frame.url) if frame == tab.main_frame else None)
    yield tab
    context.close()


def open_wall(tab, url: str, name: str = WALL_USER) -> None:
    """Open the wall's URL, log in on the form it shows first, wait for the wall to draw."""
    tab.goto(url)
    tab.wait_for_selector("input[type=password]", timeout=60_000)
    tab.get_by_label("用户名").fill(name)
    tab.get_by_label("密码").fill(PASSWORD)
    tab.get_by_role("button", name="登录").click()
    tab.wait_for_selector(".wall-kpis", timeout=60_000)
    drawn(tab)  # the run finished, the map and rankings drawn


def refreshed_at(tab) -> str:
    return tab.locator(".wall-meta").first.inner_text().rsplit(" ", 1)[-1]


def test_the_wall_fills_a_1920x1080_screen_without_chrome_or_errors(screen, server, tmp_path):
    from PIL import Image, ImageStat

    open_wall(screen, f"{server}/wall?asof={ASOF}")
    assert screen.locator("[data-testid=stException]").count() == 0
    assert screen.locator("[data-testid=stAlert]").count() == 0
    text = screen.locator("[data-testid=stApp]").inner_text()
    assert "Traceback" not in text and "Page not found" not in text
    for chrome in ("stSidebar", "stHeader", "stToolbar", "stExpandSidebarButton", "stSidebarCollapsedControl"):
        assert not screen.locator(f"[data-testid={chrome}]").first.is_visible(), chrome
    assert "驾驶舱" in screen.locator(".wall-title").inner_text()
    assert screen.locator(".wall-kpi").count() == 8
    assert screen.locator('.wall-kpi[data-figure="supervision"]').inner_text().startswith("挂牌督办")
    assert screen.locator(".js-plotly-plot").count() == 3  # the map and the two rankings
    assert screen.locator('[data-panel-part="arrivals"]').is_visible()
    # everything on the screen: no scrolling, nothing cut off at the right or the bottom
    size = screen.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    assert size == [SCREEN["width"], SCREEN["height"]]
    for part in screen.locator('.wall-kpi, .js-plotly-plot, [data-panel-part]').all():
        box = part.bounding_box()
        assert box and box["x"] + box["width"] <= SCREEN["width"] and box["y"] + box["height"] <= SCREEN["height"]
    # the tiles' labels and changes are read whole, not cut off with an ellipsis
    cut = screen.evaluate("[...document.querySelectorAll('.wall-kpi-label, .wall-kpi-delta')]"
                          ".filter(e => e.scrollWidth > e.clientWidth).map(e => e.textContent)")
    assert cut == [], cut
    assert screen.outside == [], f"requests left the machine: {screen.outside[:5]}"

    shot = tmp_path / "wall.png"
    screen.screenshot(path=str(shot))
    with Image.open(shot) as image:
        assert image.size == (SCREEN["width"], SCREEN["height"])
        rgb = image.convert("RGB")
        assert max(ImageStat.Stat(rgb).stddev) > 20  # not blank: text, tiles and charts
        assert len(rgb.getcolors(1 << 20) or []) > 500
        background = rgb.getpixel((5, SCREEN["height"] - 5))
        assert sum(background) < 120  # the dark theme
    print(f"\nwall screenshot: {shot}")
    if os.environ.get("XIAOAN_DOCS_SCREENSHOTS"):
        DOCS_IMG.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, DOCS_IMG / "wall.png")


def test_left_on_the_wall_rotates_refreshes_and_keeps_its_login_until_the_account_goes(screen, server, users):
    open_wall(screen, f"{server}/wall?asof={ASOF}&rotate={ROTATE}&refresh={REFRESH}", name="leaving")
    size = screen.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    assert size == [SCREEN["width"], SCREEN["height"]]  # the row of panel names fits too
    first, seen = refreshed_at(screen), set()
    deadline = time.monotonic() + 5 * REFRESH
    while time.monotonic() < deadline and (len(seen) < 3 or refreshed_at(screen) == first):
        seen.add(screen.locator(".wall-pills").first.get_attribute("data-panel"))
        screen.wait_for_timeout(250)
    assert len(seen) >= 3, f"the panels did not rotate: {seen}"
    assert refreshed_at(screen) != first, f"no refresh in {5 * REFRESH} s with refresh={REFRESH}"
    assert screen.locator("input[type=password]").count() == 0  # still logged in after the refresh
    assert len(screen.loads) == 1, f"the page was reloaded: {screen.loads}"  # reruns, never a reload
    assert screen.locator("[data-testid=stException]").count() == 0

    assert access.remove_user("leaving", users)
    screen.wait_for_selector("input[type=password]", timeout=5 * REFRESH * 1000)  # out at the next refresh
    assert screen.locator(".wall-kpis").count() == 0


def test_only_the_servers_environment_lowers_the_floors_this_file_relies_on(monkeypatch):
    """The product's floors stand unless XIAOAN_WALL_MIN_SECONDS is set, which only lowers them."""
    from dashboard import wall_shell

    def asked(rotate: int, refresh: int) -> tuple[int, int]:
        options = wall_shell.options({"rotate": str(rotate), "refresh": str(refresh)})
        return options.rotate, options.refresh

    monkeypatch.delenv("XIAOAN_WALL_MIN_SECONDS", raising=False)
    assert asked(ROTATE, REFRESH) == (0, 300)  # below the floors (10 s, 30 s): the defaults
    for junk in ("", "0", "-2", "two"):
        monkeypatch.setenv("XIAOAN_WALL_MIN_SECONDS", junk)
        assert asked(ROTATE, REFRESH) == (0, 300), junk
    monkeypatch.setenv("XIAOAN_WALL_MIN_SECONDS", "2")
    assert asked(ROTATE, REFRESH) == (ROTATE, REFRESH)
    assert asked(1, 1) == (0, 300)  # still floors, at 2 s
    monkeypatch.setenv("XIAOAN_WALL_MIN_SECONDS", "100")  # never raised
    assert asked(10, 30) == (10, 30)
