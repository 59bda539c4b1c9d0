from incidents.models.correspondence import DraftRecord, DraftTemplate, DraftTemplateVersion
from incidents.models.dashboard import DashboardOpenEscalation, DashboardRefresh, DashboardReporterDay, DashboardTeamDay
from incidents.models.directory import Contact, DirectoryStamp, MailDomain, Organisation, Team
from incidents.models.escalation import Escalation, EscalationLevel, EscalationPolicy, Notification
from incidents.models.evidence import Evidence
from incidents.models.incident import Incident, Recipient, TimelineEvent
from incidents.models.pending import PendingReport
from incidents.models.prevention import KeptCheck, PriceFloor
from incidents.models.profile import Profile
from incidents.models.relay import HeldMessage
from incidents.models.review import PostIncidentReview

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

from incidents.models.filing import FilingKey  # noqa: E402

__all__ += ["FilingKey"]

from incidents.models.audit import AuditEntry  # noqa: E402

__all__ += ["AuditEntry"]
