"""Who is told: the routes an incident takes, the groups people belong to, and where escalations and
notifications stand."""

from __future__ import annotations

from django.db.models.enums import TextChoices
from django.utils.translation import gettext_lazy as _


class Route(TextChoices):
    MANAGER = "manager", _("Managers")
    LEGAL = "legal", _("Legal")


class Role(TextChoices):
    """The names of the groups access rules read (incidents/access.py): the values are the groups' names."""

    EMPLOYEE = "Employee"
    MANAGER = "Manager"
    LEGAL = "Legal"


class EscalationStatus(TextChoices):
    ACTIVE = "active", _("Waiting for acknowledgement")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CLOSED = "closed", _("Closed")


class AcknowledgedVia(TextChoices):
    """How an escalation came to be acknowledged (kept with the timeline event, never shown)."""

    BUTTON = "button"
    EMAIL_LINK = "email_link"
    API = "api"
    TAKE_OVER = "take_over"
    LEGAL_DECISION = "legal_decision"


class NotificationChannel(TextChoices):
    EMAIL = "email", _("Email")
    INBOX = "inbox", _("In-app inbox")
    WEBHOOK = "webhook", _("Webhook")


class NotificationStatus(TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
