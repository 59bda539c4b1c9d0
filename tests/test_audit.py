"""The audit trail: every change to an incident, escalation, policy, template, directory entry or role
leaves an entry saying who, when and each field before and after; nobody can edit or delete one; admins
export it as CSV."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

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
from tests.factories import UserFactory, file_incident
from tests.support_admin import level, policy_form

CREATE, UPDATE, DELETE = 0, 1, 2
EXPORT_URL = reverse("admin:incidents_auditentry_export")
CHANGELIST_URL = reverse("admin:incidents_auditentry_changelist")


pytestmark = pytest.mark.usefixtures("in_english")


def api_for(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return api


def entries_for(obj):
    return AuditEntry.objects.get_for_object(obj).order_by("id")


def change_of(obj, field: str) -> AuditEntry:
    """The latest entry of the object that records the field."""
    found = [entry for entry in entries_for(obj) if field in (entry.changes or {})]
    assert found, f"no audit entry of {obj!r} records {field}: {[e.changes for e in entries_for(obj)]}"
    return found[-1]


@dataclass
class World:
    client: object
    employee: object
    manager: object
    legal: object
    superuser: object
    incident: Incident  # high, routed to managers: an escalation waits for the manager


@pytest.fixture
def world(client, directory, employee, manager, legal, superuser):
    return World(
        client, employee, manager, legal, superuser, file_incident(employee, attachments=["Quotation_Q-1.pdf"])
    )


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


# Nobody edits the trail: not an admin, not a superuser.


@pytest.fixture
def admin_client(client, superuser, world):
    client.force_login(superuser)
    return client


def test_the_admin_lists_and_shows_entries_but_cannot_add_change_or_delete_them(admin_client, world):
    entry = entries_for(world.incident).first()
    assert admin_client.get(CHANGELIST_URL).status_code == 200
    page = admin_client.get(reverse("admin:incidents_auditentry_change", args=[entry.pk]))
    assert page.status_code == 200 and "Order Q-1 for Acme" in page.content.decode()
    assert admin_client.get(reverse("admin:incidents_auditentry_add")).status_code == 403
    assert admin_client.post(reverse("admin:incidents_auditentry_add"), {"object_repr": "forged"}).status_code == 403
    assert (
        admin_client.post(
            reverse("admin:incidents_auditentry_change", args=[entry.pk]), {"object_repr": "forged"}
        ).status_code
        == 403
    )
    assert admin_client.get(reverse("admin:incidents_auditentry_delete", args=[entry.pk])).status_code == 403
    assert (
        admin_client.post(reverse("admin:incidents_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code
        == 403
    )
    actions = [
        value for value, _label in admin_client.get(CHANGELIST_URL).context["action_form"].fields["action"].choices
    ]
    assert "delete_selected" not in actions and "export_selected" in actions
    admin_client.post(CHANGELIST_URL, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"})
    entry.refresh_from_db()
    assert entry.object_repr.startswith(f"#{world.incident.pk}")


def test_auditlogs_own_admin_is_gone_and_the_api_has_no_way_to_the_trail(admin_client, world):
    assert admin_client.get("/admin/auditlog/logentry/").status_code == 404
    schema = api_for(world.employee).get("/api/schema/", HTTP_ACCEPT="application/json").content.decode().lower()
    assert "audit" not in schema and "logentry" not in schema


def test_staff_need_the_view_permission_to_see_or_export_the_trail(client, world):
    staff = UserFactory(username="stan", is_staff=True)
    client.force_login(staff)
    assert client.get(CHANGELIST_URL).status_code == 403
    assert client.get(EXPORT_URL).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_auditentry"))
    assert client.get(CHANGELIST_URL).status_code == 200
    assert client.get(EXPORT_URL).status_code == 200
    assert client.get(reverse("admin:incidents_auditentry_add")).status_code == 403


def test_employees_and_managers_cannot_reach_the_trail(client, world):
    for user in (world.employee, world.manager):
        client.force_login(user)
        assert client.get(EXPORT_URL).status_code == 302  # to the admin's login page
        assert client.get(CHANGELIST_URL).status_code == 302


# Export


def csv_of(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-trail-')
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


HEADER = [
    "When (UTC)",
    "Who",
    "Action",
    "Object type",
    "Object ID",
    "Object",
    "Field",
    "Before",
    "After",
    "Remote address",
]


def test_the_export_has_a_line_per_changed_field_with_who_when_before_and_after(admin_client, world):
    api_for(world.employee).patch(
        f"/api/incidents/{world.incident.pk}/", {"subject": '=HYPERLINK("x")'}, format="json", REMOTE_ADDR="203.0.113.7"
    )
    rows = csv_of(admin_client.get(EXPORT_URL, {"type": "incidents.incident"}))
    assert rows[0] == HEADER
    subject = [row for row in rows[1:] if row[6] == "Subject" and row[2] == "changed"]
    assert subject == [
        [
            subject[0][0],
            "erin",
            "changed",
            "Incident",
            str(world.incident.pk),
            subject[0][5],
            "Subject",
            "Order Q-1 for Acme",
            '\'=HYPERLINK("x")',
            "203.0.113.7",
        ]
    ]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", subject[0][0])
    assert {row[3] for row in rows[1:]} == {"Incident"}, "the export follows the change list's filter"
    created = [row for row in rows[1:] if row[2] == "created"]
    assert created and all(row[1] == "erin" for row in created)


def test_the_system_is_named_for_changes_nobody_signed_in_made(admin_client, world):
    sweeper.sweep(now=timezone.now() + timedelta(minutes=16))
    rows = csv_of(admin_client.get(EXPORT_URL, {"type": "incidents.escalation"}))
    assert ["system", "changed", "Escalation", "Level reached (0 is the first)", "0", "1"] in [
        [r[1], r[2], r[3], r[6], r[7], r[8]] for r in rows
    ]


def test_the_export_action_exports_only_the_selected_entries(admin_client, world):
    chosen = entries_for(world.incident.escalations.get()).first()
    response = admin_client.post(CHANGELIST_URL, {"action": "export_selected", "_selected_action": [chosen.pk]})
    rows = csv_of(response)
    assert rows[0] == HEADER and {row[3] for row in rows[1:]} == {"Escalation"}


def test_the_export_is_in_the_readers_language(admin_client, world):
    with translation.override("zh-hans"):
        response = admin_client.get(EXPORT_URL, HTTP_ACCEPT_LANGUAGE="zh-hans")
    rows = csv_of(response)
    assert rows[0][0] == "时间（UTC）" and "创建" in {row[2] for row in rows[1:]}


@pytest.mark.parametrize(
    "language,expected",
    [
        (
            "en",
            {
                ("Severity", "High", "Low"),
                ("Firm offer or validity period stated", "no", "yes"),
                ("Currency", "", "EUR"),
            },
        ),
        ("zh-hans", {("严重程度", "高", "低"), ("已写明实盘或报价有效期", "否", "是"), ("货币", "", "EUR")}),
    ],
)
def test_fields_and_values_are_in_the_readers_words_in_the_export_and_the_admin(
    admin_client, world, language, expected
):
    """A lawyer reads "Severity: High -> Low", not "severity: high -> low" or "None"."""
    Incident.objects.filter(pk=world.incident.pk).update(currency="")
    incident = Incident.objects.get(pk=world.incident.pk)
    incident.severity, incident.firm_offer, incident.currency = "low", True, "EUR"
    incident.save()
    entry = entries_for(incident).filter(action=AuditEntry.Action.UPDATE).first()
    with translation.override(language):
        rows = csv_of(admin_client.get(EXPORT_URL, {"type": "incidents.incident"}, HTTP_ACCEPT_LANGUAGE=language))
        page = admin_client.get(
            reverse("admin:incidents_auditentry_change", args=[entry.pk]), HTTP_ACCEPT_LANGUAGE=language
        ).content.decode()
    assert expected <= {(row[6], row[7], row[8]) for row in rows[1:]}
    for name, before, after in expected:
        assert f"<td>{name}</td><td>{before}</td><td>{after}</td>" in page


def test_the_export_costs_the_same_queries_for_few_and_many_entries(admin_client, world):
    def export_queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            rows = csv_of(admin_client.get(EXPORT_URL))
        return len(captured.captured_queries), len(rows)

    few_queries, few_rows = export_queries()
    for number in range(40):
        Organisation.objects.create(name=f"Client {number}", kind="client")
    many_queries, many_rows = export_queries()
    assert many_rows >= few_rows + 40 * 3
    assert many_queries == few_queries


def test_the_export_link_on_the_change_list_keeps_its_filters(admin_client, world):
    page = admin_client.get(CHANGELIST_URL, {"type": "incidents.incident", "action__exact": "0"}).content.decode()
    link = re.search(r'href="(/admin/incidents/auditentry/export/[^"]*)"', page).group(1).replace("&amp;", "&")
    assert "type=incidents.incident" in link and "action__exact=0" in link
    rows = csv_of(admin_client.get(link))
    assert {(row[2], row[3]) for row in rows[1:]} == {("created", "Incident")}


def test_changing_a_price_floor_then_deleting_it_is_on_the_trail(admin_client, world):
    floor = PriceFloor.objects.create(product="PVC pipe", currency="USD", floor=Decimal("2.00"))
    floor.floor = Decimal("2.50")
    floor.save()
    pk = floor.pk
    admin_client.post(reverse("admin:incidents_pricefloor_delete", args=[pk]), {"post": "yes"})
    actions = list(
        AuditEntry.objects.filter(content_type__model="pricefloor", object_pk=str(pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [CREATE, UPDATE, DELETE]
    assert (
        AuditEntry.objects.filter(object_pk=str(pk), content_type__model="pricefloor", action=DELETE)
        .get()
        .actor.username
        == "root"
    )


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
