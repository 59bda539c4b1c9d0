"""The application as real processes for integration tests and benchmarks: the web server, a Celery worker and
beat against one database, broker and SMTP server; and HTTP as a reporter's script and a manager's mail client
use it.

Plain Python (no pytest, no Django import), so bench/ can use it too. The processes are in processes.py,
the SMTP server that records what arrives in smtp_sink.py.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path

from tests.integration.processes import PYTHON, Process, free_port, wait_until

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


def content_type_ids() -> dict:
    """The content types' ids by app and model (Django is imported here, in the test process only)."""
    from django.contrib.contenttypes.models import ContentType

    return {(app, model): pk for pk, app, model in ContentType.objects.values_list("pk", "app_label", "model")}


def started_for_this_test(stack: AppStack) -> AppStack:
    """Restart a stack kept across tests when emptying the database between them renumbered the content
    types: its processes cache their ids (the audit trail writes them), and a stale id fails the insert."""
    current = content_type_ids()
    if getattr(stack, "content_types", None) not in (None, current):
        stack.stop()
        stack.start()
    stack.content_types = current
    return stack


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
