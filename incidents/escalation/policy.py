"""Pure policy arithmetic and target selection for escalation levels."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Q

from incidents.models import EscalationLevel, Incident


def next_position(
    level: int, loop: int, *, level_count: int, repeat: int, loop_base: int = 0
) -> tuple[int, int] | None:
    """The (level, loop) to notify after (level, loop), or None when the policy is used up."""
    if level_count == 0:
        return None
    if level + 1 < level_count:
        return level + 1, loop
    if level < 0:
        return 0, loop
    if loop - loop_base < repeat:
        return 0, loop + 1
    return None


def due_after(now: datetime, minutes: Decimal) -> datetime:
    return now + timedelta(seconds=float(minutes) * 60)


def level_targets(level: EscalationLevel, incident: Incident) -> list:
    """Active users a level names: chosen users, managers of chosen teams or of the reporter's team, groups."""
    scope = Q(pk__in=level.users.values("pk")) | Q(managed_teams__in=level.teams.all())
    scope |= Q(groups__in=level.groups.all())
    if level.notify_reporter_team_managers and incident.team_id:
        scope |= Q(managed_teams=incident.team_id)
    # The reporter is never asked to acknowledge their own incident.
    users = get_user_model().objects.filter(scope, is_active=True).exclude(pk=incident.reporter_id)
    return list(users.distinct().order_by("pk"))
