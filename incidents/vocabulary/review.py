"""The post-incident review: what caused the mis-send and which prevention habits were adopted.

The labels are the review form's words; the short labels name the same codes in the dashboard's chart legends.
"""

from __future__ import annotations

from django.db.models.enums import TextChoices
from django.utils.translation import gettext_lazy as _


class Cause(TextChoices):
    AUTOCOMPLETE = "autocomplete", _("Autocomplete picked the wrong contact")
    WRONG_ATTACHMENT = "wrong_attachment", _("Wrong attachment or version")
    COPY_PASTE = "copy_paste", _("Copy-paste")
    HASTE = "haste", _("Haste")
    OTHER = "other", _("Other")


class Habit(TextChoices):
    PAUSE_CHECKLIST = (
        "pause_checklist",
        _(
            "A pause and checklist before Send: recipients and Cc, subject, attachment and its "
            "version, key figures (prices, amounts, dates, clause numbers), tone"
        ),
    )
    SEND_DELAY = "send_delay", _("A send delay of 2 to 5 minutes, so a mistake can be caught in the outbox")
    SEND_TO_SELF = "send_to_self", _("Complex quotes or contracts sent to yourself first")


CAUSE_SHORT_LABELS = {
    Cause.AUTOCOMPLETE: _("Autocomplete"),
    Cause.WRONG_ATTACHMENT: _("Wrong attachment or version"),
    Cause.COPY_PASTE: _("Copy-paste"),
    Cause.HASTE: _("Haste"),
    Cause.OTHER: _("Other"),
}
HABIT_SHORT_LABELS = {
    Habit.PAUSE_CHECKLIST: _("Pause and checklist before Send"),
    Habit.SEND_DELAY: _("Send delay"),
    Habit.SEND_TO_SELF: _("Send to yourself first"),
}
