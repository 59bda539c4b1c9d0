"""The periodic sweep (beat's incidents.sweep_escalations): due escalations move on, lost or failed
deliveries are driven again, and messages held for a report that never came are deleted.

It only orders the steps (incidents/platform/sweeping.py); each step writes in its feature's services.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from incidents.escalation.services import escalations_advance_due
from incidents.evidence import services as evidence
from incidents.notifications import services as notifications
from incidents.platform import sweeping

log = logging.getLogger(__name__)


@dataclass
class SweepResult:
    advanced: int = 0
    recovered: int = 0
    redriven: int = 0
    held_evidence_purged: int = 0


def sweep(now: datetime | None = None) -> SweepResult:
    now = now or timezone.now()
    return sweeping.run(
        SweepResult(),
        log,
        "Escalation sweep",
        advanced=lambda: escalations_advance_due(now),
        recovered=lambda: notifications.claims_recover_lost_sends(now),
        redriven=lambda: notifications.claims_redrive(now),
        held_evidence_purged=lambda: evidence.held_evidence_purge(now),
    )
