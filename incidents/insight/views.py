"""The filtered incident list as a CSV download (the list's filters, what the user may see)."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse

from incidents import access
from incidents.insight import filters
from incidents.insight import rows as list_rows
from incidents.insight.export import csv_response
from incidents.reports import selectors
from incidents.web import paging


def incident_export(request):
    filterset, incidents = filters.filtered(filters.IncidentFilterSet, request, selectors.incident_list(request.user))
    if filterset.errors:
        # The list shows what is wrong with the filters, with what was typed.
        return redirect(reverse("incidents:list") + "?" + request.GET.urlencode())
    return csv_response(incidents)


PAGE_SIZE = 50


def incident_list(request):
    rows = access.incidents_visible_to(request.user).select_related("reporter").only(*list_rows.INCIDENT_COLUMNS)
    filterset, incidents = filters.filtered(filters.IncidentFilterSet, request, rows)
    page = paging.capped_page(incidents, request, PAGE_SIZE)
    return render(request, "incidents/incident_list.html", {"page": page, "filter": filterset})
