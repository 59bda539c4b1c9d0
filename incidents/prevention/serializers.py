"""POST /api/precheck/: the draft in, the warnings out (the same check as the "Before you send" page)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import serializers

from incidents.assessment import Party
from incidents.core.addresses import parse_address_list
from incidents.precheck import OutgoingDraft
from incidents.prevention.inputs import FIELDS, MAX_ATTACHMENT_NAME, MAX_ATTACHMENTS, NEEDS_A_RECIPIENT, max_addresses
from incidents.reports.report import MAX_BODY, MAX_SUBJECT
from incidents.vocabulary import WarningCode


class AddressesField(serializers.ListField):
    """A list of addresses ("a@b.com" or "Name <a@b.com>"), de-duplicated, lower-cased; each bad one named."""

    child = serializers.CharField(max_length=998)

    def to_internal_value(self, data):
        items = super().to_internal_value(data)
        if len(items) > max_addresses():
            raise serializers.ValidationError(
                _("At most %(limit)d addresses per field; %(count)d were given.")
                % {"limit": max_addresses(), "count": len(items)},
                code="too_many",
            )
        found, bad = [], []
        for item in items:
            try:
                parsed = parse_address_list(item)
            except DjangoValidationError:
                parsed = []
            if len(parsed) != 1:
                bad.append(item)
            elif parsed[0].address not in found:
                found.append(parsed[0].address)
        if bad:
            raise serializers.ValidationError(
                _("Not one valid email address: %(items)s") % {"items": ", ".join(bad)}, code="invalid"
            )
        return found


class PrecheckInSerializer(serializers.Serializer):
    to = AddressesField(
        required=False,
        default=list,
        help_text='Addresses, e.g. "buyer@acme.com" or '
        '"Li Wei <li.wei@globex.com.cn>"; at most MISSEND_MAX_ADDRESSES_PER_FIELD (500) a field.',
    )
    cc = AddressesField(required=False, default=list)
    bcc = AddressesField(required=False, default=list)
    subject = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=MAX_SUBJECT, trim_whitespace=False
    )
    body = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=MAX_BODY,
        trim_whitespace=False,
        help_text='Plain text, at most 1,000,000 characters; quoted lines ("> ...") are not checked.',
    )
    attachments = serializers.ListField(
        child=serializers.CharField(max_length=MAX_ATTACHMENT_NAME),
        required=False,
        default=list,
        max_length=MAX_ATTACHMENTS,
        help_text="The attached files' names (at most 200).",
    )
    keep = serializers.BooleanField(
        required=False,
        default=False,
        help_text="true: keep the draft and its warnings for the caller; else nothing is stored.",
    )

    def validate(self, data):
        if not any(data.get(name) for name, _field in FIELDS):
            raise serializers.ValidationError({"to": [NEEDS_A_RECIPIENT]}, code="required")
        return data

    @staticmethod
    def draft(data: dict) -> OutgoingDraft:
        recipients = tuple(Party(address, field) for name, field in FIELDS for address in data.get(name) or ())
        return OutgoingDraft(recipients, data["subject"], data["body"], tuple(data["attachments"]))


class PrecheckWarningSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=WarningCode.values, help_text="Stable: act on it.")
    message = serializers.CharField(help_text="The warning as a sentence in the caller's language.")
    params = serializers.DictField(help_text="The addresses, organisations and figures it names; keys per code.")


class PrecheckOutSerializer(serializers.Serializer):
    warnings = PrecheckWarningSerializer(many=True)
    kept = serializers.IntegerField(allow_null=True, help_text="The kept check's id with keep=true, else null.")
