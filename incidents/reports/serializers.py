from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from incidents.core.addresses import Address, validate_single_address
from incidents.message import ParsedMessage
from incidents.models import Incident, Recipient
from incidents.reports.report import (
    MAX_BODY,
    MAX_DISMISSAL,
    MAX_SUBJECT,
    IncidentReport,
    currency_code,
    normalise_message_id,
    report_errors,
)
from incidents.vocabulary import DISMISSABLE_SIGNALS, MailSystem, Problem, RecipientField, RecipientStatus
from incidents.web import json_limits

MAX_ADDRESSES = 500


class SingleAddressField(serializers.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 254)
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> str:
        value = super().to_internal_value(data)
        try:
            return validate_single_address(value)
        except Exception as error:  # Django's ValidationError carries the message we want.
            raise serializers.ValidationError(getattr(error, "messages", [str(error)])) from None


class RecipientInSerializer(serializers.Serializer):
    address = SingleAddressField()
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    field = serializers.ChoiceField(choices=RecipientField.choices, default=RecipientField.TO)


class IncidentInSerializer(serializers.Serializer):
    """The intake fields as JSON; the same rules as the report form."""

    subject = serializers.CharField(max_length=MAX_SUBJECT)
    sent_at = serializers.DateTimeField()
    mail_system = serializers.ChoiceField(choices=MailSystem.choices)
    sender = SingleAddressField()
    recipients = RecipientInSerializer(many=True, allow_empty=False, max_length=3 * MAX_ADDRESSES)
    intended_recipients = serializers.ListField(
        child=SingleAddressField(), required=False, default=list, max_length=MAX_ADDRESSES
    )
    problems = serializers.ListField(
        child=serializers.ChoiceField(choices=Problem.choices), required=False, default=list
    )
    quoted_price = serializers.DecimalField(
        max_digits=18, decimal_places=4, min_value=0, required=False, allow_null=True, default=None
    )
    correct_price = serializers.DecimalField(
        max_digits=18, decimal_places=4, min_value=0, required=False, allow_null=True, default=None
    )
    currency = serializers.CharField(
        max_length=3, required=False, allow_blank=True, default="", validators=[currency_code]
    )
    firm_offer = serializers.BooleanField(required=False, default=False)
    recipient_status = serializers.ChoiceField(choices=RecipientStatus.choices, default=RecipientStatus.UNKNOWN)
    body = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=MAX_BODY, trim_whitespace=False
    )
    attachments = serializers.ListField(
        child=serializers.CharField(max_length=255), required=False, default=list, max_length=200
    )

    message_id = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=998,
        help_text="The original Message-ID, so corrections thread under the mistaken email.",
    )
    dismissed_signals = serializers.DictField(
        child=serializers.CharField(max_length=MAX_DISMISSAL, allow_blank=True),
        required=False,
        default=dict,
        help_text='Detected signals the reporter says are wrong, each with the reason: {"personal_data": "it is an '
        'order number"}. Only personal_data can be dismissed, and not when it is also a problem. '
        "{} takes every dismissal back.",
    )

    def validate_dismissed_signals(self, value: dict) -> dict:
        unknown = sorted(set(value) - set(DISMISSABLE_SIGNALS))
        if unknown:
            raise serializers.ValidationError(
                _("Only %(known)s can be dismissed, not %(unknown)s.")
                % {"known": ", ".join(DISMISSABLE_SIGNALS), "unknown": ", ".join(unknown)}
            )
        empty = sorted(key for key, reason in value.items() if not reason.strip())
        if empty:
            raise serializers.ValidationError(
                _("Say why %(signals)s is wrong: a dismissal needs a reason.") % {"signals": ", ".join(empty)}
            )
        return {key: reason.strip() for key, reason in value.items()}

    def validate_message_id(self, value: str) -> str:
        try:
            return normalise_message_id(value)
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from None

    def validate_currency(self, value: str) -> str:
        return value.upper()

    def validate(self, attrs):
        report = self.to_report(attrs)
        errors = report_errors(report)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    @staticmethod
    def to_report(attrs) -> IncidentReport:
        seen: set[str] = set()
        recipients = []
        for item in attrs["recipients"]:
            if item["address"] not in seen:
                seen.add(item["address"])
                recipients.append((Address(item["address"], item.get("name", "")), item["field"]))
        return IncidentReport(
            subject=attrs["subject"],
            sent_at=attrs["sent_at"],
            mail_system=attrs["mail_system"],
            sender=attrs["sender"],
            recipients=recipients,
            intended=[Address(a) for a in dict.fromkeys(attrs.get("intended_recipients", []))],
            problems=list(dict.fromkeys(attrs.get("problems", []))),
            quoted_price=attrs.get("quoted_price"),
            correct_price=attrs.get("correct_price"),
            currency=attrs.get("currency", ""),
            firm_offer=attrs.get("firm_offer", False),
            recipient_status=attrs.get("recipient_status", RecipientStatus.UNKNOWN),
            body=attrs.get("body", ""),
            attachments=attrs.get("attachments", []),
            message_id=attrs.get("message_id", ""),
            dismissed_signals=dict(attrs.get("dismissed_signals") or {}),
        )


class IncidentPatchSerializer(IncidentInSerializer):
    """PATCH: any subset of the intake fields; what is left out stays as reported."""

    def __init__(self, *args, **kwargs):
        kwargs["partial"] = True
        super().__init__(*args, **kwargs)


def report_payload(incident: Incident) -> dict:
    """The incident's report in the intake's JSON shape, so a PATCH can be validated as a whole report."""
    recipients = list(incident.recipients.all())
    amount = lambda value: None if value is None else str(value)  # noqa: E731
    return {
        "subject": incident.subject,
        "sent_at": incident.sent_at.isoformat(),
        "mail_system": incident.mail_system,
        "sender": incident.sender,
        "recipients": [
            {"address": r.address, "name": r.name, "field": r.field} for r in recipients if r.role == Recipient.ACTUAL
        ],
        "intended_recipients": [r.address for r in recipients if r.role == Recipient.INTENDED],
        "problems": list(incident.problems),
        "quoted_price": amount(incident.quoted_price),
        "correct_price": amount(incident.correct_price),
        "currency": incident.currency,
        "firm_offer": incident.firm_offer,
        "recipient_status": incident.recipient_status,
        "body": incident.body,
        "attachments": list(incident.attachments),
        "message_id": incident.message_id,
        "dismissed_signals": dict(incident.dismissed_signals or {}),
    }


# Reading a sent message (POST /api/incidents/import/ and the import_message command).
class MessageImportSerializer(serializers.Serializer):
    """The multipart body: the message file and, to file at once, what the message cannot say."""

    file = serializers.FileField(help_text="The sent message, .eml or .msg (25 MB at most by default). Not kept.")
    report = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        trim_whitespace=False,
        max_length=MAX_BODY * 2,
        help_text="A JSON object of intake fields (as for POST /api/incidents/) that complete or replace what "
        'the message says, e.g. {"problems": ["wrong_recipient"], "intended_recipients": '
        '["buyer@acme.com"]}. Used when filing (file=true).',
    )

    keep = serializers.BooleanField(
        required=False,
        default=False,
        help_text="true (with file=true): keep the message as evidence with the incident, stored with its SHA-256.",
    )

    def validate_report(self, value: str) -> dict:
        if not value.strip():
            return {}
        try:
            report = json_limits.loads(value)
        except ValueError:
            report = None
        if not isinstance(report, dict):
            raise serializers.ValidationError(_("Give a JSON object of report fields."))
        return report


class MessageFieldsSerializer(serializers.Serializer):
    """What the message says, in the intake's JSON shape (the people it was meant for are left to you)."""

    subject = serializers.CharField(allow_blank=True)
    sent_at = serializers.DateTimeField(allow_null=True, help_text="null when the message has no usable Date.")
    mail_system = serializers.ChoiceField(choices=MailSystem.choices, help_text='"other" when the headers do not tell.')
    sender = serializers.CharField(allow_blank=True)
    recipients = RecipientInSerializer(many=True)
    intended_recipients = serializers.ListField(child=serializers.CharField())
    problems = serializers.ListField(child=serializers.ChoiceField(choices=Problem.choices))
    body = serializers.CharField(allow_blank=True, trim_whitespace=False)
    attachments = serializers.ListField(child=serializers.CharField())
    message_id = serializers.CharField(allow_blank=True)


class MessageReadSerializer(serializers.Serializer):
    fields = MessageFieldsSerializer()
    warnings = serializers.ListField(child=serializers.CharField(), help_text="What could not be read cleanly.")
    suggested_organisations = serializers.ListField(
        child=serializers.CharField(), help_text="Clients the subject or body names that did not receive it."
    )


def message_payload(parsed: ParsedMessage) -> dict:
    """The message's report fields in the intake's JSON shape, ready for IncidentInSerializer."""
    people = ((RecipientField.TO, parsed.to), (RecipientField.CC, parsed.cc), (RecipientField.BCC, parsed.bcc))
    return {
        "subject": parsed.subject,
        "sent_at": parsed.sent_at,
        # The API has no "user's default" to fall back on: say plainly that we do not know.
        "mail_system": parsed.mail_system or MailSystem.OTHER,
        "sender": parsed.sender.address if parsed.sender else "",
        "recipients": [
            {"address": a.address, "name": a.name, "field": field} for field, group in people for a in group
        ],
        "intended_recipients": [],
        "problems": [],
        "body": parsed.body,
        "attachments": list(parsed.attachments),
        "message_id": parsed.message_id,
    }
