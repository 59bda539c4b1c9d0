from .correspondence import DraftRecord, DraftTemplate, DraftTemplateVersion
from .dashboard import DashboardOpenEscalation, DashboardRefresh, DashboardReporterDay, DashboardTeamDay
from .directory import Contact, DirectoryStamp, MailDomain, Organisation, Team
from .evidence import Evidence
from .escalation import Escalation, EscalationLevel, EscalationPolicy, Notification
from .incident import Incident, Recipient, TimelineEvent
from .pending import PendingReport
from .prevention import KeptCheck, PriceFloor
from .profile import Profile
from .review import PostIncidentReview
from .relay import HeldMessage

__all__ = [
    "Contact", "DashboardOpenEscalation", "DirectoryStamp", "DashboardRefresh", "DashboardReporterDay", "DashboardTeamDay",
    "DraftRecord", "DraftTemplate", "DraftTemplateVersion",
    "Escalation", "EscalationLevel", "Evidence", "EscalationPolicy", "Incident", "MailDomain", "Notification",
    "KeptCheck", "Organisation", "PendingReport", "PriceFloor", "PostIncidentReview", "Profile", "Recipient", "Team", "TimelineEvent",
]
__all__ += ["HeldMessage"]

from .filing import FilingKey  # noqa: E402

__all__ += ["FilingKey"]

from .audit import AuditEntry  # noqa: E402

__all__ += ["AuditEntry"]
