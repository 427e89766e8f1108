"""Access (docs/security.md): login with a users file (bcrypt) or an identity provider (OIDC),
roles enforced in the query layer, no anonymous access once users exist, 127.0.0.1 only
without them, passwords and secrets never in logs or the repo, personal data for district
users only and masked in snapshots unless asked."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from dashboard import downloads, login, widgets
from tests.data_apptest import as_served  # noqa: F401 (autouse fixture: the app as served, no component scan)
from tests.test_dashboard_data import AS_OF, dashboard_warehouse, map_file
from xiaoan import access
from xiaoan_cli.app import app as cli
from xiaoan.i18n import t

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard" / "app.py"
PASSWORD = "Xiaoan-2026-测试口令"
USERS = {"wang": ("district", None), "li": ("town", "T01"), "sun": ("department", "D02")}
PAGES = ("overview", "risk", "departments", "evaluation", "meetings", "inspections", "hazards", "school",
         "organisation", "quality", "hazard")
# What each viewer must never see in a table, a download or on the page (cells of the small
# district of tests/test_dashboard_data.py outside their scope).
PERSONAL = {"周局长", "吴联络", "郑局长", "孙联络", "钱队长", "冯联络", "0774-0000001", "0774-0000002", "0774-0000003"}
# Town and village principals: named to the district and to their own town (李镇长 chaired the
# 例会 that D02 attended, so its meeting list names him).
FOREIGN = {
    "li": PERSONAL | {"H3", "H4", "H6", "H7", "S03", "S04", "T02", "V03", "河口镇", "河口镇初级中学", "南村", "河口镇二月例会",
                      "后厨无防蝇设施", "消防通道堵塞", "李四", "S99", t("row.unknown_school", value="S99"), "赵镇长", "刘主任"},
    "sun": PERSONAL | {"H1", "H3", "H4", "H6", "张三", "李四", "城关镇二月例会", "河口镇二月例会", "消防专题会议",
                       "配电箱老化", "后厨无防蝇设施", "消防通道堵塞", "S99", t("row.unknown_school", value="S99"), "赵镇长", "张主任", "陈主任",
                       "刘主任"},
}
# What a hostile client may send: URL parameters, and values for the keyed widgets of drill-downs.
HOSTILE_PARAMS = {"town": "T02", "id": "H3", "school": "S03", "scope": "district", "viewer.scope": "district",
                  "user": "wang", "auth.user": "wang"}
HOSTILE_WIDGETS = {"risk.town": "T02", "departments.dept": "D01", "evaluation.town.unit": "T02",
                   "evaluation.dept.unit": "D03", "school.code": "S03"}


@pytest.fixture
def users_file(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "users.toml"
    for name, (role, code) in USERS.items():
        access.save_user(access.User(name, role, code, access.hash_password(PASSWORD, rounds=4)), path)
    access.save_user(access.User("li@qingxi.gov.cn", "town", "T01"), path)  # an OIDC account
    monkeypatch.setenv("XIAOAN_USERS", str(path))
    monkeypatch.setenv("XIAOAN_WAREHOUSE", str(dashboard_warehouse()))
    monkeypatch.setenv("XIAOAN_MAP", str(map_file()))
    for name in ("XIAOAN_SCOPE", "XIAOAN_RULES"):
        monkeypatch.delenv(name, raising=False)
    login._failure_book.clear()
    return path


def app(page: str | None = None, params: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params["asof"] = AS_OF.isoformat()
    for key, value in (params or {}).items():
        at.query_params[key] = value
    if page:
        at.switch_page(f"views/{page}.py")
    return at


def shows_no_data(at: AppTest) -> bool:
    return not at.dataframe and not at.metric and not at.get("plotly_chart") and not at.sidebar.multiselect


def log_in(at: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    at.run()
    at.text_input(key="login.name").input(name)
    at.text_input(key="login.password").input(password)
    at.button[0].click().run()
    return at


# ---------------------------------------------------------------- the users file and its command


def test_user_add_keeps_only_a_bcrypt_hash_and_never_prints_the_password(tmp_path, monkeypatch):
    # no warehouse to check T01 against, even after `make run` made data/warehouse.duckdb here
    monkeypatch.setenv("XIAOAN_WAREHOUSE", str(tmp_path / "none.duckdb"))
    path = tmp_path / "users.toml"
    runner = CliRunner()
    result = runner.invoke(cli, ["user", "add", "李镇长", "--role", "town", "--code", "T01", "--users", str(path)],
                           input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert PASSWORD not in text and PASSWORD not in result.output
    assert re.search(r'password = "\$2b\$12\$[./A-Za-z0-9]{53}"', text)
    assert os.stat(path).st_mode & 0o777 == 0o600
    user = access.load_users(path)["李镇长"]
    assert (user.role, user.code) == ("town", "T01") and access.verify(access.load_users(path), "李镇长", PASSWORD) == user
    assert access.verify(access.load_users(path), "李镇长", PASSWORD + "x") is None
    listed = runner.invoke(cli, ["user", "list", "--users", str(path)])
    assert f"李镇长\ttown\tT01\t{t('access.cli.by_password')}" in listed.output and "$2b$" not in listed.output
    scripted = runner.invoke(cli, ["user", "add", "ops@qingxi.gov.cn", "--role", "district", "--oidc", "--users", str(path)])
    assert scripted.exit_code == 0 and access.load_users(path)["ops@qingxi.gov.cn"].password_hash is None
    piped = runner.invoke(cli, ["user", "add", "sun", "--role", "department", "--code", "D02", "--password-stdin",
                                "--users", str(path)], input=f"{PASSWORD}\n")
    assert piped.exit_code == 0 and PASSWORD not in piped.output
    assert runner.invoke(cli, ["user", "remove", "sun", "--users", str(path)]).exit_code == 0
    assert set(access.load_users(path)) == {"李镇长", "ops@qingxi.gov.cn"}


@pytest.mark.parametrize("argv,words", [
    (["x", "--role", "mayor"], "角色只能是 district, town, department, city, wall，收到的是 mayor"),
    (["x", "--role", "town"], "角色为 town 的用户须用 --code 填写镇代码或单位代码"),
    (["x", "--role", "district", "--code", "T01"], "区级用户的代码只能是6位区代码"),
    (["x", "--role", "city", "--code", "320102"], "市级用户不填写代码"),
])
def test_user_add_refuses_a_user_it_cannot_scope(argv, words, tmp_path, monkeypatch):
    monkeypatch.delenv("XIAOAN_LANG", raising=False)
    result = CliRunner().invoke(cli, ["user", "add", *argv, "--oidc", "--users", str(tmp_path / "u.toml")])
    assert result.exit_code == 2 and words in result.output
    assert not (tmp_path / "u.toml").exists()


def test_a_short_or_overlong_password_is_refused_and_a_wrong_one_takes_as_long(tmp_path, monkeypatch):
    monkeypatch.delenv("XIAOAN_LANG", raising=False)
    runner = CliRunner()
    short = runner.invoke(cli, ["user", "add", "x", "--role", "district", "--users", str(tmp_path / "u.toml")], input="abc\nabc\n")
    assert short.exit_code == 2 and "密码至少应有8个字符" in short.output
    with pytest.raises(access.AccessError, match="72 bytes"):
        access.hash_password("长" * 30)
    users = {"x": access.User("x", "district", None, access.hash_password(PASSWORD, rounds=4))}
    assert access.verify(users, "nobody", PASSWORD) is None and access.verify(users, "x", "长" * 30) is None


# ---------------------------------------------------------------- serve: 127.0.0.1 unless users exist


def test_serve_refuses_another_address_without_users_and_says_why(tmp_path, monkeypatch):
    monkeypatch.setenv("XIAOAN_USERS", str(tmp_path / "none.toml"))
    monkeypatch.chdir(tmp_path)  # no .streamlit/secrets.toml here
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XIAOAN_LANG", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--address", "0.0.0.0"])
    assert result.exit_code == 2 and t("cli.serve.refused", bind="0.0.0.0") in result.output


def test_serve_passes_the_users_file_and_binds_any_address_once_users_exist(users_file, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    started = {}
    monkeypatch.setattr(os, "execvpe", lambda exe, argv, env: started.update(argv=argv, env=env))
    result = CliRunner().invoke(cli, ["serve", "--address", "0.0.0.0", "--port", "8600"])
    assert result.exit_code == 0, result.output
    argv = started["argv"]
    assert argv[1:4] == ["-m", "dashboard.server", "run"]  # Streamlit's `run`, without its component scan
    assert argv[argv.index("--server.address") + 1] == "0.0.0.0"
    assert started["env"]["XIAOAN_USERS"] == str(users_file.resolve())
    assert t("cli.serve.local_only") not in result.output and "without login" not in result.output


@pytest.mark.slow
def test_without_users_the_dashboard_listens_on_127_0_0_1_only(tmp_path):
    """A real `xiaoan serve`: it answers on 127.0.0.1 and its socket is bound to loopback only."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "XIAOAN_USERS": str(tmp_path / "none.toml"), "HOME": str(tmp_path), "XIAOAN_LANG": "zh"}
    server = subprocess.Popen([str(Path(os.sys.executable).with_name("xiaoan")), "serve", "--port", str(port),
                               "--warehouse", str(dashboard_warehouse())],
                              cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as reply:
                    assert reply.read() == b"ok"
                    break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "the dashboard did not start"
                time.sleep(0.5)
        listening = _listening_addresses(port)
        assert listening == {"127.0.0.1"}, listening
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    assert "仅限本机（127.0.0.1）访问，无需登录" in "".join(stderr.decode().split())


def _listening_addresses(port: int) -> set[str]:
    """Local addresses of the sockets listening on `port` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if int(hex_port, 16) == port and state == "0A":  # LISTEN
                raw = bytes.fromhex(address)
                found.add(socket.inet_ntop(socket.AF_INET if len(raw) == 4 else socket.AF_INET6,
                                           raw[::-1] if len(raw) == 4 else b"".join(raw[i:i + 4][::-1] for i in range(0, 16, 4))))
    return found


def test_without_users_the_app_says_it_serves_this_computer_only_and_refuses_a_remote_browser(monkeypatch, tmp_path):
    monkeypatch.setenv("XIAOAN_WAREHOUSE", str(dashboard_warehouse()))
    at = app("overview")
    at.run()
    assert any(t("access.open_local") in c.value for c in at.sidebar.caption) and at.metric
    at = app("overview")  # through a reverse proxy on this machine (deploy/nginx): the browser is elsewhere
    at.context = {"url": "https://xiaoan.example.internal/xiaoan/overview"}
    at.run()
    assert [e.value for e in at.error] == [t("access.remote_refused")] and shows_no_data(at)
    monkeypatch.setattr(login, "_forwarded", lambda: True)  # the proxy's X-Forwarded-For
    at = app("overview")
    at.run()
    assert [e.value for e in at.error] == [t("access.remote_refused")] and shows_no_data(at)
    monkeypatch.setattr(login, "_forwarded", lambda: False)
    monkeypatch.setattr(login, "_client_address", lambda: "192.168.1.20")  # `streamlit run --server.address 0.0.0.0`
    at = app("overview")
    at.run()
    assert [e.value for e in at.error] == [t("access.remote_refused")] and shows_no_data(at)
    at = app("overview")
    at.context = {"url": "http://localhost:8501/overview"}
    monkeypatch.setattr(login, "_client_address", lambda: None)
    at.run()
    assert not at.error and at.metric


# ---------------------------------------------------------------- login


def test_with_users_nobody_sees_any_page_without_logging_in(users_file):
    for page in PAGES:
        at = app(page, HOSTILE_PARAMS)
        at.run()
        assert not at.exception
        assert at.title[0].value == t("access.login_title") and shows_no_data(at), page
    at = app("hazards")
    log_in(at, "li", "wrong password")
    assert [e.value for e in at.error] == [t("access.wrong")] and shows_no_data(at)
    at = app("hazards")
    log_in(at, "nobody", PASSWORD)
    assert [e.value for e in at.error] == [t("access.wrong")] and shows_no_data(at)


def test_five_wrong_passwords_lock_the_name(users_file):
    for _ in range(login.MAX_FAILURES):
        log_in(app("overview"), "li", "wrong password")
    at = log_in(app("overview"), "li", PASSWORD)
    assert [e.value for e in at.error] == [t("access.locked", minutes=15)] and shows_no_data(at)
    at = log_in(app("overview"), "sun", PASSWORD)  # another name is not locked
    assert at.metric and not at.error


def test_a_logged_in_user_is_scoped_and_can_log_out(users_file):
    at = log_in(app("overview"), "li")
    assert not at.exception and at.metric
    assert at.session_state["viewer.scope"].code == "T01"
    assert any(t("access.signed_in", name="li", role=t("access.role.town")) in c.value for c in at.sidebar.caption)
    at.sidebar.button(key="auth.logout").click().run()
    assert at.title[0].value == t("access.login_title") and shows_no_data(at)


def test_a_user_removed_from_the_file_is_out_at_the_next_click(users_file):
    at = log_in(app("overview"), "wang")
    assert at.metric
    access.remove_user("wang", users_file)
    at.run()
    assert at.title[0].value == t("access.login_title") and shows_no_data(at)


def test_passwords_never_reach_the_logs(users_file, caplog):
    caplog.set_level(logging.DEBUG)
    log_in(app("overview"), "li", PASSWORD)
    log_in(app("overview"), PASSWORD, PASSWORD)  # a password typed into the name field
    log_in(app("overview"), "sun", PASSWORD + "-wrong")
    assert caplog.records and PASSWORD not in caplog.text


# ---------------------------------------------------------------- OIDC


OIDC = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "xiaoan",
        "client_secret": "not-a-real-secret", "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}


def test_with_an_identity_provider_the_users_file_gives_each_account_its_role(users_file):
    at = app("hazards")
    at.secrets["auth"] = OIDC
    at.user = {"is_logged_in": False}
    at.run()
    assert at.button(key="auth.oidc") and shows_no_data(at)

    at = app("hazards")
    at.secrets["auth"] = OIDC
    at.user = {"is_logged_in": True, "email": "LI@qingxi.gov.cn", "name": "李镇长"}
    at.run()
    at.toggle(key="hazards.in_period").set_value(False).run()
    assert not at.exception and set(at.dataframe[0].value["隐患编号"]) == {"H1", "H2", "H5"}

    at = app("hazards")
    at.secrets["auth"] = OIDC
    at.user = {"is_logged_in": True, "email": "stranger@example.com"}
    at.run()
    assert [e.value for e in at.error] == [t("access.no_role", email="stranger@example.com")] and shows_no_data(at)


# ---------------------------------------------------------------- every page as a town and a department user


def _cells(frame) -> set[str]:
    return {str(v) for column in frame.columns for v in frame[column].tolist()}


@pytest.mark.parametrize("name", ["li", "sun"])
def test_every_page_download_and_url_parameter_stays_in_the_users_scope(name, users_file, monkeypatch):
    files: list[tuple[str, set[str]]] = []

    def capture(shown, key, lang, file_stem):
        csv_cells = {c for row in downloads.to_csv(shown).decode("utf-8-sig").splitlines() for c in row.split(",")}
        sheet = openpyxl.load_workbook(io.BytesIO(downloads.to_xlsx(shown, file_stem))).active
        xlsx_cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
        files.append((key, {c.strip('"') for c in csv_cells} | xlsx_cells))

    monkeypatch.setattr(widgets, "downloads", capture)
    walked = 0
    for page in PAGES:
        at = app(page, HOSTILE_PARAMS)
        for key, value in HOSTILE_WIDGETS.items():
            at.session_state[key] = value
        log_in(at, name)
        if page == "hazards":
            at.toggle(key="hazards.in_period").set_value(False).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert at.session_state["viewer.scope"] == access.load_users()[name].scope
        expected = "overview" if page == "quality" else page  # data quality is for district users: the default page runs
        assert t(f"dash.page.{expected}") in at.title[0].value, (page, at.title[0].value)
        seen = set().union(*(_cells(frame.value) for frame in at.dataframe)) if at.dataframe else set()
        text = " ".join(m.value for m in [*at.markdown, *at.title, *at.subheader, *at.caption, *at.info])
        # In the page's text, names and descriptions (ids and codes: the not-found note repeats the one asked for).
        leaked = (seen & FOREIGN[name]) | {w for w in FOREIGN[name] if not re.fullmatch(r"[A-Z]\d+", w) and w in text}
        assert not leaked, f"{page} shows {sorted(leaked)} to {name}"
        walked += 1
    downloaded = set().union(*(cells for _, cells in files))
    assert files and not (downloaded & FOREIGN[name]), sorted(downloaded & FOREIGN[name])
    assert walked == len(PAGES)
    print(f"\n{name}: {walked} pages, {len(files)} tables downloaded as CSV and Excel, {len(HOSTILE_PARAMS)} URL parameters, "
          f"{len(HOSTILE_WIDGETS)} widget values forged")


def test_a_district_user_sees_member_names_and_phones(users_file):
    at = log_in(app("organisation"), "wang")
    members = at.dataframe[-1].value
    assert "周局长" in set(members["成员"]) and "0774-0000001" in set(members["联系电话"])


# ---------------------------------------------------------------- a wall screen's account (role wall)

WALLS = {"驾驶舱": None, "城关镇驾驶舱": "T01"}


@pytest.fixture
def wall_users(users_file) -> Path:
    for name, code in WALLS.items():
        access.save_user(access.User(name, "wall", code, access.hash_password(PASSWORD, rounds=4)), users_file)
    return users_file


def test_user_add_makes_a_wall_screen_of_the_district_or_of_a_registry_town(tmp_path, monkeypatch):
    monkeypatch.delenv("XIAOAN_LANG", raising=False)
    path, runner = tmp_path / "users.toml", CliRunner()
    wh = ["--warehouse", str(dashboard_warehouse()), "--users", str(path), "--oidc"]
    assert runner.invoke(cli, ["user", "add", "驾驶舱", "--role", "wall", *wh]).exit_code == 0
    town = runner.invoke(cli, ["user", "add", "城关镇驾驶舱", "--role", "wall", "--code", "T01", *wh])
    assert town.exit_code == 0 and "T01" in town.output
    unknown = runner.invoke(cli, ["user", "add", "x", "--role", "wall", "--code", "T99", *wh])
    assert unknown.exit_code == 2 and "T99" in unknown.output
    users = access.load_users(path)
    assert set(users) == set(WALLS)
    assert users["驾驶舱"].scope == access.Scope(wall=True) and users["驾驶舱"].scope != access.DISTRICT
    assert users["城关镇驾驶舱"].scope == access.Scope("town", "T01", wall=True)
    with pytest.raises(ValueError):
        access.Scope("department", "D01", wall=True)  # a wall watches the district or a town


def test_a_wall_screen_reads_no_name_and_is_not_the_office(users_file):
    from dashboard import queries
    from xiaoan.scope import PEOPLE_COLUMNS, resolve

    for scope in (access.Scope(wall=True), access.Scope("town", "T01", wall=True)):
        assert set(resolve(scope).hidden_columns) == set(PEOPLE_COLUMNS) and not scope.is_office
    assert access.DISTRICT.is_office and not resolve(access.DISTRICT).hidden_columns
    wall = access.Scope(wall=True)
    for rows, column in ((queries.departments, "member"), (queries.departments, "phone"), (queries.towns, "principal")):
        assert rows(access.DISTRICT)[column].drop_nulls().len() and not rows(wall)[column].drop_nulls().len(), column


@pytest.mark.parametrize("page", [*PAGES, "supervision"])
def test_a_wall_account_is_refused_every_page_but_the_wall(page, wall_users):
    at = app(page, HOSTILE_PARAMS)
    for key, value in HOSTILE_WIDGETS.items():
        at.session_state[key] = value
    log_in(at, "驾驶舱")
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [t("access.wall_only")] and shows_no_data(at)
    assert {b.key for b in at.button} == {"auth.logout"}  # no 通报, no notices, nothing to click but log out
    assert not at.title and not at.get("download_button")
    shown = " ".join(m.value for m in [*at.markdown, *at.caption])
    assert not {w for w in FOREIGN["sun"] | {"张三", "李四"} if not re.fullmatch(r"[A-Z]\d+", w) and w in shown}


def test_a_wall_account_sees_its_wall_without_names_or_downloads(wall_users):
    from tests.test_wall import html_text

    district = log_in(app("overview"), "wang")  # the office: the download cookie is bound ...
    assert any('data-xiaoan="session"' in h.proto.body for h in district.get("html"))
    for name, code in WALLS.items():
        at = log_in(app("wall", {"rotate": "30"}), name)
        assert not at.exception and not at.error, name
        assert at.session_state["viewer.scope"] == access.Scope("town", code, wall=True) if code \
            else access.Scope(wall=True)
        text = html_text(at)
        assert t("wall.title", "zh", district="").strip() in text and at.get("plotly_chart")
        assert not {w for w in PERSONAL | {"张三", "李四", "赵镇长", "刘主任", "张主任", "陈主任"} if w in text}
        assert not any('data-xiaoan="session"' in h.proto.body for h in at.get("html"))  # ... a wall's never
        assert not at.get("download_button")


# ---------------------------------------------------------------- snapshots: masked unless asked


def test_export_masks_personal_data_unless_no_mask_is_given(tmp_path):
    runner = CliRunner()
    base = ["export", "--warehouse", str(dashboard_warehouse()), "--as-of", AS_OF.isoformat()]
    masked = runner.invoke(cli, [*base, "--out", str(tmp_path / "masked")])
    plain = runner.invoke(cli, [*base, "--out", str(tmp_path / "plain"), "--no-mask"])
    assert masked.exit_code == 0 and plain.exit_code == 0, masked.output + plain.output
    for folder, expected in ((tmp_path / "masked" / AS_OF.isoformat(), True), (tmp_path / "plain" / AS_OF.isoformat(), False)):
        departments = pl.read_parquet(folder / "departments.parquet")
        book = openpyxl.load_workbook(folder / "report.xlsx")
        workbook_text = {str(c.value) for s in book.worksheets for row in s.iter_rows() for c in row if c.value is not None}
        html = (folder / "report.html").read_text(encoding="utf-8")
        assert json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["personal_data_masked"] is expected
        if expected:
            assert departments["member"].to_list()[0] == "周**" and departments["phone"].to_list()[0] == "077****0001"
            assert not (PERSONAL & workbook_text) and not any(p in html for p in PERSONAL)
        else:
            assert "周局长" in departments["member"].to_list() and {"周局长", "0774-0000001"} <= workbook_text


# ---------------------------------------------------------------- nothing secret in the repository


BCRYPT = re.compile(rb"\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}")


def test_no_password_hash_or_secrets_file_is_tracked_and_both_are_ignored():
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    names = [name.decode() for name in tracked if name]
    assert not [n for n in names if Path(n).name in ("users.toml", "secrets.toml")]
    leaked = [n for n in names if (ROOT / n).is_file() and BCRYPT.search((ROOT / n).read_bytes())]
    assert not leaked, leaked
    for path in ("data/users.toml", ".streamlit/secrets.toml", "deploy/.streamlit/secrets.toml"):
        assert subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT).returncode == 0, path


# ---------------------------------------------------------------- who belongs on a district's dashboard


def district_warehouse(path: Path, code: str | None) -> Path:
    """A warehouse file whose registry row is one district with this 区代码 (or none)."""
    import duckdb

    con = duckdb.connect(str(path))
    con.execute("create table district(district_name varchar, principal varchar, district_code varchar)")
    con.execute("insert into district values ('青溪区', '王总', ?)", [code])
    con.close()
    return path


def test_a_district_user_of_another_code_or_a_city_user_gets_no_district_dashboard(tmp_path):
    """On a district's dashboard a `district` user bound to a 区代码 is let in only when it is the
    warehouse's own; a warehouse without 区代码 lets in only a district user without a code; a
    `city` user is never let in (its place is the city view)."""
    own = district_warehouse(tmp_path / "own.duckdb", "450102")
    bare = district_warehouse(tmp_path / "bare.duckdb", None)
    plain, mine = access.User("wang", "district"), access.User("zhao", "district", "450102")
    other, city = access.User("qian", "district", "450103"), access.User("shi", "city")
    assert access.warehouse_district_code(own) == "450102" and access.warehouse_district_code(bare) is None
    assert access.dashboard_scope(plain, own).kind == "district"
    assert access.dashboard_scope(plain, bare).kind == "district"
    assert access.dashboard_scope(mine, own).kind == "district"
    assert access.dashboard_scope(access.User("li", "town", "T01"), own).code == "T01"
    with pytest.raises(access.AccessError) as refused:
        access.dashboard_scope(other, own)
    assert "450103" in str(refused.value) and "450102" in refused.value.message("zh")
    with pytest.raises(access.AccessError, match="no 区代码") as refused:
        access.dashboard_scope(mine, bare)
    assert "450102" in refused.value.message("zh")
    for warehouse in (own, bare, tmp_path / "none.duckdb"):
        with pytest.raises(access.AccessError, match="city view"):
            access.dashboard_scope(city, warehouse)


@pytest.mark.parametrize("name, role, code", [("shi", "city", None), ("qian", "district", "450103")])
def test_the_dashboard_refuses_a_user_who_does_not_belong_there(name, role, code, users_file):
    """The small district's warehouse holds no 区代码: a city user and a district user bound to a
    code log in, see the reason and no data — no district scope, no names."""
    access.save_user(access.User(name, role, code, access.hash_password(PASSWORD, rounds=4)), users_file)
    at = log_in(app("organisation"), name)
    assert not at.exception
    assert "viewer.scope" not in at.session_state
    assert shows_no_data(at) and not at.dataframe
    key = "city.view.users.city_on_district" if role == "city" else "city.view.users.no_district_code"
    assert [e.value for e in at.error] == [t(key, name=name, code=code)]
    text = " ".join(m.value for m in [*at.markdown, *at.title, *at.subheader, *at.caption, *at.info])
    assert not any(p in text for p in PERSONAL | {"城关镇", "河口镇"}), text
    # the same user once the registry holds another 区代码 is refused as well (tested above: dashboard_scope)
    assert at.sidebar.button(key="auth.logout")
