"""The write paths for incidents; each records what it did on the timeline."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import events
from .assessment import Assessment, IncidentFacts, Party, assess, signals_from_settings, thresholds_from_settings
from .escalation.flow import escalations_sync
from .models import Incident, Recipient
from .reporting import IncidentReport, implied_problems
from .selectors import directory_snapshot

_REPORT_FIELDS = (
    "subject", "sent_at", "mail_system", "sender", "problems", "quoted_price", "correct_price",
    "currency", "firm_offer", "recipient_status", "body", "attachments", "message_id",
)


def _apply_report(incident: Incident, report: IncidentReport) -> list[str]:
    """Copy the report onto the incident; returns the names of the fields that changed."""
    changed = []
    for name in _REPORT_FIELDS:
        value = getattr(report, name)
        if name == "problems":
            # Stored, so the page and the API show what the facts say even when nothing was ticked.
            value = sorted(set(value) | set(implied_problems(report)))
        if getattr(incident, name) != value:
            setattr(incident, name, value)
            changed.append(name)
    return changed


def _recipient_rows(incident: Incident, report: IncidentReport) -> list[Recipient]:
    rows = [
        Recipient(incident=incident, role=Recipient.ACTUAL, field=field, address=a.address, name=a.name)
        for a, field in report.recipients
    ]
    rows += [
        Recipient(incident=incident, role=Recipient.INTENDED, address=a.address, name=a.name)
        for a in report.intended
    ]
    return rows


def _recipient_key(rows) -> list[tuple]:
    return sorted((r.role, r.field, r.address, r.name) for r in rows)


@transaction.atomic
def incident_report(*, reporter, report: IncidentReport) -> Incident:
    """File a new incident and assess it at once."""
    incident = Incident(reporter=reporter, team=reporter.teams.order_by("id").first())
    _apply_report(incident, report)
    incident.save()
    Recipient.objects.bulk_create(_recipient_rows(incident, report))
    events.incident_reported_event(incident=incident, actor=reporter)
    incident_assess(incident=incident, actor=reporter)
    return incident


@transaction.atomic
def incident_update(*, incident: Incident, actor, report: IncidentReport) -> Incident:
    """Change what was reported; any change re-assesses the incident."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    changed = _apply_report(incident, report)
    new_rows = _recipient_rows(incident, report)
    if _recipient_key(new_rows) != _recipient_key(incident.recipients.all()):
        incident.recipients.all().delete()
        Recipient.objects.bulk_create(new_rows)
        changed.append("recipients")
    if not changed:
        return incident
    incident.save()
    events.incident_edited_event(incident=incident, actor=actor, changed_fields=changed)
    incident_assess(incident=incident, actor=actor)
    from .drafting import approvals_recheck

    approvals_recheck(incident=incident, actor=actor, reason=_("the report changed: %(fields)s") % {"fields": ", ".join(changed)})
    return incident


def incident_facts(incident: Incident) -> IncidentFacts:
    recipients = list(incident.recipients.all())
    return IncidentFacts(
        recipients=tuple(Party(r.address, r.field) for r in recipients if r.role == Recipient.ACTUAL),
        intended=tuple(r.address for r in recipients if r.role == Recipient.INTENDED),
        filed_at=incident.created_at,
        problems=frozenset(incident.problems),
        mail_system=incident.mail_system,
        recipient_status=incident.recipient_status,
        quoted_price=incident.quoted_price,
        correct_price=incident.correct_price,
        currency=incident.currency,
        firm_offer=incident.firm_offer,
        subject=incident.subject,
        body=incident.body,
        attachments=tuple(incident.attachments),
    )


def assessment_of(incident: Incident) -> Assessment:
    return assess(
        incident_facts(incident),
        directory_snapshot(),
        signals=signals_from_settings(),
        thresholds=thresholds_from_settings(),
    )


@transaction.atomic
def incident_assess(*, incident: Incident, actor=None) -> Assessment:
    """Run the assessment engine on the incident as it stands and keep the result."""
    assessment = assessment_of(incident)
    previous = incident.severity if incident.assessed_at else None
    incident.severity = assessment.severity
    incident.factors = [{"code": f.code, "params": f.params} for f in assessment.factors]
    incident.route_manager = assessment.route.manager
    incident.route_legal = assessment.route.legal
    incident.regulatory_deadline = assessment.regulatory_deadline
    incident.recall = {
        "verdict": assessment.recall.verdict,
        "mail_system": assessment.recall.mail_system,
        "recipients": [{"address": r.address, "verdict": r.verdict} for r in assessment.recall.recipients],
    }
    from .correspondence import choose_drafts
    from .drafting import CORRECTING_KINDS, draft_facts, drafts_sync_approvals

    specs = choose_drafts(draft_facts(incident))
    # The recall advice and the drafts panel must agree on whether anything needs to be sent.
    incident.recall["correction_needed"] = any(spec.kind in CORRECTING_KINDS for spec in specs)
    incident.assessed_at = timezone.now()
    incident.save(
        update_fields=[
            "severity", "factors", "route_manager", "route_legal", "regulatory_deadline", "recall", "assessed_at",
        ]
    )
    events.incident_assessed_event(incident=incident, actor=actor, assessment=assessment, previous=previous)
    escalations_sync(incident=incident, actor=actor)
    drafts_sync_approvals(incident, specs)
    return assessment
