"""Drafts in the API: a draft as read, and the bodies of editing, deciding, marking sent and sending."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from incidents.vocabulary import DraftApproval, DraftDecision, DraftKind, DraftLanguage, SentVia


class ContactSerializer(serializers.Serializer):
    address = serializers.EmailField()
    name = serializers.CharField(allow_blank=True)


class DraftOutSerializer(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.ChoiceField(choices=DraftKind.values)
    language = serializers.ChoiceField(choices=DraftLanguage.values)
    tone = serializers.CharField()
    organisation = serializers.CharField(allow_blank=True)
    to = ContactSerializer(many=True)
    cc = ContactSerializer(many=True)
    subject = serializers.CharField(allow_blank=True)
    text = serializers.CharField(allow_blank=True)
    html = serializers.CharField(allow_null=True)
    notes_for_sender = serializers.ListField(
        child=serializers.CharField(), help_text="For the sender; never in the email."
    )
    template_warnings = serializers.ListField(child=serializers.CharField())
    needs_legal_approval = serializers.BooleanField()
    approval = serializers.ChoiceField(choices=DraftApproval.values)
    blocked_reason = serializers.CharField(allow_null=True, help_text="Why it may not leave now; null when it may.")
    edited = serializers.BooleanField()
    sent_at = serializers.DateTimeField(allow_null=True)
    eml_url = serializers.URLField(allow_null=True)


def draft_payload(request, incident, item, language, tone) -> dict:
    draft = item.draft
    eml_url = None
    if draft.kind != DraftKind.CALL_SCRIPT:
        path = reverse("api-incident-draft-eml", args=[incident.pk, draft.key])
        query = "&".join(f"{k}={v}" for k, v in (("language", language), ("tone", tone)) if v)
        eml_url = request.build_absolute_uri(path + (f"?{query}" if query else ""))
    contacts = lambda people: [{"address": c.address, "name": c.name} for c in people]  # noqa: E731
    return {
        "key": draft.key,
        "kind": draft.kind,
        "language": draft.language,
        "tone": draft.tone,
        "organisation": draft.organisation,
        "to": contacts(draft.to),
        "cc": contacts(draft.cc),
        "subject": draft.subject,
        "text": draft.text,
        "html": draft.html,
        "notes_for_sender": list(getattr(draft, "notes_for_sender", ())),
        "template_warnings": list(getattr(draft, "template_warnings", ())),
        "needs_legal_approval": draft.needs_legal_approval,
        "approval": item.approval,
        "blocked_reason": item.refusal,
        "edited": item.edited,
        "sent_at": item.record.sent_at if item.record else None,
        "eml_url": eml_url,
    }


class DraftEditSerializer(serializers.Serializer):
    subject = serializers.CharField(max_length=250)
    text = serializers.CharField(max_length=100_000, trim_whitespace=False)


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=DraftDecision.values)
    comment = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class SentSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=SentVia.choices, help_text="How it went out.")


class SendSerializer(serializers.Serializer):
    confirm = serializers.BooleanField(
        help_text="Must be true: you want Missend Desk to send it now, from your address."
    )
