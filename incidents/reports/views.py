from __future__ import annotations

import secrets

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from incidents import access
from incidents.accounts import selectors as accounts
from incidents.drafts.views import incident_drafts_panel
from incidents.escalation import services as escalations
from incidents.escalation.forms import EscalateForm, ResolveForm
from incidents.evidence.services import evidence_claim
from incidents.insight import filters
from incidents.insight import rows as list_rows
from incidents.models import Escalation, Incident, Recipient
from incidents.reports import filing, selectors, services
from incidents.reports import message_views as intake
from incidents.reports.forms import IncidentForm, MessageUploadForm
from incidents.reports.presentation import recall_advice, shown_factors, stored_recall
from incidents.timeline.events import describe_event
from incidents.web import paging
from incidents.web.widgets import quick

PAGE_SIZE = 50


def incident_list(request):
    rows = access.incidents_visible_to(request.user).select_related("reporter").only(*list_rows.INCIDENT_COLUMNS)
    filterset, incidents = filters.filtered(filters.IncidentFilterSet, request, rows)
    page = paging.capped_page(incidents, request, PAGE_SIZE)
    return render(request, "incidents/incident_list.html", {"page": page, "filter": filterset})


@require_http_methods(["GET", "POST"])
def incident_report(request):
    defaults = {"sent_at": timezone.localtime().replace(second=0, microsecond=0), "sender": request.user.email}
    if intake.read_requested(request):
        return intake.message_read(request, defaults=defaults)
    held = []
    if request.method == "POST":
        form = IncidentForm(request.POST)
        held = intake.held_evidence(request)
        if form.is_valid():

            def file():
                with transaction.atomic():
                    incident = services.incident_report(reporter=request.user, report=form.to_report())
                    evidence_claim(evidence_ids=[e.pk for e in held], user=request.user, incident=incident)
                return incident

            token = form.cleaned_data.get("filing_token")
            if not token:
                incident = file()
            else:
                try:
                    filed = filing.incident_file_once(
                        user=request.user,
                        key=f"form:{token}",
                        source="form",
                        fingerprint=form_fingerprint(request),
                        file=file,
                    )
                except filing.FilingKeyReused as reused:
                    form = refiled_form(request, reused.incident)
                    return render(
                        request,
                        "incidents/incident_form.html",
                        {
                            "form": form,
                            "incident": None,
                            "held_evidence": held,
                            "upload": MessageUploadForm(initial={"keep": bool(request.POST.get("keep"))}),
                        },
                    )
                incident = filed.incident
                if filed.replayed:
                    messages.info(request, _("This report was already filed: here it is."))
                    return redirect(incident)
            messages.success(request, _("Report filed and assessed."))
            return redirect(incident)
    else:
        form = IncidentForm(initial={**defaults, "filing_token": new_filing_token()})
    upload = MessageUploadForm(initial={"keep": bool(request.POST.get("keep"))})
    context = {"form": form, "incident": None, "upload": upload, "held_evidence": held}
    return render(request, "incidents/incident_form.html", context)


def new_filing_token() -> str:
    return secrets.token_urlsafe(24)


def form_fingerprint(request) -> str:
    """What the person submitted, without the page's own tokens and buttons."""
    skip = {"csrfmiddlewaretoken", "filing_token", "submit", "action"}
    return filing.fingerprint({name: request.POST.getlist(name) for name in request.POST if name not in skip})


def refiled_form(request, incident) -> IncidentForm:
    """The same token with other contents (edited after going back): keep what was typed, say what
    was filed, and let a second submit file it as a new report."""
    data = request.POST.copy()
    data["filing_token"] = new_filing_token()
    form = IncidentForm(data)
    form.is_valid()
    form.add_error(
        None,
        _(
            "This form already filed incident #%(id)s. To change that report, edit the incident; "
            "to file this as a new report, submit again."
        )
        % {"id": incident.pk},
    )
    return form


def _described(event):
    event.description = describe_event(event)
    return event


def incident_detail(request, incident_id: int, *, resolve_form: ResolveForm | None = None):
    try:
        incident = selectors.incident_detail(request.user, incident_id)
    except Incident.DoesNotExist:
        raise Http404(_("No such incident.")) from None
    accounts.share_settings(request.user, incident.reporter)  # most often the reporter reads their own
    recipients = list(incident.recipients.all())
    recall = stored_recall(incident)
    verdicts = {r.address: r.verdict for r in recall.recipients}
    can_edit = access.can_edit_incident(request.user, incident)
    escalation_rows = list(incident.escalations.select_related("policy", "acknowledged_by"))
    routes = access.responsible_routes(request.user, incident)
    # escalations.may_resolve's rule, from the rows and answers this page reads anyway.
    may_resolve = escalations.resolve_allowed(
        open_routes={e.route for e in escalation_rows if e.status != Escalation.Status.CLOSED},
        responsible=routes,
        can_edit=can_edit,
    )
    resolve_form = resolve_form or ResolveForm(incident=incident)
    for field in resolve_form.fields.values():
        # Its radios and checkboxes written in Python: the same markup without a template render per option.
        field.widget = quick(field.widget)
    context = {
        "open_routes_note": _("While managers or legal have an open escalation, they resolve this incident.")
        if can_edit and not may_resolve
        else "",
        "incident": incident,
        "factors": shown_factors(incident),
        "recall": {"verdict": recall.verdict, "advice": recall_advice(recall)},
        "actual_recipients": [(r, verdicts.get(r.address, "no")) for r in recipients if r.role == Recipient.ACTUAL],
        "intended_recipients": [r for r in recipients if r.role == Recipient.INTENDED],
        "events": [_described(e) for e in incident.events.all()],
        "can_edit": can_edit,
        "may_resolve": may_resolve,
        "escalations": escalation_rows,
        "responsible_routes": routes,
        # Acknowledging is offered while a route this user answers for still waits for it.
        "awaiting_my_acknowledgement": any(e.route in routes and e.status == "active" for e in escalation_rows),
        # (Escalating by hand is offered by the navigation's is_manager: can_manage_escalation is the same
        # access.can_open_triage, which context_processors.navigation already asks once per page.)
        "resolve_form": resolve_form,
        "escalate_form": EscalateForm(),
        "now": timezone.now(),
        **incident_drafts_panel(request, incident),
    }
    return render(request, "incidents/incident_detail.html", context)


@require_http_methods(["GET", "POST"])
def incident_edit(request, incident_id: int):
    incident = get_object_or_404(access.incidents_editable_by(request.user), pk=incident_id)
    if request.method == "POST":
        form = IncidentForm(request.POST)
        if form.is_valid():
            services.incident_update(incident=incident, actor=request.user, report=form.to_report())
            messages.success(request, _("Changes saved and the incident re-assessed."))
            return redirect(incident)
    else:
        form = IncidentForm(initial=IncidentForm.initial_for(incident))
    return render(request, "incidents/incident_form.html", {"form": form, "incident": incident})
