"""{% load list_rows %}: the rows of the lists, built by incidents/insight/rows.py."""

from django import template

from incidents.insight import rows as list_rows

register = template.Library()


@register.simple_tag
def incident_rows(incidents):
    return list_rows.incident_rows(incidents)


@register.simple_tag
def triage_rows(escalations, now):
    return list_rows.triage_rows(escalations, now)


@register.simple_tag(takes_context=True)
def legal_rows(context, incidents, now):
    return list_rows.legal_rows(incidents, now, str(context.get("csrf_token", "")))


@register.simple_tag
def inbox_items(notifications):
    return list_rows.inbox_items(notifications)
