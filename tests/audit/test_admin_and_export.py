"""The audit trail in the admin: nobody can edit or delete an entry, only those allowed see it, and admins
export it as CSV in the reader's language."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from incidents.escalation import sweeper
from incidents.models import AuditEntry, Incident, Organisation, PriceFloor
from tests.audit.support_trail import (
    CHANGELIST_URL,
    CREATE,
    DELETE,
    EXPORT_URL,
    HEADER,
    UPDATE,
    api_for,
    csv_of,
    entries_for,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("in_english")


# Nobody edits the trail: not an admin, not a superuser.


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
