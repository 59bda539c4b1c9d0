"""Delivering one notification claim: at most one send per claim, every outcome on the timeline."""
from __future__ import annotations

import json
import logging
import random
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from project.jinja2 import render_email

from .. import events
from ..models import Escalation, Notification
from ..presentation import stored_factors
from ..selectors import responsible_routes
from .links import acknowledge_url

log = logging.getLogger(__name__)


def message_id(notification: Notification) -> str:
    """Deterministic per claim, so a duplicate delivery is visible at the receiving end."""
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "missend.local"
    n = notification
    return f"<missend.n{n.pk}.i{n.incident_id}.{n.route}.l{n.level + 1}.r{n.loop}@{domain}>"


def notification_context(notification: Notification) -> dict:
    """A whitelisted, plain context: templates never see model objects."""
    incident = notification.incident
    site = settings.SITE_URL.rstrip("/")
    return {
        "incident_id": incident.pk,
        "subject": incident.subject,
        "severity": incident.get_severity_display(),
        "severity_code": incident.severity,
        "factors": [f.detail for f in stored_factors(incident)],
        "route": notification.get_route_display(),
        "level": notification.level + 1,
        "is_reminder": notification.level < 0,
        "reporter": incident.reporter.get_full_name() or incident.reporter.username,
        "recipient_name": notification.recipient.get_full_name() or notification.recipient.username,
        "deadline": timezone.localtime(incident.regulatory_deadline).strftime("%Y-%m-%d %H:%M %Z")
        if incident.regulatory_deadline else None,
        "incident_url": site + incident.get_absolute_url(),
        # Only someone who may acknowledge the route gets the link: a manager told about the legal
        # route is asked to chase legal, not offered a way to silence them.
        "acknowledge_url": acknowledge_url(notification)
        if notification.level >= 0 and notification.route in responsible_routes(notification.recipient, incident)
        else None,
    }


def _send_email(notification: Notification) -> None:
    subject, text, html = render_email("notifications/escalation", notification_context(notification))
    message = EmailMultiAlternatives(
        subject=subject, body=text, to=[notification.recipient.email],
        headers={"Message-ID": message_id(notification), "X-Missend-Incident": str(notification.incident_id)},
    )
    message.attach_alternative(html, "text/html")
    message.send(fail_silently=False)


def _post_webhook(notification: Notification) -> None:
    incident = notification.incident
    payload = {
        "incident": incident.pk, "subject": incident.subject, "severity": incident.severity,
        "route": notification.route, "level": notification.level + 1,
        "factors": [{"code": f.code, "detail": f.detail} for f in stored_factors(incident)],
        "regulatory_deadline": incident.regulatory_deadline.isoformat() if incident.regulatory_deadline else None,
        "url": settings.SITE_URL.rstrip("/") + reverse("incidents:detail", args=[incident.pk]),
        "id": message_id(notification),
    }
    request = urllib.request.Request(
        notification.escalation.policy.webhook_url, data=json.dumps(payload).encode(), method="POST",
        headers={"Content-Type": "application/json", "Idempotency-Key": message_id(notification)},
    )
    with urllib.request.urlopen(request, timeout=settings.MISSEND_WEBHOOK_TIMEOUT) as response:  # noqa: S310
        if response.status >= 300:
            raise OSError(f"webhook answered {response.status}")


def _claim(notification_id: int) -> Notification | None:
    """Move the claim from pending to sending; only the one caller that succeeds may send."""
    now = timezone.now()
    moved = Notification.objects.filter(pk=notification_id, status=Notification.Status.PENDING).update(
        status=Notification.Status.SENDING, sending_since=now, attempts=F("attempts") + 1
    )
    if not moved:
        return None
    return Notification.objects.select_related(
        "incident__reporter", "recipient", "escalation__policy"
    ).get(pk=notification_id)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff with jitter, so many failing sends do not retry in step."""
    base = settings.MISSEND_RETRY_BASE_SECONDS * (3 ** (attempts - 1))
    return timedelta(seconds=base * random.uniform(0.8, 1.2))


def deliver(notification_id: int) -> str:
    """Send one claimed notification; answers what happened (for logs and tests)."""
    notification = _claim(notification_id)
    if notification is None:
        return "not pending"
    if notification.level >= 0 and notification.escalation.status != Escalation.Status.ACTIVE:
        Notification.objects.filter(pk=notification.pk).update(status=Notification.Status.CANCELLED)
        return "cancelled"
    try:
        if notification.channel == Notification.Channel.WEBHOOK:
            _post_webhook(notification)
        else:
            _send_email(notification)
    except Exception as error:  # noqa: BLE001 - any failure is recorded and retried, never dropped
        return _record_failure(notification, f"{type(error).__name__}: {error}")
    with transaction.atomic():
        Notification.objects.filter(pk=notification.pk).update(status=Notification.Status.SENT, sent_at=timezone.now())
        events.notified_event(notification=notification)
    return "sent"


def _record_failure(notification: Notification, error: str) -> str:
    log.warning("Notification %s failed (attempt %s): %s", notification.pk, notification.attempts, error)
    with transaction.atomic():
        if notification.attempts >= settings.MISSEND_NOTIFICATION_MAX_ATTEMPTS:
            Notification.objects.filter(pk=notification.pk).update(status=Notification.Status.FAILED, last_error=error)
            events.notification_failed_event(notification=notification, error=error)
            return "failed"
        Notification.objects.filter(pk=notification.pk).update(
            status=Notification.Status.PENDING, last_error=error,
            next_attempt_at=timezone.now() + retry_delay(notification.attempts),
        )
        events.notification_retry_event(notification=notification, error=error)
    return "retry"
