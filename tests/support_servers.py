"""Servers for the tests: the relay in-process on a free port, and what a test does when a service it needs
(a program, a server) is missing on this machine."""

import os

import pytest

from incidents.relay import policy
from incidents.relay.server import RelayController
from tests.integration.processes import free_port

REQUIRE_SERVICES = os.environ.get("MISSEND_REQUIRE_SERVICES") == "1"


def service_missing(what: str, install_hint: str) -> None:
    """Skip on a laptop without the service; fail in CI, which must never pass by skipping."""
    message = f"{what} is not available: {install_hint}"
    if REQUIRE_SERVICES:
        pytest.fail(message + " (MISSEND_REQUIRE_SERVICES=1 makes this a failure)")
    pytest.skip(message)


def start_relay(networks: list[str]) -> RelayController:
    """The hold relay on a free loopback port, trusting the networks given."""
    # The relay's thread has its own database connection: the tests' rows must be committed.
    controller = RelayController(host="127.0.0.1", port=free_port(), networks=policy.parse_networks(networks))
    controller.start()
    return controller
