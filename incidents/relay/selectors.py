"""Reading held messages: the ones a person may act on, and their warnings in the reader's language."""

from __future__ import annotations

from django.db.models import QuerySet

from incidents import access
from incidents.models import HeldMessage
from incidents.precheck import Warning

WAITING_SHOWN_UP_TO = 99


def held_for(user) -> QuerySet[HeldMessage]:
    """The held messages a user may act on (access.held_messages_for), without their bytes."""
    rows = HeldMessage.objects.defer("raw")
    scope = access.held_messages_for(user)
    return rows if scope is None else rows.filter(scope)


def own_held(user) -> QuerySet[HeldMessage]:
    """The user's own held messages, newest first (an administrator's list is theirs too)."""
    return HeldMessage.objects.filter(sender=user).order_by("-created_at", "-id")


def waiting_count(user) -> int:
    """The user's messages still held, counted up to WAITING_SHOWN_UP_TO + 1 (the badge then says "99+")."""
    return HeldMessage.objects.filter(sender=user, status=HeldMessage.Status.HELD)[: WAITING_SHOWN_UP_TO + 1].count()


def warning_sentences(held: HeldMessage) -> list[str]:
    """The warnings in the active language, from their stored codes and params."""
    return [Warning(w.get("code", ""), w.get("params") or {}).sentence for w in held.warnings]
