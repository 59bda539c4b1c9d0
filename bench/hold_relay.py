"""Hold-and-check relay: messages a second through `manage.py hold_relay` with the check on, and the time
each message reaches the upstream beyond its configured delay.

Runs the real pieces in a temporary folder: the relay, a Celery worker (-c 2) and beat on a private
redis-server (AOF), a fresh SQLite (default) or PostgreSQL database, and two aiosmtpd servers in this
process (the upstream mail server, and the one the senders' notices go through). See bench/README.md.
"""

from __future__ import annotations

import argparse
import email.policy
import os
import re
import shutil
import smtplib
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.escalation_latency import (  # noqa: E402
    SECRET_KEY,
    create_postgres_database,
    drop_postgres_database,
    percentile,
)
from tests.integration.processes import Process, RedisServer, free_port, wait_until  # noqa: E402
from tests.integration.smtp_sink import SmtpSink  # noqa: E402
from tests.integration.stack import AppStack  # noqa: E402

ACCEPTED = re.compile(r"Held until \d\d:\d\d UTC as (\d+)")


def prepare_database(database_url: str, var_dir: Path) -> None:
    """Migrate, then the directory (us, two clients, a competitor), a price floor and the sender."""
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
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    prepare_directory()
    User.objects.create_user("erin", "erin@ourco.com", "bench-password-erin")
    connections.close_all()


def prepare_directory() -> None:
    """Us, two clients and a competitor by their domains, and a price floor for PVC pipe; each only where
    missing, so a database seeded with years of data keeps its own (the sender is added by the caller)."""
    from decimal import Decimal

    from incidents.models import MailDomain, Organisation, PriceFloor

    for name, kind, domain in (
        ("OurCo", "internal", "ourco.com"),
        ("Acme Trading", "client", "acme-trading.com"),
        ("Globex China", "client", "globex.com.cn"),
        ("Rival Exports", "competitor", "rival-exports.com"),
    ):
        if not MailDomain.objects.filter(domain=domain).exists():
            organisation = Organisation.objects.filter(name=name).first() or Organisation.objects.create(
                name=name, kind=kind
            )
            MailDomain.objects.create(organisation=organisation, domain=domain)
    if not PriceFloor.objects.filter(product="PVC pipe", currency="USD").exists():
        PriceFloor.objects.create(product="PVC pipe", currency="USD", floor=Decimal("3.00"))


def message(number: int) -> bytes:
    """A quotation that earns warnings (internal words, a cost figure, a price under the floor)."""
    mail = EmailMessage()
    mail["From"] = "Erin <erin@ourco.com>"
    mail["To"] = "Li Wei <li.wei@globex.com.cn>"
    mail["Cc"] = "sales@ourco.com"
    mail["Subject"] = f"Quotation Q-{number} for Globex: PVC pipe"
    mail["Message-ID"] = f"<bench-{number}.{os.getpid()}@ourco.com>"
    mail.set_content(
        "Dear Li Wei,\n\nThank you for your enquiry. Our price for PVC pipe is USD 2.80 per metre FOB Ningbo,\n"
        "valid for 30 days. (Internal only: our cost is USD 2.10, margin thin.)\n\n"
        "Please find the specification attached.\n\nBest regards,\nErin\nOurCo Export Sales\n"
        + "-" * 60
        + "\n"
        + "Delivery and payment terms as discussed on the phone last week.\n" * 20
    )
    mail.add_attachment(
        b"%PDF-1.4\n" + os.urandom(20_000), maintype="application", subtype="pdf", filename=f"Quotation_Q-{number}.pdf"
    )
    return mail.as_bytes(policy=email.policy.SMTP)


def send_all(port: int, numbers: list[int], *, connections: int, rate: float = 0) -> dict[int, float]:
    """Send each numbered message (open loop at `rate` a second, else as fast as the relay answers);
    answers number -> time.time() the relay's 250 arrived."""
    accepted: dict[int, float] = {}
    lock = threading.Lock()
    start = time.monotonic()
    work = list(enumerate(numbers))
    pending = iter(work)

    errors: list[BaseException] = []

    def client():
        try:
            send_on()
        except BaseException as error:
            errors.append(error)

    def send_on():
        with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp:
            smtp.ehlo()
            while True:
                with lock:
                    item = next(pending, None)
                if item is None:
                    return
                index, number = item
                if rate:
                    pause = start + index / rate - time.monotonic()
                    if pause > 0:
                        time.sleep(pause)
                smtp.mail("erin@ourco.com")
                smtp.rcpt("li.wei@globex.com.cn")
                smtp.rcpt("sales@ourco.com")
                code, reply = smtp.data(message(number))
                if code != 250 or not ACCEPTED.search(reply.decode()):
                    raise RuntimeError(f"message {number}: {code} {reply!r}")
                with lock:
                    accepted[number] = time.time()

    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return accepted


def measure(
    port: int, upstream: SmtpSink, *, burst: int, connections: int, steady: int, rate: float, hold: int
) -> dict:
    """Warm up with 10 messages, then a burst as fast as the relay takes them and a steady phase at `rate`
    a second timed to the upstream. Messages a second held in the burst; seconds each steady message
    reached the upstream beyond the hold; the warnings of the first held message; the copies received."""
    from incidents.models import HeldMessage

    def arrivals(numbers) -> dict[int, float]:
        wanted = {f"<bench-{n}.{os.getpid()}@ourco.com>": n for n in numbers}

        def all_arrived():
            seen = {wanted[m.message_id]: m.arrived for m in upstream.snapshot() if m.message_id in wanted}
            return seen if len(seen) == len(wanted) else None

        return wait_until(all_arrived, timeout=hold + 300, interval=0.1, what="every released message")

    send_all(port, list(range(-10, 0)), connections=1)  # warm-up
    arrivals(range(-10, 0))
    codes = [w["code"] for w in HeldMessage.objects.order_by("-pk").first().warnings]

    numbers = list(range(burst))
    started = time.monotonic()
    send_all(port, numbers, connections=connections)
    took = time.monotonic() - started
    arrivals(numbers)

    numbers = list(range(burst, burst + steady))
    accepted = send_all(port, numbers, connections=2, rate=rate)
    arrived = arrivals(numbers)
    added = [arrived[n] - accepted[n] - hold for n in numbers]
    time.sleep(2)
    copies = Counter(m.message_id for m in upstream.snapshot())
    return {
        "warnings": codes,
        "burst_seconds": took,
        "burst_rate": burst / took,
        "added": added,
        "received": sum(copies.values()),
        "distinct": len(copies),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--burst", type=int, default=300, help="messages sent as fast as the relay takes them")
    parser.add_argument("--connections", type=int, default=4, help="SMTP connections sending the burst")
    parser.add_argument("--steady", type=int, default=200, help="messages sent at --rate for the latency")
    parser.add_argument("--rate", type=float, default=10, help="messages a second in the steady phase")
    parser.add_argument("--hold", type=int, default=5, help="MISSEND_HOLD_SECONDS for the run")
    parser.add_argument("--sweep", type=float, default=0.5, help="MISSEND_RELAY_SWEEP_SECONDS")
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
    work = Path(tempfile.mkdtemp(prefix="missend-bench-relay-"))
    pg_name = f"missend_bench_relay_{os.getpid()}"
    database_url = (
        create_postgres_database(args.postgres, pg_name) if args.postgres else f"sqlite:///{work / 'bench.sqlite3'}"
    )
    redis, notices, upstream = RedisServer(work / "redis"), SmtpSink(), SmtpSink()
    stack = relay = None
    try:
        prepare_database(database_url, work / "var")
        redis.start()
        notices.start()
        upstream.start()
        stack = AppStack(
            database_url=database_url,
            broker_url=redis.url(),
            smtp_port=notices.port,
            var_dir=work / "var",
            secret_key=SECRET_KEY,
            extra_env={
                "LOG_LEVEL": "WARNING",
                "MISSEND_HOLD_SECONDS": str(args.hold),
                "MISSEND_RELAY_UPSTREAM": f"127.0.0.1:{upstream.port}",
                "MISSEND_RELAY_SWEEP_SECONDS": str(args.sweep),
            },
        )
        stack.start_worker()
        stack.start_beat()
        port = free_port()
        relay = Process(
            "hold_relay",
            [sys.executable, "manage.py", "hold_relay", "--port", str(port)],
            env=stack.env(),
            log_path=work / "hold_relay.log",
        ).start()
        relay.wait_for_log("Holding outgoing mail", timeout=60)
        engine = "PostgreSQL" if args.postgres else "SQLite"
        print(
            f"relay + celery worker -c 2 + beat (sweep every {args.sweep:g} s), redis-server (AOF), {engine}, "
            f"hold {args.hold} s; each message {len(message(0)) // 1024} KB"
        )

        result = measure(
            port,
            upstream,
            burst=args.burst,
            connections=args.connections,
            steady=args.steady,
            rate=args.rate,
            hold=args.hold,
        )
        added = result["added"]
        print(f"the check warns each message: {', '.join(result['warnings'])}")
        print(
            f"burst: {args.burst} messages over {args.connections} connections in {result['burst_seconds']:.1f} s: "
            f"{result['burst_rate']:.1f} messages/s held (parsed, checked, stored, 250 sent)"
        )
        print(
            f"steady: {args.steady} messages at {args.rate:g}/s; upstream arrival beyond the {args.hold} s hold "
            f"(from the relay's 250): p50 {statistics.median(added) * 1000:.0f} ms, "
            f"p95 {percentile(added, 95) * 1000:.0f} ms, max {max(added) * 1000:.0f} ms"
        )
        print(
            f"upstream received {result['received']} messages, {result['distinct']} distinct Message-IDs "
            f"({result['received'] - result['distinct']} duplicates)"
        )
        return 0
    finally:
        for process in (relay, stack):
            if process is not None:
                process.stop()
        notices.stop()
        upstream.stop()
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
