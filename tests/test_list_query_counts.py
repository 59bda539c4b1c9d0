"""Every list a person opens costs the same number of queries for a few rows and for many.

One table for all of them (the incident list and API list have their own older tests in
test_pages.py): a page that grows a query per row is caught here before it meets years of data.
Rows include escalated, legal-routed, resolved and reviewed incidents, so every column has data.
"""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents.escalation import services as flow
from incidents.review.rules import Review
from tests.factories import file_incident

ACCEPTED_LOW_QUOTE = dict(
    attachments=["Quotation_Q-1.pdf"],
    quoted_price=Decimal("80"),
    correct_price=Decimal("100"),
    currency="USD",
    recipient_status="accepted",
)


def file_some(employee, manager, resolver, count: int) -> None:
    for n in range(count):
        incident = file_incident(employee, **(ACCEPTED_LOW_QUOTE if n % 2 else {}))
        if n % 3 == 0:
            flow.incident_acknowledge(incident=incident, actor=manager, route="manager")
        if n % 4 == 1:  # a critical one, legal's: both the open and the resolved part of legal's queue have rows
            flow.incident_resolve(
                incident=incident,
                actor=resolver,
                note="Called them; deleted.",
                review=Review(cause="haste", habits=("send_delay",)),
            )


def queries_for(client, url: str) -> int:
    # Bring the dashboard's rollups up to date, and measure a page built afresh (not from its cache),
    # in a process whose copy of the directory's choices is current (the first page after a
    # directory change reads them once: filters.directory_choices).
    call_command("dashboard_rollups")
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        b"".join(response) if response.streaming else response.content
    return len(captured)


@pytest.mark.parametrize(
    "who, url",
    [
        ("employee", "/incidents/?severity=high&severity=critical&q=quotation"),
        ("manager", "/incidents/triage/"),
        ("manager", "/incidents/triage/?severity=critical"),
        ("legal", "/incidents/legal/"),
        ("legal", "/incidents/legal/?status=resolved"),
        ("manager", "/incidents/inbox/"),
        ("legal", "/incidents/inbox/"),
        ("manager", "/incidents/dashboard/"),
        ("legal", "/api/incidents/?severity=critical"),
        ("manager", "/incidents/export/"),
    ],
)
def test_each_list_costs_the_same_queries_for_4_and_24_incidents(
    who, url, client, directory, employee, manager, legal, superuser, request
):
    client.force_login(request.getfixturevalue(who))
    file_some(employee, manager, superuser, 4)
    few = queries_for(client, url)
    file_some(employee, manager, superuser, 20)
    assert queries_for(client, url) == few


def test_the_unread_badge_counts_up_to_99_and_then_says_99_plus(client, directory, employee, manager):
    from incidents.models import Notification

    client.force_login(manager)
    incident = file_incident(employee, **ACCEPTED_LOW_QUOTE)
    sample = Notification.objects.filter(incident=incident).first()

    def unread(count: int) -> None:
        Notification.objects.filter(recipient=manager, channel="inbox").delete()
        Notification.objects.bulk_create(
            [
                Notification(
                    escalation=sample.escalation,
                    incident=incident,
                    route=sample.route,
                    level=sample.level,
                    loop=100 + n,
                    recipient=manager,
                    recipient_key=f"user:{manager.pk}",
                    channel="inbox",
                )
                for n in range(count)
            ]
        )

    unread(99)
    page = client.get("/incidents/").content.decode()
    assert 'aria-label="unread">99<' in page and "99 unread" in page
    unread(100)
    page = client.get("/incidents/").content.decode()
    assert 'aria-label="unread">99+<' in page and "99+ unread" in page
