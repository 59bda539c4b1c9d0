"""The audit trail: every change to an incident, escalation, policy, template, directory entry or role
leaves an entry saying who, when and each field before and after; what it must not keep it does not."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incidents.audit import services as audit
from incidents.escalation import services as flow
from incidents.escalation import sweeper
from incidents.models import (
    AuditEntry,
    DraftTemplate,
    EscalationPolicy,
    Incident,
    MailDomain,
    Notification,
    Organisation,
    PriceFloor,
    Team,
)
from incidents.notifications import services as notifications
from tests.audit.support_trail import CREATE, EXPORT_URL, UPDATE, World, api_for, change_of, csv_of, entries_for
from tests.factories import UserFactory, file_incident
from tests.support_admin import level, policy_form

pytestmark = pytest.mark.usefixtures("in_english")


API_REPORT = {
    "subject": "Quotation Q-7",
    "sent_at": "2026-11-02T09:30:00Z",
    "mail_system": "gmail",
    "sender": "erin@ourco.com",
    "recipients": [{"address": "li.wei@globex.com.cn", "field": "to"}],
    "intended_recipients": ["buyer@acme-trading.com"],
    "problems": ["wrong_recipient"],
}


def filed_over_the_api(w):
    response = api_for(w.employee).post("/api/incidents/", API_REPORT, format="json")
    assert response.status_code == 201, response.content
    return Incident.objects.get(pk=response.json()["id"]), "subject", "None", "Quotation Q-7"


def filed_escalation(w):
    return w.incident.escalations.get(), "status", "None", "active"


def edited_over_the_api_with_a_token(w):
    response = api_for(w.employee).patch(f"/api/incidents/{w.incident.pk}/", {"subject": "Order Q-2"}, format="json")
    assert response.status_code == 200, response.content
    return w.incident, "subject", "Order Q-1 for Acme", "Order Q-2"


def recipients_edited_over_the_api(w):
    body = {"recipients": [{"address": "eve@rival-exports.com", "field": "cc"}]}
    assert api_for(w.employee).patch(f"/api/incidents/{w.incident.pk}/", body, format="json").status_code == 200
    return (
        w.incident,
        "recipients",
        "to: li.wei@globex.com.cn; intended: buyer@acme-trading.com",
        "cc: eve@rival-exports.com; intended: buyer@acme-trading.com",
    )


def acknowledged_with_the_button(w):
    w.client.force_login(w.manager)
    assert w.client.post(reverse("incidents:acknowledge", args=[w.incident.pk])).status_code == 302
    return w.incident.escalations.get(), "status", "active", "acknowledged"


def incident_acknowledged_with_the_button(w):
    acknowledged_with_the_button(w)
    return w.incident, "status", "open", "acknowledged"


def taken_over_over_the_api(w):
    assert api_for(w.manager).post(f"/api/incidents/{w.incident.pk}/take-over/").status_code == 200
    return w.incident, "assignee", "None", str(w.manager.pk)


def resolved_over_the_api(w):
    incident = file_incident(
        w.employee, to=["colleague@ourco.com"], intended=["team@ourco.com"], problems=["wrong_content"]
    )
    assert (
        api_for(w.employee).post(f"/api/incidents/{incident.pk}/resolve/", {"note": "ok"}, format="json").status_code
        == 200
    )
    return incident, "status", "open", "resolved"


def acknowledged_by_the_emailed_link(w):
    claim = Notification.objects.get(incident=w.incident, recipient=w.manager, channel="email", level=0)
    notifications.deliver(claim.pk)
    url = re.search(r"http://\S+/ack/\S+/", mail.outbox[-1].body).group(0)
    w.client.logout()
    assert w.client.post("/" + url.split("/", 3)[-1]).status_code == 200
    return w.incident.escalations.get(), "acknowledged_by", "None", str(w.manager.pk)


def escalated_to_legal_by_hand(w):
    body = {"route": "legal", "reason": "The buyer is a state firm."}
    assert api_for(w.manager).post(f"/api/incidents/{w.incident.pk}/escalate/", body, format="json").status_code == 200
    return w.incident, "legal_audience", "False", "True"


def restarted_after_acknowledgement(w):
    flow.incident_acknowledge(incident=w.incident, actor=w.manager)
    flow.escalation_close(escalation=w.incident.escalations.get(), actor=w.manager, reason="Handled")
    body = {"route": "manager", "reason": "It came back."}
    assert api_for(w.manager).post(f"/api/incidents/{w.incident.pk}/escalate/", body, format="json").status_code == 200
    return Incident.objects.get(pk=w.incident.pk), "status", "acknowledged", "open"


def policy_renamed_in_the_admin(w):
    policy = EscalationPolicy.objects.get(route="manager")
    levels = [
        level(
            position=lv.position,
            delay=str(lv.delay_minutes),
            reporter_team_managers="on" if lv.notify_reporter_team_managers else "",
            users=[u.pk for u in lv.users.all()],
            teams=[t.pk for t in lv.teams.all()],
            groups=[g.pk for g in lv.groups.all()],
            pk=str(lv.pk),
        )
        for lv in policy.levels.all()
    ]
    w.client.force_login(w.superuser)
    data = policy_form(levels, name="Night shift", repeat=str(policy.repeat), initial=len(levels), policy_pk=policy.pk)
    response = w.client.post(reverse("admin:incidents_escalationpolicy_change", args=[policy.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return policy, "name", "Managers", "Night shift"


def template_added_in_the_admin(w):
    w.client.force_login(w.superuser)
    response = w.client.post(
        reverse("admin:incidents_drafttemplate_add"),
        {
            "kind": "deletion_request",
            "language": "en",
            "part": "subject",
            "active": "on",
            "source": "PLEASE DELETE: {{ original_subject }}",
            "versions-TOTAL_FORMS": "0",
            "versions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    return DraftTemplate.objects.get(), "source", "None", "PLEASE DELETE: {{ original_subject }}"


def organisation_added_in_the_admin(w):
    w.client.force_login(w.superuser)
    response = w.client.post(
        reverse("admin:incidents_organisation_add"),
        {
            "name": "Huaxin",
            "kind": "client",
            "language": "",
            "domains-TOTAL_FORMS": "0",
            "domains-INITIAL_FORMS": "0",
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    return Organisation.objects.get(name="Huaxin"), "kind", "None", "client"


def domain_imported_by_the_command(w, tmp_path_factory=None):
    path = timezone.now().strftime("/tmp/audit-directory-%f.csv")
    with open(path, "w", encoding="utf-8") as file:
        file.write("name,kind,domains\nHuaxin,client,huaxin.com.cn\n")
    call_command("import_directory", path, stdout=io.StringIO(), stderr=io.StringIO())
    return MailDomain.objects.get(domain="huaxin.com.cn"), "domain", "None", "huaxin.com.cn"


def floor_added_in_the_admin(w):
    w.client.force_login(w.superuser)
    response = w.client.post(
        reverse("admin:incidents_pricefloor_add"),
        {"product": "Ball valve", "other_words": "", "currency": "USD", "floor": "3.00"},
    )
    assert response.status_code == 302
    return PriceFloor.objects.get(), "floor", "None", "3.00"


def role_given_in_the_user_admin(w):
    w.client.force_login(w.superuser)
    groups = [str(Group.objects.get(name=name).pk) for name in ("Employee", "Manager")]
    response = w.client.post(
        reverse("admin:auth_user_change", args=[w.employee.pk]),
        {
            "username": w.employee.username,
            "email": w.employee.email,
            "is_active": "on",
            "groups": groups,
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "profile-TOTAL_FORMS": "0",
            "profile-INITIAL_FORMS": "0",
            "profile-MIN_NUM_FORMS": "0",
            "profile-MAX_NUM_FORMS": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return w.employee, "groups", "Employee", "Employee, Manager"


def role_given_from_the_groups_side(w):
    Group.objects.get(name="Legal").user_set.add(w.employee)
    return w.employee, "groups", "Employee", "Employee, Legal"


def team_manager_named_in_the_admin(w):
    team = Team.objects.get()
    w.client.force_login(w.superuser)
    response = w.client.post(
        reverse("admin:incidents_team_change", args=[team.pk]),
        {"name": team.name, "members": [str(w.employee.pk)], "managers": [str(w.manager.pk), str(w.legal.pk)]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return team, "managers", "max", "lena, max"


def swept_to_the_next_level(w):
    sweeper.sweep(now=timezone.now() + timedelta(minutes=16))
    return w.incident.escalations.get(), "level", "0", "1"


# (how the change is made, who the trail must name: a fixture's username, or None for the system)
CHANGES = {
    "incident filed over the API": (filed_over_the_api, CREATE, "erin"),
    "escalation started by the filing": (filed_escalation, CREATE, "erin"),
    "incident edited over the API with a token": (edited_over_the_api_with_a_token, UPDATE, "erin"),
    "recipients edited over the API": (recipients_edited_over_the_api, UPDATE, "erin"),
    "escalation acknowledged with the button": (acknowledged_with_the_button, UPDATE, "max"),
    "incident acknowledged with the button": (incident_acknowledged_with_the_button, UPDATE, "max"),
    "incident taken over over the API": (taken_over_over_the_api, UPDATE, "max"),
    "incident resolved over the API": (resolved_over_the_api, UPDATE, "erin"),
    "escalation acknowledged by the emailed link": (acknowledged_by_the_emailed_link, UPDATE, "max"),
    "audience widened by escalating by hand (a queryset update)": (escalated_to_legal_by_hand, UPDATE, "max"),
    "incident reopened by a restarted escalation (a queryset update)": (restarted_after_acknowledgement, UPDATE, "max"),
    "policy renamed in the admin": (policy_renamed_in_the_admin, UPDATE, "root"),
    "draft template added in the admin": (template_added_in_the_admin, CREATE, "root"),
    "organisation added in the admin": (organisation_added_in_the_admin, CREATE, "root"),
    "domain imported by the command (bulk_create)": (domain_imported_by_the_command, CREATE, None),
    "price floor added in the admin": (floor_added_in_the_admin, CREATE, "root"),
    "role given in the user admin": (role_given_in_the_user_admin, UPDATE, "root"),
    "role given from the group's side": (role_given_from_the_groups_side, UPDATE, None),
    "team manager named in the admin": (team_manager_named_in_the_admin, UPDATE, "root"),
    "escalation swept to its next level": (swept_to_the_next_level, UPDATE, None),
}


@pytest.mark.parametrize("make_change,action,who", CHANGES.values(), ids=CHANGES.keys())
def test_every_change_leaves_who_when_and_before_and_after(world, make_change, action, who):
    started = timezone.now()
    obj, field, before, after = make_change(world)
    entry = change_of(obj, field)
    assert entry.action == action
    assert entry.changes[field] == [before, after]
    assert (entry.actor.username if entry.actor else None) == who
    assert started - timedelta(seconds=1) <= entry.timestamp <= timezone.now()


def test_a_request_records_the_clients_address_and_not_a_forwarded_header_anyone_can_write(world):
    api = api_for(world.employee)
    api.patch(
        f"/api/incidents/{world.incident.pk}/",
        {"subject": "Order Q-2"},
        format="json",
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    assert change_of(world.incident, "subject").remote_addr == "203.0.113.7"


def test_the_trail_keeps_no_password_and_only_a_digest_of_the_email_text(world):
    world.employee.set_password("a-new-long-password-1")
    world.employee.save()
    assert not any("password" in (entry.changes or {}) for entry in entries_for(world.employee))
    api_for(world.employee).patch(
        f"/api/incidents/{world.incident.pk}/", {"body": "ID 11010519491231002X"}, format="json"
    )
    _before, after = change_of(world.incident, "body").changes["body"]
    assert "11010519491231002X" not in after and after.startswith("[21 characters, sha256 ")


def test_filing_writes_its_entries_in_one_insert(directory, employee, manager, legal):
    with CaptureQueriesContext(connection) as captured:
        incident = file_incident(employee, attachments=["Quotation_Q-1.pdf"])
    inserts = [q["sql"] for q in captured.captured_queries if q["sql"].startswith('INSERT INTO "auditlog_logentry"')]
    assert len(inserts) == 1
    assert entries_for(incident).count() == 1 and entries_for(incident.escalations.get()).count() == 1


def test_a_change_outside_the_audited_kinds_and_a_save_that_changes_nothing_leave_no_entry(world):
    before = AuditEntry.objects.count()
    notifications.inbox_mark_read(list(Notification.objects.filter(channel="inbox")))
    world.incident.save(update_fields=["subject"])
    assert AuditEntry.objects.count() == before


def test_the_acting_user_of_a_service_wins_over_nobody(world):
    with audit.acting(world.legal):
        audit.record_change(world.incident, {"status": ("open", "open"), "subject": ("a", "b")})
    entry = change_of(world.incident, "subject")
    assert entry.actor == world.legal and list(entry.changes) == ["subject"]


def test_a_deleted_users_entries_stay_and_name_them_by_email(admin_client, world):
    stan = UserFactory(username="stan", email="stan@ourco.com", is_staff=True, is_superuser=True)
    admin_client.force_login(stan)
    taken_over_over_the_api(World(admin_client, world.employee, stan, world.legal, stan, world.incident))
    admin_client.force_login(world.superuser)
    assert admin_client.post(reverse("admin:auth_user_delete", args=[stan.pk]), {"post": "yes"}).status_code == 302
    entry = change_of(world.incident, "assignee")
    assert entry.actor is None and entry.actor_email == "stan@ourco.com"
    rows = csv_of(admin_client.get(EXPORT_URL, {"type": "incidents.incident"}))
    assert [row[1] for row in rows if row[6] == "Handled by"] == ["stan@ourco.com"]
