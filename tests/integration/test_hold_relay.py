"""The hold-and-check relay with real processes: `manage.py hold_relay`, a Celery worker and beat on Redis,
the web server, and two aiosmtpd sinks (the upstream mail server, and the one notices go through).

A message sent to the relay is held, shown to its sender with its warnings, and reaches the upstream once
after the delay; a cancelled one never does; killing the relay, the worker and Redis while messages are
held loses none and repeats none (test_hold_relay_faults.py); a client outside the trusted networks without
AUTH, and a sender who is no user, are refused."""

from __future__ import annotations

import re
import secrets
import smtplib
import time

import pytest
from django.utils import timezone

from incidents.models import HeldMessage
from tests.factories import PASSWORD
from tests.integration.processes import wait_until
from tests.integration.smtp_sink import SmtpSink
from tests.integration.stack import AppStack, Browser, started_for_this_test
from tests.integration.support_relay import Relay, relay_env
from tests.support_messages import outgoing

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
Status = HeldMessage.Status
HOLD_SECONDS = 3


@pytest.fixture(scope="module")
def upstream():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture(scope="module")
def relay_stack(database_url, shared_redis_url, smtp_sink, upstream, tmp_path_factory):
    stack = AppStack(
        database_url=database_url,
        broker_url=shared_redis_url,
        smtp_port=smtp_sink.port,
        var_dir=tmp_path_factory.mktemp("relay"),
        secret_key=secrets.token_urlsafe(50),
        extra_env=relay_env(upstream.port, HOLD_SECONDS),
    )
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()


@pytest.fixture
def relay(relay_stack, print_logs_on_failure):
    relay = Relay(started_for_this_test(relay_stack))
    print_logs_on_failure(relay_stack)
    print_logs_on_failure(relay)
    try:
        yield relay.start()
    finally:
        relay.stop()


def signed_in(stack: AppStack) -> Browser:
    browser = Browser()
    _status, page = browser.get(stack.base_url + "/login/")
    status, page = browser.submit_form(stack.base_url + "/login/", page, {"username": "erin", "password": PASSWORD})
    assert status == 200 and "Log in" not in page, page[-3000:]
    return browser


def arrivals(sink: SmtpSink, message_id: str) -> list:
    return [m for m in sink.snapshot() if m.message_id == message_id]


def test_a_held_message_is_shown_with_its_warnings_and_reaches_the_upstream_once_after_the_delay(
    relay, relay_stack, erin, upstream, smtp_sink
):
    notices_before = len(smtp_sink.snapshot())
    reply = relay.send(outgoing(message_id="<flow-1@ourco.com>"), to=["li.wei@globex.com.cn", "boss@rival-exports.com"])
    held = HeldMessage.objects.get(message_id="<flow-1@ourco.com>")
    assert re.fullmatch(rf"2\.0\.0 Held until \d\d:\d\d UTC as {held.pk}: the sender can cancel it until then", reply)
    assert held.status == Status.HELD and arrivals(upstream, held.message_id) == []

    [notice] = smtp_sink.wait_for(
        lambda msgs: [m for m in msgs[notices_before:] if "erin@ourco.com" in m.to],
        timeout=10,
        what="the notice to the sender",
    )
    assert f"{relay_stack.base_url}/incidents/held/{held.pk}/" in notice.text
    assert "boss@rival-exports.com is at Rival Exports, a competitor." in notice.text
    page = signed_in(relay_stack).get(relay_stack.base_url + "/incidents/held/")[1]
    assert "Quotation for Globex" in page and "Rival Exports, a competitor." in page and "Cancel" in page

    [arrived] = upstream.wait_for(
        lambda msgs: [m for m in msgs if m.message_id == held.message_id],
        timeout=HOLD_SECONDS + 15,
        what="the released message upstream",
    )
    # The upstream's 250 comes before the worker marks the row.
    wait_until(
        lambda: HeldMessage.objects.filter(pk=held.pk, status=Status.RELEASED).exists(),
        timeout=10,
        what="the message to be marked released",
    )
    held.refresh_from_db()
    assert sorted(arrived.to) == ["boss@rival-exports.com", "li.wei@globex.com.cn"]
    late = arrived.arrived - held.due_at.timestamp()
    assert -0.1 < late < 3, f"arrived {late:.2f} s after its due time"
    time.sleep(2)  # a second copy would come from a second sweep or a re-driven task
    assert len(arrivals(upstream, held.message_id)) == 1


def test_a_message_cancelled_on_the_page_never_reaches_the_upstream(relay, relay_stack, erin, upstream):
    relay.send(outgoing(message_id="<keep@ourco.com>"))
    relay.send(outgoing(message_id="<recall@ourco.com>", subject="Cost sheet"))
    recalled = HeldMessage.objects.get(message_id="<recall@ourco.com>")
    browser = signed_in(relay_stack)
    url = f"{relay_stack.base_url}/incidents/held/{recalled.pk}/"
    _status, page = browser.get(url)
    status, page = browser.submit_form(url + "cancel/", page)
    assert status == 200 and "Cancelled: the message will not be sent." in page

    upstream.wait_for(
        lambda msgs: [m for m in msgs if m.message_id == "<keep@ourco.com>"],
        timeout=HOLD_SECONDS + 15,
        what="the message that was not cancelled",
    )
    wait_until(lambda: timezone.now() > recalled.due_at + timezone.timedelta(seconds=2), timeout=HOLD_SECONDS + 5)
    assert arrivals(upstream, "<recall@ourco.com>") == []
    assert HeldMessage.objects.get(pk=recalled.pk).status == Status.CANCELLED


def test_a_client_outside_the_trusted_networks_without_auth_and_a_sender_who_is_no_user_are_refused(
    relay_stack, erin, print_logs_on_failure
):
    outside = Relay(relay_stack, networks="10.0.0.0/8")  # this machine's 127.0.0.1 is outside
    print_logs_on_failure(outside)
    try:
        outside.start()
        with (
            smtplib.SMTP("127.0.0.1", outside.port, timeout=30) as client,
            pytest.raises(smtplib.SMTPSenderRefused) as refused,
        ):
            client.sendmail("erin@ourco.com", ["li.wei@globex.com.cn"], outgoing(message_id="<out@ourco.com>"))
        assert (refused.value.smtp_code, refused.value.smtp_error.split(b":")[0]) == (
            530,
            b"5.7.0 Authentication required",
        )
        with smtplib.SMTP("127.0.0.1", outside.port, timeout=30) as client:
            client.login("erin", PASSWORD)  # a signed-in user may relay from anywhere
            assert (
                client.sendmail("erin@ourco.com", ["li.wei@globex.com.cn"], outgoing(message_id="<in@ourco.com>")) == {}
            )
    finally:
        outside.stop()
    inside = Relay(relay_stack)
    print_logs_on_failure(inside)
    try:
        inside.start()
        with (
            smtplib.SMTP("127.0.0.1", inside.port, timeout=30) as client,
            pytest.raises(smtplib.SMTPSenderRefused) as stranger,
        ):
            client.sendmail("stranger@example.com", ["li.wei@globex.com.cn"], outgoing(sender="stranger@example.com"))
        assert (stranger.value.smtp_code, stranger.value.smtp_error) == (
            550,
            b"5.7.1 Sender is not a Missend Desk user",
        )
    finally:
        inside.stop()
    assert list(HeldMessage.objects.values_list("message_id", flat=True)) == ["<in@ourco.com>"]
