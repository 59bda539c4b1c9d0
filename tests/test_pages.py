"""The pages a user meets: list, incident page, login, static files."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incidents.reports.services import incident_report, incident_update
from tests.factories import PASSWORD, file_incident, report


def queries_for(client, url) -> int:
    """Queries of the page once the process's copy of the directory's choices is current (the
    first list page after a directory change reads them: filters.directory_choices)."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["employee", "manager", "superuser"])
def test_incident_list_uses_the_same_number_of_queries_for_3_and_30_incidents(
    client, directory, employee, manager, superuser, role
):
    client.force_login({"employee": employee, "manager": manager, "superuser": superuser}[role])
    for _ in range(3):
        file_incident(employee)
    few = queries_for(client, reverse("incidents:list"))
    for _ in range(27):
        file_incident(employee)
    assert queries_for(client, reverse("incidents:list")) == few


def test_api_list_uses_the_same_number_of_queries_for_3_and_30_incidents(client, directory, employee):
    client.force_login(employee)
    for _ in range(3):
        file_incident(employee)
    few = queries_for(client, "/api/incidents/")
    for _ in range(27):
        file_incident(employee)
    assert queries_for(client, "/api/incidents/") == few


def test_incident_page_shows_severity_reasons_route_and_recall(client, directory, employee):
    incident = file_incident(employee, attachments=["Quotation_Q-1.pdf"])
    client.force_login(employee)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "High" in page
    assert "li.wei@globex.com.cn" in page and "Globex China" in page  # the factor sentences name them
    assert "leaked_pricing" in page and "wrong_client" in page
    assert "Your manager, now." in page
    assert "Can it be recalled?" in page


def test_incident_page_counts_down_the_breach_clock_for_personal_data(client, directory, employee):
    incident = file_incident(employee, problems=["wrong_recipient", "personal_data"])
    client.force_login(employee)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert incident.regulatory_deadline is not None
    assert "72-hour notification window" in page


def test_editing_re_assesses_and_the_timeline_records_each_assessment(client, directory, employee):
    incident = file_incident(employee, to=["buyer@acme-trading.com"], problems=["wrong_price"])
    assert incident.severity == "medium"
    changed = report(
        to=["buyer@acme-trading.com"],
        problems=["wrong_price"],
        quoted_price=Decimal("80"),
        correct_price=Decimal("100"),
        currency="USD",
        recipient_status="accepted",
    )
    incident_update(incident=incident, actor=employee, report=changed)
    incident.refresh_from_db()
    assert incident.severity == "critical"
    assessed = incident.events.filter(type="assessed").order_by("id")
    assert [e.parameters["severity"] for e in assessed] == ["medium", "critical"]
    assert assessed.last().parameters["previous_severity"] == "medium"
    client.force_login(employee)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "was medium" in page


def test_saving_an_unchanged_report_records_no_new_assessment(directory, employee):
    same = report()
    incident = incident_report(reporter=employee, report=same)
    incident_update(incident=incident, actor=employee, report=same)
    assert incident.events.filter(type="assessed").count() == 1


def test_login_page_logs_a_user_in_and_lands_on_the_incident_list(client, employee):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    response = client.post(reverse("login"), {"username": "erin", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("incidents:list")


def test_bootstrap_is_served_from_the_pip_package_not_a_cdn(client, employee):
    client.force_login(employee)
    page = client.get(reverse("incidents:report")).content.decode()
    assert "/static/bootstrap/css/bootstrap.min.css" in page
    assert "cdn" not in page.lower()
    from django.contrib.staticfiles import finders

    assert finders.find("bootstrap/css/bootstrap.min.css")
    assert finders.find("bootstrap/js/bootstrap.bundle.min.js")
