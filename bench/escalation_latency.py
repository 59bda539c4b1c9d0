"""Escalation latency: an incident filed over HTTP until its first notification is accepted by SMTP.

Runs the real stack in its own temporary folder: gunicorn (2 sync workers, DEBUG off), a
Celery worker (-c 2) and beat on a private redis-server (AOF, as in production), an SMTP server in
this process, and a fresh SQLite (default) or PostgreSQL database. See bench/README.md.
"""

from __future__ import annotations

import argparse
import math
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.integration.processes import RedisServer, port_open, wait_until  # noqa: E402
from tests.integration.smtp_sink import SmtpSink  # noqa: E402
from tests.integration.stack import AppStack, file_incident  # noqa: E402

SECRET_KEY = secrets.token_urlsafe(50)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def create_postgres_database(admin_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + "/" + name


def drop_postgres_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare_database(database_url: str, var_dir: Path) -> str:
    """Migrate, then create the directory, a team with its manager, the reporter and her API token."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="project.settings",
        DATABASE_URL=database_url,
        MISSEND_VAR_DIR=str(var_dir),
        SECRET_KEY=SECRET_KEY,
        DEBUG="0",
        HTTPS="0",
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    from decimal import Decimal

    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connections
    from rest_framework.authtoken.models import Token

    from incidents.models import EscalationPolicy, MailDomain, Organisation, Team

    call_command("migrate", verbosity=0)
    for name, kind, domain in (
        ("OurCo", "internal", "ourco.com"),
        ("Acme Trading", "client", "acme-trading.com"),
        ("Globex China", "client", "globex.com.cn"),
    ):
        MailDomain.objects.create(organisation=Organisation.objects.create(name=name, kind=kind), domain=domain)
    team = Team.objects.create(name="Export Sales")
    reporter = User.objects.create_user("erin", "erin@ourco.com", "bench-password-erin")
    manager = User.objects.create_user("max", "max@ourco.com", "bench-password-max")
    reporter.groups.add(Group.objects.get(name="Employee"))
    manager.groups.add(Group.objects.get(name="Manager"))
    team.members.add(reporter)
    team.managers.add(manager)
    # Only the first level is measured: make the later ones wait long enough never to fire.
    for policy in EscalationPolicy.objects.all():
        policy.levels.update(delay_minutes=Decimal(600))
    token = Token.objects.create(user=reporter).key
    connections.close_all()
    return token


def measure(
    base_url: str, token: str, sink: SmtpSink, *, incidents: int, warmup: int = 10, rate: float = 0, label: str = "B"
) -> dict:
    """File `warmup` incidents (not counted), then `incidents` more over HTTP with the reporter's token
    (each as soon as the last answered, or `rate` a second), and wait for each one's first email in the
    sink. Seconds: the whole latency, the HTTP request, and from the response to the email."""

    def file_many(count: int, prefix: str) -> list[tuple[int, float, float]]:
        filed = []
        start = time.monotonic()
        for number in range(count):
            if rate:
                pause = start + number / rate - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
            before = time.monotonic()
            incident = file_incident(base_url, token, f"Quote {prefix}-{number}")
            filed.append((incident["id"], before, time.monotonic()))
        return filed

    def first_arrivals(filed) -> dict[int, float]:
        wanted = {incident_id for incident_id, _, _ in filed}

        def all_arrived():
            first: dict[int, float] = {}
            for message in sink.snapshot():
                if message.incident_id in wanted and message.incident_id not in first:
                    first[message.incident_id] = message.arrived_monotonic
            return first if len(first) == len(wanted) else None

        return wait_until(all_arrived, timeout=120, interval=0.1, what="every first notification")

    if warmup:
        first_arrivals(file_many(warmup, f"{label}W"))
    started = time.monotonic()
    filed = file_many(incidents, label)
    arrivals = first_arrivals(filed)
    elapsed = time.monotonic() - started
    return {
        "latency": [arrivals[i] - before for i, before, _ in filed],
        "response": [after - before for _, before, after in filed],
        "after_response": [arrivals[i] - after for i, _, after in filed],
        "per_second": len(filed) / elapsed,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=10, help="incidents filed first and not counted")
    parser.add_argument(
        "--rate",
        type=float,
        default=0,
        help="incidents per second (open loop); 0 files each as soon as the last answered",
    )
    parser.add_argument(
        "--postgres",
        metavar="ADMIN_URL",
        nargs="?",
        const="postgres://postgres@127.0.0.1:5432/postgres",
        help="use a fresh PostgreSQL database on this server (default: a SQLite file)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs) afterwards")
    args = parser.parse_args()

    if not RedisServer.available():
        print("redis-server is not installed (apt-get install redis-server)", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="missend-bench-"))
    pg_name = f"missend_bench_{os.getpid()}"
    if args.postgres:
        host_port = args.postgres.split("@")[-1].split("/")[0]
        if not port_open(host_port.split(":")[0], int(host_port.split(":")[1] if ":" in host_port else 5432)):
            print(f"PostgreSQL is not reachable at {host_port}", file=sys.stderr)
            return 2
        database_url = create_postgres_database(args.postgres, pg_name)
    else:
        database_url = f"sqlite:///{work / 'bench.sqlite3'}"
    redis = RedisServer(work / "redis")
    sink = SmtpSink()
    stack = None
    try:
        token = prepare_database(database_url, work / "var")
        redis.start()
        sink.start()
        stack = AppStack(
            database_url=database_url,
            broker_url=redis.url(),
            smtp_port=sink.port,
            var_dir=work / "var",
            secret_key=SECRET_KEY,
            sweep_seconds=15,
            redrive_seconds=20,
            sending_stale_seconds=120,
            extra_env={"LOG_LEVEL": "WARNING"},
            web_server="gunicorn",
        ).start()
        engine = "PostgreSQL" if args.postgres else "SQLite"
        print(
            f"stack up: gunicorn (2 workers) + celery worker -c 2 + beat, redis-server (AOF), {engine}, "
            "aiosmtpd in-process"
        )

        result = measure(stack.base_url, token, sink, incidents=args.incidents, warmup=args.warmup, rate=args.rate)
        pace = f"{args.rate:g}/s" if args.rate else "back to back"
        print(
            f"{args.incidents} incidents filed over HTTP ({pace}), "
            f"after {args.warmup} warm-up incidents; {result['per_second']:.1f} incidents/s end to end"
        )
        for label, values in (
            ("filed -> first email accepted by SMTP", result["latency"]),
            ("  of which the HTTP request", result["response"]),
            ("  of which response -> SMTP", result["after_response"]),
        ):
            print(
                f"{label:40} p50 {statistics.median(values) * 1000:7.1f} ms   "
                f"p95 {percentile(values, 95) * 1000:7.1f} ms   p99 {percentile(values, 99) * 1000:7.1f} ms   "
                f"max {max(values) * 1000:7.1f} ms"
            )
        return 0
    finally:
        if stack is not None:
            stack.stop()
        sink.stop()
        redis.stop()
        if args.postgres:
            from django.db import connections

            connections.close_all()
            drop_postgres_database(args.postgres, pg_name)
        if args.keep:
            print(f"logs and data kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
