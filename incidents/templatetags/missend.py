from datetime import datetime
from decimal import ROUND_DOWN, Decimal

from django import template
from django.utils import dateformat, timezone

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


def zone_label(moment: datetime) -> str:
    """The zone's abbreviation ("CST", "CET"); its UTC offset where the zone has none ("UTC+04:00")."""
    name = moment.tzname() or ""
    if name and name[0] not in "+-":
        return name
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


@register.filter
def when(value, format_string: str = "Y-m-d H:i") -> str:
    """A stored time in the reader's zone, saying which zone: "2026-11-30 14:05 CST"."""
    if not isinstance(value, datetime):
        return ""
    if timezone.is_naive(value):
        return dateformat.format(value, format_string)  # no zone known, so none claimed
    local = timezone.localtime(value)
    return f"{dateformat.format(local, format_string)} {zone_label(local)}"
