"""Requests built to break the API answer 4xx quickly, never a 500: huge or odd paging numbers, JSON
nested 100,000 deep, a body over the size limit."""

import json
import time

import pytest
from rest_framework.test import APIClient

from incidents.web import json_limits
from tests.factories import file_incident

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


@pytest.fixture
def api(api):
    """The employee's API client, answering a server error with its response instead of raising it."""
    api.raise_request_exception = False
    return api


@pytest.fixture
def incident(employee, directory):
    return file_incident(employee, to=["li.wei@globex.com.cn"], intended=["buyer@acme-trading.com"])


LIST_URLS = [
    "/api/incidents/",
    "/api/incidents/export/",
    "/api/incidents/{id}/drafts/",
    "/api/incidents/{id}/evidence/",
]


@pytest.mark.parametrize("url", LIST_URLS)
@pytest.mark.parametrize("limit", [str(10**30), "-1", "abc", "1e3", "0", "٣", str(10**18)])
def test_any_limit_on_any_list_answers_200_or_a_400_field_error(api, incident, url, limit):
    answer = api.get(url.format(id=incident.pk), {"limit": limit, "offset": limit})
    assert answer.status_code in (200, 400), answer.content[:300]
    if answer.status_code == 400:
        assert set(answer.json()) <= {"limit", "offset"}


def test_a_huge_limit_on_the_list_is_a_field_error_and_a_big_one_is_capped(api, incident):
    assert api.get("/api/incidents/", {"limit": str(10**30)}).json() == {"limit": ["A whole number of 0 or more."]}
    assert api.get("/api/incidents/", {"limit": "100000"}).status_code == 200


NESTED = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize("url", ["/api/incidents/", "/api/precheck/", "/api/incidents/{id}/resolve/"])
def test_json_nested_100000_deep_answers_400_quickly(api, incident, url):
    started = time.monotonic()
    answer = api.post(url.format(id=incident.pk), NESTED, content_type="application/json")
    assert answer.status_code == 400
    assert "nests deeper than 32 levels" in answer.json()["detail"]
    assert time.monotonic() - started < 2


def test_nesting_inside_strings_does_not_count_and_ordinary_bodies_pass(api):
    json_limits.check_depth(json.dumps({"subject": "[" * 1000, "a": [[{"b": ['\\"[[[']}]]}))
    answer = api.post("/api/precheck/", {"to": ["a@b.com"], "subject": "[[[" * 100, "body": "{" * 500}, format="json")
    assert answer.status_code == 200


def test_the_multipart_report_part_nested_deep_is_a_field_error(api):
    from io import BytesIO

    message = BytesIO(b"From: erin@ourco.com\r\nTo: li.wei@globex.com.cn\r\nSubject: Q\r\n\r\nHi\r\n")
    message.name = "q.eml"
    answer = api.post("/api/incidents/import/?file=true", {"file": message, "report": NESTED}, format="multipart")
    assert answer.status_code == 400 and "report" in answer.json()


def test_a_body_over_the_limit_answers_413_json_saying_so(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    answer = api.post("/api/precheck/", {"to": ["a@b.com"], "body": "x" * 2000}, format="json")
    assert answer.status_code == 413
    assert answer.json() == {"detail": "The request body is over 1000 bytes."}


def test_nan_is_still_not_json(api):
    answer = api.post("/api/precheck/", '{"to": ["a@b.com"], "subject": NaN}', content_type="application/json")
    assert answer.status_code == 400


@pytest.mark.parametrize(
    "url, extra",
    [
        ("/api/incidents/export/?format=xyz", {}),
        ("/api/incidents/?format=xyz", {}),
        ("/api/incidents/export/", {"HTTP_ACCEPT": "text/html"}),
        ("/api/incidents/1/drafts/?format=xyz", {}),
    ],
)
def test_without_credentials_the_answer_is_401_whatever_the_format_asked(db, url, extra):
    answer = APIClient().get(url, **extra)
    assert answer.status_code == 401
    assert answer.json() == {"detail": "Authentication credentials were not provided."}


def test_a_signed_in_caller_asking_for_an_unknown_format_still_gets_404(api):
    assert api.get("/api/incidents/export/?format=xyz").status_code == 404


def test_a_body_of_the_wrong_media_type_answers_a_documented_415(api, incident):
    """Schemathesis posted text to the evidence upload (which takes multipart): DRF answers 415 before the
    view runs, and the schema did not list it. Every operation that takes a body now lists 413 and 415."""
    from drf_spectacular.generators import SchemaGenerator

    answer = api.post(f"/api/incidents/{incident.pk}/evidence/", data="hello", content_type="text/plain")
    assert answer.status_code == 415, answer.content
    schema = SchemaGenerator().get_schema(request=None, public=True)
    with_body = [
        (path, method, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if isinstance(operation, dict) and "requestBody" in operation
    ]
    assert ("/api/incidents/{id}/evidence/", "post") in {(p, m) for p, m, _o in with_body}
    missing = [
        f"{method.upper()} {path}"
        for path, method, operation in with_body
        if not {"413", "415"} <= set(operation["responses"])
    ]
    assert not missing, missing
