"""Password guessing is locked out per (username, address) after five wrong passwords, with a 429 page
that says when to try again; the lock expires. Paths that take a password: the login page and the
admin's login page (here), and the relay's SMTP AUTH (test_hold_relay_lockout.py). API calls take a
token, never a password: they are throttled instead (test_api_throttle.py)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from tests.factories import PASSWORD
from tests.i18n_support import ensure_compiled

PATHS = ["/login/", "/admin/login/"]
ATTACKER = "203.0.113.7"


def attempt(client, user, password, *, path="/login/", address=ATTACKER, **headers):
    return client.post(path, {"username": user.username, "password": password}, REMOTE_ADDR=address, **headers)


def lock_out(client, user, *, path="/login/", address=ATTACKER, **headers):
    answers = [attempt(client, user, f"guess {n}", path=path, address=address, **headers).status_code for n in range(5)]
    assert answers == [200, 200, 200, 200, 429]


@pytest.mark.parametrize("path", PATHS)
def test_login_page_and_admin_login_the_fifth_wrong_password_locks_out_with_a_429_page(client, superuser, path):
    lock_out(client, superuser, path=path)
    response = attempt(client, superuser, PASSWORD, path=path)  # the right password no longer helps
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed attempts" in page and "15 minutes" in page and "administrator can unlock" in page
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("path", PATHS)
def test_login_page_and_admin_login_the_same_user_from_another_address_can_still_log_in(client, superuser, path):
    lock_out(client, superuser, path=path)
    response = attempt(Client(), superuser, PASSWORD, path=path, address="198.51.100.20")
    assert response.status_code == 302


def test_login_page_another_user_from_the_locked_out_address_can_still_log_in(client, employee, manager):
    lock_out(client, employee)
    assert attempt(Client(), manager, PASSWORD).status_code == 302


def test_login_page_four_wrong_passwords_then_the_right_one_logs_in(client, employee):
    for n in range(4):
        assert attempt(client, employee, f"guess {n}").status_code == 200
    assert attempt(client, employee, PASSWORD).status_code == 302


def test_login_page_the_lockout_expires_after_the_cool_off(client, employee, settings):
    lock_out(client, employee)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert attempt(Client(), employee, PASSWORD).status_code == 302


def test_login_page_the_lockout_page_speaks_chinese_to_a_chinese_browser(client, employee):
    ensure_compiled()
    lock_out(client, employee, HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    page = attempt(client, employee, PASSWORD, HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").content.decode()
    assert "登录失败次数过多" in page and "15 分钟" in page


def test_login_page_the_login_form_still_opens_for_everyone_while_a_user_is_locked_out(client, employee):
    lock_out(client, employee)
    assert client.get("/login/", REMOTE_ADDR=ATTACKER).status_code == 200


def test_login_page_behind_a_proxy_counts_the_clients_address_not_the_proxys(client, employee, manager, settings):
    settings.MISSEND_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    lock_out(client, employee, address=proxy, HTTP_X_FORWARDED_FOR=f"198.51.100.9, {ATTACKER}")
    assert attempt(Client(), employee, PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="192.0.2.44").status_code == 302
    assert attempt(Client(), employee, PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR=ATTACKER).status_code == 429
