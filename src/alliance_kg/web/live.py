"""A live ``alliance-kg serve`` in a subprocess, for the tests and benchmarks that talk HTTP
to the real server.

The server runs in its own process group on a free port; ``LiveServer.start`` returns once a
query answers, and ``stop`` ends the whole group (master and workers) whatever state it is
in. Use it as a context manager so a failing test still stops it.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

READY_QUERY = "ASK {}"


def free_port() -> int:
    """A TCP port nothing listens on right now (the server binds it a moment later)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """``alliance-kg serve ARGS`` on 127.0.0.1 and a free port."""

    #: How long ``with LiveServer(...)`` waits for the first answer.
    ready_timeout = 30.0

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        self.args = list(args)
        self.env = {**os.environ, **(env or {})}
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self.ready_seconds = 0.0  # from start to the first answer
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (the server's life; closed on exit)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def endpoint(self) -> str:
        return f"{self.url}/sparql"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self, timeout: float = 30.0) -> LiveServer:
        """Start the server and wait until it answers a query; raise with its log if not."""
        self.port = free_port()
        started = time.perf_counter()
        command = [sys.executable, "-m", "alliance_kg.cli", "serve", *self.args]
        command += ["--host", "127.0.0.1", "--port", str(self.port)]
        self.proc = subprocess.Popen(
            command,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env=self.env,
            start_new_session=True,  # its own process group, so stop() reaches the workers
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.output()}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                status, _, _ = self.request("GET", "/sparql?" + query_string(READY_QUERY))
                if status == 200:
                    self.ready_seconds = time.perf_counter() - started
                    return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server not ready after {timeout} s:\n{self.output()}")

    def stop(self) -> None:
        """End the master and its workers: SIGTERM to the group, SIGKILL if it lingers."""
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)  # workers the master left behind

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")

    def __enter__(self) -> LiveServer:
        return self.start(self.ready_timeout)

    def __exit__(self, *exc) -> None:
        self.stop()
        self.log.close()

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 30.0,
    ) -> tuple[int, dict[str, str], bytes]:
        """One HTTP request on a fresh connection, sent exactly as given.

        Returns status, headers (lower-case names) and body.
        """
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            data = response.read()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, data
        finally:
            conn.close()

    def wait_for_workers(self, count: int, timeout: float = 10.0) -> dict[int, int]:
        """The workers once there are ``count`` of them (gunicorn starts them one by one)."""
        deadline = time.monotonic() + timeout
        while len(workers := self.workers()) != count and time.monotonic() < deadline:
            time.sleep(0.05)
        return workers

    def workers(self) -> dict[int, int]:
        """The master's live child processes: pid -> CPU ticks used so far (user + system)."""
        return {
            pid: ticks
            for pid, ppid, state, ticks in processes()
            if ppid == self.pid and state != "Z"
        }

    def tree(self) -> dict[int, int]:
        """The master and its workers: pid -> CPU ticks used so far."""
        master = {pid: ticks for pid, _, _, ticks in processes() if pid == self.pid}
        return {**master, **self.workers()}

    def memory(self) -> dict[str, float]:
        """Resident and peak resident memory (MiB), summed over master and workers.

        The workers share the data the master loaded before forking, so the sum counts
        shared pages once per process: it overstates the machine's use, evenly before and
        after a load, which is what a before/after comparison needs.
        """
        rss = hwm = 0
        for pid in self.tree():
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        rss += int(line.split()[1])
                    elif line.startswith("VmHWM:"):
                        hwm += int(line.split()[1])
        return {"rss_mib": round(rss / 1024, 1), "peak_rss_mib": round(hwm / 1024, 1)}


def query_string(query: str, **params: str) -> str:
    return urllib.parse.urlencode({"query": query, **params})


def processes() -> list[tuple[int, int, str, int]]:
    """(pid, parent pid, state, CPU ticks) of every process, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # it exited meanwhile
            continue
        # The command name (field 2) may hold spaces; the fields after it are plain.
        fields = stat[stat.rindex(")") + 2 :].split()
        ticks = int(fields[11]) + int(fields[12])
        found.append((int(entry.name), int(fields[1]), fields[0], ticks))
    return found
