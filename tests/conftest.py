import importlib
import logging
import os
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from incidents.models import MailDomain, Organisation, Team
from tests.factories import UserFactory, file_incident
from tests.i18n_support import ensure_compiled
from tests.support_servers import start_relay

# aiosmtpd logs every session's steps at INFO from its server thread ("EOF received", "Connection lost"),
# also when a test's server closes after pytest has closed that test's captured output, where each line
# became a "Logging error" traceback in CI's output. The commands (receive_mail, hold_relay) quiet it the
# same way below -v 2; what the servers decide is logged by our own loggers.
logging.getLogger("mail.log").setLevel(logging.WARNING)


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


# ---------------------------------------------------------------------------------------------------
# Language


@pytest.fixture(autouse=True)
def no_language_left_behind():
    """Each test starts in the site's default language: a page a test requested (the account page, a signed-in
    Chinese reader) activates its reader's language for the thread, and the next test on that worker would
    otherwise read its errors and warnings in that language."""
    yield
    translation.deactivate()


@pytest.fixture
def in_english():
    """Pages and errors asserted in English whatever the project's default language becomes: a module asks
    for it with pytestmark = pytest.mark.usefixtures("in_english")."""
    with translation.override("en"):
        yield


@pytest.fixture
def zh_catalogue(settings):
    """The zh-hans catalogue compiled and loaded afresh (reassigning LOCALE_PATHS drops Django's cached catalogues)."""
    ensure_compiled()
    settings.LOCALE_PATHS = list(settings.LOCALE_PATHS)


# ---------------------------------------------------------------------------------------------------
# Clients


@pytest.fixture
def signed_in(client, employee, directory):
    """The employee's browser, signed in."""
    client.force_login(employee)
    return client


@pytest.fixture
def api(employee, directory):
    """A client holding the employee's API token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=employee)[0].key}")
    return client


# ---------------------------------------------------------------------------------------------------
# Incidents


@pytest.fixture
def high_incident(directory, employee, manager):
    """The employee's quote sent to the wrong client: high severity, routed to the team's managers."""
    return file_incident(employee, attachments=["Quotation_Q-1.pdf"])


@pytest.fixture
def incidents(directory, employee, other_employee):
    """Four incidents that differ in who they belong to and where they are routed (tests/support_access.py
    says who may see and edit each)."""
    made = {
        "own_low": file_incident(
            employee, to=["colleague@ourco.com"], intended=["team@ourco.com"], problems=["wrong_content"]
        ),
        "own_high": file_incident(employee, attachments=["Quotation_Q-1.pdf"]),
        "stranger_low": file_incident(other_employee, to=["x@ourco.com"], intended=[], problems=["wrong_content"]),
        "stranger_legal": file_incident(
            other_employee,
            to=["buyer@acme-trading.com"],
            intended=["buyer@acme-trading.com"],
            problems=["wrong_price"],
            quoted_price=Decimal("99"),
            correct_price=Decimal("100"),
            currency="USD",
        ),
    }
    assert (made["own_low"].route_manager, made["own_low"].route_legal) == (False, False)
    assert made["own_high"].route_manager and not made["own_high"].route_legal
    assert (made["stranger_legal"].route_manager, made["stranger_legal"].route_legal) == (False, True)
    return made


@pytest.fixture
def users(employee, other_employee, manager, other_manager, legal, superuser):
    """Each role of tests/support_access.py by its name there."""
    return {
        "employee": employee,
        "other_employee": other_employee,
        "manager": manager,
        "other_manager": other_manager,
        "legal": legal,
        "superuser": superuser,
    }


# ---------------------------------------------------------------------------------------------------
# The relay in-process


@pytest.fixture
def erin(transactional_db):
    """Erin, committed (the relay's thread reads users on its own connection); in no group or team."""
    return UserFactory(username="erin")


@pytest.fixture
def outside_relay(transactional_db, directory, enqueued):
    """A relay that trusts only 10.0.0.0/8: this machine's 127.0.0.1 is outside."""
    controller = start_relay(["10.0.0.0/8"])
    yield controller
    controller.stop()


REQUIRE_SERVICES = os.environ.get("MISSEND_REQUIRE_SERVICES") == "1"


def _service_missing(what: str, install_hint: str) -> None:
    """Skip on a laptop without the service; fail in CI (.ci/run sets MISSEND_REQUIRE_SERVICES=1), which must
    never pass by skipping."""
    message = f"{what} is not available: {install_hint}"
    if REQUIRE_SERVICES:
        pytest.fail(message + " (MISSEND_REQUIRE_SERVICES=1 makes this a failure)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def service_missing():
    """What a test calls when a program or server it needs is missing: service_missing(what, how to install)."""
    return _service_missing
