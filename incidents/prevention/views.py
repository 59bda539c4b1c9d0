"""The "Before you send" page: a draft in, the pre-send check's verdict, the checklist and the delayed-send
steps out. Nothing is stored unless the user presses "Keep this check"; kept checks are their owner's alone."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from incidents.assessment.explanations import join_items
from incidents.models import Incident, KeptCheck
from incidents.precheck import draft_overview
from incidents.prevention import services as prechecks
from incidents.prevention.forms import DraftUploadForm, PrecheckForm, draft_values
from incidents.prevention.selectors import precheck_context
from incidents.review.rules import send_delay_steps
from incidents.vocabulary import Habit, MailSystem, OrganisationKind, RecipientField
from incidents.web import paging

READ, KEEP = "read", "keep"
PAGE_SIZE = 20
KEPT_COLUMNS = ("id", "created_at", "subject", "warnings")


def usual_mail_system(user) -> str:
    """The mail system of the user's latest report, else "other"."""
    latest = Incident.objects.filter(reporter=user).order_by("-created_at", "-id").values_list("mail_system", flat=True)
    return latest.first() or MailSystem.OTHER


def delay_steps() -> list[dict]:
    """Every mail system's steps (the page shows the chosen one; a script switches without a round trip)."""
    return [{"code": code, "label": label, "steps": send_delay_steps(code)} for code, label in MailSystem.choices]


def _verdict(form: PrecheckForm) -> dict:
    draft = form.draft()
    warnings = prechecks.draft_check(draft=draft)
    overview = draft_overview(draft, precheck_context())
    kinds, fields = dict(OrganisationKind.choices), dict(RecipientField.choices)
    addressees = [
        {
            "field_label": fields.get(a.field, a.field),
            "address": a.address,
            "who": _("%(organisation)s (%(kind)s)") % {"organisation": a.organisation, "kind": kinds[a.kind]}
            if a.organisation and a.kind in kinds
            else _("not in the directory"),
        }
        for a in overview.addressees
    ]
    # Lists in the reader's punctuation, as the warning sentences write them ("USD 1.80、0.9 美元").
    return {
        "warnings": warnings,
        "overview": overview,
        "addressees": addressees,
        "figures": join_items(overview.figures),
        "attachments": join_items(overview.attachments),
    }


def _typed(request) -> dict:
    return {name: request.POST[name] for name in PrecheckForm.base_fields if request.POST.get(name, "").strip()}


@require_http_methods(["GET", "POST"])
def precheck(request):
    context = {"upload": DraftUploadForm(), "verdict": None, "message_warnings": ()}
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == READ:
        upload = DraftUploadForm(request.POST, request.FILES)
        if upload.is_valid():
            parsed = upload.cleaned_data["message"]
            form = PrecheckForm({**_typed(request), **draft_values(parsed)})
            context["message_warnings"] = parsed.warnings
        else:
            form = PrecheckForm(initial=_typed(request) or {"mail_system": usual_mail_system(request.user)})
            context["upload"] = upload
    elif request.method == "POST":
        form = PrecheckForm(request.POST)
    else:
        form = PrecheckForm(initial={"mail_system": usual_mail_system(request.user)})
    if form.is_bound and form.is_valid():
        context["verdict"] = _verdict(form)
        if action == KEEP:
            kept = prechecks.kept_check_create(
                owner=request.user, draft=form.draft(), warnings=context["verdict"]["warnings"]
            )
            messages.success(request, _("The check is kept. Only you can see it."))
            return redirect("incidents:kept_check", kept_id=kept.pk)
    chosen = form["mail_system"].value() or MailSystem.OTHER
    page = paging.capped_page(prechecks.kept_checks_of(request.user).only(*KEPT_COLUMNS), request, PAGE_SIZE)
    for kept in page:
        kept.warning_count = len(kept.warnings or ())
    context.update(form=form, habits=Habit.labels, delay=delay_steps(), chosen_system=chosen, page=page)
    return render(request, "incidents/precheck.html", context)


def _own(request, kept_id: int) -> KeptCheck:
    try:
        return prechecks.kept_checks_of(request.user).get(pk=kept_id)
    except KeptCheck.DoesNotExist:
        raise Http404(_("No such kept check.")) from None


def kept_check(request, kept_id: int):
    kept = _own(request, kept_id)
    by_field = {
        field.value: [r["address"] for r in kept.recipients if r.get("field") == field] for field in RecipientField
    }
    context = {"kept": kept, "warnings": prechecks.stored_warnings(kept), "recipients": by_field}
    return render(request, "incidents/kept_check.html", context)


@require_POST
def kept_check_delete(request, kept_id: int):
    if not prechecks.kept_check_delete(owner=request.user, kept_id=kept_id):
        raise Http404(_("No such kept check."))
    messages.success(request, _("The kept check is deleted."))
    return redirect("incidents:precheck")
