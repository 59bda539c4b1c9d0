from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from . import selectors, services
from .serializers import IncidentInSerializer, IncidentOutSerializer


class IncidentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Incidents the caller may see; POST files a new report and answers with its assessment."""

    serializer_class = IncidentOutSerializer

    def get_queryset(self):
        return selectors.incident_list(self.request.user).prefetch_related("recipients")

    @extend_schema(request=IncidentInSerializer, responses={201: IncidentOutSerializer})
    def create(self, request, *args, **kwargs):
        intake = IncidentInSerializer(data=request.data)
        intake.is_valid(raise_exception=True)
        incident = services.incident_report(reporter=request.user, report=intake.to_report(intake.validated_data))
        incident = self.get_queryset().get(pk=incident.pk)
        return Response(self.get_serializer(incident).data, status=status.HTTP_201_CREATED)
