from .correspondence import DraftRecord, DraftTemplate, DraftTemplateVersion
from .directory import MailDomain, Organisation, Team
from .evidence import Evidence
from .escalation import Escalation, EscalationLevel, EscalationPolicy, Notification
from .incident import Incident, Recipient, TimelineEvent
from .pending import PendingReport
from .profile import Profile

__all__ = [
    "DraftRecord", "DraftTemplate", "DraftTemplateVersion",
    "Escalation", "EscalationLevel", "Evidence", "EscalationPolicy", "Incident", "MailDomain", "Notification",
    "Organisation", "PendingReport", "Profile", "Recipient", "Team", "TimelineEvent",
]
