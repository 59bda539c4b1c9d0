"""The audit trail in the admin: read-only for everyone, superusers included, and exported as CSV.

auditlog's own admin is replaced: it could be asked to delete entries through related deletions, its
type filter read the whole table for its choices and its words are not in our catalogue.
"""

from auditlog import admin as auditlog_admin  # registers auditlog's admin first, so it can be replaced
from auditlog.registry import auditlog
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from incidents.audit import export as audit_export
from incidents.models import AuditEntry

admin.site.unregister(auditlog_admin.LogEntry)


class ObjectTypeFilter(admin.SimpleListFilter):
    """The audited models, from the registry: no query over the trail for the choices."""

    title = _("object type")
    parameter_name = "type"

    def lookups(self, request, model_admin):
        return sorted(
            ((m._meta.label_lower, str(m._meta.verbose_name).capitalize()) for m in auditlog.get_models()),
            key=lambda choice: choice[1],
        )

    def queryset(self, request, queryset):
        if not self.value() or "." not in self.value():
            return queryset
        app_label, model = self.value().split(".", 1)
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)


class WhenFilter(admin.DateFieldListFilter):
    """Today, the past 7 days, ... under the list's own word for the column (auditlog's is English)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("when")


class ActionFilter(admin.SimpleListFilter):
    """Created, changed, deleted, in the reader's language (auditlog's own choices are English only)."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return [
            (str(value), label)
            for value, label in audit_export.action_labels().items()
            if value != AuditEntry.Action.ACCESS
        ]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(action=int(self.value()))
        return queryset


def _csv_response(queryset) -> StreamingHttpResponse:
    lines = audit_export.csv_lines(
        audit_export.export_rows(queryset), labels=audit_export.AuditLabels(), heading=audit_export.header()
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    name = f"audit-trail-{timezone.now():%Y%m%d-%H%M%S}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["when", "who", "action_label", "object_type", "object_label", "fields_changed"]
    list_select_related = ["actor", "content_type"]
    list_filter = [("timestamp", WhenFilter), ActionFilter, ObjectTypeFilter]
    search_fields = ["object_repr", "actor__username", "=object_pk"]
    show_full_result_count = False
    _labels: dict = {}  # the words of the trail per language; models and their fields are fixed at start-up
    actions = ["export_selected"]
    fields = ["when", "who", "address", "action_label", "object_type", "object_key", "object_label", "changes_table"]
    readonly_fields = fields

    # Nobody adds, changes or deletes an entry here, superusers included.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def get_urls(self):
        export = path("export/", self.admin_site.admin_view(self.export_view), name="incidents_auditentry_export")
        return [export, *super().get_urls()]

    def export_view(self, request):
        """Every entry the change list shows with its filters and search (not only the page), as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            queryset = self.get_changelist_instance(request).get_queryset(request)
        except IncorrectLookupParameters:
            return HttpResponseRedirect(reverse("admin:incidents_auditentry_changelist") + "?e=1")
        return _csv_response(queryset)

    @admin.action(description=_("Export the selected entries as CSV"))
    def export_selected(self, request, queryset):
        return _csv_response(queryset)

    @admin.display(description=_("when"), ordering="timestamp")
    def when(self, entry):
        return timezone.localtime(entry.timestamp)

    @admin.display(description=_("who"))
    def who(self, entry):
        if entry.actor_id and entry.actor:
            return entry.actor.get_username()
        return entry.actor_email or _("system")

    @admin.display(description=_("action"), ordering="action")
    def action_label(self, entry):
        return audit_export.action_labels().get(entry.action, entry.action)

    @admin.display(description=_("object type"))
    def object_type(self, entry):
        model = entry.content_type.model_class()
        return str(model._meta.verbose_name).capitalize() if model else entry.content_type.model

    @admin.display(description=_("object ID"))
    def object_key(self, entry):
        return entry.object_pk

    @admin.display(description=_("object"))
    def object_label(self, entry):
        return entry.object_repr

    @admin.display(description=_("remote address"))
    def address(self, entry):
        return entry.remote_addr or "-"

    def _changes(self, entry):
        kind = (entry.content_type.app_label, entry.content_type.model)
        labels = self._labels.get(translation.get_language())
        if labels is None:  # once per language for the whole list, not per row
            labels = self._labels[translation.get_language()] = audit_export.AuditLabels()
        return [line for line in labels.changes(kind, entry.changes) if line[0]]

    @admin.display(description=_("fields changed"))
    def fields_changed(self, entry):
        return ", ".join(field for field, _before, _after in self._changes(entry))

    @admin.display(description=_("changes"))
    def changes_table(self, entry):
        rows = self._changes(entry)
        if not rows:
            return "-"
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("Field"),
            _("Before"),
            _("After"),
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )
