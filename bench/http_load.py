"""Load over HTTP for the benchmarks: a keep-alive client with a session, signing in, and the two loops
(closed: as many requests as the server answers; open: one due every 1/rate s whatever the answers)."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from urllib.parse import urlencode

PASSWORD = "bench-pass-123"  # the password pages.pick_users gives the users it signs in as


class Client:
    """One keep-alive HTTP connection with a session cookie."""

    def __init__(self, port: int, cookie: str = ""):
        self.port, self.cookie = port, cookie
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(self, path: str, body: dict | None = None) -> int:
        """GET the path, or POST the body as JSON (with the session's CSRF token); the status, 0 on a
        broken connection."""
        headers = {"Cookie": self.cookie, "Accept": "text/html,application/json"} if self.cookie else {}
        method, data = "GET", None
        if body is not None:
            method, data = "POST", json.dumps(body)
            csrf = self.cookie.split("csrftoken=", 1)[1].split(";", 1)[0]
            headers.update({"Content-Type": "application/json", "X-CSRFToken": csrf})
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            response.read()
            return 200 if response.status == 201 else response.status
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            return 0


def log_in(port: int, username: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/login/")
    response = conn.getresponse()
    response.read()
    csrf = response.getheader("Set-Cookie").split("csrftoken=", 1)[1].split(";", 1)[0]
    body = urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": csrf})
    conn.request(
        "POST",
        "/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf}",
            "Referer": f"http://127.0.0.1:{port}/login/",
        },
    )
    response = conn.getresponse()
    response.read()
    cookies = [c.split(";", 1)[0] for c in response.msg.get_all("Set-Cookie") or []]
    session = next((c for c in cookies if c.startswith("sessionid=")), None)
    if response.status != 302 or session is None:
        raise SystemExit(f"could not log in as {username}: {response.status}")
    return f"csrftoken={csrf}; {session}"


def closed_loop(
    port: int, cookie: str, path: str, seconds: float, concurrency: int, body: dict | None = None
) -> tuple[float, int]:
    """Requests a second with `concurrency` clients back to back; and how many failed."""
    counts, failures = [0] * concurrency, [0] * concurrency
    deadline = time.monotonic() + seconds

    def work(index: int) -> None:
        client = Client(port, cookie)
        while time.monotonic() < deadline:
            status = client.get(path, body)
            counts[index] += 1
            failures[index] += status != 200

    threads = [threading.Thread(target=work, args=(i,)) for i in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.monotonic() - started), sum(failures)


def open_loop(
    port: int, cookie: str, path: str, seconds: float, rate: float, body: dict | None = None
) -> tuple[list[float], int]:
    """Latencies (ms) of requests started every 1/rate s, measured from when each was due; and how many
    failed (an answer other than 200/201, or a broken connection)."""
    total = int(seconds * rate)
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    start = time.monotonic() + 0.2
    next_index = iter(range(total))

    def work() -> None:
        client = Client(port, cookie)
        for index in next_index:
            due = start + index / rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            status = client.get(path, body)
            with lock:
                latencies.append((time.monotonic() - due) * 1000)
                failures[0] += status != 200

    threads = [threading.Thread(target=work) for _ in range(max(4, int(rate)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, failures[0]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def wait_for_port(port: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
