"""Messages as mail programs send them, for the tests of what reads them: a message going out through the relay,
the sender's own copy of a sent quote, a forward to the desk, and a saved draft."""

from __future__ import annotations

import email.policy
from datetime import UTC, datetime, timedelta
from datetime import timezone as dt_timezone
from email.message import EmailMessage
from email.utils import format_datetime

DESK = "desk@localhost"  # the desk's address that forwards are sent to
SENT = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # when sent_message() was sent
SENT_AT = datetime(2025, 3, 4, 9, 30, tzinfo=dt_timezone(timedelta(hours=8)))  # when forward()'s original was sent


def outgoing(
    *,
    sender="erin@ourco.com",
    to="li.wei@globex.com.cn",
    cc=None,
    subject="Quotation for Globex",
    body="Dear Li Wei,\n\nOur cost is USD 2.90, so USD 3.50 leaves our margin intact.\n",
    message_id="<q-1@ourco.com>",
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    if cc:
        message["Cc"] = cc
    message["Subject"] = subject
    message["Date"] = "Tue, 01 Dec 2026 09:30:00 +0800"
    if message_id:
        message["Message-ID"] = message_id
    message.set_content(body)
    return message.as_bytes(policy=email.policy.SMTP)  # CRLF, as mail programs send it


def sent_message(
    *,
    subject="Quotation Q-77 for Acme Trading",
    sent=SENT,
    to="Li Wei <li.wei@globex.com.cn>",
    cc="",
    bcc="",
    mailer="",
    body=None,
    attachment="Quotation_Q-77.pdf",
) -> bytes:
    """The sender's own copy of a quote meant for Acme Trading that went to Globex instead."""
    message = EmailMessage()
    message["From"] = "Erin Export <erin@ourco.com>"
    message["To"] = to
    for header, value in (("Cc", cc), ("Bcc", bcc), ("X-Mailer", mailer)):
        if value:
            message[header] = value
    message["Subject"] = subject
    message["Date"] = format_datetime(sent)
    message["Message-ID"] = "<q77.1@mail.ourco.com>"
    message.set_content(body or "Dear Acme Trading team,\n\nplease find our quotation: unit price USD 9.50.\n")
    if attachment:
        message.add_attachment(b"%PDF-1.4 quote", maintype="application", subtype="pdf", filename=attachment)
    return message.as_bytes()


def mis_sent_message() -> EmailMessage:
    original = EmailMessage()
    original["From"] = "Erin <erin@ourco.com>"
    original["To"] = "Li Wei <li.wei@globex.com.cn>"
    original["Cc"] = "sales@ourco.com"
    original["Subject"] = "Quotation Q-7 for Acme"
    original["Date"] = format_datetime(SENT_AT)
    original["Message-ID"] = "<q7.1@ourco.com>"
    original.set_content("Dear buyer, our unit price is USD 12.50 FOB Shanghai.")
    return original


def forward(*, sender: str = "erin@ourco.com", attach: bool = True, headers: dict | None = None) -> bytes:
    """The way Outlook and Gmail "Forward as attachment": the original as a message/rfc822 part."""
    outer = EmailMessage()
    for name, value in (headers or {}).items():
        outer[name] = value
    outer["From"] = sender
    outer["To"] = DESK
    outer["Subject"] = "Fwd: Quotation Q-7 for Acme"
    outer.set_content("I sent this to the wrong client.")
    if attach:
        outer.add_attachment(mis_sent_message())
    return outer.as_bytes()


def saved_draft(**headers) -> bytes:
    message = EmailMessage()
    message["From"] = "erin@ourco.com"
    message["To"] = headers.get("to", "Jane <buyer@acme-trading.com>")
    message["Cc"] = "sales@rival-exports.com"
    message["Subject"] = "报价单：PVC管"
    message.set_content("王经理您好，附件是报价单，PVC管 USD 1.80/米。")
    return message.as_bytes()
