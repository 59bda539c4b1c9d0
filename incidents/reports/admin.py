"""Incidents in the admin: the report may be corrected by those who may edit it (and is assessed again); workflow state changes only through the app's own paths."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from incidents import access
from incidents.models import (
    Evidence,
    Incident,
    PostIncidentReview,
    Recipient,
    TimelineEvent,
)
from incidents.reports import services


class RecipientInline(admin.TabularInline):
    model = Recipient
    extra = 0


class TimelineEventInline(admin.TabularInline):
    model = TimelineEvent
    extra = 0
    readonly_fields = ["type", "actor", "created_at", "parameters"]
    can_delete = False


class EvidenceInline(admin.TabularInline):
    """Kept messages are facts: shown, downloadable through the checked page, never edited here."""

    model = Evidence
    extra = 0
    fields = ["download", "size", "sha256", "uploaded_by", "uploaded_at", "source"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("file"))
    def download(self, evidence) -> str:
        url = reverse("incidents:evidence", args=[evidence.incident_id, evidence.pk])
        return format_html('<a href="{}">{}</a>', url, evidence.original_name)


class PostIncidentReviewInline(admin.StackedInline):
    """Written with the resolution, on the timeline: shown here, changed nowhere."""

    model = PostIncidentReview
    extra = 0
    fields = ["cause", "cause_other", "damage_limited_by", "habits", "no_habit_reason", "reviewed_by", "reviewed_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ["id", "subject", "severity", "route_manager", "route_legal", "status", "reporter", "created_at"]
    list_filter = ["severity", "status", "route_manager", "route_legal", "mail_system"]
    search_fields = ["subject", "sender", "recipients__address"]
    list_select_related = ["reporter"]
    # Workflow state changes only through the app's own paths (resolve with its review and closing
    # of escalations, take over, the dismissal with its reason), never by editing a field here.
    readonly_fields = [
        "severity",
        "factors",
        "route_manager",
        "route_legal",
        "regulatory_deadline",
        "recall",
        "assessed_at",
        "status",
        "assignee",
        "resolved_at",
        "resolution_note",
        "first_correction_at",
        "dismissed_signals",
    ]
    inlines = [RecipientInline, EvidenceInline, PostIncidentReviewInline, TimelineEventInline]

    # Who may see and change an incident here is asked of access, as on every other path.
    def get_queryset(self, request):
        return super().get_queryset(request).filter(pk__in=access.incidents_visible_to(request.user).values("pk"))

    def has_add_permission(self, request) -> bool:
        return False  # a report is filed on the report page, by the API or a command, which assess it

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or access.can_edit_incident(request.user, obj))

    def save_model(self, request, obj, form, change):
        # A report corrected here is assessed again, as an edit on the page would be.
        services.incident_admin_save(incident=obj, actor=request.user, changed=form.changed_data)
