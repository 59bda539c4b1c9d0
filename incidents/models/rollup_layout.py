"""What one rollup row counts: its measure columns and the duration buckets (plain data, no ORM).

Every measure is an integer column of the rollup tables, so the database adds rows up (SUM ... GROUP BY
week) and a page reads a few dozen summed rows, never the incidents. The columns per mail system, factor,
cause and habit come from the vocabulary, so a new code there (a new factor or mail system) is a new
column here: makemigrations then writes its migration.
"""

from __future__ import annotations

from incidents.vocabulary import Cause, Duration, FactorCode, Habit, MailSystem, Severity

MAIL_SYSTEMS: tuple[str, ...] = tuple(MailSystem.values)
FACTORS: tuple[str, ...] = tuple(FactorCode.values)
SEVERITIES: tuple[str, ...] = tuple(Severity.values)
CAUSES: tuple[str, ...] = tuple(Cause.values)
HABITS: tuple[str, ...] = tuple(Habit.values)

# The three durations, each kept as a histogram of minutes:
#   report:          Incident.sent_at -> created_at (mis-send to report), keyed by the report's day
#   correction:      Incident.created_at -> first_correction_at (report to first correction sent), same day
#   acknowledgement: Escalation.started_at -> acknowledged_at (per escalation), its incident's report day
DURATIONS: tuple[str, ...] = tuple(Duration.values)

# Upper bounds (minutes, exclusive) of the histogram buckets: bucket 0 is [0, 1), bucket i is
# [BOUNDS[i-1], BOUNDS[i]), the last one [43200, open). Each bound is at most 1.7 times the one before,
# so a median read from the summed histogram is known to within its bucket (e.g. "between 30 and 45 min").
BOUNDS_MINUTES = (
    1,
    2,
    3,
    5,
    7,
    10,
    15,
    20,
    30,
    45,
    60,
    90,
    120,
    180,
    240,
    360,
    480,
    720,
    1080,
    1440,
    2160,
    2880,
    4320,
    7200,
    10080,
    14400,
    20160,
    30240,
    43200,
)
BUCKETS = len(BOUNDS_MINUTES) + 1


def bucket_bounds(index: int) -> tuple[float, float | None]:
    """[lower, upper) of a bucket in minutes; upper None for the open last bucket."""
    lower = 0 if index == 0 else BOUNDS_MINUTES[index - 1]
    upper = BOUNDS_MINUTES[index] if index < len(BOUNDS_MINUTES) else None
    return lower, upper


def histogram_columns(duration: str) -> tuple[str, ...]:
    return tuple(f"{duration}_{i}" for i in range(BUCKETS))


MAIL_COLUMNS = tuple(f"mail_{code}" for code in MAIL_SYSTEMS)
FACTOR_COLUMNS = tuple(f"factor_{code}" for code in FACTORS)
CAUSE_COLUMNS = tuple(f"cause_{code}" for code in CAUSES)
HABIT_COLUMNS = tuple(f"habit_{code}" for code in HABITS)

# incidents: reported that day. reviews, cause_*, habit_*, no_habit: reviews written that day.
COLUMNS: tuple[str, ...] = (
    "incidents",
    *MAIL_COLUMNS,
    *FACTOR_COLUMNS,
    *tuple(column for duration in DURATIONS for column in histogram_columns(duration)),
    "reviews",
    *CAUSE_COLUMNS,
    *HABIT_COLUMNS,
    "no_habit",
)
