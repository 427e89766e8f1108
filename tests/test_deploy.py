"""The scheduled jobs of deploy/: the command each systemd timer starts is read out of its unit
file and run exactly as written — in the unit's working directory (the project folder stands
for /opt/xiaoan) with a temporary warehouse, inbox and snapshot folder given by environment
variables. The crontab runs the same commands on the same schedule."""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from pipelines.export import export_snapshot
from pipelines.publish import ingest
from tests import builders
from xiaoan.i18n import t
from xiaoan.warehouse import open_read_only

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
INSTALLED_AT = "/opt/xiaoan"  # where the units and the crontab expect the project
SCHEDULES = {"snapshot": ("*-*-01 00:30:00", "30 0 1 * *"), "nightly": ("*-*-* 02:00:00", "0 2 * * *")}


def unit(path: Path) -> dict[str, list[str]]:
    """A systemd unit file as {"Section.Key": [values]} (keys may repeat)."""
    out: dict[str, list[str]] = {}
    section = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        out.setdefault(f"{section}.{key.strip()}", []).append(value.strip())
    return out


def systemd_expand(argv: list[str], env: dict[str, str]) -> list[str]:
    """${NAME} and $NAME as systemd expands them in ExecStart= (from the unit's environment)."""
    return [re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda m: env.get(m.group(1) or m.group(2), ""), arg) for arg in argv]


def timer_command(job: str, env: dict[str, str]) -> tuple[list[str], Path]:
    """The command xiaoan-<job>.timer starts, and the directory it starts in (here)."""
    timer = unit(DEPLOY / "systemd" / f"xiaoan-{job}.timer")
    service = unit(DEPLOY / "systemd" / timer["Timer.Unit"][0])
    assert service["Service.Type"] == ["oneshot"]
    assert service["Service.WorkingDirectory"] == [INSTALLED_AT]
    (exec_start,) = service["Service.ExecStart"]
    return systemd_expand(shlex.split(exec_start), env), ROOT


def job_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """The environment of a scheduled run: this venv's `xiaoan` first on PATH (as the unit's
    PATH puts /opt/xiaoan/.venv/bin first), the data in tmp_path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("XIAOAN_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.update({"XIAOAN_WAREHOUSE": str(tmp_path / "data" / "warehouse.duckdb"), "XIAOAN_INBOX": str(tmp_path / "inbox"),
                "XIAOAN_SNAPSHOTS": str(tmp_path / "snapshots"), **overrides})
    return env


def run(job: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    argv, cwd = timer_command(job, env)
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=600)


def fill_inbox(inbox: Path) -> int:
    """A registry and a hazard ledger, as offices drop them; returns the hazard rows."""
    inbox.mkdir(parents=True, exist_ok=True)
    builders.registry_workbook(inbox / "登记册.xlsx")
    rows = [builders.hazard("H1", "S01", found=dt.date(2026, 3, 1), report=dt.date(2026, 3, 31)),
            builders.hazard("H2", "S04", "校舍建筑", "重大", dt.date(2026, 4, 2), "D03", report=dt.date(2026, 4, 30))]
    builders.xlsx(inbox / "隐患台账.xlsx", builders.HAZARD_HEADERS, rows)
    return len(rows)


def yesterday() -> dt.date:
    return dt.date.today() - dt.timedelta(days=1)


# ---------------------------------------------------------------- the files agree


@pytest.mark.parametrize("job", SCHEDULES)
def test_each_timer_runs_its_job_on_its_schedule_and_the_crontab_does_the_same(job):
    calendar, cron = SCHEDULES[job]
    timer = unit(DEPLOY / "systemd" / f"xiaoan-{job}.timer")
    assert timer["Timer.OnCalendar"] == [calendar] and timer["Timer.Persistent"] == ["true"]
    assert timer["Install.WantedBy"] == ["timers.target"]
    service = unit(DEPLOY / "systemd" / timer["Timer.Unit"][0])
    exec_start = service["Service.ExecStart"][0]
    assert exec_start == f"/bin/sh deploy/xiaoan-job.sh {job}"
    lines = [line for line in (DEPLOY / "cron" / "xiaoan.crontab").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#") and not re.match(r"^\w+=", line)]
    crons = {" ".join(line.split()[:5]): " ".join(line.split()[5:]) for line in lines}
    assert crons[cron] == f"cd {INSTALLED_AT} && {exec_start}"


def test_the_units_and_the_crontab_set_the_same_variables_and_path():
    crontab = (DEPLOY / "cron" / "xiaoan.crontab").read_text(encoding="utf-8")
    cron_vars = dict(re.findall(r"^(\w+)=(.*)$", crontab, re.M))
    for job in SCHEDULES:
        service = unit(DEPLOY / "systemd" / f"xiaoan-{job}.service")
        pairs = dict(pair.split("=", 1) for value in service["Service.Environment"] for pair in value.split())
        assert pairs["PATH"] == cron_vars["PATH"] and pairs["PATH"].startswith(f"{INSTALLED_AT}/.venv/bin:")
        for name, value in pairs.items():
            if name.startswith("XIAOAN_"):
                assert cron_vars[name] == value, name
        assert service["Service.EnvironmentFile"] == ["-/etc/xiaoan/xiaoan.env"]
    example = (DEPLOY / "xiaoan.env.example").read_text(encoding="utf-8")
    assert set(re.findall(r"^(XIAOAN_\w+)=", example, re.M)) == {k for k in cron_vars if k.startswith("XIAOAN_")}


def test_systemd_accepts_the_units(tmp_path):
    analyze = Path("/usr/bin/systemd-analyze")
    if not analyze.exists():
        pytest.skip("systemd-analyze is not installed")
    for job, (calendar, _) in SCHEDULES.items():
        out = subprocess.run([str(analyze), "calendar", calendar], capture_output=True, text=True)
        assert out.returncode == 0, out.stderr


# ---------------------------------------------------------------- running exactly what the timers run


def test_the_nightly_timer_loads_the_inbox_then_writes_the_daily_snapshot(tmp_path):
    hazards = fill_inbox(tmp_path / "inbox")
    env = job_env(tmp_path)
    first = run("nightly", env)
    assert first.returncode == 0, first.stderr
    day = yesterday().isoformat()
    daily = tmp_path / "snapshots" / "daily"
    assert (daily / day / "manifest.json").is_file()
    assert (daily / "latest.txt").read_text(encoding="utf-8") == f"{day}\n"
    assert os.readlink(daily / "latest") == day
    assert pl.read_parquet(daily / "latest" / "hazards.parquet").height == hazards
    con = open_read_only(Path(env["XIAOAN_WAREHOUSE"]))
    try:
        assert con.sql("select count(*) from hazards").fetchall() == [(hazards,)]
    finally:
        con.close()
    # The next night: the same files are recognised and skipped, the snapshot is written again.
    again = run("nightly", env)
    assert again.returncode == 0 and t("cli.ingest.unchanged") in again.stdout, again.stdout + again.stderr


def test_the_nightly_timer_with_an_empty_inbox_still_writes_the_snapshot(tmp_path):
    warehouse = tmp_path / "data" / "warehouse.duckdb"
    ingest([builders.registry_workbook(tmp_path / "登记册.xlsx")], warehouse)
    (tmp_path / "inbox").mkdir()
    done = run("nightly", job_env(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "nothing to load" in done.stdout
    assert (tmp_path / "snapshots" / "daily" / yesterday().isoformat() / "report.html").is_file()


def test_the_monthly_timer_writes_the_snapshot_of_last_month_end(tmp_path):
    fill_inbox(tmp_path / "inbox")
    ingest([tmp_path / "inbox"], tmp_path / "data" / "warehouse.duckdb")
    done = run("snapshot", job_env(tmp_path))
    assert done.returncode == 0, done.stderr
    month_end = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).isoformat()
    monthly = tmp_path / "snapshots" / "monthly"
    assert sorted(p.name for p in monthly.iterdir() if not p.name.startswith(".")) == [month_end, "latest", "latest.txt"]


def test_a_failing_run_exits_non_zero_with_one_line_and_leaves_snapshots_and_latest(tmp_path):
    # What a good night leaves (the nightly job itself runs in the tests above): the inbox loaded
    # and yesterday's snapshot written, through the API that the job's two commands call.
    fill_inbox(tmp_path / "inbox")
    env = job_env(tmp_path)
    ingest([tmp_path / "inbox"], Path(env["XIAOAN_WAREHOUSE"]))
    export_snapshot(Path(env["XIAOAN_WAREHOUSE"]), "yesterday", None, None, tmp_path / "snapshots" / "daily", keep=31)
    daily = tmp_path / "snapshots" / "daily"
    assert sorted(p.name for p in daily.iterdir() if not p.name.startswith(".")) == [yesterday().isoformat(), "latest",
                                                                                    "latest.txt"]
    before = {p.name: (p.stat().st_mtime_ns, os.readlink(p) if p.is_symlink() else None) for p in daily.iterdir()}
    # The warehouse has gone (a disk not mounted, say): the export cannot run.
    broken = job_env(tmp_path, XIAOAN_WAREHOUSE=str(tmp_path / "elsewhere" / "warehouse.duckdb"))
    (tmp_path / "inbox").rename(tmp_path / "inbox-done")
    (tmp_path / "inbox").mkdir()
    failed = run("nightly", broken)
    assert failed.returncode != 0
    reason = failed.stderr.strip().splitlines()
    missing = t("export.no_warehouse", path=tmp_path / "elsewhere" / "warehouse.duckdb")
    assert reason == [f"xiaoan: {missing}"], failed.stderr
    after = {p.name: (p.stat().st_mtime_ns, os.readlink(p) if p.is_symlink() else None) for p in daily.iterdir()}
    assert after == before
    # A setting missing altogether: also one line, nothing touched.
    unset = {k: v for k, v in broken.items() if k != "XIAOAN_SNAPSHOTS"}
    missing = run("snapshot", unset)
    assert missing.returncode == 2 and missing.stderr.strip() == "xiaoan-job: XIAOAN_SNAPSHOTS is not set (see docs/deployment.md)"
