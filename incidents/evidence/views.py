"""The sent message kept as evidence: downloaded by those who may see the incident, added by its editors."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from incidents import access
from incidents.evidence import selectors as evidence_selectors
from incidents.evidence import services as evidence_services
from incidents.evidence.download import evidence_response
from incidents.models import Evidence, Incident
from incidents.reports.forms import MessageUploadForm


def _visible_incident(user, incident_id: int) -> Incident:
    return get_object_or_404(access.incidents_visible_to(user), pk=incident_id)


def evidence_download(request, incident_id: int, evidence_id: int):
    evidence = get_object_or_404(
        evidence_selectors.evidence_visible_to(request.user), pk=evidence_id, incident_id=incident_id
    )
    return evidence_response(evidence)


@require_http_methods(["GET", "POST"])
def evidence_add(request, incident_id: int):
    """Keep the sent message of an incident already filed (its reporter and their managers)."""
    incident = _visible_incident(request.user, incident_id)
    access.require_edit(request.user, incident, _("Only the reporter and their managers can add evidence."))
    form = MessageUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data, filename = form.message_bytes()
        evidence_services.evidence_keep(
            data=data, filename=filename, user=request.user, source=Evidence.Source.INCIDENT_PAGE, incident=incident
        )
        messages.success(request, _("The message is kept as evidence."))
        return redirect(reverse("incidents:detail", args=[incident.pk]) + "#evidence")
    return render(request, "incidents/evidence_add.html", {"incident": incident, "form": form})
