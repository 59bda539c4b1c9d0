"""The dashboard's words in the reader's language: series names, headings, and durations read "about N"."""

from __future__ import annotations

from django.utils.translation import gettext as _

from incidents.insight.dashboard.figures import Estimate
from incidents.vocabulary import (
    CAUSE_SHORT_LABELS,
    HABIT_SHORT_LABELS,
    Duration,
    FactorCode,
    MailSystem,
    Route,
    Severity,
)

DURATION_LABELS = dict(Duration.choices)
ROUTE_LABELS = dict(Route.choices)


def severity_label(code: str) -> str:
    return str(dict(Severity.choices).get(code, code))


def mail_system_label(code: str) -> str:
    return str(dict(MailSystem.choices).get(code, code))


def factor_label(code: str) -> str:
    """The factor's short name, as the list's factor filter and the CSV write it."""
    return str(dict(FactorCode.choices).get(code, code))


def cause_label(code: str) -> str:
    """Chart legends need the causes short; the review form words them in full (Cause's labels)."""
    return str(CAUSE_SHORT_LABELS.get(code, code))


def habit_label(code: str) -> str:
    return str(HABIT_SHORT_LABELS.get(code, code))


def level_label(level: int) -> str:
    if level < 0:
        return _("Nobody told yet")
    return _("Level %(level)s") % {"level": level + 1}


def _number(value: float) -> str:
    rounded = round(value, 1) if value < 10 else round(value)
    return f"{rounded:g}"


def minutes_text(minutes: float) -> str:
    """A length of time in the unit that reads best: minutes under an hour, hours under two days, else days."""
    if minutes < 60:
        return _("%(n)s min") % {"n": _number(minutes)}
    if minutes < 2880:
        return _("%(n)s h") % {"n": _number(minutes / 60)}
    return _("%(n)s d") % {"n": _number(minutes / 1440)}


def estimate_text(estimate: Estimate | None) -> str:
    """ "about 40 min (30 min to 45 min)": the value read from the histogram and the bucket it is certain of."""
    if estimate is None:
        return "—"
    if estimate.upper is None:
        return _("over %(lower)s") % {"lower": minutes_text(estimate.lower)}
    return _("about %(value)s (%(lower)s to %(upper)s)") % {
        "value": minutes_text(estimate.minutes),
        "lower": minutes_text(estimate.lower),
        "upper": minutes_text(estimate.upper),
    }


def estimate_short(estimate: Estimate | None) -> str:
    """ "about 40 min", for a narrow cell; the page says how precise these are."""
    if estimate is None:
        return "—"
    if estimate.upper is None:
        return _("over %(lower)s") % {"lower": minutes_text(estimate.lower)}
    return _("about %(value)s") % {"value": minutes_text(estimate.minutes)}
