"""Schemathesis against our own OpenAPI schema: every documented operation answers what the schema
says (status codes, content types, bodies) and never a 5xx, whatever the input."""

from decimal import Decimal

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from project.wsgi import application
from tests.factories import file_incident

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=False)]


@pytest.fixture
def in_process_requests():
    """Keep the test's database connection open across WSGI requests, as Django's test client does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


ROLES = ["employee", "manager", "legal", "admin", "anonymous"]


@pytest.fixture
def world(in_process_requests, directory, employee, manager, legal, superuser):
    """A firm low quote with a withdrawal waiting for legal: every draft endpoint has something to act on."""
    incident = file_incident(
        employee,
        to=["buyer@acme-trading.com"],
        intended=["buyer@acme-trading.com"],
        problems=["wrong_price"],
        quoted_price=Decimal("82"),
        correct_price=Decimal("100"),
        currency="USD",
        firm_offer=True,
    )
    people = {"employee": employee, "manager": manager, "legal": legal, "admin": superuser}
    tokens = {role: Token.objects.get_or_create(user=user)[0].key for role, user in people.items()}
    return incident, tokens


@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_matches_its_schema_and_never_fails(case, world, role):
    incident, tokens = world
    if "id" in (case.path_parameters or {}):
        case.path_parameters["id"] = incident.pk
    if "key" in (case.path_parameters or {}):
        case.path_parameters["key"] = "offer_withdrawal:acme-trading.com"
    if role == "anonymous":
        # Without credentials nothing is read or done, whatever the input: only 401 or 403.
        response = case.call()
        assert response.status_code in (401, 403), (response.status_code, response.text[:300])
        return
    # What is checked, for each role: no 5xx, and every answer (status, content type, body, headers) is
    # one the schema documents. Two input-strictness checks are off, on purpose: business rules go beyond
    # the schema (a Message-ID needs an "@"), so a schema-valid body may rightly get a 400; and DRF reads
    # a JSON 0 as the text "0" where text is expected, which is harmless.
    case.call_and_validate(
        headers={"Authorization": f"Token {tokens[role]}"},
        excluded_checks=[positive_data_acceptance, negative_data_rejection],
    )
