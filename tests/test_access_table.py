"""Who may do what, on every path: each action x each role x each path (page, API, admin) answers as
incidents/access.py decides, and what is refused changes nothing.

The incident: a firm quote to the wrong client at half the price, filed by the reporter. It is high,
routed to managers and to legal, with both escalations open. Answers: allowed -> the path's success;
refused to someone who may see the incident -> 403; refused to someone who may not see it -> 404.
"""

from __future__ import annotations

from decimal import Decimal
from email.message import EmailMessage

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from incidents.models import DraftRecord, Escalation, HeldMessage, Incident
from incidents.relay.services import hold
from tests.factories import UserFactory, file_incident

ROLES = ("reporter", "colleague", "own_manager", "other_manager", "legal", "admin")
SEES = {"reporter", "own_manager", "other_manager", "legal", "admin"}  # a colleague of the reporter does not
EDITORS = {"reporter", "own_manager", "admin"}  # a manager of another team reads but does not edit
MANAGER_ROUTE = {"own_manager", "other_manager", "admin"}
LEGAL_ROUTE = {"legal", "admin"}

# action -> (who may, paths it has)
ACTIONS = {
    "see": (SEES, ("page", "api")),
    "edit facts": (EDITORS, ("page", "api")),
    "dismiss a signal": (EDITORS, ("api",)),
    "add evidence": (EDITORS, ("page", "api")),
    "acknowledge the routes one answers for": (MANAGER_ROUTE | LEGAL_ROUTE, ("page", "api")),
    "acknowledge the managers' route": (MANAGER_ROUTE, ("api",)),
    "acknowledge the legal route": (LEGAL_ROUTE, ("api",)),
    "take over": (MANAGER_ROUTE | LEGAL_ROUTE, ("page", "api")),
    "close the managers' route": (MANAGER_ROUTE, ("page", "api")),
    "close the legal route": (LEGAL_ROUTE, ("page", "api")),
    "resolve": ({"admin"}, ("page", "api")),  # both routes open: only who answers for both
    "approve a draft": (LEGAL_ROUTE, ("page", "api")),
    "word a draft": (EDITORS, ("page", "api")),
    "mark a draft sent": (EDITORS, ("page", "api")),
    "escalate by hand": (MANAGER_ROUTE, ("page", "api")),
}
CASES = [(action, role, path) for action, (_who, paths) in ACTIONS.items() for role in ROLES for path in paths]

REVIEW = {"cause": "autocomplete", "damage_limited_by": "Phoned Globex.", "habits": ["send_delay"]}


@pytest.fixture
def people(team, employee, manager, other_manager, legal, superuser):
    colleague = UserFactory(username="carl")
    colleague.groups.add(Group.objects.get(name="Employee"))
    team.members.add(colleague)
    return {
        "reporter": employee,
        "colleague": colleague,
        "own_manager": manager,
        "other_manager": other_manager,
        "legal": legal,
        "admin": superuser,
    }


@pytest.fixture
def incident(directory, people):
    filed = file_incident(
        people["reporter"],
        subject="Quotation Q-1 for Acme: USD 50 per unit",
        quoted_price=Decimal("50"),
        correct_price=Decimal("100"),
        currency="USD",
        firm_offer=True,
    )
    assert (filed.severity, filed.route_manager, filed.route_legal) == ("high", True, True)
    assert set(filed.escalations.values_list("route", flat=True)) == {"manager", "legal"}
    return filed


def sent_message() -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "erin@ourco.com", "li.wei@globex.com.cn", "Quotation Q-1"
    message["Date"] = "Tue, 01 Dec 2026 09:30:00 +0800"
    message.set_content("Dear Li Wei,\n\nPlease find our quotation.\n")
    return message.as_bytes()


def upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("sent.eml", sent_message(), content_type="message/rfc822")


def state(incident: Incident) -> tuple:
    """What any of the actions would change."""
    incident.refresh_from_db()
    return (
        incident.subject,
        dict(incident.dismissed_signals or {}),
        incident.status,
        incident.assignee_id,
        incident.evidence.count(),
        tuple(incident.escalations.order_by("route").values_list("route", "status", "loop")),
        tuple(DraftRecord.objects.filter(incident=incident).values_list("key", "approval", "subject", "sent_at")),
    )


def page_request(client: Client, action: str, incident: Incident):
    pk, withdrawal, deletion = incident.pk, "offer_withdrawal:globex.com.cn", "deletion_request:globex.com.cn"
    requests = {
        "see": lambda: client.get(reverse("incidents:detail", args=[pk])),
        "edit facts": lambda: client.get(reverse("incidents:edit", args=[pk])),
        "add evidence": lambda: client.post(reverse("incidents:evidence_add", args=[pk]), {"message": upload()}),
        "acknowledge the routes one answers for": lambda: client.post(reverse("incidents:acknowledge", args=[pk])),
        "take over": lambda: client.post(reverse("incidents:take_over", args=[pk])),
        "close the managers' route": lambda: client.post(
            reverse("incidents:close_escalation", args=[pk]), {"route": "manager", "reason": "Handled by phone."}
        ),
        "close the legal route": lambda: client.post(
            reverse("incidents:close_escalation", args=[pk]), {"route": "legal", "reason": "No offer was accepted."}
        ),
        "resolve": lambda: client.post(
            reverse("incidents:resolve", args=[pk]), {"note": "Withdrawn and apologised.", **REVIEW}
        ),
        "approve a draft": lambda: client.post(
            reverse("incidents:draft_decision", args=[pk, withdrawal]), {"decision": "approve", "comment": ""}
        ),
        "word a draft": lambda: client.post(
            reverse("incidents:draft_save", args=[pk, deletion]), {"subject": "Please delete", "text": "Please."}
        ),
        "mark a draft sent": lambda: client.post(
            reverse("incidents:draft_sent", args=[pk, deletion]), {"channel": "clipboard"}
        ),
        "escalate by hand": lambda: client.post(
            reverse("incidents:escalate", args=[pk]), {"route": "manager", "reason": "Client called."}
        ),
    }
    return requests[action]()


def api_request(api: APIClient, action: str, incident: Incident):
    base = f"/api/incidents/{incident.pk}/"
    draft = f"{base}drafts/deletion_request:globex.com.cn/"
    requests = {
        "see": lambda: api.get(base),
        "edit facts": lambda: api.patch(base, {"subject": "Quotation Q-1 (corrected)"}, format="json"),
        "dismiss a signal": lambda: api.patch(
            base, {"dismissed_signals": {"personal_data": "Test data."}}, format="json"
        ),
        "add evidence": lambda: api.post(f"{base}evidence/", {"file": upload()}, format="multipart"),
        "acknowledge the routes one answers for": lambda: api.post(f"{base}acknowledge/", {}, format="json"),
        "acknowledge the managers' route": lambda: api.post(f"{base}acknowledge/", {"route": "manager"}, format="json"),
        "acknowledge the legal route": lambda: api.post(f"{base}acknowledge/", {"route": "legal"}, format="json"),
        "take over": lambda: api.post(f"{base}take-over/", format="json"),
        "close the managers' route": lambda: api.post(
            f"{base}close-escalation/", {"route": "manager", "reason": "Handled by phone."}, format="json"
        ),
        "close the legal route": lambda: api.post(
            f"{base}close-escalation/", {"route": "legal", "reason": "No offer was accepted."}, format="json"
        ),
        "resolve": lambda: api.post(
            f"{base}resolve/", {"note": "Withdrawn and apologised.", "review": REVIEW}, format="json"
        ),
        "approve a draft": lambda: api.post(
            f"{base}drafts/offer_withdrawal:globex.com.cn/decision/", {"decision": "approve"}, format="json"
        ),
        "word a draft": lambda: api.patch(draft, {"subject": "Please delete", "text": "Please."}, format="json"),
        "mark a draft sent": lambda: api.post(f"{draft}sent/", {"channel": "clipboard"}, format="json"),
        "escalate by hand": lambda: api.post(
            f"{base}escalate/", {"route": "manager", "reason": "Client called."}, format="json"
        ),
    }
    return requests[action]()


SUCCESS = {"page": {"see": 200, "edit facts": 200}, "api": {"add evidence": 201}}


@pytest.mark.parametrize(("action", "role", "path"), CASES, ids=[" / ".join(case) for case in CASES])
def test_every_action_answers_each_role_on_each_path_as_access_decides(people, incident, action, role, path):
    user = people[role]
    allowed = role in ACTIONS[action][0]
    before = state(incident)
    if path == "page":
        client = Client()
        client.force_login(user)
        response = page_request(client, action, incident)
    else:
        api = APIClient()
        api.force_authenticate(user)
        response = api_request(api, action, incident)
    if allowed:
        assert response.status_code == SUCCESS[path].get(action, 302 if path == "page" else 200), response.content[:300]
    else:
        assert response.status_code == (403 if role in SEES else 404)
        assert state(incident) == before, "a refused action changed something"


@pytest.fixture
def held(directory, people):
    result = hold.message_hold(
        envelope_from="erin@ourco.com", envelope_recipients=["li.wei@globex.com.cn"], raw=sent_message()
    )
    return HeldMessage.objects.get(pk=result.held_id)


HELD_ACTIONS = {
    "send now": ("incidents:held_send_now", {"reporter", "admin"}),
    "cancel": ("incidents:held_cancel", {"reporter", "admin"}),
    "see": ("incidents:held", {"reporter", "admin"}),
}


@pytest.mark.parametrize(("action", "role"), [(a, r) for a in HELD_ACTIONS for r in ROLES])
def test_a_held_message_answers_its_sender_and_administrators_only(people, held, action, role):
    name, allowed = HELD_ACTIONS[action]
    client = Client()
    client.force_login(people[role])
    url = reverse(name, args=[held.pk])
    response = client.get(url) if action == "see" else client.post(url)
    if role in allowed:
        assert response.status_code == (200 if action == "see" else 302)
    else:
        assert response.status_code == 404  # someone else's held message does not exist for them
        assert HeldMessage.objects.get(pk=held.pk).status == HeldMessage.Status.HELD


@pytest.mark.parametrize("role", ROLES)
def test_a_cancelled_message_becomes_a_report_only_for_its_sender(people, held, role):
    owner = Client()
    owner.force_login(people["reporter"])
    owner.post(reverse("incidents:held_cancel", args=[held.pk]))
    client = Client()
    client.force_login(people[role])
    response = client.post(reverse("incidents:held_report", args=[held.pk]))
    assert response.status_code == (302 if role == "reporter" else 404)
    assert HeldMessage.objects.get(pk=held.pk).pending_report_id is not None or role != "reporter"


@pytest.mark.parametrize("role", ROLES)
def test_only_administrators_read_the_audit_trail(people, incident, role):
    client = Client()
    client.force_login(people[role])
    response = client.get(reverse("admin:incidents_auditentry_changelist"))
    assert response.status_code == (200 if role == "admin" else 302)  # the admin's login page for the others


@pytest.mark.parametrize(("role", "allowed"), [("own_manager", True), ("other_manager", False), ("legal", False)])
def test_in_the_admin_a_staff_account_changes_only_what_access_lets_it_edit(people, incident, role, allowed):
    """Staff accounts with the model's change permission still only change the incidents access lets them edit."""
    from django.contrib.auth.models import Permission

    user = people[role]
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_incident", "change_incident"]))
    client = Client()
    client.force_login(user)
    url = reverse("admin:incidents_incident_change", args=[incident.pk])
    page = client.get(url)
    if allowed:
        assert page.status_code == 200 and b'name="subject"' in page.content
    else:
        assert page.status_code in (200, 302) and b'name="subject"' not in page.content  # read-only or absent
    response = client.post(url, {"subject": "Changed in the admin"})
    incident.refresh_from_db()
    assert (incident.subject == "Changed in the admin") is False or allowed
    if not allowed:
        assert response.status_code in (302, 403)


def test_the_table_covers_every_action_role_and_path():
    assert len(CASES) == sum(len(paths) for _who, paths in ACTIONS.values()) * len(ROLES)
    assert {role for who, _paths in ACTIONS.values() for role in who} <= set(ROLES)
    assert Escalation.Status.CLOSED  # the close actions close a route of this incident
