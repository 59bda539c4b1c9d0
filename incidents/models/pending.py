"""A report started outside the form (a message forwarded to the desk), waiting for its owner to complete it."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.models.incident import Incident
from incidents.vocabulary import PendingSource


class PendingReport(models.Model):
    # The vocabulary's list (incidents/vocabulary), also reachable from the model.
    Source = PendingSource

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_reports")
    created_at = models.DateTimeField(_("received at"), default=timezone.now)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.FORWARDED)
    # IncidentForm field names -> prefill values as JSON (datetimes as ISO strings).
    fields = models.JSONField(_("prefilled fields"), default=dict, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_incident = models.ForeignKey(
        Incident,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("incident filed"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pending report")
        verbose_name_plural = _("pending reports")

    def __str__(self) -> str:
        return f"pending #{self.pk} {str(self.fields.get('subject', ''))[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("incidents:pending", args=[self.pk])
