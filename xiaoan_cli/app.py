"""The `xiaoan` command (SPEC §5): the Typer app with every subcommand registered here, by name.
Exit status 0 when a command ran (even if rows were rejected); non-zero with a one-line reason
when it could not run."""

from __future__ import annotations

import os
import sys

import typer

from xiaoan.i18n import t
from xiaoan_cli import city, export, ingest, notices, rebuild, sample, serve, template, users
from xiaoan_cli.common import lang

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, help="xiaoan (校安): school-safety data warehouse, dashboard and snapshots.")
app.command("ingest")(ingest.command)
app.command("sample")(sample.command)
app.command("template")(template.command)
app.command("export")(export.command)
app.add_typer(users.app, name="user")
app.command("rebuild")(rebuild.command)
app.command("serve")(serve.command)
app.command("notices")(notices.command)
app.add_typer(city.app, name="city")


def main() -> None:
    try:
        app(standalone_mode=True)
    except KeyboardInterrupt:
        sys.stderr.write(f"xiaoan: {t('cli.interrupted', lang())}\n")
        sys.exit(130)
    except SystemExit:
        raise
    except BaseException as exc:  # a bug, an environment problem or a panic in native code: one line, traceback on demand
        if os.environ.get("XIAOAN_DEBUG"):
            raise
        first = str(exc).splitlines()[0] if str(exc) else ""
        line = t("cli.unexpected", lang(), kind=type(exc).__name__, detail=first)
        sys.stderr.write(f"xiaoan: {line}\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
