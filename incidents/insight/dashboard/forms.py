"""The dashboard's filters, read from the URL: date range (default the last 12 weeks), team, severity."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.insight.dashboard.rollup import week_of
from incidents.insight.dashboard.selectors import Filters
from incidents.vocabulary import Severity

DEFAULT_WEEKS = 12
# Five years of weeks: a longer range would draw charts nobody can read (and sum more rows than a page should).
MAX_DAYS = 5 * 366


def today() -> date:
    """The company's date (the rollups' days are the company's)."""
    return timezone.localdate(timezone.now(), timezone.get_default_timezone())


def default_range(until: date) -> tuple[date, date]:
    """The 12 weeks ending with the week of ``until``: Monday eleven weeks before to ``until``."""
    return week_of(until) - timedelta(weeks=DEFAULT_WEEKS - 1), until


class DashboardFilterForm(forms.Form):
    since = forms.DateField(label=_("Since"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None)
    severity = forms.ChoiceField(label=_("Severity"), required=False)

    def __init__(self, data=None, *, teams: list[tuple[int, str]]):
        super().__init__(data)
        self.fields["team"].choices = [("", _("All teams"))] + [(pk, name) for pk, name in teams]
        self.fields["severity"].choices = [("", _("All severities")), *list(Severity.choices)]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        until = cleaned.get("until") or today()
        since = cleaned.get("since") or default_range(until)[0]
        if since > until:
            self.add_error("since", _("The start date is after the end date."))
        elif (until - since).days >= MAX_DAYS:
            self.add_error("since", _("Choose at most five years."))
        cleaned["since"], cleaned["until"] = since, until
        return cleaned

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            since=data["since"], until=data["until"], team_id=data.get("team"), severity=data.get("severity") or ""
        )
