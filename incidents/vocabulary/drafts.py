"""The drafts written for an incident: their kinds, languages, tones and template parts, and what became of them."""

from __future__ import annotations

from django.db.models.enums import TextChoices
from django.utils.translation import gettext_lazy as _


class DraftKind(TextChoices):
    """Declared in the order the stored choices have always had; DRAFT_ORDER is the order drafts are shown in."""

    CORRECTION = "correction", _("Correction")
    DELETION_REQUEST = "deletion_request", _("Deletion request")
    OFFER_WITHDRAWAL = "offer_withdrawal", _("Offer withdrawal")
    INTERNAL_SUMMARY = "internal_summary", _("Internal summary")
    CALL_SCRIPT = "call_script", _("Call script")
    APOLOGY = "apology", _("Apology")


# In the order drafts are shown: a call first when one is due, the internal note last.
DRAFT_ORDER = (
    DraftKind.CALL_SCRIPT,
    DraftKind.OFFER_WITHDRAWAL,
    DraftKind.DELETION_REQUEST,
    DraftKind.CORRECTION,
    DraftKind.APOLOGY,
    DraftKind.INTERNAL_SUMMARY,
)


class DraftLanguage(TextChoices):
    """Drafts to clients: English, Simplified Chinese (mainland), Traditional Chinese (Taiwan, Hong Kong, Macao).

    Each language is named in itself, whatever the reader's language."""

    EN = "en", "English"
    ZH_HANS = "zh-hans", "简体中文"
    ZH_HANT = "zh-hant", "繁體中文"


# The internal note is read by our own managers and legal, who read English or Simplified Chinese.
INTERNAL_NOTE_LANGUAGES = (DraftLanguage.EN, DraftLanguage.ZH_HANS)


class Tone(TextChoices):
    POLITE = "polite", _("polite")
    FORMAL = "formal", _("formal")


class TemplatePart(TextChoices):
    SUBJECT = "subject", _("Subject")
    TEXT = "text", _("Plain text")
    HTML = "html", _("HTML")


class DraftApproval(TextChoices):
    NOT_NEEDED = "not_needed", _("Not needed")
    PENDING = "pending", _("Waiting for legal")
    APPROVED = "approved", _("Approved by legal")
    REJECTED = "rejected", _("Rejected by legal")


class DraftDecision(TextChoices):
    """Legal's answer to a draft waiting for its approval."""

    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")


class SentVia(TextChoices):
    EML = "eml", _("Downloaded .eml, sent from own mailbox")
    CLIPBOARD = "clipboard", _("Copied, sent from own mailbox")
    MAILTO = "mailto", _("Opened in mail program")
    APP = "app", _("Sent from Missend Desk")
    PHONE = "phone", _("Phone call made")
