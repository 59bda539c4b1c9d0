"""Forward to the desk: the SMTP/LMTP receiver (in-process, on a free port, spoken to with smtplib) and
the Authentication-Results rules (the prefilled form it links to: test_pending_report_form.py)."""

from __future__ import annotations

import asyncio
import logging
import re
import smtplib
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.core import mail

from incidents.desk.auth import parse_authentication_results, sender_authenticated, trusted_results
from incidents.desk.server import DeskController, DeskHandler
from incidents.models import PendingReport, Profile
from tests.factories import UserFactory
from tests.integration.processes import free_port
from tests.support_messages import DESK, SENT_AT, forward


@pytest.fixture
def desk_settings(settings):
    settings.MISSEND_MAILIN_ADDRESSES = [DESK]
    settings.MISSEND_MAILIN_REQUIRE_AUTH = False
    settings.MISSEND_MAILIN_AUTHSERV_ID = "mx.ourco.com"
    settings.MISSEND_MAILIN_AUTH_METHODS = ["dmarc", "spf"]
    settings.SITE_URL = "http://desk.example"
    return settings


def _receiver(lmtp: bool):
    # The receiver's thread has its own database connection: the tests' rows must be committed.
    controller = DeskController(host="127.0.0.1", port=free_port(), lmtp=lmtp)
    controller.start()
    return controller


@pytest.fixture
def receiver(desk_settings, transactional_db):
    controller = _receiver(lmtp=False)
    yield controller
    controller.stop()


@pytest.fixture
def erin(transactional_db):
    return UserFactory(username="erin", first_name="Erin")


def send(receiver, data: bytes, *, mail_from: str = "erin@ourco.com", to: str = DESK) -> dict:
    with smtplib.SMTP("127.0.0.1", receiver.port, timeout=30) as client:
        return client.sendmail(mail_from, [to], data)


def test_a_forward_from_a_known_user_becomes_their_pending_report_and_they_get_the_link(receiver, erin):
    send(receiver, forward())

    [pending] = PendingReport.objects.all()
    assert (pending.owner, pending.source, pending.completed_at) == (erin, "forwarded", None)
    # The inner (mis-sent) message fills the report, not the forward around it.
    assert pending.fields["subject"] == "Quotation Q-7 for Acme"
    assert datetime.fromisoformat(pending.fields["sent_at"]) == SENT_AT
    assert "li.wei@globex.com.cn" in pending.fields["to_recipients"]
    [sent] = mail.outbox
    link = f"http://desk.example/incidents/pending/{pending.pk}/"
    assert sent.to == ["erin@ourco.com"]
    assert "Quotation Q-7 for Acme" in sent.subject
    assert link in sent.body
    [(html, mimetype)] = sent.alternatives
    assert mimetype == "text/html" and f'href="{link}"' in html


def test_the_sending_address_bound_to_a_user_counts_as_theirs_in_any_case(receiver, erin):
    Profile.objects.create(user=erin, sending_address="Erin.Export@OurCo.com")

    send(receiver, forward(sender="erin.export@ourco.com"), mail_from="ERIN.EXPORT@ourco.com")

    assert PendingReport.objects.get().owner == erin


@pytest.mark.parametrize(
    "mail_from, active, expected",
    [
        ("stranger@example.com", True, "Sender is not a Missend Desk user"),
        ("erin@ourco.com", False, "Sender is not a Missend Desk user"),
        ("", True, "Sender is not a Missend Desk user"),  # a bounce
    ],
)
def test_a_sender_who_is_not_an_active_user_is_refused_at_mail_from(receiver, erin, mail_from, active, expected):
    erin.is_active = active
    erin.save()

    with pytest.raises(smtplib.SMTPSenderRefused) as refused:
        send(receiver, forward(sender=mail_from or "erin@ourco.com"), mail_from=mail_from)

    assert refused.value.smtp_code == 550
    assert expected in refused.value.smtp_error.decode()
    assert not PendingReport.objects.exists() and not mail.outbox


def test_a_from_header_of_someone_else_is_refused(receiver, erin):
    UserFactory(username="olaf")

    with pytest.raises(smtplib.SMTPDataError) as refused:
        send(receiver, forward(sender="olaf@ourco.com"))

    assert refused.value.smtp_code == 550
    assert b"5.7.1" in refused.value.smtp_error
    assert not PendingReport.objects.exists()


def test_only_the_desk_address_is_accepted(receiver, erin):
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        send(receiver, forward(), to="sales@localhost")

    [(code, text)] = refused.value.recipients.values()
    assert (code, text) == (550, b"5.1.1 no such mailbox here")


def test_a_forward_without_an_attached_message_is_refused_with_what_to_do(receiver, erin):
    with pytest.raises(smtplib.SMTPDataError) as refused:
        send(receiver, forward(attach=False))

    assert refused.value.smtp_code == 554
    assert b"forward the mis-sent email as an attachment" in refused.value.smtp_error
    assert not PendingReport.objects.exists() and not mail.outbox


@pytest.mark.parametrize("announce_size", [True, False], ids=["SIZE at MAIL FROM", "counted during DATA"])
def test_a_message_over_the_limit_is_refused_as_too_big(receiver, erin, desk_settings, announce_size):
    data = forward()
    desk_settings.MISSEND_MAILIN_MAX_BYTES = len(data) // 2

    with smtplib.SMTP("127.0.0.1", receiver.port, timeout=30) as client:
        client.ehlo()
        code, text = client.mail("erin@ourco.com", [f"SIZE={len(data)}"] if announce_size else [])
        if code == 250:
            client.rcpt(DESK)
            code, text = client.data(data)

    assert (code, text) == (552, b"5.3.4 Message too big")
    assert not PendingReport.objects.exists()


TRUSTED = "mx.ourco.com"


@pytest.mark.parametrize(
    "results, accepted",
    [
        ([], False),
        ([f"{TRUSTED}; dmarc=pass (p=reject) header.from=ourco.com"], True),
        ([f"{TRUSTED}; spf=pass smtp.mailfrom=erin@ourco.com; dmarc=none"], True),
        ([f"{TRUSTED}; dmarc=fail header.from=ourco.com; spf=softfail smtp.mailfrom=ourco.com"], False),
        # A pass for another domain says nothing about this sender.
        ([f"{TRUSTED}; dmarc=pass header.from=elsewhere.example"], False),
        # Only the trusted server's verdict counts, and its topmost header is its own.
        (["mx.elsewhere.example; dmarc=pass header.from=ourco.com"], False),
        ([f"{TRUSTED}; dmarc=fail header.from=ourco.com", f"{TRUSTED}; dmarc=pass header.from=ourco.com"], False),
    ],
)
def test_when_required_the_trusted_servers_authentication_results_must_pass(
    receiver, erin, desk_settings, results, accepted
):
    desk_settings.MISSEND_MAILIN_REQUIRE_AUTH = True
    data = b"".join(f"Authentication-Results: {v}\n".encode() for v in results) + forward()

    if accepted:
        send(receiver, data)
        assert PendingReport.objects.filter(owner=erin).count() == 1
    else:
        with pytest.raises(smtplib.SMTPDataError) as refused:
            send(receiver, data)
        assert refused.value.smtp_code == 550
        assert b"not authenticated" in refused.value.smtp_error
        assert not PendingReport.objects.exists()


def test_lmtp_answers_each_desk_recipient(desk_settings, erin):
    desk_settings.MISSEND_MAILIN_ADDRESSES = [DESK, "missend@localhost"]
    controller = _receiver(lmtp=True)
    try:
        with smtplib.LMTP("127.0.0.1", controller.port, timeout=30) as client:
            client.ehlo_or_helo_if_needed()
            client.mail("erin@ourco.com")
            client.rcpt(DESK)
            client.rcpt("missend@localhost")
            # RFC 2033: one reply after DATA per accepted recipient (smtplib's sendmail reads only the first).
            replies = [client.data(forward()), client.getreply()]
    finally:
        controller.stop()

    assert [code for code, _text in replies] == [250, 250]
    assert PendingReport.objects.filter(owner=erin).count() == 1


def test_when_the_link_cannot_be_emailed_the_sender_is_told_to_retry_and_nothing_is_kept(
    receiver, erin, desk_settings, caplog
):
    desk_settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    desk_settings.EMAIL_HOST, desk_settings.EMAIL_PORT, desk_settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 5

    with caplog.at_level(logging.ERROR, logger="incidents.desk"), pytest.raises(smtplib.SMTPDataError) as refused:
        send(receiver, forward())

    assert refused.value.smtp_code == 451
    assert not PendingReport.objects.exists()
    assert "Could not take the forward from <erin@ourco.com>" in caplog.text


def test_an_error_in_a_session_becomes_a_451_with_a_log_line(caplog):
    # In a thread of its own: after a browser test, this thread has Playwright's event loop running,
    # and asyncio.run() refuses to start another one beside it.
    from concurrent.futures import ThreadPoolExecutor

    with caplog.at_level(logging.ERROR, logger="incidents.desk"), ThreadPoolExecutor(1) as thread:
        reply = thread.submit(asyncio.run, DeskHandler().handle_exception(RuntimeError("disk full"))).result()

    assert reply.startswith("451 4.3.0 ")
    assert "disk full" in caplog.text


@pytest.mark.parametrize(
    "header, authserv_id, results",
    [
        (
            "mx.ourco.com; dmarc=pass (p=none dis=none) header.from=ourco.com",
            "mx.ourco.com",
            [("dmarc", "pass", {"header.from": "ourco.com"})],
        ),
        (
            'MX.OurCo.com 1; spf=pass smtp.mailfrom=erin@ourco.com; dkim/1=fail reason="bad; sig" header.d=ourco.com',
            "mx.ourco.com",
            [
                ("spf", "pass", {"smtp.mailfrom": "erin@ourco.com"}),
                ("dkim", "fail", {"reason": "bad; sig", "header.d": "ourco.com"}),
            ],
        ),
        ("mx.ourco.com (the (nested) comment); none", "mx.ourco.com", []),
    ],
)
def test_authentication_results_headers_are_read_per_rfc_8601(header, authserv_id, results):
    parsed = parse_authentication_results(header)

    assert parsed.authserv_id == authserv_id
    assert [(r.method, r.result, r.properties) for r in parsed.results] == results


def test_a_pass_is_for_the_senders_own_domain_only():
    results = trusted_results(["mx.ourco.com; spf=pass smtp.mailfrom=bounce@mailer.example"], "mx.ourco.com")

    assert not sender_authenticated(
        results, methods=["spf"], header_from="erin@ourco.com", envelope_from="erin@ourco.com"
    )
    assert sender_authenticated(
        results, methods=["spf"], header_from="erin@ourco.com", envelope_from="bounce@mailer.example"
    )
    assert not sender_authenticated(
        results, methods=["dmarc"], header_from="erin@ourco.com", envelope_from="bounce@mailer.example"
    )


def test_the_readmes_snippet_forwards_a_message_as_written(desk_settings, transactional_db, capsys):
    """The README's Python snippet, run as printed against a receiver (only the port is this test's)."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    section = readme.split("## Forward to the desk", 1)[1].split("\n## ", 1)[0]
    snippet = re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)
    employee = UserFactory(username="employee")
    controller = _receiver(lmtp=False)
    try:
        exec(compile(snippet.replace("8025", str(controller.port)), "README.md", "exec"), {})
    finally:
        controller.stop()

    assert capsys.readouterr().out.strip() == "{}"
    assert PendingReport.objects.get().owner == employee


def test_warnings_on_a_forward_are_kept_in_the_owners_language(receiver, erin):
    from django.utils import translation

    Profile.objects.create(user=erin, language="zh-hans")
    undated = EmailMessage()
    undated["From"] = "erin@ourco.com"
    undated["To"] = "li.wei@globex.com.cn"
    undated["Subject"] = "Quotation Q-8 for Acme"
    undated.set_content("Unit price USD 9.50")
    outer = EmailMessage()
    outer["From"], outer["To"], outer["Subject"] = "erin@ourco.com", DESK, "Fwd: Quotation Q-8"
    outer.set_content("Wrong client.")
    outer.add_attachment(undated)

    with translation.override("en"):  # whatever the receiving process runs in
        send(receiver, outer.as_bytes())

    with translation.override("zh-hans"):
        expected = translation.gettext("The message has no readable sent time; please enter it.")
    assert expected != "The message has no readable sent time; please enter it."
    assert PendingReport.objects.get().warnings == [expected]
