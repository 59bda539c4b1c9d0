"""The API's incidents built as plain data (IncidentOutSerializer.to_representation) say exactly what
DRF's field-by-field serializer says; the sentences kept per process follow the language and the
stored assessment; the list reads nothing per row."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.test import APIClient

from incidents.accounts.services import profile_for
from incidents.api_urls import IncidentViewSet
from incidents.assessment.explanations import describe_factor
from incidents.escalation import services as flow
from incidents.insight.serializers import IncidentOutSerializer
from incidents.models import Incident
from incidents.reports.presentation import stored_factors, stored_recall
from incidents.review.rules import Review
from tests.factories import file_incident


def api_for(user, language: str = "en") -> APIClient:
    api = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    api.force_login(user)  # a session, so the middleware reads the user's time zone as for a page
    return api


@pytest.fixture
def variety(directory, employee, manager, superuser):
    """Every column with data: prices, cc and bcc, intended recipients, a dismissal, a breach deadline, a review."""
    quote = file_incident(
        employee,
        to=["buyer@acme-trading.com", "li.wei@globex.com.cn"],
        intended=["buyer@acme-trading.com"],
        problems=["wrong_price"],
        quoted_price=Decimal("80.5"),
        correct_price=Decimal("100"),
        currency="USD",
        firm_offer=True,
        recipient_status="accepted",
        attachments=["Quote Q-1.pdf"],
        message_id="<q-1@ourco.com>",
    )
    breach = file_incident(employee, problems=["personal_data"], body="ID 11010519491231002X")
    dismissed = file_incident(
        employee,
        to=["anna@rival-exports.com"],
        body="Order 13800138000",
        dismissed_signals={"personal_data": "it is an order number"},
    )
    internal = file_incident(
        employee, to=["colleague@ourco.com"], intended=["team@ourco.com"], problems=["wrong_content"]
    )
    flow.incident_resolve(
        incident=breach,
        actor=superuser,
        note="Deleted.",
        review=Review(cause="other", cause_other="A forwarding rule", habits=("send_delay",)),
    )
    flow.incident_resolve(incident=internal, actor=superuser, note="Told them.")
    return [quote, breach, dismissed, internal]


def drf_answer(incident_id: int, request) -> dict:
    """What DRF's own Serializer.to_representation gives, field by field, for a fully read incident."""
    incident = Incident.objects.select_related("review__reviewed_by").prefetch_related("recipients").get(pk=incident_id)
    serializer = IncidentOutSerializer(context={"request": request})
    return json.loads(json.dumps(serializers.ModelSerializer.to_representation(serializer, incident), default=str))


@pytest.mark.parametrize("language, zone", [("en", "UTC"), ("zh-hans", "Asia/Shanghai"), ("en", "America/New_York")])
def test_the_api_answers_exactly_what_drfs_fields_would(variety, employee, zh_catalogue, language, zone):
    profile = profile_for(employee)
    profile.time_zone = zone
    profile.save()
    api = api_for(employee, language)
    listed = {row["id"]: row for row in api.get("/api/incidents/").json()["results"]}
    assert set(listed) == {incident.pk for incident in variety}
    request = Request(RequestFactory().get("/api/incidents/"))
    with translation.override(language), timezone.override(zone):  # (a request through the client ends both)
        expected = {incident.pk: drf_answer(incident.pk, request) for incident in variety}
    assert listed == expected
    assert {pk: api.get(f"/api/incidents/{pk}/").json() for pk in expected} == expected
    assert any(row["review"] and row["review"]["reviewed_by"] == "root" for row in listed.values())
    assert any(row["regulatory_deadline"] for row in listed.values())
    assert any(row["quoted_price"] == "80.5000" for row in listed.values())


def test_the_sentences_follow_the_language_and_a_re_assessment(directory, employee, zh_catalogue):
    incident = file_incident(employee, to=["li.wei@globex.com.cn"])
    url = f"/api/incidents/{incident.pk}/"

    def shown(language: str) -> dict:
        return api_for(employee, language).get(url).json()

    def written(language: str) -> tuple[list[str], str]:
        stored = Incident.objects.get(pk=incident.pk)
        with translation.override(language):
            return [describe_factor(f) for f in stored_factors(stored)], stored_recall(stored).advice

    for language in ("en", "zh-hans", "en"):
        answer = shown(language)
        assert ([f["detail"] for f in answer["factors"]], answer["recall"]["advice"]) == written(language)
    assert shown("en")["factors"][0]["detail"] != shown("zh-hans")["factors"][0]["detail"]

    before = shown("en")
    changed = api_for(employee).patch(
        url, {"recipients": [{"address": "bob@rival-exports.com"}], "mail_system": "gmail"}, format="json"
    )
    assert changed.status_code == 200, changed.content
    after = shown("en")
    assert after["factors"] != before["factors"] and after["recall"]["advice"] != before["recall"]["advice"]
    assert ([f["detail"] for f in after["factors"]], after["recall"]["advice"]) == written("en")
    assert "bob@rival-exports.com" in " ".join(f["detail"] for f in after["factors"])


def test_the_list_and_the_detail_read_the_same_queries_for_few_and_many_rows(directory, employee, manager, superuser):
    def queries(url: str) -> int:
        api = api_for(type(employee).objects.get(pk=employee.pk))  # nothing kept from the last request
        with CaptureQueriesContext(connection) as captured:
            assert api.get(url).status_code == 200
        return len(captured)

    first = file_incident(employee, quoted_price=Decimal("80"), correct_price=Decimal("100"), currency="USD")
    few = queries("/api/incidents/"), queries(f"/api/incidents/{first.pk}/")
    for n in range(6):
        incident = file_incident(employee, to=["li.wei@globex.com.cn", "anna@rival-exports.com"])
        if n % 2:
            flow.incident_resolve(
                incident=incident, actor=superuser, note="Done.", review=Review(cause="haste", habits=("send_delay",))
            )
    assert (queries("/api/incidents/"), queries(f"/api/incidents/{incident.pk}/")) == few


def test_the_list_and_the_detail_leave_out_the_columns_they_do_not_show(superuser):
    for action in ("list", "retrieve"):
        view = IncidentViewSet()
        view.action = action
        view.request = Request(RequestFactory().get("/api/incidents/"))
        view.request.user = superuser
        sql = str(view.get_queryset().query)
        assert '"subject"' in sql and '"reviewed_at"' in sql
        assert not any(f'"{column}"' in sql for column in ("body", "search_text", "organisation_names", "password"))
