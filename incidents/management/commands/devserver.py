"""Serve the app and run a Celery worker (with beat) and the desk mail receiver beside it; Ctrl-C stops all."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.commands.runserver import naiveip_re

DEFAULT_ADDRPORT = "127.0.0.1:8000"
DEFAULT_MAIL_PORT = 8025
# A server listening on every interface is reached, from this machine at least, on loopback.
LOOPBACK_FOR_WILDCARD = {"0.0.0.0": "127.0.0.1", "0": "127.0.0.1", "[::]": "[::1]"}


def _stat(pid: int | str) -> list[str] | None:
    """/proc/PID/stat fields after the command name (which may hold spaces): state ppid pgrp ..."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def process_group_members() -> list[int]:
    """Other live processes in this process group, except our ancestors (make run's make is one).

    Linux /proc only; elsewhere none are known and nothing is waited for.
    """
    group, me = os.getpgrp(), os.getpid()
    ancestors, pid = set(), me
    while (fields := _stat(pid)) is not None and int(fields[1]) > 1:
        pid = int(fields[1])
        ancestors.add(pid)
    members = []
    for entry in Path("/proc").glob("[0-9]*"):
        fields = _stat(entry.name)
        pid = int(entry.name)
        if fields and pid != me and pid not in ancestors and int(fields[2]) == group and fields[0] != "Z":
            members.append(pid)
    return members


def stop_process_group_members(grace: float = 10.0) -> None:
    """Wait for what our children started to exit, then stop what is left: nothing outlives the server."""
    deadline = time.monotonic() + grace
    while process_group_members() and time.monotonic() < deadline:
        time.sleep(0.2)
    for pid in process_group_members():
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def site_url_for(addrport: str, environ: Mapping[str, str]) -> str:
    """The address emailed links point to: SITE_URL when set, else the one the server listens on."""
    configured = (environ.get("SITE_URL") or "").strip()
    if configured:
        return configured
    match = re.match(naiveip_re, addrport)
    if match is None:
        raise CommandError(f'"{addrport}" is not a valid port number or address:port pair.')
    host = match["addr"] or "127.0.0.1"
    return f"http://{LOOPBACK_FOR_WILDCARD.get(host, host)}:{match['port']}"


class Command(BaseCommand):
    help = "Run the development web server together with a Celery worker and beat and the desk mail receiver."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default=DEFAULT_ADDRPORT)
        parser.add_argument(
            "--mail-port",
            type=int,
            default=int(os.environ.get("MAIL_PORT") or DEFAULT_MAIL_PORT),
            help="Port of the desk mail receiver on 127.0.0.1 (default: MAIL_PORT, else 8025); 0 turns it off.",
        )

    def handle(self, *args, addrport: str, mail_port: int, **options):
        site_url = site_url_for(addrport, os.environ)
        # Links in emails must reach this server, in the web process and in the worker alike.
        settings.SITE_URL = site_url
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "project",
                "worker",
                "-B",
                "--loglevel",
                "INFO",
                "--concurrency",
                "2",
                "--hostname",
                "missend-dev@%h",
            ],
            env={**os.environ, "SITE_URL": site_url},
        )
        children = [worker]
        if mail_port:
            # Loopback only: a trial setup must not take mail from the network.
            children.append(
                subprocess.Popen(
                    [sys.executable, "manage.py", "receive_mail", "--host", "127.0.0.1", "--port", str(mail_port)],
                    env={**os.environ, "SITE_URL": site_url},
                    cwd=settings.BASE_DIR,
                )
            )
        # SIGTERM from a supervisor should stop the worker too, not orphan it.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            call_command("runserver", addrport, use_reloader=False)
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                child.terminate()
            for child in children:
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()
            # A Ctrl-C while the worker boots can leave its beat or pool process behind it.
            stop_process_group_members()
