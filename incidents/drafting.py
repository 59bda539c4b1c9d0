"""The drafts of an incident as the app shows them: generated, then edited, approved and sent.

The legal gate lives here and only here: a draft that needs legal's approval leaves by no path
(in-app send, .eml, mailto, copy, "mark as sent") until legal have approved the exact text, for
the exact offer facts, that it has now. Pages and the API ask `IncidentDraft.refusal` and call
the write functions below, which refuse on their own as well.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

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
from .correspondence.approval import approval_digest
from .errors import PermissionDenied, StateConflict
from .models import DraftRecord, DraftTemplate, Incident, Organisation, Recipient
from .presentation import stored_factors
from .selectors import LEGAL, directory_with_languages, user_roles
from .services import incident_facts

CORRECTING_KINDS = ("correction", "deletion_request", "offer_withdrawal", "apology")
Approval = DraftRecord.Approval


@dataclass
class IncidentDraft:
    """A draft with what people did to it: their edit, legal's decision, when it was sent."""

    draft: Draft
    record: DraftRecord | None
    edited: bool
    digest: str
    tone: str = "polite"

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
        return bool(self.draft.needs_legal_approval and record and record.approval == Approval.APPROVED
                    and record.approved_fingerprint != self.digest)

    @property
    def blocked_by_legal(self) -> bool:
        return self.approval in (Approval.PENDING, Approval.REJECTED)

    @property
    def refusal(self) -> str | None:
        """Why this draft may not leave now, or None when it may."""
        if not self.blocked_by_legal:
            return None
        if self.approval == Approval.REJECTED:
            return _("Legal rejected this draft; it cannot be sent, downloaded or marked as sent. Change it and ask again.")
        if self.approved_other_version:
            return _("Legal approved another version of this draft (a different text, language, tone or offer facts). "
                     "This version needs their approval before it can be sent, downloaded or marked as sent.")
        return _("Legal must approve this draft before it can be sent, downloaded, copied or marked as sent.")

    def check_may_leave(self) -> None:
        if self.refusal:
            raise StateConflict(self.refusal)


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
    items = {spec.key: item_for(spec, facts) for spec in specs if spec.kind != "call_script"}
    approved = frozenset(key for key, item in items.items() if item.approval == Approval.APPROVED)
    call_facts = replace(facts, approved_keys=approved)
    items.update({spec.key: item_for(spec, call_facts) for spec in specs if spec.kind == "call_script"})
    return [items[spec.key] for spec in specs]


def incident_draft(incident: Incident, key: str, *, language: str | None = None, tone: str = "polite") -> IncidentDraft:
    for item in incident_drafts(incident, language=language, tone=tone):
        if item.draft.key == key:
            return item
    raise LookupError(key)


def sending_address(user) -> str:
    """The address a user sends from: the one an admin bound to them, else their account's; "" if none."""
    from .accounts import sending_address_for

    return sending_address_for(user)


def _own_mailbox(user) -> Contact:
    address = sending_address(user)
    if not address:
        raise StateConflict(_("Your account has no email address to send from. Ask an administrator to add one."))
    return Contact(address=address, name=user.get_full_name())


def draft_eml(incident: Incident, item: IncidentDraft, *, user) -> bytes:
    """The draft as an unsent message from the user's own mailbox; refused while legal's approval is missing."""
    if item.draft.kind == "call_script":
        raise StateConflict(_("A call script is read on the phone, not sent: it has no .eml."))
    item.check_may_leave()
    return build_eml(item.draft, sender=_own_mailbox(user), in_reply_to=incident.message_id or None)


def _record(incident: Incident, item: IncidentDraft) -> DraftRecord:
    record, _created = DraftRecord.objects.select_for_update().get_or_create(
        incident=incident, key=item.draft.key,
        defaults={"kind": item.draft.kind, "language": item.draft.language,
                  "approval": Approval.PENDING if item.draft.needs_legal_approval else Approval.NOT_NEEDED},
    )
    return record


@transaction.atomic
def draft_edit(*, incident: Incident, item: IncidentDraft, actor, subject: str, text: str) -> DraftRecord:
    """Keep the user's wording; an approval given for the earlier wording no longer holds."""
    record = _record(incident, item)
    record.subject = " ".join(subject.split())[:250]
    record.text = text
    record.language = item.draft.language
    record.edited_by, record.edited_at = actor, timezone.now()
    if record.approval == Approval.REJECTED:
        record.approval = Approval.PENDING  # changed after a rejection: legal decide again
    record.save()
    events.draft_edited_event(incident=incident, actor=actor, key=record.key, kind=record.kind)
    approvals_recheck(incident=incident, actor=actor, reason=_("the draft's text was edited"))
    return record


def _check_channel(item: IncidentDraft, via: str) -> None:
    if via not in DraftRecord.SentVia.values:
        raise ValueError(_("Say how it went out: one of %(choices)s.") % {"choices": ", ".join(DraftRecord.SentVia.values)})
    phone = via == DraftRecord.SentVia.PHONE
    if phone != (item.draft.kind == "call_script"):
        raise ValueError(_("A call script is marked as a call made; an email is marked as sent by email."))


@transaction.atomic
def draft_mark_sent(*, incident: Incident, item: IncidentDraft, actor, via: str) -> DraftRecord:
    """Record that it went out; the first correction sets the incident's time-to-correction."""
    _check_channel(item, via)
    item.check_may_leave()
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


def may_decide(user) -> bool:
    """Only Legal (or a superuser) approve or reject drafts."""
    return user.is_authenticated and (user.is_superuser or LEGAL in user_roles(user))


@transaction.atomic
def draft_decide(*, incident: Incident, item: IncidentDraft, actor, approve: bool, comment: str) -> DraftRecord:
    """Legal's approval (of exactly this text and these facts) or rejection, with their comment.

    Deciding is also legal's acknowledgement of the incident's legal route.
    """
    from .escalation.flow import escalation_acknowledge

    if not may_decide(actor):
        raise PermissionDenied(_("Only Legal can approve or reject a draft."))
    if not item.draft.needs_legal_approval:
        raise StateConflict(_("This draft does not need legal's approval."))
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValueError(_("Say why it is rejected, so the sender knows what to change."))
    record = _record(incident, item)
    record.approval = Approval.APPROVED if approve else Approval.REJECTED
    record.approval_by, record.approval_at, record.approval_comment = actor, timezone.now(), comment
    record.approved_fingerprint = item.digest if approve else ""
    record.approved_language, record.approved_tone = item.draft.language, item.tone
    record.save()
    events.draft_decided_event(incident=incident, actor=actor, key=record.key, kind=record.kind,
                               approved=approve, comment=comment)
    escalation_acknowledge(incident=incident, actor=actor, route="legal", via="legal_decision")
    return record


def approvals_recheck(*, incident: Incident, actor, reason: str) -> list[DraftRecord]:
    """Drop every approval whose draft (text, recipients or offer facts) changed; tell legal it needs them again."""
    from .escalation.flow import escalation_start

    dropped = []
    rendered: dict[tuple[str, str], dict[str, IncidentDraft]] = {}
    for record in incident.draft_records.filter(approval=Approval.APPROVED):
        variant = (record.approved_language or None, record.approved_tone or "polite")
        if variant not in rendered:
            items = incident_drafts(incident, language=variant[0], tone=variant[1])
            rendered[variant] = {item.draft.key: item for item in items}
        item = rendered[variant].get(record.key)
        if item is not None and item.digest == record.approved_fingerprint:
            continue
        record.approval = Approval.PENDING
        record.save(update_fields=["approval"])
        events.draft_approval_dropped_event(incident=incident, actor=actor, key=record.key, kind=record.kind, reason=reason)
        dropped.append(record)
    if dropped and incident.status != "resolved":
        keys = ", ".join(r.key for r in dropped)
        escalation_start(incident=incident, route="legal", actor=actor,
                         reason=_("Approval needed again for %(keys)s: %(reason)s") % {"keys": keys, "reason": reason})
    return dropped


def sending_enabled() -> bool:
    return bool(settings.MISSEND_DRAFT_SENDING)


def draft_send(*, incident: Incident, item: IncidentDraft, actor) -> DraftRecord:
    """Send the draft through the configured SMTP server from the user's own address, then record it.

    The address typed into the report as the sender is never used: it is what someone said, not
    a mailbox this user owns.
    """
    draft = item.draft
    if draft.kind == "call_script":
        raise StateConflict(_("A call script is read on the phone, not sent."))
    item.check_may_leave()
    if not sending_enabled():
        raise StateConflict(_("Sending from Missend Desk is not set up; download the .eml instead."))
    sender = _own_mailbox(actor)
    headers = {"Sender": settings.DEFAULT_FROM_EMAIL}
    parent = message_id(incident.message_id)
    if parent:
        headers.update({"In-Reply-To": parent, "References": parent})
    message = EmailMultiAlternatives(
        subject=draft.subject, body=draft.text, from_email=check_address(sender.address),
        to=[check_address(c.address) for c in draft.to], cc=[check_address(c.address) for c in draft.cc],
        headers=headers,
    )
    if draft.html:
        message.attach_alternative(draft.html, "text/html")
    message.send(fail_silently=False)
    return draft_mark_sent(incident=incident, item=item, actor=actor, via=DraftRecord.SentVia.APP)


def drafts_sync_approvals(incident: Incident, specs=None) -> None:
    """Drafts that need legal's approval wait in the legal queue from the moment they exist."""
    if specs is None:
        specs = choose_drafts(draft_facts(incident))
    needed = {spec.key: spec for spec in specs if spec.needs_legal_approval}
    for key, spec in needed.items():
        DraftRecord.objects.get_or_create(
            incident=incident, key=key,
            defaults={"kind": spec.kind, "language": spec.language, "approval": Approval.PENDING},
        )
    incident.draft_records.filter(key__in=needed, approval=Approval.NOT_NEEDED).update(approval=Approval.PENDING)
    incident.draft_records.filter(approval=Approval.PENDING).exclude(key__in=needed).update(approval=Approval.NOT_NEEDED)
