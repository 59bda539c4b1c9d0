from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from incidents.models import (
    Contact,
    EscalationLevel,
    EscalationPolicy,
    Evidence,
    Incident,
    MailDomain,
    Organisation,
    PostIncidentReview,
    Profile,
    Recipient,
    Team,
    TimelineEvent,
)
from incidents.reports.services import incident_assess


class MailDomainInline(admin.TabularInline):
    model = MailDomain
    extra = 1


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "title", "email", "phone", "language"]

    def clean_email(self):
        # Drafts find a recipient's contact by email, so one address names one person.
        email = (self.cleaned_data.get("email") or "").strip().lower()
        taken = Contact.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).select_related("organisation")
        if email and taken.exists():
            raise ValidationError(
                _("%(email)s is already a contact of %(organisation)s.")
                % {"email": email, "organisation": taken.first().organisation.name},
                code="duplicate_email",
            )
        return email


class ContactInline(admin.TabularInline):
    """The people drafts greet (by name and title, in their language) and call scripts ask for."""

    model = Contact
    form = ContactForm
    extra = 1


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "language", "domain_list"]
    list_filter = ["kind", "language"]
    search_fields = ["name", "domains__domain", "contacts__name", "contacts__email"]
    inlines = [MailDomainInline, ContactInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("domains")

    @admin.display(description=_("domains"))
    def domain_list(self, organisation) -> str:
        return ", ".join(d.domain for d in organisation.domains.all())


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    filter_horizontal = ["members", "managers"]


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

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and form.changed_data:
            # A report edited here is assessed again, as an edit on the page would be.
            incident_assess(incident=obj, actor=request.user)


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


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    max_num = 1
    verbose_name_plural = _("language, time zone and sending address")


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserWithProfileAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, ProfileInline]


# Each feature registers its own admin pages.
import incidents.audit.admin  # noqa: E402
import incidents.drafts.admin  # noqa: E402
import incidents.prevention.admin  # noqa: E402
import incidents.relay.admin  # noqa: E402, F401
