"""Rollup rows from plain facts: what each (day, team, severity, audience, reporter) counts.

No database here: incidents/insight/dashboard/services.py reads the facts, calls these functions and writes the rows.
A day is the company's calendar day (settings.TIME_ZONE) and a week starts on its Monday, so a mis-send
reported on Sunday 23:30 in Shanghai counts in that Sunday's week whatever the server's clock says.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from incidents.models.rollup_layout import BOUNDS_MINUTES, CAUSES, FACTORS, HABITS, MAIL_SYSTEMS
from incidents.vocabulary import Duration, Route


@dataclass(frozen=True)
class EscalationFacts:
    route: str  # a Route
    started_at: datetime
    acknowledged_at: datetime | None = None


@dataclass(frozen=True)
class IncidentRollup:
    """What the rollups need of one incident."""

    reporter_id: int
    team_id: int | None
    severity: str
    mail_system: str
    created_at: datetime
    sent_at: datetime
    first_correction_at: datetime | None = None
    factor_codes: tuple[str, ...] = ()
    route_manager: bool = False
    route_legal: bool = False
    escalations: tuple[EscalationFacts, ...] = ()

    @property
    def for_managers(self) -> bool:
        """Visible to the Manager group: routed to managers now, or escalated to them once (selectors.visibility)."""
        return self.route_manager or any(e.route == Route.MANAGER for e in self.escalations)

    @property
    def for_legal(self) -> bool:
        return self.route_legal or any(e.route == Route.LEGAL for e in self.escalations)


@dataclass(frozen=True)
class ReviewFacts:
    incident: IncidentRollup
    reviewed_at: datetime
    cause: str
    habits: tuple[str, ...] = ()


@dataclass(frozen=True, order=True)
class RollupKey:
    """One rollup row: a day, and what decides who may see its incidents and how the page filters them."""

    day: date
    team_id: int | None
    severity: str
    for_managers: bool
    for_legal: bool
    reporter_id: int | None = None

    @property
    def week(self) -> date:
        return week_of(self.day)

    def without_reporter(self) -> RollupKey:
        return RollupKey(self.day, self.team_id, self.severity, self.for_managers, self.for_legal, None)


def local_day(moment: datetime, zone: tzinfo) -> date:
    """The company's calendar day of an aware moment."""
    return moment.astimezone(zone).date()


def week_of(day: date) -> date:
    """The Monday starting the day's week."""
    return day - timedelta(days=day.weekday())


def weeks_between(first: date, last: date) -> list[date]:
    """Every week's Monday from the week of ``first`` to the week of ``last``, both included."""
    monday, end = week_of(first), week_of(last)
    weeks = []
    while monday <= end:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def minutes_between(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 60


def bucket_index(minutes: float) -> int:
    """The histogram bucket of a duration; a negative one (a clock set wrong) counts as under a minute."""
    return bisect_right(BOUNDS_MINUTES, max(minutes, 0.0))


def incident_measures(incident: IncidentRollup) -> Counter:
    """What one incident adds to its report day's row."""
    measures = Counter()
    add_incident(measures, incident)
    return measures


def add_incident(measures: Counter, incident: IncidentRollup) -> None:
    measures["incidents"] += 1
    if incident.mail_system in MAIL_SYSTEMS:
        measures[f"mail_{incident.mail_system}"] += 1
    for code in set(incident.factor_codes):
        if code in FACTORS:
            measures[f"factor_{code}"] += 1
    measures[f"{Duration.REPORT}_{bucket_index(minutes_between(incident.sent_at, incident.created_at))}"] += 1
    if incident.first_correction_at is not None:
        measures[
            f"{Duration.CORRECTION}_{bucket_index(minutes_between(incident.created_at, incident.first_correction_at))}"
        ] += 1
    for escalation in incident.escalations:
        if escalation.acknowledged_at is not None:
            minutes = minutes_between(escalation.started_at, escalation.acknowledged_at)
            measures[f"{Duration.ACKNOWLEDGEMENT}_{bucket_index(minutes)}"] += 1


def review_measures(review: ReviewFacts) -> Counter:
    """What one post-incident review adds to its review day's row."""
    measures = Counter(reviews=1)
    if review.cause in CAUSES:
        measures[f"cause_{review.cause}"] += 1
    adopted = [code for code in set(review.habits) if code in HABITS]
    for code in adopted:
        measures[f"habit_{code}"] += 1
    if not review.habits:
        measures["no_habit"] += 1
    return measures


def incident_key(incident: IncidentRollup, day: date) -> RollupKey:
    return RollupKey(
        day, incident.team_id, incident.severity, incident.for_managers, incident.for_legal, incident.reporter_id
    )


def reporter_rows(
    incidents: Iterable[IncidentRollup], reviews: Iterable[ReviewFacts], zone: tzinfo
) -> dict[RollupKey, Counter]:
    """Rows per day x team x severity x audience x reporter: incidents on their report day, reviews on theirs."""
    rows: dict[RollupKey, Counter] = {}
    for incident in incidents:
        key = incident_key(incident, local_day(incident.created_at, zone))
        row = rows.get(key)
        if row is None:
            row = rows[key] = Counter()
        add_incident(row, incident)
    for review in reviews:
        key = incident_key(review.incident, local_day(review.reviewed_at, zone))
        rows.setdefault(key, Counter()).update(review_measures(review))
    return rows


def team_rows(rows_by_reporter: dict[RollupKey, Counter]) -> dict[RollupKey, Counter]:
    """The same rows added up over reporters (reporter_id None)."""
    rows: dict[RollupKey, Counter] = {}
    for key, measures in rows_by_reporter.items():
        rows.setdefault(key.without_reporter(), Counter()).update(measures)
    return rows


@dataclass
class OpenEscalationFacts:
    incident: IncidentRollup
    route: str
    level: int
    acknowledged: bool


@dataclass(frozen=True, order=True)
class OpenEscalationKey:
    team_id: int | None
    reporter_id: int
    severity: str
    for_managers: bool
    for_legal: bool
    route: str
    level: int
    acknowledged: bool


def open_escalation_rows(escalations: Iterable[OpenEscalationFacts]) -> Counter:
    """Running escalations counted by route, level reached and state, keyed for visibility like the days."""
    rows: Counter = Counter()
    for item in escalations:
        incident = item.incident
        rows[
            OpenEscalationKey(
                incident.team_id,
                incident.reporter_id,
                incident.severity,
                incident.for_managers,
                incident.for_legal,
                item.route,
                item.level,
                item.acknowledged,
            )
        ] += 1
    return rows
