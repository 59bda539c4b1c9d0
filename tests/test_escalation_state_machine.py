"""Escalation as a state machine, driven by hypothesis through the domain services.

People file incidents (manager route, or manager and legal), acknowledge, take over and resolve;
time passes on a clock the test owns; the sweeper ticks; delivery tasks run, run twice, or die after
claiming a notification (before sending) or after the SMTP server's OK (before recording it).

After every step these must hold:
- no level notification is sent for a route after it was acknowledged, nor anything after the incident
  was resolved;
- an escalation's place (loop, level) never goes backwards;
- each claim is delivered once, and a second copy exists only where the claim records that a worker
  died mid-send.
At the end, with the time well past every lease and re-drive, the sweeper and the tasks leave nothing
pending, and every level an unacknowledged escalation reached has told its people.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from incidents.errors import PermissionDenied, StateConflict
from incidents.escalation import services as flow
from incidents.escalation import sweeper
from incidents.models import Escalation, EscalationPolicy, Notification
from incidents.notifications import services as notifications
from incidents.review.rules import Review
from tests.factories import file_incident

MESSAGE_ID = re.compile(r"<missend\.n(\d+)\.")
REVIEW = Review(cause="haste", habits=("send_delay",))
KINDS = {
    # A quote for Acme sent to Globex: high, the managers' route.
    "high": {"attachments": ["Quotation_Q-1.pdf"]},
    # A price accepted far below the right one: critical, managers and legal.
    "critical": {
        "to": ["buyer@acme-trading.com"],
        "intended": ["buyer@acme-trading.com"],
        "problems": ["wrong_price"],
        "quoted_price": Decimal("80"),
        "correct_price": Decimal("100"),
        "currency": "USD",
        "recipient_status": "accepted",
    },
}
LIVE = (Notification.Status.PENDING, Notification.Status.SENDING)


class WorkerDied(BaseException):
    """A SIGKILL in the middle of a task: nothing after this point runs (not an Exception, so no handler catches it)."""


class EscalationMachine(RuleBasedStateMachine):
    def __init__(self, people: dict):
        super().__init__()
        self.people = people
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.now = timezone.now()
        self._clock = mock.patch("django.utils.timezone.now", side_effect=lambda: self.now)
        self._clock.start()
        mail.outbox = []
        self.incidents: list = []
        self.silenced: dict[tuple[int, str], int] = {}  # (incident, route) -> step it was acknowledged
        self.resolved: dict[int, int] = {}  # incident -> step it was resolved
        self.places: dict[int, tuple[int, int]] = {}  # escalation -> (loop, level) last seen
        self.step = 0
        self.emails_seen = 0

    @initialize(reminder_hours=st.sampled_from([Decimal("1"), Decimal("1"), None]), repeat=st.integers(0, 1))
    def policies(self, reminder_hours, repeat):
        EscalationPolicy.objects.update(unresolved_reminder_hours=reminder_hours, repeat=repeat)

    def teardown(self):
        try:
            self._drain_and_check()
        finally:
            self._clock.stop()
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)

    # ----------------------------------------------------------------------------------------------
    # What people do

    @precondition(lambda self: len(self.incidents) < 3)
    @rule(kind=st.sampled_from(sorted(KINDS)))
    def file(self, kind):
        self.step += 1
        self.incidents.append(file_incident(self.people["erin"], **KINDS[kind]))

    @precondition(lambda self: self.incidents)
    @rule(
        data=st.data(), who=st.sampled_from(["max", "mona", "lena"]), route=st.sampled_from([None, "manager", "legal"])
    )
    def acknowledge(self, data, who, route):
        self.step += 1
        incident = data.draw(st.sampled_from(self.incidents))
        try:
            routes = flow.incident_acknowledge(incident=incident, actor=self.people[who], route=route)
        except PermissionDenied:
            return
        for done in routes:
            self.silenced.setdefault((incident.pk, done), self.step)

    @precondition(lambda self: self.incidents)
    @rule(data=st.data(), who=st.sampled_from(["max", "mona", "lena"]))
    def take_over(self, data, who):
        self.step += 1
        incident = data.draw(st.sampled_from(self.incidents))
        incident.refresh_from_db()
        try:
            routes = flow.incident_take_over(incident=incident, actor=self.people[who])
        except (PermissionDenied, StateConflict):
            return
        for done in routes:
            self.silenced.setdefault((incident.pk, done), self.step)

    @precondition(lambda self: self.incidents)
    @rule(data=st.data(), who=st.sampled_from(["max", "mona", "lena", "erin"]))
    def resolve(self, data, who):
        self.step += 1
        incident = data.draw(st.sampled_from(self.incidents))
        try:
            flow.incident_resolve(
                incident=incident, actor=self.people[who], note="Corrected and apologised.", review=REVIEW
            )
        except (PermissionDenied, StateConflict):
            return
        self.resolved.setdefault(incident.pk, self.step)

    # ----------------------------------------------------------------------------------------------
    # Time and machinery

    @rule(minutes=st.sampled_from([0.5, 3, 16, 31, 61, 240]))
    def time_passes(self, minutes):
        self.step += 1
        self.now += timedelta(minutes=minutes)

    @rule(minutes=st.sampled_from([3, 16, 61]))
    def time_passes_and_the_sweeper_ticks(self, minutes):
        """What happens in production every few seconds, compressed: the leases and levels fall due."""
        self.step += 1
        self.now += timedelta(minutes=minutes)
        sweeper.sweep()

    @rule()
    def sweeper_ticks(self):
        self.step += 1
        sweeper.sweep()

    def _pending(self) -> list[int]:
        return sorted(
            Notification.objects.filter(
                status=Notification.Status.PENDING, channel__in=notifications.DELIVERED_BY_TASK
            ).values_list("pk", flat=True)
        )

    @precondition(lambda self: self.incidents)
    @rule(data=st.data(), times=st.sampled_from([1, 2]))
    def task_runs(self, data, times):
        """A delivery task runs (twice: the broker delivered it again, or a re-drive raced the first)."""
        self.step += 1
        pending = self._pending()
        if pending:
            claim = data.draw(st.sampled_from(pending))
            for _ in range(times):
                notifications.deliver(claim)

    @precondition(lambda self: self.incidents)
    @rule(data=st.data(), after_send=st.booleans())
    def worker_dies_in_task(self, data, after_send):
        """The task claims the notification, then dies before sending or after the server's OK."""
        self.step += 1
        pending = self._pending()
        if not pending:
            return
        claim = data.draw(st.sampled_from(pending))
        target = (
            "incidents.notifications.services.timeline.notified_event"
            if after_send
            else "incidents.notifications.services.delivery.send"
        )
        with mock.patch(target, side_effect=WorkerDied):
            try:
                outcome = notifications.deliver(claim)
            except WorkerDied:
                return
        # It never got that far: the claim was no longer worth sending.
        assert outcome == "cancelled", outcome

    # ----------------------------------------------------------------------------------------------
    # Invariants

    @invariant()
    def nobody_is_told_after_acknowledgement_or_resolution(self):
        new = mail.outbox[self.emails_seen :]
        self.emails_seen = len(mail.outbox)
        for message in new:
            claim = Notification.objects.get(pk=int(MESSAGE_ID.match(message.extra_headers["Message-ID"]).group(1)))
            assert claim.incident_id not in self.resolved, f"{claim} sent after the incident was resolved"
            if claim.level >= 0:
                assert (claim.incident_id, claim.route) not in self.silenced, f"{claim} sent after acknowledgement"

    @invariant()
    def levels_never_go_backwards(self):
        for pk, loop, level in Escalation.objects.values_list("pk", "loop", "level"):
            before = self.places.get(pk, (0, -1))
            assert (loop, level) >= before, f"escalation {pk} went from {before} back to {(loop, level)}"
            self.places[pk] = (loop, level)

    @invariant()
    def one_delivery_per_claim(self):
        sent = Counter(int(MESSAGE_ID.match(m.extra_headers["Message-ID"]).group(1)) for m in mail.outbox)
        repeated = [pk for pk, count in sent.items() if count > 1]
        flagged = set(
            Notification.objects.filter(pk__in=repeated, resent_after_lost_worker=True).values_list("pk", flat=True)
        )
        assert set(repeated) <= flagged, f"claims {sorted(set(repeated) - flagged)} sent twice without the flag"
        sent_claims = set(
            Notification.objects.filter(
                status=Notification.Status.SENT, channel=Notification.Channel.EMAIL
            ).values_list("pk", flat=True)
        )
        assert sent_claims <= set(sent), f"claims {sorted(sent_claims - set(sent))} recorded as sent but never sent"

    # ----------------------------------------------------------------------------------------------

    def _drain_and_check(self):
        """Past every lease and re-drive, sweeps and tasks leave nothing pending and every level told."""
        for _ in range(10):
            self.now += timedelta(seconds=1)
            for pk in self._pending():
                notifications.deliver(pk)
            # Far enough for leases and re-drives, not for a level to time out (the shortest waits 15 minutes).
            self.now += timedelta(minutes=3)
            sweeper.sweep()
            self.nobody_is_told_after_acknowledgement_or_resolution()
            self.levels_never_go_backwards()
            self.one_delivery_per_claim()
            if not Notification.objects.filter(status__in=LIVE, channel__in=notifications.DELIVERED_BY_TASK).exists():
                break
        live = list(Notification.objects.filter(status__in=LIVE, channel__in=notifications.DELIVERED_BY_TASK))
        assert live == [], f"still pending after the machinery settled: {live}"
        for escalation in Escalation.objects.filter(status=Escalation.Status.ACTIVE, level__gte=0):
            untold = Notification.objects.filter(
                escalation=escalation,
                level=escalation.level,
                loop=escalation.loop,
                channel=Notification.Channel.EMAIL,
            ).exclude(status=Notification.Status.SENT)
            assert not untold.exists(), f"level {escalation.level + 1} of {escalation} not told: {list(untold)}"


@pytest.mark.django_db
def test_escalation_invariants_hold_whatever_happens(directory, employee, manager, other_manager, legal):
    people = {"erin": employee, "max": manager, "mona": other_manager, "lena": legal}
    run_state_machine_as_test(
        lambda: EscalationMachine(people),
        # Derandomized so a run is repeatable; for a longer hunt, raise max_examples and drop derandomize
        # (1,500 random examples passed on 2026-12-01).
        settings=settings(
            max_examples=100,
            stateful_step_count=30,
            deadline=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
