"""Escalation in the API: acknowledge, take over, resolve, escalate by hand, close a route."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from incidents import access
from incidents.escalation import services as escalations
from incidents.escalation.serializers import (
    AcknowledgedSerializer,
    AcknowledgeSerializer,
    ResolveSerializer,
    RouteReasonSerializer,
)
from incidents.insight.serializers import IncidentOutSerializer
from incidents.review.rules import Review
from incidents.vocabulary import AcknowledgedVia
from incidents.web.api import act, errors


class EscalationActions:
    """Acknowledging, taking over, resolving, escalating and closing, with the same rules as the pages."""

    @extend_schema(request=AcknowledgeSerializer, responses={200: AcknowledgedSerializer, **errors(400, 403)})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """Stop further escalation levels for the routes you answer for (never another role's route)."""
        incident = self.get_object()
        body = AcknowledgeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done = act(
            escalations.incident_acknowledge,
            incident=incident,
            actor=request.user,
            route=body.validated_data.get("route"),
            via=AcknowledgedVia.API,
        )
        incident = self.get_queryset().get(pk=incident.pk)
        return Response({"acknowledged": done, "incident": self.get_serializer(incident).data})

    @extend_schema(request=None, responses={200: IncidentOutSerializer, **errors(403, 409)})
    @action(detail=True, methods=["post"], url_path="take-over")
    def take_over(self, request, pk=None):
        """Handle the incident yourself: assigns it to you and acknowledges the routes you answer for."""
        incident = self.get_object()
        act(escalations.incident_take_over, incident=incident, actor=request.user)
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
            act(
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
        access.require_escalate(request.user)  # before the body: a 403 says more than a 400 to a non-manager
        body = RouteReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        act(escalations.incident_escalate, incident=incident, actor=request.user, **body.validated_data)
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
        act(
            escalations.escalation_close,
            escalation=escalation,
            actor=request.user,
            reason=body.validated_data["reason"],
        )
        return self._answer(incident)
