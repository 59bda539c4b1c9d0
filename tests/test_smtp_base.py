"""What the desk's receiver and the relay share (incidents/platform/smtp.py): ASCII-only replies with the
server's own size refusal, and a failing step answered with the server's 451 and a log line."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

import pytest

from incidents.platform.smtp import AsciiReplies, StepHandler


class _Wire:
    def __init__(self):
        self.pushed = []

    async def push(self, status):
        self.pushed.append(status)


class _Server(AsciiReplies, _Wire):
    TOO_BIG = "552 5.3.4 Too big for us"


def run(coroutine):
    # In a thread of its own: a browser test may leave an event loop running in this one.
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


@pytest.mark.parametrize(
    "status, pushed",
    [
        ("552 Error: Too much mail data", "552 5.3.4 Too big for us"),  # aiosmtpd's own, without a status code
        ("554 5.6.0 No forwarded message found (主题 “Q-7”)", "554 5.6.0 No forwarded message found (?? ?Q-7?)"),
        ("250 2.0.0 OK\r\n250 2.0.0 OK", "250 2.0.0 OK\r\n250 2.0.0 OK"),  # LMTP's one line per recipient
        (b"334 VXNlcm5hbWU6", b"334 VXNlcm5hbWU6"),
    ],
)
def test_every_reply_goes_out_in_ascii_with_the_servers_own_size_refusal(status, pushed):
    server = _Server()
    run(server.push(status))
    assert server.pushed == [pushed]


class _Handler(StepHandler):
    TRY_LATER = "451 4.3.0 Try us later"
    name = "Test"


def _fails():
    raise RuntimeError("disk full")


@pytest.mark.django_db
def test_a_failing_step_answers_the_servers_451_and_says_why_in_the_log(caplog):
    with caplog.at_level(logging.ERROR):
        assert run(_Handler().reply_from("take the message from <erin@ourco.com>", _fails)) == "451 4.3.0 Try us later"
        assert run(_Handler().reply_from("answer", lambda: "250 2.0.0 OK")) == "250 2.0.0 OK"
        assert run(_Handler().handle_exception(RuntimeError("socket closed"))) == "451 4.3.0 Try us later"
    said = [r.getMessage() for r in caplog.records]
    assert said == ["Could not take the message from <erin@ourco.com>", "Test session failed: socket closed"]
    assert caplog.records[0].exc_info[1].args == ("disk full",)
