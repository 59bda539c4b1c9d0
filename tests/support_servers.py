"""Servers for the tests: the relay in-process on a free port."""

from incidents.relay import policy
from incidents.relay.server import RelayController
from tests.integration.processes import free_port


def start_relay(networks: list[str]) -> RelayController:
    """The hold relay on a free loopback port, trusting the networks given."""
    # The relay's thread has its own database connection: the tests' rows must be committed.
    controller = RelayController(host="127.0.0.1", port=free_port(), networks=policy.parse_networks(networks))
    controller.start()
    return controller
