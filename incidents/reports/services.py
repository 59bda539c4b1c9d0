"""Writes about incidents: filing a report, changing it, assessing it; each recorded on the timeline.

Filing reads the directory once and hands the same snapshot to the assessment engine and to the
choice of drafts (directory.selectors.load_directory), so a filing costs a fixed, small number of queries.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from auditlog.context import disable_auditlog
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents import access
from incidents.assessment import Assessment, assess, signals_from_settings, thresholds_from_settings
from incidents.audit import services as audit
from incidents.conf import missend
from incidents.correspondence import choose_drafts
from incidents.directory import selectors as directory_selectors
from incidents.directory.selectors import DirectoryData
from incidents.drafts.selectors import CORRECTING_KINDS, build_draft_facts
from incidents.drafts.services import approvals_recheck, drafts_sync_approvals
from incidents.escalation.services import escalations_sync
from incidents.evidence.services import evidence_claim, evidence_keep
from incidents.insight import finding
from incidents.models import Escalation, Evidence, FilingKey, Incident, Recipient
from incidents.reports.report import IncidentReport, implied_problems
from incidents.reports.selectors import incident_facts
from incidents.timeline import events
from incidents.timeline import services as timeline
from incidents.vocabulary import SEVERITY_RANK

_REPORT_FIELDS = (
    "subject",
    "sent_at",
    "mail_system",
    "sender",
    "problems",
    "quoted_price",
    "correct_price",
    "currency",
    "firm_offer",
    "recipient_status",
    "body",
    "attachments",
    "message_id",
    "dismissed_signals",
)


def apply_report(incident: Incident, report: IncidentReport) -> list[str]:
    """Copy the report onto the incident (not saved); returns the names of the fields that changed."""
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


def recipient_rows(incident: Incident, report: IncidentReport) -> list[Recipient]:
    """The report's recipients as the incident's rows (not saved): those it went to, then those it was for."""
    rows = [
        Recipient(incident=incident, role=Recipient.ACTUAL, field=field, address=a.address, name=a.name)
        for a, field in report.recipients
    ]
    rows += [
        Recipient(incident=incident, role=Recipient.INTENDED, address=a.address, name=a.name) for a in report.intended
    ]
    return rows


def _recipient_key(rows) -> list[tuple]:
    return sorted((r.role, r.field, r.address, r.name) for r in rows)


def _recipients_text(rows) -> str:
    """The recipients as the audit trail keeps them: "to: a@b.com; intended: c@d.com", in a stable order."""
    return "; ".join(
        f"{field or role}: {f'{name} <{address}>' if name else address}"
        for role, field, address, name in _recipient_key(rows)
    )


@dataclass(frozen=True)
class Filing:
    """What filing a report writes first, not yet saved: the incident, assessed, with its recipients and its
    first timeline rows; the assessment and the drafts that fit, for what filing does next."""

    incident: Incident
    recipients: list[Recipient]
    assessment: Assessment
    specs: list
    events: list


def filing_rows(*, reporter, team, report: IncidentReport, directory: DirectoryData, at=None) -> Filing:
    """The rows a report files as (nothing saved): copied onto a new incident, split into recipients and
    assessed on the directory given; `at` dates the filing and the assessment (None: now)."""
    incident = Incident(reporter=reporter, team=team, created_at=at or timezone.now())
    apply_report(incident, report)
    recipients = recipient_rows(incident, report)
    assessment, specs = assess_into(incident, recipients, directory, at=at)
    rows = [
        events.REPORTED.row(incident=incident, actor=reporter),
        events.ASSESSED.row(incident=incident, actor=reporter, assessment=assessment, previous=None),
    ]
    for row in rows:
        row.incident = incident  # its id once the incident is saved
    return Filing(incident, recipients, assessment, specs, rows)


@transaction.atomic
def incident_report(*, reporter, report: IncidentReport) -> Incident:
    """File a new incident and assess it at once (one insert, already assessed).

    The audit entries of the incident and the escalations it starts are written together, in one insert.
    """
    filing = filing_rows(
        reporter=reporter,
        team=reporter.teams.order_by("id").first(),
        report=report,
        directory=directory_selectors.load_directory(),
    )
    incident = filing.incident
    with disable_auditlog():
        incident.save()
        Recipient.objects.bulk_create(filing.recipients)
        timeline.record(*filing.events)
        started = escalations_sync(incident=incident, actor=reporter, new=True)
        drafts_sync_approvals(incident, filing.specs, new=True)
    audit.record_created([incident, *started], actor=reporter)
    return incident


@transaction.atomic
def incident_update(*, incident: Incident, actor, report: IncidentReport) -> Incident:
    """Change what was reported; any change re-assesses the incident and re-checks legal's approvals."""
    access.require_edit(actor, incident, _("Only the reporter and their managers can change a report."))
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    changed = apply_report(incident, report)
    new_rows = recipient_rows(incident, report)
    old_rows = list(incident.recipients.all())
    if _recipient_key(new_rows) != _recipient_key(old_rows):
        incident.recipients.all().delete()
        Recipient.objects.bulk_create(new_rows)
        changed.append("recipients")
        audit.record_change(
            incident, {"recipients": (_recipients_text(old_rows), _recipients_text(new_rows))}, actor=actor
        )
    if not changed:
        return incident
    incident.save()
    timeline.incident_edited_event(incident=incident, actor=actor, changed_fields=changed)
    incident_assess(incident=incident, actor=actor)
    approvals_recheck(incident=incident, actor=actor, cause=events.CAUSE_REPORT_CHANGED, fields=changed)
    return incident


@transaction.atomic
def incident_admin_save(*, incident: Incident, actor, changed: Sequence[str]) -> Incident:
    """A correction made in the admin: saved, and assessed again when anything changed (as an edit on the page)."""
    access.require_edit(actor, incident, _("Only the reporter and their managers can change a report."))
    incident.save()
    if changed:
        incident_assess(incident=incident, actor=actor)
    return incident


@dataclass(frozen=True)
class KeptMessage:
    """The sent message a report came from, to keep as evidence with the incident."""

    data: bytes
    filename: str
    source: str


def incident_file(
    *, reporter, report: IncidentReport, held_evidence_ids: Sequence[int] = (), keep: KeptMessage | None = None
) -> tuple[Incident, Evidence | None]:
    """File a report with the sent message it came from, in one transaction: the files the reporter kept
    for it on the report page are claimed, or the message given now is kept (``keep``)."""
    with transaction.atomic():
        incident = incident_report(reporter=reporter, report=report)
        if held_evidence_ids:
            evidence_claim(evidence_ids=held_evidence_ids, user=reporter, incident=incident)
        kept = None
        if keep is not None:
            kept = evidence_keep(
                data=keep.data, filename=keep.filename, user=reporter, source=keep.source, incident=incident
            )
    return incident, kept


class _DryRun(Exception):
    pass


def incident_try(*, reporter, report: IncidentReport) -> Incident:
    """The incident the report would become, assessed exactly as filing would, with nothing kept."""
    try:
        with transaction.atomic():
            tried = incident_report(reporter=reporter, report=report)
            raise _DryRun
    except _DryRun:
        return tried


def assess_into(incident: Incident, recipients: list[Recipient], directory: DirectoryData, *, at=None):
    """Run the assessment engine and keep its result on the incident (not saved); also the drafts that fit.

    at: when it was assessed (None: now)."""
    assessment = assess(
        incident_facts(incident, recipients),
        directory.directory,
        signals=signals_from_settings(),
        thresholds=thresholds_from_settings(),
    )
    incident.severity = assessment.severity
    incident.factors = [{"code": f.code, "params": f.params} for f in assessment.factors]
    incident.route_manager = assessment.route.manager
    incident.route_legal = assessment.route.legal
    incident.manager_audience = incident.manager_audience or incident.route_manager
    incident.legal_audience = incident.legal_audience or incident.route_legal
    incident.regulatory_deadline = assessment.regulatory_deadline
    specs = choose_drafts(build_draft_facts(incident, recipients, directory))
    incident.recall = {
        "verdict": assessment.recall.verdict,
        "mail_system": assessment.recall.mail_system,
        "recipients": [{"address": r.address, "verdict": r.verdict} for r in assessment.recall.recipients],
        # The recall advice and the drafts panel must agree on whether anything needs to be sent.
        "correction_needed": any(spec.kind in CORRECTING_KINDS for spec in specs),
    }
    incident.assessed_at = at or timezone.now()
    _write_list_keys(incident, recipients, directory)
    return assessment, specs


def _write_list_keys(incident: Incident, recipients: list[Recipient], directory: DirectoryData) -> None:
    organisations = finding.recipient_organisations([r.address for r in recipients], directory.directory)
    incident.factor_codes = finding.factor_codes_text(f["code"] for f in incident.factors)
    incident.organisation_names = finding.organisation_names_text(organisations)
    incident.search_text = finding.search_text(
        subject=incident.subject,
        sender=incident.sender,
        recipients=[(r.address, r.name) for r in recipients],
        organisations=organisations,
    )


_ASSESSED_FIELDS = [
    "severity",
    "factors",
    "route_manager",
    "route_legal",
    "regulatory_deadline",
    "recall",
    "assessed_at",
    "factor_codes",
    "organisation_names",
    "search_text",
    "manager_audience",
    "legal_audience",
]


@transaction.atomic(savepoint=False)
def incident_assess(*, incident: Incident, actor=None) -> Assessment:
    """Assess the incident as it stands, keep the result, start any escalation it now needs."""
    previous = incident.severity if incident.assessed_at else None
    assessment, specs = assess_into(incident, list(incident.recipients.all()), directory_selectors.load_directory())
    incident.save(update_fields=_ASSESSED_FIELDS)
    if incident.severity != previous:
        # Triage sorts escalations by their own copy of the severity.
        Escalation.objects.filter(incident=incident).update(severity_rank=SEVERITY_RANK[incident.severity])
    timeline.incident_assessed_event(incident=incident, actor=actor, assessment=assessment, previous=previous)
    escalations_sync(incident=incident, actor=actor)
    drafts_sync_approvals(incident, specs)
    return assessment


class FilingKeyReused(Exception):
    """The key already filed a different report."""

    def __init__(self, incident: Incident):
        super().__init__(incident.pk)
        self.incident = incident


@dataclass(frozen=True)
class Filed:
    incident: Incident
    replayed: bool  # True: filed earlier with this key, nothing filed now


def fingerprint(data) -> str:
    """The same report gives the same fingerprint whatever the order of its keys."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _earlier(user, key: str, print_: str) -> Filed | None:
    row = (
        FilingKey.objects.select_related("incident")
        .filter(user=user, key=key, created_at__gte=timezone.now() - timedelta(hours=missend.FILING_KEY_HOURS))
        .first()
    )
    if row is None:
        return None
    if row.fingerprint != print_:
        raise FilingKeyReused(row.incident)
    return Filed(row.incident, replayed=True)


def incident_file_once(*, user, key: str, source: str, fingerprint: str, file: Callable[[], Incident]) -> Filed:
    """File with `file()` unless this user's key filed within MISSEND_FILING_KEY_HOURS.

    Raises FilingKeyReused when the key filed a different report.
    """
    earlier = _earlier(user, key, fingerprint)
    if earlier:
        return earlier
    now = timezone.now()
    try:
        with transaction.atomic():
            # Keys past their time are forgotten, so the table holds one day of a person's filings.
            FilingKey.objects.filter(user=user, created_at__lt=now - timedelta(hours=missend.FILING_KEY_HOURS)).delete()
            claim = FilingKey.objects.create(user=user, key=key, source=source, fingerprint=fingerprint, created_at=now)
            claim.incident = file()
            claim.save(update_fields=["incident"])
    except IntegrityError:
        # Another request with this key committed first: answer what it filed.
        earlier = _earlier(user, key, fingerprint)
        if earlier is None:
            raise
        return earlier
    return Filed(claim.incident, replayed=False)
