"""The language of the pages: the browser's on a first visit, switched in the navigation, kept per user."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from incidents.accounts.services import profile_for
from incidents.models import Profile
from incidents.platform.formats import when
from tests.factories import PASSWORD, file_incident

pytestmark = pytest.mark.usefixtures("zh_catalogue")
CHINESE_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9,en;q=0.5"}
ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}
COOKIE = settings.LANGUAGE_COOKIE_NAME


def speaks(language: str, html: str) -> bool:
    """The page is in that language: its <html lang>, and the navigation's words."""
    marks = {"zh-Hans": ('<html lang="zh-Hans">', "登录"), "en": ('<html lang="en">', "Log in")}[language]
    return marks[0] in html and any(word in html for word in (marks[1], "退出登录", "Log out"))


def with_language(user, language: str, zone: str = "UTC"):
    Profile.objects.update_or_create(user=user, defaults={"language": language, "time_zone": zone})
    return user


@pytest.mark.parametrize(
    "accept_language, expected",
    [
        ("zh-CN,zh;q=0.9", "zh-Hans"),
        ("zh-Hans", "zh-Hans"),
        ("zh", "zh-Hans"),
        ("en-US,en;q=0.8", "en"),
        ("de-DE,de;q=0.9", "en"),  # a language we do not have: the site's
        ("", "en"),
    ],
)
def test_a_first_visit_is_in_the_browsers_language(db, accept_language, expected):
    html = Client(HTTP_ACCEPT_LANGUAGE=accept_language).get(reverse("login")).content.decode()
    assert speaks(expected, html)


def test_the_login_page_of_a_chinese_browser_is_all_chinese_with_djangos_own_words_too(db):
    html = Client(**CHINESE_BROWSER).get(reverse("login")).content.decode()
    assert "用户名" in html and "密码" in html and "Username" not in html


@pytest.mark.parametrize("page_name", ["login", "incidents:list", "incidents:account", "incidents:report"])
def test_every_page_has_the_language_switch_posting_to_set_language_and_coming_back(client, employee, page_name):
    if page_name != "login":
        client.force_login(employee)
    html = client.get(reverse(page_name) + "?page=1").content.decode()
    form = html[html.index(f'action="{reverse("set_language")}"') :]
    form = form[: form.index("</form>")]
    assert f'name="next" value="{reverse(page_name)}?page=1"' in form
    assert 'name="language" value="en" lang="en"' in form and 'name="language" value="zh-hans" lang="zh-Hans"' in form
    assert "English" in form and "简体中文" in form


def test_choosing_a_language_signed_out_keeps_it_in_the_cookie(db):
    browser = Client(**ENGLISH_BROWSER)
    response = browser.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("login")})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert response.cookies[COOKIE].value == "zh-hans"
    assert speaks("zh-Hans", browser.get(reverse("login")).content.decode())


def test_choosing_a_language_signed_in_is_kept_in_the_profile_and_follows_the_user(employee):
    browser = Client(**ENGLISH_BROWSER)
    browser.force_login(employee)
    browser.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("incidents:list")})
    assert profile_for(employee).language == "zh-hans"
    elsewhere = Client(**ENGLISH_BROWSER)  # another browser, which asks for English
    elsewhere.force_login(employee)
    assert speaks("zh-Hans", elsewhere.get(reverse("incidents:list")).content.decode())


@pytest.mark.parametrize("language", ["fr", "zh-hant", "", "en-us"])
def test_a_language_the_site_does_not_offer_is_not_kept(employee, language):
    with_language(employee, "zh-hans")
    browser = Client()
    browser.force_login(employee)
    browser.post(reverse("set_language"), {"language": language, "next": "/"})
    assert profile_for(employee).language == "zh-hans"


def test_signing_in_switches_to_the_users_language_and_the_login_page_keeps_it_after_logging_out(employee):
    with_language(employee, "zh-hans")
    browser = Client(**ENGLISH_BROWSER)
    assert speaks("en", browser.get(reverse("login")).content.decode())
    response = browser.post(reverse("login"), {"username": employee.username, "password": PASSWORD})
    assert response.status_code == 302 and response.cookies[COOKIE].value == "zh-hans"
    assert speaks("zh-Hans", browser.get(response["Location"]).content.decode())
    browser.post(reverse("logout"))
    assert speaks("zh-Hans", browser.get(reverse("login")).content.decode())


def test_the_users_language_wins_over_a_cookie_left_by_someone_else(employee):
    with_language(employee, "en")
    browser = Client(**CHINESE_BROWSER)
    browser.cookies[COOKIE] = "zh-hans"
    browser.force_login(employee)
    response = browser.get(reverse("incidents:list"))
    assert speaks("en", response.content.decode())
    assert response.cookies[COOKIE].value == "en"


def test_the_account_page_changes_the_language_and_back_to_the_browsers(employee):
    browser = Client(**ENGLISH_BROWSER)
    browser.force_login(employee)
    response = browser.post(reverse("incidents:account"), {"time_zone": "UTC", "language": "zh-hans"}, follow=True)
    html = response.content.decode()
    assert profile_for(employee).language == "zh-hans"
    assert speaks("zh-Hans", html) and "语言已保存：简体中文。" in html
    assert '<option value="zh-hans" selected lang="zh-Hans">简体中文</option>' in html

    response = browser.post(reverse("incidents:account"), {"time_zone": "UTC", "language": ""}, follow=True)
    assert profile_for(employee).language == ""
    assert speaks("en", response.content.decode())  # the browser's again: the cookie is gone


@pytest.mark.parametrize(
    "language, zone, format_string, expected",
    [
        ("en", "Asia/Shanghai", "Y-m-d H:i", "2026-12-01 15:30 CST"),
        ("zh-hans", "Asia/Shanghai", "Y-m-d H:i", "2026年12月1日 15:30 CST"),
        ("zh-hans", "Asia/Shanghai", "Y-m-d H:i:s", "2026年12月1日 15:30:00 CST"),
        ("zh-hans", "Asia/Shanghai", "H:i", "15:30 CST"),
        ("zh-hans", "Europe/Berlin", "Y-m-d H:i", "2026年12月1日 08:30 CET"),
        ("zh-hans", "Asia/Dubai", "Y-m-d H:i", "2026年12月1日 11:30 UTC+04:00"),
        ("en", "America/New_York", "Y-m-d H:i", "2026-12-01 02:30 EST"),
    ],
)
def test_times_read_in_the_users_zone_and_language_and_name_the_zone(language, zone, format_string, expected):
    moment = datetime(2026, 12, 1, 7, 30, tzinfo=ZoneInfo("UTC"))
    with translation.override(language), timezone.override(ZoneInfo(zone)):
        assert when(moment, format_string) == expected


def test_a_chinese_user_in_shanghai_sees_chinese_dates_on_the_pages(client, directory, employee):
    with_language(employee, "zh-hans", "Asia/Shanghai")
    incident = file_incident(employee)
    client.force_login(employee)
    local = timezone.localtime(incident.created_at, ZoneInfo("Asia/Shanghai"))
    expected = f"{local.year}年{local.month}月{local.day}日 {local:%H:%M} CST"
    assert expected in client.get(reverse("incidents:list")).content.decode()
    assert expected in client.get(incident.get_absolute_url()).content.decode()


def test_the_stray_chinese_of_the_issue_is_gone_for_an_english_user_with_a_chinese_browser(
    client, directory, employee, manager
):
    with_language(manager, "en")
    file_incident(employee, attachments=["Quotation_Q-1.pdf"])  # high: escalated to the manager
    browser = Client(**CHINESE_BROWSER)
    browser.force_login(manager)
    for page in ("incidents:list", "incidents:triage", "incidents:account"):
        html = browser.get(reverse(page)).content.decode()
        assert "Log out" in html and "注销" not in html
        assert "分钟" not in html and "未知" not in html
    assert "just now" in browser.get(reverse("incidents:triage")).content.decode()


def test_a_chinese_user_sees_the_apps_chinese_not_djangos_leftovers(client, directory, employee):
    with_language(employee, "zh-hans")
    incident = file_incident(employee)
    client.force_login(employee)
    html = client.get(incident.get_absolute_url()).content.decode()
    assert "退出登录" in html and "注销" not in html and "Log out" not in html
    assert "时间线" in html and "收件人状态" in html


def test_the_language_switch_leaves_the_pages_own_language_links_alone(client, directory, employee):
    """The navigation's switch lists the site's languages without taking the name a page uses for its own list."""
    from incidents.drafts.selectors import incident_drafts

    incident = file_incident(employee)
    [item, *_] = incident_drafts(incident)
    client.force_login(employee)
    html = client.get(reverse("incidents:draft", args=[incident.pk, item.draft.key])).content.decode()
    assert 'href="?language=en"' in html and 'href="?language=zh-hans"' in html
