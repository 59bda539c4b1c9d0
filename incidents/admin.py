from django.contrib import admin

from .models import Incident, MailDomain, Organisation, Recipient, Team, TimelineEvent


class MailDomainInline(admin.TabularInline):
    model = MailDomain
    extra = 1


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "domain_list"]
    list_filter = ["kind"]
    search_fields = ["name", "domains__domain"]
    inlines = [MailDomainInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("domains")

    @admin.display(description="domains")
    def domain_list(self, organisation) -> str:
        return ", ".join(d.domain for d in organisation.domains.all())


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name"]
    filter_horizontal = ["members", "managers"]


class RecipientInline(admin.TabularInline):
    model = Recipient
    extra = 0


class TimelineEventInline(admin.TabularInline):
    model = TimelineEvent
    extra = 0
    readonly_fields = ["type", "actor", "created_at", "parameters"]
    can_delete = False


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ["id", "subject", "severity", "route_manager", "route_legal", "status", "reporter", "created_at"]
    list_filter = ["severity", "status", "route_manager", "route_legal", "mail_system"]
    search_fields = ["subject", "sender", "recipients__address"]
    list_select_related = ["reporter"]
    readonly_fields = ["severity", "factors", "route_manager", "route_legal", "regulatory_deadline", "recall", "assessed_at"]
    inlines = [RecipientInline, TimelineEventInline]
from . import admin_drafts  # noqa: E402,F401  (registers the draft template admin)
