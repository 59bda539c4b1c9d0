"""The drafts of an incident as the app shows them: generated, then edited, approved and sent.

The legal gate is decided here: a draft that needs legal's approval leaves by no path (in-app
send, .eml, mailto, copy, "mark as sent") until legal have approved the exact text, for the exact
offer facts, that it has now. Pages and the API ask `IncidentDraft.refusal`; the writes in
services/drafts.py refuse on their own as well.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.conf import settings
from django.utils.translation import gettext as _

from incidents.correspondence import Contact, Draft, DraftFacts, build_eml, choose_drafts, render_draft
from incidents.correspondence.approval import approval_digest
from incidents.directory import selectors as engine_inputs
from incidents.directory.selectors import DirectoryData
from incidents.errors import StateConflict
from incidents.models import DraftRecord, DraftTemplate, Incident
from incidents.reports.selectors import LEGAL, user_roles

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
    return engine_inputs.draft_facts(
        incident,
        recipients,
        directory or engine_inputs.load_directory(),
        readers=engine_inputs.internal_readers(incident),
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
    from incidents.accounts.selectors import sending_address_for

    return sending_address_for(user)


def own_mailbox(user) -> Contact:
    address = sending_address(user)
    if not address:
        raise StateConflict(_("Your account has no email address to send from. Ask an administrator to add one."))
    return Contact(address=address, name=user.get_full_name())


def draft_eml(incident: Incident, item: IncidentDraft, *, user) -> bytes:
    """The draft as an unsent message from the user's own mailbox; refused while legal's approval is missing."""
    if item.draft.kind == "call_script":
        raise StateConflict(_("A call script is read on the phone, not sent: it has no .eml."))
    item.check_may_leave()
    return build_eml(item.draft, sender=own_mailbox(user), in_reply_to=incident.message_id or None)


def may_decide(user) -> bool:
    """Only Legal (or a superuser) approve or reject drafts."""
    return user.is_authenticated and (user.is_superuser or LEGAL in user_roles(user))


def sending_enabled() -> bool:
    return bool(settings.MISSEND_DRAFT_SENDING)
