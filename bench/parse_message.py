"""Parse a ~10 MB message with 20 large and 500 small attachments N times; print messages a
second and peak memory (tracemalloc). Run on demand: .venv/bin/python bench/parse_message.py [-n 5]"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")


def build(large: int = 20, small: int = 500) -> bytes:
    message = EmailMessage()
    message["From"] = "Alice Wong <alice@ourco.com>"
    message["To"] = "Bob <bob@acme-trading.com>, carol@globex.com.cn"
    message["Subject"] = "报价单 and price lists"
    message["Date"] = "Tue, 01 Jul 2025 10:00:00 +0800"
    message["Message-ID"] = "<bench@ourco.com>"
    message.set_content("单价 USD 12.50，含税。\n" * 200)
    for index in range(large):
        payload = os.urandom(380_000)  # base64 makes each about 515 KB of text: 10 MB in all
        message.add_attachment(payload, maintype="application", subtype="pdf", filename=f"价格表-{index}.pdf")
    for index in range(small):
        message.add_attachment(
            f"note {index}\n".encode() * 20, maintype="text", subtype="plain", filename=f"note-{index}.txt"
        )
    return message.as_bytes()


def measure(n: int = 5) -> dict:
    """Parse the built message n times (after one warm-up) under the default limits: messages a second,
    and the peak memory of one more parse (tracemalloc)."""
    from incidents.message import Limits, parse_message

    data = build()
    limits = Limits.from_settings()  # the defaults a user gets
    parse_message(data, limits=limits)  # warm-up: imports and caches

    started = time.perf_counter()
    for _ in range(n):
        parsed = parse_message(data, limits=limits)
    elapsed = time.perf_counter() - started
    assert len(parsed.attachments) == 520, len(parsed.attachments)

    tracemalloc.start()
    parse_message(data, limits=limits)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "size": len(data),
        "attachments": data.count(b"Content-Disposition: attachment"),
        "n": n,
        "seconds": elapsed,
        "rate": n / elapsed,
        "peak": peak,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=5, help="how many times to parse (default 5)")
    args = parser.parse_args()

    import django

    django.setup()
    result = measure(args.n)
    size = result["size"]
    print(f"message: {size / 1024 / 1024:.1f} MB, {result['attachments']} attachments")
    print(f"parsed {args.n} times in {result['seconds']:.2f} s: {result['rate']:.2f} messages a second")
    peak = result["peak"]
    print(f"peak memory while parsing: {peak / 1024 / 1024:.1f} MB ({peak / size:.1f} x the message)")


if __name__ == "__main__":
    main()
