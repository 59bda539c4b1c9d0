"""Lists read an index range, not the whole table: the plans, checked on the database in use.

PostgreSQL picks a sequential scan for a tiny test table whatever the indexes, so there the
test turns sequential scans off: what is asserted is that a usable index exists for the query
as written (an OR over unrelated columns would still have no index to use).
"""

import pytest
from django.db import connection

from incidents.escalation import selectors as queues
from incidents.notifications import selectors as notification_selectors
from incidents.reports import selectors
from tests.factories import file_incident
from tests.support_queries import plan


@pytest.fixture
def filed(directory, employee, other_employee):
    for _ in range(3):
        file_incident(employee)
        file_incident(other_employee)


def test_an_employees_incident_list_reads_their_own_index_range(filed, employee):
    explained = plan(selectors.incident_list(employee)[:50])
    if connection.vendor == "postgresql":
        # On a tiny table PostgreSQL may take either index on reporter_id; what matters is that one serves.
        assert "Seq Scan on incidents_incident" not in explained, explained
        assert "Index Cond: (reporter_id = " in explained or "incident_reporter_newest" in explained, explained
        return
    assert "incident_reporter_newest" in explained, explained
    # Not an OR over several indexes whose rows must all be read and sorted to find the first 50, and
    # not even a sort of equal times: the index holds the whole order.
    assert "MULTI-INDEX OR" not in explained and "TEMP B-TREE" not in explained, explained


def reads_along(explained: str, index: str) -> bool:
    """SQLite: the plan reads this index in its order (no sort of everything it found). PostgreSQL:
    some index gives the order (README "Years of data" has the plans at 100,000 incidents)."""
    if connection.vendor == "postgresql":
        # With sorting and sequential scans priced out, a plan that still sorts or scans the table has
        # no index for this order; which of several ordered indexes it takes on a tiny table is its call.
        return "Sort Key" not in explained and "Seq Scan on incidents_incident" not in explained
    return index in explained and "TEMP B-TREE FOR ORDER BY" not in explained


@pytest.mark.parametrize("who", ["manager", "legal"])
def test_lists_that_see_many_reporters_read_newest_first_along_one_index(filed, who, request):
    user = request.getfixturevalue(who)
    explained = plan(selectors.incident_list(user)[:50])
    assert reads_along(explained, "incident_newest"), explained


def test_triage_reads_the_running_escalations_in_queue_order_along_their_partial_index(filed, manager):
    explained = plan(queues.triage_queue(manager)[:50])
    assert reads_along(explained, "escalation_triage"), explained
    # Each row's count of failed notifications is an index lookup, not a read of every failed one.
    if connection.vendor == "sqlite":
        assert "notification_escalation_status" in explained, explained


def test_the_legal_queues_open_part_reads_only_open_incidents(filed, legal):
    explained = plan(queues.legal_queue(legal)[:50])
    assert reads_along(explained, "incident_legal_open"), explained


def test_the_inbox_reads_one_persons_notifications_newest_first(filed, manager):
    explained = plan(notification_selectors.inbox(manager)[:50])
    assert reads_along(explained, "notification_inbox"), explained


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgresql_connections_start_no_parallel_workers():
    """A page reads a page of rows: two parallel workers made a searched list's query 12 times slower."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"
