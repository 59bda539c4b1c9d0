"""The relay's SMTP AUTH counts wrong passwords in the same lockout as the login page (per username and
client address, five failures): password guessing over SMTP is refused with 454 4.7.0 after the limit."""

import smtplib

import pytest

from incidents.relay import server
from tests.factories import PASSWORD


@pytest.fixture(autouse=True)
def no_pause(monkeypatch):
    monkeypatch.setattr(server, "FAILED_AUTH_PAUSE", 0)


def auth_plain(port, login, password, source="127.0.0.1"):
    """One AUTH PLAIN (smtplib's login() would try PLAIN then LOGIN: two attempts)."""
    with smtplib.SMTP("127.0.0.1", port, timeout=30, source_address=(source, 0)) as client:
        client.ehlo()
        client.user, client.password = login, password
        try:
            code, reply = client.auth("PLAIN", client.auth_plain)
        except smtplib.SMTPAuthenticationError as refused:
            code, reply = refused.smtp_code, refused.smtp_error
        return f"{code} {reply.decode()}"


def test_relay_auth_the_fifth_wrong_password_locks_out_that_user_from_that_address(outside_relay, erin):
    answers = [auth_plain(outside_relay.port, "erin", f"guess {n}")[:3] for n in range(5)]
    assert answers == ["535", "535", "535", "535", "454"]
    locked = auth_plain(outside_relay.port, "erin", PASSWORD)
    assert locked.startswith("454 4.7.0") and "15 minutes after the last one" in locked


def test_relay_auth_the_same_user_from_another_address_can_still_sign_in(outside_relay, erin):
    for n in range(5):
        auth_plain(outside_relay.port, "erin", f"guess {n}")
    assert auth_plain(outside_relay.port, "erin", PASSWORD, source="127.0.0.2").startswith("235")


def test_relay_auth_by_account_email_is_locked_out_too(outside_relay, erin):
    for n in range(5):
        auth_plain(outside_relay.port, "erin@ourco.com", f"guess {n}")
    assert auth_plain(outside_relay.port, "erin@ourco.com", PASSWORD).startswith("454 4.7.0")
