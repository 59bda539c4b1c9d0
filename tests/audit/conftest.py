"""Fixtures of the audit tests: the world they change, and an admin signed in."""

import pytest

from tests.audit.support_trail import World
from tests.factories import file_incident


@pytest.fixture
def world(client, directory, employee, manager, legal, superuser):
    """The people, and the employee's high incident routed to managers (an escalation waits for the manager)."""
    return World(
        client, employee, manager, legal, superuser, file_incident(employee, attachments=["Quotation_Q-1.pdf"])
    )


@pytest.fixture
def admin_client(client, superuser, world):
    """The superuser signed in (the world made first)."""
    client.force_login(superuser)
    return client
