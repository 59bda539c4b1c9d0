"""The pre-send warnings as sentences in the reader's language, from their plain params only."""

from __future__ import annotations

from django.utils.translation import gettext as _

from incidents.assessment.explanations import describe_findings, join_items
from incidents.vocabulary import WarningCode


def _quoted(items) -> str:
    return join_items(_("“%(text)s”") % {"text": item} for item in items)


def _competitor(p: dict) -> str:
    return _("%(address)s is at %(organisation)s, a competitor.") % p


def _other_client(p: dict) -> str:
    return _(
        "%(address)s is at %(organisation)s, but the draft names %(named)s: check that this client should receive it."
    ) % {**p, "named": join_items(p.get("named") or [])}


def _internal_words(p: dict) -> str:
    values = {
        "words": _quoted((p.get("words") or []) + (p.get("attachments") or [])),
        "recipients": join_items(p.get("recipients") or []),
    }
    return _("Words meant for our own staff (%(words)s) would go outside the company, to %(recipients)s.") % values


def _cost_figures(p: dict) -> str:
    values = {
        "figures": _quoted(p.get("figures") or []),
        "words": _quoted(p.get("words") or []),
        "recipients": join_items(p.get("recipients") or []),
    }
    return (
        _(
            "Figures next to %(words)s (%(figures)s) look like internal costs or margins, and would go to "
            "%(recipients)s."
        )
        % values
    )


def _below_floor(p: dict) -> str:
    if p.get("product"):
        return _("%(figure)s for %(product)s is below the floor price of %(floor)s.") % p
    return _("%(figure)s is below the floor price of %(floor)s for prices in %(currency)s.") % p


def _attachment_missing(p: dict) -> str:
    return _("The draft mentions an attachment (%(words)s) but nothing is attached.") % {
        "words": _quoted(p.get("words") or [])
    }


def _personal_data(p: dict) -> str:
    values = {"found": describe_findings(p), "recipients": join_items(p.get("recipients") or [])}
    return _("Personal data (%(found)s) would go outside the company, to %(recipients)s.") % values


DESCRIBERS = {
    WarningCode.COMPETITOR_RECIPIENT: _competitor,
    WarningCode.OTHER_CLIENT_RECIPIENT: _other_client,
    WarningCode.INTERNAL_WORDS_OUTSIDE: _internal_words,
    WarningCode.COST_FIGURES_OUTSIDE: _cost_figures,
    WarningCode.PRICE_BELOW_FLOOR: _below_floor,
    WarningCode.ATTACHMENT_MISSING: _attachment_missing,
    WarningCode.PERSONAL_DATA_OUTSIDE: _personal_data,
}


def describe_warning(warning) -> str:
    describer = DESCRIBERS.get(warning.code)
    return describer(warning.params or {}) if describer else warning.code
