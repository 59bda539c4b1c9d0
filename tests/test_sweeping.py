"""The sweeps' shared skeleton (incidents/platform/sweeping.py): steps in order, their counts in the
result, one log line only when something happened, and a row taken under its lock only while still due."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from incidents.escalation import sweeper
from incidents.models import Escalation
from incidents.platform import sweeping
from tests.factories import file_incident

LATER = timedelta(minutes=16)  # past the default 15-minute first manager level


@dataclass
class Counts:
    first: int = 0
    second: int = 0


def test_the_steps_run_in_order_and_their_counts_are_logged_only_when_something_happened(caplog):
    ran = []
    log = logging.getLogger("tests.sweeping")
    with caplog.at_level(logging.INFO, logger="tests.sweeping"):
        idle = sweeping.run(Counts(), log, "Test sweep", second=lambda: ran.append(2) or 0, first=lambda: 0)
        busy = sweeping.run(Counts(), log, "Test sweep", first=lambda: ran.append(1) or 3, second=lambda: 0)
    assert (idle, busy, ran) == (Counts(0, 0), Counts(3, 0), [2, 1])
    assert [r.getMessage() for r in caplog.records] == ["Test sweep: {'first': 3, 'second': 0}"]


def test_a_row_no_longer_due_when_its_lock_is_taken_is_not_handled(directory, employee, manager):
    incident = file_incident(employee, attachments=["Quotation_Q-1.pdf"])
    escalation = incident.escalations.get()
    now = timezone.now() + LATER
    still_due = Escalation.objects.filter(next_action_at__lte=now)
    Escalation.objects.filter(pk=escalation.pk).update(next_action_at=now + LATER)  # another sweep moved it on
    with transaction.atomic():
        assert sweeping.locked_if_due(still_due, escalation.pk) is None
    Escalation.objects.filter(pk=escalation.pk).update(next_action_at=now)
    with transaction.atomic():
        assert sweeping.locked_if_due(still_due, escalation.pk) == escalation


def test_the_escalation_sweep_says_what_it_did_and_is_quiet_when_idle(directory, employee, manager, caplog):
    file_incident(employee, attachments=["Quotation_Q-1.pdf"])
    moment = timezone.now() + LATER
    with caplog.at_level(logging.INFO, logger="incidents.escalation.sweeper"):
        assert sweeper.sweep(now=moment).advanced == 1
        assert sweeper.sweep(now=moment).__dict__ == {
            "advanced": 0,
            "recovered": 0,
            "redriven": 0,
            "held_evidence_purged": 0,
        }
    said = [r.getMessage() for r in caplog.records if r.name == "incidents.escalation.sweeper"]
    assert len(said) == 1 and said[0].startswith("Escalation sweep: {'advanced': 1, "), said
