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


incident_edited_event = partial(write, events.EDITED)
incident_assessed_event = partial(write, events.ASSESSED)
escalation_started_event = partial(write, events.ESCALATION_STARTED)
reminded_event = partial(write, events.REMINDED)
taken_over_event = partial(write, events.TAKEN_OVER)
notified_event = partial(write, events.NOTIFIED)
notification_uncertain_event = partial(write, events.NOTIFICATION_UNCERTAIN)
draft_edited_event = partial(write, events.DRAFT_EDITED)
draft_approval_dropped_event = partial(write, events.DRAFT_APPROVAL_DROPPED)
