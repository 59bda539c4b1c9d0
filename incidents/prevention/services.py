"""The pre-send check's write and reads: checking a draft stores nothing; keeping a check is the one write."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from incidents.models import KeptCheck
from incidents.precheck import OutgoingDraft, Warning, check_draft
from incidents.prevention.selectors import precheck_context


def draft_check(*, draft: OutgoingDraft) -> tuple[Warning, ...]:
    """The warnings a draft earns against the directory, the word lists and the price floors (no write)."""
    return check_draft(draft, precheck_context())


def warnings_payload(warnings: tuple[Warning, ...]) -> list[dict]:
    """The warnings as stored and sent: stable codes and plain params, no sentences (those follow the reader)."""
    return [{"code": w.code, "params": w.params} for w in warnings]


def stored_warnings(kept: KeptCheck) -> tuple[Warning, ...]:
    return tuple(Warning(item["code"], item.get("params") or {}) for item in kept.warnings or ())


@transaction.atomic
def kept_check_create(*, owner, draft: OutgoingDraft, warnings: tuple[Warning, ...]) -> KeptCheck:
    """Keep a check its user asked to keep: the draft as checked and the warnings it got. A subject longer than
    the column (a draft may have 998 characters, as a mail header) is kept shortened, ending in "…"."""
    limit = KeptCheck._meta.get_field("subject").max_length
    subject = draft.subject if len(draft.subject) <= limit else draft.subject[: limit - 1] + "…"
    kept = KeptCheck(
        owner=owner,
        subject=subject,
        recipients=[{"address": p.address, "field": p.field} for p in draft.recipients],
        attachments=list(draft.attachments),
        body=draft.body,
        warnings=warnings_payload(warnings),
    )
    kept.full_clean()
    kept.save()
    return kept


def kept_checks_of(user) -> QuerySet[KeptCheck]:
    """The user's own kept checks, newest first; nobody else's, whoever asks."""
    return KeptCheck.objects.filter(owner=user).order_by("-created_at", "-id")


def kept_check_delete(*, owner, kept_id: int) -> bool:
    """Delete one of the owner's kept checks; False when they have no such check."""
    deleted, _by_model = kept_checks_of(owner).filter(pk=kept_id).delete()
    return bool(deleted)
