"""Prevention: what the pre-send check warns about, and where a held or forwarded message stands."""

from __future__ import annotations

from django.db.models.enums import TextChoices
from django.utils.translation import gettext_lazy as _


class WarningCode(TextChoices):
    """The pre-send check's warnings, in the order a reader should look at them: who the message goes to,
    what it says, what it carries. The codes are stable: a mail add-in or gateway may act on them."""

    COMPETITOR_RECIPIENT = "competitor_recipient"
    OTHER_CLIENT_RECIPIENT = "other_client_recipient"
    INTERNAL_WORDS_OUTSIDE = "internal_words_outside"
    COST_FIGURES_OUTSIDE = "cost_figures_outside"
    PRICE_BELOW_FLOOR = "price_below_floor"
    ATTACHMENT_MISSING = "attachment_missing"
    PERSONAL_DATA_OUTSIDE = "personal_data_outside"


class HeldStatus(TextChoices):
    """Where a message the hold-and-check relay keeps back stands."""

    HELD = "held", _("Held")
    RELEASING = "releasing", _("On its way")
    RELEASED = "released", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")
    FAILED = "failed", _("Not sent")


class PendingSource(TextChoices):
    """How a report started outside the form came in."""

    FORWARDED = "forwarded", _("Forwarded to the desk")
    HELD = "held", _("Cancelled in the hold-and-check relay")
