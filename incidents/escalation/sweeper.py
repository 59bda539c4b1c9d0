"""The periodic sweep: due escalations move on, lost or failed deliveries are driven again."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .. import events
from ..models import Escalation, Notification
from .claims import DELIVERED_BY_TASK, deliver_after_commit
from .flow import escalation_advance

BATCH = 500


@dataclass
class SweepResult:
    advanced: int = 0
    recovered: int = 0
    redriven: int = 0


def sweep(now: datetime | None = None) -> SweepResult:
    now = now or timezone.now()
    result = SweepResult()
    due = Escalation.objects.filter(
        status__in=[Escalation.Status.ACTIVE, Escalation.Status.ACKNOWLEDGED], next_action_at__lte=now
    ).values_list("pk", flat=True)[:BATCH]
    for pk in list(due):
        with transaction.atomic():
            # Two sweepers at once: the second skips the row the first holds, then re-checks it is due.
            escalation = (
                Escalation.objects.select_for_update(skip_locked=True)
                .select_related("policy", "incident")
                .filter(pk=pk, next_action_at__lte=now)
                .first()
            )
            if escalation is not None:
                escalation_advance(escalation, now=now)
                result.advanced += 1
    result.recovered = _recover_lost_sends(now)
    result.redriven = _redrive_pending(now)
    return result


def _recover_lost_sends(now: datetime) -> int:
    """A claim stuck in sending means its worker died; send again and record that it may repeat."""
    stale = now - timedelta(seconds=settings.MISSEND_SENDING_STALE_SECONDS)
    recovered = 0
    for notification in Notification.objects.filter(status=Notification.Status.SENDING, sending_since__lte=stale)[:BATCH]:
        with transaction.atomic():
            moved = Notification.objects.filter(pk=notification.pk, status=Notification.Status.SENDING).update(
                status=Notification.Status.PENDING, resent_after_lost_worker=True, next_attempt_at=now
            )
            if moved:
                events.notification_uncertain_event(notification=notification)
                recovered += 1
    return recovered


def _redrive_pending(now: datetime) -> int:
    ids = list(
        Notification.objects.filter(
            status=Notification.Status.PENDING, channel__in=DELIVERED_BY_TASK, next_attempt_at__lte=now
        ).values_list("pk", flat=True)[:BATCH]
    )
    with transaction.atomic():
        # Push the re-drive time on, so a slow queue is not flooded with copies of the same claim.
        Notification.objects.filter(pk__in=ids).update(
            next_attempt_at=now + timedelta(seconds=settings.MISSEND_REDRIVE_SECONDS)
        )
        deliver_after_commit(ids)
    return len(ids)
