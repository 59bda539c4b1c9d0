"""What the assessment says of an incident: its severity, the factors behind it, and whether it can be recalled."""

from __future__ import annotations

from django.db.models.enums import TextChoices
from django.utils.translation import gettext_lazy as _


class Severity(TextChoices):
    """From least to most severe: the members' order is the rank (lists sort by it, reviews and calls start at HIGH)."""

    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")

    @property
    def rank(self) -> int:
        return SEVERITY_RANK[self]


SEVERITY_RANK: dict[str, int] = {severity: rank for rank, severity in enumerate(Severity)}


class FactorCode(TextChoices):
    """The reasons behind a severity, with their short names (the list's factor filter, the CSV, the dashboard).

    The sentences that explain a factor on an incident are in incidents/assessment/explanations.py. The
    members' order is the order the rules run in, so stored factor lists are stable and comparable.
    """

    INTERNAL_ONLY = "internal_only", _("Internal recipients only")
    UNINTENDED_EXTERNAL = "unintended_external", _("Unintended outside recipient")
    WRONG_CLIENT = "wrong_client", _("Another client received it")
    COMPETITOR_EXPOSURE = "competitor_exposure", _("A competitor received it")
    LEAKED_PRICING = "leaked_pricing", _("Pricing reached outsiders")
    INTERNAL_INFO_EXTERNAL = "internal_info_external", _("Internal information went outside")
    LOW_QUOTE = "low_quote", _("Price quoted too low")
    LOW_QUOTE_ANSWERED = "low_quote_answered", _("Too-low price answered")
    FIRM_OFFER = "firm_offer", _("Firm offer or validity stated")
    PERSONAL_DATA_EXTERNAL = "personal_data_external", _("Personal data breach")
    PERSONAL_DATA_DISMISSED = "personal_data_dismissed", _("Personal data dismissed")
    CONTENT_ERROR = "content_error", _("Content error went outside")
    HARSH_TONE = "harsh_tone", _("Harsh tone")


class RecallVerdict(TextChoices):
    """Whether the mail system can still pull the email back: per recipient MAYBE or NO; for the whole
    email also PARTIAL (from some recipients only)."""

    MAYBE = "maybe"
    PARTIAL = "partial"
    NO = "no"


# A single recipient's verdict: the email is pulled back from them or not.
RECIPIENT_RECALL_VERDICTS = (RecallVerdict.MAYBE, RecallVerdict.NO)
