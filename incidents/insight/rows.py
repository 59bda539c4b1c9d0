"""The rows of the lists (incidents, triage, legal review, inbox), built in Python.

A list shows 50 rows, and the template engine spent about a quarter of a millisecond on each:
more than the database took for the whole page. Like the admin's change list, the rows here are
joined from escaped strings; the page around them stays a template. The markup is the same as the
templates had, and every word goes through the catalogue (the msgids are those the templates used).

Every value that comes from data passes through ``escape``; only our own markup and the
catalogue's sentences are trusted.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext

from incidents.platform.formats import ago, amount, duration_words, format_when, price_gap_percent
from incidents.timeline.events import person_name as person
from incidents.vocabulary import DraftDecision, EscalationStatus, IncidentStatus

_NUMBER = 987654321  # a stand-in id, replaced after reversing once

_PERSON = ("first_name", "last_name", "username")


def _of(relation: str, names) -> tuple[str, ...]:
    return tuple(f"{relation}__{name}" for name in names)


# The columns each list's rows read, for the lists' .only(): a row needs a dozen of an incident's
# forty columns, and loading the rest (JSON decoded, times converted) cost more than the query.
# A row that reads a column not named here costs a query per row; the query-count tests catch that.
INCIDENT_COLUMNS = (
    "id",
    "severity",
    "subject",
    "route_manager",
    "route_legal",
    "created_at",
    "status",
    "reporter",
    *_of("reporter", _PERSON),
)
TRIAGE_COLUMNS = (
    "id",
    "status",
    "route",
    "level",
    "next_action_at",
    "started_at",
    "policy",
    "incident",
    *_of("incident", ("id", "severity", "subject", "assignee", "reporter")),
    *_of("incident__reporter", _PERSON),
    *_of("incident__assignee", _PERSON),
    "acknowledged_by",
    *_of("acknowledged_by", _PERSON),
)
LEGAL_COLUMNS = (
    "id",
    "severity",
    "subject",
    "created_at",
    "status",
    "quoted_price",
    "correct_price",
    "currency",
    "firm_offer",
    "recipient_status",
    "regulatory_deadline",
    "reporter",
    *_of("reporter", _PERSON),
)
INBOX_COLUMNS = (
    "id",
    "read_at",
    "level",
    "route",
    "created_at",
    "incident",
    *_of("incident", ("id", "severity", "subject")),
    "escalation",
    "escalation__status",
)


class _Link:
    """An object's page, reversed once per list instead of once per row."""

    def __init__(self, name: str, *prefix_args):
        self.head, self.tail = reverse(name, args=[*prefix_args, _NUMBER]).split(str(_NUMBER))

    def __call__(self, pk) -> str:
        return f"{self.head}{pk}{self.tail}"


def severity_badge(incident) -> str:
    return f'<span class="badge severity-{escape(incident.severity)}">{escape(incident.get_severity_display())}</span>'


def _lead(incident, link: _Link, length: int) -> str:
    """The cells every incident table starts with: number, severity, and the subject's link (its cell left open)."""
    return (
        f"<td>{incident.pk}</td><td>{severity_badge(incident)}</td>"
        f'<td><a href="{link(incident.pk)}">{_subject(incident, length)}</a>'
    )


def _subject(incident, length: int) -> str:
    """The subject cut to ``length`` characters as the template filter truncatechars cut it."""
    subject = incident.subject
    if len(subject) <= length:  # Truncator normalises and returns short text whole; only that, cheaply
        return escape(unicodedata.normalize("NFC", subject))
    return escape(Truncator(subject).chars(length))


def _iso(moment: datetime) -> str:
    """As the template filter date:"c" wrote it: ISO 8601 in the reader's zone."""
    return timezone.localtime(moment).isoformat() if moment else ""


def _time(moment: datetime) -> str:
    """<time> with the machine-readable moment and the reader's local time."""
    return f'<time datetime="{_iso(moment)}">{escape(format_when(moment))}</time>'


def incident_rows(incidents) -> SafeString:
    """The incident list's rows: number, severity, subject, reporter, routes, reported, status."""
    link = _Link("incidents:detail")
    manager, legal = escape(gettext("Manager")), escape(gettext("Legal"))
    manager = f'<span class="badge text-bg-warning">{manager}</span>'
    legal = f'<span class="badge text-bg-info">{legal}</span>'
    rows = []
    for incident in incidents:
        rows.append(
            f"<tr>{_lead(incident, link, 80)}</td>"
            f'<td class="text-nowrap">{escape(person(incident.reporter))}</td>'
            f'<td class="text-nowrap">{manager if incident.route_manager else ""}'
            f"{' ' if incident.route_manager and incident.route_legal else ''}{legal if incident.route_legal else ''}</td>"
            f'<td class="text-nowrap">{_time(incident.created_at)}</td>'
            f'<td class="text-nowrap">{escape(incident.get_status_display())}</td></tr>'
        )
    return mark_safe("\n".join(rows))


def _triage_next(escalation, now: datetime, words: dict) -> str:
    if escalation.status != EscalationStatus.ACTIVE:
        return "—"
    if not escalation.next_action_at:
        return words["all told"]
    if escalation.next_action_at > now:
        return escape(gettext("in %(t)s") % {"t": duration_words(now, escalation.next_action_at)})
    return words["due now"]


def triage_rows(escalations, now: datetime) -> SafeString:
    """Triage's rows: running escalations, unacknowledged ones marked."""
    link = _Link("incidents:detail")
    waiting = escape(gettext("Not acknowledged"))
    words = {
        "all told": escape(gettext("all levels told")),
        "due now": escape(gettext("due now")),
        "waiting": f"<strong>{waiting}</strong>",
    }
    rows = []
    for escalation in escalations:
        incident = escalation.incident
        waiting = escalation.status == EscalationStatus.ACTIVE
        reporter = escape(person(incident.reporter))
        if incident.assignee_id:
            reporter += " · " + gettext("handled by %(who)s") % {"who": escape(person(incident.assignee))}
        failed = ""
        if escalation.failed_notifications:
            n = escalation.failed_notifications
            failed = (
                '<div class="small text-danger fw-bold">'
                + ngettext("%(n)s notification failed", "%(n)s notifications failed", n) % {"n": n}
                + "</div>"
            )
        if waiting:
            state = words["waiting"]
        else:
            state = gettext("Acknowledged by %(who)s") % {"who": escape(person(escalation.acknowledged_by))}
        started = escalation.started_at
        rows.append(
            f'<tr class="{"table-warning" if waiting else ""}">{_lead(incident, link, 70)}'
            f'<div class="small text-secondary">{reporter}</div>{failed}</td>'
            f'<td class="text-nowrap">{escape(escalation.get_route_display())}</td>'
            f'<td style="min-width: 6em">{state}</td>'
            f'<td class="text-nowrap">{escalation.level + 1} / {escalation.level_count}</td>'
            f'<td class="text-nowrap">{_triage_next(escalation, now, words)}</td>'
            f'<td class="text-nowrap"><time datetime="{_iso(started)}" title="{escape(format_when(started))}">'
            f"{escape(ago(started, now))}</time></td></tr>"
        )
    return mark_safe("\n".join(rows))


def _offer_facts(incident) -> str:
    if incident.quoted_price is None:
        return "—"
    facts = gettext("quoted %(q)s %(cur)s for %(c)s") % {
        "q": escape(amount(incident.quoted_price)),
        "cur": escape(incident.currency),
        "c": escape(amount(incident.correct_price) or "?"),
    }
    gap = price_gap_percent(incident)
    if gap:
        too_low = gettext("%(gap)s too low") % {"gap": escape(gap)}
        facts += f" · <strong>{too_low}</strong>"
    facts += "<br>"
    if incident.firm_offer:
        firm = escape(gettext("firm offer / validity stated"))
        facts += f'<span class="badge text-bg-danger">{firm}</span> '
    return facts + f'<span class="badge text-bg-secondary">{escape(incident.get_recipient_status_display())}</span>'


def _deadline(incident, now: datetime) -> str:
    deadline = incident.regulatory_deadline
    if not deadline:
        return "—"
    if deadline > now:
        left = gettext("%(t)s left") % {"t": escape(duration_words(now, deadline))}
    else:
        left = escape(gettext("passed"))
    return f'<strong class="text-danger">{left}</strong><div class="small">{escape(format_when(deadline))}</div>'


def _legal_state(incident) -> str:
    if incident.status == IncidentStatus.RESOLVED:
        return escape(gettext("Resolved"))
    state = incident.legal_state
    if state == EscalationStatus.ACTIVE:
        waiting = escape(gettext("Legal has not acknowledged"))
        return f"<strong>{waiting}</strong>"
    if state == EscalationStatus.ACKNOWLEDGED:
        return gettext("Legal acknowledged (%(who)s)") % {"who": escape(incident.legal_acknowledged_by or "?")}
    if state == EscalationStatus.CLOSED:
        return escape(gettext("Legal route closed"))
    return escape(gettext("Not escalated to legal"))


def _approval_forms(incident, csrf_token: str) -> str:
    """A form per draft awaiting legal's approval: approve, or reject with a comment."""
    forms = []
    if not incident.drafts_awaiting_approval:
        return ""
    read_it, comment = escape(gettext("read it")), escape(gettext("Comment (required to reject)"))
    approve, reject = escape(gettext("Approve")), escape(gettext("Reject"))
    for record in incident.drafts_awaiting_approval:
        decide = reverse("incidents:draft_decision", args=[incident.pk, record.key])
        read = reverse("incidents:draft", args=[incident.pk, record.key])
        awaits = gettext("%(kind)s awaits your approval") % {"kind": escape(record.get_kind_display())}
        forms.append(
            f'<form method="post" action="{decide}" class="mt-2 border-top pt-2">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
            '<input type="hidden" name="next" value="legal">'
            f'<div class="small fw-bold">{awaits} · <a href="{read}">{read_it}</a></div>'
            '<input class="form-control form-control-sm my-1" name="comment" maxlength="5000" '
            f'placeholder="{comment}">'
            f'<button class="btn btn-sm btn-success text-nowrap" name="decision" value="{DraftDecision.APPROVE}" '
            f'type="submit">{approve}</button> '
            f'<button class="btn btn-sm btn-outline-danger text-nowrap" name="decision" value="{DraftDecision.REJECT}" '
            f'type="submit">{reject}</button></form>'
        )
    return "".join(forms)


def legal_rows(incidents, now: datetime, csrf_token: str) -> SafeString:
    """Legal review's rows: offer facts, the breach deadline, legal's own state and drafts to approve."""
    link = _Link("incidents:detail")
    rows = []
    for incident in incidents:
        rows.append(
            f"<tr>{_lead(incident, link, 70)}"
            f'<div class="small text-secondary">{escape(person(incident.reporter))} · '
            f"{escape(format_when(incident.created_at))}</div></td>"
            f'<td class="small">{_offer_facts(incident)}</td>'
            f"<td>{_deadline(incident, now)}</td>"
            f"<td>{_legal_state(incident)}{_approval_forms(incident, csrf_token)}</td></tr>"
        )
    return mark_safe("\n".join(rows))


def inbox_items(notifications) -> SafeString:
    """The inbox's items, unread ones marked."""
    link = _Link("incidents:detail")
    waiting = escape(gettext("waiting for acknowledgement"))
    waiting = f" · <strong>{waiting}</strong>"
    items = []
    for notification in notifications:
        incident = notification.incident
        if notification.level < 0:
            what = escape(gettext("Reminder: acknowledged but not resolved"))
        else:
            what = gettext("Escalated to %(route)s, level %(level)s") % {
                "route": escape(notification.get_route_display()),
                "level": notification.level + 1,
            }
        running = notification.escalation is not None and notification.escalation.status == EscalationStatus.ACTIVE
        items.append(
            f'<li class="list-group-item{"" if notification.read_at else " list-group-item-warning"}">'
            '<div class="d-flex justify-content-between flex-wrap gap-2">'
            f'<a href="{link(incident.pk)}">#{incident.pk} {_subject(incident, 80)}</a>'
            f'<span class="small text-secondary">{escape(format_when(notification.created_at))}</span></div>'
            f'<div class="small">{severity_badge(incident)} {what}{waiting if running else ""}</div></li>'
        )
    return mark_safe("\n".join(items))
