"""Shared benchmark plumbing: the machine, medians of several runs, peak memory per run
(each run in its own process), the cached province-scale sample, and the results table."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".bench"
RESULTS = ROOT / "benchmarks" / "results"
END = "2026-10-31"  # fixed, so the cached sample is the same set every time


def code_fingerprint() -> str:
    """A digest of the code a warehouse is built by (pipelines/, xiaoan/: Python, SQL, TOML): a
    warehouse cached under .bench/ is built again when it changes (a cached one from older code
    lacks the macros the pages call now)."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(p for folder in ("pipelines", "xiaoan") for p in (ROOT / folder).rglob("*")
                       if p.suffix in (".py", ".sql", ".toml") and p.is_file()):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def machine() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = os.getloadavg()[0]
    return f"{platform.machine()}, {os.cpu_count()} cores, {mem:.1f} GiB RAM, Python {platform.python_version()}, load average {load:.1f} at start"


def sample(scale: str, fmt: str, seed: int = 2026) -> Path:
    """The synthetic set, written once and kept under .bench/ (git-ignored)."""
    out = CACHE / f"sample-{scale}-{fmt}-{seed}-{END}"
    if not (out / ".complete").exists():
        subprocess.run([sys.executable, "-m", "xiaoan_cli", "sample", "--out", str(out), "--scale", scale,
                        "--format", fmt, "--seed", str(seed), "--end", END], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        (out / ".complete").write_text("ok")
    return out


def run_child(code: str) -> dict:
    """Run Python code in a fresh process; it prints one JSON object last. Adds peak_rss_mib."""
    # Peak memory from VmHWM: ru_maxrss would be wrong here, Linux keeps it across execve, so a
    # child would inherit the peak of the process that started it.
    wrapped = textwrap.dedent(code) + textwrap.dedent("""
        import json as _j
        _out = dict(RESULT)
        with open("/proc/self/status") as _s:
            _out["peak_rss_mib"] = next(int(l.split()[1]) for l in _s if l.startswith("VmHWM")) / 1024
        print(_j.dumps(_out))
    """)
    done = subprocess.run([sys.executable, "-c", wrapped], capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


@dataclass
class Result:
    name: str
    figure: float
    unit: str
    target: str
    met: bool | None
    notes: str = ""
    runs: list[float] = field(default_factory=list)


def median(values: list[float]) -> float:
    return statistics.median(values)


def write_results(name: str, results: list[Result], header: str) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    lines = [f"# {name}", "", header, "", "| measure | median | target | met | runs | notes |", "|---|---|---|---|---|---|"]
    for r in results:
        met = "—" if r.met is None else ("yes" if r.met else "NO")
        runs = ", ".join(f"{x:.2f}" for x in r.runs)
        lines.append(f"| {r.name} | {r.figure:,.2f} {r.unit} | {r.target} | {met} | {runs} | {r.notes} |")
    path = RESULTS / f"{name}.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return path
