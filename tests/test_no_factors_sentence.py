"""The incident page never claims an email stayed inside the company when an outsider got it."""

import pytest

from tests import factories

P = pytest.param
SENTENCE = "nobody outside the company received the email by mistake"


pytestmark = pytest.mark.usefixtures("in_english")


@pytest.mark.parametrize(
    "report",
    [
        P(
            dict(to=["buyer@acme-trading.com"], intended=["buyer@acme-trading.com"], problems=["wrong_recipient"]),
            id="the-intended-client-only",
        ),
        P(
            dict(
                to=["buyer@acme-trading.com", "team@ourco.com"],
                intended=["buyer@acme-trading.com"],
                problems=["wrong_recipient"],
            ),
            id="the-client-and-an-unintended-colleague",
        ),
        P(
            dict(to=["li.wei@globex.com.cn"], intended=[], problems=["personal_data"]),
            id="an-outsider-and-no-intended-recipients",
        ),
    ],
)
def test_an_incident_without_factors_says_so_truthfully(client, employee, directory, report):
    incident = factories.file_incident(employee, **report)
    assert incident.factors == []
    client.force_login(employee)

    html = client.get(incident.get_absolute_url()).content.decode()

    assert "stayed inside the company" not in html
    assert SENTENCE in html
