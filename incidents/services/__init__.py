"""Every write, by area: incidents, escalations, drafts, notifications, directory.

Each write path is a function here that records what it did on the timeline; views, API views,
tasks and commands only parse, call one of these, and answer.
"""

from incidents.services import accounts, directory, drafts, escalations, evidence, incidents, notifications
from incidents.services.incidents import incident_assess, incident_report, incident_update

__all__ = [
    "accounts",
    "directory",
    "drafts",
    "escalations",
    "evidence",
    "incident_assess",
    "incident_report",
    "incident_update",
    "incidents",
    "notifications",
]
