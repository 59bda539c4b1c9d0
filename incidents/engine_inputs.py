"""The one mapping from models to the pure engines (assessment and correspondence).

An incident and its recipients (saved rows, or rows about to be saved when a report is filed)
become IncidentFacts and DraftFacts. The directory is read once per filing or page and handed
in, so nothing here queries it again.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q

from .assessment import Directory, DirectoryEntry, IncidentFacts, Party, signals_from_settings, thresholds_from_settings
from .assessment.factors import Case
from .correspondence import Contact, DraftFacts
from .models import Incident, MailDomain, Recipient
from .presentation import stored_factors

LEGAL_GROUP = "Legal"


@dataclass(frozen=True)
class DirectoryData:
    """The whole directory as plain data, each organisation's preferred language, and our own name."""

    directory: Directory
    languages: dict[str, str]
    company_name: str

    def contact(self, address: str, name: str = "") -> Contact:
        entry = self.directory.entry_for(address)
        if entry is None:
            return Contact(address=address, name=name)
        return Contact(address=address, name=name, organisation=entry.name, organisation_kind=entry.kind,
                       language=self.languages.get(entry.name, ""))


def load_directory() -> DirectoryData:
    """One query for everything the engines need to know about organisations."""
    rows = list(
        MailDomain.objects.select_related("organisation")
        .only("domain", "organisation__name", "organisation__kind", "organisation__language")
        .order_by("organisation_id", "domain")
    )
    directory = Directory({row.domain: DirectoryEntry(row.organisation.name, row.organisation.kind) for row in rows})
    company = next((row.organisation.name for row in rows if row.organisation.kind == "internal"), "")
    return DirectoryData(directory, {row.organisation.name: row.organisation.language for row in rows}, company)


def incident_facts(incident: Incident, recipients: list[Recipient]) -> IncidentFacts:
    return IncidentFacts(
        recipients=tuple(Party(r.address, r.field) for r in recipients if r.role == Recipient.ACTUAL),
        intended=tuple(r.address for r in recipients if r.role == Recipient.INTENDED),
        filed_at=incident.created_at,
        subject=incident.subject,
        problems=frozenset(incident.problems),
        mail_system=incident.mail_system,
        recipient_status=incident.recipient_status,
        quoted_price=incident.quoted_price,
        correct_price=incident.correct_price,
        currency=incident.currency,
        firm_offer=incident.firm_offer,
        body=incident.body,
        attachments=tuple(incident.attachments),
        personal_data_dismissal=(incident.dismissed_signals or {}).get("personal_data", ""),
    )


def internal_readers(incident: Incident) -> list:
    """Who the internal note is for: the team's managers when routed to managers, Legal when to legal."""
    scope = Q(pk__in=[])
    if incident.route_manager and incident.team_id:
        scope |= Q(managed_teams=incident.team_id)
    if incident.route_legal:
        scope |= Q(groups__name=LEGAL_GROUP)
    users = get_user_model().objects.filter(scope, is_active=True).exclude(email="").distinct().order_by("pk")
    return list(users)


def draft_facts(incident: Incident, recipients: list[Recipient], data: DirectoryData, *, readers=None) -> DraftFacts:
    """readers: the internal note's readers; leave None where only the choice of drafts matters."""
    names = {r.address: r.name for r in recipients}
    case = Case(incident_facts(incident, recipients), data.directory,
                signals=signals_from_settings(), thresholds=thresholds_from_settings())
    reporter = incident.reporter
    return DraftFacts(
        subject=incident.subject,
        sent_at=incident.sent_at,
        sender=data.contact(incident.sender, reporter.get_full_name() if reporter.email == incident.sender else ""),
        company_name=data.company_name,
        reporter_name=reporter.get_full_name() or reporter.username,
        message_id=incident.message_id or None,
        problems=frozenset(incident.problems),
        factor_codes=frozenset(f["code"] for f in incident.factors),
        factor_details=tuple(f.detail for f in stored_factors(incident)),
        severity=incident.severity,
        route_manager=incident.route_manager,
        route_legal=incident.route_legal,
        regulatory_deadline=incident.regulatory_deadline,
        quoted_price=incident.quoted_price,
        correct_price=incident.correct_price,
        currency=incident.currency,
        gap=case.gap,
        firm_offer=incident.firm_offer,
        recipient_status=incident.recipient_status,
        attachments=tuple(incident.attachments),
        actual=tuple(data.contact(r.address, names.get(r.address, "")) for r in recipients if r.role == Recipient.ACTUAL),
        intended=tuple(data.contact(r.address, names.get(r.address, "")) for r in recipients if r.role == Recipient.INTENDED),
        unintended=tuple(data.contact(a, names.get(a, "")) for a in case.unintended),
        internal_recipients=tuple(data.contact(u.email, u.get_full_name()) for u in (readers or ())),
        incident_url=settings.SITE_URL.rstrip("/") + incident.get_absolute_url() if incident.pk else "",
    )
