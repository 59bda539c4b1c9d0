"""Escalation in the API: the bodies of acknowledging, resolving, escalating and closing a route."""

from __future__ import annotations

from rest_framework import serializers

from incidents.insight.serializers import IncidentOutSerializer
from incidents.review.serializers import ReviewInSerializer
from incidents.vocabulary import Route


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
