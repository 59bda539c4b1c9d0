"""The results table of `make bench` (markdown, a row printed as it is added) and the machine it ran on."""

from __future__ import annotations

import os
import platform
import re
import subprocess
from pathlib import Path

from bench import http_load


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def spread(values: list[float], scale: float = 1.0) -> str:
    """p50 / p95 / p99 in ms of values given in ms (scale 1) or seconds (scale 1000)."""
    if not values:
        return "–"
    return " / ".join(f"{http_load.percentile(values, share) * scale:.1f}" for share in (0.50, 0.95, 0.99))


def verdict(ok: bool | None) -> str:
    return "–" if ok is None else ("yes" if ok else "**no**")


class Table:
    HEADER = "| part | measure | value | p50 / p95 / p99 ms | errors | target | met |\n|---|---|---|---|---|---|---|"

    def __init__(self):
        self.rows: list[str] = []

    def add(
        self,
        part: str,
        measure: str,
        value: str,
        latencies: str = "–",
        errors: str = "–",
        target: str = "–",
        met: bool | None = None,
    ) -> None:
        row = f"| {part} | {measure} | {value} | {latencies} | {errors} | {target} | {verdict(met)} |"
        self.rows.append(row)
        print(row, flush=True)

    def markdown(self) -> str:
        return "\n".join([self.HEADER, *self.rows])


def machine() -> str:
    cores = os.cpu_count() or 0
    try:
        total_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f"{total_kb / 1024 / 1024:.1f} GB RAM"
    except (OSError, AttributeError):
        memory = "RAM unknown"
    try:
        redis = re.search(
            r"v=(\S+)", subprocess.run(["redis-server", "--version"], capture_output=True, text=True).stdout
        ).group(1)
    except (OSError, AttributeError):
        redis = "?"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0].split()[0]
    return (
        f"{cores} cores, {memory}, {platform.system()} {platform.release()}, Python {platform.python_version()}, "
        f"PostgreSQL {postgres}, Redis {redis}"
    )
