"""`xiaoan serve [--warehouse PATH] [--port N] [--address A]`: the dashboard (Streamlit).
`xiaoan serve --lake PATH`: the city's view over a lake of district snapshots instead
(dashboard/city_app.py, issue 17); the same login, users file and 127.0.0.1 rule."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from dashboard.city import LAKE_ENV  # a constant: dashboard/city/__init__.py imports nothing
from xiaoan import config
from xiaoan.i18n import t
from xiaoan_cli.common import WarehouseOpt, err, fail, lang, warn_rules


def command(
    warehouse: WarehouseOpt = None,
    port: Annotated[int, typer.Option("--port", help="port to listen on")] = 8501,
    address: Annotated[Optional[str], typer.Option("--address", help="address to listen on (default 127.0.0.1)")] = None,
    lake: Annotated[Optional[Path], typer.Option(
        "--lake", help="the city's view over this lake of district snapshots, instead of a district's dashboard")] = None,
) -> None:
    """Start the dashboard (Streamlit). Without users (xiaoan user add, or OIDC) it serves on
    127.0.0.1 only, without login; with users, anyone must log in (docs/security.md). With
    --lake, the city's view over a lake: a city user sees every district, a district user its own."""
    from xiaoan import access

    if lake is not None and not lake.is_dir():
        fail(t("city.rollup.no_lake", lang(), lake=lake))
    target = lake.resolve() if lake is not None else config.warehouse_path(warehouse)
    warn_rules()
    app_file = config.PROJECT_ROOT / "dashboard" / ("city_app.py" if lake is not None else "app.py")
    bind = address or "127.0.0.1"
    try:
        login = access.login_configured()
    except access.AccessError as exc:
        fail(exc.message(lang()))
    if not login and not access.is_loopback(bind):
        fail(t("cli.serve.refused", lang(), bind=bind))
    env = {**os.environ, config.USERS_ENV: str(access.users_path().resolve())}
    if lake is not None:
        env[LAKE_ENV] = str(target)
    else:
        env[config.WAREHOUSE_ENV] = str(target)
    argv = [
        sys.executable, "-m", "dashboard.server", "run", str(app_file),  # streamlit run, minus its component scan
        "--server.port", str(port),
        "--server.address", bind,
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--client.toolbarMode", "viewer",
        "--global.developmentMode", "false",
        "--client.showErrorDetails", "type",  # a user sees what went wrong, never a traceback
        "--server.runOnSave", "false",
        "--server.fileWatcherType", "none",
    ]
    on = "city.view.cli.on" if lake is not None else "cli.serve.on"
    err.print(f"xiaoan: {t(on, lang(), bind=bind, port=port, target=target)}", markup=False, highlight=False)
    if not login:
        err.print(f"xiaoan: {t('cli.serve.local_only', lang())}", markup=False, highlight=False)
    os.execvpe(argv[0], argv, env)
