from .directory import MailDomain, Organisation, Team
from .escalation import Escalation, EscalationLevel, EscalationPolicy, Notification
from .incident import Incident, Recipient, TimelineEvent

__all__ = [
    "Escalation", "EscalationLevel", "EscalationPolicy", "Incident", "MailDomain", "Notification",
    "Organisation", "Recipient", "Team", "TimelineEvent",
]
