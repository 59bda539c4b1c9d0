"""What the dashboard measures of the work on incidents, besides the codes it counts."""

from __future__ import annotations

from django.db.models.enums import TextChoices
from django.utils.translation import gettext_lazy as _


class Duration(TextChoices):
    """The times the dashboard keeps as histograms of minutes (each bucket is a rollup column)."""

    REPORT = "report", _("Mis-send to report")
    CORRECTION = "correction", _("Report to first correction sent")
    ACKNOWLEDGEMENT = "acknowledgement", _("Escalation to acknowledgement")
