"""manage.py seed_volume: years of incidents, written as the app writes them, without sending anything."""

import io
import random
from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from incidents.assessment import assess, signals_from_settings, thresholds_from_settings
from incidents.directory import selectors as directory_selectors
from incidents.escalation.services import routes_of
from incidents.models import (
    Contact,
    DraftRecord,
    Escalation,
    Incident,
    MailDomain,
    Notification,
    Organisation,
    PostIncidentReview,
    Profile,
    TimelineEvent,
)
from incidents.reports.selectors import incident_facts

pytestmark = pytest.mark.django_db


def seed(count=300, *extra):
    out = io.StringIO()
    call_command("seed_volume", "--incidents", str(count), "--batch", "100", *extra, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def volume(django_capture_on_commit_callbacks, monkeypatch):
    """300 incidents; any task enqueued or email sent while seeding is recorded."""
    from incidents.platform import jobs

    enqueued = []
    monkeypatch.setattr(jobs, "send", lambda *a, **k: enqueued.append(a))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        output = seed(300)
    return {"output": output, "callbacks": callbacks, "enqueued": enqueued}


def test_it_makes_people_directory_and_incidents_and_says_how_long_it_took(volume):
    assert "300 incidents" in volume["output"] and " s." in volume["output"]
    assert User.objects.filter(groups__name="Employee", username__startswith="vol-").count() == 50
    managers = User.objects.filter(groups__name="Manager", managed_teams__isnull=False).distinct()
    assert managers.count() == 5
    assert User.objects.filter(groups__name="Legal").exists()
    assert (
        Profile.objects.filter(user__username__startswith="vol-").count()
        == User.objects.filter(username__startswith="vol-").count()
    )
    assert Organisation.objects.count() == 200
    assert set(Organisation.objects.values_list("kind", flat=True)) == {"internal", "client", "competitor"}
    domains = list(MailDomain.objects.values_list("domain", flat=True))
    assert all(any(d.endswith(tld) for d in domains) for tld in (".cn", ".com.tw", ".hk", ".com"))
    assert Contact.objects.exists()
    assert Incident.objects.count() == 300


def test_the_mix_looks_like_years_of_real_incidents(volume):
    incidents = list(Incident.objects.all())
    assert {i.severity for i in incidents} == {"low", "medium", "high", "critical"}
    assert any(i.route_manager for i in incidents) and any(i.route_legal for i in incidents)
    assert any(i.route_manager and i.route_legal for i in incidents)
    statuses = Counter(i.status for i in incidents)
    assert set(statuses) == {"open", "acknowledged", "resolved"}
    assert statuses["resolved"] > len(incidents) * 0.7
    oldest = min(i.created_at for i in incidents)
    assert timezone.now() - oldest > timedelta(days=2 * 365)
    assert all(i.sent_at <= i.created_at for i in incidents)
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in i.subject) for i in incidents)
    assert any(i.subject.isascii() for i in incidents)
    fields = Counter(f for i in incidents for f in i.recipients.filter(role="actual").values_list("field", flat=True))
    assert fields["to"] and fields["cc"] and fields["bcc"]
    assert any(i.firm_offer for i in incidents) and any(i.quoted_price for i in incidents)
    assert len({i.mail_system for i in incidents}) >= 6


def test_every_stored_assessment_is_what_the_engine_gives(volume):
    directory = directory_selectors.load_directory().directory
    sample = random.Random(3).sample(list(Incident.objects.all()), 20)
    for incident in sample:
        assessment = assess(
            incident_facts(incident, list(incident.recipients.all())),
            directory,
            signals=signals_from_settings(),
            thresholds=thresholds_from_settings(),
        )
        assert incident.severity == assessment.severity
        assert incident.factors == [{"code": f.code, "params": f.params} for f in assessment.factors]
        assert (incident.route_manager, incident.route_legal) == (assessment.route.manager, assessment.route.legal)
        assert incident.regulatory_deadline == assessment.regulatory_deadline
        assert incident.recall["verdict"] == assessment.recall.verdict


def test_escalations_exist_exactly_for_routed_incidents_in_states_that_agree(volume):
    now = timezone.now()
    for incident in Incident.objects.prefetch_related("escalations"):
        escalations = list(incident.escalations.all())
        assert sorted(e.route for e in escalations) == sorted(routes_of(incident)), incident.pk
        for escalation in escalations:
            assert escalation.started_at == incident.created_at
            if incident.status == "resolved":
                assert escalation.status == Escalation.Status.CLOSED and escalation.next_action_at is None
            elif incident.status == "acknowledged":
                assert escalation.status == Escalation.Status.ACKNOWLEDGED and escalation.acknowledged_by_id
            else:
                assert escalation.status == Escalation.Status.ACTIVE
                assert escalation.next_action_at is None or escalation.next_action_at > now
    assert Escalation.objects.filter(status=Escalation.Status.ACTIVE, next_action_at__gt=now).exists()
    types = set(TimelineEvent.objects.values_list("type", flat=True))
    assert {
        "reported",
        "assessed",
        "escalation_started",
        "level_reached",
        "notified",
        "acknowledged",
        "escalation_closed",
        "resolved",
        "draft_sent",
        "draft_approved",
    } <= types
    first_events = TimelineEvent.objects.filter(type="reported")
    assert first_events.count() == 300
    assert all(e.created_at == e.incident.created_at for e in first_events.select_related("incident")[:50])


def test_notifications_were_delivered_and_nothing_is_left_for_the_sweeper_to_send(volume):
    statuses = Counter(Notification.objects.values_list("status", flat=True))
    assert statuses["sent"] > 0.9 * sum(statuses.values())
    assert not Notification.objects.filter(status__in=["pending", "sending"]).exists()
    assert volume["enqueued"] == [] and volume["callbacks"] == []
    assert mail.outbox == []


def test_drafts_were_sent_or_approved_as_the_services_record_them(volume):
    sent = DraftRecord.objects.filter(sent_at__isnull=False)
    assert sent.exists()
    assert all(d.incident.first_correction_at == d.sent_at for d in sent.select_related("incident")[:50])
    approved = DraftRecord.objects.filter(approval="approved").select_related("incident")
    assert approved.exists()
    from incidents.drafts.selectors import incident_drafts

    for record in approved[:5]:
        item = next(i for i in incident_drafts(record.incident) if i.draft.key == record.key)
        assert item.approval == "approved", "the stored fingerprint is the draft's digest"


@pytest.mark.parametrize(
    "page, who",
    [
        ("incidents:list", "vol-manager-01"),
        ("incidents:triage", "vol-manager-01"),
        ("incidents:legal", "vol-legal-01"),
        ("incidents:list", "vol-employee-001"),
    ],
)
def test_the_pages_open_on_volume_data(volume, client, page, who):
    client.force_login(User.objects.get(username=who))
    assert client.get(reverse(page)).status_code == 200


def test_an_incident_page_opens_for_its_managers(volume, client):
    incident = Incident.objects.filter(route_legal=True, status="resolved").first()
    client.force_login(User.objects.get(username="vol-legal-01"))
    assert client.get(reverse("incidents:detail", args=[incident.pk])).status_code == 200


def test_the_same_seed_makes_the_same_incidents():
    def subjects():
        return list(Incident.objects.order_by("created_at").values_list("subject", "severity"))

    seed(60, "--seed", "7")
    first = subjects()
    Incident.objects.all().delete()
    seed(60, "--seed", "7")
    assert subjects() == first
    Incident.objects.all().delete()
    seed(60, "--seed", "8")
    assert subjects() != first


def test_it_refuses_a_database_with_incidents_unless_appending():
    seed(20)
    with pytest.raises(CommandError, match="--append"):
        seed(20)
    assert Incident.objects.count() == 20
    seed(20, "--append")
    assert Incident.objects.count() == 40
    assert User.objects.filter(username__startswith="vol-employee-").count() == 50


def test_resolved_high_and_critical_incidents_have_the_review_resolving_them_needs(volume):
    from incidents.review.rules import Review, review_errors

    resolved = Incident.objects.filter(status="resolved")
    needing = resolved.filter(severity__in=["high", "critical"])
    assert needing.exists()
    assert set(PostIncidentReview.objects.values_list("incident_id", flat=True)) == set(
        needing.values_list("pk", flat=True)
    )
    for review in PostIncidentReview.objects.select_related("incident")[:50]:
        given = Review.of(
            cause=review.cause,
            cause_other=review.cause_other,
            damage_limited_by=review.damage_limited_by,
            habits=review.habits,
            no_habit_reason=review.no_habit_reason,
        )
        assert review_errors(given, required=True) == {}
        assert review.reviewed_at == review.incident.resolved_at
        assert review.incident.events.filter(type="reviewed", created_at=review.reviewed_at).exists()
