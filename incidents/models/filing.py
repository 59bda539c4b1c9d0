"""Idempotency keys of filings: a retried report returns the incident it already filed."""

from django.conf import settings
from django.db import models

from incidents.models.incident import Incident
from incidents.vocabulary import FilingSource


class FilingKey(models.Model):
    """One person's key (the API's Idempotency-Key header, or the report form's hidden token) for one filing."""

    # The vocabulary's list (incidents/vocabulary), also reachable from the model.
    Source = FilingSource

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    source = models.CharField(max_length=10, choices=Source.choices)
    # SHA-256 of the request as filed, so the same key with another report is told apart from a retry.
    fingerprint = models.CharField(max_length=64)
    # Empty only inside the filing's transaction: the key is claimed first, so a racing request waits.
    incident = models.ForeignKey(Incident, null=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_filing_per_key")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key} → {self.incident_id}"
