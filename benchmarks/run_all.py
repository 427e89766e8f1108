"""Run every benchmark and write benchmarks/results/summary.md (`make bench`)."""

from __future__ import annotations

import subprocess
import sys

from benchmarks.common import RESULTS, ROOT, machine

BENCHMARKS = ["ingest_speed", "xlsx_vs_openpyxl", "far_rows", "large_operations", "dashboard_queries", "cold_start", "scaling"]


def main() -> None:
    failed = []
    for name in BENCHMARKS:
        print(f"== {name}", flush=True)
        if subprocess.run([sys.executable, "-m", f"benchmarks.{name}"], cwd=ROOT).returncode != 0:
            failed.append(name)
    parts = [f"# xiaoan benchmarks\n\n{machine()}\n"]
    for name in BENCHMARKS:
        path = RESULTS / f"{name}.md"
        if path.exists():
            parts.append(path.read_text(encoding="utf-8").replace("# ", "## ", 1))
    (RESULTS / "summary.md").write_text("\n".join(parts), encoding="utf-8")
    print(f"wrote {RESULTS / 'summary.md'}")
    if failed:
        sys.exit(f"benchmarks that did not finish: {', '.join(failed)}")


if __name__ == "__main__":
    main()
