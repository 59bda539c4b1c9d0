"""The post-incident review: what caused the mis-send and which prevention habits were adopted.

One per incident, written by the resolve service. The dashboard counts causes and habits over time:
reviewed_at is indexed, and the incident's team and severity are one join away.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.models.incident import Incident
from incidents.models.labels import ChoiceLabels
from incidents.vocabulary import Cause, Habit


class PostIncidentReview(ChoiceLabels, models.Model):
    incident = models.OneToOneField(
        Incident, on_delete=models.CASCADE, related_name="review", verbose_name=_("incident")
    )
    cause = models.CharField(_("cause"), max_length=30, choices=Cause.choices)
    cause_other = models.CharField(_("other cause"), max_length=300, blank=True)
    damage_limited_by = models.TextField(_("what limited the damage"), blank=True)
    # Habit codes, in their listed order; empty only with no_habit_reason.
    habits = models.JSONField(_("prevention steps adopted"), default=list, blank=True)
    no_habit_reason = models.TextField(_("why no prevention step was adopted"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("post-incident review")
        verbose_name_plural = _("post-incident reviews")

    def __str__(self) -> str:
        return f"#{self.incident_id}: {self.cause}"

    def get_cause_label(self) -> str:
        """The cause in the reader's language, with the person's own words for "other"."""
        label = self.get_cause_display()
        return f"{label}: {self.cause_other}" if self.cause_other else label

    def get_habit_labels(self) -> list[str]:
        labels = dict(Habit.choices)
        return [str(labels.get(code, code)) for code in self.habits]
