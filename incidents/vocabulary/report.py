"""What a report says: the mail system, what went wrong, who got it and what they did, and who they are."""

from __future__ import annotations

from django.db.models.enums import TextChoices
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MailSystem(TextChoices):
    EXCHANGE = "exchange", _("Microsoft Exchange (on premises)")
    MICROSOFT365 = "microsoft365", _("Microsoft 365 / Outlook")
    GMAIL = "gmail", _("Gmail / Google Workspace")
    QQ = "qq", _("QQ Mail")
    NETEASE = "netease", _("NetEase 163/126")
    ALIYUN = "aliyun", _("Alibaba Mail (Aliyun)")
    LOTUS_NOTES = "lotus_notes", _("HCL/IBM Lotus Notes")
    OTHER = "other", _("Other")


# Outlook/Exchange and Notes can pull back a message, but only inside the organisation and only while it
# is unread; every other system has no real recall (Gmail's Undo send only holds a message back for
# seconds; QQ and NetEase cannot reach outside).
RECALL_SYSTEMS = frozenset({MailSystem.EXCHANGE, MailSystem.MICROSOFT365, MailSystem.LOTUS_NOTES})


class Problem(TextChoices):
    WRONG_RECIPIENT = "wrong_recipient", _("Wrong recipient")
    WRONG_ATTACHMENT = "wrong_attachment", _("Wrong or outdated attachment")
    WRONG_PRICE = "wrong_price", _("Wrong price or figures")
    WRONG_CONTENT = "wrong_content", _("Wrong content")
    INTERNAL_INFO = "internal_info", _("Internal information (cost, margin, discussion)")
    PERSONAL_DATA = "personal_data", _("Personal data (ID, passport, payroll)")
    TONE = "tone", _("Harsh or inappropriate tone")


# The problems whose detected signal a reporter may dismiss with a reason ("it is an order number").
DISMISSABLE_SIGNALS = (Problem.PERSONAL_DATA,)


class RecipientStatus(TextChoices):
    UNKNOWN = "unknown", _("Unknown")
    UNREAD = "unread", _("Not read yet")
    READ = "read", _("Read")
    REPLIED = "replied", _("Replied")
    ACCEPTED = "accepted", _("Accepted the offer")


# The recipient has acted on the email: a quote answered may bind the company.
ANSWERED_STATUSES = frozenset({RecipientStatus.REPLIED, RecipientStatus.ACCEPTED})


class RecipientField(TextChoices):
    """The header line an address was on."""

    TO = "to", _("To")
    CC = "cc", _("Cc")
    BCC = "bcc", _("Bcc")


class RecipientRole(TextChoices):
    """An address on an incident: one that got the email, or one that should have."""

    ACTUAL = "actual", _("Actual")
    INTENDED = "intended", _("Intended")


class OrganisationKind(TextChoices):
    INTERNAL = "internal", _("Internal")
    CLIENT = "client", _("Client")
    COMPETITOR = "competitor", _("Competitor")


# The kinds outside the company; an address the directory does not know counts as outside too.
EXTERNAL_KINDS = (OrganisationKind.CLIENT, OrganisationKind.COMPETITOR)
# What the directory says of an address it does not know (no organisation, so no kind).
UNKNOWN_KIND = "unknown"


class IncidentStatus(TextChoices):
    OPEN = "open", pgettext_lazy("incident status", "Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")
