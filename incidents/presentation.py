"""Turning a stored assessment back into explained factors and recall advice, in the reader's language."""
from __future__ import annotations

from django.utils.translation import gettext_lazy

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


# Short names of the assessment's factors, for the list's factor filter, the CSV and the dashboard (the sentences that explain
# them on an incident are in incidents/assessment/explanations.py).
FACTOR_LABELS = {
    "internal_only": gettext_lazy("Internal recipients only"),
    "unintended_external": gettext_lazy("Unintended outside recipient"),
    "wrong_client": gettext_lazy("Another client received it"),
    "competitor_exposure": gettext_lazy("A competitor received it"),
    "leaked_pricing": gettext_lazy("Pricing reached outsiders"),
    "internal_info_external": gettext_lazy("Internal information went outside"),
    "low_quote": gettext_lazy("Price quoted too low"),
    "low_quote_answered": gettext_lazy("Too-low price answered"),
    "firm_offer": gettext_lazy("Firm offer or validity stated"),
    "personal_data_external": gettext_lazy("Personal data breach"),
    "personal_data_dismissed": gettext_lazy("Personal data dismissed"),
    "content_error": gettext_lazy("Content error went outside"),
    "harsh_tone": gettext_lazy("Harsh tone"),
}
