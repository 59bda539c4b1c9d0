"""The one mapping from models to the pure engines (assessment and correspondence).

An incident and its recipients (saved rows, or rows about to be saved when a report is filed)
become IncidentFacts and DraftFacts. The directory is read once per filing or page and handed
in, so nothing here queries it again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone, translation

from incidents.accounts.selectors import user_time_zone
from incidents.assessment import (
    Directory,
    DirectoryEntry,
    IncidentFacts,
    Party,
    signals_from_settings,
    thresholds_from_settings,
)
from incidents.assessment.factors import Case
from incidents.correspondence import INTERNAL_NOTE_LANGUAGES, Contact, DraftFacts, Explanations, Person
from incidents.models import Contact as DirectoryContact
from incidents.models import DirectoryStamp, Incident, MailDomain, PriceFloor, Profile, Recipient
from incidents.precheck import CheckContext
from incidents.precheck import PriceFloor as PreventionFloor
from incidents.reports.presentation import stored_factors, stored_recall

LEGAL_GROUP = "Legal"


@dataclass(frozen=True)
class DirectoryData:
    """The whole directory as plain data: domains, each organisation's preferred language and
    contacts, and our own name."""

    directory: Directory
    languages: dict[str, str]
    company_name: str
    people: dict[str, tuple[Person, ...]] = field(default_factory=dict)  # organisation name -> its contacts
    listed: dict[str, tuple[str, str, Person]] = field(default_factory=dict)  # email -> (organisation, kind, person)

    def contact(self, address: str, name: str = "") -> Contact:
        """The mailbox with its organisation (by domain, else by a contact listing the address) and its reader.

        The reader is the contact whose email it is; for a mailbox nobody is listed for and the report
        names nobody at, the organisation's only contact when it has exactly one (say sales@ read by her).
        """
        entry = self.directory.entry_for(address)
        listed = self.listed.get(address.strip().lower())
        if entry is None and listed is None:
            return Contact(address=address, name=name)
        organisation, kind = (entry.name, entry.kind) if entry else listed[:2]
        person = listed[2] if listed else None
        known = self.people.get(organisation, ())
        if person is None and not name and kind != "internal" and len(known) == 1:
            person = known[0]
        return Contact(
            address=address,
            name=name or (person.name if listed else ""),
            organisation=organisation,
            organisation_kind=kind,
            language=self.languages.get(organisation, ""),
            person=person,
        )


_directory_copy: tuple[str, DirectoryData] | None = None
_precheck_copy: tuple[str, CheckContext] | None = None


def load_directory() -> DirectoryData:
    """Everything the engines need to know about organisations and their people.

    Built once per process and per directory change (its DirectoryStamp): one small read while
    nothing changed, instead of reading and building every organisation, domain and contact for
    each filing and each incident page.
    """
    global _directory_copy
    token = DirectoryStamp.current()
    if token is not None and _directory_copy is not None and _directory_copy[0] == token:
        return _directory_copy[1]
    data = read_directory()
    # No stamp yet (a database just emptied): nothing tells when a copy would go stale, so keep none.
    _directory_copy = (token, data) if token is not None else None
    return data


def precheck_context() -> CheckContext:
    """What the pre-send check compares a draft with: the directory, the names a draft may call each
    client by (the organisation's name, its contacts' names), the price floors and the word lists.
    Kept per process and directory stamp, like load_directory (a price floor's change renews the stamp)."""
    global _precheck_copy
    token = DirectoryStamp.current()
    if token is not None and _precheck_copy is not None and _precheck_copy[0] == token:
        return _precheck_copy[1]
    data = load_directory()
    clients = {entry.name for entry in data.directory.entries().values() if entry.kind == "client"}
    names: dict[str, str] = {}
    for organisation in sorted(clients):
        names.setdefault(organisation, organisation)
        for person in data.people.get(organisation, ()):
            if len(person.name.strip()) >= 2:  # one letter or character names nobody
                names.setdefault(person.name.strip(), organisation)
    floors = tuple(
        PreventionFloor(f.currency, f.floor, f.product.strip(), f.words)
        for f in PriceFloor.objects.order_by("product", "currency")
    )
    context = CheckContext(
        directory=data.directory,
        signals=signals_from_settings(),
        client_names=names,
        floors=floors,
        attachment_words=tuple(settings.MISSEND_ATTACHMENT_WORDS),
    )
    _precheck_copy = (token, context) if token is not None else None
    return context


def read_directory() -> DirectoryData:
    """Two queries for everything the engines need to know about organisations and their people."""
    rows = list(
        MailDomain.objects.select_related("organisation")
        .only("domain", "organisation__name", "organisation__kind", "organisation__language")
        .order_by("organisation_id", "domain")
    )
    directory = Directory({row.domain: DirectoryEntry(row.organisation.name, row.organisation.kind) for row in rows})
    company = next((row.organisation.name for row in rows if row.organisation.kind == "internal"), "")
    languages = {row.organisation.name: row.organisation.language for row in rows}
    people: dict[str, list[Person]] = {}
    listed: dict[str, tuple[str, str, Person]] = {}
    for row in DirectoryContact.objects.select_related("organisation").order_by("organisation_id", "name", "id"):
        person = Person(row.name, row.title, row.phone, row.email, row.language)
        people.setdefault(row.organisation.name, []).append(person)
        languages.setdefault(row.organisation.name, row.organisation.language)
        if row.email:
            listed.setdefault(row.email.strip().lower(), (row.organisation.name, row.organisation.kind, person))
    return DirectoryData(directory, languages, company, {k: tuple(v) for k, v in people.items()}, listed)


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


def _explanations(incident: Incident) -> dict[str, Explanations]:
    """The factor sentences and recall advice in each language the internal note is written in,
    whatever language the page asking for them is in."""
    factors, recall = stored_factors(incident), stored_recall(incident)
    explained = {}
    for language in INTERNAL_NOTE_LANGUAGES:
        with translation.override(language):
            explained[language] = Explanations(tuple(f.detail for f in factors), recall.advice)
    return explained


def _reader(user, languages: dict[int, str], data: DirectoryData) -> Contact:
    """A manager or legal reviewer, with the page language they chose as the note's language."""
    contact = data.contact(user.email, user.get_full_name())
    person = Person(user.get_full_name(), email=user.email, language=languages.get(user.pk, ""))
    return Contact(
        contact.address, contact.name, contact.organisation, contact.organisation_kind, contact.language, person=person
    )


def _draft_problems(incident: Incident) -> frozenset[str]:
    """What went wrong, as drafts speak of it: personal data found in the text (and not dismissed)
    counts as if the reporter had ticked it, so a deletion request says why it matters."""
    problems = set(incident.problems)
    if any(f["code"] == "personal_data_external" for f in incident.factors):
        problems.add("personal_data")
    return frozenset(problems)


def draft_facts(incident: Incident, recipients: list[Recipient], data: DirectoryData, *, readers=None) -> DraftFacts:
    """readers: the internal note's readers; leave None where only the choice of drafts matters (the
    sentences and local times meant for reading are then left out)."""
    names = {r.address: r.name for r in recipients}
    case = Case(
        incident_facts(incident, recipients),
        data.directory,
        signals=signals_from_settings(),
        thresholds=thresholds_from_settings(),
    )
    reporter = incident.reporter
    reading = readers is not None
    # Times read in the reporter's zone, which the drafts name ("14:05（北京时间）").
    zone = user_time_zone(reporter) if reading else None
    local = lambda moment: timezone.localtime(moment, zone) if moment and zone else moment  # noqa: E731
    languages = dict(Profile.objects.filter(user__in=readers).values_list("user_id", "language")) if readers else {}
    return DraftFacts(
        subject=incident.subject,
        sent_at=local(incident.sent_at),
        sender=data.contact(incident.sender, reporter.get_full_name() if reporter.email == incident.sender else ""),
        company_name=data.company_name,
        reporter_name=reporter.get_full_name() or reporter.username,
        message_id=incident.message_id or None,
        problems=_draft_problems(incident),
        factor_codes=frozenset(f["code"] for f in incident.factors),
        factor_details=tuple(f.detail for f in stored_factors(incident)),
        severity=incident.severity,
        route_manager=incident.route_manager,
        route_legal=incident.route_legal,
        regulatory_deadline=local(incident.regulatory_deadline),
        quoted_price=incident.quoted_price,
        correct_price=incident.correct_price,
        currency=incident.currency,
        gap=case.gap,
        firm_offer=incident.firm_offer,
        recipient_status=incident.recipient_status,
        attachments=tuple(incident.attachments),
        actual=tuple(
            data.contact(r.address, names.get(r.address, "")) for r in recipients if r.role == Recipient.ACTUAL
        ),
        intended=tuple(
            data.contact(r.address, names.get(r.address, "")) for r in recipients if r.role == Recipient.INTENDED
        ),
        unintended=tuple(data.contact(a, names.get(a, "")) for a in case.unintended),
        internal_recipients=tuple(_reader(u, languages, data) for u in (readers or ())),
        incident_url=settings.SITE_URL.rstrip("/") + incident.get_absolute_url() if incident.pk else "",
        explanations=_explanations(incident) if reading else {},
    )
