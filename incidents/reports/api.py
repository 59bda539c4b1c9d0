"""Filing in the API: POST a report (once per Idempotency-Key), read a sent message into one, change what was
reported."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from incidents import access
from incidents.directory import selectors as directory_selectors
from incidents.insight.serializers import IncidentOutSerializer
from incidents.message import MessageError, suggest_intended_organisations
from incidents.models import Evidence
from incidents.reports import services
from incidents.reports.report import message_max_bytes, read_message
from incidents.reports.serializers import (
    IncidentInSerializer,
    IncidentPatchSerializer,
    MessageImportSerializer,
    MessageReadSerializer,
    message_payload,
    report_payload,
)
from incidents.vocabulary import FilingSource
from incidents.web.api import DetailSerializer, errors

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


class ReportActions:
    """Filing a report (JSON or from the sent message) and changing what was reported."""

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
            filed = services.incident_file_once(
                user=request.user,
                key=key,
                source=FilingSource.API,
                fingerprint=services.fingerprint(request.data),
                file=file,
            )
        except services.FilingKeyReused as reused:
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
                "suggested_organisations": suggest_intended_organisations(parsed, directory_selectors.load_directory()),
            }
            return Response(MessageReadSerializer(answer).data)
        intake = IncidentInSerializer(data={**fields, **body.validated_data["report"]})
        intake.is_valid(raise_exception=True)
        kept = None
        if keep:
            upload.seek(0)
            kept = services.KeptMessage(upload.read(), upload.name or "", Evidence.Source.API)
        incident, _kept = services.incident_file(
            reporter=request.user, report=intake.to_report(intake.validated_data), keep=kept
        )
        return self._answer(incident, status.HTTP_201_CREATED)

    @staticmethod
    def _filing_now(request) -> bool:
        flags = [request.query_params.get("file", ""), *request.POST.getlist("file")]
        return any(isinstance(flag, str) and flag.strip().lower() in ("true", "1", "yes") for flag in flags)

    @extend_schema(request=IncidentPatchSerializer, responses={200: IncidentOutSerializer, **errors(400, 403)})
    def partial_update(self, request, *args, **kwargs):
        """Change what was reported (any subset of the intake fields); the incident is re-assessed."""
        incident = self.get_object()
        access.require_edit(request.user, incident, _("Only the reporter and their managers can change a report."))
        if not isinstance(request.data, dict):
            raise ValidationError({"non_field_errors": [_("Send a JSON object with the fields to change.")]})
        change = IncidentInSerializer(data={**report_payload(incident), **request.data})
        change.is_valid(raise_exception=True)
        services.incident_update(incident=incident, actor=request.user, report=change.to_report(change.validated_data))
        return self._answer(incident)
