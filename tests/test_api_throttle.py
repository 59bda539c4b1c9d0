"""API calls are throttled per user (a token or a session: the same person, the same count) and, for
anonymous calls, per client address; the 429 is JSON with a `detail` sentence and Retry-After."""

import pytest
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

LOW = {
    "MISSEND_API_USER_RATE": "3/min",
    "MISSEND_API_ANON_RATE": "2/min",
    # A cache of this test's own, so that no other test (or xdist worker sharing Redis) adds to its counts.
    "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle-test"}},
}


@pytest.fixture
def low_rates():
    with override_settings(**LOW):
        from django.core.cache import cache

        cache.clear()
        yield


def token_client(user, address="203.0.113.7"):
    client = APIClient(REMOTE_ADDR=address)
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_api_token_calls_beyond_the_user_rate_get_429_json_with_retry_after(employee, low_rates):
    client = token_client(employee)
    assert [client.get("/api/incidents/").status_code for _ in range(3)] == [200, 200, 200]
    response = client.get("/api/incidents/")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert "throttled" in response.json()["detail"] and int(response["Retry-After"]) > 0


def test_api_token_the_count_is_per_user_from_any_address_and_not_shared_with_others(employee, manager, low_rates):
    for address in ["203.0.113.7", "198.51.100.1", "198.51.100.2"]:
        assert token_client(employee, address).get("/api/incidents/").status_code == 200
    assert token_client(employee, "198.51.100.3").get("/api/incidents/").status_code == 429
    assert token_client(manager).get("/api/incidents/").status_code == 200


def test_api_session_calls_share_the_users_count_with_the_token(employee, low_rates):
    session = APIClient(REMOTE_ADDR="203.0.113.7")
    session.force_login(employee)
    assert [session.get("/api/incidents/").status_code for _ in range(3)] == [200, 200, 200]
    assert token_client(employee).get("/api/incidents/").status_code == 429


def test_api_anonymous_calls_are_counted_per_address(db, low_rates):
    first = APIClient(REMOTE_ADDR="203.0.113.7")
    assert [first.get("/api/schema/").status_code for _ in range(3)] == [200, 200, 429]
    assert APIClient(REMOTE_ADDR="198.51.100.1").get("/api/schema/").status_code == 200


def test_the_suites_own_rates_do_not_throttle_ordinary_use(employee):
    client = token_client(employee)
    assert {client.get("/api/incidents/").status_code for _ in range(30)} == {200}
