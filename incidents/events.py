"""One function per timeline event, so every event is written the same way."""
from __future__ import annotations

from .assessment import Assessment
from .models import Incident, TimelineEvent


def incident_reported_event(*, incident: Incident, actor) -> TimelineEvent:
    return TimelineEvent.objects.create(incident=incident, actor=actor, type=TimelineEvent.Type.REPORTED)


def incident_edited_event(*, incident: Incident, actor, changed_fields: list[str]) -> TimelineEvent:
    return TimelineEvent.objects.create(
        incident=incident, actor=actor, type=TimelineEvent.Type.EDITED, parameters={"changed": changed_fields}
    )


def incident_assessed_event(*, incident: Incident, actor, assessment: Assessment, previous: str | None) -> TimelineEvent:
    return TimelineEvent.objects.create(
        incident=incident,
        actor=actor,
        type=TimelineEvent.Type.ASSESSED,
        parameters={
            "severity": assessment.severity,
            "previous_severity": previous,
            "factors": sorted(assessment.factor_codes),
            "route": {"manager": assessment.route.manager, "legal": assessment.route.legal},
        },
    )


def _escalation_event(escalation, type_, actor=None, **parameters) -> TimelineEvent:
    return TimelineEvent.objects.create(
        incident_id=escalation.incident_id, actor=actor, type=type_,
        parameters={"route": escalation.route, "level": escalation.level + 1, "loop": escalation.loop, **parameters},
    )


def escalation_started_event(*, incident: Incident, actor, route: str, policy, reason: str) -> TimelineEvent:
    return TimelineEvent.objects.create(
        incident=incident, actor=actor, type=TimelineEvent.Type.ESCALATION_STARTED,
        parameters={"route": route, "policy": policy.name if policy else None, "reason": reason},
    )


def level_reached_event(*, escalation, targets, level_count: int) -> TimelineEvent:
    return _escalation_event(
        escalation, TimelineEvent.Type.LEVEL_REACHED, level_count=level_count,
        targets=[u.get_full_name() or u.username for u in targets],
        next_action_at=escalation.next_action_at.isoformat() if escalation.next_action_at else None,
    )


def level_empty_event(*, escalation) -> TimelineEvent:
    return _escalation_event(escalation, TimelineEvent.Type.LEVEL_EMPTY)


def escalation_exhausted_event(*, escalation) -> TimelineEvent:
    return _escalation_event(escalation, TimelineEvent.Type.ESCALATION_EXHAUSTED)


def reminded_event(*, escalation, targets) -> TimelineEvent:
    return _escalation_event(
        escalation, TimelineEvent.Type.REMINDED, targets=[u.get_full_name() or u.username for u in targets]
    )


def acknowledged_event(*, escalation, actor, via: str) -> TimelineEvent:
    return _escalation_event(escalation, TimelineEvent.Type.ACKNOWLEDGED, actor=actor, via=via)


def escalation_closed_event(*, escalation, actor, reason: str) -> TimelineEvent:
    return _escalation_event(escalation, TimelineEvent.Type.ESCALATION_CLOSED, actor=actor, reason=reason)


def taken_over_event(*, incident: Incident, actor) -> TimelineEvent:
    return TimelineEvent.objects.create(incident=incident, actor=actor, type=TimelineEvent.Type.TAKEN_OVER)


def resolved_event(*, incident: Incident, actor, note: str) -> TimelineEvent:
    return TimelineEvent.objects.create(
        incident=incident, actor=actor, type=TimelineEvent.Type.RESOLVED, parameters={"note": note}
    )


def _notification_event(notification, type_, **parameters) -> TimelineEvent:
    target = notification.recipient
    return TimelineEvent.objects.create(
        incident_id=notification.incident_id, type=type_,
        parameters={
            "route": notification.route, "level": notification.level + 1, "channel": notification.channel,
            "target": (target.get_full_name() or target.username) if target else notification.recipient_key,
            "attempt": notification.attempts, **parameters,
        },
    )


def notified_event(*, notification) -> TimelineEvent:
    return _notification_event(notification, TimelineEvent.Type.NOTIFIED)


def notification_retry_event(*, notification, error: str) -> TimelineEvent:
    return _notification_event(notification, TimelineEvent.Type.NOTIFICATION_RETRY, error=error[:300])


def notification_failed_event(*, notification, error: str) -> TimelineEvent:
    return _notification_event(notification, TimelineEvent.Type.NOTIFICATION_FAILED, error=error[:300])


def notification_uncertain_event(*, notification) -> TimelineEvent:
    return _notification_event(notification, TimelineEvent.Type.NOTIFICATION_UNCERTAIN)


def draft_edited_event(*, incident: Incident, actor, key: str, kind: str) -> TimelineEvent:
    return TimelineEvent.objects.create(
        incident=incident, actor=actor, type=TimelineEvent.Type.DRAFT_EDITED, parameters={"key": key, "kind": kind}
    )


def draft_sent_event(*, incident: Incident, actor, key: str, kind: str, via: str,
                     minutes_from_mistake: float, minutes_from_report: float) -> TimelineEvent:
    return TimelineEvent.objects.create(
        incident=incident, actor=actor, type=TimelineEvent.Type.DRAFT_SENT,
        parameters={"key": key, "kind": kind, "via": via, "minutes_from_mistake": minutes_from_mistake,
                    "minutes_from_report": minutes_from_report},
    )


def draft_decided_event(*, incident: Incident, actor, key: str, kind: str, approved: bool, comment: str) -> TimelineEvent:
    return TimelineEvent.objects.create(
        incident=incident, actor=actor,
        type=TimelineEvent.Type.DRAFT_APPROVED if approved else TimelineEvent.Type.DRAFT_REJECTED,
        parameters={"key": key, "kind": kind, "comment": comment},
    )
