"""What is kept about an incident: its timeline, its evidence files and the keys its filings came with."""

from __future__ import annotations

from django.db.models.enums import TextChoices
from django.utils.translation import gettext_lazy as _


class TimelineEventType(TextChoices):
    REPORTED = "reported", _("Reported")
    EDITED = "edited", _("Edited")
    ASSESSED = "assessed", _("Assessed")
    ESCALATION_STARTED = "escalation_started", _("Escalation started")
    LEVEL_REACHED = "level_reached", _("Escalation level reached")
    LEVEL_EMPTY = "level_empty", _("Escalation level had nobody to notify")
    ESCALATION_EXHAUSTED = "escalation_exhausted", _("Escalation ran out of levels")
    NOTIFIED = "notified", _("Notification sent")
    NOTIFICATION_RETRY = "notification_retry", _("Notification failed, will retry")
    NOTIFICATION_FAILED = "notification_failed", _("Notification failed")
    NOTIFICATION_UNCERTAIN = "notification_uncertain", _("Notification resent after a lost worker")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    TAKEN_OVER = "taken_over", _("Taken over")
    REMINDED = "reminded", _("Reminder: acknowledged but not resolved")
    ESCALATION_CLOSED = "escalation_closed", _("Escalation closed")
    RESOLVED = "resolved", _("Resolved")
    REVIEWED = "reviewed", _("Post-incident review")
    DRAFT_EDITED = "draft_edited", _("Draft edited")
    DRAFT_SENT = "draft_sent", _("Draft sent")
    DRAFT_APPROVED = "draft_approved", _("Draft approved by legal")
    DRAFT_REJECTED = "draft_rejected", _("Draft rejected by legal")
    DRAFT_APPROVAL_DROPPED = "draft_approval_dropped", _("Legal's approval no longer holds")
    EVIDENCE_KEPT = "evidence_kept", _("Sent message kept as evidence")


class EvidenceSource(TextChoices):
    """Where a kept message was uploaded."""

    REPORT_PAGE = "report_page", _("Report page")
    INCIDENT_PAGE = "incident_page", _("Incident page")
    API = "api", _("API")
    COMMAND = "command", _("Import command")


class FilingSource(TextChoices):
    """Where a filing's idempotency key came from (never shown to a person, so not translated)."""

    API = "api", "API"
    FORM = "form", "Form"
