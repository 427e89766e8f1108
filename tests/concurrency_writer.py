"""The writer of tests/test_concurrent_reads.py, run as its own process (as `xiaoan ingest` and
a scheduled `xiaoan export` are): loads the given files one at a time, each followed by an
export, and after every load appends the published version's row counts to a JSON-lines file.

    python -m tests.concurrency_writer WAREHOUSE OUT COUNTS FILE...
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pipelines.export import export_snapshot
from pipelines.publish import ingest
from tests.reliability import counts

AS_OF = "2026-12-31"


def main(argv: list[str]) -> None:
    warehouse, out, record = Path(argv[0]), Path(argv[1]), Path(argv[2])
    with open(record, "a", encoding="utf-8") as log:
        for path in argv[3:]:
            result = ingest([Path(path)], warehouse)
            assert result.published, path
            log.write(json.dumps({"event": "published", "counts": counts(warehouse)}) + "\n")
            log.flush()
            export_snapshot(warehouse, AS_OF, None, None, out)
            log.write(json.dumps({"event": "exported"}) + "\n")
            log.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
