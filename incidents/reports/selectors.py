"""Role-scoped reads: every view and API endpoint gets incidents only through these."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from incidents.assessment import Directory, DirectoryEntry
from incidents.models import Escalation, Incident, MailDomain, Notification, Team

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
    """Own incidents; managers: their teams' and all routed or escalated to managers; legal: routed or
    escalated to legal."""
    scope = visibility(user)
    incidents = Incident.objects.all()
    return incidents if scope is None else incidents.filter(scope)


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
    managed = _managed_team_ids(user)
    if managed:
        scope |= Q(**{f"{through}team_id__in": managed})
    # A route once taken or escalated stays visible to its role after an edit lowers it: the
    # escalation may still be open (a reporter's edit must not hide legal's duty), and its history
    # stays theirs. The services keep that in the audience columns.
    if MANAGER in roles:
        scope |= Q(**{f"{through}manager_audience": True})
    if LEGAL in roles:
        scope |= Q(**{f"{through}legal_audience": True})
    return scope


def _managed_team_ids(user) -> list[int]:
    cached = getattr(user, "_missend_managed_teams", None)
    if cached is None:
        cached = list(Team.objects.filter(managers=user).values_list("pk", flat=True))
        user._missend_managed_teams = cached
    return cached


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
    """Raises Incident.DoesNotExist for what the user may not see, so callers answer 404.

    The people on the timeline and evidence come in their rows' query, and the review in the incident's.
    """
    from django.db.models import Prefetch

    from incidents.models import Evidence, TimelineEvent

    return (
        incidents_visible_to(user)
        .select_related("reporter", "team", "review__reviewed_by")
        .prefetch_related(
            "recipients",
            Prefetch("events", TimelineEvent.objects.select_related("actor")),
            Prefetch("evidence", Evidence.objects.select_related("uploaded_by")),
        )
        .get(pk=incident_id)
    )


def evidence_visible_to(user):
    """Kept files of incidents the user may see, and their own files still held for a report."""
    from incidents.models import Evidence

    if not user.is_authenticated:
        return Evidence.objects.none()
    return Evidence.objects.filter(
        Q(incident__in=incidents_visible_to(user)) | Q(incident__isnull=True, uploaded_by=user)
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


def can_edit_incident(user, incident: Incident) -> bool:
    return incidents_editable_by(user).filter(pk=incident.pk).exists()


def _manages_team_of(user, incident: Incident) -> bool:
    return bool(incident.team_id) and Team.objects.filter(pk=incident.team_id, managers=user).exists()


def responsible_routes(user, incident: Incident) -> set[str]:
    """The escalation routes this user may acknowledge, take over or close for the incident.

    Legal's route answers to Legal alone (a manager told about it at a later level may chase
    legal, not silence them). The managers' route answers to the Manager group, the managers of
    the incident's team and anyone the route notified. The reporter silences nothing of their own.
    """
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return {"manager", "legal"}
    if user.pk == incident.reporter_id:
        return set()
    roles = user_roles(user)
    routes = set()
    if LEGAL in roles:
        routes.add("legal")
    if (
        MANAGER in roles
        or _manages_team_of(user, incident)
        or incident.notifications.filter(recipient=user, route="manager").exists()
    ):
        routes.add("manager")
    return routes


def open_routes(incident: Incident) -> set[str]:
    """Routes whose escalation is still open (waiting or acknowledged, not closed)."""
    return set(incident.escalations.exclude(status=Escalation.Status.CLOSED).values_list("route", flat=True))


def can_open_triage(user) -> bool:
    """Managers' triage (and escalating by hand): the Manager group, team managers, superusers."""
    return user.is_authenticated and (user.is_superuser or MANAGER in user_roles(user) or bool(_managed_team_ids(user)))


def can_open_legal_queue(user) -> bool:
    return user.is_authenticated and (user.is_superuser or LEGAL in user_roles(user))


can_manage_escalation = can_open_triage


UNREAD_SHOWN_UP_TO = 99


def unread_inbox_count(user) -> int:
    """Unread in-app notifications, counted up to UNREAD_SHOWN_UP_TO + 1 (the badge then says "99+"):
    every page shows it, and someone away for months may have tens of thousands."""
    unread = Notification.objects.filter(recipient=user, channel=Notification.Channel.INBOX, read_at__isnull=True)
    return unread[: UNREAD_SHOWN_UP_TO + 1].count()


def inbox(user):
    return (
        Notification.objects.filter(recipient=user, channel=Notification.Channel.INBOX)
        .select_related("incident", "escalation")
        .order_by("-created_at", "-id")
    )
