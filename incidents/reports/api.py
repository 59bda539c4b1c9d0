"""The JSON API: everything a person can do on the pages, with the same rules.

400: field errors; 401: not logged in; 403: you may see it but not do that; 404: you may not see
it; 409: nobody may do that now (a withdrawal waiting for legal, a resolved incident).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, renderers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from incidents.directory import selectors as engine_inputs
from incidents.drafts import selectors as drafting
from incidents.drafts.services import draft_decide, draft_edit, draft_mark_sent, draft_send
from incidents.drafts.views import draft_choice
from incidents.errors import StateConflict
from incidents.escalation import services as escalations
from incidents.evidence.services import evidence_keep
from incidents.evidence.views import evidence_response
from incidents.insight.filters import IncidentFilterBackend, IncidentFilterSet
from incidents.insight.views import csv_response
from incidents.message import MessageError, suggest_intended_organisations
from incidents.models import DraftRecord, Evidence
from incidents.models.escalation import Route
from incidents.reports import filing, selectors, services
from incidents.reports.forms import message_max_bytes, read_message
from incidents.reports.serializers import (
    EvidenceSerializer,
    EvidenceUploadSerializer,
    IncidentInSerializer,
    IncidentOutSerializer,
    IncidentPatchSerializer,
    MessageImportSerializer,
    MessageReadSerializer,
    ReviewInSerializer,
    message_payload,
    report_payload,
    with_recipient_rows,
)
from incidents.review.rules import Review
from incidents.vocabulary import DRAFT_LANGUAGES
from incidents.web.api import CredentialsFirst
from incidents.web.json_limits import BoundedJSONParser

DRAFT_LANGUAGE = OpenApiParameter(
    "language",
    str,
    enum=list(DRAFT_LANGUAGES),
    description="Force one language (the internal summary stays in en or zh-hans: zh-hant gives zh-hans).",
)
DRAFT_TONE = OpenApiParameter("tone", str, enum=["polite", "formal"], description="Default: polite.")
DRAFT_KEY = OpenApiParameter("key", str, OpenApiParameter.PATH, description='e.g. "offer_withdrawal:acme.com"')
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    description="Optional, up to 200 characters: a retry with the same key and the same body within 24 hours "
    "(MISSEND_FILING_KEY_HOURS) answers the incident already filed (201, header Idempotent-Replayed: true) "
    "instead of filing again; the same key with another body answers 422.",
)
MAX_IDEMPOTENCY_KEY = 200


def idempotency_key(request) -> str | None:
    """The Idempotency-Key header, or None without one; 400 when it is empty, too long or not printable."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_IDEMPOTENCY_KEY or not (key.isascii() and key.isprintable()):
        raise ValidationError(
            {
                "Idempotency-Key": [
                    _("Send 1 to %(max)s printable ASCII characters, e.g. a UUID.") % {"max": MAX_IDEMPOTENCY_KEY}
                ]
            }
        )
    return key


FILE_NOW = OpenApiParameter(
    "file",
    bool,
    description="true: file the incident at once (201) instead of answering the fields (200). "
    "A multipart text part file=true does the same.",
)


def unreadable_upload(upload, error: MessageError) -> Response:
    """A file that is not a readable email: 413 when it is over the size limit, else 400, on the file field."""
    too_large = upload.size > message_max_bytes()
    code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE if too_large else status.HTTP_400_BAD_REQUEST
    return Response({"file": [error.message]}, status=code)


class CSVRenderer(renderers.BaseRenderer):
    """Lets a client ask for text/csv (the export streams its own body); errors still read as JSON."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return renderers.JSONRenderer().render(data)


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


def errors(*codes: int) -> dict:
    """Documented error answers, so the schema lists every status an endpoint can give."""
    described = {
        400: OpenApiResponse(OpenApiTypes.OBJECT, description="Field errors: {field: [message, ...]}."),
        401: OpenApiResponse(DetailSerializer, description="Not authenticated."),
        403: OpenApiResponse(DetailSerializer, description="You may see this incident but not do this."),
        404: OpenApiResponse(DetailSerializer, description="No such incident or draft, or not visible to you."),
        409: OpenApiResponse(
            DetailSerializer, description="Refused in the current state (e.g. legal approval pending)."
        ),
    }
    return {code: described[code] for code in (401, 404, *codes)}


class ContactSerializer(serializers.Serializer):
    address = serializers.EmailField()
    name = serializers.CharField(allow_blank=True)


class DraftOutSerializer(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.ChoiceField(choices=[k for k, _label in DraftRecord._meta.get_field("kind").choices])
    language = serializers.ChoiceField(choices=list(DRAFT_LANGUAGES))
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
    approval = serializers.ChoiceField(choices=DraftRecord.Approval.values)
    blocked_reason = serializers.CharField(allow_null=True, help_text="Why it may not leave now; null when it may.")
    edited = serializers.BooleanField()
    sent_at = serializers.DateTimeField(allow_null=True)
    eml_url = serializers.URLField(allow_null=True)


def draft_payload(request, incident, item, language, tone) -> dict:
    draft = item.draft
    eml_url = None
    if draft.kind != "call_script":
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


class AcknowledgeSerializer(serializers.Serializer):
    route = serializers.ChoiceField(
        choices=Route.choices, required=False, help_text="Only this route; default: all yours."
    )


class AcknowledgedSerializer(serializers.Serializer):
    acknowledged = serializers.ListField(child=serializers.CharField(), help_text="Routes acknowledged by this call.")
    incident = IncidentOutSerializer()


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=5000, help_text="What was done: correction sent, client called, legal's decision."
    )


class ResolveSerializer(NoteSerializer):
    review = ReviewInSerializer(
        default=None,
        allow_null=True,
        help_text="The post-incident review: required for high and critical incidents (400 with field errors "
        "under review without it), optional below.",
    )


class RouteReasonSerializer(serializers.Serializer):
    route = serializers.ChoiceField(choices=Route.choices)
    reason = serializers.CharField(max_length=2000)


class DraftEditSerializer(serializers.Serializer):
    subject = serializers.CharField(max_length=250)
    text = serializers.CharField(max_length=100_000, trim_whitespace=False)


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "reject"])
    comment = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class SentSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=DraftRecord.SentVia.choices, help_text="How it went out.")


class SendSerializer(serializers.Serializer):
    confirm = serializers.BooleanField(
        help_text="Must be true: you want Missend Desk to send it now, from your address."
    )


# What IncidentOutSerializer reads; its test checks that nothing else is loaded on demand.
OUT_COLUMNS = (
    "id",
    "status",
    "severity",
    "factors",
    "route_manager",
    "route_legal",
    "recall",
    "regulatory_deadline",
    "subject",
    "sent_at",
    "mail_system",
    "sender",
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
    "review__cause",
    "review__cause_other",
    "review__damage_limited_by",
    "review__habits",
    "review__no_habit_reason",
    "review__reviewed_at",
    "review__reviewed_by__username",
)


class IncidentViewSet(CredentialsFirst, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Incidents the caller may see; POST files a new report and answers with its assessment."""

    serializer_class = IncidentOutSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    parser_classes = [BoundedJSONParser]  # one body format: forms' "empty means absent" would blur field errors

    # The list's filters (incidents/filters.py): the page's parameters, 400 with field errors on bad values.
    filter_backends = [IncidentFilterBackend]
    filterset_class = IncidentFilterSet

    def get_queryset(self):
        incidents = selectors.incident_list(self.request.user)
        if self.action in ("list", "retrieve"):
            # Reading only: the columns the answer shows (not the body, the search keys, the reporter's
            # and team's rows), so a list of 50 decodes and builds less; the recipients come after the
            # page (with_recipient_rows).
            return incidents.select_related(None).select_related("review__reviewed_by").only(*OUT_COLUMNS)
        return incidents.select_related("review__reviewed_by").prefetch_related("recipients")

    def filter_queryset(self, queryset):
        # Only the lists filter: an incident's own URL answers whatever its query string says.
        return super().filter_queryset(queryset) if self.action in ("list", "export") else queryset

    def _answer(self, incident, code=status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=incident.pk)).data, status=code)

    @extend_schema(responses={200: IncidentOutSerializer(many=True), **errors(400)})
    def list(self, request, *args, **kwargs):
        incidents = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(incidents)
        rows = with_recipient_rows(list(incidents) if page is None else page)
        data = self.get_serializer(rows, many=True).data
        return Response(data) if page is None else self.get_paginated_response(data)

    @extend_schema(
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR,
                description="The filtered list as CSV (UTF-8 with BOM), streamed: the list's "
                "filters and sort, no pagination.",
            ),
            **errors(400),
        },
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="export",
        renderer_classes=[renderers.JSONRenderer, CSVRenderer],
        pagination_class=None,
    )
    def export(self, request):
        """The incidents the list would show, every page of them, as a CSV download."""
        incidents = self.filter_queryset(selectors.incident_list(request.user))
        return csv_response(incidents)

    @extend_schema(responses={200: IncidentOutSerializer, **errors()})
    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(with_recipient_rows([self.get_object()])[0]).data)

    @extend_schema(
        request=IncidentInSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={
            201: IncidentOutSerializer,
            400: errors(400)[400],
            401: errors()[401],
            422: OpenApiResponse(DetailSerializer, description="The Idempotency-Key already filed a different report."),
        },
    )
    def create(self, request, *args, **kwargs):
        key = idempotency_key(request)
        intake = IncidentInSerializer(data=request.data)
        intake.is_valid(raise_exception=True)

        def file():
            return services.incident_report(reporter=request.user, report=intake.to_report(intake.validated_data))

        if key is None:
            return self._answer(file(), status.HTTP_201_CREATED)
        try:
            filed = filing.incident_file_once(
                user=request.user, key=key, source="api", fingerprint=filing.fingerprint(request.data), file=file
            )
        except filing.FilingKeyReused as reused:
            return Response(
                {
                    "detail": _(
                        "This Idempotency-Key already filed incident #%(id)s with a different "
                        "report. Use a new key for a new report."
                    )
                    % {"id": reused.incident.pk}
                },
                status=status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        answer = self._answer(filed.incident, status.HTTP_201_CREATED)
        if filed.replayed:
            answer["Idempotent-Replayed"] = "true"
        return answer

    @extend_schema(
        request={"multipart/form-data": MessageImportSerializer},
        parameters=[FILE_NOW],
        responses={
            200: OpenApiResponse(
                MessageReadSerializer, description="The report fields the message gives; nothing filed."
            ),
            201: OpenApiResponse(IncidentOutSerializer, description="Filed (file=true), as POST /api/incidents/."),
            400: OpenApiResponse(
                OpenApiTypes.OBJECT, description='Field errors; a file that is not an email: {"file": [message]}.'
            ),
            401: errors()[401],
            413: OpenApiResponse(
                OpenApiTypes.OBJECT, description='The file is over the size limit: {"file": [message]}.'
            ),
        },
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser])
    def import_message(self, request):
        """Read a sent message (.eml or .msg) into the report's fields; with file=true, file it at once.

        The file is parsed in memory and not kept. Filing merges the JSON "report" part over the
        message's fields: the message cannot say what went wrong or who it was meant for.
        """
        body = MessageImportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        try:
            parsed = read_message(upload, filename=upload.name or "")
        except MessageError as error:
            return unreadable_upload(upload, error)
        fields = message_payload(parsed)
        keep = body.validated_data["keep"]
        if keep and not self._filing_now(request):
            raise ValidationError(
                {"keep": [_("A message is kept as evidence only when the incident is filed (file=true).")]}
            )
        if not self._filing_now(request):
            answer = {
                "fields": fields,
                "warnings": list(parsed.warnings),
                "suggested_organisations": suggest_intended_organisations(parsed, engine_inputs.load_directory()),
            }
            return Response(MessageReadSerializer(answer).data)
        intake = IncidentInSerializer(data={**fields, **body.validated_data["report"]})
        intake.is_valid(raise_exception=True)
        with transaction.atomic():
            incident = services.incident_report(reporter=request.user, report=intake.to_report(intake.validated_data))
            if keep:
                upload.seek(0)
                evidence_keep(
                    data=upload.read(),
                    filename=upload.name or "",
                    user=request.user,
                    source=Evidence.Source.API,
                    incident=incident,
                )
        return self._answer(incident, status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses={200: EvidenceSerializer(many=True), **errors()},
        description="The sent messages kept as evidence with this incident.",
    )
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={
            201: EvidenceSerializer,
            **errors(400, 403),
            413: OpenApiResponse(OpenApiTypes.OBJECT, description='Over the size limit: {"file": [message]}.'),
        },
        description="Keep the sent message (.eml or .msg) as evidence: its reporter and their managers.",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="evidence",
        parser_classes=[MultiPartParser],
        pagination_class=None,
    )
    def evidence(self, request, pk=None):
        incident = self.get_object()
        if request.method == "GET":
            kept = incident.evidence.select_related("uploaded_by")
            return Response(EvidenceSerializer(kept, many=True).data)
        if not selectors.can_edit_incident(request.user, incident):
            raise PermissionDenied(_("Only the reporter and their managers can add evidence."))
        body = EvidenceUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        try:
            read_message(upload, filename=upload.name or "")
        except MessageError as error:
            return unreadable_upload(upload, error)
        upload.seek(0)
        kept = evidence_keep(
            data=upload.read(),
            filename=upload.name or "",
            user=request.user,
            source=Evidence.Source.API,
            incident=incident,
        )
        return Response(EvidenceSerializer(kept).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        parameters=[OpenApiParameter("evidence_id", int, OpenApiParameter.PATH)],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="The file as kept."),
            **errors(),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"evidence/(?P<evidence_id>[^/]+)",
        url_name="evidence-file",
        pagination_class=None,
    )
    def evidence_file(self, request, pk=None, evidence_id=None):
        """Download a kept message; the Repr-Digest header carries its SHA-256."""
        incident = self.get_object()
        try:
            if not (evidence_id.isascii() and evidence_id.isdigit()):
                raise Evidence.DoesNotExist
            evidence = incident.evidence.get(pk=int(evidence_id))
        except Evidence.DoesNotExist:
            raise NotFound(_("No such evidence file on this incident.")) from None
        try:
            return evidence_response(evidence)
        except Http404 as missing:
            raise NotFound(str(missing)) from None

    @staticmethod
    def _filing_now(request) -> bool:
        flags = [request.query_params.get("file", ""), *request.POST.getlist("file")]
        return any(isinstance(flag, str) and flag.strip().lower() in ("true", "1", "yes") for flag in flags)

    @extend_schema(request=IncidentPatchSerializer, responses={200: IncidentOutSerializer, **errors(400, 403)})
    def partial_update(self, request, *args, **kwargs):
        """Change what was reported (any subset of the intake fields); the incident is re-assessed."""
        incident = self.get_object()
        if not selectors.can_edit_incident(request.user, incident):
            raise PermissionDenied(_("Only the reporter and their managers can change a report."))
        if not isinstance(request.data, dict):
            raise ValidationError({"non_field_errors": [_("Send a JSON object with the fields to change.")]})
        change = IncidentInSerializer(data={**report_payload(incident), **request.data})
        change.is_valid(raise_exception=True)
        services.incident_update(incident=incident, actor=request.user, report=change.to_report(change.validated_data))
        return self._answer(incident)

    @extend_schema(request=AcknowledgeSerializer, responses={200: AcknowledgedSerializer, **errors(400, 403)})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """Stop further escalation levels for the routes you answer for (never another role's route)."""
        incident = self.get_object()
        body = AcknowledgeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done = self._act(
            escalations.incident_acknowledge,
            incident=incident,
            actor=request.user,
            route=body.validated_data.get("route"),
            via="api",
        )
        incident = self.get_queryset().get(pk=incident.pk)
        return Response({"acknowledged": done, "incident": self.get_serializer(incident).data})

    @extend_schema(request=None, responses={200: IncidentOutSerializer, **errors(403, 409)})
    @action(detail=True, methods=["post"], url_path="take-over")
    def take_over(self, request, pk=None):
        """Handle the incident yourself: assigns it to you and acknowledges the routes you answer for."""
        incident = self.get_object()
        self._act(escalations.incident_take_over, incident=incident, actor=request.user)
        return self._answer(incident)

    @extend_schema(request=ResolveSerializer, responses={200: IncidentOutSerializer, **errors(400, 403, 409)})
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        """Resolve with a note and, for high and critical incidents, a post-incident review; with routes open,
        only someone who answers for every open route may."""
        incident = self.get_object()
        body = ResolveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        review = Review.of(**(body.validated_data["review"] or {}))
        try:
            self._act(
                escalations.incident_resolve,
                incident=incident,
                actor=request.user,
                note=body.validated_data["note"],
                review=review,
            )
        except DjangoValidationError as error:
            raise ValidationError({"review": error.message_dict}) from None
        return self._answer(incident)

    @extend_schema(request=RouteReasonSerializer, responses={200: IncidentOutSerializer, **errors(400, 403, 409)})
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        """Escalate by hand to managers or legal (managers only), saying why."""
        incident = self.get_object()
        if not selectors.can_manage_escalation(request.user):
            raise PermissionDenied(_("Only managers can escalate by hand."))
        body = RouteReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if incident.status == "resolved":
            raise Conflict(_("This incident is resolved."))
        escalations.escalation_start(incident=incident, actor=request.user, **body.validated_data)
        return self._answer(incident)

    @extend_schema(request=RouteReasonSerializer, responses={200: IncidentOutSerializer, **errors(400, 403, 409)})
    @action(detail=True, methods=["post"], url_path="close-escalation")
    def close_escalation(self, request, pk=None):
        """Close the escalation of a route you answer for, saying why (a manager cannot close legal's)."""
        incident = self.get_object()
        body = RouteReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        escalation = incident.escalations.filter(route=body.validated_data["route"]).first()
        if escalation is None:
            raise ValidationError({"route": [_("This incident has no escalation on that route.")]})
        self._act(
            escalations.escalation_close,
            escalation=escalation,
            actor=request.user,
            reason=body.validated_data["reason"],
        )
        return self._answer(incident)

    def _act(self, service, **kwargs):
        try:
            return service(**kwargs)
        except StateConflict as error:
            raise Conflict(error.message) from None
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from None
        except ValueError as error:
            raise ValidationError({"non_field_errors": [str(error)]}) from None

    # Drafts.
    def _draft(self, request, incident, key):
        language, tone = draft_choice(request)
        try:
            return drafting.incident_draft(incident, key, language=language, tone=tone)
        except LookupError:
            raise NotFound(_("This incident has no such draft.")) from None

    def _draft_answer(self, request, incident, key) -> Response:
        language, tone = draft_choice(request)
        item = self._draft(request, incident, key)
        return Response(DraftOutSerializer(draft_payload(request, incident, item, language, tone)).data)

    @extend_schema(parameters=[DRAFT_LANGUAGE, DRAFT_TONE], responses={200: DraftOutSerializer(many=True), **errors()})
    @action(detail=True, methods=["get"], pagination_class=None)
    def drafts(self, request, pk=None):
        """The correspondence drafts that fit the incident, in each recipient's language unless one is forced."""
        incident = self.get_object()
        language, tone = draft_choice(request)
        items = drafting.incident_drafts(incident, language=language, tone=tone)
        return Response(
            DraftOutSerializer([draft_payload(request, incident, i, language, tone) for i in items], many=True).data
        )

    @extend_schema(
        methods=["GET"],
        parameters=[DRAFT_KEY, DRAFT_LANGUAGE, DRAFT_TONE],
        responses={200: DraftOutSerializer, **errors()},
    )
    @extend_schema(
        methods=["PATCH"],
        parameters=[DRAFT_KEY, DRAFT_LANGUAGE, DRAFT_TONE],
        request=DraftEditSerializer,
        responses={200: DraftOutSerializer, **errors(400, 403)},
    )
    @action(detail=True, methods=["get", "patch"], url_path=r"drafts/(?P<key>[^/]+)")
    def draft(self, request, pk=None, key=None):
        """One draft; PATCH keeps your wording (an approval given for the old wording no longer holds)."""
        incident = self.get_object()
        if request.method == "PATCH":
            if not selectors.can_edit_incident(request.user, incident):
                raise PermissionDenied(_("Only the reporter and their managers can edit drafts."))
            body = DraftEditSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            item = self._draft(request, incident, key)
            draft_edit(incident=incident, item=item, actor=request.user, **body.validated_data)
        return self._draft_answer(request, incident, key)

    @extend_schema(
        parameters=[DRAFT_KEY, DRAFT_LANGUAGE, DRAFT_TONE],
        request=DecisionSerializer,
        responses={200: DraftOutSerializer, **errors(400, 403, 409)},
    )
    @action(detail=True, methods=["post"], url_path=r"drafts/(?P<key>[^/]+)/decision")
    def draft_decision(self, request, pk=None, key=None):
        """Legal approve (exactly the text as shown) or reject (with a comment); this acknowledges the legal route."""
        incident = self.get_object()
        if not drafting.may_decide(request.user):
            raise PermissionDenied(_("Only Legal can approve or reject a draft."))
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = self._draft(request, incident, key)
        try:
            draft_decide(
                incident=incident,
                item=item,
                actor=request.user,
                approve=body.validated_data["decision"] == "approve",
                comment=body.validated_data["comment"],
            )
        except ValueError as error:
            raise ValidationError({"comment": [str(error)]}) from None
        except StateConflict as error:
            raise Conflict(error.message) from None
        return self._draft_answer(request, incident, key)

    @extend_schema(
        parameters=[DRAFT_KEY, DRAFT_LANGUAGE, DRAFT_TONE],
        request=SentSerializer,
        responses={200: DraftOutSerializer, **errors(400, 403, 409)},
    )
    @action(detail=True, methods=["post"], url_path=r"drafts/(?P<key>[^/]+)/sent")
    def draft_sent(self, request, pk=None, key=None):
        """Record that the draft went out (refused while legal's approval is missing)."""
        incident = self.get_object()
        if not selectors.can_edit_incident(request.user, incident):
            raise PermissionDenied(_("Only the reporter and their managers can mark drafts sent."))
        body = SentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = self._draft(request, incident, key)
        try:
            draft_mark_sent(incident=incident, item=item, actor=request.user, via=body.validated_data["channel"])
        except ValueError as error:
            raise ValidationError({"channel": [str(error)]}) from None
        except StateConflict as error:
            raise Conflict(error.message) from None
        return self._draft_answer(request, incident, key)

    @extend_schema(
        parameters=[DRAFT_KEY, DRAFT_LANGUAGE, DRAFT_TONE],
        request=SendSerializer,
        responses={200: DraftOutSerializer, **errors(400, 403, 409)},
    )
    @action(detail=True, methods=["post"], url_path=r"drafts/(?P<key>[^/]+)/send")
    def draft_send(self, request, pk=None, key=None):
        """Send from Missend Desk, from your own address (where sending is set up)."""
        incident = self.get_object()
        if not selectors.can_edit_incident(request.user, incident):
            raise PermissionDenied(_("Only the reporter and their managers can send drafts."))
        body = SendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if not body.validated_data["confirm"]:
            raise ValidationError({"confirm": [_("Set confirm to true to send it now.")]})
        item = self._draft(request, incident, key)
        try:
            draft_send(incident=incident, item=item, actor=request.user)
        except StateConflict as error:
            raise Conflict(error.message) from None
        except (OSError, ValueError) as error:
            raise Conflict(_("Not sent: %(error)s. Nothing was recorded.") % {"error": error}) from None
        return self._draft_answer(request, incident, key)

    @extend_schema(
        parameters=[DRAFT_KEY, DRAFT_LANGUAGE, DRAFT_TONE],
        responses={(200, "message/rfc822"): OpenApiTypes.BINARY, **errors(409)},
    )
    @action(detail=True, methods=["get"], url_path=r"drafts/(?P<key>[^/]+)/eml")
    def draft_eml(self, request, pk=None, key=None):
        """The draft as an .eml file that opens as a ready-to-send draft in Outlook and Thunderbird."""
        incident = self.get_object()
        item = self._draft(request, incident, key)
        try:
            payload = drafting.draft_eml(incident, item, user=request.user)
        except StateConflict as error:
            raise Conflict(error.message) from None
        response = HttpResponse(payload, content_type="message/rfc822")
        response["Content-Disposition"] = f'attachment; filename="incident-{incident.pk}-{item.draft.kind}.eml"'
        return response
