"""Writing the timeline: one function per event (`<noun>_<verb>_event(*, ...)`), and several events in one insert.

What each event records and how it reads is its registry entry in incidents/timeline/events.py.
"""

from __future__ import annotations

from functools import partial

from incidents.models import TimelineEvent
from incidents.timeline import events


def record(*rows: TimelineEvent) -> list[TimelineEvent]:
    """Save several events in one query, in the order given (the timeline's order)."""
    return TimelineEvent.objects.bulk_create(rows)


def write(entry: events.EventType, **facts) -> TimelineEvent:
    """Save one event now (see ``EventType.row`` for its facts)."""
    event = entry.row(**facts)
    event.save()
    return event


incident_reported_event = partial(write, events.REPORTED)
incident_edited_event = partial(write, events.EDITED)
incident_assessed_event = partial(write, events.ASSESSED)
escalation_started_event = partial(write, events.ESCALATION_STARTED)
level_reached_event = partial(write, events.LEVEL_REACHED)
level_empty_event = partial(write, events.LEVEL_EMPTY)
escalation_exhausted_event = partial(write, events.ESCALATION_EXHAUSTED)
reminded_event = partial(write, events.REMINDED)
acknowledged_event = partial(write, events.ACKNOWLEDGED)
escalation_closed_event = partial(write, events.ESCALATION_CLOSED)
taken_over_event = partial(write, events.TAKEN_OVER)
resolved_event = partial(write, events.RESOLVED)
reviewed_event = partial(write, events.REVIEWED)
notified_event = partial(write, events.NOTIFIED)
notification_retry_event = partial(write, events.NOTIFICATION_RETRY)
notification_failed_event = partial(write, events.NOTIFICATION_FAILED)
notification_uncertain_event = partial(write, events.NOTIFICATION_UNCERTAIN)
draft_edited_event = partial(write, events.DRAFT_EDITED)
draft_sent_event = partial(write, events.DRAFT_SENT)
draft_approval_dropped_event = partial(write, events.DRAFT_APPROVAL_DROPPED)


def draft_decided_event(*, approved: bool, **facts) -> TimelineEvent:
    return write(events.DRAFT_APPROVED if approved else events.DRAFT_REJECTED, **facts)
