"""The incident as the API reads it back: its report, its latest assessment and its review, in one answer."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema_field
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from incidents.models import Incident, Recipient
from incidents.reports.presentation import factor_detail, recall_advice, stored_factors, stored_recall
from incidents.review.serializers import ReviewOutSerializer
from incidents.vocabulary import RECIPIENT_RECALL_VERDICTS, RecallVerdict, Route


class FactorSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()


class RouteSerializer(serializers.Serializer):
    manager = serializers.BooleanField()
    legal = serializers.BooleanField()


class RecipientRecallSerializer(serializers.Serializer):
    address = serializers.CharField()
    verdict = serializers.ChoiceField(choices=[verdict.value for verdict in RECIPIENT_RECALL_VERDICTS])


class RecallSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=RecallVerdict.values)
    advice = serializers.CharField()
    recipients = RecipientRecallSerializer(many=True)


class RecipientOutSerializer(serializers.ModelSerializer):
    class Meta:
        model = Recipient
        fields = ["address", "name", "field"]


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
            "route": {Route.MANAGER: incident.route_manager, Route.LEGAL: incident.route_legal},
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
        return {Route.MANAGER: incident.route_manager, Route.LEGAL: incident.route_legal}

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
