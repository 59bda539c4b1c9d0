from .escalation import (
    acknowledge_link,
    incident_acknowledge,
    incident_close_escalation,
    incident_escalate,
    incident_resolve,
    incident_take_over,
    inbox,
    legal_queue,
    triage_queue,
)
from .drafts import draft_detail, draft_eml
from .pages import incident_detail, incident_edit, incident_list, incident_report

__all__ = [
    "draft_detail", "draft_eml",
    "acknowledge_link", "inbox", "incident_acknowledge", "incident_close_escalation", "incident_detail",
    "incident_edit", "incident_escalate", "incident_list", "incident_report", "incident_resolve",
    "incident_take_over", "legal_queue", "triage_queue",
]
