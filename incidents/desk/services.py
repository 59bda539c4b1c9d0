"""Writes about pending reports: one is stored when a message is forwarded to the desk, and filed when its
owner completes it on the site."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from incidents.models import Incident, PendingReport
from incidents.platform import mail
from incidents.reports.report import IncidentReport
from incidents.reports.services import incident_report


def _jsonable(value):
    """Prefill values as JSON: datetimes as ISO strings (with their offset), anything unknown as text."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    return str(value)


def pending_report_link_context(pending: PendingReport) -> dict:
    owner = pending.owner
    return {
        "recipient_name": owner.get_full_name() or owner.username,
        "subject": str(pending.fields.get("subject") or ""),
        "pending_id": pending.pk,
    }


def _send_link(pending: PendingReport, to: str) -> None:
    # Sent to the address the forward came from, written in its owner's language.
    mail.send(
        "notifications/pending_report",
        to=mail.reader(pending.owner, to),
        context=pending_report_link_context(pending),
        links={"complete_url": pending.get_absolute_url()},
        headers={"X-Missend-Pending-Report": str(pending.pk)},
    )


def pending_report_receive(
    *,
    owner,
    fields: dict,
    warnings: list[str] | None = None,
    notify_address: str,
    source: str = PendingReport.Source.FORWARDED,
) -> PendingReport:
    """Keep the prefilled fields for the owner and email them the link to complete the report.

    The link is the only way the owner learns of it: if the email cannot be sent the row is removed
    and the error raised, so the mail server that delivered the forward retries it later.
    """
    pending = PendingReport.objects.create(
        owner=owner,
        fields=_jsonable(fields),
        warnings=_jsonable(warnings or []),
        source=source,
    )
    try:
        _send_link(pending, notify_address)
    except Exception:
        pending.delete()
        raise
    return pending


@transaction.atomic
def pending_report_complete(*, pending: PendingReport, report: IncidentReport) -> Incident | None:
    """File the incident for the pending report's owner, once: a second submission files nothing.

    Answers the incident filed now, or the one filed before (None when that was deleted since).
    """
    locked = PendingReport.objects.select_for_update().get(pk=pending.pk)
    if locked.completed_at is not None:
        return locked.completed_incident
    incident = incident_report(reporter=locked.owner, report=report)
    locked.completed_incident = incident
    locked.completed_at = timezone.now()
    locked.save(update_fields=["completed_incident", "completed_at"])
    return incident
