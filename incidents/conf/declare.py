"""The machinery behind incidents/conf/__init__.py: a setting's declaration, reading every declared setting
from the environment (for settings.py), and the accessor the app reads them through.

No Django at module level: settings.py imports this before Django is set up.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from incidents.conf.kinds import Kind

PREFIX = "MISSEND_"
DECLARED_IN = "incidents/conf/__init__.py"
# A computed default: a function of the environment and the settings read before this one.
Computed = Callable[[Mapping[str, str], Mapping[str, object]], object]


@dataclass(frozen=True)
class Setting:
    name: str
    kind: Kind
    default: object  # the value, or a Computed function (then `shown` says it for the README)
    doc: str  # one sentence: what the setting does
    env: bool = True  # False: set in a settings module only, never read from the environment
    shown: str = ""  # the README's default, when the kind's own rendering of the value is not how people say it

    def __post_init__(self) -> None:
        if not self.name.startswith(PREFIX) or self.name != self.name.upper():
            raise ValueError(f"{self.name}: a setting's name is MISSEND_ and upper case")
        if callable(self.default):
            if not self.shown:
                raise ValueError(f"{self.name}: a computed default needs its README form (shown=...)")
        elif not self.kind.accepts(self.default):
            raise ValueError(f"{self.name}: the default {self.default!r} is not {self.kind.name}")

    @property
    def short(self) -> str:
        return self.name.removeprefix(PREFIX)

    @property
    def readme_default(self) -> str:
        return self.shown or self.kind.show(self.default)

    def default_value(self, environ: Mapping[str, str], read: Mapping[str, object]) -> object:
        value = self.default(environ, read) if callable(self.default) else self.default
        return copy.copy(value)  # a list default is never shared with, nor changed through, a setting

    def read(self, environ: Mapping[str, str], read: Mapping[str, object]) -> object:
        """The environment variable's value as this kind, else the default; ImproperlyConfigured naming a bad one."""
        text = environ.get(self.name) if self.env else None
        if text is None:
            return self.default_value(environ, read)
        try:
            return self.kind.parse(text)
        except ValueError as error:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured(f"{self.name}={text!r}: must be {self.kind.name} ({error}).") from None


def index(settings: Iterable[Setting]) -> dict[str, Setting]:
    """The declarations by name; a name declared twice is an error."""
    declared: dict[str, Setting] = {}
    for setting in settings:
        if setting.name in declared:
            raise ValueError(f"{setting.name} is declared twice in {DECLARED_IN}")
        declared[setting.name] = setting
    return declared


def read_all(settings: Iterable[Setting], environ: Mapping[str, str] | None = None) -> dict[str, object]:
    """Every declared setting's value, in declaration order (a computed default sees the ones above it)."""
    environ = os.environ if environ is None else environ
    values: dict[str, object] = {}
    for setting in settings:
        values[setting.name] = setting.read(environ, values)
    return values


class Accessor:
    """``missend.HOLD_SECONDS`` is ``django.conf.settings.MISSEND_HOLD_SECONDS``, read at each call (so
    override_settings and pytest-django's ``settings`` fixture apply) and only for a declared name."""

    def __init__(self, declared: Mapping[str, Setting]):
        object.__setattr__(self, "_declared", declared)

    def __getattr__(self, short: str):
        name = PREFIX + short
        if name not in self._declared:
            raise AttributeError(
                f"{name} is not declared in {DECLARED_IN}: declare it there (type, default, meaning) to read it."
            )
        from django.conf import settings

        try:
            return getattr(settings, name)
        except AttributeError:  # a settings module that does not start from project.settings
            return read_all(self._declared.values())[name]

    def __setattr__(self, short: str, value) -> None:
        raise AttributeError(
            f"missend is read-only: set settings.{PREFIX}{short} (a settings module, override_settings, the settings fixture)."
        )

    def __dir__(self) -> list[str]:
        return sorted(setting.short for setting in self._declared.values())
