"""Acknowledging, taking over, escalating and resolving; the triage and legal queues; the inbox."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from incidents import access
from incidents.errors import PermissionDenied, StateConflict
from incidents.escalation import selectors as queues
from incidents.escalation import services as escalations
from incidents.escalation.forms import CloseEscalationForm, EscalateForm, ResolveForm
from incidents.insight import filters
from incidents.insight import rows as list_rows
from incidents.models import Escalation, Incident, Notification
from incidents.notifications import selectors as notification_selectors
from incidents.notifications import services as notifications
from incidents.notifications.links import read_token
from incidents.reports import views as pages
from incidents.vocabulary import IncidentStatus
from incidents.web import paging

PAGE_SIZE = 50


def _visible_incident(request, incident_id: int) -> Incident:
    return get_object_or_404(access.incidents_visible_to(request.user), pk=incident_id)


def _refused(request, incident, error) -> None:
    if isinstance(error, StateConflict):
        messages.error(request, error.message)
    else:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))


@require_POST
def incident_acknowledge(request, incident_id: int):
    incident = _visible_incident(request, incident_id)
    done = escalations.incident_acknowledge(incident=incident, actor=request.user)
    if done:
        messages.success(request, _("Acknowledged: no further levels will be notified."))
    else:
        messages.info(request, _("Nothing was waiting for acknowledgement."))
    return redirect(incident)


@require_POST
def incident_take_over(request, incident_id: int):
    incident = _visible_incident(request, incident_id)
    try:
        escalations.incident_take_over(incident=incident, actor=request.user)
        messages.success(request, _("You now handle this incident."))
    except StateConflict as error:
        _refused(request, incident, error)
    return redirect(incident)


@require_POST
def incident_resolve(request, incident_id: int):
    incident = _visible_incident(request, incident_id)
    if not access.may_resolve(request.user, incident):
        raise PermissionDenied(
            _(
                "An escalation is open to managers or legal: only someone who answers for every "
                "open route can resolve this incident."
            )
        )
    form = ResolveForm(request.POST, incident=incident)
    if form.is_valid():
        try:
            escalations.incident_resolve(
                incident=incident, actor=request.user, note=form.cleaned_data["note"], review=form.review()
            )
            messages.success(request, _("Incident resolved."))
        except ValidationError as error:  # the severity rose since the page was opened: the review is now due
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        except (StateConflict, ValueError) as error:
            _refused(request, incident, error)
    if form.errors:
        # The page again, with the errors at their fields and everything typed kept.
        messages.error(request, _("The incident is not resolved yet: see the errors in the Resolve form."))
        return pages.incident_detail(request, incident_id, resolve_form=form)
    return redirect(incident)


@require_POST
def incident_escalate(request, incident_id: int):
    incident = _visible_incident(request, incident_id)
    access.require_escalate(request.user)
    form = EscalateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose where to escalate and say why."))
        return redirect(incident)
    try:
        escalations.incident_escalate(
            incident=incident, route=form.cleaned_data["route"], actor=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Escalation started."))
    except StateConflict as error:
        _refused(request, incident, error)
    return redirect(incident)


@require_POST
def incident_close_escalation(request, incident_id: int):
    incident = _visible_incident(request, incident_id)
    form = CloseEscalationForm(request.POST)
    escalation = incident.escalations.filter(route=request.POST.get("route")).first()
    if escalation is None or not form.is_valid():
        messages.error(request, _("Give a reason for closing the escalation."))
        return redirect(incident)
    try:
        escalations.escalation_close(escalation=escalation, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Escalation closed."))
    except StateConflict as error:
        _refused(request, incident, error)
    return redirect(incident)


def triage_queue(request):
    if not access.can_open_triage(request.user):
        raise Http404
    queue = queues.triage_queue(request.user).only(*list_rows.TRIAGE_COLUMNS)
    filterset, escalation_rows = filters.filtered(filters.TriageFilterSet, request, queue)
    page = paging.capped_page(escalation_rows, request, PAGE_SIZE)
    return render(request, "incidents/triage_queue.html", {"page": page, "filter": filterset, "now": timezone.now()})


def legal_queue(request):
    if not access.can_open_legal_queue(request.user):
        raise Http404
    # Open work by default, in deadline order; asking for resolved ones reads the history newest first.
    statuses = set(request.GET.getlist("status"))
    resolved = (None if len(statuses) > 1 else True) if IncidentStatus.RESOLVED in statuses else False
    queue = queues.legal_queue(request.user, resolved=resolved).only(*list_rows.LEGAL_COLUMNS)
    filterset, incidents = filters.filtered(filters.LegalFilterSet, request, queue)
    page = paging.capped_page(incidents, request, PAGE_SIZE)
    return render(request, "incidents/legal_queue.html", {"page": page, "filter": filterset, "now": timezone.now()})


def inbox(request):
    page = paging.capped_page(
        notification_selectors.inbox(request.user).only(*list_rows.INBOX_COLUMNS), request, PAGE_SIZE
    )
    items = list(page.object_list)
    notifications.inbox_mark_read(items)  # seeing the inbox reads what is on this page
    return render(request, "incidents/inbox.html", {"page": page, "items": items})


@login_not_required
@require_http_methods(["GET", "POST"])
def acknowledge_link(request, token: str):
    """The emailed link: GET shows one button (so mail scanners that open links do not acknowledge), POST acknowledges."""
    try:
        claim = read_token(token)
        notification = Notification.objects.select_related("incident", "escalation", "recipient").get(
            pk=claim["n"], recipient_id=claim["u"]
        )
    except signing.SignatureExpired:
        return render(
            request,
            "incidents/acknowledge_link.html",
            {"problem": _("This link has expired. Open the incident in Missend Desk to acknowledge it.")},
            status=410,
        )
    except (signing.BadSignature, KeyError, TypeError, Notification.DoesNotExist):
        return render(request, "incidents/acknowledge_link.html", {"problem": _("This link is not valid.")}, status=404)
    if request.user.is_authenticated and request.user.pk != notification.recipient_id:
        return render(
            request,
            "incidents/acknowledge_link.html",
            {"problem": _("This link was sent to someone else. Log out, or acknowledge from the incident page.")},
            status=403,
        )
    escalation = notification.escalation
    context = {"notification": notification, "incident": notification.incident, "escalation": escalation}
    if notification.ack_link_used_at or escalation.status != Escalation.Status.ACTIVE:
        context["already"] = True
        return render(request, "incidents/acknowledge_link.html", context)
    if notification.route not in access.responsible_routes(notification.recipient, notification.incident):
        context["not_yours"] = True
        return render(request, "incidents/acknowledge_link.html", context, status=403)
    if request.method == "POST":
        escalations.acknowledge_by_link(notification)
        escalation.refresh_from_db()
        context.update(done=True, already=False)
    return render(request, "incidents/acknowledge_link.html", context)
