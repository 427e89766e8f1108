"""What `xiaoan serve` executes: Streamlit's own `streamlit run` command line, in a process that
first turns off Streamlit's scan for custom components.

    python -m dashboard.server run dashboard/app.py --server.port 8501 ...

Streamlit 1.67 reads the metadata of every installed Python package when its runtime starts,
looking for "v2" custom components (`streamlit.components.v2.manifest_scanner`). xiaoan uses no
custom component, and on a server with the project's ~100 packages the scan costs ~0.2 s of a
cold start (docs/performance.md). If a later Streamlit moves the scanner, the patch does nothing
and Streamlit scans as before; `tests/test_dashboard_server.py` fails so that someone looks.
"""

from __future__ import annotations

import sys


def skip_component_scan() -> bool:
    """Make Streamlit find no installed custom components without reading every package's
    metadata. True when the scanner was found and replaced."""
    try:
        from streamlit.components.v2 import manifest_scanner
    except ImportError:
        return False
    if not callable(getattr(manifest_scanner, "scan_component_manifests", None)):
        return False

    def no_components(max_workers: int | None = None) -> list:
        return []

    manifest_scanner.scan_component_manifests = no_components
    return True


def main(argv: list[str] | None = None) -> None:
    """Run Streamlit's command line (`streamlit <argv>`) without the component scan."""
    skip_component_scan()
    from streamlit.web import cli

    cli.main(args=sys.argv[1:] if argv is None else argv, prog_name="streamlit")


if __name__ == "__main__":
    main()
