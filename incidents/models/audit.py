"""The audit trail as the admin shows it: auditlog's entries under the incidents app, read-only."""

from auditlog.models import LogEntry
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class AuditEntry(LogEntry):
    class Meta:
        proxy = True
        ordering = ["-timestamp", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")

    def __str__(self) -> str:
        return f"{action_labels().get(self.action, self.action)}: {self.object_repr}"


def action_labels() -> dict[int, str]:
    """What each kind of entry says happened, in the active language."""
    return {
        LogEntry.Action.CREATE: gettext("created"),
        LogEntry.Action.UPDATE: gettext("changed"),
        LogEntry.Action.DELETE: gettext("deleted"),
        LogEntry.Action.ACCESS: gettext("viewed"),
    }
