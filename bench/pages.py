"""Page speed at volume: seed N incidents, serve with gunicorn (2 workers), and measure every list page.

For each page it prints the throughput of a closed loop (as many requests as the server answers,
CONCURRENCY at a time, for SECONDS), the ratio to a trivial view measured in the same run with the
same session cookie, p50/p95/p99 latency at a fixed RATE of requests a second (an open loop: a
request is due every 1/RATE s whether or not the previous one answered, so a slow page shows as
queueing, not as a politely lower rate), and the errors (answers other than 200/201, broken
connections) of both loops. bench/run.py (`make bench`) calls the same functions.

    .venv/bin/python bench/pages.py                       # SQLite, 100,000 incidents
    .venv/bin/python bench/pages.py --postgres            # a fresh PostgreSQL database on 127.0.0.1
    .venv/bin/python bench/pages.py --incidents 10000 --seconds 5

Run on demand; not part of `make test`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.http_load import PASSWORD, closed_loop, log_in, open_loop, percentile, wait_for_port  # noqa: E402

PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The load generator is one user asking hundreds of times a second: measure the pages, not the per-user
# API throttle (600 requests a minute by default), which would answer most of them 429.
UNTHROTTLED = {"MISSEND_API_USER_RATE": "100000000/min", "MISSEND_API_ANON_RATE": "100000000/min"}


def analyze(database_url: str) -> float:
    """Statistics for the planner, as a database in use has (autovacuum on PostgreSQL): one just loaded has
    none, and every list would be planned blind. Answers the seconds it took."""
    started = time.monotonic()
    if database_url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as conn:
            conn.execute("ANALYZE")
    else:
        import psycopg

        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
    return time.monotonic() - started


def manage(env: dict, *args: str, quiet: bool = False) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=None if not quiet else subprocess.DEVNULL,
        check=True,
    )
    return done.stdout


PICK_USERS = """
from django.contrib.auth.models import User
from incidents.models import Incident, Notification, Team
from incidents.vocabulary import Role
def first(**kw):
    return User.objects.filter(is_active=True, **kw).order_by("pk").first()
manager = Team.objects.exclude(managers=None).order_by("pk").first().managers.order_by("pk").first()
legal = first(groups__name=Role.LEGAL)
employee = User.objects.filter(reported_incidents__isnull=False, groups__name=Role.EMPLOYEE).order_by("pk").first()
for user in (manager, legal, employee):
    user.set_password("%(password)s")
    user.save(update_fields=["password"])
incident = Incident.objects.filter(reporter=employee).order_by("-created_at").first()
print(employee.username, manager.username, legal.username, incident.pk, Incident.objects.count())
"""


def pick_users(env: dict) -> tuple[str, str, str, int, int]:
    """An employee with reports, a team's manager and a legal user (their password set to PASSWORD), the
    employee's newest incident and how many incidents there are."""
    picked = manage(env, "shell", "-c", PICK_USERS % {"password": PASSWORD}).strip().splitlines()[-1]
    employee, manager, legal, incident, total = picked.split()
    return employee, manager, legal, int(incident), int(total)


# A report as the API takes it: a quotation sent to the wrong client (assessed high, escalated).
REPORT = {
    "subject": "Quotation Q-7 for Acme: unit price USD 12.50",
    "sent_at": "2026-11-02T09:30:00Z",
    "mail_system": "gmail",
    "sender": "bench@ourco.example",
    "recipients": [{"address": "li.wei@globex.com.cn", "field": "to"}],
    "intended_recipients": ["buyer@acme-trading.com"],
    "problems": ["wrong_recipient"],
    "attachments": ["Quotation_Q-7.pdf"],
}
TRIVIAL = "trivial view (/health/)"


def pages_of(incident: int) -> list[tuple[str, str, str, dict | None]]:
    """(name, who, path, JSON body to POST or None) of every page measured; the trivial view first."""
    return [
        (TRIVIAL, "employee", "/health/", None),
        ("employee incident list", "employee", "/incidents/", None),
        ("employee API list", "employee", "/api/incidents/", None),
        ("manager incident list", "manager", "/incidents/", None),
        (
            "manager list, high and critical, searched",
            "manager",
            "/incidents/?severity=high&severity=critical&q=quotation",
            None,
        ),
        (
            "manager list, one factor, sorted by severity",
            "manager",
            "/incidents/?factor=wrong_client&sort=-severity",
            None,
        ),
        ("manager triage", "manager", "/incidents/triage/", None),
        ("legal review", "legal", "/incidents/legal/", None),
        ("legal review, resolved", "legal", "/incidents/legal/?status=resolved", None),
        ("manager inbox", "manager", "/incidents/inbox/", None),
        ("manager dashboard", "manager", "/incidents/dashboard/", None),
        ("incident detail", "employee", f"/incidents/{incident}/", None),
        ("API detail", "employee", f"/api/incidents/{incident}/", None),
        ("filing a report (API POST)", "employee", "/api/incidents/", REPORT),
    ]


def log_in_all(port: int, employee: str, manager: str, legal: str) -> dict[str, str]:
    return {who: log_in(port, name) for who, name in (("employee", employee), ("manager", manager), ("legal", legal))}


def measure_pages(
    port: int,
    cookies: dict[str, str],
    pages,
    *,
    seconds: float,
    rate: float,
    concurrency: int,
    warmup: float,
    on_row=None,
) -> list[dict]:
    """Each page: closed-loop req/s, the ratio to the first page (the trivial view), p50/p95/p99 ms at
    `rate` req/s and the failed requests of both loops; `on_row(row)` is called as each is done."""
    rows, trivial = [], None
    for name, who, path, body in pages:
        # Warm both workers first: a fresh process is slower for its first hundred or so requests of a
        # page (its copies of the directory and the sentences, the cached filter form, SQLite's page
        # cache, Python's own specialisation); the table is about a server that has been running.
        closed_loop(port, cookies[who], path, warmup, concurrency, body)
        throughput, failed = closed_loop(port, cookies[who], path, seconds, concurrency, body)
        trivial = trivial or throughput
        latencies, late_failed = open_loop(port, cookies[who], path, seconds, rate, body)
        row = {
            "name": name,
            "rate": throughput,
            "ratio": throughput / trivial,
            "p50": statistics.median(latencies),
            "p95": percentile(latencies, 0.95),
            "p99": percentile(latencies, 0.99),
            "errors": failed + late_failed,
            "requests": int(throughput * seconds) + len(latencies),
        }
        rows.append(row)
        if on_row is not None:
            on_row(row)
    return rows


def table_row(row: dict) -> str:
    return (
        f"| {row['name']} | {row['rate']:.1f} | {row['ratio']:.0%} | {row['p50']:.1f} | {row['p95']:.1f} | "
        f"{row['p99']:.1f} | {row['errors']} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--postgres", action="store_true", help="a fresh database on 127.0.0.1:5432 (user postgres)")
    parser.add_argument("--seconds", type=float, default=8.0, help="per page and loop (default 8)")
    parser.add_argument("--rate", type=float, default=50.0, help="fixed request rate for latencies (default 50/s)")
    parser.add_argument("--concurrency", type=int, default=4, help="closed-loop clients (default 4)")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of unmeasured requests per page (default 2)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (and database)")
    parser.add_argument(
        "--database",
        metavar="URL",
        help="measure an existing database (migrated, not seeded, not dropped), e.g. one kept by --keep",
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="missend-bench-pages-"))
    env = {
        **os.environ,
        "MISSEND_VAR_DIR": str(work),
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "x" * 40,
        "HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "project.settings",
        **UNTHROTTLED,
    }
    database = f"missend_bench_pages_{os.getpid()}"
    if args.database:
        env["DATABASE_URL"] = args.database
    elif args.postgres:
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", database], check=True)
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    server = None
    try:
        manage(env, "migrate", "--noinput", quiet=True)
        if not args.database:
            seeding = time.monotonic()
            manage(env, "seed_volume", "--incidents", str(args.incidents))
            print(f"seeded {args.incidents} incidents in {time.monotonic() - seeding:.0f} s", flush=True)
        print(f"analysed for the planner in {analyze(env['DATABASE_URL']):.0f} s", flush=True)
        employee, manager, legal, incident, total = pick_users(env)
        port = free_port()
        server = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "project.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        wait_for_port(port)
        cookies = log_in_all(port, employee, manager, legal)
        backend = "SQLite" if env["DATABASE_URL"].startswith("sqlite") else "PostgreSQL"
        print(
            f"\n{total:,} incidents, {backend}, gunicorn 2 workers; closed loop x{args.concurrency}, "
            f"latency at {args.rate:g} req/s, {args.seconds:g} s each\n"
        )
        print("| page | req/s | ratio to trivial | p50 ms | p95 ms | p99 ms | errors |")
        print("|---|---|---|---|---|---|---|")
        measure_pages(
            port,
            cookies,
            pages_of(incident),
            seconds=args.seconds,
            rate=args.rate,
            concurrency=args.concurrency,
            warmup=args.warmup,
            on_row=lambda row: print(table_row(row), flush=True),
        )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if args.database:
            shutil.rmtree(work, ignore_errors=True)
        elif args.keep:
            print(f"kept {work}" + (f" and database {database}" if args.postgres else ""))
        else:
            shutil.rmtree(work, ignore_errors=True)
            if args.postgres:
                subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", database], check=False)


if __name__ == "__main__":
    main()
