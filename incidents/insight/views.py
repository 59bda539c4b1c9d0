"""The filtered incident list as a CSV download (the list's filters, what the user may see)."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse

from incidents.insight import filters
from incidents.insight.export import csv_response
from incidents.reports import selectors


def incident_export(request):
    filterset, incidents = filters.filtered(filters.IncidentFilterSet, request, selectors.incident_list(request.user))
    if filterset.errors:
        # The list shows what is wrong with the filters, with what was typed.
        return redirect(reverse("incidents:list") + "?" + request.GET.urlencode())
    return csv_response(incidents)
