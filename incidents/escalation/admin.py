"""Escalation policies in the admin, with their levels inline: a level must name someone and wait, a policy needs a level."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from incidents.models import (
    EscalationLevel,
    EscalationPolicy,
)


class EscalationLevelForm(forms.ModelForm):
    class Meta:
        model = EscalationLevel
        fields = ["position", "delay_minutes", "notify_reporter_team_managers", "users", "teams", "groups"]

    def clean(self):
        cleaned = super().clean()
        names_someone = cleaned.get("notify_reporter_team_managers") or any(
            cleaned.get(field) for field in ("users", "teams", "groups")
        )
        # A level without anyone to tell silently burns its delay while nobody is paged.
        if not names_someone and not cleaned.get("DELETE"):
            raise ValidationError(
                _("Choose who this level tells: users, teams, groups or the reporter's team managers."),
                code="no_target",
            )
        return cleaned


class EscalationLevelFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            form
            for form in self.forms
            if form.has_changed() or form.instance.pk
            if not (self.can_delete and self._should_delete_form(form))
        ]
        if not kept:
            raise ValidationError(_("A policy needs at least one level."), code="no_levels")


class EscalationLevelInline(admin.StackedInline):
    model = EscalationLevel
    form = EscalationLevelForm
    formset = EscalationLevelFormSet
    extra = 0
    min_num = 1
    ordering = ["position"]
    filter_horizontal = ["users", "teams", "groups"]


@admin.register(EscalationPolicy)
class EscalationPolicyAdmin(admin.ModelAdmin):
    list_display = ["name", "route", "level_count", "repeat", "unresolved_reminder_hours"]
    inlines = [EscalationLevelInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("levels")

    @admin.display(description=_("levels"))
    def level_count(self, policy) -> int:
        return len(policy.levels.all())
