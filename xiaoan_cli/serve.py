"""`xiaoan serve [--warehouse PATH] [--port N] [--address A]`: the dashboard (Streamlit)."""

from __future__ import annotations

import os
import sys
from typing import Annotated, Optional

import typer

from xiaoan import config
from xiaoan.i18n import t
from xiaoan_cli.common import WarehouseOpt, err, fail, lang, warn_rules


def command(
    warehouse: WarehouseOpt = None,
    port: Annotated[int, typer.Option("--port", help="port to listen on")] = 8501,
    address: Annotated[Optional[str], typer.Option("--address", help="address to listen on (default 127.0.0.1)")] = None,
) -> None:
    """Start the dashboard (Streamlit). Without users (xiaoan user add, or OIDC) it serves on
    127.0.0.1 only, without login; with users, anyone must log in (docs/security.md)."""
    from xiaoan import access

    target = config.warehouse_path(warehouse)
    warn_rules()
    app_file = config.PROJECT_ROOT / "dashboard" / "app.py"
    bind = address or "127.0.0.1"
    try:
        login = access.login_configured()
    except access.AccessError as exc:
        fail(exc.message(lang()))
    if not login and not access.is_loopback(bind):
        fail(t("cli.serve.refused", lang(), bind=bind))
    env = {**os.environ, config.WAREHOUSE_ENV: str(target), config.USERS_ENV: str(access.users_path().resolve())}
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
    err.print(f"xiaoan: {t('cli.serve.on', lang(), bind=bind, port=port, target=target)}", markup=False, highlight=False)
    if not login:
        err.print(f"xiaoan: {t('cli.serve.local_only', lang())}", markup=False, highlight=False)
    os.execvpe(argv[0], argv, env)
