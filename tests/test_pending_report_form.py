"""The pending report a forward to the desk became: the report form filled from it for its owner only, and
submitting it files the incident once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from incidents.desk.services import pending_report_receive
from incidents.models import Incident, Profile
from tests.support_messages import SENT_AT

FIELDS = {
    "subject": "Quotation Q-7 for Acme",
    "sent_at": SENT_AT,
    "mail_system": "gmail",
    "sender": "erin@ourco.com",
    "to_recipients": "Li Wei <li.wei@globex.com.cn>",
    "message_id": "<q7.1@ourco.com>",
    "body": "Our unit price is USD 12.50.",
    "attachments": "Quotation_Q-7.pdf\nPrice list.xlsx",
}


@pytest.fixture
def pending(employee, settings):
    settings.SITE_URL = "http://desk.example"
    return pending_report_receive(
        owner=employee, fields=FIELDS, warnings=["The HTML body was turned into text."], notify_address=employee.email
    )


def test_the_pending_report_keeps_times_as_iso_strings(pending):
    pending.refresh_from_db()

    assert pending.fields["sent_at"] == "2025-03-04T09:30:00+08:00"


def test_the_owner_sees_the_report_form_filled_from_the_forward(client, employee, pending):
    Profile.objects.create(user=employee, time_zone="Europe/Berlin")
    client.force_login(employee)

    response = client.get(reverse("incidents:pending", args=[pending.pk]))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["subject"] == "Quotation Q-7 for Acme"
    # 09:30 in Shanghai is 02:30 in Berlin (winter time), the zone the user reads times in.
    assert form.initial["sent_at"].strftime("%Y-%m-%d %H:%M %Z") == "2025-03-04 02:30 CET"
    assert form.initial["attachments"] == "Quotation_Q-7.pdf\nPrice list.xlsx"
    content = response.content.decode()
    assert 'value="2025-03-04T02:30:00"' in content
    assert "The HTML body was turned into text." in content


@pytest.mark.parametrize("who", ["other_employee", "manager", "superuser"])
def test_nobody_but_the_owner_may_open_a_pending_report(client, pending, request, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(reverse("incidents:pending", args=[pending.pk])).status_code == 404
    assert client.post(reverse("incidents:pending", args=[pending.pk]), {}).status_code == 404


def test_the_link_requires_login(client, pending):
    response = client.get(reverse("incidents:pending", args=[pending.pk]))

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_submitting_the_form_files_the_incident_once_and_shows_it(client, employee, pending, directory):
    client.force_login(employee)
    url = reverse("incidents:pending", args=[pending.pk])
    form = client.get(url).context["form"]
    data = {
        **dict(form.initial.items()),
        "sent_at": form.initial["sent_at"].strftime("%Y-%m-%dT%H:%M"),
        "intended_recipients": "buyer@acme-trading.com",
        "problems": ["wrong_recipient"],
        "recipient_status": "unknown",
    }

    response = client.post(url, data)

    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == incident.get_absolute_url()
    assert (incident.reporter, incident.subject, incident.message_id) == (
        employee,
        "Quotation Q-7 for Acme",
        "<q7.1@ourco.com>",
    )
    assert incident.sent_at == SENT_AT
    pending.refresh_from_db()
    assert pending.completed_incident == incident and pending.completed_at is not None
    # Submitting again (a second tab, a double click) files nothing more and shows the same incident.
    again = client.post(url, data)
    assert again.status_code == 302 and again["Location"] == incident.get_absolute_url()
    assert Incident.objects.count() == 1
