"""A report must say what went wrong; the subject is read like the body. Form, API and services alike."""

import pytest

from incidents.models import Incident
from incidents.reports.report import implied_problems, report_errors
from incidents.reports.services import incident_update
from tests import factories
from tests.support_intake import API_URL, REPORT_URL, form_data, payload

P = pytest.param
NO_PROBLEM = "Say what went wrong"


pytestmark = pytest.mark.usefixtures("in_english")


REPORTS = [
    # (problems ticked, actual recipients, intended recipients, refused, implied)
    P(["wrong_price"], ["buyer@acme-trading.com"], ["buyer@acme-trading.com"], False, [], id="a-problem-ticked"),
    P(
        ["tone"],
        ["li.wei@globex.com.cn"],
        ["buyer@acme-trading.com"],
        False,
        ["wrong_recipient"],
        id="a-problem-ticked-and-someone-unintended-got-it-too",
    ),
    P(
        ["wrong_recipient"],
        ["li.wei@globex.com.cn"],
        ["buyer@acme-trading.com"],
        False,
        [],
        id="wrong-recipient-ticked-implies-nothing-more",
    ),
    P(
        [],
        ["li.wei@globex.com.cn"],
        ["buyer@acme-trading.com"],
        False,
        ["wrong_recipient"],
        id="none-ticked-but-someone-unintended-got-it",
    ),
    P(
        [],
        ["Buyer@Acme-Trading.com", "colleague@ourco.com"],
        ["buyer@acme-trading.com"],
        False,
        ["wrong_recipient"],
        id="none-ticked-an-unintended-colleague-got-it",
    ),
    P([], ["buyer@acme-trading.com"], ["BUYER@acme-trading.com"], True, [], id="none-ticked-only-the-intended-got-it"),
    P([], ["li.wei@globex.com.cn"], [], True, [], id="none-ticked-no-intended-given"),
]


@pytest.mark.parametrize("problems, to, intended, refused, implied", REPORTS)
def test_a_report_must_say_what_went_wrong_or_show_it_by_its_recipients(problems, to, intended, refused, implied):
    report = factories.report(problems=problems, to=to, intended=intended)
    errors = report_errors(report)
    assert ("problems" in errors) is refused
    if refused:
        assert NO_PROBLEM in errors["problems"][0]
    assert implied_problems(report) == implied


def test_the_form_refuses_a_report_with_nothing_wrong_on_the_problems_field(signed_in):
    data = form_data(problems=[], to_recipients="buyer@acme-trading.com", intended_recipients="buyer@acme-trading.com")

    response = signed_in.post(REPORT_URL, data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["problems"]
    assert NO_PROBLEM in errors["problems"][0]
    assert not Incident.objects.exists()


def test_the_form_stores_and_shows_an_implied_wrong_recipient(signed_in):
    response = signed_in.post(REPORT_URL, form_data(problems=[]), follow=True)

    incident = Incident.objects.get()
    assert incident.problems == ["wrong_recipient"]
    assert "Wrong recipient" in response.content.decode()
    assert "wrong_client" in {f["code"] for f in incident.factors}


def test_the_api_answers_400_under_problems_for_a_report_with_nothing_wrong(api):
    body = payload(problems=[], recipients=[{"address": "buyer@acme-trading.com", "field": "to"}])

    response = api.post(API_URL, body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["problems"]
    assert NO_PROBLEM in response.json()["problems"][0]
    assert not Incident.objects.exists()


def test_the_api_stores_and_answers_an_implied_wrong_recipient(api):
    response = api.post(API_URL, payload(problems=[]), format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["problems"] == ["wrong_recipient"]
    assert Incident.objects.get().problems == ["wrong_recipient"]


def test_an_edit_that_unticks_every_problem_keeps_wrong_recipient_when_the_facts_say_so(employee, directory):
    incident = factories.file_incident(employee, problems=["wrong_content"])

    incident_update(incident=incident, actor=employee, report=factories.report(problems=[]))

    incident.refresh_from_db()
    assert incident.problems == ["wrong_recipient"]


@pytest.mark.parametrize(
    "subject, leaked",
    [
        P("Quotation Q-7 for Acme", True, id="pricing-in-the-subject"),
        P("Order Q-7 for Acme", False, id="nothing-in-the-subject"),
    ],
)
def test_a_filed_incident_has_its_subject_scanned(employee, directory, subject, leaked):
    incident = factories.file_incident(employee, subject=subject)
    codes = {f["code"]: f["params"] for f in incident.factors}
    assert ("leaked_pricing" in codes) is leaked
    if leaked:
        assert codes["leaked_pricing"]["subject_signals"] == ["quotation"]
        assert incident.severity == "high"
