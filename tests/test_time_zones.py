"""Each user reads and types times in their own zone; pages say which zone a time is in."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from incidents.accounts.selectors import sending_address_for, user_time_zone
from incidents.accounts.services import profile_for
from incidents.models import Incident, Profile
from incidents.platform.formats import when
from tests.factories import UserFactory, file_incident
from tests.support_intake import form_data

pytestmark = pytest.mark.usefixtures("in_english")


@pytest.fixture
def in_shanghai(employee):
    profile = profile_for(employee)
    profile.time_zone = "Asia/Shanghai"
    profile.save()
    return employee


@pytest.mark.parametrize(
    "zone, moment, format_string, expected",
    [
        ("Asia/Shanghai", datetime(2026, 11, 30, 1, 0, tzinfo=UTC), None, "2026-11-30 09:00 CST"),
        ("UTC", datetime(2026, 11, 30, 1, 0, tzinfo=UTC), None, "2026-11-30 01:00 UTC"),
        ("Europe/Berlin", datetime(2026, 7, 1, 12, 5, tzinfo=UTC), None, "2026-07-01 14:05 CEST"),
        ("America/New_York", datetime(2026, 11, 30, 1, 0, tzinfo=UTC), None, "2026-11-29 20:00 EST"),
        ("Asia/Dubai", datetime(2026, 11, 30, 1, 0, tzinfo=UTC), None, "2026-11-30 05:00 UTC+04:00"),
        ("Asia/Kathmandu", datetime(2026, 11, 30, 1, 0, tzinfo=UTC), None, "2026-11-30 06:45 UTC+05:45"),
        ("America/Sao_Paulo", datetime(2026, 11, 30, 1, 0, tzinfo=UTC), None, "2026-11-29 22:00 UTC-03:00"),
        ("Asia/Shanghai", datetime(2026, 11, 30, 1, 0, 7, tzinfo=UTC), "H:i:s", "09:00:07 CST"),
    ],
)
def test_when_shows_the_time_in_the_active_zone_and_names_it(zone, moment, format_string, expected):
    with timezone.override(ZoneInfo(zone)):
        assert (when(moment, format_string) if format_string else when(moment)) == expected


@pytest.mark.parametrize("value", [None, "", "not a time"])
def test_when_shows_nothing_for_a_missing_time(value):
    assert when(value) == ""


def test_a_report_is_read_in_the_reporters_zone_and_shown_in_it(client, directory, in_shanghai):
    client.force_login(in_shanghai)
    form_page = client.get(reverse("incidents:report")).content.decode()
    assert "Sent at (Asia/Shanghai)" in form_page

    response = client.post(reverse("incidents:report"), form_data(sent_at="2026-11-30T09:00"))
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.sent_at == datetime(2026, 11, 30, 1, 0, tzinfo=UTC)

    page = client.get(incident.get_absolute_url()).content.decode()
    assert "2026-11-30 09:00 CST" in page


def test_another_user_sees_the_same_incident_in_their_own_zone(client, directory, in_shanghai, manager):
    incident = file_incident(in_shanghai, sent_at=datetime(2026, 11, 30, 1, 0, tzinfo=UTC))
    profile = profile_for(manager)
    profile.time_zone = "Europe/London"
    profile.save()
    client.force_login(manager)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "2026-11-30 01:00 GMT" in page
    assert "09:00 CST" not in page


def test_the_edit_form_shows_the_stored_time_in_the_users_zone(client, directory, in_shanghai):
    incident = file_incident(in_shanghai, sent_at=datetime(2026, 11, 30, 1, 0, tzinfo=UTC))
    client.force_login(in_shanghai)
    page = client.get(reverse("incidents:edit", args=[incident.pk])).content.decode()
    assert 'value="2026-11-30T09:00:00"' in page


def test_the_list_shows_report_times_in_the_users_zone(client, directory, in_shanghai):
    incident = file_incident(in_shanghai)
    client.force_login(in_shanghai)
    page = client.get(reverse("incidents:list")).content.decode()
    shown = timezone.localtime(incident.created_at, ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M CST")
    assert shown in page


def test_users_without_a_profile_use_the_site_zone_and_get_one_on_first_visit_to_their_account(
    client, employee, settings
):
    assert not Profile.objects.filter(user=employee).exists()
    assert user_time_zone(employee) == ZoneInfo(settings.TIME_ZONE)
    client.force_login(employee)
    page = client.get(reverse("incidents:account")).content.decode()
    assert Profile.objects.get(user=employee).time_zone == settings.TIME_ZONE
    assert 'href="/incidents/account/"' in page  # linked from the navigation


def test_the_account_page_changes_the_users_zone(client, employee):
    client.force_login(employee)
    response = client.post(reverse("incidents:account"), {"time_zone": "Asia/Shanghai"})
    assert response.status_code == 302
    assert profile_for(employee).time_zone == "Asia/Shanghai"
    page = client.get(reverse("incidents:account")).content.decode()
    assert "Time zone saved: Asia/Shanghai." in page
    assert " CST." in page  # the time now, in the new zone


@pytest.mark.parametrize("bad", ["Mars/Olympus_Mons", "asia/shanghai", "", "UTC+8"])
def test_the_account_page_refuses_a_zone_that_does_not_exist(client, employee, bad):
    client.force_login(employee)
    response = client.post(reverse("incidents:account"), {"time_zone": bad})
    assert response.status_code == 200
    assert response.context["form"].errors["time_zone"]
    assert profile_for(employee).time_zone == "UTC"


def test_the_account_page_does_not_let_users_set_their_own_sending_address(client, employee):
    client.force_login(employee)
    client.post(reverse("incidents:account"), {"time_zone": "UTC", "sending_address": "ceo@ourco.com"})
    assert sending_address_for(employee) == employee.email


@pytest.mark.parametrize(
    "account_email, bound, expected",
    [
        ("erin@ourco.com", "", "erin@ourco.com"),
        ("erin@ourco.com", "sales@ourco.com", "sales@ourco.com"),
        ("", "sales@ourco.com", "sales@ourco.com"),
        ("", "", ""),
    ],
)
def test_drafts_go_out_from_the_bound_address_else_the_account_email(db, account_email, bound, expected):
    user = UserFactory(username="sam", email=account_email)
    if bound:
        Profile.objects.create(user=user, sending_address=bound)
    assert sending_address_for(user) == expected


def test_anonymous_visitors_have_the_site_zone_and_no_sending_address(settings):
    assert user_time_zone(AnonymousUser()) == ZoneInfo(settings.TIME_ZONE)
    assert sending_address_for(AnonymousUser()) == ""


def test_an_admin_binds_a_sending_address_and_zone_on_the_user_page(client, superuser, employee):
    client.force_login(superuser)
    url = reverse("admin:auth_user_change", args=[employee.pk])
    page = client.get(url)
    assert page.status_code == 200 and "profile-0-sending_address" in page.content.decode()
    data = {
        "username": employee.username,
        "email": employee.email,
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "profile-TOTAL_FORMS": "1",
        "profile-INITIAL_FORMS": "0",
        "profile-MIN_NUM_FORMS": "0",
        "profile-MAX_NUM_FORMS": "1",
        "profile-0-time_zone": "Asia/Shanghai",
        "profile-0-sending_address": "sales@ourco.com",
        "profile-0-user": str(employee.pk),
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert sending_address_for(employee) == "sales@ourco.com"
    assert user_time_zone(employee) == ZoneInfo("Asia/Shanghai")


def test_the_zone_of_one_request_does_not_leak_into_the_next(client, in_shanghai, other_employee):
    client.force_login(in_shanghai)
    client.get(reverse("incidents:account"))
    assert timezone.get_current_timezone_name() == "UTC"
    client.force_login(other_employee)
    assert " UTC." in client.get(reverse("incidents:account")).content.decode()


def test_the_breach_deadline_in_an_escalation_email_is_in_the_recipients_zone(directory, employee, legal):
    from django.core import mail

    from incidents.models import Notification
    from incidents.notifications import services as notifications

    profile = profile_for(legal)
    profile.time_zone = "Asia/Shanghai"
    profile.save()
    incident = file_incident(employee, problems=["wrong_recipient", "personal_data"])
    notifications.deliver(Notification.objects.get(incident=incident, recipient=legal, channel="email", level=0).pk)
    shanghai = timezone.localtime(incident.regulatory_deadline, ZoneInfo("Asia/Shanghai"))
    assert shanghai.strftime("%Y-%m-%d %H:%M CST") in mail.outbox[-1].body
