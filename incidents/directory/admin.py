"""The client directory in the admin: organisations with their mail domains and contacts, and teams."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from incidents.models import (
    Contact,
    MailDomain,
    Organisation,
    Team,
)


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
