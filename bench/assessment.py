"""The assessment engine on one core: assessments a second for incidents whose email body is 50 KB of
mixed English and Chinese (quotes, prices, internal words, personal data, quoted replies, signatures
and disclaimers). Pure Python, no database: the engine as filing calls it, on facts already read.

    .venv/bin/python bench/assessment.py [--seconds 10] [--kb 50] [--bodies 8]

Run on demand; not part of `make test`.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

# Well-formed but made-up personal data: resident IDs with valid check digits, a card passing Luhn.
ID_NUMBERS = ("110101199003190013", "440305198805120023")
CARD = "6222 0212 3456 7894"
PRODUCTS = (
    ("PVC pipe DN50", "PVC管 DN50"),
    ("ball valve DN80", "不锈钢球阀 DN80"),
    ("gate valve DN100", "闸阀 DN100"),
    ("copper elbow 22 mm", "铜弯头 22mm"),
    ("steel flange PN16", "钢法兰 PN16"),
)
PORTS = ("Ningbo", "Shanghai", "Qingdao", "Shenzhen", "Xiamen")
PEOPLE = (("Ms Wang", "王经理"), ("Mr Chen", "陈先生"), ("Li Wei", "李伟"), ("Ms Zhang", "张女士"))

PARAGRAPHS = (
    # English quotes
    lambda r: (
        f"Dear {r.choice(PEOPLE)[0]},\n\nthank you for your enquiry of last week. Our offer for "
        f"{r.choice(PRODUCTS)[0]} is USD {r.randint(1, 40)}.{r.randint(0, 99):02d} a piece FOB "
        f"{r.choice(PORTS)}, valid for 30 days; delivery {r.randint(15, 45)} days after the order.\n"
    ),
    lambda r: (
        f"As discussed on the phone, for {r.randint(2, 20)} containers of {r.choice(PRODUCTS)[0]} we can "
        f"do EUR {r.randint(5, 90)},{r.randint(0, 99):02d} CIF Hamburg, payment 30% T/T in advance and the "
        "balance against the copy of the bill of lading. Please find our quotation attached.\n"
    ),
    # Chinese quotes
    lambda r: (
        f"{r.choice(PEOPLE)[1]}您好：\n感谢贵司询价。现报价如下：{r.choice(PRODUCTS)[1]}，单价：USD "
        f"{r.randint(1, 40)}.{r.randint(0, 99):02d}/个，FOB {r.choice(PORTS)}；交货期为收到订单后 "
        f"{r.randint(15, 45)} 天。附件是我们的报价单，请查收。\n"
    ),
    lambda r: (
        f"关于{r.choice(PRODUCTS)[1]}的价格，我司可以给到每米 {r.randint(10, 90)}.5 元（含税），"
        f"订货量 {r.randint(1, 9)}万米以上另议。报价有效期至月底。\n"
    ),
    # Internal words, in both languages
    lambda r: (
        f"(Internal only: our cost is USD {r.randint(1, 9)}.{r.randint(0, 99):02d}, margin about "
        f"{r.randint(5, 30)}%, do not forward.)\n"
    ),
    lambda r: (
        f"内部参考：底价 {r.randint(5, 40)}.80美元，毛利约{r.randint(8, 25)}%，给代理的佣金3%，返点另算，请勿外传。\n"
    ),
    # Personal data: an ID number, a mobile, a bank card, personal-data words
    lambda r: (
        f"The new sales agent's passport copy and ID card number {r.choice(ID_NUMBERS)} are for HR; "
        f"his mobile is 138{r.randint(1000, 9999)}{r.randint(1000, 9999)}.\n"
    ),
    lambda r: (
        f"请把工资卡号 {CARD} 和身份证号 {r.choice(ID_NUMBERS)} 发给财务，手机号 "
        f"139-{r.randint(1000, 9999)}-{r.randint(1000, 9999)}。\n"
    ),
    # Quoted earlier messages and ordinary talk
    lambda r: (
        f"> On Monday {r.choice(PEOPLE)[0]} wrote:\n> Please quote DN{r.choice((50, 65, 80))} as well, "
        "and the lead time.\n> 上次邮件：请报 DN65 的价格，谢谢。\n"
    ),
    lambda r: (
        "The inspection report and the packing list are in the shared folder; the shipping marks follow "
        "the drawing you approved. 包装按贵司要求，每箱净重 25 公斤，唛头见附件。\n"
    ),
)
# Quotes and ordinary talk make most of a thread; internal notes and personal data turn up now and then.
WEIGHTS = (4, 2, 4, 2, 0.5, 0.5, 0.2, 0.2, 3, 3)
SIGNATURE = (
    "\nBest regards,\nErin Li\nExport Sales, OurCo\nTel +86 574 8765 4321\n\n"
    "CONFIDENTIALITY NOTICE: This email is intended only for the addressee. If you are not the intended "
    "recipient, please notify the sender and delete it.\n本邮件仅供指定收件人使用，如误收请通知发件人并删除。\n"
)


def build_body(seed: int = 0, kilobytes: int = 50) -> str:
    """Paragraphs drawn at random (by seed) until the body is `kilobytes` KB of UTF-8, then a signature."""
    rng = random.Random(seed)
    target = kilobytes * 1024 - len(SIGNATURE.encode())
    parts, size = [], 0
    while size < target:
        paragraph = rng.choices(PARAGRAPHS, WEIGHTS)[0](rng) + "\n"
        parts.append(paragraph)
        size += len(paragraph.encode())
    return "".join(parts) + SIGNATURE


def directory():
    from incidents.assessment import Directory, DirectoryEntry

    ourco = DirectoryEntry("OurCo", "internal")
    entries = {
        "ourco.com": ourco,
        "ourco.cn": ourco,
        "rival-exports.com": DirectoryEntry("Rival Exports", "competitor"),
    }
    for number in range(200):
        entries[f"client{number:03d}.com"] = DirectoryEntry(f"Client {number:03d} Trading", "client")
    return Directory(entries)


def build_facts(count: int = 8, kilobytes: int = 50) -> list:
    """`count` incidents, each a different body and a different mix of recipients, problems and prices."""
    from incidents.assessment import IncidentFacts, Party

    facts = []
    for seed in range(count):
        rng = random.Random(1000 + seed)
        intended = f"buyer@client{rng.randrange(200):03d}.com"
        recipients = [Party(f"li.wei@client{rng.randrange(200):03d}.com"), Party("sales@ourco.com", "cc")]
        if seed % 3 == 0:
            recipients.append(Party("info@rival-exports.com", "bcc"))
        facts.append(
            IncidentFacts(
                recipients=tuple(recipients),
                intended=(intended,),
                filed_at=datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
                problems=frozenset(
                    rng.sample(["wrong_recipient", "wrong_price", "wrong_attachment", "internal_info"], k=1 + seed % 3)
                ),
                mail_system=rng.choice(["gmail", "exchange", "qq", "netease", "other"]),
                quoted_price=Decimal("9.50") if seed % 2 else None,
                correct_price=Decimal("11.20") if seed % 2 else None,
                currency="USD",
                firm_offer=seed % 4 == 1,
                body=build_body(seed, kilobytes),
                attachments=("Quotation_Q-2026-031.pdf", "报价单.xlsx", "成本核算.xlsx")[: 1 + seed % 3],
                subject=rng.choice(["Quotation Q-2026-031: ball valves", "报价单 - 不锈钢球阀", "RE: price list 2027"]),
            )
        )
    return facts


def measure(seconds: float = 10.0, kilobytes: int = 50, bodies: int = 8, *, one_core: bool = True) -> dict:
    """Assess the incidents round robin for `seconds` on the calling thread (pinned to one CPU when
    `one_core`); assessments a second and what the assessments found."""
    from incidents.assessment import Thresholds, assess, signals_from_settings

    facts, book = build_facts(bodies, kilobytes), directory()
    signals, thresholds = signals_from_settings(), Thresholds()
    pinned = None
    if one_core and hasattr(os, "sched_setaffinity"):
        pinned = os.sched_getaffinity(0)
        os.sched_setaffinity(0, {min(pinned)})
    try:
        results = [assess(f, book, signals=signals, thresholds=thresholds) for f in facts]  # warm-up
        done, started = 0, time.perf_counter()
        deadline = started + seconds
        while time.perf_counter() < deadline:
            for item in facts:
                assess(item, book, signals=signals, thresholds=thresholds)
            done += len(facts)
        elapsed = time.perf_counter() - started
    finally:
        if pinned is not None:
            os.sched_setaffinity(0, pinned)
    return {
        "rate": done / elapsed,
        "count": done,
        "seconds": elapsed,
        "kilobytes": sum(len(f.body.encode()) for f in facts) / len(facts) / 1024,
        "severities": sorted({r.severity for r in results}),
        "factors": sorted({code for r in results for code in r.factor_codes}),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0, help="how long to assess (default 10)")
    parser.add_argument("--kb", type=int, default=50, help="body size in KB of UTF-8 (default 50)")
    parser.add_argument("--bodies", type=int, default=8, help="different incidents assessed in turn (default 8)")
    args = parser.parse_args()

    import django

    django.setup()
    result = measure(args.seconds, args.kb, args.bodies)
    print(
        f"{args.bodies} incidents with {result['kilobytes']:.0f} KB bodies (English and Chinese); "
        f"severities {', '.join(result['severities'])}; factors {', '.join(result['factors'])}"
    )
    print(f"{result['count']} assessments in {result['seconds']:.1f} s on one core: {result['rate']:,.0f} a second")


if __name__ == "__main__":
    main()
