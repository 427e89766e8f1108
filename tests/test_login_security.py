"""The door holds (docs/security.md, issue 12 "past the login"): the five-try lock holds for
attempts sent at the same moment and across a restart; successful and locked-out logins are
logged without what was typed; a broken users file tells anonymous visitors nothing about the
server; `xiaoan user add` refuses a code the registry does not know."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

import bcrypt
import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from dashboard import login
from tests.test_dashboard_data import AS_OF, dashboard_warehouse, map_file
from xiaoan import access
from xiaoan_cli.app import app as cli
from xiaoan.i18n import t
from tests.data_apptest import as_served  # noqa: F401 (autouse: the app as xiaoan serve runs it)

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard" / "app.py"
PASSWORD = "Xiaoan-2026-测试口令"
WRONG = "wrong-password-1"


@pytest.fixture
def users_file(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "users.toml"
    access.save_user(access.User("li", "town", "T01", access.hash_password(PASSWORD, rounds=4)), path)
    access.save_user(access.User("wang", "district", None, access.hash_password(PASSWORD, rounds=4)), path)
    monkeypatch.setenv("XIAOAN_USERS", str(path))
    login._failure_book.clear()
    return path


@pytest.fixture
def dashboard(users_file, monkeypatch) -> Path:
    """The dashboard on the small district, with the users file above."""
    monkeypatch.setenv("XIAOAN_WAREHOUSE", str(dashboard_warehouse()))
    monkeypatch.setenv("XIAOAN_MAP", str(map_file()))
    for name in ("XIAOAN_SCOPE", "XIAOAN_RULES"):
        monkeypatch.delenv(name, raising=False)
    return users_file


@pytest.fixture
def counted_checks(monkeypatch) -> list[int]:
    """Every bcrypt check that runs, counted (and slowed a little, as a real cost-12 check is)."""
    checks: list[int] = []
    real = bcrypt.checkpw

    def checkpw(password, hashed):
        checks.append(1)
        threading.Event().wait(0.05)
        return real(password, hashed)

    monkeypatch.setattr(bcrypt, "checkpw", checkpw)
    return checks


def app(page: str = "overview") -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params["asof"] = AS_OF.isoformat()
    at.switch_page(f"views/{page}.py")
    return at


def log_in(at: AppTest, name: str, password: str) -> AppTest:
    at.run()
    at.text_input(key="login.name").input(name)
    at.text_input(key="login.password").input(password)
    at.button[0].click().run()
    return at


def hammer(users, attempts, tries: list[tuple[str, str]]) -> list[access.LoginOutcome]:
    """All the tries at the same moment, one thread each."""
    start = threading.Barrier(len(tries))
    outcomes: list = [None] * len(tries)

    def one(i, name, password):
        start.wait()
        outcomes[i] = access.log_in(users, name, password, attempts)

    threads = [threading.Thread(target=one, args=(i, n, p)) for i, (n, p) in enumerate(tries)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


# ---------------------------------------------------------------- the five-try lock


def test_wrong_passwords_sent_at_the_same_moment_get_at_most_five_checks(users_file, counted_checks):
    users = access.load_users()
    attempts = access.LoginAttempts(access.attempts_path())
    outcomes = hammer(users, attempts, [("li", WRONG)] * 10)
    assert len(counted_checks) == access.MAX_FAILURES
    assert sum(1 for o in outcomes if o.locked_for) == 10 - access.MAX_FAILURES
    assert all(o.user is None for o in outcomes)
    # the right password after them is refused, unchecked, while the name is locked
    outcome = access.log_in(users, "li", PASSWORD, attempts)
    assert outcome.user is None and outcome.locked_for > 14 * 60
    assert len(counted_checks) == access.MAX_FAILURES


def test_nine_wrong_and_the_right_one_at_the_same_moment_get_at_most_five_checks(users_file, counted_checks):
    """The audit's attack: whichever of the ten is checked, no more than five are."""
    outcomes = hammer(access.load_users(), access.LoginAttempts(access.attempts_path()),
                      [("li", WRONG)] * 9 + [("li", PASSWORD)])
    assert len(counted_checks) <= access.MAX_FAILURES
    assert sum(1 for o in outcomes if o.locked_for) >= 10 - access.MAX_FAILURES


def test_the_same_moment_through_separate_books_of_one_file_also_gets_five_checks(users_file, counted_checks):
    """Two server processes each have their own book: the fcntl lock on the file makes them agree."""
    users = access.load_users()
    books = [access.LoginAttempts(access.attempts_path()) for _ in range(2)]
    start = threading.Barrier(10)

    def one(i):
        start.wait()
        access.log_in(users, "li", WRONG, books[i % 2])

    threads = [threading.Thread(target=one, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(counted_checks) == access.MAX_FAILURES


def test_a_right_password_among_the_first_five_logs_in_and_clears_the_count(users_file):
    users = access.load_users()
    attempts = access.LoginAttempts(access.attempts_path())
    for _ in range(access.MAX_FAILURES - 1):
        assert access.log_in(users, "li", WRONG, attempts).user is None
    assert access.log_in(users, "li", PASSWORD, attempts).user.name == "li"
    assert attempts.locked_for("li") == 0
    assert access.log_in(users, "li", WRONG, attempts).locked_for == 0  # counting starts again


def test_the_lock_survives_a_restart(users_file):
    users = access.load_users()
    attempts = access.LoginAttempts(access.attempts_path())
    for _ in range(access.MAX_FAILURES):
        access.log_in(users, "li", WRONG, attempts)
    # a new process: fresh module state, only the file beside the users file
    probe = ("import sys; from xiaoan import access; "
             "users = access.load_users(); book = access.LoginAttempts(access.attempts_path()); "
             "o = access.log_in(users, 'li', sys.argv[1], book); "
             "print('locked' if o.locked_for else ('in' if o.user else 'wrong'))")
    run = subprocess.run([sys.executable, "-c", probe, PASSWORD], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "XIAOAN_USERS": str(users_file)}, timeout=60)
    assert run.stdout.strip() == "locked", run.stderr
    assert run.stdout.strip() != "in"


def test_the_dashboard_counts_in_the_file_so_a_new_server_sees_the_lock(dashboard):
    for _ in range(login.MAX_FAILURES):
        log_in(app(), "li", WRONG)
    login._failure_book.clear()  # the server restarted: no state in memory
    at = log_in(app(), "li", PASSWORD)
    assert [e.value for e in at.error] == [t("access.locked", minutes=15)] and not at.metric


def test_the_attempts_file_is_owners_only_and_holds_no_typed_name(users_file):
    users = access.load_users()
    attempts = access.LoginAttempts(access.attempts_path())
    access.log_in(users, PASSWORD, WRONG, attempts)  # a password typed into the name field
    access.log_in(users, "li", WRONG, attempts)
    path = access.attempts_path()
    assert path == users_file.parent / "login_attempts.json"
    assert (path.stat().st_mode & 0o777) == 0o600
    text = path.read_text(encoding="utf-8")
    assert PASSWORD not in text and '"li"' not in text and len(json.loads(text)["names"]) == 2


def test_a_damaged_attempts_file_counts_from_empty_and_says_so(users_file, caplog):
    access.attempts_path().write_text("{not json", encoding="utf-8")
    caplog.set_level(logging.WARNING, logger="xiaoan.access")
    outcome = access.log_in(access.load_users(), "li", PASSWORD, access.LoginAttempts(access.attempts_path()))
    assert outcome.user is not None
    assert any("damaged" in r.getMessage() for r in caplog.records)
    assert json.loads(access.attempts_path().read_text(encoding="utf-8"))["names"] == {}


def test_the_attempts_file_holds_only_the_names_tried_within_the_lock_window(users_file):
    """Unknown names are counted too, so the file would otherwise grow with every name ever
    tried, and every login reads and writes it whole under one lock (docs/security.md)."""
    attempts = access.LoginAttempts(access.attempts_path(), lock_seconds=1.0)
    for i in range(20):
        ticket, _ = attempts.reserve(f"guess-{i}")
        attempts.settle(f"guess-{i}", ticket, False)
    threading.Event().wait(1.2)  # their failures are now older than the lock window
    for _ in range(attempts.max_failures):
        ticket, _ = attempts.reserve("li")
        attempts.settle("li", ticket, False)
    assert len(json.loads(access.attempts_path().read_text(encoding="utf-8"))["names"]) == 1
    assert attempts.locked_for("li") > 0  # the current lock is kept


# ---------------------------------------------------------------- the log


def test_a_login_is_logged_with_name_and_role_and_a_lock_with_the_users_name(users_file, caplog):
    caplog.set_level(logging.INFO, logger="xiaoan.access")
    users = access.load_users()
    attempts = access.LoginAttempts(access.attempts_path())
    access.log_in(users, "wang", PASSWORD, attempts)
    assert "login: wang (district)" in caplog.messages
    for _ in range(access.MAX_FAILURES):
        access.log_in(users, "li", WRONG, attempts)
    assert [m for m in caplog.messages if m.startswith("login locked")] == [
        "login locked: user li after 5 wrong passwords, for 15 minutes"]
    access.log_in(users, "li", PASSWORD, attempts)
    assert "login refused: user li is locked for 15 more minutes" in caplog.messages
    assert PASSWORD not in caplog.text and WRONG not in caplog.text


def test_a_name_that_is_not_a_user_never_reaches_the_log(users_file, caplog):
    caplog.set_level(logging.DEBUG, logger="xiaoan.access")
    users = access.load_users()
    attempts = access.LoginAttempts(access.attempts_path())
    for _ in range(access.MAX_FAILURES + 1):
        access.log_in(users, PASSWORD, WRONG, attempts)  # a password typed into the name field
    assert "login locked: a name that is not a user after 5 wrong passwords, for 15 minutes" in caplog.messages
    assert caplog.records and PASSWORD not in caplog.text and WRONG not in caplog.text


# ---------------------------------------------------------------- a broken users file


BROKEN = '[users."li"]\nrole = "town"\ncode = "T01\npassword = "x"\n'  # an unclosed string


def test_a_broken_users_file_shows_visitors_a_plain_message_and_logs_the_details(dashboard, caplog):
    users_file = dashboard
    users_file.write_text(BROKEN, encoding="utf-8")
    caplog.set_level(logging.ERROR, logger="xiaoan.access")
    at = app()
    at.run()
    assert [e.value for e in at.error] == [t("access.users_broken")] and not at.metric
    shown = " ".join(str(e.value) for e in at.error) + " ".join(str(m.value) for m in at.markdown)
    assert str(users_file) not in shown and "line" not in shown.lower()
    assert any(str(users_file) in r.getMessage() and "line" in r.getMessage().lower() for r in caplog.records)


def test_user_list_names_the_broken_users_file_and_the_problem(users_file):
    users_file.write_text(BROKEN, encoding="utf-8")
    result = CliRunner().invoke(cli, ["user", "list"])
    assert result.exit_code == 2
    assert str(users_file) in " ".join(result.output.split()) or users_file.name in result.output
    assert "line" in result.output.lower()


# ---------------------------------------------------------------- xiaoan user add --code


def add(tmp_path, *argv, warehouse: Path | None = None):
    extra = ["--warehouse", str(warehouse)] if warehouse else []
    return CliRunner().invoke(cli, ["user", "add", *argv, "--oidc", "--users", str(tmp_path / "u.toml"), *extra])


@pytest.mark.parametrize("role,code", [("town", "QX99"), ("department", "QX99"), ("town", "D01"), ("department", "T01")])
def test_user_add_refuses_a_code_the_registry_does_not_hold(tmp_path, role, code):
    result = add(tmp_path, "x", "--role", role, "--code", code, warehouse=dashboard_warehouse())
    assert result.exit_code == 2, result.output
    words = " ".join(result.output.split())
    kind = t("access.cli.kind.town") if role == "town" else t("access.cli.kind.department")
    assert f"{code} 不是 {dashboard_warehouse()} 基础信息表中的{kind}代码" in words and ("T01, T02" if role == "town" else "D01, D02, D03") in words
    assert not (tmp_path / "u.toml").exists()


def test_user_add_says_which_registry_entry_it_checked(tmp_path):
    result = add(tmp_path, "li", "--role", "town", "--code", "T01", warehouse=dashboard_warehouse())
    assert result.exit_code == 0, result.output
    assert t("access.cli.checked", code="T01", unit="城关镇", path=dashboard_warehouse()) in " ".join(result.output.split())
    assert access.load_users(tmp_path / "u.toml")["li"].code == "T01"


def test_user_add_without_a_warehouse_yet_says_the_code_was_not_checked(tmp_path):
    result = add(tmp_path, "li", "--role", "town", "--code", "QX99", warehouse=tmp_path / "none.duckdb")
    assert result.exit_code == 0, result.output
    assert t("access.cli.not_checked", path=(tmp_path / "none.duckdb").resolve(), code="QX99") in " ".join(result.output.split())
