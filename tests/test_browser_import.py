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
from pathlib import Path

import openpyxl
import pytest

from tests.browser import (  # noqa: F401 (browser: a fixture)
    PASSWORD, browser, log_in, new_tab, require_browser, running_dashboard, settle,
)
from tests.test_dashboard_data import build
from xiaoan import access
from xiaoan.warehouse import open_read_only

pytestmark = pytest.mark.browser

ASOF = "2026-03-31"
USERS = (("wang", "district", None), ("li", "town", "T01"), ("d01", "department", "D01"))
ROWS = [("01", "城关镇第一小学", "校内多处地砖脱落", "2026年3月28日", "已整改"),
        ("02", "城关镇第一小学", "篮球场塑胶皮起泡破损", "2026年3月30日", "整改中"),
        ("03", "河口镇初级中学", "门卫室玻璃破裂", "2026年3月20日", "已整改"),
        ("04", "青溪区第九十九中学", "围墙开裂", "2026年3月25日", "未整改")]  # no such school: rejected, a 回执


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`xiaoan serve` of a warehouse of its own (the test loads into it) with a district, a town
    and a department user; yields (base URL, warehouse)."""
    require_browser()
    root = tmp_path_factory.mktemp("browser-import")
    warehouse = build(root)
    users = tmp_path_factory.mktemp("users") / "users.toml"
    for name, role, code in USERS:
        access.save_user(access.User(name, role, code, access.hash_password(PASSWORD, rounds=4)), users)
    env = {**os.environ, "XIAOAN_MAP": str(root / "towns.geojson"), "XIAOAN_USERS": str(users)}  # (written by build)
    env.pop("XIAOAN_MAPPING", None)
    with running_dashboard(warehouse, env) as url:
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


def app_text(tab) -> str:
    return tab.locator("[data-testid=stMain]").inner_text()


def test_a_district_user_uploads_remaps_loads_and_finds_the_rows(tab, server, tmp_path):
    url, warehouse = server
    log_in(tab, f"{url}/importer?asof={ASOF}", "wang")
    assert tab.get_by_role("heading", name="导入台账").count() == 1
    tab.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(str(bureau_list(tmp_path)))
    tab.wait_for_selector("text=将载入", timeout=60_000)
    settle(tab)
    assert "将载入 0 行" in app_text(tab)  # no school column: one message for the sheet, every row rejected

    # Streamlit 1.67 draws st.selectbox as a react-aria ComboBox: an <input role=combobox> named
    # by the widget's label, whose listbox of role=option items opens on a click.
    box = tab.get_by_role("combobox", name="「被查单位」对应")
    assert box.input_value() == "忽略（不载入）"
    box.click()
    tab.get_by_role("option", name="学校 · school").click()
    tab.wait_for_selector("text=将载入 3 行", timeout=60_000)
    settle(tab)
    assert "共 6 行：将载入 3 行，跳过 2 行（标题、空行、合计），拒收 1 行" in app_text(tab)
    assert tab.get_by_role("combobox", name="「被查单位」对应").input_value() == "学校 · school"

    tab.get_by_role("button", name="载入").click()
    tab.wait_for_selector("text=已载入并发布新版本", timeout=120_000)
    settle(tab)
    assert "表头选择已记入映射表" in app_text(tab)
    assert "回执 1 份" in app_text(tab)  # the sender's rejected row, to send back
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

    tab.get_by_role("link", name="查看隐患台账").click()
    settle(tab)
    tab.get_by_label("搜索").fill("地砖脱落")
    tab.keyboard.press("Enter")
    tab.wait_for_selector("text=符合条件的隐患 1 项", timeout=60_000)


@pytest.mark.parametrize("name", ["li", "d01"])
def test_a_town_or_department_user_does_not_see_the_page(tab, server, name):
    url, _ = server
    log_in(tab, f"{url}/?asof={ASOF}", name)
    assert "导入台账" not in tab.locator("[data-testid=stSidebar]").inner_text()
    tab.goto(f"{url}/importer?asof={ASOF}")
    tab.wait_for_selector("input[type=password]", timeout=60_000)  # a reload asks for the login again
    tab.get_by_label("用户名").fill(name)
    tab.get_by_label("密码").fill(PASSWORD)
    tab.get_by_role("button", name="登录").click()
    settle(tab)
    assert tab.locator("[data-testid=stFileUploader]").count() == 0
    assert tab.get_by_role("heading", name="导入台账").count() == 0
    assert "导入台账" not in tab.locator("[data-testid=stSidebar]").inner_text()
