"""Dashboard cold start at province scale: from launching `xiaoan serve` to the overview's
headline figures rendered in headless Chromium (target < 5 s), with the server's peak memory.

Each start is also cut into its stages, so that a miss shows where the time goes:
- the server answers its health check (Python, Streamlit, our command);
- Chromium has loaded Streamlit's page and scripts (DOMContentLoaded);
- the websocket brings the headline figures (the server has run the overview to them);
- the figures are on screen;
and the CPU seconds the server and Chromium spent until then, and how busy the machine's
cores were (the browser runs on the same two cores as the server here).

Baseline, in the same run and the same browser: a page holding a single st.metric, from an
already running Streamlit server: what Chromium and Streamlit's own frontend cost on this
machine before any of xiaoan's work.

    python -m benchmarks.cold_start [--runs N]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request

from benchmarks.common import ROOT, Result, machine, median, write_results
from benchmarks.dashboard_queries import warehouse
from xiaoan.labels import column_label

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# The overview's first figure, as its label travels in the websocket (UTF-8 inside protobuf).
HEADLINE_LABEL = column_label("open_hazards", "zh").encode("utf-8")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process (its threads, and children it waited for)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(v) for v in fields[11:15]) / CLOCK_TICKS


def chromium_seconds() -> float:
    pids = subprocess.run(["pgrep", "-f", "chromium"], capture_output=True, text=True).stdout.split()
    return sum(cpu_seconds(int(p)) for p in pids)


def machine_busy() -> tuple[int, int]:
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    return sum(values), values[3] + values[4]  # all ticks, idle + iowait ticks


def wait_healthy(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    """Poll Streamlit's health check every 20 ms until it answers."""
    deadline = time.time() + seconds
    while True:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read()
            return
        except OSError:
            if time.time() > deadline or server.poll() is not None:
                raise RuntimeError("the dashboard did not start") from None
            time.sleep(0.02)


def one_start(wh: str, browser) -> dict[str, float]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    chromium_before, busy_before = chromium_seconds(), machine_busy()
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "xiaoan_cli", "serve", "--warehouse", wh, "--port", str(port)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stages: dict[str, float] = {}
    try:
        wait_healthy(url, server)
        stages["health"] = time.perf_counter() - started
        page = browser.new_page()

        def on_websocket(ws) -> None:
            def on_frame(frame) -> None:
                if "headline" not in stages and isinstance(frame, bytes) and HEADLINE_LABEL in frame:
                    stages["headline"] = time.perf_counter() - started
            ws.on("framereceived", on_frame)

        page.on("websocket", on_websocket)
        page.goto(url + "/", wait_until="domcontentloaded", timeout=60000)
        stages["shell"] = time.perf_counter() - started
        # The overview is rendered when its headline metrics are on the page.
        page.wait_for_selector('[data-testid="stMetric"]', timeout=60000)
        stages["rendered"] = time.perf_counter() - started
        stages["server_cpu"] = cpu_seconds(server.pid)
        stages["chromium_cpu"] = chromium_seconds() - chromium_before
        total, idle = (a - b for a, b in zip(machine_busy(), busy_before))
        stages["busy"] = 1 - idle / max(total, 1)
        page.close()
        with open(f"/proc/{server.pid}/status") as status:
            stages["peak"] = next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024
        return stages
    finally:
        server.terminate()
        server.wait(timeout=30)


FLOOR_APP = 'import streamlit as st\nst.metric("figure", "1", "+1")\n'


def floor_loads(browser, runs: int) -> list[dict[str, float]]:
    """A single-figure Streamlit page, server already warm: seconds to the figure on screen."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="xiaoan-floor-") as tmp:
        app = os.path.join(tmp, "floor.py")
        with open(app, "w") as f:
            f.write(FLOOR_APP)
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "dashboard.server", "run", app, "--server.port", str(port),
                                   "--server.address", "127.0.0.1", "--server.headless", "true",
                                   "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
                                  cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_healthy(f"http://127.0.0.1:{port}", server)
            loads = []
            for i in range(runs + 1):  # the first load warms the server (its script cache)
                page = browser.new_page()
                chromium_before, started = chromium_seconds(), time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/", wait_until="domcontentloaded", timeout=60000)
                page.wait_for_selector('[data-testid="stMetric"]', timeout=60000)
                if i:
                    loads.append({"rendered": time.perf_counter() - started, "chromium_cpu": chromium_seconds() - chromium_before})
                page.close()
            return loads
        finally:
            server.terminate()
            server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not os.path.exists(CHROMIUM):
        sys.exit("cold_start: needs Debian's chromium (scripts/install_browser.sh)")
    from playwright.sync_api import sync_playwright

    wh = str(warehouse("large"))
    runs: list[dict[str, float]] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(args.runs):
            runs.append(one_start(wh, browser))
        floor = floor_loads(browser, args.runs)
        browser.close()

    def series(key: str) -> list[float]:
        return [r.get(key, float("nan")) for r in runs]

    rendered = median(series("rendered"))
    results = [
        Result("cold start to rendered overview, large scale", rendered, "s", "< 5 s", rendered < 5,
               "server launch → headline figures on screen in Chromium", series("rendered")),
        Result("… the server answers its health check", median(series("health")), "s", "—", None,
               "Python, Streamlit and `xiaoan serve` starting", series("health")),
        Result("… Chromium has loaded Streamlit's page and scripts", median(series("shell")), "s", "—", None,
               "DOMContentLoaded", series("shell")),
        Result("… the headline figures arrive over the websocket", median(series("headline")), "s", "—", None,
               "the server has imported, attached the warehouse and computed the headline", series("headline")),
        Result("CPU of the server until rendered", median(series("server_cpu")), "s", "—", None,
               "all its threads (DuckDB's too)", series("server_cpu")),
        Result("CPU of Chromium until rendered", median(series("chromium_cpu")), "s", "—", None,
               "all its processes", series("chromium_cpu")),
        Result("share of both cores busy, launch → rendered", 100 * median(series("busy")), "%", "—", None,
               "the browser shares this machine's two cores with the server", [100 * b for b in series("busy")]),
        Result("baseline: a single-figure Streamlit page, server warm", median([f["rendered"] for f in floor]), "s", "—", None,
               "Chromium and Streamlit's frontend alone, same run", [f["rendered"] for f in floor]),
        Result("baseline: CPU of Chromium for that page", median([f["chromium_cpu"] for f in floor]), "s", "—", None,
               "", [f["chromium_cpu"] for f in floor]),
        Result("peak memory of the dashboard server", max(series("peak")), "MiB", "< 4096", max(series("peak")) < 4096, ""),
    ]
    write_results("cold_start", results, machine())


if __name__ == "__main__":
    main()
