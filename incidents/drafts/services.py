"""Writes about drafts: the sender's wording, sending and marking sent, legal's decisions.

Each refuses on its own what the legal gate forbids (StateConflict) and what the actor may not do
(PermissionDenied), so every path (page, API) gets the same answer.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents import access
from incidents.correspondence import check_address, choose_drafts, message_id
from incidents.drafts.selectors import (
    CORRECTING_KINDS,
    Approval,
    IncidentDraft,
    draft_facts,
    incident_drafts,
    own_mailbox,
    sending_enabled,
)
from incidents.errors import StateConflict
from incidents.models import DraftRecord, DraftTemplate, DraftTemplateVersion, Incident, TimelineEvent
from incidents.platform import mail
from incidents.timeline import events
from incidents.timeline import services as timeline
from incidents.vocabulary import AcknowledgedVia, DraftKind, IncidentStatus, Route, Tone


def draft_record_row(incident: Incident, draft) -> DraftRecord:
    """A draft's record (not saved) before anything is done with it: waiting for legal when the draft needs
    their approval. draft: a chosen draft or its spec (key, kind, language, needs_legal_approval)."""
    return DraftRecord(
        incident=incident,
        key=draft.key,
        kind=draft.kind,
        language=draft.language,
        approval=Approval.PENDING if draft.needs_legal_approval else Approval.NOT_NEEDED,
    )


def draft_marked_sent(record: DraftRecord, incident: Incident, *, actor, via: str, now) -> TimelineEvent:
    """The record of a draft that went out (in memory), and the incident's time-to-correction when it is
    the first correction; its timeline row."""
    record.sent_at, record.sent_by, record.sent_via = now, actor, via
    if record.kind in CORRECTING_KINDS and incident.first_correction_at is None:
        incident.first_correction_at = now
    return events.DRAFT_SENT.row(
        incident=incident,
        actor=actor,
        key=record.key,
        kind=record.kind,
        via=via,
        minutes_from_mistake=round((now - incident.sent_at).total_seconds() / 60, 1),
        minutes_from_report=round((now - incident.created_at).total_seconds() / 60, 1),
    )


def draft_decided(
    record: DraftRecord,
    incident: Incident,
    *,
    actor,
    approve: bool,
    comment: str,
    digest: str,
    language: str,
    tone: str,
    now,
) -> TimelineEvent:
    """Legal's decision on the record (in memory): approved, with the digest of exactly what they approved and
    the language and tone it was in, or rejected; its timeline row."""
    record.approval = Approval.APPROVED if approve else Approval.REJECTED
    record.approval_by, record.approval_at, record.approval_comment = actor, now, comment
    record.approved_fingerprint = digest if approve else ""
    record.approved_language, record.approved_tone = language, tone
    entry = events.DRAFT_APPROVED if approve else events.DRAFT_REJECTED
    return entry.row(incident=incident, actor=actor, key=record.key, kind=record.kind, comment=comment)


def _record(incident: Incident, item: IncidentDraft) -> DraftRecord:
    row = draft_record_row(incident, item.draft)
    record, _created = DraftRecord.objects.select_for_update().get_or_create(
        incident=incident,
        key=row.key,
        defaults={"kind": row.kind, "language": row.language, "approval": row.approval},
    )
    return record


@transaction.atomic
def draft_edit(*, incident: Incident, item: IncidentDraft, actor, subject: str, text: str) -> DraftRecord:
    """Keep the user's wording; an approval given for the earlier wording no longer holds."""
    access.require_edit(actor, incident, _("Only the reporter and their managers can edit drafts."))
    record = _record(incident, item)
    record.subject = " ".join(subject.split())[:250]
    record.text = text
    record.language = item.draft.language
    record.edited_by, record.edited_at = actor, timezone.now()
    if record.approval == Approval.REJECTED:
        record.approval = Approval.PENDING  # changed after a rejection: legal decide again
    record.save()
    timeline.draft_edited_event(incident=incident, actor=actor, key=record.key, kind=record.kind)
    approvals_recheck(incident=incident, actor=actor, cause=events.CAUSE_DRAFT_EDITED)
    return record


def _check_channel(item: IncidentDraft, via: str) -> None:
    if via not in DraftRecord.SentVia.values:
        raise ValueError(
            _("Say how it went out: one of %(choices)s.") % {"choices": ", ".join(DraftRecord.SentVia.values)}
        )
    phone = via == DraftRecord.SentVia.PHONE
    if phone != (item.draft.kind == DraftKind.CALL_SCRIPT):
        raise ValueError(_("A call script is marked as a call made; an email is marked as sent by email."))


@transaction.atomic
def draft_mark_sent(*, incident: Incident, item: IncidentDraft, actor, via: str) -> DraftRecord:
    """Record that it went out; the first correction sets the incident's time-to-correction."""
    access.require_edit(actor, incident, _("Only the reporter and their managers can mark drafts sent."))
    _check_channel(item, via)
    item.check_may_leave()
    record = _record(incident, item)
    now = timezone.now()
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    first_correction = incident.first_correction_at
    row = draft_marked_sent(record, incident, actor=actor, via=via, now=now)
    record.save()
    if incident.first_correction_at != first_correction:
        incident.save(update_fields=["first_correction_at"])
    timeline.record(row)
    return record


@transaction.atomic
def draft_decide(*, incident: Incident, item: IncidentDraft, actor, approve: bool, comment: str) -> DraftRecord:
    """Legal's approval (of exactly this text and these facts) or rejection, with their comment.

    Deciding is also legal's acknowledgement of the incident's legal route.
    """
    from incidents.escalation.services import escalation_acknowledge

    access.require_decide_drafts(actor)
    if not item.draft.needs_legal_approval:
        raise StateConflict(_("This draft does not need legal's approval."))
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValueError(_("Say why it is rejected, so the sender knows what to change."))
    record = _record(incident, item)
    row = draft_decided(
        record,
        incident,
        actor=actor,
        approve=approve,
        comment=comment,
        digest=item.digest,
        language=item.draft.language,
        tone=item.tone,
        now=timezone.now(),
    )
    record.save()
    timeline.record(row)
    escalation_acknowledge(incident=incident, actor=actor, route=Route.LEGAL, via=AcknowledgedVia.LEGAL_DECISION)
    return record


def approvals_recheck(*, incident: Incident, actor, cause: str, fields=()) -> list[DraftRecord]:
    """Drop every approval whose draft (text, recipients or offer facts) changed; tell legal it needs them again.

    cause is events.CAUSE_REPORT_CHANGED (with the changed fields) or events.CAUSE_DRAFT_EDITED: the
    timeline stores the cause, so it reads in each reader's language.
    """
    from incidents.escalation.services import escalation_start

    dropped = []
    rendered: dict[tuple[str, str], dict[str, IncidentDraft]] = {}
    for record in incident.draft_records.filter(approval=Approval.APPROVED):
        variant = (record.approved_language or None, record.approved_tone or Tone.POLITE)
        if variant not in rendered:
            items = incident_drafts(incident, language=variant[0], tone=variant[1])
            rendered[variant] = {item.draft.key: item for item in items}
        item = rendered[variant].get(record.key)
        if item is not None and item.digest == record.approved_fingerprint:
            continue
        record.approval = Approval.PENDING
        record.save(update_fields=["approval"])
        timeline.draft_approval_dropped_event(
            incident=incident, actor=actor, key=record.key, kind=record.kind, cause=cause, fields=list(fields)
        )
        dropped.append(record)
    if dropped and incident.status != IncidentStatus.RESOLVED:
        keys = ", ".join(r.key for r in dropped)
        escalation_start(
            incident=incident,
            route=Route.LEGAL,
            actor=actor,
            reason=_("Approval needed again for %(keys)s: %(reason)s")
            % {"keys": keys, "reason": events.approval_drop_reason(cause, fields)},
        )
    return dropped


def draft_send(*, incident: Incident, item: IncidentDraft, actor) -> DraftRecord:
    """Send the draft through the configured SMTP server from the user's own address, then record it.

    The address typed into the report as the sender is never used: it is what someone said, not
    a mailbox this user owns.
    """
    access.require_edit(actor, incident, _("Only the reporter and their managers can send drafts."))
    draft = item.draft
    if draft.kind == DraftKind.CALL_SCRIPT:
        raise StateConflict(_("A call script is read on the phone, not sent."))
    item.check_may_leave()
    if not sending_enabled():
        raise StateConflict(_("Sending from Missend Desk is not set up; download the .eml instead."))
    sender = own_mailbox(actor)
    headers = {"Sender": settings.DEFAULT_FROM_EMAIL}
    parent = message_id(incident.message_id)
    if parent:
        headers.update({"In-Reply-To": parent, "References": parent})
    mail.send(
        mail.Written(f"drafts/{draft.kind}", draft.subject, draft.text, draft.html or ""),
        sender=check_address(sender.address),
        to=[mail.MailReader(check_address(c.address), draft.language) for c in draft.to],
        cc=[mail.MailReader(check_address(c.address), draft.language) for c in draft.cc],
        headers=headers,
    )
    return draft_mark_sent(incident=incident, item=item, actor=actor, via=DraftRecord.SentVia.APP)


def drafts_sync_approvals(incident: Incident, specs=None, *, new: bool = False) -> None:
    """Drafts that need legal's approval wait in the legal queue from the moment they exist.

    new: the incident was just filed, so it has no draft records yet.
    """
    if specs is None:
        specs = choose_drafts(draft_facts(incident))
    needed = {spec.key: spec for spec in specs if spec.needs_legal_approval}
    if new:
        DraftRecord.objects.bulk_create([draft_record_row(incident, spec) for spec in needed.values()])
        return
    for key, spec in needed.items():
        DraftRecord.objects.get_or_create(
            incident=incident,
            key=key,
            defaults={"kind": spec.kind, "language": spec.language, "approval": Approval.PENDING},
        )
    incident.draft_records.filter(key__in=needed, approval=Approval.NOT_NEEDED).update(approval=Approval.PENDING)
    incident.draft_records.filter(approval=Approval.PENDING).exclude(key__in=needed).update(
        approval=Approval.NOT_NEEDED
    )


@transaction.atomic
def draft_template_save(*, template: DraftTemplate, actor) -> DraftTemplate:
    """Save an administrator's template; every new source is kept as a version they can go back to."""
    template.updated_by = actor
    template.save()
    latest = template.versions.first()
    if latest is None or latest.source != template.source:
        DraftTemplateVersion.objects.create(template=template, source=template.source, saved_by=actor)
    return template
