"""{% load missend %}: the filters pages use; each is a function of incidents/platform/formats.py."""

from django import template
from django.utils.safestring import mark_safe

from incidents.insight import rows
from incidents.platform import formats

register = template.Library()

for _name in ("amount", "price_gap_percent", "when", "ago", "addresses_of", "listing", "html_lang"):
    register.filter(_name, getattr(formats, _name))


@register.filter
def severity_badge(incident) -> str:
    """The incident's severity as a coloured badge. A filter, not an included template: lists show it
    on every row, and an include per row cost more than the rest of the row."""
    return mark_safe(rows.severity_badge(incident))
