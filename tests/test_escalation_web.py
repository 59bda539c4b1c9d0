"""Escalation through the pages and the API: acknowledge links, buttons, queues, inbox, webhooks."""

import json
import re
import threading
from datetime import timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from incidents.models import EscalationPolicy, Notification
from incidents.notifications import delivery, links
from incidents.notifications import services as notifications
from tests.factories import file_incident


def ack_path(incident, user) -> str:
    claim = Notification.objects.get(incident=incident, recipient=user, channel="email", level=0)
    notifications.deliver(claim.pk)
    url = re.search(r"http://\S+/ack/\S+/", mail.outbox[-1].body).group(0)
    return url.split("127.0.0.1:8000", 1)[-1] if "127.0.0.1:8000" in url else "/" + url.split("/", 3)[-1]


def test_the_emailed_link_asks_once_then_acknowledges_without_logging_in(client, high_incident, manager):
    path = ack_path(high_incident, manager)
    page = client.get(path)
    assert page.status_code == 200 and b"Acknowledge: I am on it" in page.content
    assert high_incident.escalations.get().status == "active", "opening the link alone must not acknowledge"
    done = client.post(path)
    assert b"Acknowledged." in done.content
    escalation = high_incident.escalations.get()
    assert (escalation.status, escalation.acknowledged_by) == ("acknowledged", manager)
    assert high_incident.events.filter(type="acknowledged", parameters__via="email_link").exists()


def test_the_link_works_once(client, high_incident, manager):
    path = ack_path(high_incident, manager)
    client.post(path)
    again = client.post(path)
    assert b"Already acknowledged by" in again.content
    assert high_incident.events.filter(type="acknowledged").count() == 1


def test_the_link_works_only_for_the_person_it_was_sent_to(client, high_incident, manager, other_manager):
    path = ack_path(high_incident, manager)
    client.force_login(other_manager)
    assert client.post(path).status_code == 403
    assert high_incident.escalations.get().status == "active"


@pytest.mark.parametrize("tamper", ["flip", "expire"])
def test_a_tampered_or_expired_link_does_nothing(client, settings, high_incident, manager, tamper):
    path = ack_path(high_incident, manager)
    if tamper == "flip":
        path = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
        expected = 404
    else:
        settings.MISSEND_ACK_LINK_MAX_AGE_HOURS = -1
        expected = 410
    assert client.post(path).status_code == expected
    assert high_incident.escalations.get().status == "active"


def test_a_signed_link_for_another_claim_id_cannot_be_forged(high_incident, manager):
    token = links.acknowledge_token(Notification.objects.get(incident=high_incident, channel="email"))
    claim = links.read_token(token)
    assert claim["u"] == manager.pk


def test_the_acknowledge_button_is_for_those_it_was_escalated_to_not_the_reporter(
    client, high_incident, employee, manager
):
    client.force_login(employee)
    assert client.post(reverse("incidents:acknowledge", args=[high_incident.pk])).status_code == 403
    client.force_login(manager)
    assert client.post(reverse("incidents:acknowledge", args=[high_incident.pk])).status_code == 302
    assert high_incident.escalations.get().status == "acknowledged"


def test_api_acknowledge_answers_with_the_routes_acknowledged(high_incident, manager, employee, legal):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=manager).key}")
    url = f"/api/incidents/{high_incident.pk}/acknowledge/"
    response = api.post(url, {}, format="json")
    assert response.status_code == 200 and response.json()["acknowledged"] == ["manager"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=employee).key}")
    assert api.post(url, {}, format="json").status_code == 403
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=legal).key}")
    assert api.post(url, {}, format="json").status_code == 404  # legal cannot see a manager-only incident
    assert api.post(url, {"route": "nowhere"}, format="json").status_code in (400, 404)


def test_triage_queue_lists_unacknowledged_first_then_by_severity(client, directory, employee, manager):
    high = file_incident(employee, attachments=["Quotation_Q-1.pdf"])
    critical = file_incident(
        employee,
        to=["buyer@acme-trading.com"],
        intended=["buyer@acme-trading.com"],
        problems=["wrong_price"],
        quoted_price=Decimal("80"),
        correct_price=Decimal("100"),
        currency="USD",
        recipient_status="accepted",
    )
    acknowledged = file_incident(employee, attachments=["Quotation_Q-1.pdf"], subject="Acked")
    client.force_login(manager)
    client.post(reverse("incidents:acknowledge", args=[acknowledged.pk]))
    page = client.get(reverse("incidents:triage"))
    order = [(e.incident_id, e.route) for e in page.context["page"].object_list if e.route == "manager"]
    assert order == [(critical.pk, "manager"), (high.pk, "manager"), (acknowledged.pk, "manager")]
    assert b"Not acknowledged" in page.content and b"1 / 2" in page.content


def test_triage_queue_uses_the_same_number_of_queries_for_3_and_30_escalations(client, directory, employee, manager):
    client.force_login(manager)

    def count():
        client.get(reverse("incidents:triage"))  # the directory's choices copied (filters.directory_choices)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("incidents:triage")).status_code == 200
        return len(captured)

    for _ in range(3):
        file_incident(employee, attachments=["Quotation_Q-1.pdf"])
    few = count()
    for _ in range(27):
        file_incident(employee, attachments=["Quotation_Q-1.pdf"])
    assert count() == few


def test_a_failed_notification_shows_in_the_triage_queue(client, settings, high_incident, manager):
    settings.MISSEND_NOTIFICATION_MAX_ATTEMPTS = 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    notifications.deliver(Notification.objects.get(incident=high_incident, channel="email").pk)
    client.force_login(manager)
    assert b"1 notification failed" in client.get(reverse("incidents:triage")).content
    assert b"FAILED after 1 attempts" in client.get(high_incident.get_absolute_url()).content


def test_legal_queue_shows_offer_facts_and_the_breach_clock(client, directory, employee, legal):
    quote = file_incident(
        employee,
        to=["buyer@acme-trading.com"],
        intended=["buyer@acme-trading.com"],
        problems=["wrong_price"],
        quoted_price=Decimal("82"),
        correct_price=Decimal("100"),
        currency="USD",
        firm_offer=True,
        recipient_status="replied",
    )
    breach = file_incident(employee, problems=["wrong_recipient", "personal_data"])
    client.force_login(legal)
    page = client.get(reverse("incidents:legal"))
    assert [i.pk for i in page.context["page"].object_list] == [breach.pk, quote.pk]
    html = page.content.decode()
    assert "18.0% too low" in html and "firm offer" in html and "Replied" in html
    assert "left" in html  # the 72-hour clock counts down


def test_queues_are_not_for_employees(client, employee):
    client.force_login(employee)
    assert client.get(reverse("incidents:triage")).status_code == 404
    assert client.get(reverse("incidents:legal")).status_code == 404


def test_the_inbox_counts_unread_notifications_in_the_navigation_and_reading_clears_them(
    client, high_incident, manager
):
    client.force_login(manager)
    nav = client.get(reverse("incidents:list")).content.decode()
    assert re.search(r"Inbox <span[^>]*>1</span>", nav)
    inbox = client.get(reverse("incidents:inbox")).content.decode()
    assert high_incident.subject in inbox
    assert not re.search(r"Inbox <span", client.get(reverse("incidents:list")).content.decode())


def test_resolving_through_the_page_needs_a_note(client, high_incident, manager):
    client.force_login(manager)
    client.post(reverse("incidents:resolve", args=[high_incident.pk]), {"note": ""})
    high_incident.refresh_from_db()
    assert high_incident.status != "resolved"
    client.post(
        reverse("incidents:resolve", args=[high_incident.pk]),
        {"note": "Client confirmed deletion.", "cause": "haste", "habits": ["send_delay"]},
    )
    high_incident.refresh_from_db()
    assert high_incident.status == "resolved"


class _Recorder(BaseHTTPRequestHandler):
    received: list = []
    fail_first = 0

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if _Recorder.fail_first > 0:
            _Recorder.fail_first -= 1
            self.send_response(503)
        else:
            _Recorder.received.append((json.loads(body), self.headers["Idempotency-Key"]))
            self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook_server():
    _Recorder.received, _Recorder.fail_first = [], 1
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook"
    server.shutdown()


def test_a_policy_webhook_gets_a_json_post_per_level_retried_after_a_failure(
    directory, employee, manager, webhook_server, settings
):
    settings.DEBUG = True  # plain http to this machine is allowed only in development
    EscalationPolicy.objects.filter(route="manager").update(webhook_url=webhook_server)
    incident = file_incident(employee, attachments=["Quotation_Q-1.pdf"])
    claim = Notification.objects.get(incident=incident, channel="webhook")
    assert notifications.deliver(claim.pk) == "retry"
    Notification.objects.filter(pk=claim.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert notifications.deliver(claim.pk) == "sent"
    [(payload, key)] = _Recorder.received
    assert payload["incident"] == incident.pk and payload["severity"] == "high" and payload["level"] == 1
    assert key == delivery.message_id(claim)


def test_once_acknowledged_the_page_stops_offering_acknowledge_but_still_offers_take_over(
    client, high_incident, manager
):
    client.force_login(manager)
    page = client.get(high_incident.get_absolute_url()).content.decode()
    assert reverse("incidents:acknowledge", args=[high_incident.pk]) in page
    client.post(reverse("incidents:acknowledge", args=[high_incident.pk]))
    page = client.get(high_incident.get_absolute_url()).content.decode()
    assert reverse("incidents:acknowledge", args=[high_incident.pk]) not in page
    assert reverse("incidents:take_over", args=[high_incident.pk]) in page


def test_the_triage_queue_says_just_now_for_a_fresh_escalation_not_0_minutes(client, high_incident, manager):
    client.force_login(manager)
    html = client.get(reverse("incidents:triage")).content.decode()
    assert "just now" in html and "0 minutes ago" not in html
    high_incident.escalations.update(started_at=timezone.now() - timedelta(minutes=5))
    assert "5\xa0minutes ago" in client.get(reverse("incidents:triage")).content.decode()


def test_the_legal_queue_names_who_acknowledged_as_people_know_them(client, directory, employee, legal):
    legal.first_name, legal.last_name = "Lena", "Legal"
    legal.save()
    breach = file_incident(employee, problems=["wrong_recipient", "personal_data"])
    client.force_login(legal)
    client.post(reverse("incidents:acknowledge", args=[breach.pk]))
    html = client.get(reverse("incidents:legal")).content.decode()
    assert "Legal acknowledged (Lena Legal)" in html


def test_factor_codes_are_for_machines_not_shown_as_text(client, high_incident, manager):
    client.force_login(manager)
    html = client.get(high_incident.get_absolute_url()).content.decode()
    assert 'data-factor="unintended_external"' in html
    assert ">unintended_external<" not in html
