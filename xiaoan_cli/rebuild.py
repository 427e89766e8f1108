"""`xiaoan rebuild [--warehouse PATH]`: the warehouse again from the archived files."""

from __future__ import annotations

from xiaoan import config
from xiaoan_cli.common import WarehouseOpt, console, fail


def command(warehouse: WarehouseOpt = None) -> None:
    """Recreate the warehouse from the archived files alone."""
    from pipelines.publish import rebuild as run_rebuild

    target = config.warehouse_path(warehouse)
    try:
        result = run_rebuild(target)
    except FileNotFoundError as exc:
        fail(str(exc))
    console.print(f"rebuilt {target} from {result.files} archived files in {result.batches} loads ({result.seconds:.1f} s).")
