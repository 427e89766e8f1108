"""The `xiaoan` command (SPEC §5): the shell on top of everything, imported by nothing.

app.py builds the Typer app and registers every subcommand explicitly; each subcommand is one
module here, and imports what it runs inside its body, so that `xiaoan --help` (and every
command that does not need them) starts without loading polars and DuckDB."""
