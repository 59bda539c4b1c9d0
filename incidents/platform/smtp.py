"""What the two SMTP servers (the desk's receive_mail and the hold relay) share: the handler base (a
synchronous step off the event loop, a failure answered with the server's 451 and logged), the
ASCII-only replies, the controller, reading the SIZE= option, and serving until SIGTERM or Ctrl-C.
Each server keeps only its own rules: the desk its MAIL, RCPT and DATA answers; the relay its AUTH,
trusted networks and TLS.

The database and the parser are synchronous: each step runs in one worker thread (asgiref's
thread-sensitive executor), so sessions never share a connection and SQLite sees one writer.
"""

from __future__ import annotations

import logging
import signal
import threading

from aiosmtpd.controller import Controller
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


class StepHandler:
    """The base of an aiosmtpd handler. A step that fails, or a session that does, is logged and answered
    with TRY_LATER (a 451): the sending server keeps the message and tries again later."""

    TRY_LATER = "451 4.3.0 Temporary failure, please try again later"
    name = "Mail"  # the log says "<name> session failed"
    log = logging.getLogger(__name__)

    async def reply_from(self, what: str, function, *args) -> str:
        """function(*args) in the worker thread, answering an SMTP reply; if it raises, the error is logged
        as "Could not <what>" and the answer is TRY_LATER."""
        try:
            return await in_worker(function, *args)
        except Exception:
            self.log.exception("Could not %s", what)
            return self.TRY_LATER

    async def handle_exception(self, error: Exception) -> str:
        self.log.error("%s session failed: %s", self.name, error, exc_info=error)
        return self.TRY_LATER


class AsciiReplies:
    """Mixed in before aiosmtpd's SMTP or LMTP class. Every reply goes out in ASCII (it reaches people in
    a bounce, which carries nothing else reliably), and aiosmtpd's own size refusal, which has no enhanced
    status code, becomes the server's TOO_BIG."""

    TOO_BIG = "552 5.3.4 Message too big"

    async def push(self, status):
        if isinstance(status, str):
            if status.startswith("552 Error:"):
                status = self.TOO_BIG
            status = status.encode("ascii", "replace").decode("ascii")
        await super().push(status)


class ServerController(Controller):
    """A server in a thread of its own; start() returns once it accepts connections.

    Each connection gets a new server_class built with options(), which reads the settings then.
    """

    server_class: type

    def __init__(self, handler, *, host: str, port: int):
        super().__init__(handler, hostname=host, port=port)

    def options(self) -> dict:
        return {}

    def factory(self):
        return self.server_class(self.handler, enable_SMTPUTF8=True, loop=self.loop, **self.options())
