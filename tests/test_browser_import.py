"""The 导入台账 page in a real browser (`xiaoan serve` with a users file, headless Debian Chromium
driven by Playwright): a district user uploads a ledger in a published layout (SPEC §2.1 layout
1, fixtures S01: 序号 / 学校名称 / 问题隐患 / 整改时限 / 整改落实情况) whose school column the
clerk headed 被查单位, sees no row would load, maps that header to 学校 with the dropdown, sees
the rows would load (one naming no school in the registry rejected), loads them, downloads the
回执 of the rejected row and finds the loaded rows on the hazard ledger page; a town user and a
department user see no such page, in the menu or at its URL.

Needs /usr/bin/chromium, fonts-noto-cjk and the playwright package (scripts/install_browser.sh).
Without them these tests are skipped with a loud reason, never silently.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import openpyxl
import pytest

from tests.browser import (  # noqa: F401 (browser: a fixture)
    PASSWORD, browser, log_in, new_tab, require_browser, running_dashboard, settle,
)
from pipelines.contract import KINDS
from tests.test_dashboard_data import dashboard_warehouse, map_file
from xiaoan import access
from xiaoan.i18n import TEXT, t
from xiaoan.warehouse import open_read_only

pytestmark = pytest.mark.browser

ASOF = "2026-03-31"
USERS = (("wang", "district", None), ("li", "town", "T01"), ("d01", "department", "D01"))
ROWS = [("01", "城关镇第一小学", "校内多处地砖脱落", "2026年3月28日", "已整改"),
        ("02", "城关镇第一小学", "篮球场塑胶皮起泡破损", "2026年3月30日", "整改中"),
        ("03", "河口镇初级中学", "门卫室玻璃破裂", "2026年3月20日", "已整改"),
        ("04", "青溪区第九十九中学", "围墙开裂", "2026年3月25日", "未整改")]  # no such school: rejected, a 回执


@pytest.fixture(scope="module")
def server(tmp_path_factory, request):
    """`xiaoan serve` of a warehouse of its own (the test loads into it: a copy of the small
    district's, built once per test process) with a district, a town and a department user (the
    browser launched while it starts); yields (base URL, warehouse)."""
    require_browser()
    root = tmp_path_factory.mktemp("browser-import")
    built = dashboard_warehouse()
    warehouse = Path(shutil.copytree(built.parent, root / "wh")) / built.name
    users = tmp_path_factory.mktemp("users") / "users.toml"
    for name, role, code in USERS:
        access.save_user(access.User(name, role, code, access.hash_password(PASSWORD, rounds=4)), users)
    env = {**os.environ, "XIAOAN_MAP": str(map_file()), "XIAOAN_USERS": str(users)}
    env.pop("XIAOAN_MAPPING", None)
    with running_dashboard(warehouse, env, meanwhile=lambda: request.getfixturevalue("browser")) as url:
        yield url, warehouse


@pytest.fixture
def tab(browser, server):  # noqa: F811
    with new_tab(browser, 2400) as page:
        yield page


def bureau_list(folder: Path) -> Path:
    """An education bureau's district-wide list as published (S01), the school column headed 被查单位."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "问题清单"
    sheet.append(["青溪区教育局2026年3月校园安全大排查问题清单"])
    sheet.append(["序号", "被查单位", "问题隐患", "整改时限", "整改落实情况"])
    for row in ROWS:
        sheet.append(list(row))
    path = folder / "青溪区教育局校园安全问题隐患清单（3月）.xlsx"
    book.save(path)
    return path


def head(key: str, **values: object) -> str:
    """The Chinese text of `key` up to its first placeholder not given in `values`, to find on the page
    (read from xiaoan.i18n, so a wording change does not break the test)."""
    class Cut(dict):
        def __missing__(self, name: str) -> str:
            return "\0"
    return TEXT[key]["zh"].format_map(Cut(values)).split("\0")[0].strip()


def app_text(tab) -> str:
    return tab.locator("[data-testid=stMain]").inner_text()


def test_a_district_user_uploads_remaps_loads_and_finds_the_rows(tab, server, tmp_path):
    url, warehouse = server
    log_in(tab, f"{url}/importer?asof={ASOF}", "wang")
    assert tab.get_by_role("heading", name=t("dash.page.importer")).count() == 1
    tab.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(str(bureau_list(tmp_path)))
    tab.wait_for_selector(f"text={head('importer.counts', rows_in=6)}", timeout=60_000)
    settle(tab)
    # no school column: one message for the sheet, every row rejected
    assert t("importer.counts", rows_in=6, loaded=0, skipped=2, rejected=4) in app_text(tab)

    # Streamlit 1.67 draws st.selectbox as a react-aria ComboBox: an <input role=combobox> named
    # by the widget's label, whose listbox of role=option items opens on a click.
    box = tab.get_by_role("combobox", name=t("importer.field_of", header="被查单位"))
    assert box.input_value() == t("importer.ignore")
    box.click()
    school = f"{KINDS['hazards'].column('school').zh} · school"  # the dropdown's label of a field
    tab.get_by_role("option", name=school).click()
    tab.wait_for_selector(f"text={head('importer.counts', rows_in=6, loaded=3)}", timeout=60_000)
    settle(tab)
    assert t("importer.counts", rows_in=6, loaded=3, skipped=2, rejected=1) in app_text(tab)
    assert tab.get_by_role("combobox", name=t("importer.field_of", header="被查单位")).input_value() == school

    tab.get_by_role("button", name=t("importer.load"), exact=True).click()
    tab.wait_for_selector(f"text={head('importer.loaded')}", timeout=120_000)
    settle(tab)
    assert head("importer.remembered") in app_text(tab)
    assert head("importer.receipts", n=1).split("：")[0] in app_text(tab)  # the sender's rejected row, to send back
    with tab.expect_download() as download:
        tab.locator("[data-testid=stDownloadButton] button").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    receipt = openpyxl.load_workbook(saved, read_only=True)
    cells = [str(c) for row in receipt.active.iter_rows(values_only=True) for c in row if c is not None]
    assert "被查单位" in cells and "青溪区第九十九中学" in cells and "围墙开裂" in cells
    con = open_read_only(warehouse)
    try:
        described = {r[0] for r in con.sql("select description from hazards").fetchall()}
    finally:
        con.close()
    assert {"校内多处地砖脱落", "篮球场塑胶皮起泡破损", "门卫室玻璃破裂"} <= described

    tab.get_by_role("link", name=t("importer.to_hazards")).click()
    settle(tab)
    tab.get_by_label(t("dash.hazards.search")).fill("地砖脱落")
    tab.keyboard.press("Enter")
    tab.wait_for_selector(f"text={head('dash.hazards.count', n=1)}", timeout=60_000)


@pytest.mark.parametrize("name", ["li", "d01"])
def test_a_town_or_department_user_does_not_see_the_page(tab, server, name):
    url, _ = server
    log_in(tab, f"{url}/?asof={ASOF}", name)
    assert t("dash.page.importer") not in tab.locator("[data-testid=stSidebar]").inner_text()
    tab.goto(f"{url}/importer?asof={ASOF}")
    tab.wait_for_selector("input[type=password]", timeout=60_000)  # a reload asks for the login again
    tab.get_by_label(t("access.name")).fill(name)
    tab.get_by_label(t("access.password")).fill(PASSWORD)
    tab.get_by_role("button", name=t("access.submit")).click()
    settle(tab)
    assert tab.locator("[data-testid=stFileUploader]").count() == 0
    assert tab.get_by_role("heading", name=t("dash.page.importer")).count() == 0
    assert t("dash.page.importer") not in tab.locator("[data-testid=stSidebar]").inner_text()
