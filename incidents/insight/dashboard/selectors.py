"""Reading the dashboard's rollups: only the rows whose incidents the viewer may see, summed by week."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, Sum

from incidents import access
from incidents.insight.dashboard.figures import OpenEscalationRow, PersonRow, SummedRow
from incidents.models import (
    DashboardOpenEscalation,
    DashboardRefresh,
    DashboardReporterDay,
    DashboardTeamDay,
)
from incidents.models.rollup_layout import COLUMNS, histogram_columns
from incidents.vocabulary import Duration, Role


def refresh_state() -> DashboardRefresh:
    return DashboardRefresh.objects.filter(pk=1).first() or DashboardRefresh(pk=1)


@dataclass(frozen=True)
class Viewer:
    """What decides which rollup rows a user may add up (access.visibility, row by row)."""

    user_id: int
    everything: bool = False
    managers: bool = False
    legal: bool = False
    managed_team_ids: tuple[int, ...] = ()

    def rows_seen(self) -> Q:
        """Rows whose incidents this viewer sees whoever reported them (their own come from the reporter rows)."""
        seen = Q(pk__in=[])
        if self.managed_team_ids:
            seen |= Q(team_id__in=self.managed_team_ids)
        if self.managers:
            seen |= Q(for_managers=True)
        if self.legal:
            seen |= Q(for_legal=True)
        return seen

    @property
    def cache_key(self) -> str:
        if self.everything:
            return "all"
        teams = ".".join(str(t) for t in self.managed_team_ids)
        return f"u{self.user_id}m{int(self.managers)}l{int(self.legal)}t{teams}"


def viewer_of(user) -> Viewer:
    if not user.is_authenticated:
        return Viewer(user_id=0)
    if user.is_superuser:
        return Viewer(user_id=user.pk, everything=True)
    roles = access.user_roles(user)
    managed = tuple(sorted(access.managed_team_ids(user)))
    return Viewer(user_id=user.pk, managers=Role.MANAGER in roles, legal=Role.LEGAL in roles, managed_team_ids=managed)


@dataclass(frozen=True)
class Filters:
    since: date
    until: date
    team_id: int | None = None
    severity: str = ""

    @property
    def cache_key(self) -> str:
        return f"{self.since:%Y%m%d}-{self.until:%Y%m%d}-{self.team_id or ''}-{self.severity}"


def _filtered(rows, filters: Filters):
    rows = rows.filter(day__gte=filters.since, day__lte=filters.until)
    if filters.team_id is not None:
        rows = rows.filter(team_id=filters.team_id)
    if filters.severity:
        rows = rows.filter(severity=filters.severity)
    return rows


def _sums(columns: Iterable[str]) -> dict:
    # Annotations may not share a field's name.
    return {f"sum_{column}": Sum(column) for column in columns}


def _measures(values: dict, columns: Iterable[str]) -> dict[str, int]:
    return {column: values[f"sum_{column}"] or 0 for column in columns}


def visible_week_rows(viewer: Viewer, filters: Filters) -> list[SummedRow]:
    """Summed rows per week, team and severity of what the viewer may see: the team rows they see, plus
    their own incidents that those do not already hold (from the reporter rows). One or two queries."""
    parts = []
    teams = _filtered(DashboardTeamDay.objects.all(), filters)
    parts.append(teams if viewer.everything else teams.filter(viewer.rows_seen()))
    if not viewer.everything:
        own = _filtered(DashboardReporterDay.objects.filter(reporter_id=viewer.user_id), filters)
        parts.append(own.exclude(viewer.rows_seen()))
    rows = []
    for part in parts:
        for values in part.order_by().values("week", "team_id", "severity").annotate(**_sums(COLUMNS)):
            rows.append(SummedRow(values["week"], values["team_id"], values["severity"], _measures(values, COLUMNS)))
    return rows


_PERSON_COLUMNS = ("incidents", *histogram_columns(Duration.REPORT), *histogram_columns(Duration.CORRECTION))


def visible_person_rows(viewer: Viewer, filters: Filters) -> list[PersonRow]:
    """Per reporter, only in the teams the viewer manages (nobody else sees figures per person)."""
    teams = set(viewer.managed_team_ids)
    if filters.team_id is not None:
        teams &= {filters.team_id}
    if not teams:
        return []
    rows = _filtered(DashboardReporterDay.objects.filter(team_id__in=sorted(teams)), filters)
    return [
        PersonRow(values["reporter_id"], values["team_id"], values["severity"], _measures(values, _PERSON_COLUMNS))
        for values in rows.order_by().values("reporter_id", "team_id", "severity").annotate(**_sums(_PERSON_COLUMNS))
    ]


def visible_open_escalations(viewer: Viewer, filters: Filters) -> list[OpenEscalationRow]:
    rows = DashboardOpenEscalation.objects.all()
    if not viewer.everything:
        rows = rows.filter(viewer.rows_seen() | Q(reporter_id=viewer.user_id))
    if filters.team_id is not None:
        rows = rows.filter(team_id=filters.team_id)
    if filters.severity:
        rows = rows.filter(severity=filters.severity)
    return [
        OpenEscalationRow(route, level, acknowledged, n or 0)
        for route, level, acknowledged, n in rows.order_by()
        .values_list("route", "level", "acknowledged")
        .annotate(n=Sum("count"))
    ]
