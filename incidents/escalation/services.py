"""Starting, advancing, acknowledging and closing escalations; every step is a timeline event."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents import access
from incidents.audit import services as audit
from incidents.errors import PermissionDenied, StateConflict
from incidents.escalation.policy import level_targets
from incidents.escalation.steps import (
    escalation_acknowledged,
    escalation_closed,
    escalation_next_level,
    escalation_rows,
    incident_resolved,
    review_rows,
)
from incidents.models import Escalation, EscalationLevel, EscalationPolicy, Incident, Notification
from incidents.notifications.services import cancel_pending, create_claims
from incidents.platform import sweeping
from incidents.review.rules import Review, review_errors, review_required
from incidents.timeline import services as timeline
from incidents.vocabulary import SEVERITY_RANK, AcknowledgedVia, IncidentStatus, Route


def routes_of(incident: Incident) -> list[str]:
    return [route for route, on in ((Route.MANAGER, incident.route_manager), (Route.LEGAL, incident.route_legal)) if on]


def escalations_sync(*, incident: Incident, actor, new: bool = False) -> list[Escalation]:
    """Start an escalation for each route the assessment names that has none yet; never cancel one.

    new: the incident was just filed, so no escalation exists yet; its routes start together, with
    the policies read in one query and the timeline written in one.
    """
    if incident.status == IncidentStatus.RESOLVED:
        return []
    existing = set() if new else set(incident.escalations.values_list("route", flat=True))
    wanted = [route for route in routes_of(incident) if route not in existing]
    if not new:
        return [e for e in (escalation_start(incident=incident, route=r, actor=actor) for r in wanted) if e]
    now = timezone.now()
    pending: list = []
    started = []
    policies = _policies_with_levels(wanted)
    for route in wanted:
        policy, levels = policies.get(route, (None, []))
        escalation, started_row = escalation_rows(incident=incident, route=route, policy=policy, actor=actor, now=now)
        pending.append(started_row)
        if escalation is None:
            continue
        escalation_advance(escalation, now=now, levels=levels, pending_events=pending, fresh=True)
        started.append(escalation)
    timeline.record(*pending)
    return started


def _widen_audience(incident: Incident, route: str, actor) -> None:
    """Escalated to a role: that role sees the incident from now on, whatever later edits do."""
    flag = "manager_audience" if route == Route.MANAGER else "legal_audience"
    if not getattr(incident, flag):
        setattr(incident, flag, True)
        Incident.objects.filter(pk=incident.pk).update(**{flag: True})
        audit.record_change(incident, {flag: (False, True)}, actor=actor)


def _policies_with_levels(routes: list[str]) -> dict[str, tuple[EscalationPolicy, list[EscalationLevel]]]:
    """Each route's policy and its ordered levels, in one query (a second only for a policy without levels)."""
    found: dict[str, tuple[EscalationPolicy, list[EscalationLevel]]] = {}
    for level in EscalationLevel.objects.filter(policy__route__in=routes).select_related("policy").order_by("position"):
        found.setdefault(level.policy.route, (level.policy, []))[1].append(level)
    missing = [route for route in routes if route not in found]
    if missing:
        for policy in EscalationPolicy.objects.filter(route__in=missing):
            found[policy.route] = (policy, [])
    return found


@transaction.atomic(savepoint=False)
def escalation_start(*, incident: Incident, route: str, actor, reason: str = "") -> Escalation | None:
    """Start (or restart, when escalated by hand) the route's policy and notify its first level now."""
    policy = EscalationPolicy.objects.filter(route=route).first()
    if policy is None:
        timeline.escalation_started_event(incident=incident, actor=actor, route=route, policy=None, reason=reason)
        return None
    now = timezone.now()
    escalation, created = Escalation.objects.select_for_update().get_or_create(
        incident=incident,
        route=route,
        defaults={
            "policy": policy,
            "started_by": actor,
            "next_action_at": now,
            "severity_rank": SEVERITY_RANK[incident.severity],
        },
    )
    if not created:
        if escalation.status == Escalation.Status.ACTIVE:
            return escalation
        escalation.policy = policy
        escalation.status = Escalation.Status.ACTIVE
        escalation.level = -1
        escalation.loop += 1
        escalation.loop_base = escalation.loop
        escalation.acknowledged_at = escalation.acknowledged_by = None
        escalation.started_by = actor
        escalation.closed_reason = ""
        escalation.severity_rank = SEVERITY_RANK[incident.severity]
    timeline.escalation_started_event(incident=incident, actor=actor, route=route, policy=policy, reason=reason)
    _widen_audience(incident, route, actor)
    escalation_advance(escalation, now=now)
    if incident.status == IncidentStatus.ACKNOWLEDGED and not created:
        Incident.objects.filter(pk=incident.pk).update(status=IncidentStatus.OPEN)
        audit.record_change(incident, {"status": (IncidentStatus.ACKNOWLEDGED, IncidentStatus.OPEN)}, actor=actor)
    return escalation


@transaction.atomic(savepoint=False)
def incident_escalate(*, incident: Incident, actor, route: str, reason: str) -> Escalation | None:
    """A manager escalates by hand to managers or legal, saying why (not once the incident is resolved)."""
    access.require_escalate(actor)
    _check_open(incident)
    return escalation_start(incident=incident, route=route, actor=actor, reason=reason)


def escalation_advance(
    escalation: Escalation,
    *,
    now: datetime,
    levels: list | None = None,
    pending_events: list | None = None,
    fresh: bool = False,
) -> None:
    """Take the escalation's next step; the caller holds the row lock inside a transaction.

    levels: the policy's levels when already read; pending_events: a list to add the events to instead of
    writing each (the caller records them); fresh: the escalation is new, so its claims cannot clash.
    """
    if escalation.status == Escalation.Status.ACKNOWLEDGED:
        _remind_unresolved(escalation, now=now)
        return
    if escalation.status != Escalation.Status.ACTIVE:
        escalation.next_action_at = None
        escalation.save(update_fields=["next_action_at"])
        return

    policy = escalation.policy
    levels = list(policy.levels.order_by("position")) if levels is None else levels
    incident = escalation.incident
    targets, steps = escalation_next_level(
        escalation, levels=levels, now=now, targets_of=lambda level: level_targets(level, incident)
    )
    escalation.save()
    if targets:
        create_claims(escalation, level=escalation.level, loop=escalation.loop, users=targets, now=now, fresh=fresh)
    for row in steps:
        if pending_events is None:
            timeline.record(row)
        else:
            pending_events.append(row)


def escalations_advance_due(now: datetime) -> int:
    """The sweep's step: each due escalation takes its next step under its row lock; answers how many did.

    Two sweeps at once: the second skips the row the first holds, then finds it no longer due.
    """
    due = Escalation.objects.filter(
        status__in=[Escalation.Status.ACTIVE, Escalation.Status.ACKNOWLEDGED], next_action_at__lte=now
    )
    still_due = Escalation.objects.select_related("policy", "incident").filter(next_action_at__lte=now)
    advanced = 0
    for pk in sweeping.due_ids(due):
        with transaction.atomic():
            escalation = sweeping.locked_if_due(still_due, pk)
            if escalation is not None:
                escalation_advance(escalation, now=now)
                advanced += 1
    return advanced


def _remind_unresolved(escalation: Escalation, *, now: datetime) -> None:
    hours = escalation.policy.unresolved_reminder_hours
    incident = escalation.incident
    if not hours or incident.status == IncidentStatus.RESOLVED:
        escalation.next_action_at = None
        escalation.save(update_fields=["next_action_at"])
        return
    escalation.reminders += 1
    escalation.next_action_at = now + timedelta(hours=float(hours))
    escalation.save(update_fields=["reminders", "next_action_at"])
    people = [u for u in {escalation.acknowledged_by, incident.assignee} if u is not None]
    create_claims(escalation, level=-1, loop=escalation.reminders, users=people, now=now)
    timeline.reminded_event(escalation=escalation, targets=people)


@transaction.atomic
def escalation_acknowledge(
    *, incident: Incident, actor, route: str | None = None, via: str = AcknowledgedVia.BUTTON
) -> list[Escalation]:
    """Stop further levels for the route (or all routes) and record who acknowledged and when."""
    now = timezone.now()
    active = Escalation.objects.select_for_update().filter(incident=incident, status=Escalation.Status.ACTIVE)
    if route:
        active = active.filter(route=route)
    acknowledged = []
    for escalation in active.select_related("policy"):
        row = escalation_acknowledged(escalation, actor=actor, now=now, via=via)
        escalation.save()
        cancel_pending(escalation)
        timeline.record(row)
        acknowledged.append(escalation)
    if acknowledged and incident.status == IncidentStatus.OPEN:
        incident.status = IncidentStatus.ACKNOWLEDGED
        incident.save(update_fields=["status"])
    return acknowledged


def _check_open(incident: Incident) -> None:
    if incident.status == IncidentStatus.RESOLVED:
        raise StateConflict(_("This incident is resolved."))


@transaction.atomic
def incident_acknowledge(
    *, incident: Incident, actor, route: str | None = None, via: str = AcknowledgedVia.BUTTON
) -> list[str]:
    """Acknowledge the routes the actor answers for (or just `route`), never anyone else's."""
    routes = access.responsible_routes(actor, incident)
    if route is not None:
        if route not in routes:
            raise PermissionDenied(_("You are not among those who answer for this route."))
        routes = {route}
    if not routes:
        raise PermissionDenied(_("Only the managers or legal reviewers it was escalated to can acknowledge it."))
    return [
        e.route
        for r in sorted(routes)
        for e in escalation_acknowledge(incident=incident, actor=actor, route=r, via=via)
    ]


@transaction.atomic
def incident_take_over(*, incident: Incident, actor) -> list[str]:
    """The actor handles the incident from now on, acknowledging only the routes they answer for."""
    _check_open(incident)
    routes = access.responsible_routes(actor, incident)
    if not routes:
        raise PermissionDenied(_("Only a manager or legal reviewer can take over an incident."))
    incident.assignee = actor
    incident.save(update_fields=["assignee"])
    acknowledged = [
        e.route
        for r in sorted(routes)
        for e in escalation_acknowledge(incident=incident, actor=actor, route=r, via=AcknowledgedVia.TAKE_OVER)
    ]
    timeline.taken_over_event(incident=incident, actor=actor, routes=acknowledged)
    return acknowledged


@transaction.atomic
def escalation_close(*, escalation: Escalation, actor, reason: str, check: bool = True) -> None:
    """Someone who answers for the route stops an escalation that is no longer needed, saying why."""
    escalation = Escalation.objects.select_for_update().select_related("incident").get(pk=escalation.pk)
    if check and escalation.route not in access.responsible_routes(actor, escalation.incident):
        raise PermissionDenied(_("Only those who answer for this route can close it."))
    if escalation.status == Escalation.Status.CLOSED:
        if check:
            raise StateConflict(_("This escalation is already closed."))
        return
    row = escalation_closed(escalation, actor=actor, reason=reason)
    escalation.save()
    cancel_pending(escalation, reminders=True)
    timeline.record(row)


@transaction.atomic
def incident_resolve(*, incident: Incident, actor, note: str, review: Review | None = None) -> None:
    """Close the incident with a resolution note, closing each open route in the actor's name.

    High and critical incidents need a post-incident review (ValidationError with field errors without
    one); below them a review is optional. The review is stored and on the timeline with the resolution.
    """
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    _check_open(incident)
    if not access.may_resolve(actor, incident):
        raise PermissionDenied(
            _(
                "An escalation is open to managers or legal: only someone who answers for every "
                "open route can resolve this incident."
            )
        )
    note = (note or "").strip()
    if not note:
        raise ValueError(_("Say how it was resolved."))
    review = review or Review()
    problems = review_errors(review, required=review_required(incident.severity))
    if problems:
        raise ValidationError(problems)
    closed = []
    for escalation in incident.escalations.exclude(status=Escalation.Status.CLOSED):
        escalation_close(escalation=escalation, actor=actor, reason=note, check=False)
        closed.append(escalation.route)
    row = incident_resolved(incident, actor=actor, note=note, routes=closed, now=timezone.now())
    incident.save(update_fields=["status", "resolved_at", "resolution_note"])
    timeline.record(row)
    if not review.is_blank():
        review_row, reviewed = review_rows(incident, review, actor=actor)
        review_row.save()
        timeline.record(reviewed)


@transaction.atomic
def acknowledge_by_link(notification: Notification) -> bool:
    """An emailed link acknowledges once: the first use wins, a second (or a replay) changes nothing."""
    used = Notification.objects.filter(pk=notification.pk, ack_link_used_at__isnull=True).update(
        ack_link_used_at=timezone.now()
    )
    if used:
        with audit.acting(notification.recipient):  # nobody is signed in: the link is theirs
            escalation_acknowledge(
                incident=notification.incident,
                actor=notification.recipient,
                route=notification.route,
                via=AcknowledgedVia.EMAIL_LINK,
            )
    return bool(used)
