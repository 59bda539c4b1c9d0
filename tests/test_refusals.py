"""One mapping of refusals to answers, for pages and the API alike: may not see -> 404, may see but may not
do -> 403, nobody may do that now (StateConflict) -> 409 with its reason in the reader's language."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.utils import translation
from rest_framework.exceptions import NotFound

from incidents.errors import StateConflict
from incidents.web.api import exception_handler
from incidents.web.middleware import RefusalMiddleware


def refused_page(error, language="en"):
    request = RequestFactory().post("/incidents/1/take-over/")
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    with translation.override(language):
        return RefusalMiddleware(lambda r: None).process_exception(request, error)


@pytest.mark.parametrize("language, heading", [("en", "This cannot be done now"), ("zh-hans", "现在无法执行此操作")])
def test_a_page_refused_by_the_state_answers_409_with_the_reason(zh_catalogue, language, heading):
    response = refused_page(StateConflict("This incident is resolved."), language)
    assert response.status_code == 409
    html = response.content.decode()
    assert "This incident is resolved." in html and heading in html


@pytest.mark.parametrize("error", [PermissionDenied("no"), Http404("gone"), ValueError("bug")])
def test_pages_leave_other_refusals_to_django(error):
    assert refused_page(error) is None  # Django answers 403 and 404 itself; a ValueError stays a 500 to fix


@pytest.mark.parametrize(
    "error, status",
    [
        (StateConflict("This incident is resolved."), 409),
        (PermissionDenied("no"), 403),
        (Http404("gone"), 404),
        (NotFound("no such draft"), 404),
    ],
)
def test_the_api_answers_each_refusal_with_its_status(error, status):
    response = exception_handler(error, {})
    assert response.status_code == status
    if status == 409:
        assert response.data == {"detail": "This incident is resolved."}
