"""Processes for integration tests and benchmarks: one subprocess (and its children) in its own session,
stopped by killing its whole process group; a redis-server we may kill; free ports and waiting.

Plain Python (no pytest, no Django import), so bench/ can use it too.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def wait_until(condition: Callable[[], object], *, timeout: float, interval: float = 0.05, what: str = "condition"):
    """Poll until condition() is truthy and return its value; raise TimeoutError naming what at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise TimeoutError(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def _running_in_group(pgid: int) -> bool:
    """Whether any process of the group is still running (zombies waiting for init do not count)."""
    proc = Path("/proc")
    if not proc.is_dir():
        try:
            os.killpg(pgid, 0)
            return True
        except ProcessLookupError:
            return False
    for stat in proc.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


class Process:
    """One subprocess (and its children) in its own session, its output in a log file."""

    def __init__(self, name: str, argv: list[str], *, env: dict, log_path: Path):
        self.name, self.argv, self.env, self.log_path = name, argv, env, log_path
        self.popen: subprocess.Popen | None = None
        self._log_offset = 0

    def start(self) -> Process:
        log = open(self.log_path, "ab")  # noqa: SIM115 - the child keeps it; closed in stop()
        self._log_offset = self.log_path.stat().st_size
        self._log = log
        self.popen = subprocess.Popen(
            self.argv,
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    @property
    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def log(self, *, since_start: bool = True) -> str:
        try:
            with open(self.log_path, "rb") as handle:
                if since_start:
                    handle.seek(self._log_offset)
                return handle.read().decode(errors="replace")
        except FileNotFoundError:
            return ""

    def wait_for_log(self, pattern: str, *, timeout: float) -> None:
        def seen():
            if self.popen is not None and self.popen.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.popen.returncode}:\n{self.log()[-3000:]}")
            return re.search(pattern, self.log())

        try:
            wait_until(seen, timeout=timeout, interval=0.1, what=f"{self.name} to log {pattern!r}")
        except TimeoutError as error:
            raise TimeoutError(f"{error}\n--- {self.name} log ---\n{self.log()[-3000:]}") from None

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the whole process group (a Celery worker's pool children too) and reap the leader."""
        if self.popen is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, sig)
        try:
            self.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=10)
        # Children outlive their leader for a moment; make sure none is left running in the group.
        deadline = time.monotonic() + 10
        while _running_in_group(self.popen.pid) and time.monotonic() < deadline:
            try:
                os.killpg(self.popen.pid, signal.SIGKILL)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        self._log.close()

    def stop(self, grace: float = 3.0) -> None:
        """SIGTERM, then SIGKILL after a grace period: never leaves a process behind."""
        if self.popen is None:
            return
        if self.popen.poll() is None:
            try:
                os.killpg(self.popen.pid, signal.SIGTERM)
                self.popen.wait(timeout=grace)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
        self.kill(signal.SIGKILL)


class RedisServer:
    """A private redis-server on a free port, with AOF persistence, that a test may kill and restart."""

    def __init__(self, directory: Path, port: int | None = None):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.process: Process | None = None
        self.starts = 0

    @staticmethod
    def available() -> bool:
        return shutil.which("redis-server") is not None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self, timeout: float = 10) -> RedisServer:
        argv = [
            shutil.which("redis-server") or "redis-server",
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(self.directory),
            "--appendonly",
            "yes",
            "--appendfsync",
            "everysec",
            "--save",
            "",
            "--daemonize",
            "no",
            "--protected-mode",
            "yes",
        ]
        self.starts += 1
        self.process = Process(
            f"redis-server#{self.starts}", argv, env=dict(os.environ), log_path=self.directory / "redis.log"
        ).start()
        self.process.wait_for_log(r"Ready to accept connections", timeout=timeout)
        return self

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill(signal.SIGKILL)

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop(grace=2)
