"""The report page's "read the sent message" step: the message fills the form, nothing is filed or kept."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, Value, When
from django.shortcuts import render

from incidents import access
from incidents.directory import selectors as engine_inputs
from incidents.evidence import services as evidence_services
from incidents.message import suggest_intended_organisations
from incidents.models import Evidence, MailDomain, Recipient
from incidents.reports.forms import IncidentForm, MessageUploadForm, message_prefill

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
        for name in suggest_intended_organisations(parsed, engine_inputs.load_directory())
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
