"""Held messages as their sender sees them: stored with the check's warnings, the list and the page,
Send now and Cancel (POST only, per object, a race with the release has one winner), the notice email,
the navigation's count, the delay per user and team, and a cancelled message becoming a report in one click."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from incidents.models import HeldMessage, PendingReport, Profile, Team
from incidents.relay.services import hold, notice, release
from tests.factories import UserFactory, held_message  # noqa: F401
from tests.support_messages import outgoing

Status = HeldMessage.Status


@pytest.fixture
def erins_message(directory, employee):
    return held_message()


def test_a_message_is_held_with_the_checks_warnings_and_its_envelope(directory, employee, settings):
    settings.MISSEND_HOLD_SECONDS = 120
    before = timezone.now()
    held = held_message(recipients=["li.wei@globex.com.cn", "boss@rival-exports.com"])

    assert held.sender == employee and held.status == Status.HELD and held.message_id == "<q-1@ourco.com>"
    assert held.recipients == [
        {"address": "li.wei@globex.com.cn", "field": "to"},
        {"address": "boss@rival-exports.com", "field": "bcc"},
    ]  # only in the envelope
    assert {w["code"] for w in held.warnings} >= {
        "competitor_recipient",
        "internal_words_outside",
        "cost_figures_outside",
    }
    assert before + timedelta(seconds=119) < held.due_at < timezone.now() + timedelta(seconds=121)
    assert bytes(held.raw).startswith(b"From: erin@ourco.com") and held.size == len(bytes(held.raw))


def test_the_same_message_submitted_twice_is_held_once(directory, employee):
    first = hold.message_hold(
        envelope_from="erin@ourco.com", envelope_recipients=["li.wei@globex.com.cn"], raw=outgoing()
    )
    again = hold.message_hold(
        envelope_from="ERIN@ourco.com", envelope_recipients=["li.wei@globex.com.cn"], raw=outgoing()
    )
    assert again.already and again.held_id == first.held_id and HeldMessage.objects.count() == 1
    # Once cancelled, sending it again is a new decision: held anew.
    HeldMessage.objects.update(status=Status.CANCELLED)
    assert not hold.message_hold(
        envelope_from="erin@ourco.com", envelope_recipients=["li.wei@globex.com.cn"], raw=outgoing()
    ).already


def test_a_message_without_a_message_id_gets_one(directory, employee, settings):
    settings.MISSEND_RELAY_HOSTNAME = "relay.ourco.com"
    held = held_message(message_id=None)
    assert held.message_id.startswith("<hold.") and held.message_id.endswith("@relay.ourco.com>")
    assert bytes(held.raw).startswith(f"Message-ID: {held.message_id}\r\n".encode())


def test_the_delay_is_the_users_then_the_longest_teams_then_the_sites(employee, team, settings):
    settings.MISSEND_HOLD_SECONDS = 180
    assert hold.hold_delay(employee) == 180
    team.hold_seconds = 60
    team.save()
    Team.objects.create(name="Careful", hold_seconds=300).members.add(employee)
    assert hold.hold_delay(employee) == 300
    Profile.objects.update_or_create(user=employee, defaults={"hold_seconds": 20})
    assert hold.hold_delay(employee) == 20


def test_the_sender_sees_their_held_messages_with_the_warnings(client, erins_message, employee, other_employee):
    held_message(envelope_from="olaf@ourco.com", subject="Olaf's own")
    client.force_login(employee)
    page = client.get(reverse("incidents:held_list")).content.decode()
    assert "Quotation for Globex" in page and "Olaf&#x27;s own" not in page and "Olaf's own" not in page
    assert "would go outside the company, to li.wei@globex.com.cn" in page
    assert reverse("incidents:held_cancel", args=[erins_message.pk]) in page
    assert reverse("incidents:held_send_now", args=[erins_message.pk]) in page


@pytest.mark.parametrize("name", ["held", "held_cancel", "held_send_now", "held_report"])
def test_someone_elses_held_message_does_not_exist_for_them(client, erins_message, other_employee, name):
    client.force_login(other_employee)
    method = client.get if name == "held" else client.post
    assert method(reverse(f"incidents:{name}", args=[erins_message.pk])).status_code == 404
    assert HeldMessage.objects.get().status == Status.HELD


def test_the_buttons_take_post_only_and_need_the_csrf_token(erins_message, employee):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(employee)
    assert browser.get(reverse("incidents:held_cancel", args=[erins_message.pk])).status_code == 405
    assert browser.post(reverse("incidents:held_cancel", args=[erins_message.pk])).status_code == 403
    assert HeldMessage.objects.get().status == Status.HELD


def test_cancel_is_a_recall_and_a_later_release_sends_nothing(client, erins_message, employee, monkeypatch):
    sent = []
    monkeypatch.setattr(release, "upstream_send", lambda **kw: sent.append(kw) or {})
    client.force_login(employee)
    page = client.post(reverse("incidents:held_cancel", args=[erins_message.pk]), follow=True).content.decode()
    assert "Cancelled: the message will not be sent." in page
    held = HeldMessage.objects.get()
    assert (held.status, held.cancelled_by) == (Status.CANCELLED, employee)
    HeldMessage.objects.update(due_at=timezone.now() - timedelta(seconds=1))
    assert release.release(held.pk) == "not due or not held" and sent == []


def test_send_now_makes_it_due_and_enqueues_its_release(
    client, erins_message, employee, enqueued, django_capture_on_commit_callbacks
):
    client.force_login(employee)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("incidents:held_send_now", args=[erins_message.pk]))
    held = HeldMessage.objects.get()
    assert held.due_at <= timezone.now() and held.sent_now_by == employee
    assert enqueued == [("release", held.pk)]


def test_a_cancel_after_the_release_claimed_it_says_it_is_on_its_way(client, erins_message, employee):
    HeldMessage.objects.update(due_at=timezone.now())
    claimed = release._claim(erins_message.pk, timezone.now())
    assert claimed.status == Status.RELEASING
    client.force_login(employee)
    page = client.post(reverse("incidents:held_cancel", args=[erins_message.pk]), follow=True).content.decode()
    assert "already on its way" in page and HeldMessage.objects.get().status == Status.RELEASING
    # and the other way round: once cancelled, the claim finds nothing to send
    other = held_message(message_id="<q-2@ourco.com>")
    assert release.held_cancel(held=other, actor=employee) is release.Outcome.DONE
    HeldMessage.objects.filter(pk=other.pk).update(due_at=timezone.now())
    assert release._claim(other.pk, timezone.now()) is None


def test_an_administrator_may_act_on_anyones_held_message(client, erins_message, superuser):
    client.force_login(superuser)
    assert client.get(reverse("incidents:held", args=[erins_message.pk])).status_code == 200
    client.post(reverse("incidents:held_cancel", args=[erins_message.pk]))
    assert HeldMessage.objects.get().cancelled_by == superuser
    # but the report is the sender's to start
    assert client.post(reverse("incidents:held_report", args=[erins_message.pk])).status_code == 404


def test_a_cancelled_message_becomes_a_report_in_one_click_once(client, directory, employee):
    held = held_message(recipients=["li.wei@globex.com.cn", "boss@rival-exports.com"], cc="sales@ourco.com")
    client.force_login(employee)
    url = reverse("incidents:held_report", args=[held.pk])
    response = client.post(url, follow=True)
    assert "Only a cancelled message can become a report." in response.content.decode()
    assert not PendingReport.objects.exists()

    release.held_cancel(held=held, actor=employee)
    response = client.post(url)
    pending = PendingReport.objects.get()
    assert response.url == pending.get_absolute_url()
    assert pending.owner == employee and pending.source == PendingReport.Source.HELD
    assert pending.fields["subject"] == "Quotation for Globex"
    assert pending.fields["to_recipients"] == "li.wei@globex.com.cn"
    assert pending.fields["bcc_recipients"] == "boss@rival-exports.com"  # known from the envelope only
    assert pending.fields["message_id"] == "<q-1@ourco.com>"
    assert any("competitor" in w for w in pending.warnings)
    assert client.post(url).url == pending.get_absolute_url() and PendingReport.objects.count() == 1
    form = client.get(pending.get_absolute_url()).content.decode()
    assert 'value="Quotation for Globex"' in form
    page = client.get(reverse("incidents:held", args=[held.pk])).content.decode()
    assert reverse("incidents:pending", args=[pending.pk]) in page


def test_the_notice_email_names_the_warnings_and_links_the_page(erins_message, employee, settings):
    settings.SITE_URL = "http://desk.example"
    assert notice.notify(erins_message.pk) == "sent"
    assert notice.notify(erins_message.pk) == "not needed"  # once
    [email] = mail.outbox
    assert email.to == ["erin@ourco.com"] and email.subject == "Check before it leaves: Quotation for Globex"
    assert f"http://desk.example/incidents/held/{erins_message.pk}/" in email.body
    assert "would go outside the company" in email.body and "leaves at" in email.body
    assert "would go outside the company" in email.alternatives[0][0]


def test_the_notice_is_in_the_senders_language(erins_message, employee, zh_catalogue):
    Profile.objects.update_or_create(user=employee, defaults={"language": "zh-hans"})
    notice.notify(erins_message.pk)
    [email] = mail.outbox
    assert "发出前请检查" in email.subject and "取消" in email.body


def test_the_navigation_counts_waiting_messages_only_where_a_relay_is_set_up(client, erins_message, employee, settings):
    client.force_login(employee)
    settings.MISSEND_RELAY_UPSTREAM = ""
    assert "Held messages" not in client.get(reverse("incidents:account")).content.decode()
    settings.MISSEND_RELAY_UPSTREAM = "smtp.ourco.com:25"
    page = client.get(reverse("incidents:account")).content.decode()
    assert "Held messages" in page and 'aria-label="waiting">1</span>' in page
    release.held_cancel(held=erins_message, actor=employee)
    page = client.get(reverse("incidents:account")).content.decode()
    assert "Held messages" in page and 'aria-label="waiting"' not in page


def test_a_page_of_held_messages_costs_the_same_queries_for_2_and_12(
    client, directory, employee, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(employee)
    for n in range(2):
        held_message(message_id=f"<few-{n}@ourco.com>")

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("incidents:held_list")).status_code == 200
        return len(captured)

    few = count()
    for n in range(10):
        held_message(message_id=f"<many-{n}@ourco.com>")
    assert count() == few


@pytest.mark.parametrize(
    "logger, level, message, kept",
    [
        (
            "celery.beat",
            logging.INFO,
            "Scheduler: Sending due task sweep-held-messages (incidents.sweep_held_messages)",
            False,
        ),
        ("celery.worker.strategy", logging.INFO, "Task incidents.sweep_held_messages[3f2a] received", False),
        (
            "celery.app.trace",
            logging.INFO,
            "Task incidents.sweep_held_messages[3f2a] succeeded in 0.004s: {'enqueued': 0}",
            False,
        ),
        (
            "celery.app.trace",
            logging.ERROR,
            "Task incidents.sweep_held_messages[3f2a] raised unexpected: OperationalError",
            True,
        ),
        ("celery.worker.strategy", logging.INFO, "Task incidents.release_held_message[9c1b] received", True),
        (
            "celery.beat",
            logging.INFO,
            "Scheduler: Sending due task sweep-escalations (incidents.sweep_escalations)",
            True,
        ),
    ],
)
def test_the_relays_idle_sweeps_leave_no_lines_in_the_worker_log(logger, level, message, kept):
    """Beat sweeps held messages twice a second: Celery's three INFO lines per sweep are dropped, the
    release tasks, other sweeps and any warning or error are not."""
    import project.celery  # noqa: F401 - the filters are installed with the Celery app

    record = logging.getLogger(logger).makeRecord(logger, level, __file__, 1, message, None, None)
    assert logging.getLogger(logger).filter(record) == kept


def test_a_sweep_that_did_something_says_so(caplog, employee):
    from incidents.relay.services import sweep as sweeper

    held = HeldMessage.objects.create(
        sender=employee, envelope_from="e@ourco.com", message_id="<x@y>", due_at=timezone.now() - timedelta(seconds=1)
    )
    with caplog.at_level(logging.INFO, logger="incidents.relay.services.sweep"):
        sweeper.sweep()
        sweeper.sweep()  # nothing left to do: nothing said
    said = [r.getMessage() for r in caplog.records if r.name == "incidents.relay.services.sweep"]
    assert len(said) == 1 and "'enqueued': 1" in said[0], said
    assert HeldMessage.objects.get(pk=held.pk).enqueued_at is not None
