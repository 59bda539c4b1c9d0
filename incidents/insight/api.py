"""Reading incidents in the API: the filtered list, one incident, and the list as CSV."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from incidents.insight.export import csv_response
from incidents.insight.filters import IncidentFilterBackend, IncidentFilterSet
from incidents.insight.serializers import IncidentOutSerializer, with_recipient_rows
from incidents.reports import selectors
from incidents.web.api import CredentialsFirst, errors
from incidents.web.json_limits import BoundedJSONParser


class CSVRenderer(renderers.BaseRenderer):
    """Lets a client ask for text/csv (the export streams its own body); errors still read as JSON."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return renderers.JSONRenderer().render(data)


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


class IncidentReads(CredentialsFirst, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Incidents the caller may see: the filtered list, one incident, the list as CSV. The other features'
    actions are mixed into this class (incidents/api_urls.py)."""

    serializer_class = IncidentOutSerializer

    http_method_names = ["get", "post", "patch", "head", "options"]

    parser_classes = [BoundedJSONParser]  # one body format: forms' "empty means absent" would blur field errors

    # The list's filters (incidents/insight/filters.py): the page's parameters, 400 with field errors on bad values.
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
