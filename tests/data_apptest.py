"""The app as `xiaoan serve` runs it, for the tests that drive it with Streamlit's AppTest.

`xiaoan serve` starts Streamlit through dashboard/server.py, which turns off Streamlit's scan of
every installed package for "v2" custom components (dashboard.server.skip_component_scan; xiaoan
has none). AppTest does not go through that module, and runs the scan at every script run: it
parses the metadata of each of the environment's ~110 packages, several times over, which is
much of an AppTest run's time on the small test districts. A test module that imports the fixture below runs its pages
as served, without the scan; the scanner is put back after the module.
tests/test_dashboard_server.py checks that the patch still finds the scanner in the pinned
Streamlit (and if it does not, the pages here run with the scan, only slower).

    from tests.data_apptest import as_served  # noqa: F401 (autouse fixture)
"""

from __future__ import annotations

import pytest

from dashboard import server


@pytest.fixture(scope="module", autouse=True)
def as_served():
    """Streamlit without its custom-component scan for this module's tests, as dashboard.server
    starts it; Streamlit's own scanner is restored after the module."""
    with pytest.MonkeyPatch.context() as patch:
        try:
            from streamlit.components.v2 import manifest_scanner
        except ImportError:
            manifest_scanner = None
        scanner = getattr(manifest_scanner, "scan_component_manifests", None)
        if scanner is not None:
            patch.setattr(manifest_scanner, "scan_component_manifests", scanner)  # restored on exit
        server.skip_component_scan()
        yield
