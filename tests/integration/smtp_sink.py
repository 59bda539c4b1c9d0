"""An SMTP server in this process (aiosmtpd on a free loopback port) that records each message as it is accepted.

Plain Python (no pytest, no Django import), so bench/ can use it too.
"""

from __future__ import annotations

import email
import email.policy
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from tests.integration.processes import free_port


@dataclass
class Received:
    message_id: str
    incident_id: int | None
    to: list[str]
    subject: str
    text: str
    arrived: float  # time.time(), comparable with database timestamps
    arrived_monotonic: float


class SmtpSink:
    """aiosmtpd on a free loopback port, in this process; records each message as it is accepted."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.messages: list[Received] = []
        self._changed = threading.Condition()
        self._controller = None

    async def handle_DATA(self, server, session, envelope):
        arrived, arrived_monotonic = time.time(), time.monotonic()
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        incident = message.get("X-Missend-Incident")
        received = Received(
            message_id=str(message.get("Message-ID", "")).strip(),
            incident_id=int(incident) if incident and incident.isdigit() else None,
            to=list(envelope.rcpt_tos),
            subject=str(message.get("Subject", "")),
            text=body.get_content() if body is not None else "",
            arrived=arrived,
            arrived_monotonic=arrived_monotonic,
        )
        with self._changed:
            self.messages.append(received)
            self._changed.notify_all()
        return "250 Message accepted for delivery"

    def start(self) -> SmtpSink:
        from aiosmtpd.controller import Controller

        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def snapshot(self) -> list[Received]:
        with self._changed:
            return list(self.messages)

    def for_incident(self, incident_id: int) -> list[Received]:
        return [m for m in self.snapshot() if m.incident_id == incident_id]

    def wait_for(self, condition: Callable[[list[Received]], object], *, timeout: float, what: str):
        """Wait (woken by each arrival) until condition(messages so far) is truthy; return its value."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                value = condition(list(self.messages))
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(
                        f"gave up after {timeout:.0f} s waiting for {what}; {len(self.messages)} messages arrived"
                    )
                self._changed.wait(min(remaining, 0.5))
