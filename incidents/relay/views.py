"""Held messages: the sender's list and page, with Send now, Cancel and, once cancelled, Start a report."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_POST

from incidents import access
from incidents.models import HeldMessage
from incidents.relay import selectors
from incidents.relay.services import release, reports
from incidents.web import paging

PAGE_SIZE = 50
COLUMNS = (
    "id",
    "sender_id",
    "subject",
    "recipients",
    "warnings",
    "status",
    "created_at",
    "due_at",
    "released_at",
    "cancelled_at",
    "last_error",
    "pending_report_id",
)

OUTCOME_MESSAGES = {
    release.Outcome.ALREADY_LEAVING: (
        messages.WARNING,
        gettext_noop("It is already on its way to the mail server: too late to cancel."),
    ),
    release.Outcome.ALREADY_SENT: (messages.WARNING, gettext_noop("It was already sent.")),
    release.Outcome.ALREADY_CANCELLED: (messages.INFO, gettext_noop("It was already cancelled: it will not be sent.")),
    release.Outcome.FAILED: (messages.ERROR, gettext_noop("It could not be sent, and nothing more will be tried.")),
}


def _held(request, held_id: int) -> HeldMessage:
    # Someone else's held message does not exist, as far as this user can tell.
    return get_object_or_404(selectors.held_for(request.user).select_related("sender"), pk=held_id)


def _row(held: HeldMessage) -> dict:
    return {
        "held": held,
        "warnings": selectors.warning_sentences(held),
        "recipients": ", ".join(r["address"] for r in held.recipients),
    }


@require_GET
def held_list(request):
    mine = selectors.own_held(request.user).only(*COLUMNS)
    page = paging.capped_page(mine, request, PAGE_SIZE)
    return render(request, "incidents/held_list.html", {"page": page, "rows": [_row(h) for h in page.object_list]})


@require_GET
def held_detail(request, held_id: int):
    return render(request, "incidents/held_detail.html", _row(_held(request, held_id)))


def _answer(request, held: HeldMessage, outcome: release.Outcome, done: str):
    if outcome is release.Outcome.DONE:
        messages.success(request, done)
    else:
        level, text = OUTCOME_MESSAGES[outcome]
        messages.add_message(request, level, _(text))
    return redirect(held)


@require_POST
def held_cancel(request, held_id: int):
    held = _held(request, held_id)
    outcome = release.held_cancel(held=held, actor=request.user)
    return _answer(request, held, outcome, _("Cancelled: the message will not be sent."))


@require_POST
def held_send_now(request, held_id: int):
    held = _held(request, held_id)
    outcome = release.held_send_now(held=held, actor=request.user)
    return _answer(request, held, outcome, _("Sending now."))


@require_POST
def held_report(request, held_id: int):
    held = _held(request, held_id)
    if not access.may_report_held(request.user, held):
        raise Http404  # a report is its sender's own: an administrator does not file one in their name
    pending = reports.held_report_start(held=held, actor=request.user)
    if pending is None:
        messages.error(request, _("Only a cancelled message can become a report."))
        return redirect(held)
    return redirect(pending)
