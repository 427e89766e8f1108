"""Dashboard cold start at province scale: from launching `xiaoan serve` to the overview's
headline figures rendered in headless Chromium (target < 5 s), with the server's peak memory.

    python -m benchmarks.cold_start [--runs N]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time

from benchmarks.common import ROOT, Result, machine, median, write_results
from benchmarks.dashboard_queries import warehouse

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def one_start(wh: str, browser) -> tuple[float, float]:
    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "xiaoan.cli", "serve", "--warehouse", wh, "--port", str(port)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        page = browser.new_page()
        deadline = time.time() + 60
        while True:
            try:
                page.goto(f"http://127.0.0.1:{port}/", timeout=2000)
                break
            except Exception:
                if time.time() > deadline:
                    raise
                time.sleep(0.05)
        # The overview is rendered when its headline metrics are on the page.
        page.wait_for_selector('[data-testid="stMetric"]', timeout=60000)
        seconds = time.perf_counter() - started
        page.close()
        with open(f"/proc/{server.pid}/status") as status:
            peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024
        return seconds, peak
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not os.path.exists(CHROMIUM):
        sys.exit("cold_start: needs Debian's chromium (scripts/install_browser.sh)")
    from playwright.sync_api import sync_playwright

    wh = str(warehouse("large"))
    runs, peaks = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(args.runs):
            seconds, peak = one_start(wh, browser)
            runs.append(seconds)
            peaks.append(peak)
        browser.close()
    results = [
        Result("cold start to rendered overview, large scale", median(runs), "s", "< 5 s", median(runs) < 5,
               "server launch → headline figures in Chromium", runs),
        Result("peak memory of the dashboard server", max(peaks), "MiB", "< 4096", max(peaks) < 4096, ""),
    ]
    write_results("cold_start", results, machine())


if __name__ == "__main__":
    main()
