"""Notification claims: one row per target, level and channel, written in the caller's transaction."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from ..models import Escalation, Notification

log = logging.getLogger(__name__)
DELIVERED_BY_TASK = (Notification.Channel.EMAIL, Notification.Channel.WEBHOOK)


def create_claims(escalation: Escalation, *, level: int, loop: int, users: list, now: datetime) -> list[Notification]:
    """Claims for each user (email and inbox) and the policy's webhook; duplicates are ignored."""
    redrive_at = now + timedelta(seconds=settings.MISSEND_REDRIVE_SECONDS)
    common = {"escalation": escalation, "incident_id": escalation.incident_id, "route": escalation.route,
              "level": level, "loop": loop}
    rows = []
    for user in users:
        rows.append(Notification(**common, recipient=user, recipient_key=f"user:{user.pk}",
                                 channel=Notification.Channel.INBOX, status=Notification.Status.SENT, sent_at=now))
        if user.email:
            rows.append(Notification(**common, recipient=user, recipient_key=f"user:{user.pk}",
                                     channel=Notification.Channel.EMAIL, next_attempt_at=redrive_at))
    if escalation.policy.webhook_url and level >= 0:
        rows.append(Notification(**common, recipient_key="webhook", channel=Notification.Channel.WEBHOOK,
                                 next_attempt_at=redrive_at))
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    claims = list(
        Notification.objects.filter(escalation=escalation, level=level, loop=loop).select_related("recipient")
    )
    deliver_after_commit([c.pk for c in claims if c.channel in DELIVERED_BY_TASK and c.status == Notification.Status.PENDING])
    return claims


def deliver_after_commit(notification_ids: list[int]) -> None:
    """Enqueue delivery once the claims are committed; if the broker is down the sweeper re-drives them."""
    if not notification_ids:
        return

    def enqueue():
        from ..tasks import deliver_notification

        for pk in notification_ids:
            try:
                deliver_notification.delay(pk)
            except Exception:  # noqa: BLE001 - the claim row is the durable record; the sweeper retries it
                log.warning("Could not enqueue notification %s; the sweeper will re-drive it", pk, exc_info=True)

    transaction.on_commit(enqueue, robust=True)


def cancel_pending(escalation: Escalation) -> int:
    """Silence after acknowledgement: level notifications not yet sent are not sent."""
    return Notification.objects.filter(
        escalation=escalation, level__gte=0, status=Notification.Status.PENDING
    ).update(status=Notification.Status.CANCELLED)
