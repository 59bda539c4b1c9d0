"""The legal gate: a withdrawal that needs legal's approval leaves by no path until legal approved
exactly the text and facts it has now. Paths: in-app send, .eml (page and API), mailto, Copy,
"mark as sent" (page and API). Each is tried as the reporter before and after approval."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from incidents.models import DraftRecord, Notification
from incidents.reports.serializers import IncidentInSerializer, report_payload
from incidents.reports.services import incident_update
from tests.factories import file_incident

KEY = "offer_withdrawal:acme-trading.com"
FIRM_LOW_QUOTE = {
    "to": ["buyer@acme-trading.com"],
    "intended": ["buyer@acme-trading.com"],
    "problems": ["wrong_price"],
    "quoted_price": Decimal("82"),
    "correct_price": Decimal("100"),
    "currency": "USD",
    "firm_offer": True,
}


@pytest.fixture
def quote(directory, employee, manager, legal, settings):
    settings.MISSEND_DRAFT_SENDING = True
    return file_incident(employee, **FIRM_LOW_QUOTE)


def api_for(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return api


def url(incident, action="", key=KEY):
    return reverse(f"incidents:draft{'_' + action if action else ''}", args=[incident.pk, key])


def api_url(incident, action="", key=KEY):
    return f"/api/incidents/{incident.pk}/drafts/{key}/" + (f"{action}/" if action else "")


def try_every_path(client, api, incident) -> dict[str, bool]:
    """Each way a draft can leave, and whether it went (True) or was refused (False)."""
    outcomes = {}
    page = client.get(url(incident)).content.decode()
    outcomes["mailto"] = 'href="mailto:' in page
    outcomes["copy"] = "data-copy-draft" in page
    outcomes["eml_page"] = client.get(url(incident, "eml")).status_code == 200
    outcomes["eml_api"] = api.get(api_url(incident, "eml")).status_code == 200
    before = len(mail.outbox)
    client.post(url(incident, "send"), {"confirm": "1"})
    outcomes["send_page"] = len(mail.outbox) > before
    outcomes["send_api"] = api.post(api_url(incident, "send"), {"confirm": True}, format="json").status_code == 200
    DraftRecord.objects.filter(incident=incident, key=KEY).update(sent_at=None, sent_via="")
    client.post(url(incident, "sent"), {"via": "eml"})
    outcomes["mark_sent_page"] = DraftRecord.objects.filter(incident=incident, key=KEY, sent_at__isnull=False).exists()
    DraftRecord.objects.filter(incident=incident, key=KEY).update(sent_at=None, sent_via="")
    outcomes["mark_sent_api"] = (
        api.post(api_url(incident, "sent"), {"channel": "eml"}, format="json").status_code == 200
    )
    return outcomes


def test_until_legal_approves_the_withdrawal_leaves_by_no_path_and_afterwards_by_every_one(
    client, quote, employee, legal
):
    client.force_login(employee)
    api = api_for(employee)
    assert try_every_path(client, api, quote) == dict.fromkeys(
        ["mailto", "copy", "eml_page", "eml_api", "send_page", "send_api", "mark_sent_page", "mark_sent_api"], False
    )
    assert not mail.outbox
    assert not DraftRecord.objects.filter(incident=quote, sent_at__isnull=False).exists()

    api_for(legal).post(api_url(quote, "decision"), {"decision": "approve", "comment": "Go."}, format="json")
    assert all(try_every_path(client, api, quote).values())


def test_refusals_say_why_409_on_the_api_and_eml_url_and_disabled_with_the_reason_on_the_page(client, quote, employee):
    client.force_login(employee)
    eml = client.get(url(quote, "eml"))
    assert eml.status_code == 409 and "Legal must approve" in eml.content.decode()
    api = api_for(employee)
    for response in (
        api.get(api_url(quote, "eml")),
        api.post(api_url(quote, "sent"), {"channel": "eml"}, format="json"),
        api.post(api_url(quote, "send"), {"confirm": True}, format="json"),
    ):
        assert response.status_code == 409 and "Legal must approve" in response.json()["detail"]
    page = client.get(url(quote)).content.decode()
    assert 'id="refusal"' in page and "Legal must approve this draft before it can be sent" in page
    assert page.count("disabled") >= 4  # copy, .eml, mail program, mark sent
    draft = api.get(api_url(quote)).json()
    assert draft["approval"] == "pending" and "Legal must approve" in draft["blocked_reason"]


def change_quote(incident, actor, **changes):
    data = {**report_payload(incident), **changes}
    intake = IncidentInSerializer(data=data)
    assert intake.is_valid(), intake.errors
    incident_update(incident=incident, actor=actor, report=intake.to_report(intake.validated_data))


@pytest.mark.parametrize(
    "change",
    [
        {"quoted_price": "85.00"},
        {"correct_price": "101.00"},
        {"currency": "EUR"},
        {"firm_offer": False, "recipient_status": "replied"},
        {"recipient_status": "accepted"},
        {
            "recipients": [
                {"address": "buyer@acme-trading.com", "field": "to"},
                {"address": "boss@acme-trading.com", "field": "cc"},
            ]
        },
    ],
    ids=["quoted-price", "correct-price", "currency", "firm-offer", "recipient-status", "recipients"],
)
def test_any_change_to_the_offer_facts_drops_the_approval_logs_it_and_pages_legal_again(quote, employee, legal, change):
    api_for(legal).post(api_url(quote, "decision"), {"decision": "approve", "comment": "ok"}, format="json")
    assert DraftRecord.objects.get(incident=quote, key=KEY).approval == "approved"
    legal_claims = Notification.objects.filter(incident=quote, route="legal", recipient=legal, channel="inbox").count()

    change_quote(quote, employee, **change)

    record = DraftRecord.objects.get(incident=quote, key=KEY)
    assert record.approval == "pending"
    assert quote.events.filter(type="draft_approval_dropped", parameters__key=KEY).exists()
    assert (
        Notification.objects.filter(incident=quote, route="legal", recipient=legal, channel="inbox").count()
        > legal_claims
    )
    assert quote.escalations.get(route="legal").status == "active"


def test_editing_the_approved_text_drops_the_approval(client, quote, employee, legal):
    api_for(legal).post(api_url(quote, "decision"), {"decision": "approve"}, format="json")
    client.force_login(employee)
    text = client.get(url(quote)).context["draft"].text
    client.post(url(quote, "save"), {"subject": "Withdrawal", "text": text + "\nPS: call me."})
    assert DraftRecord.objects.get(incident=quote, key=KEY).approval == "pending"
    assert quote.events.filter(type="draft_approval_dropped").exists()
    assert client.get(url(quote, "eml")).status_code == 409


def test_an_unchanged_save_keeps_the_approval(quote, employee, legal):
    api_for(legal).post(api_url(quote, "decision"), {"decision": "approve"}, format="json")
    change_quote(quote, employee, subject=quote.subject)  # nothing changed
    assert DraftRecord.objects.get(incident=quote, key=KEY).approval == "approved"


def test_an_approval_in_one_language_does_not_cover_another(client, quote, employee, legal):
    api_for(legal).post(api_url(quote, "decision") + "?language=en", {"decision": "approve"}, format="json")
    client.force_login(employee)
    assert client.get(url(quote, "eml") + "?language=en").status_code == 200
    blocked = client.get(url(quote, "eml") + "?language=zh-hans")
    assert blocked.status_code == 409 and "another version" in blocked.content.decode()


def test_a_legal_decision_acknowledges_the_legal_route_for_that_person(quote, legal):
    assert quote.escalations.get(route="legal").status == "active"
    api_for(legal).post(
        api_url(quote, "decision"), {"decision": "reject", "comment": "Call the client first."}, format="json"
    )
    escalation = quote.escalations.get(route="legal")
    assert (escalation.status, escalation.acknowledged_by) == ("acknowledged", legal)
    assert quote.events.filter(type="acknowledged", parameters__via="legal_decision", actor=legal).exists()
    assert quote.escalations.get(route="manager").status == "active", "legal's decision does not answer for managers"


def test_a_rejected_draft_stays_blocked_and_an_edit_asks_legal_again(client, quote, employee, legal):
    api_for(legal).post(api_url(quote, "decision"), {"decision": "reject", "comment": "Wrong tone."}, format="json")
    client.force_login(employee)
    assert client.get(url(quote, "eml")).status_code == 409
    text = client.get(url(quote)).context["draft"].text
    client.post(url(quote, "save"), {"subject": "Withdrawal", "text": text.replace("I am sorry", "We apologise")})
    assert DraftRecord.objects.get(incident=quote, key=KEY).approval == "pending"


def test_notes_for_the_sender_are_beside_the_draft_never_in_it(client, quote, employee):
    api = api_for(employee)
    draft = api.get(api_url(quote)).json()
    assert draft["notes_for_sender"], "the sender is told legal must approve"
    for note in draft["notes_for_sender"]:
        assert note not in draft["text"] and note not in draft["subject"] and note not in (draft["html"] or "")
    assert "FOR THE SENDER" not in draft["text"] and "FOR THE SENDER" not in (draft["html"] or "")
    client.force_login(employee)
    page = client.get(url(quote)).content.decode()
    assert "never part of the email" in page


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_call_script_says_withdrawn_only_once_legal_approved(client, quote, employee, legal, language):
    client.force_login(employee)
    call_key = "call_script:acme-trading.com"
    withdrawn = {"en": "withdraw", "zh-hans": "撤"}[language]

    def spoken(text):
        return " ".join(
            re.findall(r'"([^"]+)"|“([^”]+)”', text) and [a or b for a, b in re.findall(r'"([^"]+)"|“([^”]+)”', text)]
        )

    pending = client.get(url(quote, key=call_key) + f"?language={language}").context["draft"].text
    assert spoken(pending) and withdrawn not in spoken(pending), "what is said on the phone must not withdraw yet"
    api_for(legal).post(api_url(quote, "decision") + f"?language={language}", {"decision": "approve"}, format="json")
    approved = client.get(url(quote, key=call_key) + f"?language={language}").context["draft"].text
    assert withdrawn in spoken(approved)


def test_only_legal_decide_and_only_on_drafts_that_need_it(quote, employee, manager, legal, directory):
    assert api_for(employee).post(api_url(quote, "decision"), {"decision": "approve"}, format="json").status_code == 403
    assert api_for(manager).post(api_url(quote, "decision"), {"decision": "approve"}, format="json").status_code == 403
    no_approval = file_incident(employee, attachments=["Quotation_Q-1.pdf"], to=["li.wei@globex.com.cn"])
    legal_api = api_for(legal)
    no_approval.route_legal = no_approval.legal_audience = True  # as if the assessment had routed it to legal
    no_approval.save(update_fields=["route_legal", "legal_audience"])
    response = legal_api.post(
        api_url(no_approval, "decision", key="deletion_request:globex.com.cn"), {"decision": "approve"}, format="json"
    )
    assert response.status_code == 409
    assert legal_api.post(api_url(quote, "decision"), {"decision": "reject"}, format="json").status_code == 400


def test_why_an_approval_dropped_reads_in_each_readers_language_whoever_caused_it(quote, employee, legal):
    from django.utils import translation

    from incidents.timeline.events import describe_event

    api_for(legal).post(api_url(quote, "decision"), {"decision": "approve", "comment": "ok"}, format="json")
    with translation.override("en"):
        change_quote(quote, employee, quoted_price="85.00")
    event = quote.events.get(type="draft_approval_dropped")
    with translation.override("en"):
        english = describe_event(event)
    with translation.override("zh-hans"):
        chinese = describe_event(event)
        quoted_price = translation.gettext("quoted price")
    assert "the report changed: quoted price" in english
    assert quoted_price != "quoted price" and quoted_price in chinese and "quoted price" not in chinese
