from .correspondence import DraftRecord, DraftTemplate, DraftTemplateVersion
from .dashboard import DashboardOpenEscalation, DashboardRefresh, DashboardReporterDay, DashboardTeamDay
from .directory import Contact, DirectoryStamp, MailDomain, Organisation, Team
from .escalation import Escalation, EscalationLevel, EscalationPolicy, Notification
from .evidence import Evidence
from .incident import Incident, Recipient, TimelineEvent
from .pending import PendingReport
from .prevention import KeptCheck, PriceFloor
from .profile import Profile
from .relay import HeldMessage
from .review import PostIncidentReview

__all__ = [
    "Contact",
    "DashboardOpenEscalation",
    "DashboardRefresh",
    "DashboardReporterDay",
    "DashboardTeamDay",
    "DirectoryStamp",
    "DraftRecord",
    "DraftTemplate",
    "DraftTemplateVersion",
    "Escalation",
    "EscalationLevel",
    "EscalationPolicy",
    "Evidence",
    "Incident",
    "KeptCheck",
    "MailDomain",
    "Notification",
    "Organisation",
    "PendingReport",
    "PostIncidentReview",
    "PriceFloor",
    "Profile",
    "Recipient",
    "Team",
    "TimelineEvent",
]
__all__ += ["HeldMessage"]

from .filing import FilingKey  # noqa: E402

__all__ += ["FilingKey"]

from .audit import AuditEntry  # noqa: E402

__all__ += ["AuditEntry"]
