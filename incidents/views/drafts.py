"""The drafts of an incident: read, edit, download as .eml, send, mark sent, and legal's approval."""
from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from .. import drafting, selectors
from ..correspondence import LANGUAGES, TONES, TemplateProblem, mailto_url
from ..models import DraftRecord, Incident


class DraftEditForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=250)
    text = forms.CharField(label=gettext_lazy("Text"), max_length=100_000, widget=forms.Textarea(attrs={"rows": 16}))


class DecisionForm(forms.Form):
    comment = forms.CharField(label=gettext_lazy("Comment"), max_length=5000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


def draft_choice(request) -> tuple[str | None, str]:
    """The language and tone asked for in the query string; unknown values fall back to the defaults."""
    language = request.GET.get("language")
    tone = request.GET.get("tone", "polite")
    return (language if language in LANGUAGES else None), (tone if tone in TONES else "polite")


def _incident(request, incident_id: int) -> Incident:
    return get_object_or_404(selectors.incidents_visible_to(request.user).select_related("reporter"), pk=incident_id)


def _item(incident, key, language, tone):
    try:
        return drafting.incident_draft(incident, key, language=language, tone=tone)
    except LookupError:
        raise Http404(_("This incident has no such draft (its facts may have changed).")) from None


def _query(language, tone) -> str:
    params = {k: v for k, v in (("language", language), ("tone", tone if tone != "polite" else None)) if v}
    return f"?{urlencode(params)}" if params else ""


def draft_url(incident_id: int, key: str, language: str | None = None, tone: str = "polite", suffix: str = "") -> str:
    return reverse(f"incidents:draft{suffix}", args=[incident_id, key]) + _query(language, tone)


@require_http_methods(["GET", "POST"])
def draft_detail(request, incident_id: int, key: str):
    incident = _incident(request, incident_id)
    language, tone = draft_choice(request)
    item = _item(incident, key, language, tone)
    can_edit = selectors.incidents_editable_by(request.user).filter(pk=incident.pk).exists()
    is_legal = request.user.is_superuser or selectors.LEGAL in selectors.user_roles(request.user)
    here = draft_url(incident.pk, key, language, tone)
    form = DraftEditForm(initial={"subject": item.draft.subject, "text": item.draft.text})
    if request.method == "POST":
        action = request.POST.get("action")
        if action in ("save", "mark_sent", "send") and not can_edit:
            raise Http404
        if action in ("approve", "reject") and not (is_legal and item.draft.needs_legal_approval):
            raise Http404
        if action == "save":
            form = DraftEditForm(request.POST)
            if form.is_valid():
                drafting.draft_edit(incident=incident, item=item, actor=request.user, **form.cleaned_data)
                messages.success(request, _("Your wording is saved."))
                return redirect(here)
        elif action == "mark_sent":
            via = request.POST.get("via")
            if via not in DraftRecord.SentVia.values:
                messages.error(request, _("Say how it was sent."))
            else:
                drafting.draft_mark_sent(incident=incident, item=item, actor=request.user, via=via)
                messages.success(request, _("Marked as sent."))
            return redirect(here)
        elif action == "send":
            if not request.POST.get("confirm"):
                messages.error(request, _("Tick the box to confirm you want Missend Desk to send it now."))
            elif not drafting.sending_enabled():
                messages.error(request, _("Sending from Missend Desk is not set up; download the .eml instead."))
            else:
                try:
                    drafting.draft_send(incident=incident, item=item, actor=request.user)
                    messages.success(request, _("Sent."))
                except PermissionError as error:
                    messages.error(request, str(error))
                except (OSError, ValueError) as error:
                    messages.error(request, _("Not sent: %(error)s. Nothing was recorded; try again or use the .eml.") % {"error": error})
            return redirect(here)
        elif action in ("approve", "reject"):
            decision = DecisionForm(request.POST)
            comment = decision.cleaned_data["comment"] if decision.is_valid() else ""
            if action == "reject" and not comment.strip():
                messages.error(request, _("Say why it is rejected, so the sender knows what to change."))
            else:
                drafting.draft_decide(incident=incident, item=item, actor=request.user, approve=action == "approve", comment=comment)
                messages.success(request, _("Decision recorded."))
            return redirect(here)
    context = {
        "incident": incident, "item": item, "draft": item.draft, "form": form, "decision_form": DecisionForm(),
        "can_edit": can_edit, "is_legal": is_legal, "language": language, "tone": tone,
        "languages": LANGUAGES, "tones": TONES, "here": here,
        "eml_url": draft_url(incident.pk, key, language, tone, suffix="_eml"),
        "mailto": _mailto(item.draft),
        "sending_enabled": drafting.sending_enabled(), "sent_via_choices": DraftRecord.SentVia.choices,
    }
    return render(request, "incidents/draft_detail.html", context)


def _mailto(draft) -> str | None:
    if draft.kind == "call_script":
        return None
    try:
        return mailto_url(draft)
    except ValueError:  # an address that is not one mailbox: the .eml says why
        return None


def draft_eml(request, incident_id: int, key: str):
    incident = _incident(request, incident_id)
    language, tone = draft_choice(request)
    item = _item(incident, key, language, tone)
    if item.draft.kind == "call_script":
        raise Http404(_("A call script has no .eml."))
    try:
        payload = drafting.draft_eml(incident, item)
    except ValueError as error:
        return HttpResponse(_("Cannot build the .eml: %(error)s") % {"error": error}, status=400, content_type="text/plain")
    response = HttpResponse(payload, content_type="message/rfc822")
    filename = f"incident-{incident.pk}-{item.draft.kind}-{item.draft.language}.eml"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def incident_drafts_panel(request, incident: Incident) -> dict:
    """The draft list for the incident page; a broken admin template shows as an error, not a 500."""
    language, tone = draft_choice(request)
    try:
        items = drafting.incident_drafts(incident, language=language, tone=tone)
        problem = None
    except TemplateProblem as error:
        items, problem = [], str(error)
    return {
        "draft_items": [(item, draft_url(incident.pk, item.draft.key, language, tone)) for item in items],
        "draft_problem": problem, "draft_language": language, "draft_tone": tone,
        "draft_languages": LANGUAGES, "draft_tones": TONES,
    }
