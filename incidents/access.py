"""Who may do what: the one place every path asks (pages, API, admin, the relay, the desk receiver, commands).

Three kinds of answer, turned into HTTP in one place each for pages and the API (incidents/web):
- may not see it: the scoped querysets here leave it out, so the caller answers 404;
- may see it but may not do that: the ``require_*`` checks raise PermissionDenied (403);
- nobody may do that now (a resolved incident, a withdrawal waiting for legal): the services raise
  StateConflict (409), which is about state, not about the person.

The services call the ``require_*`` checks themselves, so a path that forgets to ask is refused all the same.

Authority follows the README's tables:
- see: the reporter; the managers of the incident's team; the Manager group what was routed or escalated to
  managers; Legal what was routed or escalated to legal; superusers everything;
- edit the facts, add evidence, dismiss a signal, word, send or mark sent a draft: the reporter and the
  managers of the incident's team, and superusers; a manager of another team does not, even when the
  incident is routed to managers;
- acknowledge, take over, close a route: whoever answers for that route (``responsible_routes``); legal's route
  answers to Legal alone, so nothing a manager does silences legal;
- resolve: with routes open, only someone who answers for every open route; with none, its editors;
- approve or reject a draft: Legal and superusers;
- held messages: their sender (an administrator may also send now or cancel); kept checks and pending
  reports: their owner; the audit trail: superusers.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from incidents.errors import PermissionDenied
from incidents.models import Escalation, Incident, Team
from incidents.vocabulary import Role, Route


def user_roles(user) -> set[str]:
    """The user's groups by name, read once per request (kept on the user object)."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_missend_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._missend_roles = cached
    return cached


def managed_team_ids(user) -> list[int]:
    """The teams the user manages, read once per request."""
    cached = getattr(user, "_missend_managed_teams", None)
    if cached is None:
        cached = list(Team.objects.filter(managers=user).values_list("pk", flat=True))
        user._missend_managed_teams = cached
    return cached


# Seeing.


def visibility(user, through: str = "") -> Q | None:
    """The condition for incidents this user may see, as seen from a model that reaches the incident
    through ``through`` ("incident__" from an escalation); None when the user sees everything.

    Only the clauses this user needs: an employee's list is then one index range on
    (reporter, -created_at) instead of an OR that makes the database read every incident.
    """
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser:
        return None
    roles = user_roles(user)
    scope = Q(**{f"{through}reporter": user})
    managed = managed_team_ids(user)
    if managed:
        scope |= Q(**{f"{through}team_id__in": managed})
    # A route once taken or escalated stays visible to its role after an edit lowers it: the
    # escalation may still be open (a reporter's edit must not hide legal's duty), and its history
    # stays theirs. The services keep that in the audience columns.
    if Role.MANAGER in roles:
        scope |= Q(**{f"{through}manager_audience": True})
    if Role.LEGAL in roles:
        scope |= Q(**{f"{through}legal_audience": True})
    return scope


def incidents_visible_to(user) -> QuerySet[Incident]:
    """Own incidents; managers: their teams' and all routed or escalated to managers; legal: routed or
    escalated to legal."""
    scope = visibility(user)
    incidents = Incident.objects.all()
    return incidents if scope is None else incidents.filter(scope)


# Editing the report: its facts, its evidence, a dismissed signal, its drafts.


def editing(user, through: str = "") -> Q | None:
    """The condition for incidents this user may edit; None for everything (superusers)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser:
        return None
    scope = Q(**{f"{through}reporter": user})
    managed = managed_team_ids(user)
    if managed:
        scope |= Q(**{f"{through}team_id__in": managed})
    return scope


def incidents_editable_by(user) -> QuerySet[Incident]:
    """The reporter's own, and their team's for its managers; legal and other managers only read."""
    scope = editing(user)
    incidents = Incident.objects.all()
    return incidents if scope is None else incidents.filter(scope)


def can_edit_incident(user, incident: Incident) -> bool:
    if not user.is_authenticated:
        return False
    return (
        user.is_superuser
        or incident.reporter_id == user.pk
        or (incident.team_id is not None and incident.team_id in managed_team_ids(user))
    )


def require_edit(user, incident: Incident, message: str | None = None) -> None:
    """PermissionDenied unless the user may edit the incident's report and drafts."""
    if not can_edit_incident(user, incident):
        raise PermissionDenied(message or _("Only the reporter and their managers can do this."))


# Escalation: who answers for which route.


def responsible_routes(user, incident: Incident) -> set[str]:
    """The escalation routes this user may acknowledge, take over or close for the incident.

    Legal's route answers to Legal alone (a manager told about it at a later level may chase
    legal, not silence them). The managers' route answers to the Manager group, the managers of
    the incident's team and anyone the route notified. The reporter silences nothing of their own.
    """
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return set(Route)
    if user.pk == incident.reporter_id:
        return set()
    roles = user_roles(user)
    routes = set()
    if Role.LEGAL in roles:
        routes.add(Route.LEGAL)
    if (
        Role.MANAGER in roles
        or (incident.team_id is not None and incident.team_id in managed_team_ids(user))
        or incident.notifications.filter(recipient=user, route=Route.MANAGER).exists()
    ):
        routes.add(Route.MANAGER)
    return routes


def open_routes(incident: Incident) -> set[str]:
    """Routes whose escalation is still open (waiting or acknowledged, not closed)."""
    return set(incident.escalations.exclude(status=Escalation.Status.CLOSED).values_list("route", flat=True))


def resolve_allowed(*, open_routes: set[str], responsible: set[str], can_edit: bool) -> bool:
    """With routes open, only someone who answers for every one of them; otherwise whoever may edit it
    (or answers for any route)."""
    if open_routes:
        return open_routes <= responsible
    return can_edit or bool(responsible)


def may_resolve(user, incident: Incident) -> bool:
    routes = open_routes(incident)
    if routes:
        return resolve_allowed(open_routes=routes, responsible=responsible_routes(user, incident), can_edit=False)
    return can_edit_incident(user, incident) or bool(responsible_routes(user, incident))


def can_open_triage(user) -> bool:
    """Managers' triage (and escalating by hand): the Manager group, team managers, superusers."""
    return user.is_authenticated and (
        user.is_superuser or Role.MANAGER in user_roles(user) or bool(managed_team_ids(user))
    )


can_manage_escalation = can_open_triage


def can_open_legal_queue(user) -> bool:
    return user.is_authenticated and (user.is_superuser or Role.LEGAL in user_roles(user))


def require_escalate(user) -> None:
    if not can_manage_escalation(user):
        raise PermissionDenied(_("Only managers can escalate by hand."))


# Legal's decision on a draft.


def may_decide_drafts(user) -> bool:
    """Approving or rejecting a draft that needs legal's approval: Legal and superusers."""
    return user.is_authenticated and (user.is_superuser or Role.LEGAL in user_roles(user))


def require_decide_drafts(user) -> None:
    if not may_decide_drafts(user):
        raise PermissionDenied(_("Only Legal can approve or reject a draft."))


# The dashboard and the audit trail.


def may_open_dashboard(user) -> bool:
    """Managers (of the group or a team), legal and administrators."""
    return can_open_triage(user) or can_open_legal_queue(user)


def may_read_audit_trail(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_superuser


# What belongs to one person: held messages, kept checks, pending reports.


def held_messages_for(user) -> Q | None:
    """The held messages a user may act on (send now, cancel): their own; an administrator's, everyone's."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    return None if user.is_superuser else Q(sender=user)


def may_report_held(user, held) -> bool:
    """A cancelled message becomes a report in its sender's name only: an administrator does not file one."""
    return user.is_authenticated and held.sender_id == user.pk


def owned_by(user) -> Q:
    """Kept checks and pending reports: their owner's alone, administrators included."""
    return Q(owner=user) if user.is_authenticated else Q(pk__in=[])
