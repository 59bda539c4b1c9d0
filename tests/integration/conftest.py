"""Fixtures for tests that run the real web server, Celery worker and beat, Redis and an SMTP server.

The processes share the test database pytest-django created: the tests are transactional (their writes
are committed) and the processes get its name as DATABASE_URL. On SQLite that needs the file test
database set in project/test_settings.py.
"""

from __future__ import annotations

import os
import secrets
import socket
import urllib.parse
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from incidents.models import EscalationLevel, EscalationPolicy
from incidents.vocabulary import Route
from tests.factories import PASSWORD
from tests.integration.processes import RedisServer, port_open
from tests.integration.smtp_sink import SmtpSink
from tests.integration.stack import AppStack, started_for_this_test

SHARED_REDIS = ("127.0.0.1", 6379)
# Databases 1-14 of the machine's Redis (0 is the default, 15 is CI's REDIS_URL): a test run leases one
# that no other run (an xdist worker, a colleague's run) holds, so no worker takes another run's tasks.
LEASE_KEY = "missend-test:lease"
LEASE_SECONDS = 900


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _print_logs_on_failure(request, stack: AppStack) -> None:
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        print(stack.logs())


@pytest.fixture(scope="module")
def database_url(django_db_setup, django_db_blocker) -> str:
    """DATABASE_URL of the test database pytest-django created (per xdist worker)."""
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        name = str(db["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            pytest.fail(
                "The SQLite test database is in memory, so the worker cannot see it: "
                "project/test_settings.py must give it a file (DATABASES['default']['TEST']['NAME'])."
            )
        return f"sqlite:///{name}"
    if db["ENGINE"] == "django.db.backends.postgresql":
        user = urllib.parse.quote(db.get("USER") or "")
        password = urllib.parse.quote(db.get("PASSWORD") or "")
        auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    pytest.fail(f"no DATABASE_URL for the {db['ENGINE']} test database")


@pytest.fixture(scope="module")
def shared_redis_url(service_missing):
    """A database of its own on the machine's Redis (127.0.0.1:6379), emptied before and after use."""
    if not port_open(*SHARED_REDIS):
        service_missing("Redis on 127.0.0.1:6379", "install redis-server (apt-get install redis-server) and start it")
    import redis

    owner = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
    for db in range(14, 0, -1):
        client = redis.Redis(host=SHARED_REDIS[0], port=SHARED_REDIS[1], db=db)
        if client.set(LEASE_KEY, owner, nx=True, ex=LEASE_SECONDS):
            break
        client.close()
    else:
        pytest.fail("Redis databases 1-14 on 127.0.0.1:6379 are all leased by other test runs")
    _empty_but_lease(client)
    try:
        yield f"redis://{SHARED_REDIS[0]}:{SHARED_REDIS[1]}/{db}"
    finally:
        _empty_but_lease(client)
        if client.get(LEASE_KEY) == owner.encode():
            client.delete(LEASE_KEY)
        client.close()


def _empty_but_lease(client) -> None:
    stale = [key for key in client.scan_iter(count=1000) if key != LEASE_KEY.encode()]
    if stale:
        client.delete(*stale)


@pytest.fixture(scope="module")
def smtp_sink():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture(scope="module")
def app_stack(database_url, shared_redis_url, smtp_sink, tmp_path_factory):
    """Web server, worker and beat for every test in a module (the database is emptied between tests)."""
    stack = AppStack(
        database_url=database_url,
        broker_url=shared_redis_url,
        smtp_port=smtp_sink.port,
        var_dir=tmp_path_factory.mktemp("app"),
        secret_key=secrets.token_urlsafe(50),
    )
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()


@pytest.fixture
def print_logs_on_failure(request):
    """Call with the stack: its processes' logs are printed if the test fails."""
    stacks = []
    yield stacks.append
    for stack in stacks:
        _print_logs_on_failure(request, stack)


@pytest.fixture
def stack(app_stack, print_logs_on_failure):
    print_logs_on_failure(app_stack)
    return started_for_this_test(app_stack)


@pytest.fixture
def private_redis(tmp_path, service_missing):
    """A redis-server of the test's own (AOF on), so the test may kill it without touching the machine's."""
    if not RedisServer.available():
        service_missing("redis-server", "install it (apt-get install redis-server)")
    server = RedisServer(tmp_path / "redis")
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def role_groups(transactional_db):
    """Transactional tests empty the database afterwards, migration data too: make the role groups again."""
    return {name: Group.objects.get_or_create(name=name)[0] for name in ("Employee", "Manager", "Legal")}


@pytest.fixture
def people(directory, employee, manager, other_manager, legal):
    """Erin reports; Max manages her team (and is a Manager); Mona is a Manager too; Lena is Legal."""
    from rest_framework.authtoken.models import Token

    return {
        "reporter": employee,
        "manager": manager,
        "other_manager": other_manager,
        "legal": legal,
        "token": Token.objects.create(user=employee).key,
    }


@pytest.fixture
def manager_policy(role_groups):
    """Set the managers' policy: level 1 the reporter's team managers, level 2 everyone in Manager."""

    def set_policy(*, delays_minutes: tuple[str, str], repeat: int = 0) -> EscalationPolicy:
        policy, _ = EscalationPolicy.objects.get_or_create(route=Route.MANAGER, defaults={"name": "Managers"})
        policy.repeat = repeat
        policy.unresolved_reminder_hours = None
        policy.webhook_url = ""
        policy.save()
        policy.levels.all().delete()
        EscalationLevel.objects.create(
            policy=policy, position=0, delay_minutes=Decimal(delays_minutes[0]), notify_reporter_team_managers=True
        )
        EscalationLevel.objects.create(policy=policy, position=1, delay_minutes=Decimal(delays_minutes[1])).groups.add(
            role_groups["Manager"]
        )
        return policy

    return set_policy


@pytest.fixture
def erin(people, settings):
    """The reporter with a password the web server and the relay check."""
    # The web server checks passwords with the real settings' hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    people["reporter"].set_password(PASSWORD)
    people["reporter"].save()
    return people["reporter"]
