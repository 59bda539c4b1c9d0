"""Timeline events: one registry entry per type, holding how it is written and how it reads.

Each entry's `row` builds a typed row with JSON parameters (the facts, never rendered text), which
incidents/timeline/services.py writes, and its `sentence` turns those parameters back into one sentence in the reader's language, so
a timeline written months ago reads in today's language. `tests/test_events.py` checks that
every TimelineEvent.Type has an entry and that every entry has a sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from incidents.models import Incident, TimelineEvent
from incidents.vocabulary import NotificationChannel, Route, SentVia, Severity, TimelineEventType

Sentence = Callable[[dict], str]
Parameters = Callable[..., dict]


@dataclass(frozen=True)
class EventType:
    code: str
    sentence: Sentence
    parameters: Parameters

    def row(self, *, incident: Incident | None = None, actor=None, **facts) -> TimelineEvent:
        """The event, not yet saved (timeline.services writes it)."""
        # Escalation and notification events belong to the incident of the row they are about.
        source = facts.get("escalation") or facts.get("notification")
        incident_id = incident.pk if incident is not None else source.incident_id
        return TimelineEvent(incident_id=incident_id, actor=actor, type=self.code, parameters=self.parameters(**facts))


REGISTRY: dict[str, EventType] = {}


def register(code: TimelineEventType, sentence: Sentence, parameters: Parameters = lambda **facts: facts) -> EventType:
    entry = EventType(code, sentence, parameters)
    REGISTRY[code] = entry
    return entry


def _route_name(code: str) -> str:
    return str(dict(Route.choices).get(code, code))


def _join(items) -> str:
    # Translators: separates items of a list inside a sentence (Chinese uses 、 or ，).
    return _(", ").join(str(item) for item in items)


def _routes(codes) -> str:
    return _join(_route_name(c) for c in codes or [])


def person_name(user) -> str:
    """The name people know them by, their login when they have none."""
    return (user.get_full_name() or user.username) if user is not None else ""


def _severity_name(code) -> str:
    """The severity as a word inside a sentence ("Assessed: high (was medium)")."""
    names = {
        Severity.LOW: pgettext("severity, inside a sentence", "low"),
        Severity.MEDIUM: pgettext("severity, inside a sentence", "medium"),
        Severity.HIGH: pgettext("severity, inside a sentence", "high"),
        Severity.CRITICAL: pgettext("severity, inside a sentence", "critical"),
    }
    return names.get(code, code)


def _field_names(fields) -> str:
    """Changed report fields by their names on the form (stored as model field names)."""
    names = []
    for field in fields or []:
        if field == "recipients":  # a relation, not a field with a verbose name
            names.append(str(_("recipients")))
            continue
        try:
            names.append(str(Incident._meta.get_field(field).verbose_name))
        except FieldDoesNotExist:  # fields renamed since the event was written
            names.append(str(field))
    return _join(names)


def _channel_name(code) -> str:
    return str(dict(NotificationChannel.choices).get(code, code))


def _sent_via_name(code) -> str:
    return str(dict(SentVia.choices).get(code, code))


def describe_event(event: TimelineEvent) -> str:
    """One sentence for a timeline event, in the reader's language, from its stored parameters."""
    entry = REGISTRY.get(event.type)
    if entry is None:
        return event.get_type_display()
    p = dict(event.parameters or {})
    if isinstance(p.get("route"), str):
        p["route"] = _route_name(p["route"])
    # Codes are stored; the reader sees them in words, in their language (draft keys stay as identifiers).
    for name in ("severity", "previous_severity"):
        if isinstance(p.get(name), str):
            p[name] = _severity_name(p[name])
    if isinstance(p.get("channel"), str):
        p["channel"] = _channel_name(p["channel"])
    if isinstance(p.get("via"), str):
        p["via"] = _sent_via_name(p["via"])
    return entry.sentence(p)


# The report and its assessment.
REPORTED = register(TimelineEventType.REPORTED, lambda p: _("Reported"))
EDITED = register(
    TimelineEventType.EDITED,
    lambda p: _("Edited: %(fields)s") % {"fields": _field_names(p.get("changed"))},
    lambda *, changed_fields: {"changed": changed_fields},
)


def _assessed_sentence(p: dict) -> str:
    if p.get("previous_severity") and p["previous_severity"] != p.get("severity"):
        return _("Assessed: %(severity)s (was %(previous_severity)s)") % p
    return _("Assessed: %(severity)s") % p


def _assessed_parameters(*, assessment, previous: str | None) -> dict:
    return {
        "severity": assessment.severity,
        "previous_severity": previous,
        "factors": sorted(assessment.factor_codes),
        "route": {Route.MANAGER: assessment.route.manager, Route.LEGAL: assessment.route.legal},
    }


ASSESSED = register(TimelineEventType.ASSESSED, _assessed_sentence, _assessed_parameters)


# Escalation.
def _escalation_parameters(*, escalation, **facts) -> dict:
    return {"route": escalation.route, "level": escalation.level + 1, "loop": escalation.loop, **facts}


def _started_sentence(p: dict) -> str:
    text = _("Escalation to %(route)s started") % p
    return f"{text}: {p['reason']}" if p.get("reason") else text


ESCALATION_STARTED = register(
    TimelineEventType.ESCALATION_STARTED,
    _started_sentence,
    lambda *, route, policy, reason: {"route": route, "policy": policy.name if policy else None, "reason": reason},
)
LEVEL_REACHED = register(
    TimelineEventType.LEVEL_REACHED,
    lambda p: _("%(route)s level %(level)s notified: %(targets)s") % {**p, "targets": _join(p.get("targets", []))},
    lambda *, escalation, targets, level_count: _escalation_parameters(
        escalation=escalation,
        level_count=level_count,
        targets=[person_name(u) for u in targets],
        next_action_at=escalation.next_action_at.isoformat() if escalation.next_action_at else None,
    ),
)
LEVEL_EMPTY = register(
    TimelineEventType.LEVEL_EMPTY,
    lambda p: _("%(route)s level %(level)s names nobody; moved on") % p,
    _escalation_parameters,
)
ESCALATION_EXHAUSTED = register(
    TimelineEventType.ESCALATION_EXHAUSTED,
    lambda p: _("%(route)s: every level has been told and nobody has acknowledged") % p,
    _escalation_parameters,
)
REMINDED = register(
    TimelineEventType.REMINDED,
    lambda p: (
        _("Reminder sent (acknowledged but not resolved): %(targets)s") % {"targets": _join(p.get("targets", []))}
    ),
    lambda *, escalation, targets: _escalation_parameters(
        escalation=escalation, targets=[person_name(u) for u in targets]
    ),
)
ACKNOWLEDGED = register(
    TimelineEventType.ACKNOWLEDGED,
    lambda p: _("Acknowledged for %(route)s") % p,
    lambda *, escalation, via: _escalation_parameters(escalation=escalation, via=via),
)
ESCALATION_CLOSED = register(
    TimelineEventType.ESCALATION_CLOSED,
    lambda p: _("Escalation to %(route)s closed: %(reason)s") % p,
    lambda *, escalation, reason: _escalation_parameters(escalation=escalation, reason=reason),
)
TAKEN_OVER = register(
    TimelineEventType.TAKEN_OVER,
    lambda p: (
        (_("Taken over; acknowledged for %(routes)s") % {"routes": _routes(p["routes"])})
        if p.get("routes")
        else _("Taken over")
    ),
    lambda *, routes=(): {"routes": sorted(routes)},
)


def _resolved_sentence(p: dict) -> str:
    if p.get("routes"):
        return _("Resolved (closing the %(routes)s route): %(note)s") % {
            "routes": _routes(p["routes"]),
            "note": p.get("note", ""),
        }
    return _("Resolved: %(note)s") % p


RESOLVED = register(
    TimelineEventType.RESOLVED, _resolved_sentence, lambda *, note, routes=(): {"note": note, "routes": sorted(routes)}
)


def _reviewed_sentence(p: dict) -> str:
    from incidents.review.rules import cause_label, habit_label

    cause = cause_label(p.get("cause", ""))
    if p.get("cause_other"):
        cause = _("%(cause)s: %(text)s") % {"cause": cause, "text": p["cause_other"]}
    if p.get("habits"):
        return _("Post-incident review: caused by %(cause)s; prevention adopted: %(habits)s") % {
            "cause": cause,
            "habits": _join(habit_label(code) for code in p["habits"]),
        }
    return _("Post-incident review: caused by %(cause)s; no prevention step adopted, because %(reason)s") % {
        "cause": cause,
        "reason": p.get("no_habit_reason", ""),
    }


REVIEWED = register(
    TimelineEventType.REVIEWED,
    _reviewed_sentence,
    lambda *, review: {
        "cause": review.cause,
        "cause_other": review.cause_other,
        "habits": list(review.habits),
        "no_habit_reason": review.no_habit_reason,
    },
)


# Notifications.
def _notification_parameters(*, notification, **facts) -> dict:
    target = notification.recipient
    return {
        "route": notification.route,
        "level": notification.level + 1,
        "channel": notification.channel,
        "target": person_name(target) if target else notification.recipient_key,
        "attempt": notification.attempts,
        **facts,
    }


def _error_parameters(*, notification, error: str) -> dict:
    return _notification_parameters(notification=notification, error=error[:300])


NOTIFIED = register(
    TimelineEventType.NOTIFIED,
    lambda p: _("%(channel)s to %(target)s delivered (%(route)s level %(level)s)") % p,
    _notification_parameters,
)
NOTIFICATION_RETRY = register(
    TimelineEventType.NOTIFICATION_RETRY,
    lambda p: _("%(channel)s to %(target)s failed (attempt %(attempt)s), will retry: %(error)s") % p,
    _error_parameters,
)
NOTIFICATION_FAILED = register(
    TimelineEventType.NOTIFICATION_FAILED,
    lambda p: _("%(channel)s to %(target)s FAILED after %(attempt)s attempts: %(error)s") % p,
    _error_parameters,
)
NOTIFICATION_UNCERTAIN = register(
    TimelineEventType.NOTIFICATION_UNCERTAIN,
    lambda p: _("%(channel)s to %(target)s: the worker was lost while sending; sent again, it may arrive twice") % p,
    _notification_parameters,
)


# Drafts.
DRAFT_EDITED = register(TimelineEventType.DRAFT_EDITED, lambda p: _("Draft edited: %(key)s") % p)
DRAFT_SENT = register(
    TimelineEventType.DRAFT_SENT,
    lambda p: (
        _(
            "Draft sent (%(via)s): %(key)s, %(minutes_from_mistake)s min after the mis-send, "
            "%(minutes_from_report)s min after the report"
        )
        % p
    ),
)
DRAFT_APPROVED = register(
    TimelineEventType.DRAFT_APPROVED, lambda p: _("Legal approved the draft %(key)s. %(comment)s") % p
)
DRAFT_REJECTED = register(
    TimelineEventType.DRAFT_REJECTED, lambda p: _("Legal rejected the draft %(key)s: %(comment)s") % p
)
CAUSE_REPORT_CHANGED, CAUSE_DRAFT_EDITED = "report_changed", "draft_edited"


def approval_drop_reason(cause: str, fields=(), stored_reason: str = "") -> str:
    """Why legal's approval no longer holds, in the reader's language (older rows stored the text)."""
    if cause == CAUSE_REPORT_CHANGED:
        return _("the report changed: %(fields)s") % {"fields": _field_names(fields)}
    if cause == CAUSE_DRAFT_EDITED:
        return _("the draft's text was edited")
    return stored_reason


DRAFT_APPROVAL_DROPPED = register(
    TimelineEventType.DRAFT_APPROVAL_DROPPED,
    lambda p: (
        _("Legal's approval of %(key)s no longer holds (%(reason)s): it needs approval again")
        % {
            "key": p.get("key", ""),
            "reason": approval_drop_reason(p.get("cause", ""), p.get("fields") or (), p.get("reason", "")),
        }
    ),
)


# Evidence.
EVIDENCE_KEPT = register(
    TimelineEventType.EVIDENCE_KEPT,
    lambda p: _("The sent message %(name)s was kept as evidence (SHA-256 %(sha256)s)") % p,
    lambda *, evidence: {"evidence": evidence.pk, "name": evidence.original_name, "sha256": evidence.sha256},
)


# Named writers, so callers read as sentences of what happened.
