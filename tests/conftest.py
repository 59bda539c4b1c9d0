import importlib
import logging
import os
import socket

import pytest
from django.contrib.auth.models import Group

from incidents.models import MailDomain, Organisation, Team
from tests.factories import UserFactory

# aiosmtpd logs every session's steps at INFO from its server thread ("EOF received", "Connection lost"),
# also when a test's server closes after pytest has closed that test's captured output, where each line
# became a "Logging error" traceback in CI's output. The commands (receive_mail, hold_relay) quiet it the
# same way below -v 2; what the servers decide is logged by our own loggers.
logging.getLogger("mail.log").setLevel(logging.WARNING)

REQUIRE_SERVICES = os.environ.get("MISSEND_REQUIRE_SERVICES") == "1"


def service_missing(what: str, install_hint: str) -> None:
    """Skip on a laptop without the service; fail in CI, which must never pass by skipping."""
    message = f"{what} is not available: {install_hint}"
    if REQUIRE_SERVICES:
        pytest.fail(message + " (MISSEND_REQUIRE_SERVICES=1 makes this a failure)")
    pytest.skip(message)


def port_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def restore_migration_data() -> None:
    """The rows the data migrations write (role groups, default escalation policies); idempotent."""
    from django.apps import apps

    importlib.import_module("incidents.migrations.0002_role_groups").create_groups(apps, None)
    importlib.import_module("incidents.migrations.0004_default_escalation_policies").create_default_policies(apps, None)


def _transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    by_marker = marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    return bool(by_marker) or "transactional_db" in request.fixturenames or "live_server" in request.fixturenames


@pytest.fixture(autouse=True)
def migration_data(request):
    """A transactional test ends by flushing every table, the migrations' rows too; whatever test runs next
    on that database (in any order, on any xdist worker) finds them again."""
    uses_db = request.node.get_closest_marker("django_db") is not None or "db" in request.fixturenames
    if _transactional(request):
        request.getfixturevalue("transactional_db")
        restore_migration_data()
    elif uses_db:
        request.getfixturevalue("db")
        restore_migration_data()
    yield


@pytest.fixture(autouse=True)
def evidence_root(settings, tmp_path):
    """Each test keeps evidence in a folder of its own, so a test can see exactly which files exist."""
    root = tmp_path / "evidence"
    settings.MISSEND_EVIDENCE_ROOT = str(root)
    return root


@pytest.fixture
def directory(db):
    """OurCo is us; Acme and Globex are clients; Rival is a competitor."""
    entries = {
        "OurCo": ("internal", ["ourco.com"]),
        "Acme Trading": ("client", ["acme-trading.com"]),
        "Globex China": ("client", ["globex.com.cn"]),
        "Rival Exports": ("competitor", ["rival-exports.com"]),
    }
    for name, (kind, domains) in entries.items():
        organisation = Organisation.objects.create(name=name, kind=kind)
        for domain in domains:
            MailDomain.objects.create(organisation=organisation, domain=domain)
    return entries


def _in_group(user, name):
    user.groups.add(Group.objects.get(name=name))
    return user


@pytest.fixture
def team(db):
    return Team.objects.create(name="Export Sales")


@pytest.fixture
def employee(team):
    user = _in_group(UserFactory(username="erin"), "Employee")
    team.members.add(user)
    return user


@pytest.fixture
def other_employee(db):
    return _in_group(UserFactory(username="olaf"), "Employee")


@pytest.fixture
def manager(team):
    """Manager of the employee's team and in the Manager group."""
    user = _in_group(UserFactory(username="max"), "Manager")
    team.managers.add(user)
    return user


@pytest.fixture
def other_manager(db):
    """In the Manager group, but manages no team."""
    return _in_group(UserFactory(username="mona"), "Manager")


@pytest.fixture
def legal(db):
    return _in_group(UserFactory(username="lena"), "Legal")


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def enqueued(monkeypatch):
    """Tasks enqueued (after commit), recorded instead of sent to a broker: ("release", id), ("notice", id),
    or (task name, id) for any other task."""
    from incidents.platform import jobs

    short = {jobs.RELEASE_HELD_MESSAGE: "release", jobs.NOTIFY_HELD_MESSAGE: "notice"}
    sent = []
    monkeypatch.setattr(jobs, "send", lambda task, *args: sent.append((short.get(task, task), *args)))
    return sent
