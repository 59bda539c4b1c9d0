"""POST /api/incidents/: the JSON intake contract, its assessment answer and its 400s."""

import copy
import json
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from incidents.models import Incident, Recipient
from tests import factories
from tests.support_intake import API_URL as URL
from tests.support_intake import payload

pytestmark = pytest.mark.usefixtures("in_english")


def when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_a_quote_sent_to_the_wrong_client_answers_201_with_a_high_severity_routed_to_managers(api):
    response = api.post(
        URL, payload(quoted_price="9.50", currency="usd", attachments=["Quotation_Q-7.pdf"]), format="json"
    )

    assert response.status_code == 201, response.json()
    answer = response.json()
    incident = Incident.objects.get()
    assert answer["id"] == incident.pk
    assert answer["url"] == f"http://testserver/incidents/{incident.pk}/"
    assert answer["severity"] == "high"
    assert answer["status"] == "open"
    assert [f["code"] for f in answer["factors"]] == ["unintended_external", "wrong_client", "leaked_pricing"]
    assert all(set(f) == {"code", "detail"} for f in answer["factors"])
    assert answer["factors"][1]["detail"] == (
        "It went to li.wei@globex.com.cn (Globex China, a client), not to the intended organisation (Acme Trading)."
    )
    assert "Quotation_Q-7.pdf" in answer["factors"][2]["detail"]
    assert "9.50 USD" in answer["factors"][2]["detail"]
    assert answer["route"] == {"manager": True, "legal": False}
    assert answer["recall"] == {
        "verdict": "no",
        "advice": "Gmail has no recall: Undo send only works for a few seconds after sending. Send a correction now.",
        "recipients": [{"address": "li.wei@globex.com.cn", "verdict": "no"}],
    }
    assert answer["regulatory_deadline"] is None
    assert answer["quoted_price"] == "9.5000"
    assert answer["currency"] == "USD"


def test_personal_data_sent_outside_sets_the_regulatory_deadline_72_hours_after_filing(api):
    response = api.post(URL, payload(problems=["wrong_recipient", "personal_data"]), format="json")

    assert response.status_code == 201
    answer = response.json()
    incident = Incident.objects.get()
    assert "personal_data_external" in [f["code"] for f in answer["factors"]]
    assert answer["route"] == {"manager": True, "legal": True}
    assert when(answer["regulatory_deadline"]) == incident.created_at + timedelta(hours=72)
    assert incident.regulatory_deadline == incident.created_at + timedelta(hours=72)


def test_recall_advice_is_given_per_recipient_when_only_colleagues_can_be_recalled(api):
    recipients = [
        {"address": "Max@OurCo.com", "field": "to", "name": "Max"},
        {"address": "li.wei@globex.com.cn", "field": "bcc"},
    ]

    answer = api.post(
        URL, payload(mail_system="microsoft365", recipient_status="unread", recipients=recipients), format="json"
    ).json()

    assert answer["recall"]["verdict"] == "partial"
    assert answer["recall"]["recipients"] == [
        {"address": "max@ourco.com", "verdict": "maybe"},
        {"address": "li.wei@globex.com.cn", "verdict": "no"},
    ]
    assert "max@ourco.com" in answer["recall"]["advice"]
    rows = Incident.objects.get().recipients.filter(role=Recipient.ACTUAL)
    assert [(r.address, r.name, r.field) for r in rows] == [
        ("max@ourco.com", "Max", "to"),
        ("li.wei@globex.com.cn", "", "bcc"),
    ]


def test_a_filed_incident_reads_back_the_same_through_get(api):
    filed = api.post(URL, payload(quoted_price="9.50", correct_price="12", currency="EUR"), format="json").json()

    read = api.get(f"{URL}{filed['id']}/").json()

    assert read == filed
    assert api.get(URL).json()["results"] == [filed]


def without(field):
    return lambda body: body.pop(field)


def setting(**fields):
    return lambda body: body.update(fields)


def recipient(address):
    return setting(recipients=[{"address": address, "field": "to"}])


FUTURE = (timezone.now() + timedelta(days=1)).isoformat()

INVALID = [
    # (case, change to a valid payload, field that must carry the error)
    ("no subject", without("subject"), "subject"),
    ("no sent time", without("sent_at"), "sent_at"),
    ("no mail system", without("mail_system"), "mail_system"),
    ("no sender", without("sender"), "sender"),
    ("no recipients key", without("recipients"), "recipients"),
    ("null subject", setting(subject=None), "subject"),
    ("bad recipient address", recipient("li.wei at globex"), "recipients"),
    ("two recipients in one address", recipient("a@x.com, evil@y.com"), "recipients"),
    ("two recipients split by a semicolon", recipient("a@x.com; evil@y.com"), "recipients"),
    ("recipient with CR/LF", recipient("a@x.com\r\nBcc: evil@y.com"), "recipients"),
    ("recipient with LF", recipient("a@x.com\nevil@y.com"), "recipients"),
    ("recipient with a display name", recipient("Li Wei <li.wei@globex.com.cn>"), "recipients"),
    ("unknown header field", setting(recipients=[{"address": "a@x.com", "field": "reply-to"}]), "recipients"),
    ("recipient without address", setting(recipients=[{"field": "to"}]), "recipients"),
    ("empty recipients", setting(recipients=[]), "recipients"),
    ("recipients as a string", setting(recipients="li.wei@globex.com.cn"), "recipients"),
    ("recipients as a list of strings", setting(recipients=["li.wei@globex.com.cn"]), "recipients"),
    ("bad intended address", setting(intended_recipients=["buyer(at)acme"]), "intended_recipients"),
    ("intended as a string", setting(intended_recipients="buyer@acme-trading.com"), "intended_recipients"),
    ("sender with a second address", setting(sender="erin@ourco.com, evil@y.com"), "sender"),
    ("sender with CR/LF", setting(sender="erin@ourco.com\r\nCc: evil@y.com"), "sender"),
    ("unknown mail system", setting(mail_system="outlook95"), "mail_system"),
    ("unknown recipient status", setting(recipient_status="angry"), "recipient_status"),
    ("unknown problem code", setting(problems=["wrong_recipient", "spam"]), "problems"),
    ("problems as a string", setting(problems="wrong_recipient"), "problems"),
    ("negative quoted price", setting(quoted_price="-9.50", currency="USD"), "quoted_price"),
    ("negative correct price", setting(quoted_price="9.50", correct_price="-1", currency="USD"), "correct_price"),
    ("correct price without quoted price", setting(correct_price="12.00", currency="USD"), "quoted_price"),
    ("price without currency", setting(quoted_price="9.50"), "currency"),
    ("currency not a code", setting(quoted_price="9.50", currency="US$"), "currency"),
    ("price as an object", setting(quoted_price={"amount": "9.50"}, currency="USD"), "quoted_price"),
    ("price as a list", setting(quoted_price="9.50", correct_price=[12], currency="USD"), "correct_price"),
    ("price as words", setting(quoted_price="nine fifty", currency="USD"), "quoted_price"),
    ("sent time in the future", setting(sent_at=FUTURE), "sent_at"),
    ("sent time not ISO 8601", setting(sent_at="yesterday at noon"), "sent_at"),
    ("sent time as a number", setting(sent_at=1700000000), "sent_at"),
    ("firm offer not a boolean", setting(firm_offer="perhaps"), "firm_offer"),
    ("attachments as a string", setting(attachments="Quotation.pdf"), "attachments"),
    ("subject over 998 characters", setting(subject="S" * 999), "subject"),
    ("body over 1,000,000 characters", setting(body="b" * 1_000_001), "body"),
]


@pytest.mark.parametrize(("change", "field"), [c[1:] for c in INVALID], ids=[c[0] for c in INVALID])
def test_invalid_input_answers_400_with_the_error_under_its_field(api, change, field):
    body = copy.deepcopy(payload())
    change(body)

    response = api.post(URL, body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not Incident.objects.exists()


def test_a_bad_recipient_error_points_at_the_item_and_its_address(api):
    recipients = [{"address": "ok@globex.com.cn", "field": "to"}, {"address": "a@x.com, evil@y.com", "field": "cc"}]

    errors = api.post(URL, payload(recipients=recipients), format="json").json()

    assert list(errors["recipients"]) == ["1"]
    assert "a@x.com, evil@y.com" in errors["recipients"]["1"]["address"][0]


@pytest.mark.parametrize(
    ("content", "content_type"),
    [("{not json", "application/json"), ('["a", "list"]', "application/json"), ("", "application/json")],
    ids=["malformed JSON", "a JSON list", "an empty body"],
)
def test_a_body_that_is_not_a_json_object_answers_400(api, content, content_type):
    response = api.generic("POST", URL, content, content_type=content_type)

    assert response.status_code == 400
    assert not Incident.objects.exists()


@pytest.mark.parametrize(("method", "path"), [("get", URL), ("post", URL), ("get", f"{URL}1/")])
@pytest.mark.parametrize("authorization", [None, "Token not-a-real-token"], ids=["no token", "bad token"])
def test_without_a_valid_token_the_api_answers_401_not_a_login_redirect(db, method, path, authorization):
    client = APIClient()
    if authorization:
        client.credentials(HTTP_AUTHORIZATION=authorization)

    response = client.post(path, payload(), format="json") if method == "post" else client.get(path)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert not Incident.objects.exists()


def test_the_token_identifies_the_reporter(api, employee, team):
    response = api.post(URL, payload(), format="json")

    incident = Incident.objects.get(pk=response.json()["id"])
    assert incident.reporter == employee
    assert incident.team == team


def test_listing_incidents_costs_the_same_queries_for_one_or_many(api, employee, django_assert_num_queries):
    factories.file_incident(employee)
    api.get(URL)  # one-off lookups cached per process are not what this measures
    with CaptureQueriesContext(connection) as one:
        api.get(URL)
    for _ in range(4):
        factories.file_incident(employee)

    with django_assert_num_queries(len(one.captured_queries)):
        response = api.get(URL)

    assert response.json()["count"] == 5


def test_the_openapi_schema_describes_the_incident_intake(api):
    response = api.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/incidents/" in schema["paths"]
    create = schema["paths"]["/api/incidents/"]["post"]
    assert "201" in create["responses"]
    intake = schema["components"]["schemas"]["IncidentIn"]
    assert {"subject", "sent_at", "mail_system", "sender", "recipients"} <= set(intake["required"])


def test_a_million_character_chinese_body_sent_with_json_escapes_is_accepted(directory, employee):
    client = APIClient()
    client.force_authenticate(employee)
    payload = {
        "subject": "长邮件",
        "sent_at": (timezone.now() - timedelta(minutes=5)).isoformat(),
        "mail_system": "qq",
        "sender": "erin@ourco.com",
        "recipients": [{"address": "li.wei@globex.com.cn", "field": "to"}],
        "problems": ["wrong_recipient"],
        "body": "报" * 1_000_000,
    }
    raw = json.dumps(payload)  # ensure_ascii: six bytes a character
    assert len(raw) > 6_000_000
    response = client.post(URL, raw, content_type="application/json")
    assert response.status_code == 201, response.content[:300]
