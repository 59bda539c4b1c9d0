"""Who sees what: every incident URL and API endpoint, for every role, answers 200 or 404."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.support_access import EDITABLE, MATRIX, VISIBLE


@pytest.mark.parametrize("role,name", MATRIX, ids=[f"{r}-{n}" for r, n in MATRIX])
def test_incident_page_answers_200_only_to_those_who_may_see_it(client, users, incidents, role, name):
    client.force_login(users[role])
    response = client.get(reverse("incidents:detail", args=[incidents[name].pk]))
    assert response.status_code == (200 if name in VISIBLE[role] else 404)


@pytest.mark.parametrize("role,name", MATRIX, ids=[f"{r}-{n}" for r, n in MATRIX])
def test_edit_page_answers_200_only_to_those_who_may_edit(client, users, incidents, role, name):
    client.force_login(users[role])
    url = reverse("incidents:edit", args=[incidents[name].pk])
    # 404 for what the user may not see; 403 for what they see but may not edit.
    expected = 200 if name in EDITABLE[role] else 403 if name in VISIBLE[role] else 404
    assert client.get(url).status_code == expected
    if expected != 200:
        before = incidents[name].subject
        assert client.post(url, {"subject": "hijacked"}).status_code == expected
        incidents[name].refresh_from_db()
        assert incidents[name].subject == before


@pytest.mark.parametrize("role,name", MATRIX, ids=[f"{r}-{n}" for r, n in MATRIX])
def test_api_detail_answers_200_only_to_those_who_may_see_it(users, incidents, role, name):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=users[role]).key}")
    response = api.get(f"/api/incidents/{incidents[name].pk}/")
    assert response.status_code == (200 if name in VISIBLE[role] else 404)


@pytest.mark.parametrize("role", VISIBLE)
def test_lists_show_exactly_the_visible_incidents_in_pages_and_api(client, users, incidents, role):
    client.force_login(users[role])
    expected = {incidents[name].pk for name in VISIBLE[role]}
    page = client.get(reverse("incidents:list"))
    assert {i.pk for i in page.context["page"].object_list} == expected
    api = client.get("/api/incidents/").json()
    assert {item["id"] for item in api["results"]} == expected


def test_a_nonexistent_incident_answers_404_like_a_forbidden_one(client, users, incidents):
    client.force_login(users["superuser"])
    assert client.get(reverse("incidents:detail", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    "url",
    ["/incidents/", "/incidents/report/", "/incidents/1/", "/incidents/1/edit/", "/admin/"],
)
def test_pages_send_anonymous_visitors_to_the_login_page(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize("url", ["/api/incidents/", "/api/incidents/1/"])
def test_api_refuses_anonymous_callers_without_redirecting(db, url):
    response = APIClient().get(url)
    assert response.status_code in (401, 403)


def test_role_groups_exist_from_the_migration(db):
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= {"Employee", "Manager", "Legal"}


def test_the_health_check_answers_without_login_or_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/")
    assert response.status_code == 200 and response.content == b"ok\n"
