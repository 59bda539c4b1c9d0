"""What the two SMTP servers (the desk's receive_mail and the hold relay) share: running a synchronous
step off the event loop, reading the SIZE= option, and serving until SIGTERM or Ctrl-C.

The database and the parser are synchronous: each step runs in one worker thread (asgiref's
thread-sensitive executor), so sessions never share a connection and SQLite sees one writer.
"""

from __future__ import annotations

import signal
import threading

from asgiref.sync import sync_to_async
from django.db import close_old_connections


def in_worker(function, *args):
    """Run a step off the event loop, with a fresh connection if the last one went stale."""

    def step():
        close_old_connections()
        try:
            return function(*args)
        finally:
            close_old_connections()

    return sync_to_async(step, thread_sensitive=True)()


def size_option(mail_options: list[str]) -> int | None:
    """The size a client announced with MAIL FROM's SIZE= option, if any."""
    for option in mail_options:
        name, _, value = option.partition("=")
        if name.upper() == "SIZE" and value.isdigit():
            return int(value)
    return None


def serve_until_stopped(controller) -> None:
    """Wait until SIGTERM or SIGINT, then stop the started controller and give the signals back."""
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *args: stop.set()) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        while not stop.wait(0.5):
            pass
    finally:
        controller.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
