"""The report form, prefilled from a message forwarded to the desk; submitting it files the incident."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from incidents.desk import services as pending_services
from incidents.models import PendingReport
from incidents.reports.forms import IncidentForm

_TEXT_FIELDS = (
    "subject",
    "mail_system",
    "sender",
    "to_recipients",
    "cc_recipients",
    "bcc_recipients",
    "message_id",
    "body",
)


def _joined(value, separator: str) -> str:
    if isinstance(value, (list, tuple)):
        return separator.join(str(v) for v in value)
    return str(value)


def initial_from_fields(fields: dict) -> dict:
    """IncidentForm initial values from stored prefill values (ISO times shown in the user's zone)."""
    initial = {name: _joined(fields[name], ", ") for name in _TEXT_FIELDS if fields.get(name) not in (None, "")}
    if fields.get("attachments"):
        initial["attachments"] = _joined(fields["attachments"], "\n")
    sent_at = fields.get("sent_at")
    if sent_at:
        try:
            parsed = datetime.fromisoformat(str(sent_at))
        except ValueError:
            parsed = None
        if parsed is not None and timezone.is_aware(parsed):
            initial["sent_at"] = timezone.localtime(parsed).replace(microsecond=0)
    return initial


@require_http_methods(["GET", "POST"])
def pending_report(request, pending_id: int):
    # Someone else's pending report does not exist, as far as this user can tell.
    pending = get_object_or_404(
        PendingReport.objects.select_related("completed_incident"), pk=pending_id, owner=request.user
    )
    if pending.completed_at is not None:
        messages.info(request, _("This forwarded email was already filed."))
        return redirect(pending.completed_incident or "incidents:list")
    if request.method == "POST":
        form = IncidentForm(request.POST)
        if form.is_valid():
            incident = pending_services.pending_report_complete(pending=pending, report=form.to_report())
            messages.success(request, _("Report filed and assessed."))
            return redirect(incident or "incidents:list")
    else:
        form = IncidentForm(initial={"sender": request.user.email, **initial_from_fields(pending.fields)})
        for warning in pending.warnings:
            messages.warning(request, warning)
    return render(request, "incidents/incident_form.html", {"form": form, "incident": None})
