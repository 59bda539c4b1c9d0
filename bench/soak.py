"""Part 6 of `make bench`: the ceiling (closed-loop req/s of a mix of the pages, filing included) and a soak
at half of it (an open loop at a fixed rate), sampling the resident memory of the gunicorn workers and the
Celery worker."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from bench import http_load, pages
from bench.table import Table, spread
from tests.integration.stack import AppStack

SOAK_TARGET = 0.10  # growth of resident memory over the soak


# ---------------------------------------------------------------------------------------------------
# Resident memory of a process tree


def rss_kb(pid: int) -> int:
    """VmRSS of one process in KB (0 once it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def children(pid: int) -> list[int]:
    """The direct children of a process (from /proc/*/stat)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def memory_sample(stack: AppStack) -> dict[str, int]:
    """KB: the largest gunicorn worker (the master forks them and serves nothing), and the Celery worker's
    main process and its pool children summed (they share the broker and the tasks)."""
    web = [rss_kb(pid) for pid in children(stack.web.popen.pid)]
    celery = stack.worker.popen.pid
    return {"web": max(web, default=0), "celery": rss_kb(celery) + sum(rss_kb(pid) for pid in children(celery))}


# ---------------------------------------------------------------------------------------------------
# Load: a mix of pages, closed loop for the ceiling and open loop for the soak


def mix_of(page_list) -> list[tuple[str, str, dict | None]]:
    """The pages as a user population reads them, one request each in turn: every page but the trivial
    view, filing included (one request in 13), so the soak gives the Celery worker its share too."""
    return [(who, path, body) for name, who, path, body in page_list if name != pages.TRIVIAL]


def mixed_closed_loop(port: int, cookies: dict, mix, seconds: float, concurrency: int) -> tuple[float, int]:
    """Requests a second of `concurrency` clients each going round the mix back to back; and the errors."""
    counts, failures = [0] * concurrency, [0] * concurrency
    deadline = time.monotonic() + seconds

    def work(index: int) -> None:
        clients = {who: http_load.Client(port, cookie) for who, cookie in cookies.items()}
        step = index * len(mix) // concurrency
        while time.monotonic() < deadline:
            who, path, body = mix[step % len(mix)]
            step += 1
            status = clients[who].get(path, body)
            counts[index] += 1
            failures[index] += status != 200

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.monotonic() - started), sum(failures)


class Soak:
    """The mix at a fixed rate (open loop: request i is due at start + i/rate) until stopped; latencies
    (ms, from when each was due) and errors are kept from `measure_from` on."""

    def __init__(self, port: int, cookies: dict, mix, rate: float):
        self.port, self.cookies, self.mix, self.rate = port, cookies, mix, rate
        self.stop_event = threading.Event()
        self.lock = threading.Lock()
        self.counter = 0
        self.measure_from = float("inf")
        self.latencies: list[float] = []
        self.by_path: dict[str, list[float]] = {}
        self.windows: dict[int, list[float]] = {}  # 10-second windows of the measured time
        self.errors = 0
        self.threads = [threading.Thread(target=self._work, daemon=True) for _ in range(max(4, min(100, int(rate))))]

    def start(self) -> Soak:
        self.start_time = time.monotonic() + 0.2
        for thread in self.threads:
            thread.start()
        return self

    def _work(self) -> None:
        clients = {who: http_load.Client(self.port, cookie) for who, cookie in self.cookies.items()}
        while not self.stop_event.is_set():
            with self.lock:
                index = self.counter
                self.counter += 1
            due = self.start_time + index / self.rate
            delay = due - time.monotonic()
            if delay > 0 and self.stop_event.wait(delay):
                return
            who, path, body = self.mix[index % len(self.mix)]
            status = clients[who].get(path, body)
            if due >= self.measure_from:
                latency = (time.monotonic() - due) * 1000
                with self.lock:
                    self.latencies.append(latency)
                    self.by_path.setdefault(path.split("?")[0], []).append(latency)
                    self.windows.setdefault(int((due - self.measure_from) // 10), []).append(latency)
                    self.errors += status != 200

    def stop(self) -> None:
        self.stop_event.set()
        for thread in self.threads:
            thread.join(timeout=70)


def soak(stack: AppStack, cookies: dict, mix, *, rate: float, warmup: float, seconds: float, every: float) -> dict:
    """Run the mix at `rate` for `warmup` seconds, then `seconds` more sampling memory every `every`
    seconds; the first sample is the start, the last the end."""
    load = Soak(stack.web_port, cookies, mix, rate).start()
    try:
        time.sleep(warmup)
        load.measure_from = time.monotonic()
        samples = [memory_sample(stack)]
        deadline = load.measure_from + seconds
        while time.monotonic() < deadline:
            time.sleep(min(every, max(0.0, deadline - time.monotonic())))
            samples.append(memory_sample(stack))
    finally:
        load.stop()
    result = {
        "rate": rate,
        "seconds": seconds,
        "latencies": load.latencies,
        "errors": load.errors,
        "by_path": load.by_path,
        "windows": load.windows,
        "requests": len(load.latencies),
        "samples": len(samples),
    }
    for part in ("web", "celery"):
        start, end = samples[0][part], samples[-1][part]
        result[part] = {
            "start": start,
            "end": end,
            "peak": max(s[part] for s in samples),
            "growth": (end - start) / start if start else float("nan"),
        }
    return result


# ---------------------------------------------------------------------------------------------------
# The part as `make bench` runs it


def measure(stack: AppStack, cookies: dict, page_list, sizes: dict, table: Table) -> None:
    """The ceiling of the mix, then the soak at half of it; one row each, and the memory rows."""
    mix = mix_of(page_list)
    mixed_closed_loop(stack.web_port, cookies, mix, sizes["warmup"], sizes["concurrency"])
    ceiling, ceiling_errors = mixed_closed_loop(
        stack.web_port, cookies, mix, sizes["ceiling_seconds"], sizes["concurrency"]
    )
    table.add(
        "soak",
        f"ceiling: the {len(mix)} pages in turn (filing one in {len(mix)}), closed loop x{sizes['concurrency']}",
        f"{ceiling:.1f} req/s",
        "–",
        str(ceiling_errors),
        "0 errors",
        ceiling_errors == 0,
    )
    soaked = soak(
        stack,
        cookies,
        mix,
        rate=max(1.0, ceiling / 2),
        warmup=sizes["soak_warmup"],
        seconds=sizes["soak_seconds"],
        every=sizes["sample_every"],
    )
    length = sizes["soak_seconds"]
    minutes = f"{length / 60:g} min" if length >= 60 else f"{length:g} s"
    table.add(
        "soak",
        f"the mix at half the ceiling for {minutes} after {sizes['soak_warmup']:g} s of warm-up",
        f"{soaked['requests']:,} requests",
        spread(soaked["latencies"]),
        str(soaked["errors"]),
        "0 errors",
        soaked["errors"] == 0,
    )
    slowest = max(soaked["by_path"].items(), key=lambda item: http_load.percentile(item[1], 0.95), default=None)
    if slowest:
        table.add("soak", f"its slowest page at p95: {slowest[0]}", f"{len(slowest[1]):,} requests", spread(slowest[1]))
    print(
        "p95 ms of each 10 s of the soak: "
        + " ".join(
            f"{http_load.percentile(values, 0.95):.0f}" for _window, values in sorted(soaked["windows"].items())
        ),
        flush=True,
    )
    for part, label in (
        ("web", "RSS of the largest gunicorn worker"),
        ("celery", "RSS of the Celery worker (main process and its 2 pool children, summed)"),
    ):
        memory = soaked[part]
        table.add(
            "soak",
            label,
            f"peak {memory['peak'] / 1024:.1f} MB; {memory['start'] / 1024:.1f} → "
            f"{memory['end'] / 1024:.1f} MB, growth {memory['growth']:+.1%}",
            "–",
            "–",
            f"growth < {SOAK_TARGET:.0%}",
            memory["growth"] < SOAK_TARGET,
        )
