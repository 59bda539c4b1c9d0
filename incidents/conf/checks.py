"""`manage.py check` on the MISSEND_* settings: a value of the wrong type (missend.E020) and a MISSEND_*
setting that nothing declares (missend.W021, most often a misspelt name). Registered by incidents/apps.py."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

from incidents.conf import DECLARED
from incidents.conf.declare import DECLARED_IN, PREFIX

_UNSET = object()


def declared_settings(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    problems: list[checks.CheckMessage] = []
    for name, setting in DECLARED.items():
        value = getattr(settings, name, _UNSET)
        if value is not _UNSET and not setting.kind.accepts(value):
            problems.append(
                checks.Error(
                    f"{name} must be {setting.kind.name}, not {value!r} ({type(value).__name__}).",
                    hint=f"{setting.doc} Declared in {DECLARED_IN}.",
                    id="missend.E020",
                )
            )
    for name in sorted(dir(settings)):
        if name.startswith(PREFIX) and name not in DECLARED:
            problems.append(
                checks.Warning(
                    f"{name} is set but not declared, so nothing reads it.",
                    hint=f"Misspelt? The MISSEND_* settings are declared in {DECLARED_IN}.",
                    id="missend.W021",
                )
            )
    return problems
