"""The report form at /incidents/report/ and the edit form: errors per field, nothing typed lost."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from incidents.models import Incident, Recipient, TimelineEvent
from incidents.reports.presentation import stored_factors, stored_recall
from tests import factories
from tests.support_intake import REPORT_URL, form_data

pytestmark = pytest.mark.usefixtures("in_english")


def edit_data(response) -> dict:
    """The edit form's initial values, as the browser would post them back unchanged."""
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if name == "firm_offer":
            if value:
                data[name] = "on"
        elif name == "problems":
            data[name] = list(value or [])
        elif name == "sent_at":
            data[name] = field.widget.format_value(value)
        else:
            data[name] = "" if value is None else str(value)
    return data


def assert_typed_values_kept(response, data: dict) -> None:
    html = response.content.decode()
    for name, value in data.items():
        if name == "problems":
            for problem in value:
                assert re.search(rf'value="{problem}"[^>]*checked', html), problem
        elif name == "firm_offer":
            assert re.search(r'name="firm_offer"[^>]*checked', html)
        elif value:
            assert escape(value) in html, f"{name} was not re-rendered"


def test_a_valid_report_creates_an_incident_and_redirects_to_its_page(signed_in, employee):
    response = signed_in.post(REPORT_URL, form_data())

    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == incident.get_absolute_url()
    assert incident.reporter == employee
    assert incident.subject == "Quotation Q-7 for Acme"
    assert incident.assessed_at is not None


def test_the_incident_page_shows_severity_every_factor_explained_routing_and_recall_advice(signed_in):
    data = form_data(quoted_price="9.50", currency="usd", attachments="Quotation_Q-7.pdf\nspecs, v2.pdf")

    response = signed_in.post(REPORT_URL, data, follow=True)

    incident = Incident.objects.get()
    html = response.content.decode()
    assert response.status_code == 200
    assert incident.severity == "high"
    assert [f.code for f in stored_factors(incident)] == ["unintended_external", "wrong_client", "leaked_pricing"]
    assert "Severity: High" in html
    for factor in stored_factors(incident):
        assert escape(factor.detail) in html
    assert "Your manager, now." in html
    assert "Legal:" not in html
    assert escape(stored_recall(incident).advice) in html
    assert incident.currency == "USD"
    assert incident.attachments == ["Quotation_Q-7.pdf", "specs, v2.pdf"]


def test_a_pasted_address_list_is_split_on_commas_and_semicolons_keeping_display_names(signed_in):
    signed_in.post(
        REPORT_URL,
        form_data(
            to_recipients="Li Wei <li.wei@globex.com.cn>, c@d.com; e@f.com",
            cc_recipients='"Doe, John" <John.Doe@Acme-Trading.com>\n张伟 <zhang@globex.com.cn>',
        ),
    )

    rows = Incident.objects.get().recipients.filter(role=Recipient.ACTUAL)
    assert [(r.field, r.address, r.name) for r in rows] == [
        ("to", "li.wei@globex.com.cn", "Li Wei"),
        ("to", "c@d.com", ""),
        ("to", "e@f.com", ""),
        ("cc", "john.doe@acme-trading.com", "Doe, John"),
        ("cc", "zhang@globex.com.cn", "张伟"),
    ]


FUTURE = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")

INVALID_REPORTS = [
    # (case, overrides, field with the error, words of the error)
    (
        "bad To address",
        {"to_recipients": "Li Wei <li.wei@globex.com.cn>, li.wei at globex"},
        "to_recipients",
        "li.wei at globex",
    ),
    ("two bad Cc addresses", {"cc_recipients": "boss@, ok@ourco.com; @nowhere"}, "cc_recipients", "boss@, @nowhere"),
    ("bad Bcc address", {"bcc_recipients": "a@b.com evil@c.com"}, "bcc_recipients", "a@b.com evil@c.com"),
    (
        "bad intended address",
        {"intended_recipients": "buyer(at)acme-trading.com"},
        "intended_recipients",
        "buyer(at)acme-trading.com",
    ),
    ("two senders", {"sender": "erin@ourco.com, evil@y.com"}, "sender", "not one valid email address"),
    ("sent time in the future", {"sent_at": FUTURE}, "sent_at", "in the future"),
    (
        "negative quoted price",
        {"quoted_price": "-9.50", "currency": "USD"},
        "quoted_price",
        "greater than or equal to 0",
    ),
    (
        "negative correct price",
        {"quoted_price": "9.50", "correct_price": "-12", "currency": "USD"},
        "correct_price",
        "greater than or equal to 0",
    ),
    (
        "correct price without quoted price",
        {"correct_price": "12.00", "currency": "USD"},
        "quoted_price",
        "Give the quoted price too",
    ),
    ("price without currency", {"quoted_price": "9.50"}, "currency", "Give the currency"),
    ("currency not a code", {"quoted_price": "9.50", "currency": "US$"}, "currency", "three-letter currency code"),
    ("subject over 998 characters", {"subject": "S" * 999}, "subject", "at most 998 characters"),
    ("body over 1,000,000 characters", {"body": "price " * 166_667}, "body", "at most 1000000 characters"),
    (
        "no recipients",
        {"to_recipients": "", "cc_recipients": " ", "bcc_recipients": ""},
        "to_recipients",
        "at least one recipient",
    ),
    (
        "more than 500 addresses in a field",
        {"cc_recipients": ", ".join(f"p{i}@d.com" for i in range(501))},
        "cc_recipients",
        "At most 500 addresses",
    ),
]


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [case[1:] for case in INVALID_REPORTS],
    ids=[case[0] for case in INVALID_REPORTS],
)
def test_bad_input_gets_an_error_on_its_field_and_keeps_everything_typed(signed_in, overrides, field, words):
    typed = {"body": "Dear Mr Li, our best offer is attached.", "attachments": "Quotation_Q-7.pdf", "firm_offer": "on"}
    data = form_data(**{**typed, **overrides})

    response = signed_in.post(REPORT_URL, data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert words in " ".join(errors[field])
    assert_typed_values_kept(response, data)
    assert "nothing you typed has been lost" in response.content.decode()
    assert not Incident.objects.exists()


def test_the_form_posts_as_multipart_so_a_long_chinese_body_gets_a_field_error_not_a_bare_400(signed_in):
    page = signed_in.get(REPORT_URL).content.decode()
    assert re.search(r'<form [^>]*method="post"[^>]*enctype="multipart/form-data"', page)
    data = form_data(body="价格" * 500_001)  # 3 MB as UTF-8, 9 MB if URL-encoded

    response = signed_in.post(REPORT_URL, data)  # the test client posts multipart, as the form declares

    assert response.status_code == 200
    assert "at most 1000000 characters" in " ".join(response.context["form"].errors["body"])
    assert data["body"] in response.content.decode()


def report_events(incident) -> list:
    """The timeline's reporting and assessment events (escalation adds its own)."""
    types = [TimelineEvent.Type.REPORTED, TimelineEvent.Type.EDITED, TimelineEvent.Type.ASSESSED]
    return list(incident.events.filter(type__in=types).order_by("id"))


def filed_through_the_api(reporter):
    """An incident whose sent time has seconds, as API clients send it."""
    sent_at = timezone.now().replace(microsecond=0) - timedelta(hours=1, seconds=17)
    return factories.file_incident(reporter, sent_at=sent_at)


def test_editing_prices_re_assesses_the_incident_and_records_it_on_the_timeline(signed_in, employee):
    incident = filed_through_the_api(employee)
    assert incident.severity == "medium"
    url = reverse("incidents:edit", args=[incident.pk])
    data = edit_data(signed_in.get(url))
    data.update(quoted_price="9.50", correct_price="12.00", currency="USD")

    response = signed_in.post(url, data)

    incident.refresh_from_db()
    assert response["Location"] == incident.get_absolute_url()
    assert incident.severity == "high"
    assert {"leaked_pricing", "low_quote"} <= {f["code"] for f in incident.factors}
    assert incident.route_legal is True
    edited, assessed = report_events(incident)[-2:]
    assert edited.type == TimelineEvent.Type.EDITED
    assert sorted(edited.parameters["changed"]) == ["correct_price", "currency", "quoted_price"]
    assert assessed.type == TimelineEvent.Type.ASSESSED
    assert assessed.parameters["severity"] == "high"
    assert assessed.parameters["previous_severity"] == "medium"


def test_editing_problems_to_personal_data_starts_the_breach_clock(signed_in, employee):
    incident = filed_through_the_api(employee)
    url = reverse("incidents:edit", args=[incident.pk])
    data = edit_data(signed_in.get(url))
    data["problems"] = ["wrong_recipient", "personal_data"]

    signed_in.post(url, data)

    incident.refresh_from_db()
    assert incident.severity == "high"
    assert incident.regulatory_deadline == incident.created_at + timedelta(hours=72)
    assert incident.events.filter(type=TimelineEvent.Type.ASSESSED).count() == 2


def test_the_edit_form_shows_the_incident_as_reported_and_saving_it_unchanged_changes_nothing(signed_in):
    signed_in.post(
        REPORT_URL,
        form_data(
            to_recipients='"Wei, Li" <li.wei@globex.com.cn>; "Li \\"Lee\\" (Sales)" <lee@globex.com.cn>, '
            "张伟 <zhang@globex.com.cn>",
            problems=["wrong_recipient", "wrong_price"],
            quoted_price="9.50",
            currency="USD",
            attachments="a.pdf\nb, c.xlsx",
        ),
    )
    incident = Incident.objects.get()
    url = reverse("incidents:edit", args=[incident.pk])

    response = signed_in.post(url, edit_data(signed_in.get(url)))

    assert response.status_code == 302, response.context["form"].errors
    assert [e.type for e in report_events(incident)] == ["reported", "assessed"]
    assert [(r.address, r.name) for r in incident.recipients.filter(role=Recipient.ACTUAL)] == [
        ("li.wei@globex.com.cn", "Wei, Li"),
        ("lee@globex.com.cn", 'Li "Lee" (Sales)'),
        ("zhang@globex.com.cn", "张伟"),
    ]


def test_a_bad_edit_keeps_the_incident_as_it_was(signed_in, employee):
    incident = factories.file_incident(employee)
    url = reverse("incidents:edit", args=[incident.pk])
    data = edit_data(signed_in.get(url))
    data["to_recipients"] = "nobody"

    response = signed_in.post(url, data)

    assert response.status_code == 200
    assert "nobody" in " ".join(response.context["form"].errors["to_recipients"])
    assert list(incident.recipients.filter(role=Recipient.ACTUAL).values_list("address", flat=True)) == [
        "li.wei@globex.com.cn"
    ]
    assert [e.type for e in report_events(incident)] == ["reported", "assessed"]
