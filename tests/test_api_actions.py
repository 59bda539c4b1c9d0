"""Everything a person can do on the pages, over the API, with the same rules and status codes:
400 field errors, 404 for what the caller may not see, 403 for what they may see but not do,
409 for a state conflict."""

from decimal import Decimal

import pytest
from django.core import mail
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory, file_incident


def api_for(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return api


@pytest.fixture
def quote(directory, employee, manager, legal):
    return file_incident(
        employee,
        to=["buyer@acme-trading.com"],
        intended=["buyer@acme-trading.com"],
        problems=["wrong_price"],
        quoted_price=Decimal("95"),
        correct_price=Decimal("100"),
        currency="USD",
    )


def test_patch_changes_the_report_and_re_assesses(quote, employee):
    assert quote.severity == "medium"
    response = api_for(employee).patch(
        f"/api/incidents/{quote.pk}/", {"quoted_price": "80.00", "recipient_status": "accepted"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (
        body["severity"] == "critical" and body["quoted_price"] == "80.0000" and body["recipient_status"] == "accepted"
    )
    assert "low_quote_answered" in {f["code"] for f in body["factors"]}
    assert quote.events.filter(type="edited").exists()


@pytest.mark.parametrize(
    "data,field",
    [
        ({"currency": "DOLLARS"}, "currency"),
        ({"recipients": []}, "recipients"),
        ({"sent_at": "yesterday"}, "sent_at"),
        ({"quoted_price": "-1"}, "quoted_price"),
        ({"problems": ["nonsense"]}, "problems"),
    ],
)
def test_patch_answers_400_with_the_field_and_changes_nothing(quote, employee, data, field):
    response = api_for(employee).patch(f"/api/incidents/{quote.pk}/", data, format="json")
    assert response.status_code == 400 and field in response.json()
    quote.refresh_from_db()
    assert quote.quoted_price == Decimal("95") and quote.currency == "USD"


def test_patch_is_403_for_legal_who_only_read_and_404_for_who_cannot_see(quote, legal, other_employee):
    assert api_for(legal).patch(f"/api/incidents/{quote.pk}/", {"subject": "x"}, format="json").status_code == 403
    assert (
        api_for(other_employee).patch(f"/api/incidents/{quote.pk}/", {"subject": "x"}, format="json").status_code == 404
    )
    assert api_for(legal).patch(f"/api/incidents/{quote.pk}/", ["not", "an", "object"], format="json").status_code in (
        400,
        403,
    )


def test_resolve_needs_a_note(directory, employee):
    incident = file_incident(
        employee, to=["colleague@ourco.com"], intended=["team@ourco.com"], problems=["wrong_content"]
    )
    api = api_for(employee)
    response = api.post(f"/api/incidents/{incident.pk}/resolve/", {}, format="json")
    assert response.status_code == 400 and "note" in response.json()
    assert (
        api.post(f"/api/incidents/{incident.pk}/resolve/", {"note": "ok"}, format="json").json()["status"] == "resolved"
    )
    assert api.post(f"/api/incidents/{incident.pk}/take-over/").status_code == 409


def test_take_over_is_403_for_the_reporter(quote, employee, legal):
    assert api_for(employee).post(f"/api/incidents/{quote.pk}/take-over/").status_code == 403
    response = api_for(legal).post(f"/api/incidents/{quote.pk}/take-over/")
    assert response.status_code == 200
    assert {e.route: e.status for e in quote.escalations.all()} == {"legal": "acknowledged"}


def test_escalate_by_hand_is_for_managers(directory, employee, manager):
    incident = file_incident(
        employee, to=["colleague@ourco.com"], intended=["team@ourco.com"], problems=["wrong_content"]
    )
    body = {"route": "legal", "reason": "client's lawyer called"}
    assert api_for(employee).post(f"/api/incidents/{incident.pk}/escalate/", body, format="json").status_code in (
        403,
        404,
    )
    assert (
        api_for(manager)
        .post(f"/api/incidents/{incident.pk}/escalate/", {"route": "nowhere"}, format="json")
        .status_code
        == 400
    )
    assert api_for(manager).post(f"/api/incidents/{incident.pk}/escalate/", body, format="json").status_code == 200
    assert incident.escalations.get(route="legal").status == "active"


def test_drafts_can_be_edited_marked_sent_and_sent_over_the_api(settings, directory, employee, legal):
    settings.MISSEND_DRAFT_SENDING = True
    incident = file_incident(employee, to=["li.wei@globex.com.cn", "eve@rival-exports.com"], attachments=["Q.pdf"])
    api = api_for(employee)
    key = "deletion_request:rival-exports.com"
    edited = api.patch(
        f"/api/incidents/{incident.pk}/drafts/{key}/",
        {"subject": "Please delete", "text": "Please delete it."},
        format="json",
    )
    assert edited.status_code == 200 and edited.json()["edited"] and edited.json()["text"] == "Please delete it."
    assert api.patch(f"/api/incidents/{incident.pk}/drafts/{key}/", {"subject": ""}, format="json").status_code == 400
    assert api_for(legal).patch(
        f"/api/incidents/{incident.pk}/drafts/{key}/", {"subject": "x", "text": "y"}, format="json"
    ).status_code in (403, 404)
    bad = api.post(f"/api/incidents/{incident.pk}/drafts/{key}/sent/", {"channel": "phone"}, format="json")
    assert bad.status_code == 400 and "channel" in bad.json()
    assert (
        api.post(f"/api/incidents/{incident.pk}/drafts/{key}/send/", {"confirm": False}, format="json").status_code
        == 400
    )
    sent = api.post(f"/api/incidents/{incident.pk}/drafts/{key}/send/", {"confirm": True}, format="json")
    assert sent.status_code == 200 and sent.json()["sent_at"]
    [message] = mail.outbox
    assert message.to == ["eve@rival-exports.com"] and message.body == "Please delete it."
    assert api.get(f"/api/incidents/{incident.pk}/drafts/nothing:here/").status_code == 404


def test_sending_uses_the_users_own_address_never_the_typed_sender(settings, client, directory, employee):
    settings.MISSEND_DRAFT_SENDING = True
    incident = file_incident(employee, sender="ceo@ourco.com", to=["eve@rival-exports.com"], attachments=["Q.pdf"])
    key = "deletion_request:rival-exports.com"
    api_for(employee).post(f"/api/incidents/{incident.pk}/drafts/{key}/send/", {"confirm": True}, format="json")
    assert mail.outbox[0].from_email == employee.email
    eml = api_for(employee).get(f"/api/incidents/{incident.pk}/drafts/{key}/eml/")
    assert b"ceo@ourco.com" not in eml.content.split(b"\n\n")[0] and employee.email.encode() in eml.content


def test_sending_is_refused_with_the_reason_when_the_user_has_no_address(settings, directory, employee):
    settings.MISSEND_DRAFT_SENDING = True
    incident = file_incident(employee, to=["eve@rival-exports.com"], attachments=["Q.pdf"])
    employee.email = ""
    employee.save()
    response = api_for(employee).post(
        f"/api/incidents/{incident.pk}/drafts/deletion_request:rival-exports.com/send/",
        {"confirm": True},
        format="json",
    )
    assert response.status_code == 409 and "no email address" in response.json()["detail"]
    assert not mail.outbox


def test_an_address_an_admin_binds_to_the_user_is_the_one_used(settings, directory, employee):
    from incidents.accounts.services import profile_for

    settings.MISSEND_DRAFT_SENDING = True
    profile = profile_for(employee)
    profile.sending_address = "erin.sales@ourco.com"
    profile.save()
    incident = file_incident(employee, to=["eve@rival-exports.com"], attachments=["Q.pdf"])
    api_for(employee).post(
        f"/api/incidents/{incident.pk}/drafts/deletion_request:rival-exports.com/send/",
        {"confirm": True},
        format="json",
    )
    assert mail.outbox[0].from_email == "erin.sales@ourco.com"


def test_format_suffix_routes_are_gone(quote, employee):
    assert api_for(employee).get(f"/api/incidents/{quote.pk}.json").status_code == 404


def test_a_huge_limit_is_capped_not_a_server_error(quote, employee):
    response = api_for(employee).get("/api/incidents/?limit=100000000000000")
    assert response.status_code == 200 and len(response.json()["results"]) == 1
    for bad in ("limit=abc", "offset=-1", "limit=1" + "0" * 40):
        response = api_for(employee).get(f"/api/incidents/?{bad}")
        assert response.status_code == 400 and bad.split("=")[0] in response.json()


def test_unauthenticated_calls_answer_401(quote):
    assert APIClient().post(f"/api/incidents/{quote.pk}/resolve/", {"note": "x"}, format="json").status_code == 401


def test_a_user_with_no_role_sees_nothing(quote):
    stranger = UserFactory(username="stranger")
    assert api_for(stranger).get(f"/api/incidents/{quote.pk}/").status_code == 404
