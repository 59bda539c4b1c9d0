"""Filing once per key: a retried report (a dropped connection, a double click) returns the incident
it already filed, and two requests racing with one key file one incident between them.

The key row is inserted in the filing's own transaction, before the incident: a second request with
the same key waits on the unique index until the first commits, then finds its row.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from incidents.models import FilingKey, Incident


class FilingKeyReused(Exception):
    """The key already filed a different report."""

    def __init__(self, incident: Incident):
        super().__init__(incident.pk)
        self.incident = incident


@dataclass(frozen=True)
class Filed:
    incident: Incident
    replayed: bool  # True: filed earlier with this key, nothing filed now


def fingerprint(data) -> str:
    """The same report gives the same fingerprint whatever the order of its keys."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _earlier(user, key: str, print_: str) -> Filed | None:
    row = (
        FilingKey.objects.select_related("incident")
        .filter(user=user, key=key, created_at__gte=timezone.now() - timedelta(hours=settings.MISSEND_FILING_KEY_HOURS))
        .first()
    )
    if row is None:
        return None
    if row.fingerprint != print_:
        raise FilingKeyReused(row.incident)
    return Filed(row.incident, replayed=True)


def incident_file_once(*, user, key: str, source: str, fingerprint: str, file: Callable[[], Incident]) -> Filed:
    """File with `file()` unless this user's key filed within MISSEND_FILING_KEY_HOURS.

    Raises FilingKeyReused when the key filed a different report.
    """
    earlier = _earlier(user, key, fingerprint)
    if earlier:
        return earlier
    now = timezone.now()
    try:
        with transaction.atomic():
            # Keys past their time are forgotten, so the table holds one day of a person's filings.
            FilingKey.objects.filter(
                user=user, created_at__lt=now - timedelta(hours=settings.MISSEND_FILING_KEY_HOURS)
            ).delete()
            claim = FilingKey.objects.create(user=user, key=key, source=source, fingerprint=fingerprint, created_at=now)
            claim.incident = file()
            claim.save(update_fields=["incident"])
    except IntegrityError:
        # Another request with this key committed first: answer what it filed.
        earlier = _earlier(user, key, fingerprint)
        if earlier is None:
            raise
        return earlier
    return Filed(claim.incident, replayed=False)
