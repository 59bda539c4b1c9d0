"""The dashboard's figures from summed rollup rows: weekly series, totals, and percentiles from histograms.

Plain data in, plain data out. Percentiles cannot be added up across days, so each row keeps a
histogram per duration (layout.BOUNDS_MINUTES) and the median and p90 are read from the summed
histogram: the nearest-rank bucket is exact, the value inside it is interpolated, and the bucket's
bounds travel with the estimate so the page can say how precise it is.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from incidents.models.rollup_layout import (
    BUCKETS,
    CAUSES,
    DURATIONS,
    FACTORS,
    HABITS,
    MAIL_SYSTEMS,
    SEVERITIES,
    bucket_bounds,
    histogram_columns,
)
from incidents.vocabulary import Duration


@dataclass(frozen=True)
class Estimate:
    """A percentile read from a histogram: about ``minutes``, certainly within [lower, upper)."""

    minutes: float
    lower: float
    upper: float | None  # None: the open last bucket ("over 30 days")
    count: int  # how many durations the histogram held


def histogram(measures: Mapping[str, int], duration: str) -> list[int]:
    return [int(measures.get(column) or 0) for column in histogram_columns(duration)]


def add_histograms(histograms: Iterable[Sequence[int]]) -> list[int]:
    total = [0] * BUCKETS
    for counts in histograms:
        for i, n in enumerate(counts):
            total[i] += n
    return total


def percentile(counts: Sequence[int], fraction: float) -> Estimate | None:
    """The nearest-rank percentile (rank ceil(fraction x n)) of the durations a histogram counts; None if empty."""
    n = sum(counts)
    if n == 0:
        return None
    rank = max(1, math.ceil(fraction * n))
    before = 0
    for index, in_bucket in enumerate(counts):
        if in_bucket and before + in_bucket >= rank:
            lower, upper = bucket_bounds(index)
            if upper is None:
                return Estimate(float(lower), float(lower), None, n)
            # The rank's place among the bucket's durations, as if they were spread evenly across it.
            position = (rank - before - 0.5) / in_bucket
            return Estimate(lower + (upper - lower) * position, float(lower), float(upper), n)
        before += in_bucket
    raise AssertionError("unreachable: the ranks add up to n")


def median(counts: Sequence[int]) -> Estimate | None:
    return percentile(counts, 0.5)


def p90(counts: Sequence[int]) -> Estimate | None:
    return percentile(counts, 0.9)


@dataclass(frozen=True)
class SummedRow:
    """Rollup rows added up by the database for one week (or for the whole period), team and severity."""

    week: date | None
    team_id: int | None
    severity: str
    measures: Mapping[str, int]


@dataclass(frozen=True)
class PersonRow:
    reporter_id: int
    team_id: int | None
    severity: str
    measures: Mapping[str, int]


@dataclass(frozen=True)
class OpenEscalationRow:
    route: str
    level: int
    acknowledged: bool
    count: int


@dataclass(frozen=True)
class DurationFigures:
    duration: str
    weekly_median: list[Estimate | None]
    weekly_p90: list[Estimate | None]
    median: Estimate | None
    p90: Estimate | None


@dataclass(frozen=True)
class BreakdownLine:
    """A team's or a person's figures for the whole period."""

    key: int | None
    incidents: int
    by_severity: dict[str, int]
    report_median: Estimate | None
    correction_median: Estimate | None


@dataclass(frozen=True)
class OpenEscalationLine:
    route: str
    level: int
    waiting: int
    acknowledged: int


@dataclass
class Figures:
    weeks: list[date]
    incidents: list[int]
    by_severity: dict[str, list[int]]
    by_mail_system: dict[str, list[int]]
    by_factor: dict[str, list[int]]
    durations: dict[str, DurationFigures]
    reviews: list[int]
    by_cause: dict[str, list[int]]
    by_habit: dict[str, list[int]]
    no_habit: list[int]
    teams: list[BreakdownLine] = field(default_factory=list)
    people: list[BreakdownLine] = field(default_factory=list)
    open_escalations: list[OpenEscalationLine] = field(default_factory=list)

    @property
    def total_incidents(self) -> int:
        return sum(self.incidents)

    @property
    def total_reviews(self) -> int:
        return sum(self.reviews)


def _series(weeks: list[date], rows: Iterable[SummedRow], column: str) -> list[int]:
    index = {week: i for i, week in enumerate(weeks)}
    values = [0] * len(weeks)
    for row in rows:
        if row.week in index:
            values[index[row.week]] += int(row.measures.get(column) or 0)
    return values


def _breakdown(key_rows: Mapping[int | None, list[tuple[str, Mapping[str, int]]]]) -> list[BreakdownLine]:
    lines = []
    for key, rows in key_rows.items():
        by_severity = dict.fromkeys(SEVERITIES, 0)
        for severity, measures in rows:
            by_severity[severity] = by_severity.get(severity, 0) + int(measures.get("incidents") or 0)
        report = add_histograms(histogram(m, Duration.REPORT) for _s, m in rows)
        correction = add_histograms(histogram(m, Duration.CORRECTION) for _s, m in rows)
        lines.append(BreakdownLine(key, sum(by_severity.values()), by_severity, median(report), median(correction)))
    return lines


def build_figures(
    weeks: list[date],
    rows: Sequence[SummedRow],
    people: Sequence[PersonRow] = (),
    open_escalations: Sequence[OpenEscalationRow] = (),
) -> Figures:
    """Everything the page shows, from rows already restricted to what the viewer may see."""
    by_week = {week: [] for week in weeks}
    for row in rows:
        if row.week in by_week:
            by_week[row.week].append(row)
    durations = {}
    for duration in DURATIONS:
        weekly = [add_histograms(histogram(r.measures, duration) for r in by_week[week]) for week in weeks]
        whole = add_histograms(weekly)
        durations[duration] = DurationFigures(
            duration,
            [median(h) for h in weekly],
            [p90(h) for h in weekly],
            median(whole),
            p90(whole),
        )
    teams: dict[int | None, list] = {}
    for row in rows:
        if row.week in by_week and row.measures.get("incidents"):
            teams.setdefault(row.team_id, []).append((row.severity, row.measures))
    persons: dict[int, list] = {}
    for person in people:
        persons.setdefault(person.reporter_id, []).append((person.severity, person.measures))
    open_lines: dict[tuple[str, int], list[int]] = {}
    for item in open_escalations:
        counts = open_lines.setdefault((item.route, item.level), [0, 0])
        counts[1 if item.acknowledged else 0] += item.count
    return Figures(
        weeks=list(weeks),
        incidents=_series(weeks, rows, "incidents"),
        by_severity={s: _series(weeks, [r for r in rows if r.severity == s], "incidents") for s in SEVERITIES},
        by_mail_system={code: _series(weeks, rows, f"mail_{code}") for code in MAIL_SYSTEMS},
        by_factor={code: _series(weeks, rows, f"factor_{code}") for code in FACTORS},
        durations=durations,
        reviews=_series(weeks, rows, "reviews"),
        by_cause={code: _series(weeks, rows, f"cause_{code}") for code in CAUSES},
        by_habit={code: _series(weeks, rows, f"habit_{code}") for code in HABITS},
        no_habit=_series(weeks, rows, "no_habit"),
        teams=sorted(_breakdown(teams), key=lambda line: (-line.incidents, line.key or 0)),
        people=sorted(_breakdown(persons), key=lambda line: (-line.incidents, line.key or 0)),
        open_escalations=[
            OpenEscalationLine(route, level, waiting, acked)
            for (route, level), (waiting, acked) in sorted(open_lines.items())
        ],
    )
