"""The periodic sweep: due escalations move on, lost or failed deliveries are driven again, and
messages held for a report that never came are deleted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from incidents.escalation.services import escalation_advance
from incidents.evidence import services as evidence
from incidents.models import Escalation
from incidents.notifications import services as notifications

BATCH = 500


@dataclass
class SweepResult:
    advanced: int = 0
    recovered: int = 0
    redriven: int = 0
    held_evidence_purged: int = 0


def sweep(now: datetime | None = None) -> SweepResult:
    now = now or timezone.now()
    result = SweepResult()
    due = Escalation.objects.filter(
        status__in=[Escalation.Status.ACTIVE, Escalation.Status.ACKNOWLEDGED], next_action_at__lte=now
    ).values_list("pk", flat=True)[:BATCH]
    for pk in list(due):
        with transaction.atomic():
            # Two sweepers at once: the second skips the row the first holds, then re-checks it is due.
            escalation = (
                Escalation.objects.select_for_update(skip_locked=True)
                .select_related("policy", "incident")
                .filter(pk=pk, next_action_at__lte=now)
                .first()
            )
            if escalation is not None:
                escalation_advance(escalation, now=now)
                result.advanced += 1
    result.recovered = notifications.claims_recover_lost_sends(now)
    result.redriven = notifications.claims_redrive(now)
    result.held_evidence_purged = evidence.held_evidence_purge(now)
    return result
