"""Turning a stored assessment back into explained factors and recall advice, in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import get_language

from incidents.assessment import Factor, Recall, RecipientRecall
from incidents.vocabulary import RecallVerdict

if TYPE_CHECKING:
    from incidents.models import Incident


def stored_factors(incident: Incident) -> list[Factor]:
    return [Factor(item["code"], item.get("params") or {}) for item in incident.factors]


@dataclass(frozen=True)
class ShownFactor:
    """A stored factor with its sentence in the active language, as the incident page and the API show it."""

    code: str
    detail: str
    detected_only: bool


# The sentences are a function of the language and the stored code and params alone (explanations.py
# reads nothing else), so each is written once per process and reused: a list of 50 incidents wrote
# about 1,500 translated strings per request, the most expensive part of the API list. Keyed by content,
# a re-assessment (new params) or another language is simply another entry.
SENTENCES_KEPT = 8192


def shown_factors(incident: Incident) -> list[ShownFactor]:
    language = get_language()
    return [ShownFactor(f.code, factor_detail(f, language), f.detected_only) for f in stored_factors(incident)]


def factor_detail(factor: Factor, language: str | None = None) -> str:
    """factor.detail in the active language (``language``, when given, must be the active one).

    Meant for factors read back from the stored JSON: their params are plain data, whose repr() tells
    different params apart (equal ones written in another key order are merely kept twice).
    """
    params = factor.params or {}
    key = (get_language() if language is None else language, factor.code, repr(params))
    detail = _details.get(key)
    if detail is None:
        detail = str(Factor(factor.code, params).detail)
        if len(_details) >= SENTENCES_KEPT:  # a bound, not an LRU: start again
            _details.clear()
        _details[key] = detail
    return detail


_details: dict[tuple[str | None, str, str], str] = {}


def recall_advice(recall: Recall, language: str | None = None) -> str:
    """recall.advice in the active language (``language``, when given, must be the active one), written
    once per process for each language and recall."""
    try:
        return _advice(get_language() if language is None else language, recall)
    except TypeError:  # something unhashable in a hand-made Recall: say it afresh
        return str(recall.advice)


@lru_cache(maxsize=SENTENCES_KEPT)
def _advice(language: str | None, recall: Recall) -> str:
    return str(recall.advice)


@receiver(setting_changed)
def _forget_sentences(*, setting, **kwargs) -> None:
    # Django reloads its catalogues when these change (tests do it); the sentences must follow.
    if setting in ("LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS"):
        _details.clear()
        _advice.cache_clear()


def stored_recall(incident: Incident) -> Recall:
    data = incident.recall or {}
    return Recall(
        verdict=data.get("verdict", RecallVerdict.NO),
        mail_system=data.get("mail_system", incident.mail_system),
        recipients=tuple(RecipientRecall(r["address"], r["verdict"]) for r in data.get("recipients", [])),
        # Assessments stored before this key existed advised a correction, so that stays the default.
        correction_needed=bool(data.get("correction_needed", True)),
    )
