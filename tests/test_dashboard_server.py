"""`xiaoan serve` runs Streamlit's own command line through dashboard.server, which turns off
Streamlit's scan of every installed package for custom components (xiaoan has none)."""

from __future__ import annotations

import importlib.metadata

from streamlit.components.v2 import component_manager, manifest_scanner

from dashboard import server


def test_the_scan_is_found_and_replaced_in_the_pinned_streamlit(monkeypatch):
    # Restored after the test: the patch is process-wide.
    monkeypatch.setattr(manifest_scanner, "scan_component_manifests", manifest_scanner.scan_component_manifests)
    assert server.skip_component_scan(), "Streamlit moved its component scanner: update dashboard/server.py"

    read = []
    monkeypatch.setattr(importlib.metadata, "distributions", lambda *a, **k: read.append(1) or [])
    manager = component_manager.BidiComponentManager()
    manager.discover_and_register_components(start_file_watching=False)  # swallows errors: count calls instead
    assert read == [], "Streamlit still read every installed package's metadata"
    assert manifest_scanner.scan_component_manifests() == []


def test_the_scan_reads_the_packages_when_not_patched(monkeypatch):
    """The check above can fail: unpatched, the same call reads the installed packages."""
    read = []
    monkeypatch.setattr(importlib.metadata, "distributions", lambda *a, **k: read.append(1) or [])
    component_manager.BidiComponentManager().discover_and_register_components(start_file_watching=False)
    assert read == [1]


def test_without_the_scanner_the_patch_does_nothing(monkeypatch):
    monkeypatch.delattr(manifest_scanner, "scan_component_manifests")
    assert server.skip_component_scan() is False
