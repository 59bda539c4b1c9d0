from decimal import ROUND_DOWN, Decimal

from django import template

from ..money import amount_text

register = template.Library()


@register.filter
def amount(value) -> str:
    """9.5000 as stored reads "9.50"."""
    return "" if value is None else amount_text(value, grouping=True)


@register.filter
def price_gap_percent(incident) -> str:
    """How far the quote fell short of the correct price, e.g. "18.0%"; empty when not a low quote."""
    quoted, correct = incident.quoted_price, incident.correct_price
    if quoted is None or correct is None or correct <= 0 or quoted >= correct:
        return ""
    # Cut, not rounded, so 9.99% never shows as the 10.0% that would mean high severity.
    percent = ((correct - quoted) / correct * 100).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
    return f"{percent}%"
