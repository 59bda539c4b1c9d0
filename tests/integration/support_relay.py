"""The hold relay (`manage.py hold_relay`) as a process of the application stack, for the integration tests."""

from __future__ import annotations

import smtplib
import sys

from tests.integration.processes import Process, free_port
from tests.integration.stack import AppStack


def relay_env(upstream_port: int, hold_seconds: int) -> dict:
    return {
        "MISSEND_RELAY_UPSTREAM": f"127.0.0.1:{upstream_port}",
        "MISSEND_HOLD_SECONDS": str(hold_seconds),
        "MISSEND_RELAY_SWEEP_SECONDS": "0.5",
        "MISSEND_RELAY_LEASE_SECONDS": "5",
        "MISSEND_RELAY_REDRIVE_SECONDS": "3",
    }


class Relay:
    """`manage.py hold_relay` as a process of the stack (same database, broker and settings)."""

    def __init__(self, stack: AppStack, *, networks: str = "127.0.0.1/32,::1/128"):
        self.stack, self.networks, self.port, self.starts = stack, networks, free_port(), 0
        self.process: Process | None = None

    def start(self) -> Relay:
        self.starts += 1
        env = {**self.stack.env(), "MISSEND_RELAY_NETWORKS": self.networks}
        self.process = Process(
            f"hold_relay#{self.starts}",
            [sys.executable, "manage.py", "hold_relay", "--port", str(self.port)],
            env=env,
            log_path=self.stack.var_dir / f"hold_relay-{self.port}.log",
        ).start()
        self.process.wait_for_log(rf"Holding outgoing mail on 127\.0\.0\.1:{self.port}", timeout=60)
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()

    def logs(self) -> str:
        return f"--- {self.process.name} ---\n{self.process.log(since_start=False)[-3000:]}" if self.process else ""

    def send(self, raw: bytes, *, mail_from: str = "erin@ourco.com", to=("li.wei@globex.com.cn",)) -> str:
        with smtplib.SMTP("127.0.0.1", self.port, timeout=30) as client:
            client.ehlo()
            client.mail(mail_from)
            for address in to:
                client.rcpt(address)
            code, reply = client.data(raw)
        assert code == 250, reply
        return reply.decode()
