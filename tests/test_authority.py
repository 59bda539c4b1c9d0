"""Who may silence what: acknowledge, take over, close and resolve act only on the routes a person
answers for. Paths: page buttons, the API, the emailed link."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from incidents.models import Notification, Team
from incidents.notifications import links
from incidents.notifications import services as notifications
from tests.factories import UserFactory, file_incident

# The post-incident review a high or critical incident needs to be resolved.
REVIEW = {"cause": "autocomplete", "habits": ["pause_checklist"]}

CRITICAL_QUOTE = {
    "to": ["buyer@acme-trading.com"],
    "intended": ["buyer@acme-trading.com"],
    "problems": ["wrong_price"],
    "quoted_price": Decimal("80"),
    "correct_price": Decimal("100"),
    "currency": "USD",
    "recipient_status": "accepted",
}


@pytest.fixture
def both_routes(directory, employee, manager, legal):
    incident = file_incident(employee, **CRITICAL_QUOTE)
    assert {e.route for e in incident.escalations.all()} == {"manager", "legal"}
    return incident


@pytest.fixture
def other_team_manager(db):
    """Manages another team; not in the Manager group."""
    user = UserFactory(username="otto")
    Team.objects.create(name="Purchasing").managers.add(user)
    return user


def api_for(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return api


def states(incident) -> dict[str, str]:
    return {e.route: e.status for e in incident.escalations.all()}


def test_a_managers_take_over_acknowledges_the_manager_route_only(client, both_routes, manager):
    client.force_login(manager)
    client.post(reverse("incidents:take_over", args=[both_routes.pk]))
    assert states(both_routes) == {"manager": "acknowledged", "legal": "active"}
    both_routes.refresh_from_db()
    assert both_routes.assignee == manager


def test_a_managers_take_over_through_the_api_leaves_legal_waiting(both_routes, manager):
    assert api_for(manager).post(f"/api/incidents/{both_routes.pk}/take-over/").status_code == 200
    assert states(both_routes) == {"manager": "acknowledged", "legal": "active"}


def test_a_manager_cannot_acknowledge_the_legal_route_by_button_or_api(client, both_routes, manager):
    client.force_login(manager)
    client.post(reverse("incidents:acknowledge", args=[both_routes.pk]))
    assert states(both_routes) == {"manager": "acknowledged", "legal": "active"}
    response = api_for(manager).post(f"/api/incidents/{both_routes.pk}/acknowledge/", {"route": "legal"}, format="json")
    assert response.status_code == 403
    assert states(both_routes)["legal"] == "active"


@pytest.mark.parametrize("path", ["page", "api"])
def test_only_legal_closes_the_legal_route(client, both_routes, manager, legal, path):
    def close(user):
        if path == "page":
            client.force_login(user)
            return client.post(
                reverse("incidents:close_escalation", args=[both_routes.pk]), {"route": "legal", "reason": "handled"}
            ).status_code
        return (
            api_for(user)
            .post(
                f"/api/incidents/{both_routes.pk}/close-escalation/",
                {"route": "legal", "reason": "handled"},
                format="json",
            )
            .status_code
        )

    assert close(manager) == 403
    assert states(both_routes)["legal"] == "active"
    assert close(legal) in (200, 302)
    assert states(both_routes)["legal"] == "closed"


def test_a_manager_of_another_team_cannot_close_or_resolve_an_incident_outside_their_scope(
    client, both_routes, other_team_manager
):
    client.force_login(other_team_manager)
    response = client.post(
        reverse("incidents:close_escalation", args=[both_routes.pk]), {"route": "manager", "reason": "x"}
    )
    assert response.status_code == 404
    assert (
        api_for(other_team_manager)
        .post(f"/api/incidents/{both_routes.pk}/resolve/", {"note": "x"}, format="json")
        .status_code
        == 404
    )
    assert states(both_routes) == {"manager": "active", "legal": "active"}


def test_the_reporter_cannot_resolve_while_a_route_is_open(client, both_routes, employee):
    client.force_login(employee)
    assert client.post(reverse("incidents:resolve", args=[both_routes.pk]), {"note": "sorted"}).status_code == 403
    assert (
        api_for(employee)
        .post(f"/api/incidents/{both_routes.pk}/resolve/", {"note": "sorted"}, format="json")
        .status_code
        == 403
    )
    both_routes.refresh_from_db()
    assert both_routes.status != "resolved"
    page = client.get(both_routes.get_absolute_url()).content.decode()
    assert "Resolve incident" not in page and "they resolve this incident" in page


def test_resolving_needs_someone_for_every_open_route(both_routes, manager, legal, superuser):
    assert (
        api_for(manager).post(f"/api/incidents/{both_routes.pk}/resolve/", {"note": "x"}, format="json").status_code
        == 403
    )
    assert (
        api_for(legal).post(f"/api/incidents/{both_routes.pk}/resolve/", {"note": "x"}, format="json").status_code
        == 403
    )
    response = api_for(superuser).post(
        f"/api/incidents/{both_routes.pk}/resolve/", {"note": "Client agreed.", "review": REVIEW}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "resolved"
    resolved = both_routes.events.get(type="resolved")
    assert resolved.actor == superuser and resolved.parameters["routes"] == ["legal", "manager"]
    closed = both_routes.events.filter(type="escalation_closed")
    assert {(e.parameters["route"], e.actor) for e in closed} == {("manager", superuser), ("legal", superuser)}
    assert (
        api_for(superuser)
        .post(f"/api/incidents/{both_routes.pk}/resolve/", {"note": "again"}, format="json")
        .status_code
        == 409
    )


def test_once_legal_closed_their_route_the_manager_can_resolve(both_routes, manager, legal):
    api_for(legal).post(
        f"/api/incidents/{both_routes.pk}/close-escalation/",
        {"route": "legal", "reason": "no offer risk"},
        format="json",
    )
    assert (
        api_for(manager)
        .post(f"/api/incidents/{both_routes.pk}/resolve/", {"note": "done", "review": REVIEW}, format="json")
        .status_code
        == 200
    )


def test_the_reporter_resolves_an_incident_nobody_was_escalated_to(directory, employee):
    incident = file_incident(
        employee, to=["colleague@ourco.com"], intended=["team@ourco.com"], problems=["wrong_content"]
    )
    assert not incident.escalations.exists()
    response = api_for(employee).post(f"/api/incidents/{incident.pk}/resolve/", {"note": "Told them."}, format="json")
    assert response.status_code == 200


def test_the_legal_queue_shows_legals_own_acknowledgement_not_the_managers(client, both_routes, manager, legal):
    client.force_login(manager)
    client.post(reverse("incidents:acknowledge", args=[both_routes.pk]))
    client.force_login(legal)
    page = client.get(reverse("incidents:legal")).content.decode()
    assert "Legal has not acknowledged" in page
    client.post(reverse("incidents:acknowledge", args=[both_routes.pk]))
    assert "Legal acknowledged (lena)" in client.get(reverse("incidents:legal")).content.decode()


def _role(name, team):
    def make():
        user = UserFactory(username=f"u-{name}")
        if name in ("manager_group", "legal"):
            user.groups.add(Group.objects.get(name={"manager_group": "Manager", "legal": "Legal"}[name]))
        if name == "team_manager":
            team.managers.add(user)
        if name == "superuser":
            user.is_superuser = True
            user.save()
        return user

    return make


@pytest.mark.parametrize(
    "role,triage,legal_queue",
    [
        ("employee", False, False),
        ("team_manager", True, False),
        ("manager_group", True, False),
        ("legal", False, True),
        ("superuser", True, True),
    ],
)
def test_queue_links_and_queue_urls_agree(client, team, role, triage, legal_queue):
    client.force_login(_role(role, team)())
    nav = client.get(reverse("incidents:list")).content.decode()
    for name, allowed in (("triage", triage), ("legal", legal_queue)):
        link = f'href="{reverse("incidents:" + name)}"'
        assert (link in nav) == allowed, (name, "link")
        assert client.get(reverse("incidents:" + name)).status_code == (200 if allowed else 404), (name, "url")


def test_a_manager_told_about_the_legal_route_gets_no_link_that_silences_legal(
    client, settings, both_routes, manager, legal
):
    from datetime import timedelta

    from django.utils import timezone

    from incidents.escalation.sweeper import sweep

    sweep(now=timezone.now() + timedelta(minutes=31))  # legal level 2: Legal again plus the managers
    claim = Notification.objects.filter(incident=both_routes, route="legal", recipient=manager, channel="email").first()
    assert claim is not None
    notifications.deliver(claim.pk)
    body = mail.outbox[-1].body
    assert "/ack/" not in body and "Only Legal can acknowledge" in body
    legal_claim = Notification.objects.filter(
        incident=both_routes, route="legal", recipient=legal, channel="email"
    ).first()
    token_path = "/ack/" + links.acknowledge_url(claim).rsplit("/ack/", 1)[1]
    assert client.post(token_path).status_code == 403
    assert states(both_routes)["legal"] == "active"
    notifications.deliver(legal_claim.pk)
    assert re.search(r"/ack/\S+/", mail.outbox[-1].body)
