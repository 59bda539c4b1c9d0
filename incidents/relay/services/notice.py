"""The notice a sender gets when their message is held: its warnings and a link to Send now / Cancel."""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone

from incidents.accounts.selectors import user_time_zone
from incidents.models import HeldMessage
from incidents.platform import mail
from incidents.platform.formats import format_when
from incidents.relay.selectors import warning_sentences


def notice_context(held: HeldMessage) -> dict:
    """A whitelisted, plain context: the template never sees the model (the page's link is added by _send)."""
    sender = held.sender
    return {
        "recipient_name": sender.get_full_name() or sender.username,
        "subject": held.subject,
        "recipients": [r["address"] for r in held.recipients],
        "warnings": warning_sentences(held),
        "due": format_when(held.due_at, "Y-m-d H:i:s", zone=user_time_zone(sender)),
    }


def _send(held: HeldMessage, template: str, **extra) -> None:
    mail.send(
        template,
        to=mail.reader(held.sender),
        # Built in the sender's language: the warnings are sentences.
        context=lambda: {**notice_context(held), **extra},
        links={"held_url": held.get_absolute_url()},
        headers={"X-Missend-Held-Message": str(held.pk)},
    )


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
    _send(held, "notifications/held_message")
    HeldMessage.objects.filter(pk=held_id).update(notice_sent_at=timezone.now())
    return "sent"


def notify_failed(held_id: int) -> None:
    """Tell the sender a message the upstream refused for good: they believe it was sent."""
    held = HeldMessage.objects.select_related("sender").defer("raw").get(pk=held_id)
    if not held.sender.email:
        return
    _send(held, "notifications/held_message_failed", error=held.last_error[:500])
