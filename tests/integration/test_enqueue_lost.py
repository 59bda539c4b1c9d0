"""A crash between commit and enqueue: the claims are committed but no delivery task is ever queued
(MISSEND_FAULTS=enqueue_lost in the web server and the worker). The sweeper's re-drive must deliver
every one of them within two sweep intervals of its re-drive time; with the re-drive switched off
(MISSEND_FAULTS=redrive_off too) the same check must fail, or it proves nothing."""

from __future__ import annotations

import secrets
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from incidents.models import Escalation, Notification
from incidents.notifications.delivery import message_id
from tests.integration.processes import wait_until
from tests.integration.stack import AppStack, file_incident

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

INCIDENTS = 12
SWEEP, REDRIVE = 1.0, 3.0
# Rendering and SMTP on a busy 2-core machine, on top of the two sweep intervals.
DELIVERY_SLACK = 5.0


class Orphaned(AssertionError):
    pass


def orphaned_claims(now) -> list[Notification]:
    """Claims for a task that never ran: still pending two sweep intervals after they were due for re-drive."""
    cutoff = now - timedelta(seconds=REDRIVE + 2 * SWEEP + DELIVERY_SLACK)
    return list(
        Notification.objects.filter(
            channel=Notification.Channel.EMAIL,
            status__in=[Notification.Status.PENDING, Notification.Status.SENDING],
            created_at__lte=cutoff,
        )
    )


def file_and_check_every_claim_delivered(stack: AppStack, sink, people, incidents: int) -> list[int]:
    """File incidents over HTTP; wait until both levels' claims exist and, at each moment, no claim is orphaned."""
    ids = [file_incident(stack.base_url, people["token"], f"Quote Q-{n}")["id"] for n in range(incidents)]
    claims = Notification.objects.filter(incident_id__in=ids, channel=Notification.Channel.EMAIL)

    def settled():
        orphans = orphaned_claims(timezone.now())
        if orphans:
            raise Orphaned(
                f"{len(orphans)} claim(s) orphaned: committed, never enqueued, never re-driven: "
                + ", ".join(str(c) for c in orphans[:5])
            )
        # Level 1 to Max, level 2 to Max and Mona: three emails an incident, all sent and received.
        return (
            claims.count() == 3 * incidents
            and not claims.exclude(status=Notification.Status.SENT).exists()
            and {message_id(c) for c in claims} <= {m.message_id for m in sink.snapshot()}
        )

    wait_until(settled, timeout=60, interval=0.25, what="every claim to be sent")
    return ids


@pytest.fixture
def faulty_stack(database_url, shared_redis_url, smtp_sink, tmp_path, print_logs_on_failure):
    def start(faults: str) -> AppStack:
        stack = AppStack(
            database_url=database_url,
            broker_url=shared_redis_url,
            smtp_port=smtp_sink.port,
            var_dir=tmp_path / "app",
            secret_key=secrets.token_urlsafe(50),
            sweep_seconds=SWEEP,
            redrive_seconds=REDRIVE,
            extra_env={"MISSEND_FAULTS": faults},
        )
        print_logs_on_failure(stack)
        started.append(stack)
        return stack.start()

    started: list[AppStack] = []
    yield start
    for stack in started:
        stack.stop()


def test_claims_whose_enqueue_was_lost_are_delivered_by_the_sweepers_redrive(
    faulty_stack, smtp_sink, people, manager_policy
):
    manager_policy(delays_minutes=("0.05", "60"))  # level 2 falls due 3 s after level 1
    stack = faulty_stack("enqueue_lost")

    ids = file_and_check_every_claim_delivered(stack, smtp_sink, people, INCIDENTS)

    # Nothing was delivered by an enqueue the fault let through: each claim was first queued by a re-drive,
    # due REDRIVE seconds after the moment its creator started (a sweep's start is up to a second before
    # the row is written); an enqueued claim is sent well within a second.
    for claim in Notification.objects.filter(incident_id__in=ids, channel=Notification.Channel.EMAIL):
        assert claim.sent_at - claim.created_at >= timedelta(seconds=REDRIVE - 1), claim
    assert Escalation.objects.filter(incident_id__in=ids, level=1).count() == INCIDENTS


def test_the_same_check_fails_when_the_sweepers_redrive_is_switched_off(
    faulty_stack, smtp_sink, people, manager_policy
):
    manager_policy(delays_minutes=("0.05", "60"))
    stack = faulty_stack("enqueue_lost,redrive_off")
    started = time.monotonic()

    with pytest.raises(Orphaned, match="orphaned"):
        file_and_check_every_claim_delivered(stack, smtp_sink, people, 3)

    # It failed because claims were orphaned (about re-drive time plus two sweeps in), not by timing out.
    assert time.monotonic() - started < 30
    assert Notification.objects.filter(channel=Notification.Channel.EMAIL, status=Notification.Status.SENT).count() == 0
