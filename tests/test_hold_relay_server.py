"""The relay in-process (on a free port, spoken to with smtplib) and the release to an in-process upstream:
who may relay, limits and their replies, holding, release exactly once, retries, and abandoned claims."""

from __future__ import annotations

import re
import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from incidents.models import HeldMessage
from incidents.relay import policy
from incidents.relay.services import release
from incidents.relay.services import sweep as sweeper
from tests.factories import PASSWORD, UserFactory, held_message
from tests.integration.processes import free_port
from tests.integration.smtp_sink import SmtpSink
from tests.support_messages import outgoing
from tests.support_servers import start_relay

Status = HeldMessage.Status


@pytest.fixture
def upstream(settings):
    sink = SmtpSink().start()
    settings.MISSEND_RELAY_UPSTREAM = f"127.0.0.1:{sink.port}"
    settings.MISSEND_RELAY_UPSTREAM_TLS = ""
    settings.MISSEND_RELAY_UPSTREAM_USER = ""
    yield sink
    sink.stop()


@pytest.fixture
def relay(transactional_db, directory, enqueued, settings):
    settings.MISSEND_HOLD_SECONDS = 60
    controller = start_relay(["127.0.0.1/32"])
    yield controller
    controller.stop()


def test_a_message_from_the_trusted_network_is_held_and_answered_with_when_and_its_id(relay, erin, enqueued):
    with smtplib.SMTP("127.0.0.1", relay.port, timeout=30) as client:
        client.ehlo()
        client.mail("erin@ourco.com")
        client.rcpt("li.wei@globex.com.cn")
        client.rcpt("boss@rival-exports.com")
        code, reply = client.data(outgoing())
    held = HeldMessage.objects.get()
    assert code == 250 and reply.decode() == (
        f"2.0.0 Held until {held.due_at.strftime('%H:%M')} UTC as {held.pk}: the sender can cancel it until then"
    )
    assert held.sender == erin and held.envelope_recipients == ["li.wei@globex.com.cn", "boss@rival-exports.com"]
    assert "competitor_recipient" in {w["code"] for w in held.warnings}
    assert enqueued == [("notice", held.pk)]  # the notice goes out from the worker, after commit


def test_the_same_message_sent_again_is_not_held_twice(relay, erin):
    with smtplib.SMTP("127.0.0.1", relay.port, timeout=30) as client:
        client.sendmail("erin@ourco.com", ["li.wei@globex.com.cn"], outgoing())
        client.mail("erin@ourco.com")
        client.rcpt("li.wei@globex.com.cn")
        code, reply = client.data(outgoing())
    assert (code, reply.decode().split(":")[0]) == (250, f"2.0.0 Already held as {HeldMessage.objects.get().pk}")


@pytest.mark.parametrize(
    "mail_from, expected",
    [
        ("stranger@example.com", policy.NOT_A_USER),
        ("nobody@ourco.com", policy.NOT_A_USER),
    ],
)
def test_a_sender_who_is_not_a_user_is_refused(relay, erin, mail_from, expected):
    with (
        smtplib.SMTP("127.0.0.1", relay.port, timeout=30) as client,
        pytest.raises(smtplib.SMTPSenderRefused) as refused,
    ):
        client.sendmail(mail_from, ["li.wei@globex.com.cn"], outgoing(sender=mail_from))
    assert f"{refused.value.smtp_code} {refused.value.smtp_error.decode()}" == expected
    assert not HeldMessage.objects.exists()


def test_outside_the_trusted_networks_relaying_needs_a_signed_in_user(outside_relay, erin, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    UserFactory(username="olaf")
    with smtplib.SMTP("127.0.0.1", outside_relay.port, timeout=30) as client:
        with pytest.raises(smtplib.SMTPSenderRefused) as refused:
            client.sendmail("erin@ourco.com", ["li.wei@globex.com.cn"], outgoing())
        assert f"{refused.value.smtp_code} {refused.value.smtp_error.decode()}" == policy.AUTH_REQUIRED
        with pytest.raises(smtplib.SMTPAuthenticationError) as wrong:
            client.login("erin", "not the password")
        assert wrong.value.smtp_code == 535
    with smtplib.SMTP("127.0.0.1", outside_relay.port, timeout=30) as client:
        client.login("erin", PASSWORD)
        with pytest.raises(smtplib.SMTPSenderRefused) as not_hers:  # signed in as Erin, sending as Olaf
            client.sendmail("olaf@ourco.com", ["li.wei@globex.com.cn"], outgoing(sender="olaf@ourco.com"))
        assert f"{not_hers.value.smtp_code} {not_hers.value.smtp_error.decode()}" == policy.NOT_YOUR_ADDRESS
        assert client.sendmail("erin@ourco.com", ["li.wei@globex.com.cn"], outgoing()) == {}
    assert HeldMessage.objects.get().sender == erin


def test_too_many_recipients_and_too_big_are_refused_with_their_codes(relay, erin, settings):
    settings.MISSEND_RELAY_MAX_RECIPIENTS = 2
    with smtplib.SMTP("127.0.0.1", relay.port, timeout=30) as client:
        client.ehlo()
        client.mail("erin@ourco.com")
        assert client.rcpt("a@acme-trading.com")[0] == 250
        assert client.rcpt("b@acme-trading.com")[0] == 250
        assert client.rcpt("c@acme-trading.com") == (
            452,
            b"4.5.3 Too many recipients: send the rest in another message",
        )
        client.rset()
        settings.MISSEND_RELAY_MAX_BYTES = 1000
        assert client.mail("erin@ourco.com", ["SIZE=5000"]) == (552, b"5.3.4 Message too big for the relay")
    assert not HeldMessage.objects.exists()


def test_a_message_that_cannot_be_read_is_refused_with_the_reason(relay, erin):
    with smtplib.SMTP("127.0.0.1", relay.port, timeout=30) as client, pytest.raises(smtplib.SMTPDataError) as refused:
        client.sendmail("erin@ourco.com", ["li.wei@globex.com.cn"], b"%PDF-1.4 not a message")
    assert refused.value.smtp_code == 554 and refused.value.smtp_error.startswith(
        b"5.6.0 The message could not be checked"
    )


def test_auth_from_outside_loopback_without_tls_is_refused():
    assert policy.may_authenticate(tls=False, loopback=policy.loopback_peer("192.0.2.7")) is False


# Release ---------------------------------------------------------------------------------------------


def due(held: HeldMessage) -> HeldMessage:
    HeldMessage.objects.filter(pk=held.pk).update(due_at=timezone.now() - timedelta(seconds=1))
    return HeldMessage.objects.get(pk=held.pk)


def test_a_due_message_reaches_the_upstream_once_as_received(db, directory, employee, upstream):
    held = due(held_message(recipients=["li.wei@globex.com.cn", "boss@rival-exports.com"]))
    assert release.release(held.pk) == "released"
    assert release.release(held.pk) == "not due or not held"
    [arrived] = upstream.snapshot()
    assert arrived.message_id == "<q-1@ourco.com>"
    assert arrived.to == ["li.wei@globex.com.cn", "boss@rival-exports.com"]
    held.refresh_from_db()
    assert held.status == Status.RELEASED and held.released_at and bytes(held.raw) == b""  # not kept once sent


def test_a_message_not_yet_due_is_not_released(db, directory, employee, upstream):
    held = held_message()
    assert release.release(held.pk) == "not due or not held" and upstream.snapshot() == []


def test_a_temporary_upstream_failure_is_retried_later_and_may_still_be_cancelled(db, directory, employee, monkeypatch):
    def refuse(**kw):
        raise smtplib.SMTPDataError(451, b"4.3.0 try later")

    monkeypatch.setattr(release, "upstream_send", refuse)
    held = due(held_message())
    assert release.release(held.pk) == "retry"
    held.refresh_from_db()
    assert held.status == Status.HELD and held.due_at > timezone.now() and "451" in held.last_error
    assert release.held_cancel(held=held, actor=employee) is release.Outcome.DONE


def test_a_permanent_upstream_refusal_fails_at_once(db, directory, employee, monkeypatch):
    def refuse(**kw):
        raise smtplib.SMTPRecipientsRefused({"li.wei@globex.com.cn": (550, b"5.1.1 no such user")})

    monkeypatch.setattr(release, "upstream_send", refuse)
    held = due(held_message())
    assert release.release(held.pk) == "failed"
    assert HeldMessage.objects.get().status == Status.FAILED
    [email] = mail.outbox  # the sender believes it was sent: they are told
    assert email.to == ["erin@ourco.com"] and email.subject == "Not sent: Quotation for Globex"
    assert "550" in email.body and "no such user" in email.body and "Nobody received it." in email.body


def test_cancelled_messages_lose_their_bytes_after_the_keeping_days(db, directory, employee, settings):
    settings.MISSEND_RELAY_KEEP_DAYS = 30
    cancelled, waiting = held_message(message_id="<c@ourco.com>"), held_message(message_id="<w@ourco.com>")
    release.held_cancel(held=cancelled, actor=employee)
    assert sweeper.sweep(now=timezone.now() + timedelta(days=29)).purged == 0
    assert sweeper.sweep(now=timezone.now() + timedelta(days=31)).purged == 1
    assert bytes(HeldMessage.objects.get(pk=cancelled.pk).raw) == b""
    assert bytes(HeldMessage.objects.get(pk=waiting.pk).raw) != b""  # a held one is never touched
    # the one-click report still works from what the row knows
    from incidents.relay.services import reports

    pending = reports.held_report_start(held=cancelled, actor=employee)
    assert pending.fields["subject"] == "Quotation for Globex" and pending.fields["message_id"] == "<c@ourco.com>"


def test_the_sweeper_enqueues_due_messages_once_per_redrive_window(
    db, directory, employee, enqueued, django_capture_on_commit_callbacks
):
    waiting, ready = held_message(message_id="<w@ourco.com>"), due(held_message(message_id="<r@ourco.com>"))
    with django_capture_on_commit_callbacks(execute=True):
        assert sweeper.sweep().enqueued == 1
        assert sweeper.sweep().enqueued == 0  # already enqueued, not yet stale
    assert enqueued == [("release", ready.pk)]
    later = timezone.now() + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweeper.sweep(now=later).enqueued == 2  # the lost task re-driven, and the other now due
    assert waiting.pk in [pk for _kind, pk in enqueued]


def test_an_abandoned_claim_is_sent_again_and_says_so(db, directory, employee, upstream, settings):
    settings.MISSEND_RELAY_LEASE_SECONDS = 60
    held = due(held_message())
    release._claim(held.pk, timezone.now())  # the worker holding this claim dies here
    assert release.release(held.pk) == "not due or not held"
    assert sweeper.sweep(now=timezone.now() + timedelta(seconds=30)).recovered == 0
    assert sweeper.sweep(now=timezone.now() + timedelta(seconds=61)).recovered == 1
    assert HeldMessage.objects.get().status == Status.HELD
    assert release.release(due(held).pk) == "released"
    held.refresh_from_db()
    assert held.resent_after_lost_worker and held.attempts == 2 and len(upstream.snapshot()) == 1


def test_notices_that_never_went_out_are_sent_again(
    db, directory, employee, enqueued, settings, django_capture_on_commit_callbacks
):
    held = held_message()
    with django_capture_on_commit_callbacks(execute=True):
        assert sweeper.sweep().notices == 0  # too fresh: its own task is on the way
        assert (
            sweeper.sweep(now=timezone.now() + timedelta(seconds=settings.MISSEND_RELAY_REDRIVE_SECONDS + 1)).notices
            == 1
        )
    assert ("notice", held.pk) in enqueued


@pytest.mark.parametrize(
    "upstream_setting, networks, error",
    [
        ("", ["127.0.0.1/32"], "MISSEND_RELAY_UPSTREAM"),
        ("smtp.ourco.com:25", ["10.0.0.0/33"], "MISSEND_RELAY_NETWORKS"),
    ],
)
def test_the_command_refuses_to_start_misconfigured(settings, upstream_setting, networks, error):
    from django.core.management import CommandError, call_command

    settings.MISSEND_RELAY_UPSTREAM = upstream_setting
    settings.MISSEND_RELAY_NETWORKS = networks
    with pytest.raises(CommandError, match=error):
        call_command("hold_relay", "--port", str(free_port()))


def test_the_readmes_snippet_sends_a_message_that_is_held_with_warnings(relay, capsys):
    from pathlib import Path

    UserFactory(username="employee")
    readme = Path(__file__).resolve().parents[1].joinpath("README.md").read_text()
    section = readme[readme.index("## Hold-and-check relay") :]
    snippet = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert '("127.0.0.1", 8587)' in snippet
    exec(snippet.replace('("127.0.0.1", 8587)', f'("127.0.0.1", {relay.port})'), {})
    assert capsys.readouterr().out.strip() == "{}"
    held = HeldMessage.objects.get()
    assert {w["code"] for w in held.warnings} >= {"internal_words_outside", "other_client_recipient"}


def test_over_starttls_a_user_signs_in_and_relays_from_outside_the_trusted_networks(
    transactional_db, directory, enqueued, erin, settings, tmp_path, service_missing
):
    import shutil
    import ssl
    import subprocess

    if shutil.which("openssl") is None:
        service_missing("openssl", "apt-get install openssl")  # a failure in CI, a skip on a laptop without it
    cert, key = tmp_path / "relay.pem", tmp_path / "relay.key"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    settings.MISSEND_RELAY_TLS_CERT, settings.MISSEND_RELAY_TLS_KEY = str(cert), str(key)
    controller = start_relay(["10.0.0.0/8"])
    try:
        with smtplib.SMTP("127.0.0.1", controller.port, timeout=30) as client:
            client.ehlo()
            assert client.has_extn("starttls")
            client.starttls(context=ssl._create_unverified_context())
            client.ehlo()
            client.login("erin@ourco.com", PASSWORD)  # the account email works as the username too
            assert client.sendmail("erin@ourco.com", ["li.wei@globex.com.cn"], outgoing()) == {}
    finally:
        controller.stop()
    assert HeldMessage.objects.get().sender == erin
