"""Who sees an incident beyond its reporter and team managers, on every list that shows it.

Managers and legal see what was routed to them or escalated to them, and keep seeing it when a
later edit lowers the route (an open escalation, or its history, must not vanish from their lists).
Each row is checked on the incident list, the legal queue or triage, the incident page and the API.
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from incidents.escalation import services as flow
from incidents.reports.services import incident_update
from tests.factories import file_incident, report

INTERNAL = dict(to=["colleague@ourco.com"], intended=["colleague@ourco.com"], problems=["wrong_content"])
QUOTE_TO_OTHER_CLIENT = dict(attachments=["Quotation_Q-1.pdf"])
# A price far too low that the client accepted: critical, routed to managers and legal.
ACCEPTED_LOW_QUOTE = dict(
    attachments=["Quotation_Q-1.pdf"],
    quoted_price=Decimal("80"),
    correct_price=Decimal("100"),
    currency="USD",
    recipient_status="accepted",
)


def low(employee, **_):
    return file_incident(employee, **INTERNAL)


def routed_to_managers(employee, **_):
    return file_incident(employee, **QUOTE_TO_OTHER_CLIENT)


def routed_to_both(employee, **_):
    incident = file_incident(employee, **ACCEPTED_LOW_QUOTE)
    assert incident.route_manager and incident.route_legal
    return incident


def escalated_by_hand_to(route):
    def make(employee, manager):
        incident = low(employee)
        flow.escalation_start(incident=incident, route=route, actor=manager, reason="the client phoned")
        return incident

    return make


def routed_then_lowered(employee, **_):
    incident = routed_to_both(employee)
    incident_update(incident=incident, actor=employee, report=report(**INTERNAL, sent_at=incident.sent_at))
    incident.refresh_from_db()
    assert not incident.route_manager and not incident.route_legal
    return incident


def sees(user, incident) -> dict[str, bool]:
    web = APIClient()
    web.force_login(user)
    listed = {row.pk for row in web.get(reverse("incidents:list")).context["page"].object_list}
    api = APIClient()
    api.force_authenticate(user)
    answers = {
        "list": incident.pk in listed,
        "page": web.get(incident.get_absolute_url()).status_code == 200,
        "api": api.get(f"/api/incidents/{incident.pk}/").status_code == 200,
    }
    legal_queue = web.get(reverse("incidents:legal"))
    if legal_queue.status_code == 200:
        answers["legal queue"] = incident.pk in {row.pk for row in legal_queue.context["page"].object_list}
    return answers


@pytest.mark.parametrize(
    "make, manager_sees, legal_sees",
    [
        (low, False, False),
        (routed_to_managers, True, False),
        (routed_to_both, True, True),
        (escalated_by_hand_to("legal"), False, True),
        (escalated_by_hand_to("manager"), True, False),
        (routed_then_lowered, True, True),
    ],
    ids=[
        "low",
        "routed-to-managers",
        "routed-to-both",
        "escalated-to-legal",
        "escalated-to-managers",
        "routed-then-lowered",
    ],
)
def test_managers_and_legal_see_what_was_routed_or_escalated_to_them_on_every_path(
    make, manager_sees, legal_sees, directory, employee, manager, other_manager, legal
):
    incident = make(employee, manager=manager)
    # other_manager is in the Manager group but manages no team: only the audience lets them see it.
    assert set(sees(other_manager, incident).values()) == {manager_sees}
    assert set(sees(legal, incident).values()) == {legal_sees}
    # The reporter and their team's manager always see it.
    assert set(sees(employee, incident).values()) == {True}
    assert set(sees(manager, incident).values()) == {True}
