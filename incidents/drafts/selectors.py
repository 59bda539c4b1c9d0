"""The drafts of an incident as the app shows them: generated, then edited, approved and sent.

The legal gate is decided here: a draft that needs legal's approval leaves by no path (in-app
send, .eml, mailto, copy, "mark as sent") until legal have approved the exact text, for the exact
offer facts, that it has now. Pages and the API ask `IncidentDraft.refusal`; the writes in
services/drafts.py refuse on their own as well.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from incidents.accounts.selectors import user_time_zone
from incidents.assessment import (
    signals_from_settings,
    thresholds_from_settings,
)
from incidents.assessment.factors import Case
from incidents.conf import missend
from incidents.correspondence import (
    Draft,
    DraftFacts,
    Explanations,
    Mailbox,
    Person,
    build_eml,
    choose_drafts,
    render_draft,
)
from incidents.correspondence.approval import approval_digest
from incidents.directory import selectors as directory_selectors
from incidents.directory.selectors import DirectoryData
from incidents.errors import StateConflict
from incidents.models import DraftRecord, DraftTemplate, Incident, Profile, Recipient
from incidents.platform.mail import site_link
from incidents.reports.presentation import stored_factors, stored_recall
from incidents.reports.selectors import incident_facts
from incidents.vocabulary import INTERNAL_NOTE_LANGUAGES, DraftKind, FactorCode, Problem, Role, Tone

CORRECTING_KINDS = (DraftKind.CORRECTION, DraftKind.DELETION_REQUEST, DraftKind.OFFER_WITHDRAWAL, DraftKind.APOLOGY)
Approval = DraftRecord.Approval


@dataclass
class IncidentDraft:
    """A draft with what people did to it: their edit, legal's decision, when it was sent."""

    draft: Draft
    record: DraftRecord | None
    edited: bool
    digest: str
    tone: str = Tone.POLITE

    @property
    def approval(self) -> str:
        if not self.draft.needs_legal_approval:
            return Approval.NOT_NEEDED
        record = self.record
        if record is None or record.approval == Approval.NOT_NEEDED:
            return Approval.PENDING
        if record.approval == Approval.APPROVED and record.approved_fingerprint != self.digest:
            return Approval.PENDING
        return record.approval

    @property
    def approved_other_version(self) -> bool:
        """Legal approved this draft, but not the text (or facts) shown now."""
        record = self.record
        return bool(
            self.draft.needs_legal_approval
            and record
            and record.approval == Approval.APPROVED
            and record.approved_fingerprint != self.digest
        )

    @property
    def blocked_by_legal(self) -> bool:
        return self.approval in (Approval.PENDING, Approval.REJECTED)

    @property
    def refusal(self) -> str | None:
        """Why this draft may not leave now, or None when it may."""
        if not self.blocked_by_legal:
            return None
        if self.approval == Approval.REJECTED:
            return _(
                "Legal rejected this draft; it cannot be sent, downloaded or marked as sent. Change it and ask again."
            )
        if self.approved_other_version:
            return _(
                "Legal approved another version of this draft (a different text, language, tone or offer facts). "
                "This version needs their approval before it can be sent, downloaded or marked as sent."
            )
        return _("Legal must approve this draft before it can be sent, downloaded, copied or marked as sent.")

    def check_may_leave(self) -> None:
        if self.refusal:
            raise StateConflict(self.refusal)


def draft_facts(incident: Incident, *, directory: DirectoryData | None = None) -> DraftFacts:
    recipients = list(incident.recipients.all())
    return build_draft_facts(
        incident,
        recipients,
        directory or directory_selectors.load_directory(),
        readers=internal_readers(incident),
    )


def template_overrides() -> dict[tuple[str, str, str], str]:
    return {(t.kind, t.language, t.part): t.source for t in DraftTemplate.objects.filter(active=True)}


def incident_drafts(incident: Incident, *, language: str | None = None, tone: str = Tone.POLITE) -> list[IncidentDraft]:
    """The drafts that fit the incident, with the user's edits in place of the generated text."""
    facts = draft_facts(incident)
    overrides = template_overrides()
    records = {r.key: r for r in incident.draft_records.all()}
    specs = choose_drafts(facts, tone=tone, language=language)

    def item_for(spec, facts_used) -> IncidentDraft:
        draft = render_draft(spec, facts_used, overrides=overrides)
        record = records.get(spec.key)
        edited = bool(record and record.edited_at and record.language == draft.language)
        if edited:
            # An edited text no longer matches the generated HTML, so the edit goes out as plain text.
            draft = replace(draft, subject=record.subject, text=record.text, html=None)
        return IncidentDraft(draft=draft, record=record, edited=edited, digest=approval_digest(draft, facts), tone=tone)

    # Emails first: what a call script may say depends on whether legal approved those emails.
    items = {spec.key: item_for(spec, facts) for spec in specs if spec.kind != DraftKind.CALL_SCRIPT}
    approved = frozenset(key for key, item in items.items() if item.approval == Approval.APPROVED)
    call_facts = replace(facts, approved_keys=approved)
    items.update({spec.key: item_for(spec, call_facts) for spec in specs if spec.kind == DraftKind.CALL_SCRIPT})
    return [items[spec.key] for spec in specs]


def incident_draft(
    incident: Incident, key: str, *, language: str | None = None, tone: str = Tone.POLITE
) -> IncidentDraft:
    for item in incident_drafts(incident, language=language, tone=tone):
        if item.draft.key == key:
            return item
    raise LookupError(key)


def sending_address(user) -> str:
    """The address a user sends from: the one an admin bound to them, else their account's; "" if none."""
    from incidents.accounts.selectors import sending_address_for

    return sending_address_for(user)


def own_mailbox(user) -> Mailbox:
    address = sending_address(user)
    if not address:
        raise StateConflict(_("Your account has no email address to send from. Ask an administrator to add one."))
    return Mailbox(address=address, name=user.get_full_name())


def draft_eml(incident: Incident, item: IncidentDraft, *, user) -> bytes:
    """The draft as an unsent message from the user's own mailbox; refused while legal's approval is missing."""
    if item.draft.kind == DraftKind.CALL_SCRIPT:
        raise StateConflict(_("A call script is read on the phone, not sent: it has no .eml."))
    item.check_may_leave()
    return build_eml(item.draft, sender=own_mailbox(user), in_reply_to=incident.message_id or None)


def sending_enabled() -> bool:
    return bool(missend.DRAFT_SENDING)


def internal_readers(incident: Incident) -> list:
    """Who the internal note is for: the team's managers when routed to managers, Legal when to legal."""
    scope = Q(pk__in=[])
    if incident.route_manager and incident.team_id:
        scope |= Q(managed_teams=incident.team_id)
    if incident.route_legal:
        scope |= Q(groups__name=Role.LEGAL)
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


def _reader(user, languages: dict[int, str], data: DirectoryData) -> Mailbox:
    """A manager or legal reviewer, with the page language they chose as the note's language."""
    contact = data.contact(user.email, user.get_full_name())
    person = Person(user.get_full_name(), email=user.email, language=languages.get(user.pk, ""))
    return Mailbox(
        contact.address, contact.name, contact.organisation, contact.organisation_kind, contact.language, person=person
    )


def _draft_problems(incident: Incident) -> frozenset[str]:
    """What went wrong, as drafts speak of it: personal data found in the text (and not dismissed)
    counts as if the reporter had ticked it, so a deletion request says why it matters."""
    problems = set(incident.problems)
    if any(f["code"] == FactorCode.PERSONAL_DATA_EXTERNAL for f in incident.factors):
        problems.add(Problem.PERSONAL_DATA.value)
    return frozenset(problems)


def build_draft_facts(
    incident: Incident, recipients: list[Recipient], data: DirectoryData, *, readers=None
) -> DraftFacts:
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
        incident_url=site_link(incident.get_absolute_url()) if incident.pk else "",
        explanations=_explanations(incident) if reading else {},
    )
