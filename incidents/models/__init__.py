from .correspondence import DraftRecord, DraftTemplate, DraftTemplateVersion
from .directory import MailDomain, Organisation, Team
from .escalation import Escalation, EscalationLevel, EscalationPolicy, Notification
from .incident import Incident, Recipient, TimelineEvent

__all__ = [
    "DraftRecord", "DraftTemplate", "DraftTemplateVersion",
    "Escalation", "EscalationLevel", "EscalationPolicy", "Incident", "MailDomain", "Notification",
    "Organisation", "Recipient", "Team", "TimelineEvent",
]
