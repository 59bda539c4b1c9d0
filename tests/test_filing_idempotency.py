"""Filing once: a retried report (Idempotency-Key, or the form's one-time token) answers the incident
already filed; the same key with another report is refused; two racing requests file one incident."""

import re
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from incidents.models import FilingKey, Incident
from incidents.reports import services
from tests.support_intake import API_URL as URL
from tests.support_intake import form_data, payload

pytestmark = pytest.mark.usefixtures("in_english")


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_a_retry_with_the_same_key_answers_the_incident_already_filed(api):
    body = payload()
    first = api.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")
    again = api.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert "Idempotent-Replayed" not in first and again["Idempotent-Replayed"] == "true"
    assert Incident.objects.count() == 1


def test_the_same_report_in_another_key_order_is_the_same_report(api):
    body = payload()
    first = api.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="k")
    again = api.post(URL, dict(reversed(list(body.items()))), format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert again.json()["id"] == first.json()["id"] and Incident.objects.count() == 1


def test_the_same_key_with_a_different_report_is_refused_with_422(api):
    first = api.post(URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    other = api.post(URL, payload(subject="Another quote"), format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert other.status_code == 422
    assert f"already filed incident #{first.json()['id']}" in other.json()["detail"]
    assert Incident.objects.count() == 1


def test_keys_are_per_person_and_without_one_each_post_files(api, other_employee, directory):
    api.post(URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY="shared")
    other = token_client(other_employee).post(URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY="shared")
    assert other.status_code == 201 and "Idempotent-Replayed" not in other
    api.post(URL, payload(), format="json")
    api.post(URL, payload(), format="json")
    assert Incident.objects.count() == 4


def test_a_key_older_than_a_day_files_again(api):
    first = api.post(URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY="daily")
    FilingKey.objects.update(created_at=timezone.now() - timedelta(hours=25))
    again = api.post(URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY="daily")
    assert again.status_code == 201 and again.json()["id"] != first.json()["id"]
    assert FilingKey.objects.count() == 1


@pytest.mark.parametrize("key", ["", "   ", "x" * 201, "tab\tinside"])
def test_a_key_that_is_empty_too_long_or_unprintable_is_a_400(api, key):
    answer = api.post(URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert answer.status_code == 400 and "Idempotency-Key" in answer.json()
    assert not Incident.objects.exists()


def test_a_200_character_key_is_accepted(api):
    assert api.post(URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY="k" * 200).status_code == 201


def test_an_invalid_report_uses_up_no_key(api):
    assert api.post(URL, payload(subject=""), format="json", HTTP_IDEMPOTENCY_KEY="fix-me").status_code == 400
    assert api.post(URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY="fix-me").status_code == 201


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_with_one_key_file_one_incident(employee, directory, monkeypatch):
    token = Token.objects.get_or_create(user=employee)[0].key
    # Filing takes a while, so both requests look for the key before either has committed it.
    real_report = services.incident_report
    monkeypatch.setattr(services, "incident_report", lambda **kw: (time.sleep(0.5), real_report(**kw))[1])
    looked = []
    real_earlier = services._earlier
    monkeypatch.setattr(services, "_earlier", lambda *a: looked.append(real_earlier(*a)) or looked[-1])
    start, answers = threading.Barrier(2), []

    def post():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        start.wait()
        try:
            answers.append(client.post(URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY="race"))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(a.status_code for a in answers) == [201, 201]
    assert len({a.json()["id"] for a in answers}) == 1
    assert sorted(a.get("Idempotent-Replayed", "") for a in answers) == ["", "true"]
    assert Incident.objects.count() == 1
    assert looked[:2] == [None, None]  # neither saw the other's key before filing: the unique key decided


# The report form.
def shown_token(client) -> str:
    page = client.get(reverse("incidents:report")).content.decode()
    return re.search(r'name="filing_token" value="([^"]+)"', page).group(1)


def test_the_report_form_carries_a_fresh_one_time_token(signed_in):
    assert shown_token(signed_in) != shown_token(signed_in)


def test_a_double_submit_of_the_form_shows_the_incident_already_filed(signed_in):
    data = form_data(filing_token=shown_token(signed_in))
    first = signed_in.post(reverse("incidents:report"), data)
    again = signed_in.post(reverse("incidents:report"), data, follow=True)
    incident = Incident.objects.get()
    assert first.url == again.redirect_chain[-1][0] == incident.get_absolute_url()
    assert "This report was already filed: here it is." in again.content.decode()


def test_the_same_token_with_changed_contents_keeps_them_and_a_second_submit_files_anew(signed_in):
    token = shown_token(signed_in)
    signed_in.post(reverse("incidents:report"), form_data(filing_token=token))
    changed = signed_in.post(reverse("incidents:report"), form_data(filing_token=token, subject="Quotation Q-8"))
    assert changed.status_code == 200
    html = changed.content.decode()
    filed = Incident.objects.get()
    assert f"This form already filed incident #{filed.pk}" in html and 'value="Quotation Q-8"' in html
    new_token = changed.context["form"]["filing_token"].value()
    assert new_token and new_token != token
    assert (
        signed_in.post(
            reverse("incidents:report"), form_data(filing_token=new_token, subject="Quotation Q-8")
        ).status_code
        == 302
    )
    assert Incident.objects.count() == 2


def test_a_token_survives_a_form_with_errors(signed_in):
    token = shown_token(signed_in)
    invalid = signed_in.post(reverse("incidents:report"), form_data(filing_token=token, subject=""))
    assert f'value="{token}"' in invalid.content.decode()
