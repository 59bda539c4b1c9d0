"""Role-scoped reads of post-incident reviews, for the dashboard: what causes mis-sends, which habits are adopted."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from django.db.models import Count

from incidents.access import incidents_visible_to
from incidents.models import PostIncidentReview
from incidents.vocabulary import Cause, Habit


def reviews_visible_to(user):
    """Reviews of the incidents the user may see, with the incident (team, severity) one join away."""
    return PostIncidentReview.objects.filter(incident__in=incidents_visible_to(user))


def review_counts(user, since: datetime, until: datetime) -> dict:
    """Reviews written in [since, until) on incidents the user may see, counted by cause and by adopted habit.

    Every cause and habit code is present (0 when none); "no_habit" counts reviews that adopted none.
    """
    reviews = reviews_visible_to(user).filter(reviewed_at__gte=since, reviewed_at__lt=until)
    by_cause = dict(reviews.order_by().values_list("cause").annotate(n=Count("id")))
    # Habits are a JSON list, which SQLite cannot count inside; a period's reviews are few, so count here.
    habit_lists = list(reviews.values_list("habits", flat=True))
    by_habit = Counter(code for habits in habit_lists for code in habits)
    return {
        "total": len(habit_lists),
        "causes": {code: by_cause.get(code, 0) for code in Cause.values},
        "habits": {code: by_habit.get(code, 0) for code in Habit.values},
        "no_habit": sum(1 for habits in habit_lists if not habits),
    }
