"""What each step of an escalation changes and records, as rows not yet saved (no query, no write).

The services save these (escalation/services.py), and the volume seeder inserts the same rows in batches,
dated when each step happened: a change here changes both.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from incidents.escalation.policy import due_after, next_position
from incidents.models import Escalation, EscalationPolicy, Incident, PostIncidentReview, TimelineEvent
from incidents.review.rules import Review
from incidents.timeline import events
from incidents.vocabulary import SEVERITY_RANK, IncidentStatus


def escalation_rows(
    *, incident: Incident, route: str, policy: EscalationPolicy | None, actor, now: datetime
) -> tuple[Escalation | None, TimelineEvent]:
    """A route's new escalation (not saved), due now at the level before its first (escalation_next_level
    moves it on), and the timeline row of its start; no escalation when the route has no policy."""
    started = events.ESCALATION_STARTED.row(incident=incident, actor=actor, route=route, policy=policy, reason="")
    if policy is None:
        return None, started
    escalation = Escalation(
        incident=incident,
        route=route,
        policy=policy,
        started_by=actor,
        next_action_at=now,
        severity_rank=SEVERITY_RANK[incident.severity],
    )
    return escalation, started


def escalation_next_level(
    escalation: Escalation, *, levels: list, now: datetime, targets_of: Callable[[object], list]
) -> tuple[list, list[TimelineEvent]]:
    """Move the escalation (in memory, nothing saved) to its next level that names someone.

    levels: the policy's levels in order (each with its delay_minutes); targets_of(level): the people a
    level names for this incident. Answers the people to tell (none when the policy is used up, and
    nobody is due then) and the step's timeline rows: the levels skipped, then the level reached or
    the policy exhausted.
    """
    policy = escalation.policy
    steps = []
    # Skip levels that name nobody (a reporter with no team, an empty group) rather than wait on them.
    for _attempt in range(max(1, len(levels) * (policy.repeat + 1))):
        position = next_position(
            escalation.level,
            escalation.loop,
            level_count=len(levels),
            repeat=policy.repeat,
            loop_base=escalation.loop_base,
        )
        if position is None:
            break
        escalation.level, escalation.loop = position
        level = levels[escalation.level]
        escalation.next_action_at = due_after(now, level.delay_minutes)
        targets = targets_of(level)
        if targets:
            steps.append(events.LEVEL_REACHED.row(escalation=escalation, targets=targets, level_count=len(levels)))
            return targets, steps
        steps.append(events.LEVEL_EMPTY.row(escalation=escalation))
    escalation.next_action_at = None
    steps.append(events.ESCALATION_EXHAUSTED.row(escalation=escalation))
    return [], steps


def escalation_acknowledged(escalation: Escalation, *, actor, now: datetime, via: str) -> TimelineEvent:
    """The escalation acknowledged by the actor (in memory): no further levels, the reminder that it is still
    unresolved due after the policy's hours (if any); and its timeline row."""
    escalation.status = Escalation.Status.ACKNOWLEDGED
    escalation.acknowledged_at, escalation.acknowledged_by = now, actor
    hours = escalation.policy.unresolved_reminder_hours
    escalation.next_action_at = now + timedelta(hours=float(hours)) if hours else None
    return events.ACKNOWLEDGED.row(escalation=escalation, actor=actor, via=via)


def escalation_closed(escalation: Escalation, *, actor, reason: str) -> TimelineEvent:
    """The escalation closed (in memory): nothing more is due; and its timeline row."""
    escalation.status = Escalation.Status.CLOSED
    escalation.next_action_at = None
    escalation.closed_reason = reason
    return events.ESCALATION_CLOSED.row(escalation=escalation, actor=actor, reason=reason)


def incident_resolved(incident: Incident, *, actor, note: str, routes: list[str], now: datetime) -> TimelineEvent:
    """The incident resolved with the note (in memory), the routes closed for it named; its timeline row."""
    incident.status = IncidentStatus.RESOLVED
    incident.resolved_at = now
    incident.resolution_note = note
    return events.RESOLVED.row(incident=incident, actor=actor, note=note, routes=routes)


def review_rows(incident: Incident, review: Review, *, actor) -> tuple[PostIncidentReview, TimelineEvent]:
    """The post-incident review of a resolved incident (not saved), dated with its resolution; its timeline row."""
    row = PostIncidentReview(
        incident=incident,
        cause=review.cause,
        cause_other=review.cause_other,
        damage_limited_by=review.damage_limited_by,
        habits=list(review.habits),
        no_habit_reason=review.no_habit_reason,
        reviewed_by=actor,
        reviewed_at=incident.resolved_at,
    )
    return row, events.REVIEWED.row(incident=incident, actor=actor, review=review)
