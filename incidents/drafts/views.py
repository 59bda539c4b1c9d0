"""The drafts of an incident: read one, and one small view per action (save, mark sent, send, decide, .eml)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from incidents import access
from incidents.correspondence import mailto_url
from incidents.drafts import selectors as drafting
from incidents.drafts import services
from incidents.drafts.forms import DecisionForm, DraftEditForm, draft_choice
from incidents.errors import StateConflict
from incidents.models import DraftRecord, Incident
from incidents.vocabulary import DraftDecision, DraftKind, DraftLanguage, Tone


def _incident(request, incident_id: int) -> Incident:
    return get_object_or_404(access.incidents_visible_to(request.user).select_related("reporter"), pk=incident_id)


def _item(request, incident: Incident, key: str) -> drafting.IncidentDraft:
    language, tone = draft_choice(request)
    try:
        return drafting.incident_draft(incident, key, language=language, tone=tone)
    except LookupError:
        raise Http404(_("This incident has no such draft (its facts may have changed).")) from None


def _editable(request, incident: Incident) -> None:
    access.require_edit(request.user, incident, _("Only the reporter and their managers can do this."))


def _query(language, tone) -> str:
    params = {k: v for k, v in (("language", language), ("tone", tone if tone != Tone.POLITE else None)) if v}
    return f"?{urlencode(params)}" if params else ""


def draft_url(
    incident_id: int, key: str, language: str | None = None, tone: str = Tone.POLITE, suffix: str = ""
) -> str:
    return reverse(f"incidents:draft{suffix}", args=[incident_id, key]) + _query(language, tone)


def _back(request, incident: Incident, key: str):
    return redirect(draft_url(incident.pk, key, *draft_choice(request)))


@require_GET
def draft_detail(request, incident_id: int, key: str):
    incident = _incident(request, incident_id)
    item = _item(request, incident, key)
    language, tone = draft_choice(request)
    action = lambda suffix: draft_url(incident.pk, key, language, tone, suffix=suffix)  # noqa: E731
    context = {
        "incident": incident,
        "item": item,
        "draft": item.draft,
        "refusal": item.refusal,
        "form": DraftEditForm(initial={"subject": item.draft.subject, "text": item.draft.text}),
        "can_edit": access.can_edit_incident(request.user, incident),
        "is_legal": access.may_decide_drafts(request.user),
        "language": language,
        "tone": tone,
        "languages": tuple(DraftLanguage),
        "tones": tuple(Tone),
        "save_url": action("_save"),
        "sent_url": action("_sent"),
        "send_url": action("_send"),
        "decision_url": action("_decision"),
        "eml_url": action("_eml"),
        "mailto": None if item.refusal else _mailto(item.draft),
        "own_address": drafting.sending_address(request.user),
        "sending_enabled": drafting.sending_enabled(),
        "sent_via_choices": DraftRecord.SentVia.choices,
    }
    return render(request, "incidents/draft_detail.html", context)


@require_POST
def draft_save(request, incident_id: int, key: str):
    incident = _incident(request, incident_id)
    _editable(request, incident)
    item = _item(request, incident, key)
    form = DraftEditForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _back(request, incident, key)
    services.draft_edit(incident=incident, item=item, actor=request.user, **form.cleaned_data)
    messages.success(request, _("Your wording is saved."))
    return _back(request, incident, key)


@require_POST
def draft_mark_sent(request, incident_id: int, key: str):
    incident = _incident(request, incident_id)
    _editable(request, incident)
    item = _item(request, incident, key)
    try:
        services.draft_mark_sent(incident=incident, item=item, actor=request.user, via=request.POST.get("via", ""))
        messages.success(request, _("Marked as sent."))
    except (StateConflict, ValueError) as error:
        messages.error(request, str(error))
    return _back(request, incident, key)


@require_POST
def draft_send(request, incident_id: int, key: str):
    incident = _incident(request, incident_id)
    _editable(request, incident)
    item = _item(request, incident, key)
    if not request.POST.get("confirm"):
        messages.error(request, _("Tick the box to confirm you want Missend Desk to send it now."))
        return _back(request, incident, key)
    try:
        services.draft_send(incident=incident, item=item, actor=request.user)
        messages.success(request, _("Sent."))
    except StateConflict as error:
        messages.error(request, str(error))
    except (OSError, ValueError) as error:
        messages.error(
            request, _("Not sent: %(error)s. Nothing was recorded; try again or use the .eml.") % {"error": error}
        )
    return _back(request, incident, key)


@require_POST
def draft_decide(request, incident_id: int, key: str):
    incident = _incident(request, incident_id)
    access.require_decide_drafts(request.user)
    item = _item(request, incident, key)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
        return _back(request, incident, key)
    try:
        services.draft_decide(
            incident=incident,
            item=item,
            actor=request.user,
            approve=form.cleaned_data["decision"] == DraftDecision.APPROVE,
            comment=form.cleaned_data["comment"],
        )
        messages.success(request, _("Decision recorded."))
    except (StateConflict, ValueError) as error:
        messages.error(request, str(error))
    if request.POST.get("next") == "legal":
        return redirect("incidents:legal")
    return _back(request, incident, key)


def _mailto(draft) -> str | None:
    if draft.kind == DraftKind.CALL_SCRIPT:
        return None
    try:
        return mailto_url(draft)
    except ValueError:  # an address that is not one mailbox: the .eml says why
        return None


@require_GET
def draft_eml(request, incident_id: int, key: str):
    incident = _incident(request, incident_id)
    item = _item(request, incident, key)
    try:
        payload = drafting.draft_eml(incident, item, user=request.user)
    except StateConflict as error:
        return HttpResponse(error.message, status=409, content_type="text/plain; charset=utf-8")
    except ValueError as error:
        return HttpResponse(
            _("Cannot build the .eml: %(error)s") % {"error": error},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(payload, content_type="message/rfc822")
    filename = f"incident-{incident.pk}-{item.draft.kind}-{item.draft.language}.eml"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def incident_drafts_panel(request, incident: Incident) -> dict:
    """The draft list for the incident page; an admin template that fails shows as a warning on its draft."""
    language, tone = draft_choice(request)
    items = drafting.incident_drafts(incident, language=language, tone=tone)
    return {
        "draft_items": [(item, draft_url(incident.pk, item.draft.key, language, tone)) for item in items],
        "draft_language": language,
        "draft_tone": tone,
        "draft_languages": tuple(DraftLanguage),
        "draft_tones": tuple(Tone),
    }
