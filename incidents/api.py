from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from . import selectors, services
from .escalation import flow
from .models.escalation import Route
from .serializers import IncidentInSerializer, IncidentOutSerializer


class AcknowledgeSerializer(serializers.Serializer):
    route = serializers.ChoiceField(choices=Route.choices, required=False, help_text="Only this route; default: all yours.")


class AcknowledgedSerializer(serializers.Serializer):
    acknowledged = serializers.ListField(child=serializers.CharField(), help_text="Routes acknowledged by this call.")
    incident = IncidentOutSerializer()


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

    @extend_schema(request=AcknowledgeSerializer, responses={200: AcknowledgedSerializer})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """Stop further escalation levels for the routes you are responsible for."""
        incident = self.get_object()
        body = AcknowledgeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        routes = selectors.responsible_routes(request.user, incident)
        wanted = body.validated_data.get("route")
        if wanted:
            if wanted not in routes:
                raise PermissionDenied(_("You are not among those this route was escalated to."))
            routes = {wanted}
        if not routes:
            raise PermissionDenied(_("Only the managers or legal reviewers it was escalated to can acknowledge it."))
        done = [e.route for r in sorted(routes) for e in flow.escalation_acknowledge(incident=incident, actor=request.user, route=r, via="api")]
        incident = self.get_queryset().get(pk=incident.pk)
        return Response({"acknowledged": done, "incident": self.get_serializer(incident).data})
