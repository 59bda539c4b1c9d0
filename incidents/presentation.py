"""Turning a stored assessment back into explained factors and recall advice, in the reader's language."""
from __future__ import annotations

from .assessment import Factor, Recall, RecipientRecall
from .models import Incident


def stored_factors(incident: Incident) -> list[Factor]:
    return [Factor(item["code"], item.get("params") or {}) for item in incident.factors]


def stored_recall(incident: Incident) -> Recall:
    data = incident.recall or {}
    return Recall(
        verdict=data.get("verdict", "no"),
        mail_system=data.get("mail_system", incident.mail_system),
        recipients=tuple(RecipientRecall(r["address"], r["verdict"]) for r in data.get("recipients", [])),
        # Assessments stored before this key existed advised a correction, so that stays the default.
        correction_needed=bool(data.get("correction_needed", True)),
    )
