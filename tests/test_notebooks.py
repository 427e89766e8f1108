"""The analysts' notebooks (notebooks/): named <step>-<topic>.ipynb, committed without outputs,
and every one runs without an error on the sample district — while an ingest publishes a new
version of the warehouse halfway through, which the notebook then sees.

The kernel is the `python3` kernel that ipykernel provides inside this virtual environment
(jupyter_client starts it with this very interpreter); the Jupyter and IPython folders point
into a temporary folder, so running the tests never writes into the user's home.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell

from pipelines.publish import ingest
from pipelines.sample import write_sample
from tests import builders
from xiaoan.warehouse import open_read_only

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
NAME = re.compile(r"^\d+\.\d+-[a-z0-9]+(-[a-z0-9]+)*\.ipynb$")
NEW_HAZARD = "NB-NEW-0001"


def notebooks() -> list[Path]:
    return sorted(p for p in NOTEBOOKS.glob("*.ipynb"))


@pytest.fixture(scope="module")
def sample_warehouse(tmp_path_factory) -> Path:
    """The sample district (CSV ledgers up to 2026-10-31), loaded once for this module."""
    root = tmp_path_factory.mktemp("notebook-district")
    write_sample(root / "district", fmt="csv", end=dt.date(2026, 10, 31))
    warehouse = root / "wh" / "warehouse.duckdb"
    result = ingest([root / "district"], warehouse)
    assert result.published and sum(f.loaded for f in result.files) > 10_000
    return warehouse


@pytest.fixture
def kernel_env(monkeypatch, tmp_path):
    """Jupyter and IPython state in a temporary folder; no rules or scope from the caller."""
    for name in ("JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        folder = tmp_path / "jupyter" / name.lower()
        folder.mkdir(parents=True)
        monkeypatch.setenv(name, str(folder))
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    monkeypatch.delenv("JUPYTER_PATH", raising=False)
    monkeypatch.delenv("XIAOAN_RULES", raising=False)
    monkeypatch.delenv("XIAOAN_SCOPE", raising=False)
    return tmp_path / "jupyter"


def client(nb) -> NotebookClient:
    return NotebookClient(nb, kernel_name="python3", timeout=600, allow_errors=False,
                          resources={"metadata": {"path": str(NOTEBOOKS)}})


def stdout(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


# ---------------------------------------------------------------- the files


def test_there_are_at_least_three_notebooks_named_step_topic():
    names = [p.name for p in notebooks()]
    assert len(names) >= 3, names
    assert all(NAME.match(n) for n in names), [n for n in names if not NAME.match(n)]
    assert {"1.0-warehouse-tour.ipynb", "2.0-headline-figures.ipynb", "3.0-rectification-analysis.ipynb"} <= set(names)


@pytest.mark.parametrize("path", notebooks(), ids=lambda p: p.name)
def test_committed_notebooks_have_no_outputs_and_no_execution_counts(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    dirty = [i for i, cell in enumerate(nb["cells"]) if cell["cell_type"] == "code"
             and (cell.get("outputs") or cell.get("execution_count") is not None)]
    assert not dirty, f"{path.name}: cells {dirty} carry outputs; run: make nbstrip"
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


def test_the_strip_script_clears_outputs(tmp_path):
    from scripts.strip_notebooks import strip

    nb = nbformat.read(notebooks()[0], as_version=4)
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="hello")]
    nb.cells[1].execution_count = 3
    nb.cells[1].metadata["execution"] = {"iopub.status.busy": "2026-11-01T00:00:00"}
    dirty = tmp_path / "dirty.ipynb"
    nbformat.write(nb, dirty)
    assert strip(dirty) is True and strip(dirty) is False  # a clean file is left alone
    again = nbformat.read(dirty, as_version=4)
    assert again.cells[1].outputs == [] and again.cells[1].execution_count is None
    assert "execution" not in again.cells[1].metadata


# ---------------------------------------------------------------- the kernel


def test_the_kernel_is_this_environments_python_and_keeps_out_of_home(kernel_env):
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nb.cells = [new_code_cell("import sys, IPython\nprint(sys.prefix)\nprint(IPython.get_ipython().profile_dir.location)")]
    client(nb).execute()
    prefix, profile = stdout(nb.cells[0]).split()
    assert prefix == sys.prefix  # the virtual environment's interpreter, not whatever `python` is on PATH
    assert Path(profile).is_relative_to(kernel_env)


# ---------------------------------------------------------------- running them


def _new_hazard_file(folder: Path, warehouse: Path) -> Path:
    con = open_read_only(warehouse)
    try:
        school, dept = con.sql("select (select min(school_code) from schools), (select min(dept_code) from departments)").fetchall()[0]
    finally:
        con.close()
    row = builders.hazard(NEW_HAZARD, school, "消防安全", "重大", dt.date(2026, 10, 20), dept, report=dt.date(2026, 10, 30))
    return builders.csv_file(folder / "新增隐患.csv", builders.HAZARD_HEADERS, [row])


@pytest.mark.slow
@pytest.mark.parametrize("path", notebooks(), ids=lambda p: p.name)
def test_every_notebook_runs_on_the_sample_district_while_an_ingest_publishes(path, sample_warehouse, kernel_env,
                                                                            monkeypatch, tmp_path):
    shutil.copytree(sample_warehouse.parent, tmp_path / "wh")
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    monkeypatch.setenv("XIAOAN_WAREHOUSE", str(warehouse))
    nb = nbformat.read(path, as_version=4)
    runner = client(nb)
    cells = list(nb.cells)
    halfway = len(cells) // 2

    def run_extra(source: str):
        """A probe cell of the test's own, run in the notebook's kernel."""
        cell = new_code_cell(source)
        nb.cells.append(cell)
        runner.execute_cell(cell, len(nb.cells) - 1)
        return cell

    with runner.setup_kernel():
        for index, cell in enumerate(cells):
            runner.execute_cell(cell, index)  # raises CellExecutionError on any error
            if index == 1:  # the set-up cell: remember the version the notebook opened
                run_extra("_version_at_start = reader.version")
            if index == halfway:  # a load publishes a new version while the notebook is open
                result = ingest([_new_hazard_file(tmp_path, warehouse)], warehouse)
                assert result.published and result.files[0].loaded == 1
        probe = run_extra("print(reader.version != _version_at_start)\n"
                          f"print(m.sql(\"select count(*) as n from hazards where hazard_id = '{NEW_HAZARD}'\")['n'][0])")
    assert stdout(probe).split() == ["True", "1"], stdout(probe)
