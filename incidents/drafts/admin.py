"""Admin for draft templates: validated on save, previewed against a sample incident, versioned."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from incidents.correspondence import (
    TEMPLATE_VARIABLES,
    TemplateProblem,
    default_source,
    parts_of,
    sample_context,
    validate_template_source,
    variables_for,
)
from incidents.correspondence.rendering import render_part
from incidents.drafts.services import draft_template_save
from incidents.models import DraftTemplate, DraftTemplateVersion


class DraftTemplateForm(forms.ModelForm):
    source = forms.CharField(
        label=_("Template"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 22, "cols": 100, "class": "vLargeTextField"}),
        help_text=_("Leave empty to start from the shipped template. Jinja2; only the variables listed below."),
    )

    class Meta:
        model = DraftTemplate
        fields = ["kind", "language", "part", "source", "active"]

    def clean(self):
        cleaned = super().clean()
        kind, language, part = cleaned.get("kind"), cleaned.get("language"), cleaned.get("part")
        if not (kind and language and part):
            return cleaned
        if part not in parts_of(kind):
            self.add_error("part", _("This draft has no %(part)s part.") % {"part": part})
            return cleaned
        source = cleaned.get("source") or default_source(kind, language, part)
        cleaned["source"] = source
        for problem in validate_template_source(source, part, kind=kind, language=language):
            self.add_error("source", problem)
        return cleaned


class DraftTemplateVersionInline(admin.TabularInline):
    model = DraftTemplateVersion
    extra = 0
    can_delete = False
    readonly_fields = ["saved_at", "saved_by", "source"]
    fields = ["saved_at", "saved_by", "source"]
    ordering = ["-saved_at", "-id"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DraftTemplate)
class DraftTemplateAdmin(admin.ModelAdmin):
    form = DraftTemplateForm
    list_display = ["__str__", "active", "updated_at", "updated_by"]
    list_filter = ["kind", "language", "part", "active"]
    readonly_fields = ["preview", "variables"]
    inlines = [DraftTemplateVersionInline]

    def get_fields(self, request, obj=None):
        return ["kind", "language", "part", "active", "source", "preview", "variables"]

    @admin.display(description=_("Preview with a sample incident"))
    def preview(self, obj) -> str:
        if not obj or not obj.pk:
            return _("Save to see a preview.")
        try:
            output = render_part(
                obj.kind, obj.language, obj.part, sample_context(obj.kind, obj.language), source=obj.source
            )
        except TemplateProblem as error:
            return format_html('<span style="color:#b02a37">{}</span>', str(error))
        if obj.part == "html":
            return format_html(
                '<iframe sandbox="" srcdoc="{}" style="width:100%;height:24em;border:1px solid #ccc"></iframe>', output
            )
        return format_html('<pre style="white-space:pre-wrap">{}</pre>', output)

    @admin.display(description=_("Variables you can use"))
    def variables(self, obj) -> str:
        allowed = variables_for(obj.kind) if obj and obj.kind else frozenset(TEMPLATE_VARIABLES)
        rows = ((name, text) for name, text in sorted(TEMPLATE_VARIABLES.items()) if name in allowed)
        return format_html("<dl>{}</dl>", format_html_join("", "<dt><code>{{{{ {} }}}}</code></dt><dd>{}</dd>", rows))

    def save_model(self, request, obj, form, change):
        draft_template_save(template=obj, actor=request.user)
