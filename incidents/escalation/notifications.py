"""Writes about notifications that people cause: reading the inbox, using an emailed acknowledge link."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ..models import Notification
from .flow import escalation_acknowledge


def inbox_mark_read(notifications) -> int:
    """Mark the given inbox entries read (those not read yet); answers how many changed."""
    unread = [n.pk for n in notifications if n.read_at is None]
    return Notification.objects.filter(pk__in=unread, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def acknowledge_by_link(notification: Notification) -> bool:
    """An emailed link acknowledges once: the first use wins, a second (or a replay) changes nothing."""
    used = Notification.objects.filter(pk=notification.pk, ack_link_used_at__isnull=True).update(
        ack_link_used_at=timezone.now()
    )
    if used:
        escalation_acknowledge(incident=notification.incident, actor=notification.recipient,
                               route=notification.route, via="email_link")
    return bool(used)
