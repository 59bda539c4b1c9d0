from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incidents")

    def ready(self) -> None:
        from incidents import audit, faults, signals  # noqa: F401  (the fault check; the directory stamp's receivers)

        audit.register()  # what the audit trail records
