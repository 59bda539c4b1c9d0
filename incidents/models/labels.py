"""Choice labels by a dict lookup.

Django's get_FOO_display() builds a dict of every choice on each call, translating every label on
the way to hash it. A list that shows a status and a severity on each of 50 rows spent more time
there than on its own query. The labels are kept per language, so each call still reads in the
language active at that moment.
"""

from __future__ import annotations

from functools import cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


@cache
def _labels(field, language: str | None) -> dict:
    """The field's labels in one language (the choices are fixed in code, so they never go stale)."""
    with translation.override(language):
        return {make_hashable(value): force_str(label) for value, label in field.flatchoices}


class ChoiceLabels:
    """Mixed into a model before models.Model: its get_FOO_display() methods look the label up."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        return force_str(_labels(field, translation.get_language()).get(make_hashable(value), value), strings_only=True)


@receiver(setting_changed)
def _forget_labels(setting, **kwargs) -> None:
    """New catalogues (a settings change, as tests make) mean new labels."""
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:
        _labels.cache_clear()
