"""The dashboard in a real browser: `xiaoan serve` on a free localhost port, headless Debian
Chromium driven by Playwright, every page opened, no error element, the language switched, a
heatmap cell clicked, nothing fetched from outside the machine, a screenshot of each page.

Needs /usr/bin/chromium, fonts-noto-cjk and the playwright package (scripts/install_browser.sh).
Without them these tests are skipped with a loud reason, never silently.
Screenshots go to a temporary folder (printed); with XIAOAN_DOCS_SCREENSHOTS=1 they are also
copied to docs/img/ for the user guide. XIAOAN_BROWSER_WAREHOUSE picks another warehouse (the
sample district, for the guide's screenshots) instead of the tests' small district.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.browser import (browser, require_browser, running_dashboard, settle, shots,  # noqa: F401 (fixtures)
                           watched_tab)
from tests.test_dashboard_data import dashboard_warehouse, map_file
from xiaoan.i18n import t

pytestmark = pytest.mark.browser

DOCS_IMG = Path(__file__).resolve().parent.parent / "docs" / "img"
# (url path and query, the i18n key of the page's heading, screenshot name); the heading is read with t()
PAGES = [
    ("", "dash.overview.title", "overview"),
    ("risk", "dash.page.risk", "risk"),
    ("departments", "dash.page.departments", "departments"),
    ("evaluation", "dash.page.evaluation", "evaluation"),
    ("supervision", "dash.page.supervision", "supervision"),
    ("meetings", "dash.page.meetings", "meetings"),
    ("inspections", "dash.page.inspections", "inspections"),
    ("hazards", "dash.page.hazards", "hazards"),
    ("hazard?id={hazard}", "dash.hazard.title", "hazard"),
    ("school?school={school}", "dash.page.school", "school"),
    ("organisation", "dash.page.organisation", "organisation"),
    ("quality", "dash.page.quality", "quality"),
]


@pytest.fixture(scope="module")
def server(request):
    """`xiaoan serve` on a free port (the browser launched while it starts); yields its base URL,
    stops it afterwards."""
    require_browser()
    warehouse = os.environ.get("XIAOAN_BROWSER_WAREHOUSE") or dashboard_warehouse()
    env = {**os.environ, "XIAOAN_MAP": os.environ.get("XIAOAN_MAP") or str(map_file())}
    with running_dashboard(warehouse, env, meanwhile=lambda: request.getfixturevalue("browser")) as url:
        yield url


@pytest.fixture
def page(browser, server):
    """A fresh tab; records every request that leaves the machine."""
    with watched_tab(browser, server, 2000) as tab:
        yield tab


def _assert_no_error(tab, where: str) -> None:
    assert tab.locator("[data-testid=stException]").count() == 0, f"{where}: {tab.locator('[data-testid=stException]').first.inner_text()}"
    text = tab.locator("[data-testid=stApp]").inner_text()
    assert "Traceback" not in text and "Page not found" not in text, where


def _save(tab, shots: Path, name: str) -> Path:
    path = shots / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    if os.environ.get("XIAOAN_DOCS_SCREENSHOTS"):
        DOCS_IMG.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOCS_IMG / path.name)
    return path


def test_every_page_opens_without_an_error(page, server, shots):
    hazard = os.environ.get("XIAOAN_BROWSER_HAZARD", "H1")
    school = os.environ.get("XIAOAN_BROWSER_SCHOOL", "S01")
    asof = os.environ.get("XIAOAN_BROWSER_ASOF", "2026-03-31")
    for path, key, name in PAGES:
        path, heading = path.format(hazard=hazard, school=school), t(key, district="", id=hazard)
        url = f"{server}/{path}{'&' if '?' in path else '?'}asof={asof}"
        page.goto(url)
        settle(page)
        _assert_no_error(page, url)
        assert heading in page.locator("[data-testid=stMain] h1").first.inner_text(), url
        assert _save(page, shots, name).stat().st_size > 10_000
    assert page.outside == [], f"requests left the machine: {page.outside[:5]}"


def test_the_language_switch_turns_the_page_english(page, server, shots):
    page.goto(f"{server}/departments?asof=2026-03-31")
    settle(page)
    page.get_by_text(t("dash.lang.en"), exact=True).click()
    page.locator("[data-testid=stMain] h1", has_text=t("dash.page.departments", "en")).wait_for(timeout=60_000)
    settle(page)
    _assert_no_error(page, "english")
    assert page.locator("[data-testid=stMain] h1").first.inner_text() == t("dash.page.departments", "en")
    assert "lang=en" in page.url
    assert page.get_by_text(t("dash.page.organisation", "en"), exact=True).count() >= 1  # the menu too
    _save(page, shots, "departments-en")


def test_clicking_a_heatmap_cell_drills_down(page, server, shots):
    page.goto(f"{server}/risk?asof=2026-03-31")
    settle(page)
    heatmap = page.locator(".js-plotly-plot").first
    heatmap.scroll_into_view_if_needed()
    area = heatmap.locator(".nsewdrag").first.bounding_box()
    page.mouse.click(area["x"] + area["width"] * 0.05, area["y"] + area["height"] * 0.25)  # first town, first category
    page.get_by_text("的学校", exact=False).first.wait_for(timeout=60_000)
    settle(page)
    _assert_no_error(page, "heatmap click")
    assert page.get_by_text("的学校", exact=False).count() >= 1, "no drill-down after the click"
    _save(page, shots, "risk-drilldown")


def test_a_table_downloads_as_csv_and_excel(page, server):
    import io

    import openpyxl

    page.goto(f"{server}/hazards?asof=2026-03-31")
    settle(page)
    with page.expect_download() as csv_download:
        page.get_by_role("button", name=t("dash.download.csv")).first.click()
    data = Path(csv_download.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and t("col.hazard_id") in data.decode("utf-8-sig").splitlines()[0]
    with page.expect_download() as xlsx_download:
        page.get_by_role("button", name=t("dash.download.xlsx")).first.click()
    sheet = openpyxl.load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes())).active
    assert sheet.cell(1, 1).value == t("col.hazard_id") and sheet.max_row > 1
    _assert_no_error(page, "downloads")
