"""The city view in a real browser: `xiaoan serve --lake` on a free localhost port with a users
file, headless Debian Chromium driven by Playwright, logged in as the city: every page opened,
no Streamlit error element, nothing fetched from outside the machine, a table downloaded through
the login's download cookie; logged in as a district, its own district only. A screenshot of
each page is taken (the ranking is docs/img/city.png).

Needs /usr/bin/chromium, fonts-noto-cjk and the playwright package (scripts/install_browser.sh);
without them these tests are skipped with a loud reason. The lake is a small generated one
(pipelines.city.synthetic), or XIAOAN_BROWSER_LAKE (e.g. the sample city of
scripts/build_city_lake.sh, for the guide's screenshot, with XIAOAN_BROWSER_ASOF); with
XIAOAN_DOCS_SCREENSHOTS=1 the ranking's screenshot is copied to docs/img/city.png.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from pipelines.city.synthetic import write_lake
from pipelines.lake.read import committed
from tests.browser import (PASSWORD, browser, log_in, require_browser, running_dashboard,  # noqa: F401
                           shots, watched_tab)
from xiaoan import access
from xiaoan.i18n import t
from xiaoan.labels import column_label

pytestmark = pytest.mark.browser

DOCS_IMG = Path(__file__).resolve().parent.parent / "docs" / "img"
PAGES = ("ranking", "risk", "closure", "trend", "district")
URL_PATHS = {"ranking": ""}  # the default page is the app's root
DATES = [dt.date(2026, 8, 31), dt.date(2026, 9, 30), dt.date(2026, 10, 31)]


@pytest.fixture(scope="module")
def lake(tmp_path_factory) -> Path:
    given = os.environ.get("XIAOAN_BROWSER_LAKE")
    if given:
        return Path(given)
    path = tmp_path_factory.mktemp("city") / "lake"
    write_lake(path, 4, DATES, hazards_per_district=150, seed=5)
    return path


@pytest.fixture(scope="module")
def as_of(lake) -> str:
    return os.environ.get("XIAOAN_BROWSER_ASOF") or max(p.as_of for p in committed(lake)).isoformat()


@pytest.fixture(scope="module")
def districts(lake) -> dict[str, str]:
    return {p.district_code: p.district_name for p in committed(lake)}


@pytest.fixture(scope="module")
def users(tmp_path_factory, districts) -> Path:
    path = tmp_path_factory.mktemp("users") / "users.toml"
    access.save_user(access.User("city", "city", None, access.hash_password(PASSWORD, rounds=4)), path)
    access.save_user(access.User("qu", "district", list(districts)[1], access.hash_password(PASSWORD, rounds=4)), path)
    return path


@pytest.fixture(scope="module")
def server(lake, users):
    require_browser()
    with running_dashboard(lake, {**os.environ, "XIAOAN_USERS": str(users)}, lake=True) as url:
        yield url


@pytest.fixture
def tab(browser, server):  # noqa: F811
    """A fresh tab; records every request that leaves the machine."""
    with watched_tab(browser, server, 1800) as page:
        yield page


def _assert_no_error(page, where: str) -> None:
    for testid in ("stException", "stAlertContentError"):
        found = page.locator(f"[data-testid={testid}]")
        assert found.count() == 0, f"{where}: {found.first.inner_text()}"
    text = page.locator("[data-testid=stApp]").inner_text()
    assert "Traceback" not in text and "Page not found" not in text, where


def _save(page, shots: Path, name: str) -> Path:
    path = shots / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _open(page, url: str, user: str) -> None:
    """Open the URL and log in on the form it shows first (a page load is a new session, whose
    login is its own); the page the URL asked for is the one shown after it, drawn (tests.browser.log_in
    waits until the app has finished drawing: no fixed wait here)."""
    log_in(page, url, user)


def test_every_page_opens_for_the_city_without_an_error(tab, server, shots, as_of, districts):
    first = next(iter(districts))
    for name in PAGES:
        url = f"{server}/{URL_PATHS.get(name, name)}?asof={as_of}"
        url += f"&district={first}" if name == "district" else ""
        _open(tab, url, "city")
        _assert_no_error(tab, url)
        assert tab.locator("[data-testid=stMain] h1").first.inner_text() == t(f"city.view.page.{name}"), url
        if name != "district":
            tab.wait_for_selector(".js-plotly-plot", timeout=30_000)  # the chart's script loads on first use
        tab.wait_for_selector("[data-testid=stDataFrame]", state="attached", timeout=30_000)
        path = _save(tab, shots, f"city-{name}")
        assert path.stat().st_size > 10_000
        if name == "ranking":
            for code, district in districts.items():
                assert tab.get_by_text(district, exact=False).count() >= 1, district
            if os.environ.get("XIAOAN_DOCS_SCREENSHOTS"):
                DOCS_IMG.mkdir(parents=True, exist_ok=True)
                tab.set_viewport_size({"width": 1440, "height": 1100})
                tab.wait_for_timeout(1500)
                tab.screenshot(path=str(DOCS_IMG / "city.png"), full_page=False)
    assert tab.outside == [], f"requests left the machine: {tab.outside[:5]}"


def test_a_city_table_downloads_as_csv_through_the_login(tab, server, as_of):
    _open(tab, f"{server}/closure?asof={as_of}", "city")
    with tab.expect_download() as csv_download:
        tab.get_by_role("button", name=t("dash.download.csv")).first.click()
    data = Path(csv_download.value.path()).read_bytes()
    header = data.decode("utf-8-sig").splitlines()[0]
    assert data.startswith(b"\xef\xbb\xbf") and t("city.view.col.district_name") in header
    assert column_label("rectification_rate") in header
    _assert_no_error(tab, "download")


def test_a_district_user_sees_its_own_district_only(tab, server, shots, as_of, districts):
    own = list(districts)[1]
    _open(tab, f"{server}/?asof={as_of}&district={list(districts)[0]}", "qu")
    _assert_no_error(tab, "district user")
    main = tab.locator("[data-testid=stMain]").inner_text()
    sidebar = tab.locator("[data-testid=stSidebar]").inner_text()
    assert districts[own] in sidebar  # the scope note names its district
    assert tab.locator("[data-testid=stSidebar] [data-testid=stSelectbox]").count() == 1  # the date; no district
    others = [name for code, name in districts.items() if code != own]
    assert not [name for name in others if name in main]
    _save(tab, shots, "city-district-user")
