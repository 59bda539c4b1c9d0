"""The drafts of an incident as the app shows them: generated, then edited, approved and sent."""
from __future__ import annotations

from dataclasses import dataclass, replace

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import events
from .assessment import Directory, signals_from_settings, thresholds_from_settings
from .assessment.factors import Case
from .correspondence import (
    Contact,
    Draft,
    DraftFacts,
    build_eml,
    check_address,
    choose_drafts,
    message_id,
    render_draft,
)
from .models import DraftRecord, DraftTemplate, Incident, Organisation, Recipient
from .presentation import stored_factors
from .selectors import LEGAL, directory_with_languages
from .services import incident_facts

CORRECTING_KINDS = ("correction", "deletion_request", "offer_withdrawal")


@dataclass
class IncidentDraft:
    """A draft with what people did to it: their edit, legal's decision, when it was sent."""

    draft: Draft
    record: DraftRecord | None
    edited: bool

    @property
    def approval(self) -> str:
        if not self.draft.needs_legal_approval:
            return DraftRecord.Approval.NOT_NEEDED
        return self.record.approval if self.record else DraftRecord.Approval.PENDING

    @property
    def blocked_by_legal(self) -> bool:
        return self.approval in (DraftRecord.Approval.PENDING, DraftRecord.Approval.REJECTED)


def _contact(address: str, name: str, directory: Directory, languages: dict[str, str]) -> Contact:
    entry = directory.entry_for(address)
    if entry is None:
        return Contact(address=address, name=name)
    return Contact(address=address, name=name, organisation=entry.name, organisation_kind=entry.kind,
                   language=languages.get(entry.name, ""))


def _internal_readers(incident: Incident) -> list:
    """Who the internal note is for: the team's managers when routed to managers, Legal when to legal."""
    scope = Q(pk__in=[])
    if incident.route_manager and incident.team_id:
        scope |= Q(managed_teams=incident.team_id)
    if incident.route_legal:
        scope |= Q(groups__name=LEGAL)
    users = get_user_model().objects.filter(scope, is_active=True).exclude(email="").distinct().order_by("pk")
    return list(users)


def draft_facts(incident: Incident) -> DraftFacts:
    directory, languages = directory_with_languages()
    recipients = list(incident.recipients.all())
    names = {r.address: r.name for r in recipients}
    case = Case(incident_facts(incident), directory, signals=signals_from_settings(), thresholds=thresholds_from_settings())
    contact = lambda address: _contact(address, names.get(address, ""), directory, languages)  # noqa: E731
    own = Organisation.objects.filter(kind="internal").order_by("pk").first()
    reporter = incident.reporter
    return DraftFacts(
        subject=incident.subject,
        sent_at=incident.sent_at,
        sender=_contact(incident.sender, reporter.get_full_name() if reporter.email == incident.sender else "", directory, languages),
        company_name=own.name if own else "",
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
        actual=tuple(contact(r.address) for r in recipients if r.role == Recipient.ACTUAL),
        intended=tuple(contact(r.address) for r in recipients if r.role == Recipient.INTENDED),
        unintended=tuple(contact(a) for a in case.unintended),
        internal_recipients=tuple(
            _contact(u.email, u.get_full_name(), directory, languages) for u in _internal_readers(incident)
        ),
        incident_url=settings.SITE_URL.rstrip("/") + incident.get_absolute_url(),
    )


def template_overrides() -> dict[tuple[str, str, str], str]:
    return {(t.kind, t.language, t.part): t.source for t in DraftTemplate.objects.filter(active=True)}


def incident_drafts(incident: Incident, *, language: str | None = None, tone: str = "polite") -> list[IncidentDraft]:
    """The drafts that fit the incident, with the user's edits in place of the generated text."""
    facts = draft_facts(incident)
    overrides = template_overrides()
    records = {r.key: r for r in incident.draft_records.all()}
    result = []
    for spec in choose_drafts(facts, tone=tone, language=language):
        draft = render_draft(spec, facts, overrides=overrides)
        record = records.get(spec.key)
        edited = bool(record and record.edited_at and record.language == draft.language)
        if edited:
            # An edited text no longer matches the generated HTML, so the edit goes out as plain text.
            draft = replace(draft, subject=record.subject, text=record.text, html=None)
        result.append(IncidentDraft(draft=draft, record=record, edited=edited))
    return result


def incident_draft(incident: Incident, key: str, *, language: str | None = None, tone: str = "polite") -> IncidentDraft:
    for item in incident_drafts(incident, language=language, tone=tone):
        if item.draft.key == key:
            return item
    raise LookupError(key)


def draft_eml(incident: Incident, item: IncidentDraft) -> bytes:
    facts_sender = Contact(address=incident.sender, name=incident.reporter.get_full_name()
                           if incident.reporter.email == incident.sender else "")
    return build_eml(item.draft, sender=facts_sender, in_reply_to=incident.message_id or None)


def _record(incident: Incident, item: IncidentDraft) -> DraftRecord:
    record, _ = DraftRecord.objects.select_for_update().get_or_create(
        incident=incident, key=item.draft.key,
        defaults={"kind": item.draft.kind, "language": item.draft.language,
                  "approval": DraftRecord.Approval.PENDING if item.draft.needs_legal_approval
                  else DraftRecord.Approval.NOT_NEEDED},
    )
    return record


@transaction.atomic
def draft_edit(*, incident: Incident, item: IncidentDraft, actor, subject: str, text: str) -> DraftRecord:
    """Keep the user's wording; a draft that needed legal's approval needs it again."""
    record = _record(incident, item)
    record.subject = " ".join(subject.split())[:250]
    record.text = text
    record.language = item.draft.language
    record.edited_by, record.edited_at = actor, timezone.now()
    if item.draft.needs_legal_approval and record.approval == DraftRecord.Approval.APPROVED:
        record.approval = DraftRecord.Approval.PENDING
    record.save()
    events.draft_edited_event(incident=incident, actor=actor, key=record.key, kind=record.kind)
    return record


@transaction.atomic
def draft_mark_sent(*, incident: Incident, item: IncidentDraft, actor, via: str) -> DraftRecord:
    """Record that it went out; the first correction sets the incident's time-to-correction."""
    record = _record(incident, item)
    now = timezone.now()
    record.sent_at, record.sent_by, record.sent_via = now, actor, via
    record.save()
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if record.kind in CORRECTING_KINDS and incident.first_correction_at is None:
        incident.first_correction_at = now
        incident.save(update_fields=["first_correction_at"])
    events.draft_sent_event(
        incident=incident, actor=actor, key=record.key, kind=record.kind, via=via,
        minutes_from_mistake=round((now - incident.sent_at).total_seconds() / 60, 1),
        minutes_from_report=round((now - incident.created_at).total_seconds() / 60, 1),
    )
    return record


@transaction.atomic
def draft_decide(*, incident: Incident, item: IncidentDraft, actor, approve: bool, comment: str) -> DraftRecord:
    """Legal's approval or rejection of a draft that needs it, with their comment."""
    record = _record(incident, item)
    record.approval = DraftRecord.Approval.APPROVED if approve else DraftRecord.Approval.REJECTED
    record.approval_by, record.approval_at, record.approval_comment = actor, timezone.now(), comment
    record.save()
    events.draft_decided_event(incident=incident, actor=actor, key=record.key, kind=record.kind,
                               approved=approve, comment=comment)
    return record


def sending_enabled() -> bool:
    return bool(settings.MISSEND_DRAFT_SENDING)


def draft_send(*, incident: Incident, item: IncidentDraft, actor) -> DraftRecord:
    """Send the draft through the configured SMTP server from the employee's address, then record it."""
    draft = item.draft
    if draft.kind == "call_script":
        raise ValueError("A call script is not an email.")
    if item.blocked_by_legal:
        raise PermissionError("Legal must approve this draft before it is sent.")
    headers = {"Sender": settings.DEFAULT_FROM_EMAIL}
    parent = message_id(incident.message_id)
    if parent:
        headers.update({"In-Reply-To": parent, "References": parent})
    message = EmailMultiAlternatives(
        subject=draft.subject, body=draft.text, from_email=check_address(incident.sender),
        to=[check_address(c.address) for c in draft.to], cc=[check_address(c.address) for c in draft.cc],
        headers=headers,
    )
    if draft.html:
        message.attach_alternative(draft.html, "text/html")
    message.send(fail_silently=False)
    return draft_mark_sent(incident=incident, item=item, actor=actor, via=DraftRecord.SentVia.APP)


def drafts_sync_approvals(incident: Incident) -> None:
    """Drafts that need legal's approval wait in the legal queue from the moment they exist."""
    needed = {spec.key: spec for spec in choose_drafts(draft_facts(incident)) if spec.needs_legal_approval}
    for key, spec in needed.items():
        DraftRecord.objects.get_or_create(
            incident=incident, key=key,
            defaults={"kind": spec.kind, "language": spec.language, "approval": DraftRecord.Approval.PENDING},
        )
    incident.draft_records.filter(approval=DraftRecord.Approval.PENDING).exclude(key__in=needed).update(
        approval=DraftRecord.Approval.NOT_NEEDED
    )
