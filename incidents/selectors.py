"""Role-scoped reads: every view and API endpoint gets incidents only through these."""
from __future__ import annotations

from django.db.models import Q, QuerySet

from .assessment import Directory, DirectoryEntry
from .models import Incident, MailDomain, Notification, Team

EMPLOYEE, MANAGER, LEGAL = "Employee", "Manager", "Legal"


def user_roles(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_missend_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._missend_roles = cached
    return cached


def incidents_visible_to(user) -> QuerySet[Incident]:
    """Own incidents; managers: their teams' and all routed to managers; legal: routed to legal."""
    incidents = Incident.objects.all()
    if not user.is_authenticated:
        return incidents.none()
    if user.is_superuser:
        return incidents
    roles = user_roles(user)
    scope = Q(reporter=user) | Q(team__in=Team.objects.filter(managers=user))
    if MANAGER in roles:
        scope |= Q(route_manager=True)
    if LEGAL in roles:
        scope |= Q(route_legal=True)
    return incidents.filter(scope)


def incidents_editable_by(user) -> QuerySet[Incident]:
    """The reporter edits their own; managers edit what they see; legal only reads."""
    if not user.is_authenticated:
        return Incident.objects.none()
    if user.is_superuser:
        return Incident.objects.all()
    if MANAGER in user_roles(user):
        return incidents_visible_to(user)
    return Incident.objects.filter(Q(reporter=user) | Q(team__in=Team.objects.filter(managers=user)))


def incident_list(user) -> QuerySet[Incident]:
    return incidents_visible_to(user).select_related("reporter", "team")


def incident_detail(user, incident_id: int) -> Incident:
    """Raises Incident.DoesNotExist for what the user may not see, so callers answer 404."""
    return (
        incidents_visible_to(user)
        .select_related("reporter", "team")
        .prefetch_related("recipients", "events__actor")
        .get(pk=incident_id)
    )


def directory_with_languages() -> tuple[Directory, dict[str, str]]:
    """The whole directory as plain data, and each organisation's preferred language, in one query."""
    rows = MailDomain.objects.select_related("organisation").only(
        "domain", "organisation__name", "organisation__kind", "organisation__language"
    )
    directory = Directory({row.domain: DirectoryEntry(row.organisation.name, row.organisation.kind) for row in rows})
    return directory, {row.organisation.name: row.organisation.language for row in rows}


def directory_snapshot() -> Directory:
    """The whole directory as plain data for the assessment engine."""
    return directory_with_languages()[0]


def responsible_routes(user, incident: Incident) -> set[str]:
    """The escalation routes this user may acknowledge for the incident."""
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return {"manager", "legal"}
    roles = user_roles(user)
    routes = set(
        incident.notifications.filter(recipient=user).values_list("route", flat=True).distinct()
    )
    if MANAGER in roles or (incident.team_id and Team.objects.filter(pk=incident.team_id, managers=user).exists()):
        routes.add("manager")
    if LEGAL in roles:
        routes.add("legal")
    return routes


def can_manage_escalation(user) -> bool:
    """Escalating by hand and closing an escalation with a reason are managers' calls."""
    return user.is_authenticated and (user.is_superuser or MANAGER in user_roles(user) or user.managed_teams.exists())


def unread_inbox_count(user) -> int:
    return Notification.objects.filter(recipient=user, channel=Notification.Channel.INBOX, read_at__isnull=True).count()


def inbox(user):
    return (
        Notification.objects.filter(recipient=user, channel=Notification.Channel.INBOX)
        .select_related("incident", "escalation")
        .order_by("-created_at", "-id")
    )
