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
