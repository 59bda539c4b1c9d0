"""The dashboard's daily rollups (see incidents/insight/dashboard/__init__.py for how they are keyed and kept).

Each measure of incidents/models/rollup_layout.py is an integer column, so the page's figures are
SUM(...) GROUP BY week over a few thousand rows instead of reading every incident.
"""

from django.conf import settings
from django.db import models

from incidents.models.directory import Team
from incidents.models.rollup_layout import COLUMNS


def _measures(name: str):
    """An abstract model holding one integer column per measure."""
    attributes = {column: models.PositiveIntegerField(default=0) for column in COLUMNS}
    attributes.update(__module__=__name__, Meta=type("Meta", (), {"abstract": True}))
    return type(name, (models.Model,), attributes)


RollupMeasures = _measures("RollupMeasures")


class DashboardTeamDay(RollupMeasures):
    """One company day's incidents (by report day) and reviews (by review day) of a team, severity and audience.

    for_managers / for_legal: the incidents are routed or were escalated to that role, so its members see them.
    """

    day = models.DateField()
    week = models.DateField(help_text="Monday of the day's week, in the company's time zone.")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    severity = models.CharField(max_length=10)
    for_managers = models.BooleanField(default=False)
    for_legal = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["day"], name="dashboard_team_day")]


class DashboardReporterDay(RollupMeasures):
    """The same, per reporter: a viewer's own incidents, and a team manager's figures per person."""

    day = models.DateField()
    week = models.DateField()
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    severity = models.CharField(max_length=10)
    for_managers = models.BooleanField(default=False)
    for_legal = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["reporter", "day"], name="dashboard_reporter_day"),
            models.Index(fields=["team", "day"], name="dashboard_reporter_team_day"),
            models.Index(fields=["day"], name="dashboard_reporter_by_day"),
        ]


class DashboardOpenEscalation(models.Model):
    """How many escalations are running, by route and level reached, as of the last refresh."""

    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    severity = models.CharField(max_length=10)
    for_managers = models.BooleanField(default=False)
    for_legal = models.BooleanField(default=False)
    route = models.CharField(max_length=10)
    level = models.SmallIntegerField()
    acknowledged = models.BooleanField(default=False)
    count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.route} level {self.level}: {self.count}"


class DashboardRefresh(models.Model):
    """The one row saying when the rollups were last brought up to date (pk 1)."""

    refreshed_at = models.DateTimeField(null=True, blank=True)
    rebuilt_at = models.DateTimeField(null=True, blank=True)
    # Moves on with every refresh: the page's cached figures are keyed by it.
    generation = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"refreshed {self.refreshed_at}, generation {self.generation}"
