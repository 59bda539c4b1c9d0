"""The relay's sweep, run by beat every MISSEND_RELAY_SWEEP_SECONDS: due messages get a release task,
abandoned claims go back to held (recorded), notices that never went out are sent again, and the bytes
of messages that will not be sent are dropped once kept long enough (incidents/platform/sweeping.py
runs the steps, counts and logs)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from incidents.conf import missend
from incidents.models import HeldMessage
from incidents.platform import jobs, sweeping

log = logging.getLogger(__name__)

NOTICE_MAX_ATTEMPTS = 5
Status = HeldMessage.Status


@dataclass
class RelaySweep:
    enqueued: int = 0
    recovered: int = 0
    notices: int = 0
    purged: int = 0


def sweep(now: datetime | None = None) -> RelaySweep:
    now = now or timezone.now()
    # Logged only when something happened; Celery's own lines about idle sweeps are dropped (project/celery.py).
    return sweeping.run(
        RelaySweep(),
        log,
        "Relay sweep",
        recovered=lambda: _recover_abandoned(now),
        enqueued=lambda: _enqueue_due(now),
        notices=lambda: _redrive_notices(now),
        purged=lambda: _purge_unsent_bytes(now),
    )


def _enqueue_due(now: datetime) -> int:
    """Due and held, with no release task enqueued lately: enqueue one (its claim decides who sends)."""
    stale = now - timedelta(seconds=missend.RELAY_REDRIVE_SECONDS)
    ids = sweeping.due_ids(
        HeldMessage.objects.filter(status=Status.HELD, due_at__lte=now)
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lte=stale))
        .order_by("due_at")
    )
    if ids:
        with transaction.atomic():
            # Only those still held: a cancel may have landed since the read.
            HeldMessage.objects.filter(pk__in=ids, status=Status.HELD).update(enqueued_at=now)
            jobs.enqueue_after_commit(jobs.RELEASE_HELD_MESSAGE, ids)
    return len(ids)


def _recover_abandoned(now: datetime) -> int:
    """A claim older than its lease: the worker died, perhaps after the upstream took the message."""
    lease = now - timedelta(seconds=missend.RELAY_LEASE_SECONDS)
    return HeldMessage.objects.filter(status=Status.RELEASING, claimed_at__lte=lease).update(
        status=Status.HELD,
        due_at=now,
        enqueued_at=None,
        resent_after_lost_worker=True,
        last_error="The worker sending it stopped; sent again (the upstream may have received it twice).",
    )


def _redrive_notices(now: datetime) -> int:
    stale = now - timedelta(seconds=missend.RELAY_REDRIVE_SECONDS)
    ids = sweeping.due_ids(
        HeldMessage.objects.filter(
            status=Status.HELD,
            notice_sent_at__isnull=True,
            created_at__lte=stale,
            notice_attempts__lt=NOTICE_MAX_ATTEMPTS,
        )
    )
    if ids:
        with transaction.atomic():
            jobs.enqueue_after_commit(jobs.NOTIFY_HELD_MESSAGE, ids)
    return len(ids)


def _purge_unsent_bytes(now: datetime) -> int:
    """Cancelled and failed messages keep their bytes (for the one-click report) MISSEND_RELAY_KEEP_DAYS."""
    kept_until = now - timedelta(days=missend.RELAY_KEEP_DAYS)
    ids = sweeping.due_ids(
        HeldMessage.objects.filter(status__in=[Status.CANCELLED, Status.FAILED], created_at__lte=kept_until).exclude(
            raw=b""
        )
    )
    return HeldMessage.objects.filter(pk__in=ids).update(raw=b"") if ids else 0
