"""The managers' triage queue and the legal review queue, each in a constant number of queries."""

from __future__ import annotations

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, NullIf, Trim

from incidents.access import incidents_visible_to, visibility
from incidents.models import DraftRecord, Escalation, EscalationLevel, Incident, Notification
from incidents.vocabulary import IncidentStatus, Route


def _count(queryset, field: str) -> Coalesce:
    counted = queryset.values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted[:1], output_field=IntegerField()), 0)


def triage_queue(user) -> QuerySet[Escalation]:
    """Running escalations the user may see: unacknowledged first, then most severe, then oldest.

    Read along the partial index ``escalation_triage`` (running escalations only), with each
    escalation's own copy of its incident's severity, so the size of the history does not matter.
    """
    escalations = Escalation.objects.exclude(status=Escalation.Status.CLOSED)
    scope = visibility(user, through="incident__")
    if scope is not None:
        escalations = escalations.filter(scope)
    return (
        escalations.select_related("incident__reporter", "incident__assignee", "acknowledged_by")
        .annotate(
            unacknowledged=Case(When(status=Escalation.Status.ACTIVE, then=Value(0)), default=Value(1)),
            level_count=_count(EscalationLevel.objects.filter(policy=OuterRef("policy")), "policy"),
            failed_notifications=_count(
                Notification.objects.filter(escalation=OuterRef("pk"), status=Notification.Status.FAILED), "escalation"
            ),
        )
        # "active" (waiting for acknowledgement) sorts after "acknowledged": descending puts it first.
        .order_by("-status", "-severity_rank", "started_at", "id")
    )


def legal_queue(user, *, resolved: bool | None = False) -> QuerySet[Incident]:
    """Incidents routed or escalated to legal (a later edit that lowers the route leaves legal's
    escalation theirs). Open ones (the default): the nearest breach deadline first, those without a
    deadline after, newest first; resolved ones (resolved=True) or all (None): newest first.

    The open part is read along the partial index ``incident_legal_open``, which holds only legal's
    unresolved incidents, so years of resolved history cost nothing here.
    """
    legal_route = Escalation.objects.filter(incident=OuterRef("pk"), route=Route.LEGAL)
    incidents = incidents_visible_to(user).filter(legal_audience=True)
    if resolved is None:
        incidents = incidents.order_by("-created_at", "-id")
    elif resolved:
        incidents = incidents.filter(status=IncidentStatus.RESOLVED).order_by("-created_at", "-id")
    else:
        incidents = incidents.exclude(status=IncidentStatus.RESOLVED).order_by(
            F("regulatory_deadline").asc(nulls_last=True), "-created_at", "-id"
        )
    return (
        incidents.select_related("reporter")
        .annotate(
            # Legal's own route, never the managers': a manager's acknowledgement does not answer for legal.
            legal_state=Subquery(legal_route.values("status")[:1]),
            # The name people know them by (as triage shows it), their login only when they have none.
            legal_acknowledged_by=Subquery(
                legal_route.annotate(
                    name=Coalesce(
                        NullIf(
                            Trim(Concat("acknowledged_by__first_name", Value(" "), "acknowledged_by__last_name")),
                            Value(""),
                        ),
                        "acknowledged_by__username",
                    )
                ).values("name")[:1]
            ),
        )
        .prefetch_related(
            Prefetch(
                "draft_records",
                queryset=DraftRecord.objects.filter(approval=DraftRecord.Approval.PENDING),
                to_attr="drafts_awaiting_approval",
            )
        )
    )
