"""Drafts through the app: the incident page, the draft page, .eml, approval, sending, the API, the admin."""

from decimal import Decimal
from email import policy
from email.parser import BytesParser

import pytest
from django.core import mail
from django.core.management import CommandError
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from incidents.models import DraftRecord, DraftTemplate, Organisation
from tests.factories import file_incident

WRONG_CLIENT = {
    "to": ["li.wei@globex.com.cn", "eve@rival-exports.com"],
    "attachments": ["Quotation_Q-1.pdf"],
    "message_id": "<q1.123@mail.ourco.com>",
}
LOW_FIRM_QUOTE = {
    "to": ["buyer@acme-trading.com"],
    "intended": ["buyer@acme-trading.com"],
    "problems": ["wrong_price"],
    "quoted_price": Decimal("82"),
    "correct_price": Decimal("100"),
    "currency": "USD",
    "firm_offer": True,
}


def draft_url(incident, key, action="", **query):
    url = reverse(f"incidents:draft{'_' + action if action else ''}", args=[incident.pk, key])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def parse(raw: bytes):
    return BytesParser(policy=policy.default).parsebytes(raw)


@pytest.mark.parametrize(
    "case,expected",
    [
        (
            WRONG_CLIENT,
            [
                "call_script:globex.com.cn",
                "call_script:rival-exports.com",
                "deletion_request:globex.com.cn",
                "deletion_request:rival-exports.com",
                "internal_summary",
            ],
        ),
        (LOW_FIRM_QUOTE, ["call_script:acme-trading.com", "offer_withdrawal:acme-trading.com", "internal_summary"]),
        ({"to": ["colleague@ourco.com"], "intended": ["team@ourco.com"], "problems": ["wrong_content"]}, []),
        (
            {
                "to": ["buyer@acme-trading.com"],
                "intended": ["buyer@acme-trading.com"],
                "problems": ["wrong_attachment"],
            },
            ["correction:acme-trading.com"],
        ),
    ],
    ids=["wrong-client-and-competitor", "firm-low-quote", "internal-only", "wrong-attachment-to-client"],
)
def test_the_incident_page_offers_the_drafts_that_fit(client, directory, employee, case, expected):
    incident = file_incident(employee, **case)
    client.force_login(employee)
    page = client.get(incident.get_absolute_url())
    assert sorted(item.draft.key for item, _ in page.context["draft_items"]) == sorted(expected)


def test_drafts_follow_each_organisations_language_and_can_be_switched(client, directory, employee):
    incident = file_incident(employee, **WRONG_CLIENT)
    client.force_login(employee)
    items = {i.draft.key: i.draft for i, _ in client.get(incident.get_absolute_url()).context["draft_items"]}
    assert items["deletion_request:globex.com.cn"].language == "zh-hans"
    assert items["deletion_request:globex.com.cn"].subject.startswith("邮件误发")
    assert items["deletion_request:rival-exports.com"].language == "en"
    forced = client.get(incident.get_absolute_url() + "?language=en").context["draft_items"]
    assert {i.draft.language for i, _ in forced} == {"en"}


def test_a_directory_preference_overrides_the_domain_rule(client, directory, employee):
    globex = Organisation.objects.get(name="Globex China")
    globex.language = "en"
    globex.save()  # as the admin saves it (a queryset update would skip the directory stamp)
    incident = file_incident(employee, **WRONG_CLIENT)
    client.force_login(employee)
    page = client.get(draft_url(incident, "deletion_request:globex.com.cn"))
    assert page.context["draft"].language == "en"


def test_the_eml_is_a_ready_to_send_draft_threaded_under_the_original(client, directory, employee):
    incident = file_incident(employee, **WRONG_CLIENT)
    client.force_login(employee)
    response = client.get(reverse("incidents:draft_eml", args=[incident.pk, "deletion_request:rival-exports.com"]))
    assert response["Content-Type"] == "message/rfc822"
    message = parse(response.content)
    assert message["X-Unsent"] == "1"
    assert message["From"].addresses[0].addr_spec == incident.sender
    assert [a.addr_spec for a in message["To"].addresses] == ["eve@rival-exports.com"]
    assert message["In-Reply-To"] == "<q1.123@mail.ourco.com>" and "<q1.123@mail.ourco.com>" in message["References"]
    body = message.get_body(("plain",)).get_content()
    assert "delete" in body and "Globex" not in body  # no client sees another's name


def test_an_edited_line_is_kept_and_header_injection_in_the_subject_goes_nowhere(client, directory, employee):
    incident = file_incident(employee, **WRONG_CLIENT)
    client.force_login(employee)
    url = draft_url(incident, "deletion_request:rival-exports.com")
    original = client.get(url).context["draft"]
    edited_text = original.text.replace("Thank you", "Many thanks")
    client.post(
        draft_url(incident, "deletion_request:rival-exports.com", "save"),
        {"subject": "Please delete\r\nBcc: spy@evil.example", "text": edited_text},
    )
    draft = client.get(url).context["draft"]
    assert "Many thanks" in draft.text
    message = parse(
        client.get(reverse("incidents:draft_eml", args=[incident.pk, "deletion_request:rival-exports.com"])).content
    )
    assert message["Bcc"] is None and "\n" not in message["Subject"]
    assert "Many thanks" in message.get_body(("plain",)).get_content()
    assert incident.events.filter(type="draft_edited").exists()


def test_marking_a_correction_sent_records_time_to_correction_on_the_incident(client, directory, employee):
    incident = file_incident(employee, **WRONG_CLIENT)
    client.force_login(employee)
    client.post(draft_url(incident, "deletion_request:globex.com.cn", "sent"), {"via": "eml"})
    incident.refresh_from_db()
    assert incident.first_correction_at is not None
    event = incident.events.get(type="draft_sent")
    assert event.parameters["minutes_from_mistake"] >= 4.9  # the factory's email was sent five minutes ago
    assert "First correction sent" in client.get(incident.get_absolute_url()).content.decode()


def test_a_firm_low_quote_withdrawal_waits_for_legal_who_approve_or_reject_with_a_comment(
    client, settings, directory, employee, legal
):
    settings.MISSEND_DRAFT_SENDING = True
    incident = file_incident(employee, **LOW_FIRM_QUOTE)
    key = "offer_withdrawal:acme-trading.com"
    record = DraftRecord.objects.get(incident=incident, key=key)
    assert record.approval == "pending"

    client.force_login(employee)
    page = client.get(draft_url(incident, key)).content.decode()
    assert "Legal must approve this draft before it can be sent" in page
    client.post(draft_url(incident, key, "send"), {"confirm": "1"})
    assert not mail.outbox, "an unapproved withdrawal must not be sent"
    assert (
        client.post(draft_url(incident, key, "decision"), {"decision": "approve"}).status_code == 403
    )  # employees do not approve

    client.force_login(legal)
    queue = client.get(reverse("incidents:legal")).content.decode()
    assert "awaits your approval" in queue
    client.post(draft_url(incident, key, "decision"), {"decision": "reject", "comment": ""})
    assert DraftRecord.objects.get(pk=record.pk).approval == "pending", "a rejection needs a reason"
    client.post(draft_url(incident, key, "decision"), {"decision": "approve", "comment": "Send it now and call them."})
    record.refresh_from_db()
    assert (record.approval, record.approval_by, record.approval_comment) == (
        "approved",
        legal,
        "Send it now and call them.",
    )

    client.force_login(employee)
    client.post(draft_url(incident, key, "send"), {"confirm": "1"})
    [sent] = mail.outbox
    assert sent.to == ["buyer@acme-trading.com"] and sent.from_email == employee.email
    assert DraftRecord.objects.get(pk=record.pk).sent_via == "app"


def test_sending_from_the_app_needs_it_configured_and_confirmed(client, settings, directory, employee):
    incident = file_incident(employee, **WRONG_CLIENT)
    client.force_login(employee)
    url = draft_url(incident, "deletion_request:rival-exports.com", "send")
    settings.MISSEND_DRAFT_SENDING = True
    client.post(url, {})
    assert not mail.outbox
    settings.MISSEND_DRAFT_SENDING = False
    client.post(url, {"confirm": "1"})
    assert not mail.outbox


def test_drafts_are_visible_only_to_those_who_see_the_incident(client, directory, employee, other_employee):
    incident = file_incident(employee, **WRONG_CLIENT)
    client.force_login(other_employee)
    assert client.get(draft_url(incident, "deletion_request:globex.com.cn")).status_code == 404
    assert (
        client.get(reverse("incidents:draft_eml", args=[incident.pk, "deletion_request:globex.com.cn"])).status_code
        == 404
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=other_employee).key}")
    assert api.get(f"/api/incidents/{incident.pk}/drafts/").status_code == 404


def test_api_lists_drafts_with_their_eml_links(directory, employee):
    incident = file_incident(employee, **WRONG_CLIENT)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=employee).key}")
    drafts = api.get(f"/api/incidents/{incident.pk}/drafts/").json()
    by_key = {d["key"]: d for d in drafts}
    deletion = by_key["deletion_request:globex.com.cn"]
    assert set(deletion) >= {
        "kind",
        "language",
        "to",
        "cc",
        "subject",
        "text",
        "html",
        "needs_legal_approval",
        "eml_url",
    }
    assert (deletion["kind"], deletion["language"]) == ("deletion_request", "zh-hans")
    assert deletion["to"] == [{"address": "li.wei@globex.com.cn", "name": ""}]
    assert (
        by_key["call_script:globex.com.cn"]["html"] is None and by_key["call_script:globex.com.cn"]["eml_url"] is None
    )
    eml = api.get(deletion["eml_url"])
    assert eml.status_code == 200 and parse(eml.content)["X-Unsent"] == "1"
    english = api.get(f"/api/incidents/{incident.pk}/drafts/?language=en").json()
    assert {d["language"] for d in english} == {"en"}


@pytest.mark.parametrize(
    "value,ok",
    [("<a.b@c.d>", True), ("a.b@c.d", True), ("<a b@c>", False), ("<x@y>\r\nBcc: z@e.f", False), ("nonsense", False)],
)
def test_intake_takes_an_original_message_id(directory, employee, value, ok):
    api = APIClient()
    api.force_authenticate(employee)
    response = api.post(
        "/api/incidents/",
        {
            "subject": "Q",
            "sent_at": timezone.now().isoformat(),
            "mail_system": "gmail",
            "sender": "erin@ourco.com",
            "recipients": [{"address": "buyer@acme-trading.com"}],
            "problems": ["wrong_attachment"],
            "message_id": value,
        },
        format="json",
    )
    assert response.status_code == (201 if ok else 400), response.content
    if ok:
        assert response.json()["message_id"].startswith("<")
    else:
        assert "message_id" in response.json()


def test_admin_template_edits_are_validated_previewed_and_versioned(client, superuser, directory, employee):
    client.force_login(superuser)
    add = reverse("admin:incidents_drafttemplate_add")
    base = {
        "kind": "deletion_request",
        "language": "en",
        "part": "subject",
        "active": "on",
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "0",
    }
    for attack in [
        "{{ ''.__class__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ unknown_variable }}",
        "{% for x in %}",
    ]:
        response = client.post(add, {**base, "source": attack})
        assert response.status_code == 200 and response.context["adminform"].form.errors.get("source"), attack
    assert not DraftTemplate.objects.exists()
    client.post(add, {**base, "source": "PLEASE DELETE: {{ original_subject }}"})
    template = DraftTemplate.objects.get()
    change = client.get(reverse("admin:incidents_drafttemplate_change", args=[template.pk])).content.decode()
    assert "PLEASE DELETE:" in change and "original_subject" in change  # preview and the variable list
    assert template.versions.count() == 1
    incident = file_incident(employee, **WRONG_CLIENT)
    client.force_login(employee)
    assert (
        client.get(draft_url(incident, "deletion_request:rival-exports.com"))
        .context["draft"]
        .subject.startswith("PLEASE DELETE:")
    )


def test_an_empty_admin_source_starts_from_the_shipped_template(client, superuser):
    client.force_login(superuser)
    client.post(
        reverse("admin:incidents_drafttemplate_add"),
        {
            "kind": "correction",
            "language": "zh-hans",
            "part": "text",
            "active": "on",
            "source": "",
            "versions-TOTAL_FORMS": "0",
            "versions-INITIAL_FORMS": "0",
        },
    )
    assert DraftTemplate.objects.get().source.strip()


def test_import_directory_takes_an_optional_language_column(db, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    path = tmp_path / "directory.csv"
    path.write_text(
        "name,kind,domains,language\nHuaxin,client,huaxin.com,zh-hans\nGlobex China,client,globex.com.cn,en\n"
        "Odd,client,odd.com,klingon\n",
        encoding="utf-8",
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_directory", str(path), stdout=StringIO(), stderr=err)
    assert "Row 4" in err.getvalue() and "klingon" in err.getvalue()
    assert dict(Organisation.objects.values_list("name", "language")) == {"Huaxin": "zh-hans", "Globex China": "en"}
    path.write_text("name,kind,domains\nHuaxin,client,huaxin.com\n", encoding="utf-8")
    call_command("import_directory", str(path), stdout=StringIO(), stderr=StringIO())
    assert Organisation.objects.get(name="Huaxin").language == "zh-hans", "a file without the column keeps the language"


def test_prices_in_drafts_read_as_written_not_as_stored(client, directory, employee):
    incident = file_incident(employee, **LOW_FIRM_QUOTE)
    incident.refresh_from_db()  # prices now carry the database's four places
    client.force_login(employee)
    text = client.get(draft_url(incident, "offer_withdrawal:acme-trading.com")).context["draft"].text
    assert "USD 82.00 " in text or "USD 82.00)" in text or "USD 82.00," in text
    assert "82.0000" not in text and "100.0000" not in text
