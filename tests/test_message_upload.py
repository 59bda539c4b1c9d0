"""The sent message fills the report: the upload on the report page and POST /api/incidents/import/."""

import re
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils.html import escape
from rest_framework.test import APIClient

from incidents.accounts.services import profile_for
from incidents.models import Incident
from tests import factories
from tests.support_intake import REPORT_URL
from tests.support_messages import SENT, sent_message

IMPORT_URL = "/api/incidents/import/"


pytestmark = pytest.mark.usefixtures("in_english")


def upload(data: bytes, name="message.eml") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="message/rfc822")


def read(client, data: bytes, **typed):
    return client.post(REPORT_URL, {"action": "read", "message": upload(data), **typed})


# The report page.
def test_the_report_page_offers_the_message_upload_and_its_script_without_inline_code(signed_in):
    html = signed_in.get(REPORT_URL).content.decode()

    assert 'type="file" name="message"' in html and 'accept=".eml,.msg' in html
    assert re.search(r'<button[^>]*name="action" value="read"[^>]*formnovalidate', html)
    assert 'src="/static/js/report_upload.js"' in html
    assert not re.search(r"<script>(?!</script>)", html), "inline script"
    # Enter in a text field presses the form's first submit button: that must save, not read.
    first_button = re.search(r'<(?:button|input)[^>]*type="submit"[^>]*>', html.split('id="report-form"')[1])
    assert 'value="read"' not in first_button.group(0)


def test_the_edit_page_has_no_message_upload(signed_in, employee):
    incident = factories.file_incident(employee)
    html = signed_in.get(reverse("incidents:edit", args=[incident.pk])).content.decode()
    assert 'name="message"' not in html and 'name="subject"' in html


def test_reading_a_message_fills_the_form_and_files_nothing(signed_in):
    response = read(signed_in, sent_message(cc="Max <max@ourco.com>", bcc="boss@ourco.com"))

    assert response.status_code == 200
    initial = response.context["form"].initial
    assert initial["subject"] == "Quotation Q-77 for Acme Trading"
    assert "erin@ourco.com" in initial["sender"]
    assert "li.wei@globex.com.cn" in initial["to_recipients"] and "Li Wei" in initial["to_recipients"]
    assert "max@ourco.com" in initial["cc_recipients"]
    assert "boss@ourco.com" in initial["bcc_recipients"]
    assert initial["message_id"] == "<q77.1@mail.ourco.com>"
    assert "unit price USD 9.50" in initial["body"]
    assert initial["attachments"].splitlines() == ["Quotation_Q-77.pdf"]
    html = response.content.decode()
    assert "The report is filled from the message." in html
    assert escape("Quotation Q-77 for Acme Trading") in html
    assert Incident.objects.count() == 0


def test_the_sent_time_is_shown_in_the_users_zone(signed_in, employee):
    profile = profile_for(employee)
    profile.time_zone = "Asia/Shanghai"
    profile.save()

    html = read(signed_in, sent_message(sent=SENT)).content.decode()

    assert "Sent at (Asia/Shanghai)" in html
    assert 'value="2026-11-30T09:00:00"' in html


def test_a_client_the_message_names_is_suggested_with_its_known_addresses(signed_in, employee, other_employee):
    factories.file_incident(employee, intended=["buyer@acme-trading.com"])
    factories.file_incident(other_employee, intended=["secret@acme-trading.com"])  # not the employee's to see

    html = read(signed_in, sent_message()).content.decode()

    assert "This mentions Acme Trading: was it meant for them?" in html
    assert 'data-fill-intended="buyer@acme-trading.com"' in html
    assert "secret@acme-trading.com" not in html
    assert "This mentions Globex China" not in html  # it did receive the message


def test_what_the_user_typed_before_reading_is_kept(signed_in):
    response = read(
        signed_in,
        sent_message(),
        problems=["wrong_price"],
        intended_recipients="buyer@acme-trading.com",
        quoted_price="9.50",
        subject="typed, but the message knows better",
    )

    initial = response.context["form"].initial
    assert initial["problems"] == ["wrong_price"]
    assert initial["intended_recipients"] == "buyer@acme-trading.com"
    assert initial["quoted_price"] == "9.50"
    assert initial["subject"] == "Quotation Q-77 for Acme Trading"


@pytest.mark.parametrize(
    "mailer, selected",
    [("Microsoft Outlook 16.0", "microsoft365"), ("", None)],
)
def test_the_mail_system_is_taken_from_the_headers_else_the_forms_default(signed_in, mailer, selected):
    initial = read(signed_in, sent_message(mailer=mailer)).context["form"].initial
    assert initial.get("mail_system") == selected


def test_a_read_message_then_the_problem_and_intended_recipient_files_the_incident(signed_in):
    initial = read(signed_in, sent_message()).context["form"].initial
    data = {name: value for name, value in initial.items() if isinstance(value, str)}
    data.update(
        sent_at=initial["sent_at"].strftime("%Y-%m-%dT%H:%M:%S"),
        mail_system="gmail",
        recipient_status="unknown",
        problems=["wrong_recipient"],
        intended_recipients="buyer@acme-trading.com",
    )

    response = signed_in.post(REPORT_URL, data)

    incident = Incident.objects.get()
    assert response.status_code == 302
    assert incident.message_id == "<q77.1@mail.ourco.com>"
    assert incident.attachments == ["Quotation_Q-77.pdf"]
    assert incident.sent_at == SENT
    assert incident.severity == "high"


NOT_EMAILS = [
    ("a PDF", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "message.eml"),
    ("a message without recipients", b"From: erin@ourco.com\r\nSubject: hello\r\n\r\nhi\r\n", "message.eml"),
    ("random bytes", bytes(range(256)) * 8, "message.msg"),
]


@pytest.mark.parametrize("case, data, name", NOT_EMAILS, ids=[c[0] for c in NOT_EMAILS])
def test_a_file_that_is_not_an_email_is_an_error_on_the_file_field_and_the_form_stays(signed_in, case, data, name):
    response = signed_in.post(REPORT_URL, {"action": "read", "message": upload(data, name), "subject": "typed"})

    assert response.status_code == 200
    errors = response.context["upload"].errors["message"]
    assert errors and all(error.strip() for error in errors)
    html = response.content.decode()
    assert escape(errors[0]) in html and 'id="message_error"' in html
    assert response.context["form"].initial["subject"] == "typed"
    assert Incident.objects.count() == 0


@override_settings(MISSEND_MESSAGE_MAX_BYTES=2000)
def test_a_message_over_the_size_limit_is_refused_with_a_clear_error(signed_in):
    response = read(signed_in, sent_message(body="x" * 5000))

    assert response.status_code == 200
    assert response.context["upload"].errors["message"]
    assert Incident.objects.count() == 0


def test_reading_without_a_file_asks_for_one(signed_in):
    response = signed_in.post(REPORT_URL, {"action": "read", "subject": "typed"})
    assert response.status_code == 200
    assert response.context["upload"].errors["message"]
    assert response.context["form"].initial["subject"] == "typed"


# The API.
def test_the_api_answers_the_messages_fields_in_the_intake_shape_without_filing(api):
    response = api.post(IMPORT_URL, {"file": upload(sent_message(cc="max@ourco.com"))}, format="multipart")

    assert response.status_code == 200, response.json()
    answer = response.json()
    fields = answer["fields"]
    assert fields["subject"] == "Quotation Q-77 for Acme Trading"
    assert datetime.fromisoformat(fields["sent_at"]) == SENT
    assert fields["sender"] == "erin@ourco.com"
    assert fields["recipients"] == [
        {"address": "li.wei@globex.com.cn", "name": "Li Wei", "field": "to"},
        {"address": "max@ourco.com", "name": "", "field": "cc"},
    ]
    assert fields["intended_recipients"] == [] and fields["problems"] == []
    assert fields["mail_system"] == "other"
    assert fields["attachments"] == ["Quotation_Q-77.pdf"]
    assert fields["message_id"] == "<q77.1@mail.ourco.com>"
    assert isinstance(answer["warnings"], list)
    assert answer["suggested_organisations"] == ["Acme Trading"]
    assert Incident.objects.count() == 0


REPORT = '{"problems": ["wrong_recipient"], "intended_recipients": ["buyer@acme-trading.com"], "mail_system": "gmail"}'


@pytest.mark.parametrize("query, flag", [("?file=true", []), ("", ["true"])], ids=["query", "text part"])
def test_file_true_files_at_once_and_answers_like_post_incidents(api, query, flag):
    # curl -F file=@message.eml -F file=true: two parts of the same name, the file and the flag.
    response = api.post(
        IMPORT_URL + query, {"file": [upload(sent_message()), *flag], "report": REPORT}, format="multipart"
    )

    assert response.status_code == 201, response.json()
    answer = response.json()
    incident = Incident.objects.get()
    assert answer["id"] == incident.pk and answer["severity"] == "high"
    assert answer["intended_recipients"] == ["buyer@acme-trading.com"]
    assert answer["message_id"] == "<q77.1@mail.ourco.com>" and answer["mail_system"] == "gmail"
    assert set(answer) == set(api.get(f"/api/incidents/{incident.pk}/").json())


def test_filing_without_saying_what_went_wrong_is_a_field_error(api):
    response = api.post(IMPORT_URL + "?file=true", {"file": upload(sent_message())}, format="multipart")

    assert response.status_code == 400
    assert "problems" in response.json()
    assert Incident.objects.count() == 0


@pytest.mark.parametrize("case, data, name", NOT_EMAILS, ids=[c[0] for c in NOT_EMAILS])
def test_the_api_answers_400_with_the_reason_for_a_file_that_is_not_an_email(api, case, data, name):
    response = api.post(IMPORT_URL, {"file": upload(data, name)}, format="multipart")

    assert response.status_code == 400
    assert list(response.json()) == ["file"] and response.json()["file"][0].strip()


@override_settings(MISSEND_MESSAGE_MAX_BYTES=2000)
def test_the_api_answers_413_with_the_reason_for_a_file_over_the_limit(api):
    response = api.post(IMPORT_URL, {"file": upload(sent_message(body="x" * 5000))}, format="multipart")

    assert response.status_code == 413
    assert response.json()["file"][0].strip()


@pytest.mark.parametrize(
    "body, field",
    [({}, "file"), ({"report": "[1, 2]"}, "report"), ({"report": "{not json"}, "report")],
)
def test_the_api_answers_400_for_a_missing_file_or_a_report_that_is_not_a_json_object(api, body, field):
    if field != "file":
        body = {**body, "file": upload(sent_message())}
    response = api.post(IMPORT_URL, body, format="multipart")
    assert response.status_code == 400 and field in response.json()


def test_the_api_import_needs_a_login(db):
    response = APIClient().post(IMPORT_URL, {"file": upload(sent_message())}, format="multipart")
    assert response.status_code == 401


def test_the_schema_documents_the_import_with_every_answer(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/incidents/import/"]["post"]
    assert set(operation["responses"]) == {
        "200",
        "201",
        "400",
        "401",
        "413",
        "415",
    }  # 415: a body that is not multipart
    assert "multipart/form-data" in operation["requestBody"]["content"]
    assert any(p["name"] == "file" and p["in"] == "query" for p in operation["parameters"])
