from incidents.views.drafts import draft_decide, draft_detail, draft_eml, draft_mark_sent, draft_save, draft_send
from incidents.views.escalation import (
    acknowledge_link,
    inbox,
    incident_acknowledge,
    incident_close_escalation,
    incident_escalate,
    incident_resolve,
    incident_take_over,
    legal_queue,
    triage_queue,
)
from incidents.views.pages import incident_detail, incident_edit, incident_list, incident_report

__all__ = [
    "acknowledge_link",
    "draft_decide",
    "draft_detail",
    "draft_eml",
    "draft_mark_sent",
    "draft_save",
    "draft_send",
    "inbox",
    "incident_acknowledge",
    "incident_close_escalation",
    "incident_detail",
    "incident_edit",
    "incident_escalate",
    "incident_list",
    "incident_report",
    "incident_resolve",
    "incident_take_over",
    "legal_queue",
    "triage_queue",
]
