from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from incidents.choices import MailSystem, Problem, RecipientField, RecipientStatus
from incidents.core.addresses import Address, validate_single_address
from incidents.message import ParsedMessage
from incidents.models import Incident, PostIncidentReview, Recipient
from incidents.reports.forms import MAX_BODY, MAX_DISMISSAL, MAX_SUBJECT, currency_code
from incidents.reports.presentation import factor_detail, recall_advice, stored_factors, stored_recall
from incidents.reports.report import DISMISSABLE_SIGNALS, IncidentReport, normalise_message_id, report_errors
from incidents.review.rules import CAUSE_OTHER_MAX, CAUSES, DAMAGE_MAX, HABITS, NO_HABIT_REASON_MAX
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


class FactorSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()


class RouteSerializer(serializers.Serializer):
    manager = serializers.BooleanField()
    legal = serializers.BooleanField()


class RecipientRecallSerializer(serializers.Serializer):
    address = serializers.CharField()
    verdict = serializers.ChoiceField(choices=["maybe", "no"])


class RecallSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=["maybe", "partial", "no"])
    advice = serializers.CharField()
    recipients = RecipientRecallSerializer(many=True)


class RecipientOutSerializer(serializers.ModelSerializer):
    class Meta:
        model = Recipient
        fields = ["address", "name", "field"]


class ReviewOutSerializer(serializers.ModelSerializer):
    """The post-incident review, by codes (labels are for pages)."""

    cause = serializers.ChoiceField(choices=CAUSES)
    habits = serializers.ListField(
        child=serializers.ChoiceField(choices=HABITS), help_text="Prevention steps adopted; empty with no_habit_reason."
    )
    reviewed_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = PostIncidentReview
        fields = [
            "cause",
            "cause_other",
            "damage_limited_by",
            "habits",
            "no_habit_reason",
            "reviewed_by",
            "reviewed_at",
        ]


class ReviewInSerializer(serializers.Serializer):
    """The review given when resolving: required for high and critical incidents, optional below."""

    cause = serializers.ChoiceField(choices=CAUSES, required=False, allow_blank=True, default="")
    cause_other = serializers.CharField(
        max_length=CAUSE_OTHER_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text='What caused it, with cause "other".',
    )
    damage_limited_by = serializers.CharField(max_length=DAMAGE_MAX, required=False, allow_blank=True, default="")
    habits = serializers.ListField(
        child=serializers.ChoiceField(choices=HABITS),
        required=False,
        default=list,
        help_text="At least one, unless no_habit_reason says why none was adopted.",
    )
    no_habit_reason = serializers.CharField(
        max_length=NO_HABIT_REASON_MAX, required=False, allow_blank=True, default=""
    )


class IncidentOutSerializer(serializers.ModelSerializer):
    """An incident with its latest assessment."""

    url = serializers.SerializerMethodField()
    factors = serializers.SerializerMethodField()
    route = serializers.SerializerMethodField()
    recall = serializers.SerializerMethodField()
    recipients = serializers.SerializerMethodField()
    intended_recipients = serializers.SerializerMethodField()
    dismissed_signals = serializers.DictField(
        child=serializers.CharField(),
        read_only=True,
        help_text='Detected signals the reporter dismissed, with the reason: {"personal_data": "..."}.',
    )
    review = serializers.SerializerMethodField(help_text="The post-incident review given on resolving, or null.")

    class Meta:
        model = Incident
        fields = [
            "id",
            "url",
            "status",
            "severity",
            "factors",
            "route",
            "recall",
            "regulatory_deadline",
            "subject",
            "sent_at",
            "mail_system",
            "sender",
            "recipients",
            "intended_recipients",
            "problems",
            "quoted_price",
            "correct_price",
            "currency",
            "firm_offer",
            "recipient_status",
            "attachments",
            "message_id",
            "dismissed_signals",
            "created_at",
            "review",
        ]

    def to_representation(self, incident) -> dict:
        """The fields of Meta.fields as DRF's fields give them, built as plain data.

        A list of 50 spent more time in DRF's per-field machinery (and in building this serializer's
        fields from the model on every request) than in everything else; the values are the same
        (tests/test_speed_api_detail.py compares this with DRF's own field-by-field answer).
        """
        zone, language, (url_head, url_tail) = self._shared()
        recipients, intended = [], []
        rows = getattr(incident, "recipient_rows", None)
        if rows is None:
            rows = [(r.role, r.field, r.address, r.name) for r in incident.recipients.all()]
        for role, field, address, name in rows:
            if role == Recipient.ACTUAL:
                recipients.append({"address": address, "name": name, "field": field})
            elif role == Recipient.INTENDED:
                intended.append(address)
        return {
            "id": int(incident.pk),
            "url": f"{url_head}{incident.pk}{url_tail}",
            "status": incident.status,
            "severity": incident.severity,
            "factors": self.get_factors(incident, language),
            "route": {"manager": incident.route_manager, "legal": incident.route_legal},
            "recall": self.get_recall(incident, language),
            "regulatory_deadline": _datetime(incident.regulatory_deadline, zone),
            "subject": _text(incident.subject),
            "sent_at": _datetime(incident.sent_at, zone),
            "mail_system": incident.mail_system,
            "sender": _text(incident.sender),
            "recipients": recipients,
            "intended_recipients": intended,
            "problems": incident.problems,
            "quoted_price": _amount(incident.quoted_price),
            "correct_price": _amount(incident.correct_price),
            "currency": _text(incident.currency),
            "firm_offer": None if incident.firm_offer is None else bool(incident.firm_offer),
            "recipient_status": incident.recipient_status,
            "attachments": incident.attachments,
            "message_id": _text(incident.message_id),
            "dismissed_signals": _reasons(incident.dismissed_signals),
            "created_at": _datetime(incident.created_at, zone),
            "review": self.get_review(incident),
        }

    def _shared(self) -> tuple:
        """What every row of one answer shares, looked up for its first row: the time zone (see _datetime),
        the language and the incident URL around its id (reverse() and build_absolute_uri() once, not
        per row)."""
        shared = self.__dict__.get("_shared_parts")
        if shared is None:
            path = reverse("incidents:detail", args=[_URL_MARK])
            request = self.context.get("request")
            head, _mark, tail = (request.build_absolute_uri(path) if request else path).rpartition(str(_URL_MARK))
            shared = self._shared_parts = (_iso_zone(), get_language(), (head, tail))
        return shared

    def get_url(self, incident) -> str:
        request = self.context.get("request")
        path = incident.get_absolute_url()
        return request.build_absolute_uri(path) if request else path

    # The nested parts are built as plain data: a nested serializer per part and row cost more than the
    # rest of the list page together (a list of 50 took about 100 ms). The schema still names each shape.
    @extend_schema_field(FactorSerializer(many=True))
    def get_factors(self, incident, language: str | None = None) -> list[dict]:
        return [{"code": f.code, "detail": factor_detail(f, language)} for f in stored_factors(incident)]

    @extend_schema_field(RouteSerializer)
    def get_route(self, incident) -> dict:
        return {"manager": incident.route_manager, "legal": incident.route_legal}

    @extend_schema_field(RecallSerializer)
    def get_recall(self, incident, language: str | None = None) -> dict:
        recall = stored_recall(incident)
        return {
            "verdict": recall.verdict,
            "advice": recall_advice(recall, language),
            "recipients": [{"address": r.address, "verdict": r.verdict} for r in recall.recipients],
        }

    def _recipients(self, incident, role):
        return [r for r in incident.recipients.all() if r.role == role]

    @extend_schema_field(RecipientOutSerializer(many=True))
    def get_recipients(self, incident) -> list[dict]:
        return [
            {"address": r.address, "name": r.name, "field": r.field}
            for r in self._recipients(incident, Recipient.ACTUAL)
        ]

    def get_intended_recipients(self, incident) -> list[str]:
        return [r.address for r in self._recipients(incident, Recipient.INTENDED)]

    @extend_schema_field(ReviewOutSerializer(allow_null=True))
    def get_review(self, incident) -> dict | None:
        review = getattr(incident, "review", None)  # a missing one-to-one raises an AttributeError subclass
        if review is None:
            return None
        return {
            "cause": review.cause,
            "cause_other": review.cause_other,
            "damage_limited_by": review.damage_limited_by,
            "habits": list(review.habits),
            "no_habit_reason": review.no_habit_reason,
            "reviewed_by": review.reviewed_by.username if review.reviewed_by_id else None,
            "reviewed_at": _DATETIME.to_representation(review.reviewed_at) if review.reviewed_at else None,
        }


def with_recipient_rows(incidents: list[Incident]) -> list[Incident]:
    """Each incident with its recipients as plain rows (role, field, address, name) in ``recipient_rows``,
    read in one query for them all, for IncidentOutSerializer. prefetch_related("recipients") costs the
    same query but builds a model per recipient and a queryset per incident."""
    rows: dict[int, list[tuple]] = {incident.pk: [] for incident in incidents}
    if rows:
        found = (
            Recipient.objects.filter(incident_id__in=list(rows))
            .order_by("id")
            .values_list("incident_id", "role", "field", "address", "name")
        )
        for incident_id, *row in found:
            rows[incident_id].append(tuple(row))
    for incident in incidents:
        incident.recipient_rows = rows[incident.pk]
    return incidents


_DATETIME = serializers.DateTimeField()
_AMOUNT = serializers.DecimalField(
    max_digits=Incident._meta.get_field("quoted_price").max_digits,
    decimal_places=Incident._meta.get_field("quoted_price").decimal_places,
)
_URL_MARK = 987654321987654321


# DRF leaves None as None and gives everything else to the field's to_representation.
def _datetime(value, zone=None):
    """DateTimeField.to_representation(value); given ``zone`` (_iso_zone(), looked up once per answer),
    an aware datetime is written here directly, as DRF would write it."""
    if value is None:
        return None
    if zone is not None and value.utcoffset() is not None:
        try:
            text = value.astimezone(zone).isoformat()
        except OverflowError:
            return _DATETIME.to_representation(value)  # DRF's own error
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    return _DATETIME.to_representation(value)


def _iso_zone():
    """The current time zone when DRF writes datetimes as ISO 8601 in it (its defaults), else None."""
    output = getattr(_DATETIME, "format", api_settings.DATETIME_FORMAT)
    if isinstance(output, str) and output.lower() == ISO_8601 and settings.USE_TZ:
        return timezone.get_current_timezone()
    return None


def _amount(value):
    return None if value is None else _AMOUNT.to_representation(value)


def _text(value):
    return None if value is None else str(value)


def _reasons(value):
    return (
        None if value is None else {str(key): None if reason is None else str(reason) for key, reason in value.items()}
    )


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


class EvidenceSerializer(serializers.Serializer):
    """A sent message kept as evidence (download it from download_url)."""

    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField(help_text="Bytes.")
    sha256 = serializers.CharField(help_text="Hex SHA-256 of the file as kept.")
    kept_at = serializers.DateTimeField(source="uploaded_at")
    kept_by = serializers.CharField(source="uploaded_by.username", default=None, allow_null=True)
    source = serializers.CharField()
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, evidence) -> str:
        return reverse("api-incident-evidence-file", args=[evidence.incident_id, evidence.pk])


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The sent message, .eml or .msg; it must be readable as an email.")


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
    people = (("to", parsed.to), ("cc", parsed.cc), ("bcc", parsed.bcc))
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
