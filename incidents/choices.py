"""The fixed vocabularies of an incident report, as Django choices."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MailSystem(models.TextChoices):
    EXCHANGE = "exchange", _("Microsoft Exchange (on premises)")
    MICROSOFT365 = "microsoft365", _("Microsoft 365 / Outlook")
    GMAIL = "gmail", _("Gmail / Google Workspace")
    QQ = "qq", _("QQ Mail")
    NETEASE = "netease", _("NetEase 163/126")
    ALIYUN = "aliyun", _("Alibaba Mail (Aliyun)")
    LOTUS_NOTES = "lotus_notes", _("HCL/IBM Lotus Notes")
    OTHER = "other", _("Other")


class Problem(models.TextChoices):
    WRONG_RECIPIENT = "wrong_recipient", _("Wrong recipient")
    WRONG_ATTACHMENT = "wrong_attachment", _("Wrong or outdated attachment")
    WRONG_PRICE = "wrong_price", _("Wrong price or figures")
    WRONG_CONTENT = "wrong_content", _("Wrong content")
    INTERNAL_INFO = "internal_info", _("Internal information (cost, margin, discussion)")
    PERSONAL_DATA = "personal_data", _("Personal data (ID, passport, payroll)")
    TONE = "tone", _("Harsh or inappropriate tone")


class RecipientStatus(models.TextChoices):
    UNKNOWN = "unknown", _("Unknown")
    UNREAD = "unread", _("Not read yet")
    READ = "read", _("Read")
    REPLIED = "replied", _("Replied")
    ACCEPTED = "accepted", _("Accepted the offer")


class RecipientField(models.TextChoices):
    TO = "to", _("To")
    CC = "cc", _("Cc")
    BCC = "bcc", _("Bcc")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


SEVERITY_RANK = {Severity.LOW: 0, Severity.MEDIUM: 1, Severity.HIGH: 2, Severity.CRITICAL: 3}


class IncidentStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("incident status", "Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")


class OrganisationKind(models.TextChoices):
    INTERNAL = "internal", _("Internal")
    CLIENT = "client", _("Client")
    COMPETITOR = "competitor", _("Competitor")


# Languages the drafts are written in.
DRAFT_LANGUAGES = [("en", "English"), ("zh-hans", "简体中文"), ("zh-hant", "繁體中文")]
