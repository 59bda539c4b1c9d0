"""The notice a sender gets when their message is held: its warnings and a link to Send now / Cancel."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.utils import timezone, translation

from incidents.accounts.selectors import recipient_language, user_time_zone
from incidents.models import HeldMessage
from incidents.platform.formats import format_when
from incidents.relay.selectors import warning_sentences
from project.jinja2 import render_email

log = logging.getLogger(__name__)


def notice_context(held: HeldMessage) -> dict:
    """A whitelisted, plain context: the template never sees the model."""
    sender = held.sender
    return {
        "recipient_name": sender.get_full_name() or sender.username,
        "subject": held.subject,
        "recipients": [r["address"] for r in held.recipients],
        "warnings": warning_sentences(held),
        "due": format_when(held.due_at, "Y-m-d H:i:s", zone=user_time_zone(sender)),
        "held_url": settings.SITE_URL.rstrip("/") + held.get_absolute_url(),
    }


def notify(held_id: int) -> str:
    """Email the sender once (a second run finds notice_sent_at set); answers what happened."""
    taken = HeldMessage.objects.filter(pk=held_id, notice_sent_at__isnull=True, status=HeldMessage.Status.HELD).update(
        notice_attempts=F("notice_attempts") + 1
    )
    if not taken:
        return "not needed"
    held = HeldMessage.objects.select_related("sender").defer("raw").get(pk=held_id)
    if not held.sender.email:
        return "no address"
    with translation.override(recipient_language(held.sender)):
        subject, text, html = render_email("notifications/held_message", notice_context(held))
    message = EmailMultiAlternatives(
        subject=subject, body=text, to=[held.sender.email], headers={"X-Missend-Held-Message": str(held.pk)}
    )
    message.attach_alternative(html, "text/html")
    message.send(fail_silently=False)
    HeldMessage.objects.filter(pk=held_id).update(notice_sent_at=timezone.now())
    return "sent"


def notify_failed(held_id: int) -> None:
    """Tell the sender a message the upstream refused for good: they believe it was sent."""
    held = HeldMessage.objects.select_related("sender").defer("raw").get(pk=held_id)
    if not held.sender.email:
        return
    with translation.override(recipient_language(held.sender)):
        context = {**notice_context(held), "error": held.last_error[:500]}
        subject, text, html = render_email("notifications/held_message_failed", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, to=[held.sender.email], headers={"X-Missend-Held-Message": str(held.pk)}
    )
    message.attach_alternative(html, "text/html")
    message.send(fail_silently=False)
