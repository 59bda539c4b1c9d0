"""Escalation as the domain sees it: levels, claims, delivery, acknowledgement and the sweeper."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from incidents.escalation import services as flow
from incidents.escalation import sweeper
from incidents.models import EscalationPolicy, Notification
from incidents.notifications import delivery
from incidents.notifications import services as notifications
from incidents.reports.services import incident_report, incident_update
from incidents.review.rules import Review
from tests.factories import file_incident, report

LATER = timedelta(minutes=16)  # past the default 15-minute first manager level


def deliver_pending():
    for pk in Notification.objects.filter(status="pending").values_list("pk", flat=True):
        notifications.deliver(pk)


def emails_to(user):
    return [m for m in mail.outbox if user.email in m.to]


def test_a_high_incident_starts_the_manager_escalation_and_tells_the_team_manager_at_once(high_incident, manager):
    escalation = high_incident.escalations.get()
    assert (escalation.route, escalation.status, escalation.level) == ("manager", "active", 0)
    claims = Notification.objects.filter(escalation=escalation)
    assert {(c.recipient, c.channel) for c in claims} == {(manager, "email"), (manager, "inbox")}
    deliver_pending()
    [message] = emails_to(manager)
    assert f"#{high_incident.pk}" in message.subject and "High" in message.subject
    assert "/ack/" in message.body and "Globex China" in message.body
    assert message.extra_headers["Message-ID"] == delivery.message_id(claims.get(channel="email"))
    types = list(high_incident.events.values_list("type", flat=True))
    assert types[-3:] == ["escalation_started", "level_reached", "notified"]


def test_a_claim_is_delivered_once_however_often_its_task_runs(high_incident, manager):
    claim = Notification.objects.get(incident=high_incident, channel="email")
    assert [notifications.deliver(claim.pk) for _ in range(3)] == ["sent", "not pending", "not pending"]
    assert len(emails_to(manager)) == 1


def test_an_unacknowledged_level_times_out_and_the_next_level_is_told(high_incident, manager, other_manager, employee):
    deliver_pending()
    sweeper.sweep(now=timezone.now() + LATER)
    escalation = high_incident.escalations.get()
    assert escalation.level == 1
    deliver_pending()
    assert emails_to(other_manager), "level 2 (everyone in Manager) was not told"
    assert not emails_to(employee), "the reporter must not be paged about their own incident"


def test_acknowledging_silences_the_route(high_incident, manager, other_manager):
    flow.escalation_acknowledge(incident=high_incident, actor=manager)
    sweeper.sweep(now=timezone.now() + LATER * 10)
    deliver_pending()
    escalation = high_incident.escalations.get()
    assert (escalation.status, escalation.acknowledged_by) == ("acknowledged", manager)
    assert not emails_to(other_manager)
    assert Notification.objects.get(incident=high_incident, channel="email").status == "cancelled"
    high_incident.refresh_from_db()
    assert high_incident.status == "acknowledged"


def test_two_sweeps_of_the_same_moment_move_an_escalation_on_only_once(high_incident):
    moment = timezone.now() + LATER
    sweeper.sweep(now=moment)
    sweeper.sweep(now=moment)
    assert high_incident.escalations.get().level == 1
    assert high_incident.events.filter(type="level_reached").count() == 2


def test_the_policy_repeats_then_reports_that_every_level_was_told(high_incident):
    policy = EscalationPolicy.objects.get(route="manager")
    assert policy.repeat == 1 and policy.levels.count() == 2
    moment = timezone.now()
    for _ in range(5):
        moment += LATER
        sweeper.sweep(now=moment)
    escalation = high_incident.escalations.get()
    assert (escalation.level, escalation.loop, escalation.next_action_at) == (1, 1, None)
    assert high_incident.events.filter(type="level_reached").count() == 4
    assert high_incident.events.filter(type="escalation_exhausted").count() == 1


def test_a_level_that_names_nobody_is_skipped_not_waited_on(directory, other_employee, other_manager):
    # other_employee has no team, so level 1 (the reporter's team managers) is empty.
    incident = file_incident(other_employee, attachments=["Quotation_Q-1.pdf"])
    escalation = incident.escalations.get()
    assert escalation.level == 1
    assert incident.events.filter(type="level_empty").exists()
    assert Notification.objects.filter(incident=incident, recipient=other_manager, channel="email").exists()


def test_a_legal_route_runs_the_legal_policy_and_both_routes_run_both(directory, employee, manager, legal):
    incident = file_incident(
        employee,
        to=["buyer@acme-trading.com"],
        intended=["buyer@acme-trading.com"],
        problems=["wrong_price"],
        quoted_price=Decimal("80"),
        correct_price=Decimal("100"),
        currency="USD",
        recipient_status="accepted",
    )
    assert incident.severity == "critical"
    assert set(incident.escalations.values_list("route", flat=True)) == {"manager", "legal"}
    assert Notification.objects.filter(incident=incident, route="legal", recipient=legal, channel="email").exists()


def test_re_assessment_that_raises_the_route_adds_the_escalation_and_lowering_cancels_nothing(
    directory, employee, manager
):
    same = report(to=["colleague@ourco.com"], intended=["colleague@ourco.com"], problems=["wrong_content"])
    incident = incident_report(reporter=employee, report=same)
    assert not incident.escalations.exists()
    raised = report(attachments=["Quotation_Q-1.pdf"], sent_at=same.sent_at)
    incident_update(incident=incident, actor=employee, report=raised)
    assert incident.escalations.get().status == "active"
    incident_update(incident=incident, actor=employee, report=same)
    incident.refresh_from_db()
    assert not incident.route_manager
    assert incident.escalations.get().status == "active", "a lowered route must not silently stop a running escalation"


def test_a_manager_can_escalate_by_hand_and_restart_a_closed_escalation(directory, employee, manager, legal):
    incident = file_incident(
        employee, to=["colleague@ourco.com"], intended=["colleague@ourco.com"], problems=["wrong_content"]
    )
    flow.escalation_start(incident=incident, route="legal", actor=manager, reason="client called our lawyer")
    escalation = incident.escalations.get(route="legal")
    assert escalation.status == "active"
    flow.escalation_close(escalation=escalation, actor=legal, reason="handled by phone")
    flow.escalation_start(incident=incident, route="legal", actor=manager, reason="client wrote again")
    escalation.refresh_from_db()
    assert (escalation.status, escalation.level, escalation.loop) == ("active", 0, 1)
    assert Notification.objects.filter(escalation=escalation, recipient=legal, channel="email").count() == 2


def test_resolving_closes_every_escalation_and_cancels_what_is_pending(high_incident, manager):
    flow.incident_resolve(
        incident=high_incident,
        actor=manager,
        note="Called Globex; they deleted it.",
        review=Review(cause="haste", habits=("send_delay",)),
    )
    high_incident.refresh_from_db()
    assert high_incident.status == "resolved" and high_incident.resolution_note.startswith("Called")
    assert high_incident.escalations.get().status == "closed"
    assert not Notification.objects.filter(incident=high_incident, status="pending").exists()


def test_taking_over_assigns_and_acknowledges(high_incident, manager):
    flow.incident_take_over(incident=high_incident, actor=manager)
    high_incident.refresh_from_db()
    assert high_incident.assignee == manager
    assert high_incident.escalations.get().status == "acknowledged"


def test_acknowledged_but_unresolved_incidents_remind_the_acknowledger(high_incident, manager):
    EscalationPolicy.objects.filter(route="manager").update(unresolved_reminder_hours=Decimal("2"))
    flow.escalation_acknowledge(incident=high_incident, actor=manager)
    sweeper.sweep(now=timezone.now() + timedelta(hours=2, minutes=1))
    reminder = Notification.objects.get(incident=high_incident, level=-1, channel="email")
    deliver_pending()
    assert reminder.recipient == manager
    assert any("not resolved" in m.subject for m in emails_to(manager))


@pytest.mark.parametrize("crashed_mid_send", [False, True])
def test_a_reminder_waiting_to_be_sent_is_not_sent_once_the_incident_is_resolved(
    high_incident, manager, crashed_mid_send
):
    """Found by the escalation state machine: "still not resolved" arrived after the resolution."""
    EscalationPolicy.objects.filter(route="manager").update(unresolved_reminder_hours=Decimal("2"))
    flow.incident_take_over(incident=high_incident, actor=manager)
    deliver_pending()
    later = timezone.now() + timedelta(hours=2, minutes=1)
    sweeper.sweep(now=later)
    reminder = Notification.objects.get(incident=high_incident, level=-1, channel="email")
    if crashed_mid_send:  # claimed by a worker that died: back to pending only after the lease
        Notification.objects.filter(pk=reminder.pk).update(status="sending", sending_since=later)
    flow.incident_resolve(
        incident=high_incident, actor=manager, note="Corrected.", review=Review(cause="haste", habits=("send_delay",))
    )
    sweeper.sweep(now=later + timedelta(hours=1))
    outbox = len(mail.outbox)
    assert notifications.deliver(reminder.pk) in ("cancelled", "not pending")
    reminder.refresh_from_db()
    assert (reminder.status, len(mail.outbox)) == ("cancelled", outbox)


@pytest.mark.parametrize("attempts_before_failing", [1, 3])
def test_smtp_failures_are_retried_with_backoff_then_recorded_as_failed(
    settings, high_incident, attempts_before_failing
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens on 9
    settings.MISSEND_NOTIFICATION_MAX_ATTEMPTS = attempts_before_failing
    claim = Notification.objects.get(incident=high_incident, channel="email")
    outcomes = []
    for _ in range(attempts_before_failing):
        outcomes.append(notifications.deliver(claim.pk))
        Notification.objects.filter(pk=claim.pk).update(next_attempt_at=timezone.now())
    assert outcomes == ["retry"] * (attempts_before_failing - 1) + ["failed"]
    claim.refresh_from_db()
    assert claim.status == "failed" and "Connection" in claim.last_error
    assert high_incident.events.filter(type="notification_failed").count() == 1
    assert high_incident.events.filter(type="notification_retry").count() == attempts_before_failing - 1


def test_retry_backoff_grows_and_is_jittered():
    delays = [notifications.retry_delay(n).total_seconds() for n in (1, 2, 3)]
    assert delays[0] < delays[1] < delays[2]
    assert len({notifications.retry_delay(1).total_seconds() for _ in range(10)}) > 1


def test_the_sweeper_re_drives_a_claim_whose_task_was_lost(high_incident, manager):
    claim = Notification.objects.get(incident=high_incident, channel="email")
    result = sweeper.sweep(now=timezone.now() + timedelta(seconds=60))
    assert result.redriven == 1
    claim.refresh_from_db()
    assert claim.status == "pending" and claim.next_attempt_at > timezone.now()


def test_a_send_whose_worker_died_is_sent_again_and_recorded_as_possibly_duplicated(high_incident, manager):
    claim = Notification.objects.get(incident=high_incident, channel="email")
    Notification.objects.filter(pk=claim.pk).update(status="sending", sending_since=timezone.now() - timedelta(hours=1))
    assert sweeper.sweep().recovered == 1
    assert notifications.deliver(claim.pk) == "sent"
    claim.refresh_from_db()
    assert claim.resent_after_lost_worker
    assert high_incident.events.filter(type="notification_uncertain").exists()
