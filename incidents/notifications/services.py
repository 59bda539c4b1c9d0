"""Notification claims and their delivery state; the inbox; emailed acknowledge links.

A claim is one row per target, level and channel, written in the caller's transaction; a task
sends only a claim it moves from pending to sending, so each claim is sent at most once except
when a worker dies between the server's OK and our commit (recorded as such).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from incidents.conf import missend
from incidents.core import retry
from incidents.core.webhook import WebhookTargetRefused
from incidents.models import Escalation, Notification
from incidents.notifications import delivery
from incidents.platform import faults, jobs, sweeping
from incidents.timeline import events
from incidents.timeline import services as timeline

log = logging.getLogger(__name__)
DELIVERED_BY_TASK = (Notification.Channel.EMAIL, Notification.Channel.WEBHOOK)


def claim_rows(escalation: Escalation, *, level: int, loop: int, users: list, now: datetime) -> list[Notification]:
    """The claims (not saved) for each user (inbox, delivered at once, and email) and the policy's webhook.

    A claim is one per (incident, route, level, loop, recipient_key, channel): recipient_key is "user:<id>"
    or "webhook", and the Message-ID of what it sends is made of the same parts, so a duplicate delivery
    shows at the receiving end. Those a task delivers are due for a re-drive after MISSEND_REDRIVE_SECONDS.
    """
    redrive_at = now + timedelta(seconds=missend.REDRIVE_SECONDS)
    common = {
        "escalation": escalation,
        "incident_id": escalation.incident_id,
        "route": escalation.route,
        "level": level,
        "loop": loop,
    }
    rows = []
    for user in users:
        rows.append(
            Notification(
                **common,
                recipient=user,
                recipient_key=f"user:{user.pk}",
                channel=Notification.Channel.INBOX,
                status=Notification.Status.SENT,
                sent_at=now,
            )
        )
        if user.email:
            rows.append(
                Notification(
                    **common,
                    recipient=user,
                    recipient_key=f"user:{user.pk}",
                    channel=Notification.Channel.EMAIL,
                    next_attempt_at=redrive_at,
                )
            )
    if escalation.policy.webhook_url and level >= 0:
        rows.append(
            Notification(
                **common, recipient_key="webhook", channel=Notification.Channel.WEBHOOK, next_attempt_at=redrive_at
            )
        )
    return rows


def create_claims(
    escalation: Escalation, *, level: int, loop: int, users: list, now: datetime, fresh: bool = False
) -> list[Notification]:
    """Claims for each user (email and inbox) and the policy's webhook; duplicates are ignored.

    fresh: the escalation was just created, so no claim can exist yet: insert and keep the rows.
    """
    rows = claim_rows(escalation, level=level, loop=loop, users=users, now=now)
    if fresh:
        claims = Notification.objects.bulk_create(rows)
    else:
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        claims = list(
            Notification.objects.filter(escalation=escalation, level=level, loop=loop).select_related("recipient")
        )
    if not faults.active(faults.ENQUEUE_LOST):
        jobs.enqueue_after_commit(
            jobs.DELIVER_NOTIFICATION,
            [c.pk for c in claims if c.channel in DELIVERED_BY_TASK and c.status == Notification.Status.PENDING],
        )
    return claims


def cancel_pending(escalation: Escalation, *, reminders: bool = False) -> int:
    """Silence after acknowledgement: level notifications not yet sent are not sent. When the
    escalation closes (the incident resolved), neither are reminders that it is still unresolved."""
    pending = Notification.objects.filter(escalation=escalation, status=Notification.Status.PENDING)
    if not reminders:
        pending = pending.filter(level__gte=0)
    return pending.update(status=Notification.Status.CANCELLED)


def _outdated(notification: Notification) -> bool:
    """A level notification outlives its use when the route stops waiting (acknowledged or closed),
    a reminder when the escalation closes; a claim recovered from a dead worker is checked here."""
    status = notification.escalation.status
    if notification.level >= 0:
        return status != Escalation.Status.ACTIVE
    return status == Escalation.Status.CLOSED


def claim_taken(now: datetime) -> dict:
    """The fields of a claim a worker takes to send (its attempts also go up by one)."""
    return {"status": Notification.Status.SENDING, "sending_since": now}


def claim_sent(now: datetime) -> dict:
    """The fields of a claim sent."""
    return {"status": Notification.Status.SENT, "sent_at": now}


def claim_failed(
    error: str, *, attempts: int, now: datetime, final: bool = False, jitter: float | None = None
) -> tuple[dict, events.EventType]:
    """The fields of a claim whose attempt failed, and its timeline entry: failed for good after the last
    attempt (or when `final`), else pending again after the retry delay (jitter: as retry_delay's)."""
    if final or attempts >= missend.NOTIFICATION_MAX_ATTEMPTS:
        return {"status": Notification.Status.FAILED, "last_error": error}, events.NOTIFICATION_FAILED
    fields = {
        "status": Notification.Status.PENDING,
        "last_error": error,
        "next_attempt_at": now + retry_delay(attempts, jitter=jitter),
    }
    return fields, events.NOTIFICATION_RETRY


def _claim(notification_id: int) -> Notification | None:
    """Move the claim from pending to sending; only the one caller that succeeds may send."""
    moved = Notification.objects.filter(pk=notification_id, status=Notification.Status.PENDING).update(
        **claim_taken(timezone.now()), attempts=F("attempts") + 1
    )
    if not moved:
        return None
    return Notification.objects.select_related("incident__reporter", "recipient", "escalation__policy").get(
        pk=notification_id
    )


def retry_delay(attempts: int, *, jitter: float | None = None) -> timedelta:
    """How long a failed notification waits before its next attempt (tripling each time)."""
    return retry.retry_delay(attempts, missend.RETRY_BASE_SECONDS, growth=3, jitter=jitter)


def deliver(notification_id: int) -> str:
    """Send one claimed notification; answers what happened (for logs and tests)."""
    notification = _claim(notification_id)
    if notification is None:
        return "not pending"
    if _outdated(notification):
        Notification.objects.filter(pk=notification.pk).update(status=Notification.Status.CANCELLED)
        return Notification.Status.CANCELLED
    try:
        delivery.send(notification)
    except WebhookTargetRefused as error:
        # The address itself is refused: retrying would ask the same question, so it fails at once.
        return _record_failure(notification, f"{type(error).__name__}: {error}", final=True)
    except Exception as error:
        return _record_failure(notification, f"{type(error).__name__}: {error}")
    with transaction.atomic():
        Notification.objects.filter(pk=notification.pk).update(**claim_sent(timezone.now()))
        timeline.notified_event(notification=notification)
    return Notification.Status.SENT


def _record_failure(notification: Notification, error: str, *, final: bool = False) -> str:
    log.warning("Notification %s failed (attempt %s): %s", notification.pk, notification.attempts, error)
    with transaction.atomic():
        fields, entry = claim_failed(error, attempts=notification.attempts, now=timezone.now(), final=final)
        Notification.objects.filter(pk=notification.pk).update(**fields)
        timeline.write(entry, notification=notification, error=error)
    return Notification.Status.FAILED if entry is events.NOTIFICATION_FAILED else "retry"


def claims_recover_lost_sends(now: datetime) -> int:
    """A claim stuck in sending means its worker died; send again and record that it may repeat."""
    stale = now - timedelta(seconds=missend.SENDING_STALE_SECONDS)
    recovered = 0
    stuck = Notification.objects.filter(status=Notification.Status.SENDING, sending_since__lte=stale)
    for notification in stuck[: sweeping.BATCH]:
        with transaction.atomic():
            moved = Notification.objects.filter(pk=notification.pk, status=Notification.Status.SENDING).update(
                status=Notification.Status.PENDING, resent_after_lost_worker=True, next_attempt_at=now
            )
            if moved:
                timeline.notification_uncertain_event(notification=notification)
                recovered += 1
    return recovered


def claims_redrive(now: datetime) -> int:
    """Claims whose task was lost (broker down, crash before enqueue) are enqueued again."""
    if faults.active(faults.REDRIVE_OFF):
        return 0
    ids = sweeping.due_ids(
        Notification.objects.filter(
            status=Notification.Status.PENDING, channel__in=DELIVERED_BY_TASK, next_attempt_at__lte=now
        )
    )
    with transaction.atomic():
        # Push the re-drive time on, so a slow queue is not flooded with copies of the same claim.
        Notification.objects.filter(pk__in=ids).update(next_attempt_at=now + timedelta(seconds=missend.REDRIVE_SECONDS))
        jobs.enqueue_after_commit(jobs.DELIVER_NOTIFICATION, ids)
    return len(ids)


def inbox_mark_read(notifications) -> int:
    """Mark the given inbox entries read (those not read yet); answers how many changed."""
    unread = [n.pk for n in notifications if n.read_at is None]
    return Notification.objects.filter(pk__in=unread, read_at__isnull=True).update(read_at=timezone.now())
