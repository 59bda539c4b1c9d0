"""The rollups in the database: rebuilding them and bringing them up to date (selectors.py reads them).

The maths is in rollup.py (rows from plain facts) and figures.py (figures from summed rows); this module
only reads facts, writes rows and sums them with the viewer's visibility."""

from __future__ import annotations

import time as clock
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from incidents.insight.dashboard import rollup
from incidents.models import (
    DashboardOpenEscalation,
    DashboardRefresh,
    DashboardReporterDay,
    DashboardTeamDay,
    Escalation,
    Incident,
    PostIncidentReview,
)
from incidents.models.rollup_layout import COLUMNS

# Rows written or changed up to this long before the last run began are read again: a transaction that
# committed late (its created_at or updated_at is when it started) is not missed. Recomputing a day twice
# gives the same rows.
OVERLAP = timedelta(minutes=15)


_INCIDENT_FIELDS = (
    "id",
    "reporter_id",
    "team_id",
    "severity",
    "mail_system",
    "created_at",
    "sent_at",
    "first_correction_at",
    "factor_codes",
    "route_manager",
    "route_legal",
)


def company_zone():
    return timezone.get_default_timezone()


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """[start, end) of a company day as aware moments."""
    zone = company_zone()
    return (
        datetime.combine(day, time.min).replace(tzinfo=zone),
        datetime.combine(day + timedelta(days=1), time.min).replace(tzinfo=zone),
    )


def _days_condition(field: str, days: Iterable[date]) -> Q:
    """``field`` falls on one of these company days (consecutive days read as one range)."""
    condition, ordered = Q(pk__in=[]), sorted(set(days))
    start = previous = None
    for day in [*ordered, None]:
        if start is not None and (day is None or day != previous + timedelta(days=1)):
            condition |= Q(**{f"{field}__gte": day_bounds(start)[0], f"{field}__lt": day_bounds(previous)[1]})
            start = None
        if day is not None and start is None:
            start = day
        previous = day
    return condition


def _incident_facts(incidents) -> dict[int, rollup.IncidentRollup]:
    """Plain facts of these incidents (a queryset), with all their escalations; two queries."""
    escalations = defaultdict(list)
    for incident_id, route, started_at, acknowledged_at in (
        Escalation.objects.filter(incident__in=incidents.values("pk"))
        .order_by()
        .values_list("incident_id", "route", "started_at", "acknowledged_at")
    ):
        escalations[incident_id].append(rollup.EscalationFacts(route, started_at, acknowledged_at))
    facts = {}
    for (
        pk,
        reporter_id,
        team_id,
        severity,
        mail_system,
        created_at,
        sent_at,
        first_correction_at,
        factor_codes,
        route_manager,
        route_legal,
    ) in incidents.order_by().values_list(*_INCIDENT_FIELDS):
        facts[pk] = rollup.IncidentRollup(
            reporter_id=reporter_id,
            team_id=team_id,
            severity=severity,
            mail_system=mail_system,
            created_at=created_at,
            sent_at=sent_at,
            first_correction_at=first_correction_at,
            factor_codes=tuple((factor_codes or "").split()),
            route_manager=route_manager,
            route_legal=route_legal,
            escalations=tuple(escalations.get(pk, ())),
        )
    return facts


def _rows_for(incident_condition: Q | None, review_condition: Q | None) -> dict[rollup.RollupKey, dict]:
    """Per-reporter rows of the incidents and reviews matching the conditions (None: all)."""
    incidents = Incident.objects.all() if incident_condition is None else Incident.objects.filter(incident_condition)
    facts = _incident_facts(incidents)
    reviews = (
        PostIncidentReview.objects.all()
        if review_condition is None
        else PostIncidentReview.objects.filter(review_condition)
    )
    review_rows = list(reviews.order_by().values_list("incident_id", "reviewed_at", "cause", "habits"))
    missing = {incident_id for incident_id, *_rest in review_rows} - facts.keys()
    if missing:
        facts.update(_incident_facts(Incident.objects.filter(pk__in=missing)))
    review_facts = [
        rollup.ReviewFacts(facts[incident_id], reviewed_at, cause, tuple(habits or ()))
        for incident_id, reviewed_at, cause, habits in review_rows
        if incident_id in facts
    ]
    return rollup.reporter_rows(facts.values(), review_facts, company_zone())


def _insert(model, key_columns: list[str], rows: Iterable[tuple]) -> int:
    """Many rows in one statement per batch: far cheaper than model instances of a hundred columns each."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = key_columns + list(COLUMNS)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
    rows = list(rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: a statement per row, even pipelined, took a minute for 100,000 incidents' rows.
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            for start in range(0, len(rows), 5000):
                cursor.executemany(sql, rows[start : start + 5000])
    return len(rows)


def _write_days(rows_by_reporter: dict[rollup.RollupKey, dict], days: set[date] | None) -> tuple[int, int]:
    """Replace the rows of these days (None: every row) with the given ones."""
    teams = rollup.team_rows(rows_by_reporter)
    for model in (DashboardTeamDay, DashboardReporterDay):
        rows = model.objects.all() if days is None else model.objects.filter(day__in=sorted(days))
        rows._raw_delete(rows.db)  # no signals nor relations point at rollup rows: one DELETE
    team_count = _insert(
        DashboardTeamDay,
        ["day", "week", "team_id", "severity", "for_managers", "for_legal"],
        (
            (k.day, k.week, k.team_id, k.severity, k.for_managers, k.for_legal, *(m.get(c, 0) for c in COLUMNS))
            for k, m in sorted(teams.items(), key=lambda item: _sort_key(item[0]))
        ),
    )
    reporter_count = _insert(
        DashboardReporterDay,
        ["day", "week", "team_id", "reporter_id", "severity", "for_managers", "for_legal"],
        (
            (
                k.day,
                k.week,
                k.team_id,
                k.reporter_id,
                k.severity,
                k.for_managers,
                k.for_legal,
                *(m.get(c, 0) for c in COLUMNS),
            )
            for k, m in sorted(rows_by_reporter.items(), key=lambda item: _sort_key(item[0]))
        ),
    )
    return team_count, reporter_count


def _sort_key(key: rollup.RollupKey) -> tuple:
    return (key.day, key.team_id or 0, key.severity, key.for_managers, key.for_legal, key.reporter_id or 0)


def _snapshot_open_escalations() -> tuple[int, bool]:
    """Running escalations (not closed), counted as of now; replaced whole when they changed. Returns the
    number of rows and whether they changed."""
    running = list(
        Escalation.objects.exclude(status=Escalation.Status.CLOSED)
        .order_by()
        .values_list("incident_id", "route", "level", "status")
    )
    facts = _incident_facts(
        Incident.objects.filter(
            pk__in=Escalation.objects.exclude(status=Escalation.Status.CLOSED).values("incident_id")
        )
    )
    counted = rollup.open_escalation_rows(
        rollup.OpenEscalationFacts(facts[incident_id], route, level, status == Escalation.Status.ACKNOWLEDGED)
        for incident_id, route, level, status in running
        if incident_id in facts
    )
    stored = {
        rollup.OpenEscalationKey(
            row.team_id,
            row.reporter_id,
            row.severity,
            row.for_managers,
            row.for_legal,
            row.route,
            row.level,
            row.acknowledged,
        ): row.count
        for row in DashboardOpenEscalation.objects.all()
    }
    if stored == dict(counted):
        return len(counted), False
    DashboardOpenEscalation.objects.all()._raw_delete(DashboardOpenEscalation.objects.db)
    DashboardOpenEscalation.objects.bulk_create(
        DashboardOpenEscalation(
            team_id=k.team_id,
            reporter_id=k.reporter_id,
            severity=k.severity,
            for_managers=k.for_managers,
            for_legal=k.for_legal,
            route=k.route,
            level=k.level,
            acknowledged=k.acknowledged,
            count=n,
        )
        for k, n in sorted(counted.items())
    )
    return len(counted), True


def _locked_state() -> DashboardRefresh:
    try:
        with transaction.atomic():
            DashboardRefresh.objects.get_or_create(pk=1)
    except IntegrityError:  # created by a run at the same moment
        pass
    return DashboardRefresh.objects.select_for_update().get(pk=1)


@dataclass(frozen=True)
class RefreshSummary:
    rebuilt: bool
    days: int
    team_rows: int
    reporter_rows: int
    open_escalation_rows: int
    seconds: float


@transaction.atomic
def rebuild() -> RefreshSummary:
    """Every rollup row from every incident and review, in one transaction (readers see old or new, never half)."""
    begun, started = timezone.now(), clock.perf_counter()
    state = _locked_state()
    rows = _rows_for(None, None)
    team_count, reporter_count = _write_days(rows, None)
    open_count, _changed = _snapshot_open_escalations()
    if connection.vendor == "postgresql":
        # Fresh statistics, so the planner knows how few rows a week of one team holds.
        with connection.cursor() as cursor:
            for model in (DashboardTeamDay, DashboardReporterDay):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    state.refreshed_at = state.rebuilt_at = begun
    state.generation += 1
    state.save()
    return RefreshSummary(
        True, len({key.day for key in rows}), team_count, reporter_count, open_count, clock.perf_counter() - started
    )


def touched_days(since: datetime) -> set[date]:
    """Company days whose rows may have changed since then: the report day of every incident filed, edited,
    re-assessed, corrected, escalated or acknowledged since, and the day of every review written since or of
    an incident changed since (its team, severity or audience key the review's row)."""
    zone = company_zone()
    changed = (
        Q(created_at__gte=since)
        | Q(updated_at__gte=since)
        | Q(assessed_at__gte=since)
        | Q(first_correction_at__gte=since)
    )
    escalated = Escalation.objects.filter(Q(started_at__gte=since) | Q(acknowledged_at__gte=since))
    moments = list(
        Incident.objects.filter(changed | Q(pk__in=escalated.values("incident_id")))
        .order_by()
        .values_list("created_at", "review__reviewed_at")
    )
    moments += [
        (reviewed_at, None)
        for reviewed_at in PostIncidentReview.objects.filter(reviewed_at__gte=since).values_list(
            "reviewed_at", flat=True
        )
    ]
    return {rollup.local_day(moment, zone) for pair in moments for moment in pair if moment is not None}


def mismatched_days() -> set[date]:
    """Days whose rows count other incidents or reviews than the tables hold: deleted incidents and reviews
    (nothing records a deletion), or a filing committed after the run that should have seen it."""
    zone = company_zone()
    incidents = dict(
        Incident.objects.annotate(d=TruncDate("created_at", tzinfo=zone))
        .order_by()
        .values_list("d")
        .annotate(n=Count("id"))
    )
    reviews = dict(
        PostIncidentReview.objects.annotate(d=TruncDate("reviewed_at", tzinfo=zone))
        .order_by()
        .values_list("d")
        .annotate(n=Count("id"))
    )
    rolled = {
        day: (n or 0, r or 0)
        for day, n, r in DashboardTeamDay.objects.order_by()
        .values_list("day")
        .annotate(n=Sum("incidents"), r=Sum("reviews"))
    }
    days = set(incidents) | set(reviews) | set(rolled)
    return {day for day in days if (incidents.get(day, 0), reviews.get(day, 0)) != rolled.get(day, (0, 0))}


@transaction.atomic
def refresh() -> RefreshSummary:
    """Bring the rollups up to date: recompute the days touched since the last run (a rebuild the first time)."""
    begun, started = timezone.now(), clock.perf_counter()
    state = _locked_state()
    if state.refreshed_at is None:
        return rebuild()
    days = touched_days(state.refreshed_at - OVERLAP) | mismatched_days()
    team_count = reporter_count = 0
    if days:
        rows = _rows_for(_days_condition("created_at", days), _days_condition("reviewed_at", days))
        team_count, reporter_count = _write_days({k: m for k, m in rows.items() if k.day in days}, days)
    open_count, open_changed = _snapshot_open_escalations()
    state.refreshed_at = begun
    if days or open_changed:
        # Cached pages are keyed by the generation: left as it is, they stay valid.
        state.generation += 1
    state.save(update_fields=["refreshed_at", "generation"])
    return RefreshSummary(False, len(days), team_count, reporter_count, open_count, clock.perf_counter() - started)
