"""`python -m xiaoan_cli …` — the same as the installed `xiaoan` command."""

from xiaoan_cli.app import main

main()
