"""The `xiaoan` command (SPEC §5). Exit status 0 when a command ran (even if rows were
rejected); non-zero with a one-line reason when it could not run."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from xiaoan import config
from xiaoan.i18n import t

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, help="xiaoan (校安): school-safety data warehouse, dashboard and snapshots.")
# Wide when not a terminal: scheduled jobs' logs and mails keep one line per file.
console = Console(width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True)

WarehouseOpt = Annotated[Optional[Path], typer.Option("--warehouse", help="warehouse file (default data/warehouse.duckdb or $XIAOAN_WAREHOUSE)")]


def fail(message: str, code: int = 2) -> None:
    """Stop with a one-line reason on stderr."""
    sys.stderr.write(f"xiaoan: {' '.join(message.split())}\n")  # one line, never wrapped
    raise typer.Exit(code)


def parse_day(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{option} must be a date YYYY-MM-DD, got {value!r}")
        raise  # unreachable


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="ledger files or folders")],
    warehouse: WarehouseOpt = None,
    report_date: Annotated[Optional[str], typer.Option("--report-date", help="date of the ledgers when they carry no 填报日期")] = None,
) -> None:
    """Load the registry and hazard, inspection and meeting ledgers."""
    from pipelines.ingest.load import expand, ingest as run_ingest

    target = config.warehouse_path(warehouse)
    day = parse_day(report_date, "--report-date") if report_date else None
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        fail(f"no such file or folder: {missing[0]}")
    files = expand(paths)
    if not files:
        fail("no .xlsx, .xls or .csv files found in the given paths")
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True, disable=len(files) < 5 or not err.is_terminal) as bar:
        task = bar.add_task("读取 reading", total=len(files))

        def step(name: str) -> None:
            bar.update(task, advance=1, description=f"读取 {name[:40]}")

        try:
            result = run_ingest(paths, target, day, progress=step)
        except OSError as exc:
            fail(f"cannot write the warehouse {target}: {exc}")
    table = Table(title=f"xiaoan ingest → {target}", show_lines=False)
    for column in ("file", "kind", "status", "rows", "loaded", "skipped", "rejected", "message"):
        table.add_column(column, overflow="fold")
    for f in result.files:
        kinds = "+".join(t(f"cli.kind.{k}") for k in f.kinds) or "-"
        table.add_row(Path(f.file).name, kinds, f.status, str(f.rows_in), str(f.loaded), str(f.skipped), str(f.rejected), f.message or "")
    console.print(table)
    total = {k: sum(getattr(f, k) for f in result.files) for k in ("rows_in", "loaded", "skipped", "rejected")}
    console.print(
        f"{len(result.files)} files: {total['loaded']} rows loaded, {total['skipped']} skipped, {total['rejected']} rejected "
        f"in {result.seconds:.1f} s; {'published a new version' if result.published else 'nothing new: warehouse unchanged'}."
    )


@app.command()
def sample(
    out: Annotated[Path, typer.Option("--out", help="folder to write the synthetic district into")],
    seed: Annotated[int, typer.Option("--seed")] = 2026,
    scale: Annotated[str, typer.Option("--scale", help="standard or large")] = "standard",
    fmt: Annotated[str, typer.Option("--format", help="mixed (xlsx, xls, csv) or csv")] = "mixed",
    end: Annotated[Optional[str], typer.Option("--end", help="last day covered, YYYY-MM-DD (default: end of last month)")] = None,
) -> None:
    """Write a synthetic district as the files offices send."""
    from pipelines.sample import write_sample

    if scale not in ("standard", "large"):
        fail(f"--scale must be standard or large, got {scale!r}")
    if fmt not in ("mixed", "csv"):
        fail(f"--format must be mixed or csv, got {fmt!r}")
    summary = write_sample(out, seed=seed, scale=scale, fmt=fmt, end=parse_day(end, "--end") if end else None)
    table = Table(title=f"xiaoan sample → {out}")
    table.add_column("what")
    table.add_column("count", justify="right")
    for key, value in summary.items():
        table.add_row(str(key), str(value))
    console.print(table)


@app.command()
def template(
    out: Annotated[Path, typer.Option("--out", help="folder to write the blank ledgers into")],
    warehouse: WarehouseOpt = None,
    force: Annotated[bool, typer.Option("--force", help="overwrite ledgers of the same names in --out")] = False,
) -> None:
    """Write blank ledgers to fill in: registry, hazards, inspections, meetings (.xlsx)."""
    from pipelines.templates import load_choices, template_paths, write_templates

    taken = [p for p in template_paths(out) if p.exists()]
    if taken and not force:
        fail(t("tpl.cli.exists", "en", path=taken[0]))
    source = config.warehouse_path(warehouse)
    choices = load_choices(source)
    if not choices.has_registry:
        sys.stderr.write(f"xiaoan: {t('tpl.cli.no_registry', 'en', path=source)}\n")  # a note, one line
    try:
        written = write_templates(out, choices=choices)
    except OSError as exc:
        fail(f"cannot write {out}: {exc.strerror or exc}")
    console.print(t("tpl.cli.wrote", "en", path=out, files=", ".join(p.name for p in written)), markup=False, highlight=False)


def _register_export() -> None:
    from pipelines.export.command import export_command

    app.command("export")(export_command)


_register_export()


def _register_users() -> None:
    from xiaoan.users_cli import app as users_app

    app.add_typer(users_app, name="user")


_register_users()


@app.command()
def rebuild(warehouse: WarehouseOpt = None) -> None:
    """Recreate the warehouse from the archived files alone."""
    from pipelines.rebuild import rebuild as run_rebuild

    target = config.warehouse_path(warehouse)
    try:
        result = run_rebuild(target)
    except FileNotFoundError as exc:
        fail(str(exc))
    console.print(f"rebuilt {target} from {result.files} archived files in {result.batches} loads ({result.seconds:.1f} s).")


@app.command()
def serve(
    warehouse: WarehouseOpt = None,
    port: Annotated[int, typer.Option("--port", help="port to listen on")] = 8501,
    address: Annotated[Optional[str], typer.Option("--address", help="address to listen on (default 127.0.0.1)")] = None,
) -> None:
    """Start the dashboard (Streamlit). Without users (xiaoan user add, or OIDC) it serves on
    127.0.0.1 only, without login; with users, anyone must log in (docs/security.md)."""
    from xiaoan import access

    target = config.warehouse_path(warehouse)
    app_file = config.PROJECT_ROOT / "dashboard" / "app.py"
    bind = address or "127.0.0.1"
    try:
        login = access.login_configured()
    except access.AccessError as exc:
        fail(str(exc))
    if not login and not access.is_loopback(bind):
        fail(f"no users are configured, so the dashboard serves only on 127.0.0.1, not on {bind}: "
             "add users with `xiaoan user add` or configure OIDC (docs/security.md)")
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
    err.print(f"xiaoan: dashboard on http://{bind}:{port}  (warehouse {target})", markup=False, highlight=False)
    if not login:
        err.print("xiaoan: no users configured: serving on this computer only (127.0.0.1), without login; "
                  "see docs/security.md to let others in", markup=False, highlight=False)
    os.execvpe(argv[0], argv, env)


def main() -> None:
    try:
        app(standalone_mode=True)
    except KeyboardInterrupt:
        sys.stderr.write("xiaoan: interrupted\n")
        sys.exit(130)
    except SystemExit:
        raise
    except BaseException as exc:  # a bug, an environment problem or a panic in native code: one line, traceback on demand
        if os.environ.get("XIAOAN_DEBUG"):
            raise
        first = str(exc).splitlines()[0] if str(exc) else ""
        sys.stderr.write(f"xiaoan: {type(exc).__name__}: {first} (set XIAOAN_DEBUG=1 for the traceback)\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
