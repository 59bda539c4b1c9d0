"""`make bench`: every benchmark in bench/ against one PostgreSQL database seeded with 100,000 incidents,
served as in production, and one table of the results.

One throwaway database `missend_bench_<pid>` on 127.0.0.1:5432 (user postgres) is migrated and seeded
with `manage.py seed_volume` (or `--database URL` measures one already seeded); a private redis-server
(AOF), gunicorn (2 sync workers, DEBUG off), a Celery worker (-c 2) and beat, the hold relay, and two SMTP
servers in this process (the one the app sends to, and the relay's upstream). Then, in order:

1. pages: every page and API (bench/pages.py): req/s in a closed loop, the ratio to the trivial view,
   p50/p95/p99 at a fixed rate, errors;
2. filing over HTTP to the first email accepted by SMTP (bench/escalation_latency.py);
3. the assessment engine on one core with 50 KB English/Chinese bodies (bench/assessment.py);
4. parsing a 10 MB .eml (bench/parse_message.py);
5. the hold relay: a burst, and the latency it adds beyond the hold (bench/hold_relay.py);
6. the ceiling (closed-loop req/s of a mix of the pages, filing included) and a soak at half of it,
   sampling the resident memory of the gunicorn workers and the Celery worker (bench/soak.py).

The table is printed and written to var/bench/latest.md. Everything started is stopped at the end,
on an error and on Ctrl-C; the database is dropped unless `--keep` (or it was given with `--database`).

    .venv/bin/python bench/run.py            # the full run: seeding about 2 minutes, soak 10 minutes
    .venv/bin/python bench/run.py --quick    # 2,000 incidents, 1 s a page, 50 filings, a 30 s soak
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import assessment, escalation_latency, hold_relay, http_load, pages, parse_message, soak  # noqa: E402
from bench.escalation_latency import SECRET_KEY, create_postgres_database, drop_postgres_database  # noqa: E402
from bench.table import Table, machine, spread  # noqa: E402
from tests.integration.processes import Process, RedisServer, free_port, port_open  # noqa: E402
from tests.integration.smtp_sink import SmtpSink  # noqa: E402
from tests.integration.stack import AppStack  # noqa: E402

ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
OUTPUT = ROOT / "var" / "bench" / "latest.md"

# Sizes of the full run and of --quick (a smoke test of the whole driver in a few minutes).
FULL = dict(
    incidents=100_000,
    seconds=8.0,
    warmup=2.0,
    rate=50.0,
    concurrency=4,
    filings=500,
    filing_warmup=10,
    engine_seconds=10.0,
    parse_n=5,
    relay_burst=300,
    relay_steady=200,
    relay_rate=10.0,
    ceiling_seconds=10.0,
    soak_warmup=30.0,
    soak_seconds=600.0,
    sample_every=5.0,
)
QUICK = dict(
    incidents=2_000,
    seconds=1.0,
    warmup=0.5,
    rate=50.0,
    concurrency=4,
    filings=50,
    filing_warmup=5,
    engine_seconds=2.0,
    parse_n=1,
    relay_burst=30,
    relay_steady=20,
    relay_rate=10.0,
    ceiling_seconds=3.0,
    soak_warmup=5.0,
    soak_seconds=30.0,
    sample_every=2.0,
)

HOLD_SECONDS, RELAY_SWEEP = 5, 0.5
FILING_P95 = 0.200  # seconds, filing to the first email
RELAY_P95 = 1.0  # seconds added beyond the hold


# ---------------------------------------------------------------------------------------------------
# The data the benchmarks need beside the seeded years


def prepare_seeded() -> str:
    """The relay's directory and price floor where missing, and the reporter erin@ourco.com (an employee in
    a team with managers, so her high-severity reports go to them) with an API token; returns the token."""
    from django.contrib.auth.models import Group, User
    from django.db import connections
    from rest_framework.authtoken.models import Token

    from incidents.models import Team

    hold_relay.prepare_directory()
    user = User.objects.filter(email__iexact="erin@ourco.com").order_by("pk").first()
    if user is None:
        user = User.objects.create_user("bench-erin", "erin@ourco.com", "bench-password-erin")
    user.groups.add(Group.objects.get(name="Employee"))
    team = Team.objects.exclude(managers=None).order_by("pk").first()
    if team is None:
        raise SystemExit("the database has no team with a manager: seed it with manage.py seed_volume")
    team.members.add(user)
    token, _ = Token.objects.get_or_create(user=user)
    connections.close_all()
    return token.key


def settle(sink: SmtpSink, *, quiet: float = 3.0, timeout: float = 300.0) -> None:
    """Wait until no email has arrived for `quiet` seconds: the worker has sent what the last part filed."""
    deadline = time.monotonic() + timeout
    seen, since = len(sink.snapshot()), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.5)
        count = len(sink.snapshot())
        if count != seen:
            seen, since = count, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return


# ---------------------------------------------------------------------------------------------------


def run(args, sizes: dict, work: Path, database_url: str, table: Table) -> None:
    redis, sink, upstream = RedisServer(work / "redis"), SmtpSink(), SmtpSink()
    stack = AppStack(
        database_url=database_url,
        broker_url=redis.url(),
        smtp_port=sink.port,
        var_dir=work / "var",
        secret_key=SECRET_KEY,
        sweep_seconds=15,
        redrive_seconds=20,
        sending_stale_seconds=120,
        web_server="gunicorn",
        web_workers=2,
        extra_env={
            "LOG_LEVEL": "WARNING",
            "MISSEND_HOLD_SECONDS": str(HOLD_SECONDS),
            **pages.UNTHROTTLED,
            "MISSEND_RELAY_UPSTREAM": f"127.0.0.1:{upstream.port}",
            "MISSEND_RELAY_SWEEP_SECONDS": str(RELAY_SWEEP),
        },
    )
    env = stack.env()
    relay = None
    try:
        pages.manage(env, "migrate", "--noinput", quiet=True)
        if not args.database:
            seeding = time.monotonic()
            pages.manage(env, "seed_volume", "--incidents", str(sizes["incidents"]))
            print(f"seeded {sizes['incidents']:,} incidents in {time.monotonic() - seeding:.0f} s", flush=True)
        print(f"analysed for the planner in {pages.analyze(database_url):.0f} s", flush=True)
        employee, manager, legal, incident, total = pages.pick_users(env)

        os.environ.update(
            {
                key: env[key]
                for key in (
                    "DJANGO_SETTINGS_MODULE",
                    "DATABASE_URL",
                    "MISSEND_VAR_DIR",
                    "SECRET_KEY",
                    "DEBUG",
                    "HTTPS",
                    "ALLOWED_HOSTS",
                    "LOG_LEVEL",
                )
            }
        )
        import django

        django.setup()
        token = prepare_seeded()
        about = machine()

        redis.start()
        sink.start()
        upstream.start()
        stack.start()
        relay_port = free_port()
        relay = Process(
            "hold_relay",
            [sys.executable, "manage.py", "hold_relay", "--port", str(relay_port)],
            env=env,
            log_path=work / "var" / "hold_relay.log",
        ).start()
        relay.wait_for_log("Holding outgoing mail", timeout=60)
        started = datetime.now(UTC)
        mode = " --quick" if args.quick else ""
        heading = (
            f"`make bench`{mode} on {started:%Y-%m-%d %H:%M} UTC: {total:,} incidents "
            f"seeded, PostgreSQL; gunicorn 2 sync workers (DEBUG off), Celery worker -c 2 and beat on Redis "
            f"(AOF), the SMTP servers in the benchmark process; load generator on the same machine.\n"
            f"Machine: {about}."
        )
        print(f"\n{heading}\n\n{Table.HEADER}", flush=True)

        # 1. Pages
        cookies = pages.log_in_all(stack.web_port, employee, manager, legal)
        page_list = pages.pages_of(incident)
        for row in pages.measure_pages(
            stack.web_port,
            cookies,
            page_list,
            seconds=sizes["seconds"],
            rate=sizes["rate"],
            concurrency=sizes["concurrency"],
            warmup=sizes["warmup"],
        ):
            table.add(
                "pages",
                row["name"],
                f"{row['rate']:.1f} req/s, {row['ratio']:.0%} of trivial",
                f"{row['p50']:.1f} / {row['p95']:.1f} / {row['p99']:.1f} at {sizes['rate']:g} req/s",
                str(row["errors"]),
                "0 errors",
                row["errors"] == 0,
            )
        settle(sink)

        # 2. Filing to the first email
        result = escalation_latency.measure(
            stack.base_url, token, sink, incidents=sizes["filings"], warmup=sizes["filing_warmup"]
        )
        latency = result["latency"]
        table.add(
            "filing",
            f"POST /api/incidents/ to first email accepted by SMTP, {len(latency)} incidents one after another",
            f"{result['per_second']:.1f} incidents/s",
            spread(latency, 1000),
            "0",
            f"p95 < {FILING_P95 * 1000:.0f} ms",
            http_load.percentile(latency, 0.95) < FILING_P95,
        )
        table.add("filing", "of which the HTTP request", "–", spread(result["response"], 1000))
        table.add("filing", "of which the response to the email", "–", spread(result["after_response"], 1000))
        settle(sink)

        # 3. The assessment engine
        engine = assessment.measure(sizes["engine_seconds"])
        table.add(
            "assessment engine",
            f"assess() on one core, {engine['kilobytes']:.0f} KB English/Chinese bodies "
            "(quotes, prices, internal words, personal data)",
            f"{engine['rate']:,.0f} assessments/s",
        )

        # 4. Parsing an .eml
        parsed = parse_message.measure(sizes["parse_n"])
        table.add(
            ".eml parser",
            f"{parsed['size'] / 1024 / 1024:.0f} MB message, {parsed['attachments']} attachments",
            f"{parsed['rate']:.2f} messages/s, peak {parsed['peak'] / 1024 / 1024:.1f} MB",
        )

        # 5. The hold relay
        held = hold_relay.measure(
            relay_port,
            upstream,
            burst=sizes["relay_burst"],
            connections=4,
            steady=sizes["relay_steady"],
            rate=sizes["relay_rate"],
            hold=HOLD_SECONDS,
        )
        sent = sizes["relay_burst"] + sizes["relay_steady"] + 10
        table.add(
            "hold relay",
            f"burst of {sizes['relay_burst']} 28 KB quotations over 4 connections (held: parsed, checked, stored)",
            f"{held['burst_rate']:.1f} messages/s",
        )
        table.add(
            "hold relay",
            f"{sizes['relay_steady']} messages at {sizes['relay_rate']:g}/s: upstream arrival "
            f"beyond the {HOLD_SECONDS} s hold",
            f"{held['received'] - held['distinct']} duplicates of {held['distinct']}",
            spread(held["added"], 1000),
            str(sent - held["distinct"]),
            f"p95 < {RELAY_P95:g} s, no duplicates",
            http_load.percentile(held["added"], 0.95) < RELAY_P95 and held["received"] == held["distinct"] == sent,
        )
        settle(sink)

        # 6. Ceiling and soak
        soak.measure(stack, cookies, page_list, sizes, table)

        OUTPUT.parent.mkdir(parents=True, exist_ok=True)
        OUTPUT.write_text(f"{heading}\n\n{table.markdown()}\n")
        print(f"\nwritten to {OUTPUT.relative_to(ROOT)}", flush=True)
    finally:
        for process in (relay, stack):
            if process is not None:
                process.stop()
        sink.stop()
        upstream.stop()
        redis.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes, to check the driver in a few minutes")
    parser.add_argument(
        "--database",
        metavar="URL",
        help="an already seeded PostgreSQL database (migrated, not seeded, not dropped), e.g. one kept with --keep",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database and the logs folder")
    parser.add_argument("--incidents", type=int, help="incidents to seed (full 100,000, quick 2,000)")
    parser.add_argument("--seconds", type=float, help="per page and loop (full 8, quick 1)")
    parser.add_argument("--filings", type=int, help="incidents filed for the latency (full 500, quick 50)")
    parser.add_argument("--soak-seconds", type=float, help="length of the soak (full 600, quick 30)")
    args = parser.parse_args()
    sizes = dict(QUICK if args.quick else FULL)
    for name in ("incidents", "seconds", "filings", "soak_seconds"):
        if getattr(args, name) is not None:
            sizes[name] = getattr(args, name)

    if not RedisServer.available():
        print("redis-server is not installed (apt-get install redis-server)", file=sys.stderr)
        return 2
    if not args.database and not port_open("127.0.0.1", 5432):
        print("PostgreSQL is not reachable at 127.0.0.1:5432", file=sys.stderr)
        return 2
    # A `kill` ends the run like Ctrl-C: through the finally blocks that stop every process.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    work = Path(tempfile.mkdtemp(prefix="missend-bench-run-"))
    name = f"missend_bench_{os.getpid()}"
    database_url = args.database or create_postgres_database(ADMIN_URL, name)
    table = Table()
    try:
        run(args, sizes, work, database_url, table)
        return 0
    except KeyboardInterrupt:
        print("\ninterrupted: every process it started is stopped", file=sys.stderr)
        return 130
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if args.keep:
            print(f"logs kept in {work}" + ("" if args.database else f"; database kept: {database_url}"))
        else:
            shutil.rmtree(work, ignore_errors=True)
            if not args.database:
                drop_postgres_database(ADMIN_URL, name)


if __name__ == "__main__":
    sys.exit(main())
