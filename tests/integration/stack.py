"""Real processes for integration tests and benchmarks: the web server, a Celery worker and beat,
a redis-server we may kill, and an in-process SMTP server that records what arrives.

Plain Python (no pytest, no Django import), so bench/ can use it too. Every process starts in its
own session and is stopped by killing its whole process group.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
# Variables of the calling process that must not leak into the app's processes.
_NOT_INHERITED = (
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "EMAIL_BACKEND",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "PYTEST_CURRENT_TEST",
    "PYTEST_XDIST_WORKER",
    "PYTEST_XDIST_WORKER_COUNT",
    "PYTEST_XDIST_TESTRUNUID",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


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


# ---------------------------------------------------------------------------------------------------
# Processes


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


# ---------------------------------------------------------------------------------------------------
# SMTP sink


@dataclass
class Received:
    message_id: str
    incident_id: int | None
    to: list[str]
    subject: str
    text: str
    arrived: float  # time.time(), comparable with database timestamps
    arrived_monotonic: float


class SmtpSink:
    """aiosmtpd on a free loopback port, in this process; records each message as it is accepted."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.messages: list[Received] = []
        self._changed = threading.Condition()
        self._controller = None

    async def handle_DATA(self, server, session, envelope):
        arrived, arrived_monotonic = time.time(), time.monotonic()
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        incident = message.get("X-Missend-Incident")
        received = Received(
            message_id=str(message.get("Message-ID", "")).strip(),
            incident_id=int(incident) if incident and incident.isdigit() else None,
            to=list(envelope.rcpt_tos),
            subject=str(message.get("Subject", "")),
            text=body.get_content() if body is not None else "",
            arrived=arrived,
            arrived_monotonic=arrived_monotonic,
        )
        with self._changed:
            self.messages.append(received)
            self._changed.notify_all()
        return "250 Message accepted for delivery"

    def start(self) -> SmtpSink:
        from aiosmtpd.controller import Controller

        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def snapshot(self) -> list[Received]:
        with self._changed:
            return list(self.messages)

    def for_incident(self, incident_id: int) -> list[Received]:
        return [m for m in self.snapshot() if m.incident_id == incident_id]

    def wait_for(self, condition: Callable[[list[Received]], object], *, timeout: float, what: str):
        """Wait (woken by each arrival) until condition(messages so far) is truthy; return its value."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                value = condition(list(self.messages))
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(
                        f"gave up after {timeout:.0f} s waiting for {what}; {len(self.messages)} messages arrived"
                    )
                self._changed.wait(min(remaining, 0.5))


# ---------------------------------------------------------------------------------------------------
# The application: web server, worker and beat against one database, broker and SMTP server


@dataclass
class AppStack:
    database_url: str
    broker_url: str
    smtp_port: int
    var_dir: Path
    secret_key: str
    web_port: int = field(default_factory=free_port)
    sweep_seconds: float = 1
    redrive_seconds: float = 3
    sending_stale_seconds: float = 5
    extra_env: dict = field(default_factory=dict)
    # "runserver" (threaded, one database connection per request thread) or "gunicorn" (sync workers).
    web_server: str = "runserver"
    web_workers: int = 2
    web: Process | None = None
    worker: Process | None = None
    beat: Process | None = None
    workers_started: int = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def env(self) -> dict:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in _NOT_INHERITED and not (k.startswith("MISSEND_") and k != "MISSEND_REQUIRE_SERVICES")
        }
        env.update(
            DJANGO_SETTINGS_MODULE="project.settings",
            DATABASE_URL=self.database_url,
            CELERY_BROKER_URL=self.broker_url,
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(self.smtp_port),
            EMAIL_TIMEOUT="10",
            SITE_URL=self.base_url,
            MISSEND_SWEEP_SECONDS=str(self.sweep_seconds),
            MISSEND_REDRIVE_SECONDS=str(self.redrive_seconds),
            MISSEND_SENDING_STALE_SECONDS=str(self.sending_stale_seconds),
            MISSEND_RETRY_BASE_SECONDS="1",
            MISSEND_VAR_DIR=str(self.var_dir),
            # Production-like (no DEBUG query log in the worker) but on plain HTTP.
            DEBUG="0",
            HTTPS="0",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SECRET_KEY=self.secret_key,  # one key for all: the web server checks links the worker signed
            PYTHONUNBUFFERED="1",
        )
        env.update(self.extra_env)
        return env

    def _process(self, name: str, argv: list[str]) -> Process:
        self.var_dir.mkdir(parents=True, exist_ok=True)
        return Process(name, argv, env=self.env(), log_path=self.var_dir / f"{name}.log")

    def start_web(self, timeout: float = 60) -> None:
        if self.web_server == "gunicorn":
            argv = [
                PYTHON,
                "-m",
                "gunicorn",
                "project.wsgi",
                "--workers",
                str(self.web_workers),
                "--bind",
                f"127.0.0.1:{self.web_port}",
                "--log-level",
                "warning",
            ]
        else:
            argv = [PYTHON, "manage.py", "runserver", f"127.0.0.1:{self.web_port}", "--noreload", "--skip-checks"]
        self.web = self._process("web", argv).start()

        def answers():
            if not self.web.alive:
                raise RuntimeError(f"web server exited:\n{self.web.log()[-3000:]}")
            try:
                with urllib.request.urlopen(self.base_url + "/login/", timeout=2) as response:
                    return response.status == 200
            except OSError:
                return False

        wait_until(answers, timeout=timeout, interval=0.1, what="the web server to answer")

    def start_worker(self, *, wait: bool = True, timeout: float = 60) -> None:
        self.workers_started += 1
        self.worker = self._process(
            "worker",
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "project",
                "worker",
                "--concurrency",
                "2",
                "--loglevel",
                "INFO",
                "--hostname",
                f"missend-test-{os.getpid()}-{self.workers_started}@%h",
                "--without-mingle",
                "--without-gossip",
            ],
        ).start()
        if wait:
            self.worker.wait_for_log(r"\bready\.", timeout=timeout)

    def start_beat(self, timeout: float = 60) -> None:
        self.beat = self._process(
            "beat",
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "project",
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                str(self.var_dir / "celerybeat-schedule"),
            ],
        ).start()
        self.beat.wait_for_log(r"beat: Starting", timeout=timeout)

    def start(self) -> AppStack:
        self.start_web()
        self.start_worker()
        self.start_beat()
        return self

    def stop(self) -> None:
        for process in (self.beat, self.worker, self.web):
            if process is not None:
                process.stop()

    def sweeps_done(self) -> int:
        """Sweeps the current worker has finished (counted in its log)."""
        if self.worker is None:
            return 0
        return len(re.findall(r"Task incidents\.sweep_escalations\[[^\]]+\] succeeded", self.worker.log()))

    def logs(self) -> str:
        parts = []
        for process in (self.web, self.worker, self.beat):
            if process is not None:
                parts.append(f"--- {process.name} (last 3000 characters) ---\n{process.log(since_start=False)[-3000:]}")
        return "\n".join(parts)


# ---------------------------------------------------------------------------------------------------
# HTTP, as a reporter's script and a manager's mail client would use it


def api_post(base_url: str, path: str, payload: dict, *, token: str, timeout: float = 30) -> tuple[int, dict]:
    request = urllib.request.Request(
        base_url + path,
        data=json.dumps(payload).encode(),
        method="POST",
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json", "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, {"error": error.read().decode(errors="replace")[:2000]}


ACK_LINK = re.compile(r"https?://[^\s]+/ack/[^\s/]+/")
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def ack_link_in(text: str) -> str:
    found = ACK_LINK.search(text)
    if not found:
        raise AssertionError(f"no acknowledge link in the email:\n{text}")
    return found.group(0)


class Browser:
    """Keeps cookies between requests, as a mail client's browser does (urllib with a cookie jar)."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, url: str) -> tuple[int, str]:
        try:
            with self.opener.open(url, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def submit_form(self, url: str, page: str, fields: dict | None = None) -> tuple[int, str]:
        """POST the page's form back to url with its CSRF token, as clicking its button does."""
        token = CSRF_FIELD.search(page)
        if not token:
            raise AssertionError(f"no form with a CSRF token on the page:\n{page[:3000]}")
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), **(fields or {})}).encode()
        request = urllib.request.Request(url, data=data, method="POST", headers={"Referer": url})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")


def high_severity_payload(subject: str = "Quote Q-1") -> dict:
    """A quotation for Acme sent to Globex instead: severity high, routed to the reporter's managers
    (with OurCo internal ourco.com, Acme client acme-trading.com and Globex client globex.com.cn)."""
    from datetime import datetime, timedelta

    return {
        "subject": subject,
        "sent_at": (datetime.now(UTC) - timedelta(minutes=5)).isoformat(),
        "mail_system": "gmail",
        "sender": "erin@ourco.com",
        "recipients": [{"address": "li.wei@globex.com.cn", "field": "to"}],
        "intended_recipients": ["buyer@acme-trading.com"],
        "problems": ["wrong_recipient"],
        "attachments": [f"Quotation_{subject.split()[-1]}.pdf"],
    }


def file_incident(base_url: str, token: str, subject: str = "Quote Q-1") -> dict:
    status, body = api_post(base_url, "/api/incidents/", high_severity_payload(subject), token=token)
    if status != 201:
        raise AssertionError(f"filing an incident answered {status}: {body}")
    return body
