"""The post-incident review in the API: given when resolving, read back with the incident."""

from __future__ import annotations

from rest_framework import serializers

from incidents.models import PostIncidentReview
from incidents.review.rules import CAUSE_OTHER_MAX, DAMAGE_MAX, NO_HABIT_REASON_MAX
from incidents.vocabulary import Cause, Habit


class ReviewOutSerializer(serializers.ModelSerializer):
    """The post-incident review, by codes (labels are for pages)."""

    cause = serializers.ChoiceField(choices=Cause.choices)
    habits = serializers.ListField(
        child=serializers.ChoiceField(choices=Habit.choices),
        help_text="Prevention steps adopted; empty with no_habit_reason.",
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

    cause = serializers.ChoiceField(choices=Cause.choices, required=False, allow_blank=True, default="")
    cause_other = serializers.CharField(
        max_length=CAUSE_OTHER_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text='What caused it, with cause "other".',
    )
    damage_limited_by = serializers.CharField(max_length=DAMAGE_MAX, required=False, allow_blank=True, default="")
    habits = serializers.ListField(
        child=serializers.ChoiceField(choices=Habit.choices),
        required=False,
        default=list,
        help_text="At least one, unless no_habit_reason says why none was adopted.",
    )
    no_habit_reason = serializers.CharField(
        max_length=NO_HABIT_REASON_MAX, required=False, allow_blank=True, default=""
    )
