"""Time POST /api/precheck/ in-process for a 50 KB English/Chinese draft; print p50/p95 of the server time.
Run on demand: .venv/bin/python bench/precheck.py [-n 200] [--kb 50] [--clients 200]

A throwaway SQLite database (migrated, with a small directory, client contacts and price floors) in a
temporary folder; requests go through Django's whole stack (middleware, token authentication, JSON
parsing, the check, the answer) with its test client, so no network time is counted. The check alone
(check_draft on the same draft) is timed too, to show how much of the request it takes."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

# One screen of a real quote thread, in both languages, with the kinds of text the check looks at.
PARAGRAPH = (
    "Dear Ms Wang,\n\nthank you for your enquiry. Our offer for PVC pipe DN50 is USD 2.35 a metre FOB Ningbo, "
    "valid until the end of the month; ball valves DN80 at USD 12.80 each.\n"
    "王经理您好：\n感谢贵司询价。现报价如下：不锈钢球阀 DN50，单价：USD 9.50/个，FOB 上海；PVC管 每米 16.5 元。"
    "交货期为收到订单后 30 天。附件是我们的报价单，请查收。\n"
    "> 上次邮件：请报 DN65 的价格，谢谢。\n> Best regards, Li Wei\n\n"
)


def body_of(kilobytes: int) -> str:
    """Paragraphs up to the size in UTF-8 bytes (Chinese characters take three)."""
    target, parts, size = kilobytes * 1024, [], 0
    while size < target:
        parts.append(PARAGRAPH)
        size += len(PARAGRAPH.encode())
    return "".join(parts)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def seed(clients: int = 200) -> str:
    from decimal import Decimal

    from django.contrib.auth.models import User
    from rest_framework.authtoken.models import Token

    from incidents.models import Contact, MailDomain, Organisation, PriceFloor

    for name, kind, domain in (
        ("OurCo", "internal", "ourco.com"),
        ("Acme Trading", "client", "acme-trading.com"),
        ("Globex China", "client", "globex.com.cn"),
        ("华信贸易", "client", "huaxin.com.cn"),
        ("Rival Exports", "competitor", "rival-exports.com"),
    ):
        organisation = Organisation.objects.create(name=name, kind=kind)
        MailDomain.objects.create(organisation=organisation, domain=domain)
    for number in range(clients):  # a directory of some size: more clients, each with two contacts
        organisation = Organisation.objects.create(name=f"Client {number:04d} Trading", kind="client")
        MailDomain.objects.create(organisation=organisation, domain=f"client{number:04d}.com")
        Contact.objects.bulk_create(
            [Contact(organisation=organisation, name=f"{person} {number:04d}") for person in ("Anna", "李明")]
        )
    Contact.objects.create(
        organisation=Organisation.objects.get(name="Globex China"), name="王伟", email="wang.wei@globex.com.cn"
    )
    PriceFloor.objects.create(product="PVC pipe", other_words="PVC管", currency="USD", floor=Decimal("2.50"))
    PriceFloor.objects.create(
        product="ball valve", other_words="球阀, ball valves", currency="USD", floor=Decimal("10")
    )
    PriceFloor.objects.create(product="", currency="CNY", floor=Decimal("20"))
    user = User.objects.create_user("bench", "bench@ourco.com", "bench-password")
    return Token.objects.create(user=user).key


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=200, help="measured requests (default 200)")
    parser.add_argument("--kb", type=int, default=50, help="body size in KB of UTF-8 (default 50)")
    parser.add_argument(
        "--clients",
        type=int,
        default=200,
        help="clients in the directory beside the named ones, each with two contacts (default 200)",
    )
    args = parser.parse_args()

    folder = tempfile.TemporaryDirectory(prefix="missend-precheck-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder.name}/bench.sqlite3"
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from incidents.precheck import check_draft
    from incidents.prevention.selectors import precheck_context
    from incidents.prevention.serializers import PrecheckInSerializer

    call_command("migrate", verbosity=0)
    token = seed(args.clients)
    body = body_of(args.kb)
    payload = json.dumps(
        {
            "to": ["li.wei@globex.com.cn", "sales@rival-exports.com"],
            "cc": ["erin@ourco.com"],
            "subject": "Quotation for Acme Trading: PVC pipe and ball valves",
            "body": body,
            "attachments": [],
        },
        ensure_ascii=False,
    ).encode()
    client = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_HOST="127.0.0.1")
    post = lambda: client.post("/api/precheck/", payload, content_type="application/json")  # noqa: E731

    answer = post()  # warm-up: imports, the directory copy, regex caches
    assert answer.status_code == 200, answer.content[:500]
    codes = [w["code"] for w in answer.json()["warnings"]]
    requests = []
    for _ in range(args.n):
        started = time.perf_counter()
        post()
        requests.append((time.perf_counter() - started) * 1000)

    intake = PrecheckInSerializer(data=json.loads(payload))
    intake.is_valid(raise_exception=True)
    draft, context = intake.draft(intake.validated_data), precheck_context()
    checks = []
    for _ in range(args.n):
        started = time.perf_counter()
        check_draft(draft, context)
        checks.append((time.perf_counter() - started) * 1000)

    print(
        f"body: {len(body.encode()) / 1024:.0f} KB UTF-8 ({len(body):,} characters); request {len(payload) / 1024:.0f} KB"
    )
    print(f"warnings: {', '.join(codes)}")
    for label, values in (("POST /api/precheck/", requests), ("check_draft alone", checks)):
        print(
            f"{label:<20} p50 {statistics.median(values):6.1f} ms   p95 {percentile(values, 0.95):6.1f} ms   "
            f"max {max(values):6.1f} ms   (n={len(values)})"
        )
    folder.cleanup()


if __name__ == "__main__":
    main()
