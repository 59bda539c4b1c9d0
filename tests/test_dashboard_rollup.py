"""The dashboard's maths on plain data: rollup rows, histograms, median and p90 read from them, weeks.

incidents/insight/dashboard/rollup.py and figures.py take plain facts and rows; no database here.
"""

import itertools
import math
import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from incidents.assessment import FACTOR_CODES
from incidents.insight.dashboard.figures import (
    OpenEscalationRow,
    PersonRow,
    SummedRow,
    add_histograms,
    build_figures,
    histogram,
    median,
    p90,
    percentile,
)
from incidents.insight.dashboard.rollup import (
    EscalationFacts,
    IncidentRollup,
    OpenEscalationFacts,
    ReviewFacts,
    RollupKey,
    bucket_index,
    incident_measures,
    local_day,
    open_escalation_rows,
    reporter_rows,
    review_measures,
    team_rows,
    week_of,
    weeks_between,
)
from incidents.models import rollup_layout as layout
from incidents.vocabulary import Cause, Habit, MailSystem, Severity

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")


def at(text: str, zone=UTC) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=zone)


def incident(created="2026-11-30 10:00", sent_minutes_before=30, **overrides) -> IncidentRollup:
    created_at = at(created)
    values = dict(
        reporter_id=1,
        team_id=7,
        severity="high",
        mail_system="gmail",
        created_at=created_at,
        sent_at=created_at - timedelta(minutes=sent_minutes_before),
    )
    values.update(overrides)
    return IncidentRollup(**values)


def test_the_layout_counts_every_code_the_app_can_store():
    # The columns are derived from the vocabulary, so each code the app stores has its own one.
    columns = set(layout.COLUMNS)
    assert {f"mail_{code}" for code in MailSystem} <= columns
    assert {f"factor_{code}" for code in FACTOR_CODES} <= columns
    assert {f"cause_{code}" for code in Cause} <= columns
    assert {f"habit_{code}" for code in Habit} <= columns
    assert set(layout.SEVERITIES) == set(Severity.values)
    assert len(layout.COLUMNS) == len(set(layout.COLUMNS))


# (minutes, bucket, its lower and upper bounds)
BUCKETS = [
    (-5, 0, 0, 1),  # a clock set wrong counts as under a minute
    (0, 0, 0, 1),
    (0.99, 0, 0, 1),
    (1, 1, 1, 2),
    (44.9, 9, 30, 45),
    (45, 10, 45, 60),
    (60, 11, 60, 90),
    (1439, 19, 1080, 1440),
    (1440, 20, 1440, 2160),
    (43199, 28, 30240, 43200),
    (43200, 29, 43200, None),  # 30 days and more: the open last bucket
    (10**7, 29, 43200, None),
]


@pytest.mark.parametrize("minutes,bucket,lower,upper", BUCKETS)
def test_durations_fall_in_fixed_log_spaced_buckets(minutes, bucket, lower, upper):
    assert bucket_index(minutes) == bucket
    assert layout.bucket_bounds(bucket) == (lower, upper)


def test_each_bucket_is_at_most_one_and_two_thirds_of_the_one_before():
    bounds = layout.BOUNDS_MINUTES
    assert all(b / a <= 5 / 3 + 1e-9 for a, b in itertools.pairwise(bounds[1:]))


def exact_percentile(values, fraction):
    ordered = sorted(values)
    return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]


def histogram_of(values):
    counts = [0] * layout.BUCKETS
    for value in values:
        counts[bucket_index(value)] += 1
    return counts


# Small data sets: the estimate read from the histogram brackets the exact nearest-rank percentile.
DATA_SETS = [
    [12],
    [1, 2, 3],
    [5, 5, 5, 5],
    [0.5, 14, 29, 31, 44, 200, 2000],
    [3, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987],
    [60] * 9 + [50000],  # p90 lands in the 60-90 bucket, not in the outlier's
    [50000, 60000],  # everything in the open last bucket
    [random.Random(seed).lognormvariate(4, 1.5) for seed in range(200)],
]


@pytest.mark.parametrize("values", DATA_SETS)
@pytest.mark.parametrize("fraction", [0.5, 0.9])
def test_percentiles_from_the_histogram_bracket_the_exact_ones(values, fraction):
    exact = exact_percentile(values, fraction)
    estimate = percentile(histogram_of(values), fraction)
    assert estimate.count == len(values)
    assert estimate.lower <= exact and (estimate.upper is None or exact < estimate.upper)
    assert estimate.lower <= estimate.minutes and (estimate.upper is None or estimate.minutes < estimate.upper)


def test_percentiles_of_summed_histograms_are_those_of_all_the_days_together():
    days = [[3, 4, 40], [100, 200], [1, 1, 1, 1, 9000]]
    summed = add_histograms(histogram_of(day) for day in days)
    together = [v for day in days for v in day]
    assert summed == histogram_of(together)
    for fraction in (0.5, 0.9):
        estimate = percentile(summed, fraction)
        exact = exact_percentile(together, fraction)
        assert estimate.lower <= exact < estimate.upper


# (histogram as {bucket: count}, median minutes, p90 minutes)
INTERPOLATION = [
    ({9: 1}, 37.5, 37.5),  # one duration in [30, 45): the bucket's middle
    ({9: 2}, 33.75, 41.25),  # two: a quarter and three quarters across
    ({0: 1, 11: 1}, 0.5, 75.0),  # rank 1 in [0, 1), rank 2 in [60, 90)
    ({29: 3}, 43200, 43200),  # the open bucket reads as its lower bound ("over 30 days")
]


@pytest.mark.parametrize("buckets,median_minutes,p90_minutes", INTERPOLATION)
def test_the_value_inside_the_bucket_is_interpolated_by_rank(buckets, median_minutes, p90_minutes):
    counts = [buckets.get(i, 0) for i in range(layout.BUCKETS)]
    assert median(counts).minutes == pytest.approx(median_minutes)
    assert p90(counts).minutes == pytest.approx(p90_minutes)


def test_an_empty_histogram_has_no_percentile():
    assert median([0] * layout.BUCKETS) is None


# (moment, zone, company day, week's Monday)
WEEKS = [
    ("2026-11-29 15:59", SHANGHAI, date(2026, 11, 29), date(2026, 11, 23)),  # Sunday 23:59 in Shanghai
    ("2026-11-29 16:00", SHANGHAI, date(2026, 11, 30), date(2026, 11, 30)),  # Monday 00:00 there: next week
    ("2026-11-29 16:00", UTC, date(2026, 11, 29), date(2026, 11, 23)),  # still Sunday in UTC
    ("2026-11-30 04:30", NEW_YORK, date(2026, 11, 29), date(2026, 11, 23)),  # Sunday 23:30 in New York
    ("2026-03-09 03:30", NEW_YORK, date(2026, 3, 8), date(2026, 3, 2)),  # the night clocks change
]


@pytest.mark.parametrize("moment,zone,day,monday", WEEKS)
def test_weeks_start_on_monday_in_the_companys_time_zone(moment, zone, day, monday):
    assert local_day(at(moment), zone) == day
    assert week_of(day) == monday


def test_weeks_between_lists_every_monday_including_partial_weeks():
    assert weeks_between(date(2026, 11, 4), date(2026, 11, 17)) == [
        date(2026, 11, 2),
        date(2026, 11, 9),
        date(2026, 11, 16),
    ]
    assert weeks_between(date(2026, 11, 30), date(2026, 11, 30)) == [date(2026, 11, 30)]


def test_one_incident_counts_once_with_its_mail_system_factors_and_durations():
    facts = incident(
        sent_minutes_before=50,
        first_correction_at=at("2026-11-30 12:00"),
        factor_codes=("wrong_client", "low_quote", "wrong_client", "a_code_from_the_future"),
        escalations=(
            EscalationFacts("manager", at("2026-11-30 10:00"), at("2026-11-30 10:20")),
            EscalationFacts("legal", at("2026-11-30 10:00"), None),
        ),
    )
    assert incident_measures(facts) == {
        "incidents": 1,
        "mail_gmail": 1,
        "factor_wrong_client": 1,
        "factor_low_quote": 1,
        "report_10": 1,  # 50 min: [45, 60)
        "correction_13": 1,  # 120 min: [120, 180)
        "acknowledgement_8": 1,  # 20 min: [20, 30); legal's is not acknowledged yet
    }


# (habits, counted)
REVIEWS = [
    (
        ("pause_checklist", "send_delay"),
        {"reviews": 1, "cause_haste": 1, "habit_pause_checklist": 1, "habit_send_delay": 1},
    ),
    ((), {"reviews": 1, "cause_haste": 1, "no_habit": 1}),
]


@pytest.mark.parametrize("habits,counted", REVIEWS)
def test_a_review_counts_its_cause_and_each_habit_or_none(habits, counted):
    assert review_measures(ReviewFacts(incident(), at("2026-11-30 15:00"), "haste", habits)) == counted


# (routed to managers, to legal, escalated routes, for_managers, for_legal)
AUDIENCES = [
    (False, False, (), False, False),
    (True, False, (), True, False),
    (False, True, (), False, True),
    (False, False, ("manager",), True, False),  # routed once, lowered since: the escalation keeps it theirs
    (False, False, ("legal",), False, True),
    (True, False, ("legal",), True, True),
]


@pytest.mark.parametrize("route_manager,route_legal,escalated,for_managers,for_legal", AUDIENCES)
def test_the_audience_follows_the_route_and_any_escalation(
    route_manager, route_legal, escalated, for_managers, for_legal
):
    facts = incident(
        route_manager=route_manager,
        route_legal=route_legal,
        escalations=tuple(EscalationFacts(r, at("2026-11-30 10:00")) for r in escalated),
    )
    assert (facts.for_managers, facts.for_legal) == (for_managers, for_legal)


def test_rows_are_keyed_by_day_team_severity_audience_and_reporter_and_add_up_over_reporters():
    incidents = [
        incident("2026-11-29 15:00", reporter_id=1),
        incident("2026-11-29 17:00", reporter_id=1),  # Monday in Shanghai
        incident("2026-11-29 17:30", reporter_id=2),
        incident("2026-11-29 17:45", reporter_id=2, severity="low"),
        incident("2026-11-29 18:00", reporter_id=3, route_manager=True),
    ]
    review = ReviewFacts(incidents[0], at("2026-12-01 02:00"), "autocomplete", ("send_delay",))
    rows = reporter_rows(incidents, [review], SHANGHAI)
    sunday, monday, tuesday = date(2026, 11, 29), date(2026, 11, 30), date(2026, 12, 1)
    assert {key: measures["incidents"] for key, measures in rows.items()} == {
        RollupKey(sunday, 7, "high", False, False, 1): 1,
        RollupKey(monday, 7, "high", False, False, 1): 1,
        RollupKey(monday, 7, "high", False, False, 2): 1,
        RollupKey(monday, 7, "low", False, False, 2): 1,
        RollupKey(monday, 7, "high", True, False, 3): 1,
        RollupKey(tuesday, 7, "high", False, False, 1): 0,  # the review's day: a review, no incident
    }
    assert rows[RollupKey(tuesday, 7, "high", False, False, 1)] == {
        "reviews": 1,
        "cause_autocomplete": 1,
        "habit_send_delay": 1,
    }
    teams = team_rows(rows)
    assert teams[RollupKey(monday, 7, "high", False, False)]["incidents"] == 2
    assert sum(m["incidents"] for m in teams.values()) == 5
    assert RollupKey(monday, 7, "high", False, False).week == monday


def test_open_escalations_count_by_route_level_and_state():
    facts = incident(route_legal=True)
    rows = open_escalation_rows(
        [
            OpenEscalationFacts(facts, "legal", 0, False),
            OpenEscalationFacts(facts, "legal", 0, False),
            OpenEscalationFacts(facts, "legal", 1, True),
        ]
    )
    assert sorted((k.route, k.level, k.acknowledged, k.for_legal, n) for k, n in rows.items()) == [
        ("legal", 0, False, True, 2),
        ("legal", 1, True, True, 1),
    ]


def test_figures_add_rows_up_by_week_and_read_percentiles_per_week_and_for_the_whole_period():
    w1, w2 = date(2026, 11, 16), date(2026, 11, 23)

    def measures(**counts):
        return counts

    rows = [
        SummedRow(
            w1,
            7,
            "high",
            measures(
                incidents=2, mail_gmail=2, factor_wrong_client=2, report_9=2, reviews=1, cause_haste=1, no_habit=1
            ),
        ),
        SummedRow(w1, 8, "low", measures(incidents=1, mail_qq=1, report_11=1)),
        SummedRow(w2, 7, "high", measures(incidents=1, mail_gmail=1, report_20=1, acknowledgement_5=1)),
        SummedRow(w2, 7, "high", measures(incidents=3, mail_gmail=3, report_9=3)),  # the viewer's own, added
    ]
    people = [PersonRow(1, 7, "high", measures(incidents=4, report_9=4)), PersonRow(2, 7, "low", measures(incidents=1))]
    figures = build_figures(
        [w1, w2], rows, people, [OpenEscalationRow("manager", 0, False, 2), OpenEscalationRow("manager", 0, True, 1)]
    )
    assert figures.incidents == [3, 4]
    assert figures.by_severity["high"] == [2, 4] and figures.by_severity["low"] == [1, 0]
    assert figures.by_mail_system["gmail"] == [2, 4] and figures.by_mail_system["qq"] == [1, 0]
    assert figures.by_factor["wrong_client"] == [2, 0]
    assert figures.by_cause["haste"] == [1, 0] and figures.no_habit == [1, 0]
    report = figures.durations["report"]
    assert (report.weekly_median[0].lower, report.weekly_median[0].upper) == (30, 45)
    assert (report.weekly_median[1].lower, report.weekly_median[1].upper) == (30, 45)
    assert (report.p90.lower, report.p90.upper) == (1440, 2160)
    assert report.median.count == 7
    assert figures.durations["correction"].median is None
    assert [(t.key, t.incidents, t.by_severity["high"]) for t in figures.teams] == [(7, 6, 6), (8, 1, 0)]
    assert [(p.key, p.incidents) for p in figures.people] == [(1, 4), (2, 1)]
    assert [(o.route, o.level, o.waiting, o.acknowledged) for o in figures.open_escalations] == [("manager", 0, 2, 1)]
    assert histogram(rows[0].measures, "report")[9] == 2
