from __future__ import annotations

import secrets

from django.contrib import messages
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from incidents import access
from incidents.accounts import selectors as accounts
from incidents.directory import selectors as directory_selectors
from incidents.drafts.views import incident_drafts_panel
from incidents.escalation.forms import EscalateForm, ResolveForm
from incidents.evidence import services as evidence_services
from incidents.message import suggest_intended_organisations
from incidents.models import Escalation, Evidence, Incident, MailDomain, Recipient
from incidents.reports import selectors, services
from incidents.reports.forms import IncidentForm, MessageUploadForm
from incidents.reports.presentation import recall_advice, shown_factors, stored_recall
from incidents.reports.report import message_prefill
from incidents.timeline.events import describe_event
from incidents.vocabulary import EscalationStatus, FilingSource, RecallVerdict
from incidents.web.widgets import quick


@require_http_methods(["GET", "POST"])
def incident_report(request):
    defaults = {"sent_at": timezone.localtime().replace(second=0, microsecond=0), "sender": request.user.email}
    if read_requested(request):
        return message_read(request, defaults=defaults)
    held = []
    if request.method == "POST":
        form = IncidentForm(request.POST)
        held = held_evidence(request)
        if form.is_valid():

            def file():
                return services.incident_file(
                    reporter=request.user, report=form.to_report(), held_evidence_ids=[e.pk for e in held]
                )[0]

            token = form.cleaned_data.get("filing_token")
            if not token:
                incident = file()
            else:
                try:
                    filed = services.incident_file_once(
                        user=request.user,
                        key=f"form:{token}",
                        source=FilingSource.FORM,
                        fingerprint=form_fingerprint(request),
                        file=file,
                    )
                except services.FilingKeyReused as reused:
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
    return services.fingerprint({name: request.POST.getlist(name) for name in request.POST if name not in skip})


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
    # access.may_resolve's rule, from the rows and answers this page reads anyway.
    may_resolve = access.resolve_allowed(
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
        "actual_recipients": [
            (r, verdicts.get(r.address, RecallVerdict.NO)) for r in recipients if r.role == Recipient.ACTUAL
        ],
        "intended_recipients": [r for r in recipients if r.role == Recipient.INTENDED],
        "events": [_described(e) for e in incident.events.all()],
        "can_edit": can_edit,
        "may_resolve": may_resolve,
        "escalations": escalation_rows,
        "responsible_routes": routes,
        # Acknowledging is offered while a route this user answers for still waits for it.
        "awaiting_my_acknowledgement": any(
            e.route in routes and e.status == EscalationStatus.ACTIVE for e in escalation_rows
        ),
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
    incident = get_object_or_404(access.incidents_visible_to(request.user), pk=incident_id)
    access.require_edit(request.user, incident, _("Only the reporter and their managers can change a report."))
    if request.method == "POST":
        form = IncidentForm(request.POST)
        if form.is_valid():
            services.incident_update(incident=incident, actor=request.user, report=form.to_report())
            messages.success(request, _("Changes saved and the incident re-assessed."))
            return redirect(incident)
    else:
        form = IncidentForm(initial=IncidentForm.initial_for(incident))
    return render(request, "incidents/incident_form.html", {"form": form, "incident": incident})


READ = "read"


KNOWN_ADDRESSES = 5


def typed_values(request) -> dict:
    """What the user already typed, so reading a message never loses it (the message wins where it speaks)."""
    values = {}
    for name in IncidentForm.base_fields:
        if name == "problems":
            chosen = request.POST.getlist(name)
            if chosen:
                values[name] = chosen
        elif name == "firm_offer":
            values[name] = name in request.POST
        elif request.POST.get(name, "").strip():
            values[name] = request.POST[name]
    return values


def known_addresses(user, organisation: str) -> list[str]:
    """Addresses at the organisation from incidents the user may see, intended ones first."""
    domains = MailDomain.objects.filter(organisation__name=organisation).values_list("domain", flat=True)
    at_domain = Q(pk__in=[])
    for domain in domains:
        at_domain |= Q(address__iendswith="@" + domain) | Q(address__iendswith="." + domain)
    rows = (
        Recipient.objects.filter(at_domain, incident__in=access.incidents_visible_to(user))
        .annotate(
            intended_first=Case(
                When(role=Recipient.INTENDED, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("intended_first", "-incident__created_at")
        .values_list("address", flat=True)
    )
    return list(dict.fromkeys(rows[: KNOWN_ADDRESSES * 4]))[:KNOWN_ADDRESSES]


def suggestions(user, parsed) -> list[dict]:
    return [
        {"organisation": name, "addresses": known_addresses(user, name)}
        for name in suggest_intended_organisations(parsed, directory_selectors.load_directory())
    ]


def held_evidence(request) -> list[Evidence]:
    """The user's own files kept on this page and not yet filed (the ids ride along in the form)."""
    ids = [value for value in request.POST.getlist("evidence") if value.isdigit()]
    if not ids:
        return []
    return list(Evidence.objects.filter(pk__in=ids, incident__isnull=True, uploaded_by=request.user))


def message_read(request, *, defaults: dict):
    """Read the posted message into the report form; a file that is not an email is an error on its field."""
    upload = MessageUploadForm(request.POST, request.FILES)
    initial = {**defaults, **typed_values(request)}
    context = {
        "incident": None,
        "warnings": (),
        "suggestions": [],
        "message_read": False,
        "held_evidence": held_evidence(request),
    }
    if upload.is_valid():
        parsed = upload.cleaned_data["message"]
        initial.update(message_prefill(parsed))
        context.update(warnings=parsed.warnings, suggestions=suggestions(request.user, parsed), message_read=True)
        keep = upload.cleaned_data["keep"]
        if keep:
            evidence_services.held_evidence_purge()
            data, filename = upload.message_bytes()
            context["held_evidence"].append(
                evidence_services.evidence_keep(
                    data=data, filename=filename, user=request.user, source=Evidence.Source.REPORT_PAGE
                )
            )
        upload = MessageUploadForm(initial={"keep": keep})
    context.update(form=IncidentForm(initial=initial), upload=upload)
    return render(request, "incidents/incident_form.html", context)


def read_requested(request) -> bool:
    return request.method == "POST" and request.POST.get("action") == READ
