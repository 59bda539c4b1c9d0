"""How a notification is written and sent (email from Jinja2 templates, or a webhook POST)."""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from incidents.access import responsible_routes
from incidents.accounts.selectors import user_time_zone
from incidents.conf import missend
from incidents.core import webhook as webhook_target
from incidents.models import Notification
from incidents.notifications.links import acknowledge_path
from incidents.platform import mail
from incidents.platform.formats import format_when
from incidents.reports.presentation import stored_factors

log = logging.getLogger(__name__)


def message_id(notification: Notification) -> str:
    """Deterministic per claim, so a duplicate delivery is visible at the receiving end."""
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "missend.local"
    n = notification
    return f"<missend.n{n.pk}.i{n.incident_id}.{n.route}.l{n.level + 1}.r{n.loop}@{domain}>"


def _may_acknowledge(notification: Notification) -> bool:
    # Only someone who may acknowledge the route gets the link: a manager told about the legal
    # route is asked to chase legal, not offered a way to silence them.
    return notification.level >= 0 and notification.route in responsible_routes(
        notification.recipient, notification.incident
    )


def notification_context(notification: Notification) -> dict:
    """A whitelisted, plain context: templates never see model objects (the links are notification_links)."""
    incident = notification.incident
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
        # In the recipient's own zone: a lawyer in Shanghai must not convert a UTC deadline in their head.
        "deadline": format_when(incident.regulatory_deadline, zone=user_time_zone(notification.recipient))
        if incident.regulatory_deadline
        else None,
        "acknowledge_url": None,  # unless notification_links gives it
    }


def notification_links(notification: Notification) -> dict[str, str]:
    """The site's pages the email links to, as paths (the mail layer makes them absolute)."""
    links = {"incident_url": notification.incident.get_absolute_url()}
    if _may_acknowledge(notification):
        links["acknowledge_url"] = acknowledge_path(notification)
    return links


def _send_email(notification: Notification) -> None:
    mail.send(
        "notifications/escalation",
        to=mail.reader(notification.recipient),
        # Built in the recipient's language: the severity and the factors are words.
        context=lambda: notification_context(notification),
        links=notification_links(notification),
        headers={"Message-ID": message_id(notification), "X-Missend-Incident": str(notification.incident_id)},
    )


def _post_webhook(notification: Notification) -> None:
    incident = notification.incident
    payload = {
        "incident": incident.pk,
        "subject": incident.subject,
        "severity": incident.severity,
        "route": notification.route,
        "level": notification.level + 1,
        "factors": [{"code": f.code, "detail": f.detail} for f in stored_factors(incident)],
        "regulatory_deadline": incident.regulatory_deadline.isoformat() if incident.regulatory_deadline else None,
        "url": mail.site_link(reverse("incidents:detail", args=[incident.pk])),
        "id": message_id(notification),
    }
    # Checked again right before connecting, and the checked address is the one connected to: the
    # host's DNS may have changed since the policy was saved.
    target = webhook_target.check(notification.escalation.policy.webhook_url, debug=settings.DEBUG)
    webhook_target.post(
        target,
        json.dumps(payload).encode(),
        {"Content-Type": "application/json", "Idempotency-Key": message_id(notification)},
        timeout=missend.WEBHOOK_TIMEOUT,
    )


def send(notification: Notification) -> None:
    """Send one notification by its channel; raises on any failure (the caller records it)."""
    if notification.channel == Notification.Channel.WEBHOOK:
        # A webhook has no reader of its own: its words (the factors) are in the site's language.
        with translation.override(settings.LANGUAGE_CODE):
            _post_webhook(notification)
    else:
        _send_email(notification)  # in the recipient's language, whoever set the escalation off
