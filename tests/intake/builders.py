"""Messages built with Python's email package, as a sender's mail program would write them."""

from __future__ import annotations

import base64
from email import policy
from email.header import Header
from email.headerregistry import Address as HeaderAddress
from email.message import EmailMessage
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.mime.text import MIMEText


def simple(
    subject="Quotation for March",
    body="Unit price USD 12.50",
    *,
    to="bob@acme-trading.com",
    headers: dict | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = HeaderAddress("Alice Wong", addr_spec="alice@ourco.com")
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = "Tue, 01 Jul 2025 10:00:00 +0800"
    message["Message-ID"] = "<quote-1@ourco.com>"
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    return message.as_bytes()


def legacy(
    subject: str,
    body: str,
    charset: str,
    *,
    attachment: tuple[str, str] | None = None,
    from_name: str = "王小明",
    raw_body: bool = False,
) -> bytes:
    """A message whose subject, names and body are in charset (legacy MIME classes keep it as is)."""
    outer = MIMEMultipart()
    outer["From"] = f"{Header(from_name, charset).encode()} <xiaoming@ourco.com>"
    outer["To"] = f"{Header('李四', charset).encode()} <lisi@acme-trading.com>"
    outer["Subject"] = Header(subject, charset).encode()
    outer["Date"] = "Wed, 02 Jul 2025 09:30:00 +0800"
    if raw_body:
        # The email package re-encodes Shift_JIS and EUC-JP as ISO-2022-JP; Windows mail does not.
        text = MIMENonMultipart("text", "plain", charset=charset)
        text.set_payload(base64.encodebytes(body.encode(charset)).decode("ascii"))
        text["Content-Transfer-Encoding"] = "base64"
        outer.attach(text)
    else:
        outer.attach(MIMEText(body, "plain", charset))
    if attachment is not None:
        name, name_charset = attachment
        part = MIMEApplication(b"%PDF-1.4 ...", "pdf")
        part.add_header("Content-Disposition", "attachment", filename=(name_charset, "", name))
        outer.attach(part)
    return outer.as_bytes(policy=policy.compat32)
