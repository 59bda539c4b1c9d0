"""The sent message kept as evidence, in the API: list, add, download."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from incidents import access
from incidents.evidence.download import evidence_response
from incidents.evidence.serializers import EvidenceSerializer, EvidenceUploadSerializer
from incidents.evidence.services import evidence_keep
from incidents.message import MessageError
from incidents.models import Evidence
from incidents.reports.api import unreadable_upload
from incidents.reports.report import read_message
from incidents.web.api import errors


class EvidenceActions:
    """The evidence kept with an incident."""

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
        access.require_edit(request.user, incident, _("Only the reporter and their managers can add evidence."))
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
