"""Resolving a high or critical incident asks for a post-incident review: its cause, what limited the
damage and the prevention habits adopted; low and medium incidents may have one.

Every path that resolves an incident is tried:
- the incident page's Resolve form: POST /incidents/{id}/resolve/ (views.escalation.incident_resolve);
- the API: POST /api/incidents/{id}/resolve/;
- both call the service incidents.escalation.services.incident_resolve, which checks the review again.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from incidents.escalation import services as escalations
from incidents.models import PostIncidentReview, Profile
from incidents.review.rules import Review, review_errors
from incidents.review.selectors import review_counts
from incidents.timeline import events
from tests.factories import UserFactory, file_incident
from tests.i18n_support import english_words, visible_text

REVIEW = {
    "cause": "autocomplete",
    "damage_limited_by": "Phoned Globex within ten minutes.",
    "habits": ["pause_checklist", "send_delay"],
}

# The report that gives each severity (checked by the fixture, so a rule change shows here first).
SEVERITY_REPORTS = {
    "low": {"to": ["colleague@ourco.com"], "intended": ["team@ourco.com"], "problems": ["wrong_content"]},
    "medium": {
        "to": ["buyer@acme-trading.com"],
        "intended": ["buyer@acme-trading.com"],
        "problems": ["wrong_price"],
        "quoted_price": Decimal("95"),
        "correct_price": Decimal("100"),
        "currency": "USD",
    },
    "high": {"attachments": ["Quotation_Q-1.pdf"]},
    "critical": {
        "to": ["buyer@acme-trading.com"],
        "intended": ["buyer@acme-trading.com"],
        "problems": ["wrong_price"],
        "quoted_price": Decimal("80"),
        "correct_price": Decimal("100"),
        "currency": "USD",
        "recipient_status": "accepted",
    },
}


def api_for(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return api


def incident_of(severity, reporter, **overrides):
    incident = file_incident(reporter, **{**SEVERITY_REPORTS[severity], **overrides})
    assert incident.severity == severity
    return incident


def resolve_on_page(client, user, incident, data):
    client.force_login(user)
    return client.post(reverse("incidents:resolve", args=[incident.pk]), data)


def resolve_by_api(user, incident, body):
    return api_for(user).post(f"/api/incidents/{incident.pk}/resolve/", body, format="json")


# The rules, as a table: (review, required, fields with an error).
RULES = [
    (Review(), True, {"cause", "habits"}),
    (Review(), False, set()),
    (Review.of(cause="haste", habits=["send_delay"]), True, set()),
    (Review.of(cause="haste", no_habit_reason="The sender has left the company."), True, set()),
    (Review.of(cause="other"), True, {"cause_other", "habits"}),
    (Review.of(cause="other", cause_other="Out-of-office rule forwarded it", habits=["send_to_self"]), True, set()),
    (Review.of(cause="haste", habits=["send_delay"], no_habit_reason="none"), True, {"no_habit_reason"}),
    (Review.of(cause="sunspots", habits=["send_delay"]), True, {"cause"}),
    (Review.of(cause="haste", habits=["prayer"]), True, {"habits"}),
    (Review.of(habits=["send_delay"]), False, {"cause"}),  # a review given where optional follows the same rules
    (Review.of(damage_limited_by="Client deleted it."), False, {"cause", "habits"}),
    (Review.of(cause="haste", cause_other="x" * 301, habits=["send_delay"]), True, set()),  # dropped: not "other"
    (Review.of(cause="other", cause_other="x" * 301, habits=["send_delay"]), True, {"cause_other"}),
]


@pytest.mark.parametrize("review, required, fields", RULES)
def test_review_rules(review, required, fields):
    assert set(review_errors(review, required=required)) == fields


def test_the_other_text_is_kept_only_with_the_cause_other_and_habits_keep_their_listed_order():
    review = Review.of(cause="haste", cause_other="typed before choosing", habits=["send_to_self", "pause_checklist"])
    assert review.cause_other == "" and review.habits == ("pause_checklist", "send_to_self")


@pytest.mark.parametrize("severity, needed", [("low", False), ("medium", False), ("high", True), ("critical", True)])
def test_the_page_asks_for_the_review_on_high_and_critical_and_keeps_what_was_typed(
    client, directory, employee, manager, superuser, severity, needed
):
    incident = incident_of(severity, employee)
    data = {"note": "Called the client; they deleted it."}
    if not needed:
        assert resolve_on_page(client, superuser, incident, data).status_code == 302
        incident.refresh_from_db()
        assert incident.status == "resolved" and not PostIncidentReview.objects.exists()
        return
    response = resolve_on_page(client, superuser, incident, {**data, "damage_limited_by": "We phoned at once."})
    incident.refresh_from_db()
    assert response.status_code == 200 and incident.status != "resolved"
    form = response.context["resolve_form"]
    assert set(form.errors) == {"cause", "habits"}
    page = response.content.decode()
    assert "Called the client; they deleted it.</textarea>" in page and "We phoned at once.</textarea>" in page
    assert "A high or critical incident needs its review" in page


def test_an_optional_review_that_was_started_must_be_finished(client, directory, employee, manager):
    incident = incident_of("low", employee)
    response = resolve_on_page(client, employee, incident, {"note": "Told the team.", "habits": ["send_delay"]})
    assert response.status_code == 200 and set(response.context["resolve_form"].errors) == {"cause"}
    page = response.content.decode()
    assert 'value="send_delay" class="form-check-input" id="id_habits_1" checked' in page
    incident.refresh_from_db()
    assert incident.status != "resolved"


@pytest.mark.parametrize("severity, needed", [("low", False), ("medium", False), ("high", True), ("critical", True)])
def test_the_api_asks_for_the_review_on_high_and_critical_with_field_errors(
    directory, employee, manager, legal, superuser, severity, needed
):
    incident = incident_of(severity, employee)
    response = resolve_by_api(superuser, incident, {"note": "Called the client."})
    incident.refresh_from_db()
    if not needed:
        assert response.status_code == 200 and response.json()["review"] is None and incident.status == "resolved"
        return
    assert response.status_code == 400 and incident.status != "resolved"
    assert set(response.json()["review"]) == {"cause", "habits"}
    response = resolve_by_api(
        superuser, incident, {"note": "Called the client.", "review": {"cause": "other", "habits": []}}
    )
    assert response.status_code == 400 and set(response.json()["review"]) == {"cause_other", "habits"}
    response = resolve_by_api(superuser, incident, {"note": "x", "review": {"cause": "sunspots", "habits": ["prayer"]}})
    assert response.status_code == 400 and set(response.json()["review"]) == {"cause", "habits"}
    assert resolve_by_api(superuser, incident, {"note": "x", "review": "haste"}).status_code == 400


def test_the_service_refuses_a_high_incident_without_a_review_and_leaves_it_open(directory, employee, manager):
    incident = incident_of("high", employee)
    with pytest.raises(ValidationError) as refused:
        escalations.incident_resolve(incident=incident, actor=manager, note="Done.")
    assert set(refused.value.message_dict) == {"cause", "habits"}
    incident.refresh_from_db()
    assert incident.status == "open" and incident.escalations.get().status != "closed"
    assert not incident.events.filter(type__in=["resolved", "reviewed"]).exists()


def test_a_review_given_by_the_api_is_stored_on_the_timeline_and_in_the_incident(
    directory, employee, manager, zh_catalogue
):
    incident = incident_of("high", employee)
    assert api_for(manager).get(f"/api/incidents/{incident.pk}/").json()["review"] is None
    response = resolve_by_api(manager, incident, {"note": "Called Globex.", "review": REVIEW})
    assert response.status_code == 200
    review = response.json()["review"]
    assert review["cause"] == "autocomplete" and review["habits"] == ["pause_checklist", "send_delay"]
    assert review["damage_limited_by"] == REVIEW["damage_limited_by"] and review["reviewed_by"] == "max"
    assert review["no_habit_reason"] == "" and review["reviewed_at"]
    assert api_for(manager).get(f"/api/incidents/{incident.pk}/").json()["review"] == review
    stored = PostIncidentReview.objects.select_related("incident__team").get(incident=incident)
    incident.refresh_from_db()
    assert stored.reviewed_at == incident.resolved_at and stored.reviewed_by == manager
    assert (stored.incident.team.name, stored.incident.severity) == ("Export Sales", "high")
    event = incident.events.get(type="reviewed")
    assert event.actor == manager and event.parameters["cause"] == "autocomplete"
    with translation.override("en"):
        assert events.describe_event(event) == (
            "Post-incident review: caused by Autocomplete picked the wrong contact; prevention adopted: A pause and "
            "checklist before Send: recipients and Cc, subject, attachment and its version, key figures (prices, "
            "amounts, dates, clause numbers), tone, A send delay of 2 to 5 minutes, so a mistake can be caught in the outbox"
        )
    with translation.override("zh-hans"):
        chinese = events.describe_event(event)
    assert "事后复盘" in chinese and "自动补全" in chinese


def test_the_page_shows_the_stored_review_and_a_none_adopted_reason(client, directory, employee, manager):
    incident = incident_of("critical", employee)
    data = {
        "note": "Legal withdrew the offer.",
        "cause": "other",
        "cause_other": "A colleague's forwarding rule",
        "no_habit_reason": "The rule is removed; nothing else would have helped.",
    }
    assert resolve_on_page(client, manager, incident, data).status_code == 403  # legal's route is open too
    legal_user = UserFactory(username="lena", is_superuser=True)
    response = resolve_on_page(client, legal_user, incident, data)
    assert response.status_code == 302
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "Post-incident review" in page and "Other: A colleague&#x27;s forwarding rule" in page
    assert "None adopted, because: The rule is removed; nothing else would have helped." in page
    event = incident.events.get(type="reviewed")
    assert "no prevention step adopted, because The rule is removed" in events.describe_event(event)


# What the page says about holding mail back, by the incident's mail system.
SEND_DELAY = [
    (
        "microsoft365",
        ["defer delivery by a number of minutes", "Undo send; it holds a message back for up to 10 seconds"],
    ),
    ("exchange", ["defer delivery by a number of minutes", "Delay Delivery"]),
    ("gmail", ["Undo Send; choose a cancellation period of up to 30 seconds", "Schedule send"]),
    ("qq", ["QQ Mail: when writing, choose Scheduled send"]),
    ("netease", ["NetEase 163/126: when writing, choose Scheduled send"]),
    ("aliyun", ["Alibaba Mail: when writing, choose Scheduled send"]),
    ("lotus_notes", ["HCL Notes: a mail rule", "Delay delivery until"]),
    ("other", ["Delay delivery, Undo send or Scheduled send"]),
]


@pytest.mark.parametrize("mail_system, sentences", SEND_DELAY)
def test_the_resolve_form_says_how_to_turn_on_a_send_delay_in_the_incidents_mail_system(
    client, directory, employee, manager, mail_system, sentences
):
    incident = incident_of("high", employee, mail_system=mail_system)
    client.force_login(manager)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "Post-incident review (required for high and critical incidents)" in page
    for sentence in sentences:
        assert sentence in page
    others = [s for system, texts in SEND_DELAY if system != mail_system for s in texts if s not in sentences]
    assert not [s for s in others if s in page]


def test_low_incidents_offer_the_review_as_optional(client, directory, employee):
    incident = incident_of("low", employee)
    client.force_login(employee)
    assert "Post-incident review (optional)" in client.get(incident.get_absolute_url()).content.decode()


# The test data's own words (people, team, organisations, the signal word of the attachment's name).
DATA_WORDS = {"erin", "max", "Export", "Sales", "Acme", "Trading", "Globex", "China", "quotation"}


def english_on(html: str) -> list[str]:
    return english_words(visible_text(html, page_language="zh"), allowed=DATA_WORDS)


@pytest.mark.parametrize("mail_system", [system for system, _sentences in SEND_DELAY])
def test_a_chinese_reader_sees_the_review_form_its_errors_and_the_stored_review_in_chinese(
    client, directory, employee, manager, zh_catalogue, mail_system
):
    Profile.objects.update_or_create(user=manager, defaults={"language": "zh-hans"})
    incident = incident_of("high", employee, mail_system=mail_system, subject="订单 Q-1")
    client.force_login(manager)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "事后复盘（高和严重级别的事件必填）" in page and not english_on(page)
    refused = resolve_on_page(client, manager, incident, {"note": "已致电客户。", "cause": "other"}).content.decode()
    assert "请简要说明误发原因。" in refused and not english_on(refused)
    resolve_on_page(
        client,
        manager,
        incident,
        {
            "note": "已致电客户。",
            "cause": "other",
            "cause_other": "转发规则",
            "damage_limited_by": "客户未读即删除。",
            "habits": ["send_delay"],
        },
    )
    resolved = client.get(incident.get_absolute_url()).content.decode()
    assert (
        "其他：转发规则" in resolved
        and "事后复盘：误发原因为其他：转发规则；采取的预防措施：设置 2 到 5 分钟" in resolved
    )
    assert not english_on(resolved)


def test_review_counts_by_cause_and_habit_for_what_the_user_may_see(directory, employee, other_employee, manager, team):
    now = timezone.now()
    mine = [
        ("autocomplete", ["pause_checklist", "send_delay"], ""),
        ("autocomplete", ["send_delay"], ""),
        ("haste", [], "Left the company."),
    ]
    for cause, habits, reason in mine:
        incident = incident_of("low", employee)
        escalations.incident_resolve(
            incident=incident,
            actor=employee,
            note="Done.",
            review=Review.of(cause=cause, habits=habits, no_habit_reason=reason),
        )
    outside = incident_of("low", other_employee)
    escalations.incident_resolve(
        incident=outside,
        actor=other_employee,
        note="Done.",
        review=Review.of(cause="copy_paste", habits=["send_to_self"]),
    )
    PostIncidentReview.objects.filter(incident=outside).update(reviewed_at=now - timedelta(days=40))

    counts = review_counts(employee, now - timedelta(days=1), now + timedelta(minutes=1))
    assert counts == {
        "total": 3,
        "no_habit": 1,
        "causes": {"autocomplete": 2, "wrong_attachment": 0, "copy_paste": 0, "haste": 1, "other": 0},
        "habits": {"pause_checklist": 1, "send_delay": 2, "send_to_self": 0},
    }
    assert review_counts(manager, now - timedelta(days=1), now + timedelta(minutes=1))["total"] == 3  # their team's
    assert review_counts(other_employee, now - timedelta(days=1), now + timedelta(minutes=1))["total"] == 0
    old = review_counts(other_employee, now - timedelta(days=60), now - timedelta(days=30))
    assert old["total"] == 1 and old["causes"]["copy_paste"] == 1 and old["habits"]["send_to_self"] == 1
    assert review_counts(employee, now + timedelta(minutes=1), now + timedelta(days=1))["total"] == 0


def test_the_admin_shows_the_review_read_only(client, directory, employee, manager, superuser):
    incident = incident_of("high", employee)
    escalations.incident_resolve(
        incident=incident, actor=manager, note="Done.", review=Review.of(cause="copy_paste", habits=["send_to_self"])
    )
    client.force_login(superuser)
    page = client.get(reverse("admin:incidents_incident_change", args=[incident.pk])).content.decode()
    assert "Post-incident review" in page and "Copy-paste" in page
    assert 'name="review-0-cause"' not in page  # shown, not editable


def test_listing_incidents_with_reviews_costs_the_same_queries_for_one_or_many(directory, employee):
    def resolved_with_review():
        incident = incident_of("low", employee)
        escalations.incident_resolve(
            incident=incident, actor=employee, note="Done.", review=Review.of(cause="haste", habits=["send_delay"])
        )

    resolved_with_review()
    api = api_for(employee)
    with CaptureQueriesContext(connection) as one:
        assert api.get("/api/incidents/").json()["results"][0]["review"]["cause"] == "haste"
    for _ in range(3):
        resolved_with_review()
    with CaptureQueriesContext(connection) as many:
        assert len(api.get("/api/incidents/").json()["results"]) == 4
    assert len(many.captured_queries) == len(one.captured_queries)


def test_the_admin_cannot_resolve_by_editing_the_status_and_re_assesses_what_it_edits(
    client, directory, employee, superuser
):
    """The admin is one more path that could resolve (skipping the review and the escalations' closing):
    its workflow fields are read-only, and a report edited there is assessed again."""
    incident = file_incident(employee, attachments=["Quotation_Q-1.pdf"])
    client.force_login(superuser)
    url = reverse("admin:incidents_incident_change", args=[incident.pk])
    form = client.get(url).context["adminform"].form
    assert "status" not in form.fields and "resolution_note" not in form.fields
    assert incident.escalations.exclude(status="closed").exists()

    from types import SimpleNamespace

    from django.contrib import admin
    from django.test import RequestFactory

    from incidents.models import Incident

    before = incident.severity
    incident.attachments, incident.recipients_changed = [], True
    Incident.objects.filter(pk=incident.pk).update(attachments=[])  # what the admin form would save
    incident.refresh_from_db()
    request = RequestFactory().post(url)
    request.user = superuser
    admin.site._registry[Incident].save_model(request, incident, SimpleNamespace(changed_data=["attachments"]), True)
    incident.refresh_from_db()
    assert incident.severity != before, "edited in the admin, assessed again"
