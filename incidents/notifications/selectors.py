"""Reading notifications: a person's in-app inbox and its unread count."""

from __future__ import annotations

from incidents.models import Notification

UNREAD_SHOWN_UP_TO = 99


def unread_inbox_count(user) -> int:
    """Unread in-app notifications, counted up to UNREAD_SHOWN_UP_TO + 1 (the badge then says "99+"):
    every page shows it, and someone away for months may have tens of thousands."""
    unread = Notification.objects.filter(recipient=user, channel=Notification.Channel.INBOX, read_at__isnull=True)
    return unread[: UNREAD_SHOWN_UP_TO + 1].count()


def inbox(user):
    return (
        Notification.objects.filter(recipient=user, channel=Notification.Channel.INBOX)
        .select_related("incident", "escalation")
        .order_by("-created_at", "-id")
    )
