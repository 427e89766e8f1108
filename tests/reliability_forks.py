"""The `xiaoan` command without Python's start-up, for tests that run it many times and kill it.

Starting `xiaoan` takes the interpreter about a second of imports (polars, duckdb, typer, …)
before the command does anything; a test that kills fifty runs at random moments spent about
half of each killed run, and half of its kills, in those imports. `Forks` starts one process
that imports the command once, then forks a child for each run: the child calls the command's
own entry point (`xiaoan_cli.app.main`, what the installed `xiaoan` script calls) with the
given arguments, its standard output to /dev/null and its standard error to a file, and exits
with the command's exit status. Each run is a process of its own that the test can SIGKILL; it
differs from a fresh `xiaoan` only in not importing the modules again (whatever the imports
wrote is written first to every run's output). It gets the test's environment and working
folder of the moment it starts, as a subprocess would.

The child forks from a process that has run no query: polars' and DuckDB's worker threads do
not exist yet there (the child starts its own), and the server refuses to fork when a thread
other than those at rest after the imports (jemalloc's background threads, polars' spill-folder
cleaner) is running.

    python -m tests.reliability_forks    # the server; the tests start it through Forks
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Threads an import leaves behind, idle: the allocator's background threads and polars' cleaner
# of its out-of-core spill folder. Any other thread could hold a lock at the fork.
RESTING_THREADS = ("jemalloc_bg_thd", "polars-ooc-clea")


class Forks:
    """A warmed `xiaoan` server; start(args, stderr) → Run. One run at a time (use one
    Forks per series of runs that go side by side). The server imports while the caller goes
    on: start it before preparing the runs' files."""

    def __init__(self):
        # Unbuffered: a line is read only when asked for, so select() sees whether the next one came.
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability_forks"], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)}, bufsize=0)
        self.current: Run | None = None
        self.ready = False  # the server imports meanwhile; the first start() waits for it

    def _wait_ready(self) -> None:
        if not self.ready:
            line = self._line(timeout=120)
            assert line == "ready", line
            self.ready = True

    def start(self, args: list[str], stderr: Path, stdout: Path | None = None) -> Run:
        """`xiaoan ARGS…` in a new process: its standard error to the file `stderr`, its
        standard output to the file `stdout` (default: /dev/null)."""
        self._wait_ready()
        request = {"args": args, "stderr": str(stderr), "stdout": str(stdout) if stdout else None,
                   "env": dict(os.environ), "cwd": os.getcwd()}  # the test's, as subprocess would pass them
        data = (json.dumps(request) + "\n").encode()
        while data:
            data = data[self.proc.stdin.write(data):]
        pid = int(self._line(timeout=30))
        self.current = Run(self, pid, stderr)
        return self.current

    def run(self, args: list[str], scratch: Path, timeout: float = 300) -> subprocess.CompletedProcess:
        """`xiaoan ARGS…` to its end, as subprocess.run(…, capture_output=True, text=True) gives it
        (its output goes through files in the folder `scratch`)."""
        out, err = scratch / "xiaoan.stdout", scratch / "xiaoan.stderr"
        returncode = self.start(args, err, out).wait(timeout)
        read = lambda path: path.read_text(encoding="utf-8", errors="replace")  # noqa: E731
        return subprocess.CompletedProcess(["xiaoan", *args], returncode, read(out), read(err))

    def _line(self, timeout: float | None) -> str | None:
        """The server's next line, or None when none came within `timeout` seconds."""
        if timeout is not None and not select.select([self.proc.stdout], [], [], timeout)[0]:
            return None
        line = self.proc.stdout.readline()  # (unbuffered: byte by byte, up to the newline)
        if not line:
            self.proc.wait()
            raise RuntimeError(f"the fork server stopped: {self.proc.stderr.read().decode(errors='replace')}")
        return line.decode().strip()

    def close(self) -> None:
        if self.current is not None and self.current.returncode is None and self.proc.poll() is None:
            self.current.kill()  # a test that failed midway leaves no run behind
        if self.proc.poll() is None:
            self.proc.stdin.close()  # the server ends at the end of its input
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for stream in (self.proc.stdout, self.proc.stderr):
            stream.close()

    def __enter__(self) -> Forks:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Run:
    """One run of the command in its own process (as subprocess.Popen, for what the tests use)."""

    def __init__(self, forks: Forks, pid: int, stderr: Path):
        self.forks, self.pid, self.stderr_path = forks, pid, stderr
        self.returncode: int | None = None
        try:  # a handle on this very process: a signal can never reach another one that got its pid
            self.pidfd: int | None = os.pidfd_open(pid)
        except ProcessLookupError:  # already ended and reaped: its exit status is on its way
            self.pidfd = None

    def wait(self, timeout: float | None = None) -> int:
        """The exit status (negative: killed by that signal); subprocess.TimeoutExpired when the
        run has not ended within `timeout` seconds."""
        if self.returncode is None:
            line = self.forks._line(timeout)
            if line is None:
                raise subprocess.TimeoutExpired(f"xiaoan (pid {self.pid})", timeout)
            self.returncode = int(line)
            self._close()
        return self.returncode

    def kill(self) -> int:
        """SIGKILL, then the exit status (0 when the run ended just before the signal)."""
        if self.returncode is None and self.pidfd is not None:
            try:
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
            except ProcessLookupError:
                pass  # it has ended: wait() returns how
        return self.wait(timeout=120)

    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def _close(self) -> None:
        if self.pidfd is not None:
            os.close(self.pidfd)
            self.pidfd = None


# ---------------------------------------------------------------- the server


def _other_threads() -> list[str]:
    """The names of this process's threads other than the main one."""
    names = []
    for task in os.listdir("/proc/self/task"):
        if int(task) != os.getpid():
            with open(f"/proc/self/task/{task}/comm", encoding="utf-8") as comm:
                names.append(comm.read().strip())
    return names


def _serve() -> None:
    # Import what the commands import (theirs are inside the command functions), catching what
    # the imports print: a fresh `xiaoan` would print it too.
    said: dict[int, bytes] = {}
    saved = {fd: os.dup(fd) for fd in (1, 2)}
    captured = {fd: tempfile.TemporaryFile() for fd in (1, 2)}
    for fd, handle in captured.items():
        os.dup2(handle.fileno(), fd)
    try:
        import pipelines.export.snapshot  # noqa: F401
        import pipelines.publish  # noqa: F401
        import pipelines.publish.receipts  # noqa: F401
        import pipelines.publish.rebuild  # noqa: F401
        from xiaoan_cli.app import main
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        for fd, handle in captured.items():
            os.dup2(saved[fd], fd)
            os.close(saved[fd])
            handle.seek(0)
            said[fd] = handle.read()
            handle.close()

    protocol_in, protocol_out = sys.stdin.buffer, os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 1)  # nothing but the protocol goes to the test
    os.write(protocol_out, b"ready\n")
    for line in protocol_in:
        request = json.loads(line)
        busy = [name for name in _other_threads() if name not in RESTING_THREADS]
        if busy:
            raise SystemExit(f"reliability_forks: threads running, cannot fork safely: {busy}")
        pid = os.fork()
        if pid == 0:
            os.close(protocol_out)
            _child(main, request, devnull, said)
        os.write(protocol_out, f"{pid}\n".encode())
        _, status = os.waitpid(pid, 0)
        os.write(protocol_out, f"{os.waitstatus_to_exitcode(status)}\n".encode())


def _child(main, request: dict, devnull: int, said: dict[int, bytes]) -> None:
    code = 1
    try:
        os.dup2(devnull, 0)
        for fd, path in ((1, request["stdout"]), (2, request["stderr"])):
            if path:
                opened = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                os.dup2(opened, fd)
                os.close(opened)
            else:
                os.dup2(devnull, fd)
        os.write(1, said[1])
        os.write(2, said[2])
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = ["xiaoan", *request["args"]]
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            if isinstance(exc.code, str):
                sys.stderr.write(exc.code + "\n")
    except BaseException:  # noqa: BLE001 - reported like Python's own top level does
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


if __name__ == "__main__":
    _serve()
