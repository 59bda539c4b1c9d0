"""`manage.py receive_mail` as a real process: a forward from a known user over SMTP becomes their pending
report and the link reaches them by email; a stranger is refused; SIGTERM stops it cleanly."""

from __future__ import annotations

import os
import re
import secrets
import signal
import smtplib
import sys
from types import SimpleNamespace

import pytest

from incidents.models import PendingReport
from tests.factories import PASSWORD, UserFactory
from tests.integration.processes import Process, free_port
from tests.integration.stack import _NOT_INHERITED, Browser
from tests.support_messages import DESK, forward

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def receiver(database_url, smtp_sink, tmp_path, print_logs_on_failure):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED and not k.startswith("MISSEND_")}
    env.update(
        DJANGO_SETTINGS_MODULE="project.settings",
        DATABASE_URL=database_url,
        MISSEND_VAR_DIR=str(tmp_path),
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_sink.port),
        SITE_URL="http://desk.example",
        MISSEND_MAILIN_ADDRESSES=DESK,
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="0",
        HTTPS="0",
        PYTHONUNBUFFERED="1",
    )
    process = Process(
        "receive_mail",
        [sys.executable, "manage.py", "receive_mail", "--port", str(port)],
        env=env,
        log_path=tmp_path / "receive_mail.log",
    ).start()
    process.port = port
    print_logs_on_failure(SimpleNamespace(logs=lambda: f"--- receive_mail ---\n{process.log()[-3000:]}"))
    try:
        process.wait_for_log(rf"Receiving mail for {DESK} on 127\.0\.0\.1:{port} \(SMTP\)", timeout=60)
        yield process
    finally:
        process.stop()


def test_a_forward_from_a_known_user_becomes_a_pending_report_and_a_stranger_is_refused(receiver, smtp_sink):
    erin = UserFactory(username="erin")
    before = len(smtp_sink.snapshot())  # the sink serves the whole module

    with smtplib.SMTP("127.0.0.1", receiver.port, timeout=30) as client:
        client.sendmail("erin@ourco.com", [DESK], forward())
        with pytest.raises(smtplib.SMTPSenderRefused) as refused:
            client.sendmail("stranger@example.com", [DESK], forward(sender="stranger@example.com"))

    [pending] = PendingReport.objects.all()
    assert pending.owner == erin and pending.fields["subject"] == "Quotation Q-7 for Acme"
    assert (refused.value.smtp_code, refused.value.smtp_error) == (550, b"5.7.1 Sender is not a Missend Desk user")
    [link_email] = smtp_sink.wait_for(
        lambda msgs: [m for m in msgs[before:] if "erin@ourco.com" in m.to], timeout=10, what="the email with the link"
    )
    assert f"http://desk.example/incidents/pending/{pending.pk}/" in link_email.text

    os.killpg(receiver.popen.pid, signal.SIGTERM)
    assert receiver.popen.wait(timeout=15) == 0
    assert "Mail receiver stopped." in receiver.log()


def test_the_emailed_link_opens_the_prefilled_form_and_files_the_incident(receiver, smtp_sink, stack, people, settings):
    """Through the whole stack: forward, email, sign in, open the link, submit, see the incident."""
    # The web server checks passwords with the real settings' hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    people["reporter"].set_password(PASSWORD)
    people["reporter"].save()
    before = len(smtp_sink.snapshot())  # the sink serves the whole module
    with smtplib.SMTP("127.0.0.1", receiver.port, timeout=30) as client:
        client.sendmail(people["reporter"].email, [DESK], forward(sender=people["reporter"].email))
    [link_email] = smtp_sink.wait_for(
        lambda msgs: [m for m in msgs[before:] if people["reporter"].email in m.to and "/pending/" in m.text],
        timeout=10,
        what="the email with the link",
    )
    path = re.search(r"http://desk\.example(/incidents/pending/\d+/)", link_email.text).group(1)

    browser = Browser()
    status, page = browser.get(stack.base_url + "/login/")
    status, page = browser.submit_form(stack.base_url + "/login/", page, {"username": "erin", "password": PASSWORD})
    assert status == 200 and "Log in" not in page, page[-3000:]
    status, page = browser.get(stack.base_url + path)
    assert status == 200 and 'value="Quotation Q-7 for Acme"' in page, page[-6000:]
    sent_at = re.search(r'name="sent_at" value="([^"]+)"', page).group(1)
    status, page = browser.submit_form(
        stack.base_url + path,
        page,
        {
            "subject": "Quotation Q-7 for Acme",
            "sent_at": sent_at,
            "mail_system": "gmail",
            "sender": "erin@ourco.com",
            "to_recipients": "li.wei@globex.com.cn",
            "intended_recipients": "buyer@acme-trading.com",
            "problems": "wrong_recipient",
            "recipient_status": "unknown",
        },
    )

    assert status == 200 and "Report filed and assessed." in page
    pending = PendingReport.objects.get()
    assert pending.completed_incident.reporter == people["reporter"]
