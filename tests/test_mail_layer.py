"""The mail layer (incidents/platform/mail.py), the one way an email leaves: each reader's language, links
from SITE_URL, what it refuses, its one log line per message, and a failure raised to the caller."""

from __future__ import annotations

import logging
import smtplib

import pytest
from django.core import mail as outbox
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import translation

from incidents.models import Notification, Profile
from incidents.notifications import services as notifications
from incidents.platform import mail
from tests.factories import UserFactory, file_incident

PENDING = "notifications/pending_report"
CONTEXT = {"recipient_name": "Wang", "subject": "Quotation Q-7", "pending_id": 7}
LINKS = {"complete_url": "/incidents/pending/7/"}
WRITTEN = mail.Written("drafts/apology", "Sorry", "Body text that never reaches the log")


class RefusingBackend(BaseEmailBackend):
    """A mail server that hangs up, and remembers the timeout it was opened with."""

    timeouts: list = []

    def __init__(self, timeout=None, **kwargs):
        super().__init__(**kwargs)
        RefusingBackend.timeouts.append(timeout)

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def mail_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "incidents.mail"]


@pytest.mark.parametrize(
    "language, active, subject",
    [
        ("zh-hans", "en", "请完成报告：Quotation Q-7"),
        ("en", "zh-hans", "Complete your report: Quotation Q-7"),
        ("", "zh-hans", "Complete your report: Quotation Q-7"),  # no language of their own: the site's (en)
    ],
)
@pytest.mark.usefixtures("zh_catalogue")
def test_a_template_is_written_in_its_readers_language_not_the_active_one(settings, language, active, subject):
    settings.SITE_URL = "http://desk.example/"
    with translation.override(active):
        mail.send(PENDING, to=mail.MailReader("wang@ourco.com", language), context=CONTEXT, links=LINKS)
        assert translation.get_language() == active  # and the caller's language is left as it was
    [sent] = outbox.outbox
    assert sent.subject == subject and sent.to == ["wang@ourco.com"]
    assert "http://desk.example/incidents/pending/7/" in sent.body  # SITE_URL's trailing slash dropped


@pytest.mark.usefixtures("zh_catalogue")
def test_a_user_is_written_to_in_the_language_they_chose(db):
    wang = UserFactory(username="wang")
    Profile.objects.create(user=wang, language="zh-hans")
    assert mail.reader(wang) == mail.MailReader(wang.email, "zh-hans")
    assert mail.reader(wang, "elsewhere@ourco.com") == mail.MailReader("elsewhere@ourco.com", "zh-hans")
    built_in = []
    with translation.override("en"):
        mail.send(
            PENDING,
            to=mail.reader(wang),
            context=lambda: built_in.append(translation.get_language()) or CONTEXT,  # words in the reader's language
            links=LINKS,
        )
    assert built_in == ["zh-hans"] and outbox.outbox[0].subject.startswith("请完成报告")


@pytest.mark.parametrize(
    "message, fields, why",
    [
        (mail.Written("drafts/apology", "Sorry\r\nBcc: eve@rival-exports.com", "x"), {}, "subject"),
        (mail.Written("drafts/apology", "Sorry\nagain", "x"), {}, "subject"),
        (WRITTEN, {"to": [mail.MailReader("a@ourco.com, b@ourco.com")]}, "To must name one address"),
        (WRITTEN, {"to": [mail.MailReader("a@ourco.com; b@ourco.com")]}, "To must name one address"),
        (WRITTEN, {"to": [mail.MailReader("a@ourco.com\r\nBcc: eve@x.com")]}, "To must name one address"),
        (WRITTEN, {"to": [mail.MailReader("not an address")]}, "To must name one address"),
        (WRITTEN, {"cc": [mail.MailReader("a@ourco.com, b@ourco.com")]}, "Cc must name one address"),
        (WRITTEN, {"sender": "a@ourco.com, b@ourco.com"}, "From must name one address"),
        (WRITTEN, {"headers": {"Bcc": "eve@rival-exports.com"}}, "does not set the Bcc header"),
        (WRITTEN, {"headers": {"In-Reply-To": "<a@b>\r\nBcc: eve@x.com"}}, "In-Reply-To header must be one line"),
        (PENDING, {"to": [mail.MailReader("a@ourco.com", "en"), mail.MailReader("b@ourco.com", "zh-hans")]}, "one"),
    ],
)
def test_what_the_layer_refuses_is_never_sent_and_is_logged(caplog, message, fields, why):
    fields = {"to": [mail.MailReader("li.wei@globex.com.cn")], **fields}
    with caplog.at_level(logging.INFO, logger="incidents.mail"), pytest.raises(mail.MailRefused) as refused:
        mail.send(message, context=CONTEXT, **fields)
    assert why in str(refused.value)
    assert isinstance(refused.value, ValueError)  # the draft pages answer "Not sent: ..." to a ValueError
    assert not outbox.outbox
    [line] = mail_lines(caplog)
    assert ": refused (MailRefused: " in line


@pytest.mark.parametrize(
    "message, fields, line",
    [
        (PENDING, {"to": mail.MailReader("wang@ourco.com", "en")}, f"email {PENDING} to 1 recipient(s): sent"),
        (
            WRITTEN,
            {"to": [mail.MailReader("a@globex.com.cn")], "cc": [mail.MailReader("b@globex.com.cn")]},
            "email drafts/apology to 2 recipient(s): sent",
        ),
    ],
)
def test_one_log_line_per_message_names_the_template_and_the_count_never_the_body(caplog, message, fields, line):
    with caplog.at_level(logging.INFO, logger="incidents.mail"):
        mail.send(message, context=CONTEXT, links=LINKS, **fields)
    assert mail_lines(caplog) == [line]
    assert "never reaches the log" not in caplog.text and "Quotation Q-7" not in caplog.text


def test_headers_and_the_sender_reach_the_message(db):
    headers = {"Message-ID": "<missend.n1@localhost>", "In-Reply-To": "<q@ourco.com>", "X-Missend-Incident": "1"}
    mail.send(WRITTEN, to=[mail.MailReader("a@globex.com.cn")], sender="erin@ourco.com", headers=headers)
    [sent] = outbox.outbox
    assert sent.from_email == "erin@ourco.com" and sent.extra_headers == headers and sent.alternatives == []


def test_a_failed_send_is_logged_and_raised_to_the_caller(settings, caplog):
    settings.EMAIL_BACKEND = "tests.test_mail_layer.RefusingBackend"
    settings.EMAIL_TIMEOUT = 7
    RefusingBackend.timeouts.clear()
    with caplog.at_level(logging.INFO, logger="incidents.mail"), pytest.raises(smtplib.SMTPServerDisconnected):
        mail.send(PENDING, to=mail.MailReader("wang@ourco.com", "en"), context=CONTEXT, links=LINKS)
    assert RefusingBackend.timeouts == [7]  # opened with EMAIL_TIMEOUT
    assert mail_lines(caplog) == [
        f"email {PENDING} to 1 recipient(s): failed (SMTPServerDisconnected: Connection unexpectedly closed)"
    ]


def test_the_caller_records_the_failure_it_is_handed(settings, directory, employee, manager):
    settings.EMAIL_BACKEND = "tests.test_mail_layer.RefusingBackend"
    incident = file_incident(employee, attachments=["Quotation_Q-1.pdf"])
    claim = Notification.objects.get(incident=incident, recipient=manager, channel="email")
    assert notifications.deliver(claim.pk) == "retry"
    claim.refresh_from_db()
    assert (claim.status, claim.last_error) == ("pending", "SMTPServerDisconnected: Connection unexpectedly closed")
