"""Escalation through real processes: incidents filed over HTTP, a Celery worker and beat on Redis,
emails received by an SMTP server, acknowledgement through the link in the email."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from incidents.models import Escalation, Notification
from incidents.notifications.delivery import message_id
from tests.integration.processes import wait_until
from tests.integration.stack import Browser, ack_link_in, file_incident

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

LONG = "60"  # minutes: a level that will not time out during the test


def email_claims(incident_id: int):
    return (
        Notification.objects.filter(incident_id=incident_id, channel=Notification.Channel.EMAIL)
        .select_related("recipient")
        .order_by("level", "loop", "recipient__username")
    )


def test_an_incident_filed_over_http_is_emailed_to_the_reporters_team_manager(stack, smtp_sink, people, manager_policy):
    manager_policy(delays_minutes=(LONG, LONG))

    incident = file_incident(stack.base_url, people["token"], "Quote Q-101")

    assert (incident["severity"], incident["route"]) == ("high", {"manager": True, "legal": False})
    [received] = smtp_sink.wait_for(
        lambda msgs: [m for m in msgs if m.incident_id == incident["id"]], timeout=30, what="the level 1 email"
    )
    [claim] = email_claims(incident["id"])
    assert received.to == [people["manager"].email] == [claim.recipient.email]
    assert received.message_id == message_id(claim)
    assert "Quote Q-101" in received.subject
    assert f"/incidents/{incident['id']}/" in received.text
    wait_until(
        lambda: Notification.objects.get(pk=claim.pk).status == Notification.Status.SENT,
        timeout=10,
        what="the claim to be recorded as sent",
    )


def test_a_level_nobody_acknowledges_times_out_and_the_next_level_is_told(stack, smtp_sink, people, manager_policy):
    manager_policy(delays_minutes=("0.05", LONG))  # level 1 waits 3 s

    incident = file_incident(stack.base_url, people["token"], "Quote Q-102")

    first = smtp_sink.wait_for(
        lambda msgs: [m for m in msgs if m.incident_id == incident["id"]], timeout=30, what="the level 1 email"
    )
    assert [m.to for m in first] == [[people["manager"].email]]
    # Level 2 is everyone in the Manager group: Max again and Mona.
    everything = smtp_sink.wait_for(
        lambda msgs: len(found := [m for m in msgs if m.incident_id == incident["id"]]) >= 3 and found,
        timeout=30,
        what="the level 2 emails",
    )
    claims = list(email_claims(incident["id"]))
    assert [(c.level, c.recipient.username) for c in claims] == [(0, "max"), (1, "max"), (1, "mona")]
    assert sorted(m.message_id for m in everything) == sorted(message_id(c) for c in claims)
    level_1, *level_2 = claims
    for claim in level_2:
        assert claim.created_at >= level_1.created_at + timedelta(seconds=3), (
            "level 2 was told before level 1 timed out"
        )
    level_2_arrivals = [m.arrived for m in everything if m.message_id != message_id(level_1)]
    assert min(level_2_arrivals) >= level_1.created_at.timestamp() + 3
    assert Escalation.objects.get(incident_id=incident["id"]).level == 1


def test_acknowledging_through_the_emailed_link_stops_every_further_email(stack, smtp_sink, people, manager_policy):
    # Unacknowledged, this would tell level 1 at 0 s, level 2 at 6 s, level 1 again at 9 s, level 2 at 15 s.
    manager_policy(delays_minutes=("0.1", "0.05"), repeat=1)

    incident = file_incident(stack.base_url, people["token"], "Quote Q-103")
    [received] = smtp_sink.wait_for(
        lambda msgs: [m for m in msgs if m.incident_id == incident["id"]], timeout=30, what="the level 1 email"
    )
    link = ack_link_in(received.text)
    assert link.startswith(stack.base_url + "/ack/")

    browser = Browser()
    status, page = browser.get(link)
    assert status == 200 and "Acknowledge: I am on it" in page
    escalation = Escalation.objects.get(incident_id=incident["id"])
    assert escalation.status == Escalation.Status.ACTIVE, "opening the link (as a mail scanner does) acknowledged"

    status, page = browser.submit_form(link, page)
    assert status == 200 and "Acknowledged. Nobody else will be paged" in page
    acknowledged_at = time.time()
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.ACKNOWLEDGED
    assert escalation.acknowledged_by == people["manager"]
    assert escalation.incident.status == "acknowledged"

    # Wait until every level would have been told (15 s after filing) and three more sweeps have run.
    started = escalation.started_at.timestamp()
    wait_until(lambda: time.time() >= started + 15 + 1, timeout=30, interval=0.2, what="all levels to fall due")
    sweeps = stack.sweeps_done()
    wait_until(lambda: stack.sweeps_done() >= sweeps + 3, timeout=30, interval=0.2, what="three more sweeps")

    after_ack = [m for m in smtp_sink.for_incident(incident["id"]) if m.arrived > acknowledged_at]
    assert after_ack == [], f"emails after the acknowledgement: {[m.message_id for m in after_ack]}"
    assert [(c.level, c.status) for c in email_claims(incident["id"])] == [(0, Notification.Status.SENT)]
    assert len(smtp_sink.for_incident(incident["id"])) == 1
    status, page = Browser().get(link)
    assert status == 200 and "Already acknowledged by" in page
