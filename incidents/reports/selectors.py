"""Role-scoped reads: every view and API endpoint gets incidents only through these."""

from __future__ import annotations

from django.db.models import QuerySet

from incidents import access
from incidents.assessment import (
    IncidentFacts,
    Party,
)
from incidents.models import Incident, Recipient
from incidents.vocabulary import Problem


def incident_list(user) -> QuerySet[Incident]:
    return access.incidents_visible_to(user).select_related("reporter", "team")


def incident_detail(user, incident_id: int) -> Incident:
    """Raises Incident.DoesNotExist for what the user may not see, so callers answer 404.

    The people on the timeline and evidence come in their rows' query, and the review in the incident's.
    """
    from django.db.models import Prefetch

    from incidents.models import Evidence, TimelineEvent

    return (
        access.incidents_visible_to(user)
        .select_related("reporter", "team", "review__reviewed_by")
        .prefetch_related(
            "recipients",
            Prefetch("events", TimelineEvent.objects.select_related("actor")),
            Prefetch("evidence", Evidence.objects.select_related("uploaded_by")),
        )
        .get(pk=incident_id)
    )


def incident_facts(incident: Incident, recipients: list[Recipient]) -> IncidentFacts:
    return IncidentFacts(
        recipients=tuple(Party(r.address, r.field) for r in recipients if r.role == Recipient.ACTUAL),
        intended=tuple(r.address for r in recipients if r.role == Recipient.INTENDED),
        filed_at=incident.created_at,
        subject=incident.subject,
        problems=frozenset(incident.problems),
        mail_system=incident.mail_system,
        recipient_status=incident.recipient_status,
        quoted_price=incident.quoted_price,
        correct_price=incident.correct_price,
        currency=incident.currency,
        firm_offer=incident.firm_offer,
        body=incident.body,
        attachments=tuple(incident.attachments),
        personal_data_dismissal=(incident.dismissed_signals or {}).get(Problem.PERSONAL_DATA, ""),
    )
