from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incidents")

    def ready(self) -> None:
        from django.core import checks

        from incidents.audit import services as audit
        from incidents.conf.checks import declared_settings
        from incidents.directory import signals  # noqa: F401  (the fault check; the directory stamp's receivers)

        audit.register()  # what the audit trail records
        checks.register(declared_settings)  # every MISSEND_* setting of its declared type (missend.E020)
