"""Personal data found in a report's text: filed, shown, dismissed with a reason, and legal's duty kept."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.models import Incident
from incidents.reports.services import incident_update
from tests import factories
from tests.assessment.emails import HR_EMAIL, HR_EMAIL_TW, HR_SUBJECT, ID_NUMBER

REPORT_URL = reverse("incidents:report")
API_URL = "/api/incidents/"
LINK = "Not personal data? Edit the report and say why"
REASON = "it is an order number"


pytestmark = pytest.mark.usefixtures("in_english")


def hr_email_to_a_client(employee, **overrides):
    """The HR email for a colleague, sent to a client instead; nobody ticked "Personal data"."""
    values = dict(to=["li.wei@globex.com.cn"], intended=["hr@ourco.com"], subject=HR_SUBJECT, body=HR_EMAIL)
    return factories.file_incident(employee, **{**values, **overrides})


def codes(incident) -> list[str]:
    return [f["code"] for f in incident.factors]


def test_filing_carries_detected_personal_data_to_the_factor_the_route_and_the_clock(directory, employee, legal):
    incident = hr_email_to_a_client(employee)

    assert "personal_data_external" in codes(incident)
    assert incident.problems == ["wrong_recipient"], "detection does not tick the box for the reporter"
    assert incident.route_legal is True
    assert incident.regulatory_deadline == incident.created_at + timedelta(hours=72)
    assert incident.escalations.get(route="legal").status == "active"
    assert ID_NUMBER not in str(incident.factors)


def test_traditional_chinese_attachment_names_are_read_through_filing(directory, employee):
    incident = hr_email_to_a_client(employee, body="請查收附件。", attachments=["陳大文_身份證號.pdf"])
    [factor] = [f for f in incident.factors if f["code"] == "personal_data_external"]
    assert factor["params"]["found"] == [
        {"kind": "word", "value": "身份證號", "where": "attachment", "name": "陳大文_身份證號.pdf"}
    ]


def test_the_report_page_files_detected_personal_data(client, directory, employee):
    client.force_login(employee)
    data = {
        "subject": HR_SUBJECT,
        "sent_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "mail_system": "qq",
        "sender": "erin@ourco.com",
        "to_recipients": "li.wei@globex.com.cn",
        "intended_recipients": "hr@ourco.com",
        "problems": ["wrong_recipient"],
        "recipient_status": "unknown",
        "body": HR_EMAIL_TW,
    }
    response = client.post(REPORT_URL, data)

    incident = Incident.objects.get()
    assert response.status_code == 302
    assert "personal_data_external" in codes(incident)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "Personal data (ID number ending 0023, mobile number ending 5678" in page


def test_editors_see_how_to_dismiss_detected_personal_data_and_others_do_not(client, directory, employee, legal):
    incident = hr_email_to_a_client(employee)
    edit_url = reverse("incidents:edit", args=[incident.pk])

    client.force_login(employee)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert LINK in page
    assert f'href="{edit_url}#id_personal_data_dismissal"' in page

    client.force_login(legal)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "ID number ending 0013" in page
    assert LINK not in page


def test_no_dismissal_link_when_the_reporter_ticked_personal_data(client, directory, employee):
    incident = hr_email_to_a_client(employee, problems=["wrong_recipient", "personal_data"])
    client.force_login(employee)
    assert LINK not in client.get(incident.get_absolute_url()).content.decode()


def edit_form(client, incident) -> dict:
    form = client.get(reverse("incidents:edit", args=[incident.pk])).context["form"]
    data = {name: form.initial.get(name, field.initial) for name, field in form.fields.items()}
    data["sent_at"] = form.fields["sent_at"].widget.format_value(data["sent_at"])
    data["firm_offer"] = "on" if data["firm_offer"] else ""
    return {name: ("" if value is None else value) for name, value in data.items()}


def test_dismissing_on_the_edit_page_leaves_a_note_and_keeps_legals_escalation_open(
    client, directory, employee, manager, legal
):
    incident = hr_email_to_a_client(employee)
    client.force_login(employee)
    data = {**edit_form(client, incident), "personal_data_dismissal": REASON}

    response = client.post(reverse("incidents:edit", args=[incident.pk]), data)

    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.dismissed_signals == {"personal_data": REASON}
    assert "personal_data_external" not in codes(incident)
    assert "personal_data_dismissed" in codes(incident)
    assert (incident.route_legal, incident.regulatory_deadline) == (False, None)
    assert incident.escalations.get(route="legal").status == "active", "a reporter must not silence legal"
    client.force_login(manager)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert (
        "Personal data detected (ID number ending 0013, mobile number ending 8000, bank card number ending 7894, "
        "身份证号, 手机号, and 1 more) but dismissed by the reporter: it is an order number"
    ) in page
    assert LINK not in page, "once dismissed there is nothing left to dismiss"
    client.force_login(legal)  # legal's escalation is still open: they must still see what they answer for
    legal_page = client.get(incident.get_absolute_url())
    assert legal_page.status_code == 200 and "but dismissed by the reporter: it is an order number" in (
        legal_page.content.decode()
    )
    assert incident in client.get(reverse("incidents:legal")).context["page"].object_list


def test_the_edit_page_shows_the_reason_given(client, directory, employee):
    incident = hr_email_to_a_client(employee)
    incident_update(
        incident=incident,
        actor=employee,
        report=factories.report(
            to=["li.wei@globex.com.cn"],
            intended=["hr@ourco.com"],
            subject=HR_SUBJECT,
            body=HR_EMAIL,
            sent_at=incident.sent_at,
            dismissed_signals={"personal_data": REASON},
        ),
    )
    client.force_login(employee)
    assert edit_form(client, incident)["personal_data_dismissal"] == REASON


def test_ticking_personal_data_and_dismissing_it_is_an_error_on_the_reason(client, directory, employee):
    incident = hr_email_to_a_client(employee)
    client.force_login(employee)
    data = {
        **edit_form(client, incident),
        "personal_data_dismissal": REASON,
        "problems": ["wrong_recipient", "personal_data"],
    }

    response = client.post(reverse("incidents:edit", args=[incident.pk]), data)

    assert response.status_code == 200
    assert response.context["form"].errors["personal_data_dismissal"] == [
        "You ticked Personal data as a problem, so it cannot also be dismissed: untick it or leave the reason empty."
    ]
    incident.refresh_from_db()
    assert incident.dismissed_signals == {}


def api_payload(**overrides) -> dict:
    body = {
        "subject": HR_SUBJECT,
        "sent_at": (timezone.now() - timedelta(hours=1)).replace(microsecond=0).isoformat(),
        "mail_system": "qq",
        "sender": "erin@ourco.com",
        "recipients": [{"address": "li.wei@globex.com.cn", "field": "to"}],
        "intended_recipients": ["hr@ourco.com"],
        "problems": ["wrong_recipient"],
        "body": HR_EMAIL,
    }
    return {**body, **overrides}


def test_the_api_round_trip_of_a_dismissal(api, legal):
    created = api.post(API_URL, api_payload(), format="json").json()
    assert created["dismissed_signals"] == {}
    assert "personal_data_external" in [f["code"] for f in created["factors"]]
    assert created["route"]["legal"] is True
    url = f"{API_URL}{created['id']}/"

    dismissed = api.patch(url, {"dismissed_signals": {"personal_data": f"  {REASON} "}}, format="json")

    assert dismissed.status_code == 200, dismissed.json()
    answer = api.get(url).json()
    assert answer["dismissed_signals"] == {"personal_data": REASON}
    assert answer["route"]["legal"] is False
    assert answer["regulatory_deadline"] is None
    [note] = [f for f in answer["factors"] if f["code"] == "personal_data_dismissed"]
    assert note["detail"].endswith("but dismissed by the reporter: it is an order number")
    assert Incident.objects.get().escalations.get(route="legal").status == "active"

    untouched = api.patch(url, {"recipient_status": "read"}, format="json").json()
    assert untouched["dismissed_signals"] == {"personal_data": REASON}, "a PATCH leaves out what it does not name"

    taken_back = api.patch(url, {"dismissed_signals": {}}, format="json").json()
    assert taken_back["dismissed_signals"] == {}
    assert "personal_data_external" in [f["code"] for f in taken_back["factors"]]
    assert taken_back["route"]["legal"] is True


def test_filing_with_a_dismissal_over_the_api(api):
    response = api.post(
        API_URL, api_payload(body=f"订单号 {ID_NUMBER}", dismissed_signals={"personal_data": REASON}), format="json"
    )
    assert response.status_code == 201, response.json()
    assert [f["code"] for f in response.json()["factors"]] == [
        "unintended_external",
        "wrong_client",
        "personal_data_dismissed",
    ]


@pytest.mark.parametrize(
    "change, error",
    [
        pytest.param(
            {"dismissed_signals": {"pricing": "not a price"}},
            "Only personal_data can be dismissed, not pricing.",
            id="unknown-signal",
        ),
        pytest.param(
            {"dismissed_signals": {"personal_data": "  "}},
            "Say why personal_data is wrong: a dismissal needs a reason.",
            id="empty-reason",
        ),
        pytest.param(
            {"dismissed_signals": {"personal_data": REASON}, "problems": ["personal_data"]},
            "You ticked Personal data as a problem, so it cannot also be dismissed: untick it or leave "
            "the reason empty.",
            id="ticked-and-dismissed",
        ),
    ],
)
def test_a_bad_dismissal_is_a_400_on_the_field(api, change, error):
    created = api.post(API_URL, api_payload(), format="json").json()

    response = api.patch(f"{API_URL}{created['id']}/", change, format="json")

    assert response.status_code == 400
    assert response.json()["dismissed_signals"] == [error]
    assert api.post(API_URL, api_payload(**change), format="json").json()["dismissed_signals"] == [error]
    assert Incident.objects.get().dismissed_signals == {}


@pytest.mark.parametrize(
    "language, sentence",
    [
        ("en", "The email contains personal data, so it is important that no copy of it remains."),
        ("zh-hans", "个人信息"),
    ],
)
def test_the_deletion_request_speaks_of_personal_data_found_in_the_text_unless_dismissed(
    directory, employee, language, sentence
):
    from incidents.drafts.selectors import incident_drafts

    incident = hr_email_to_a_client(employee)

    def deletion_text(incident):
        drafts = incident_drafts(incident, language=language)
        return next(d.draft.text for d in drafts if d.draft.kind == "deletion_request")

    assert sentence in deletion_text(incident)
    incident_update(
        incident=incident,
        actor=employee,
        report=factories.report(
            to=["li.wei@globex.com.cn"],
            intended=["hr@ourco.com"],
            subject=HR_SUBJECT,
            body=HR_EMAIL,
            dismissed_signals={"personal_data": REASON},
        ),
    )
    incident.refresh_from_db()
    assert sentence not in deletion_text(incident)
