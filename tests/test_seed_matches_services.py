"""The volume seeder writes what the services write: one small story, told once through the services at a
fixed clock and once through the seeder's chronicle, leaves the same rows field by field (ids aside)."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from smtplib import SMTPServerDisconnected

import pytest
from django.utils import timezone

from incidents.core.addresses import Address
from incidents.directory import selectors as directory_selectors
from incidents.drafts.selectors import CORRECTING_KINDS, incident_draft, incident_drafts
from incidents.drafts.services import draft_decide, draft_mark_sent
from incidents.escalation.services import escalation_close, incident_acknowledge, incident_resolve
from incidents.models import DraftRecord, Escalation, Incident, Notification, PostIncidentReview
from incidents.notifications import delivery
from incidents.notifications.services import deliver
from incidents.reports.report import IncidentReport
from incidents.reports.services import incident_report
from incidents.review.rules import Review
from incidents.seeding import services as seeding
from incidents.seeding.volume.chronicle import Chronicle, read_policies, read_team_managers

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
DELIVERED, RETRIED = T0 + timedelta(seconds=5), T0 + timedelta(seconds=15)  # the first attempt fails once
DECIDED, ACKNOWLEDGED, CORRECTED = T0 + timedelta(minutes=10), T0 + timedelta(minutes=15), T0 + timedelta(minutes=20)
LEGAL_CLOSED, RESOLVED = T0 + timedelta(hours=2), T0 + timedelta(hours=2, seconds=30)
NOTE = "Called the client; no further action."
REVIEW = Review.of(cause="autocomplete", damage_limited_by="A quick call.", habits=["pause_checklist"])
ERROR = "SMTPServerDisconnected: Connection closed"


def story_report() -> IncidentReport:
    """A firm quotation to Acme at too low a price, which Acme accepted, copied to Globex: both routes, two
    offer withdrawals for legal to approve, and a deletion request the reporter may send at once."""
    return IncidentReport(
        subject="Quotation Q-2041 for Acme Trading: 20,000 valves",
        sent_at=T0 - timedelta(minutes=12),
        mail_system="microsoft365",
        sender="erin@ourco.com",
        recipients=[(Address("buyer@acme-trading.com", "Acme buyer"), "to"), (Address("li.wei@globex.com.cn"), "cc")],
        intended=[Address("buyer@acme-trading.com", "Acme buyer")],
        problems=["wrong_price", "wrong_recipient"],
        body="Dear buyer,\nplease find our quotation: unit price USD 12.50 FOB Ningbo.",
        attachments=["Quotation_Q-2041_Acme.pdf"],
        quoted_price=Decimal("12.50"),
        correct_price=Decimal("20.00"),
        currency="USD",
        firm_offer=True,
        recipient_status="accepted",
    )


@pytest.fixture
def clock(monkeypatch):
    """timezone.now() answers the time set here; retries wait their plain delay (no jitter)."""
    now = {"at": T0}
    monkeypatch.setattr(timezone, "now", lambda: now["at"])
    monkeypatch.setattr(random, "uniform", lambda a, b: 1.0)
    return now


def refused(notification):
    raise SMTPServerDisconnected("Connection closed")


def told_by_the_services(clock, employee, manager, legal) -> Incident:
    incident = incident_report(reporter=employee, report=story_report())
    claims = list(Notification.objects.filter(incident=incident, status="pending").order_by("pk"))
    clock["at"] = DELIVERED
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(delivery, "send", refused)
        assert deliver(claims[0].pk) == "retry"
    for claim in claims[1:]:
        assert deliver(claim.pk) == "sent"
    clock["at"] = RETRIED
    assert deliver(claims[0].pk) == "sent"
    clock["at"] = DECIDED
    for record in incident.draft_records.filter(approval="pending"):
        item = incident_draft(incident, record.key)
        draft_decide(incident=incident, item=item, actor=legal, approve=True, comment="")
    clock["at"] = ACKNOWLEDGED
    incident_acknowledge(incident=incident, actor=manager, route="manager")
    clock["at"] = CORRECTED
    key = correction_key(incident)
    draft_mark_sent(incident=incident, item=incident_draft(incident, key), actor=employee, via="clipboard")
    clock["at"] = LEGAL_CLOSED
    escalation_close(escalation=incident.escalations.get(route="legal"), actor=legal, reason=NOTE)
    clock["at"] = RESOLVED
    incident_resolve(incident=incident, actor=manager, note=NOTE, review=REVIEW)
    return Incident.objects.get(pk=incident.pk)


def correction_key(incident: Incident) -> str:
    """The first correcting draft that needs nobody's approval."""
    return next(
        item.draft.key
        for item in incident_drafts(incident)
        if item.draft.kind in CORRECTING_KINDS and not item.draft.needs_legal_approval
    )


def told_by_the_seeder(employee, manager, legal) -> Incident:
    batch = seeding.Batch()
    chronicle = Chronicle(batch, read_policies(), read_team_managers())
    filing = chronicle.file(
        reporter=employee,
        team=employee.teams.order_by("id").first(),
        report=story_report(),
        directory=directory_selectors.load_directory(),
        at=T0,
    )
    claims = [claim for route in ("manager", "legal") for claim in chronicle.start(route, T0)]
    chronicle.waiting_for_legal(filing.specs)
    assert chronicle.failed(claims[0], DELIVERED, ERROR) == RETRIED
    for claim in claims[1:]:
        chronicle.delivered(claim, DELIVERED)
    chronicle.delivered(claims[0], RETRIED)
    manager_route, legal_route = chronicle.escalations
    waiting = list(chronicle.drafts.values())
    chronicle.decide(waiting[0], legal, DECIDED)
    chronicle.acknowledge(legal_route, legal, DECIDED, "legal_decision")
    for record in waiting[1:]:
        chronicle.decide(record, legal, DECIDED)
    chronicle.acknowledge(manager_route, manager, ACKNOWLEDGED, "button")
    spec = next(s for s in filing.specs if s.kind in CORRECTING_KINDS and not s.needs_legal_approval)
    chronicle.mark_sent(spec, employee, "clipboard", CORRECTED)
    chronicle.close(legal_route, legal, NOTE, LEGAL_CLOSED)
    chronicle.resolve(manager, NOTE, RESOLVED, REVIEW)

    def digests() -> None:  # what the seeder's approve does: the digest of the draft as rendered
        for key, record in chronicle.drafts.items():
            record.approved_fingerprint = incident_draft(filing.incident, key).digest

    seeding.batch_write(batch, digests=digests)
    return filing.incident


def fields(row, *leave_out: str) -> dict:
    skip = {"id", "incident", "escalation", *leave_out}
    return {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields if f.name not in skip}


def rows_of(incident: Incident) -> dict:
    events = sorted(
        (e.created_at, e.type, e.actor_id, json.dumps(e.parameters, sort_keys=True)) for e in incident.events.all()
    )
    return {
        "incident": fields(Incident.objects.get(pk=incident.pk)),
        "recipients": sorted(json.dumps(fields(r), sort_keys=True) for r in incident.recipients.all()),
        "escalations": [fields(e) for e in Escalation.objects.filter(incident=incident).order_by("route")],
        "notifications": [
            fields(n)
            for n in Notification.objects.filter(incident=incident).order_by(
                "route", "level", "loop", "recipient_key", "channel"
            )
        ],
        "timeline": events,
        "drafts": [fields(d) for d in DraftRecord.objects.filter(incident=incident).order_by("key")],
        "review": [fields(r) for r in PostIncidentReview.objects.filter(incident=incident)],
    }


def test_a_seeded_story_leaves_the_rows_the_services_leave(directory, clock, employee, manager, legal):
    served = told_by_the_services(clock, employee, manager, legal)
    seeded = told_by_the_seeder(employee, manager, legal)
    expected, found = rows_of(served), rows_of(seeded)
    # The story goes through every step the seeder builds.
    assert served.route_manager and served.route_legal and served.status == "resolved"
    assert {"notification_retry", "notified", "draft_approved", "acknowledged", "draft_sent", "reviewed"} <= {
        e[1] for e in expected["timeline"]
    }
    assert len(expected["escalations"]) == 2 and expected["review"]
    for part in expected:
        assert found[part] == expected[part], part
