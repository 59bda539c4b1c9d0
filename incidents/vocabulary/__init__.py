"""The fixed words of the domain: each list is defined once, here, as Django TextChoices with its translated labels.

Everything else derives from these: model fields (``choices=Severity.choices``), forms, filters and serializers,
the dashboard's measure columns, the access rules' group names (Role), and the pure engines, which compare
with the members (a member is its code: ``Severity.HIGH == "high"``). Only Django's enum helper is used, no
ORM and no settings, so the engines (assessment, correspondence, precheck) import this package and nothing
else of the app. Split by area:

- report: MailSystem, Problem, RecipientStatus, RecipientField, RecipientRole, OrganisationKind, IncidentStatus
- assessment: Severity (its order is the rank), FactorCode, RecallVerdict
- escalation: Route, Role, EscalationStatus, AcknowledgedVia, NotificationChannel, NotificationStatus
- drafts: DraftKind, DraftLanguage, Tone, TemplatePart, DraftApproval, DraftDecision, SentVia
- review: Cause, Habit
- insight: Duration (what the dashboard times)
- prevention: WarningCode, HeldStatus, PendingSource
- records: TimelineEventType, EvidenceSource, FilingSource
"""

from incidents.vocabulary.assessment import (
    RECIPIENT_RECALL_VERDICTS,
    SEVERITY_RANK,
    FactorCode,
    RecallVerdict,
    Severity,
)
from incidents.vocabulary.drafts import (
    DRAFT_ORDER,
    INTERNAL_NOTE_LANGUAGES,
    DraftApproval,
    DraftDecision,
    DraftKind,
    DraftLanguage,
    SentVia,
    TemplatePart,
    Tone,
)
from incidents.vocabulary.escalation import (
    AcknowledgedVia,
    EscalationStatus,
    NotificationChannel,
    NotificationStatus,
    Role,
    Route,
)
from incidents.vocabulary.insight import Duration
from incidents.vocabulary.prevention import HeldStatus, PendingSource, WarningCode
from incidents.vocabulary.records import EvidenceSource, FilingSource, TimelineEventType
from incidents.vocabulary.report import (
    ANSWERED_STATUSES,
    DISMISSABLE_SIGNALS,
    EXTERNAL_KINDS,
    RECALL_SYSTEMS,
    UNKNOWN_KIND,
    IncidentStatus,
    MailSystem,
    OrganisationKind,
    Problem,
    RecipientField,
    RecipientRole,
    RecipientStatus,
)
from incidents.vocabulary.review import CAUSE_SHORT_LABELS, HABIT_SHORT_LABELS, Cause, Habit

__all__ = [
    "ANSWERED_STATUSES",
    "CAUSE_SHORT_LABELS",
    "DISMISSABLE_SIGNALS",
    "DRAFT_ORDER",
    "EXTERNAL_KINDS",
    "HABIT_SHORT_LABELS",
    "INTERNAL_NOTE_LANGUAGES",
    "RECALL_SYSTEMS",
    "RECIPIENT_RECALL_VERDICTS",
    "SEVERITY_RANK",
    "UNKNOWN_KIND",
    "AcknowledgedVia",
    "Cause",
    "DraftApproval",
    "DraftDecision",
    "DraftKind",
    "DraftLanguage",
    "Duration",
    "EscalationStatus",
    "EvidenceSource",
    "FactorCode",
    "FilingSource",
    "Habit",
    "HeldStatus",
    "IncidentStatus",
    "MailSystem",
    "NotificationChannel",
    "NotificationStatus",
    "OrganisationKind",
    "PendingSource",
    "Problem",
    "RecallVerdict",
    "RecipientField",
    "RecipientRole",
    "RecipientStatus",
    "Role",
    "Route",
    "SentVia",
    "Severity",
    "TemplatePart",
    "TimelineEventType",
    "Tone",
    "WarningCode",
]
