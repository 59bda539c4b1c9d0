"""The admin site: each feature registers its own pages; Django looks for them here."""

from incidents.accounts import admin as accounts_admin
from incidents.audit import admin as audit_admin
from incidents.directory import admin as directory_admin
from incidents.drafts import admin as drafts_admin
from incidents.escalation import admin as escalation_admin
from incidents.prevention import admin as prevention_admin
from incidents.relay import admin as relay_admin
from incidents.reports import admin as reports_admin

__all__ = [
    "accounts_admin",
    "audit_admin",
    "directory_admin",
    "drafts_admin",
    "escalation_admin",
    "prevention_admin",
    "relay_admin",
    "reports_admin",
]
