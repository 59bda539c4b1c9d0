"""The filtered incident list as a CSV download (the list's filters, what the user may see)."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from incidents.insight import export, filters
from incidents.reports import selectors


def csv_response(queryset) -> StreamingHttpResponse:
    """Streams ``queryset`` (scoped and filtered) as CSV, times in the current zone, words in the current language."""
    zone = timezone.get_current_timezone()
    lines = export.csv_lines(
        export.export_rows(queryset), zone=zone, zone_name=timezone.get_current_timezone_name(), labels=export.Labels()
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime(timezone.now(), zone).strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="incidents-{stamp}.csv"'
    return response


def incident_export(request):
    filterset, incidents = filters.filtered(filters.IncidentFilterSet, request, selectors.incident_list(request.user))
    if filterset.errors:
        # The list shows what is wrong with the filters, with what was typed.
        return redirect(reverse("incidents:list") + "?" + request.GET.urlencode())
    return csv_response(incidents)
