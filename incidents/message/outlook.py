"""An Outlook .msg file (an OLE compound file) read with extract-msg, into a ParsedMessage."""

from __future__ import annotations

import contextlib
import io
import logging
from datetime import UTC, datetime
from email import message_from_string, policy
from email.message import Message

from incidents.core.addresses import Address
from incidents.correspondence.eml import message_id as normalised_message_id
from incidents.message.errors import MessageError, _
from incidents.message.headers import addresses, one_line, sent_at
from incidents.message.html_text import html_to_text
from incidents.message.limits import Limits, too_many_addresses, too_many_parts
from incidents.message.message import MAX_BODY_CHARS, MAX_SUBJECT_CHARS, ParsedMessage
from incidents.message.system_guess import guess_mail_system, header_values
from incidents.vocabulary import RecipientField

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
KIND_FOR_TYPE = {1: RecipientField.TO, 2: RecipientField.CC, 3: RecipientField.BCC}
# extract-msg reports every oddity of a file on its loggers; the user gets our warnings instead.
logging.getLogger("extract_msg").setLevel(logging.CRITICAL)


def parse_msg(data: bytes, limits: Limits) -> ParsedMessage:
    import extract_msg

    try:
        outlook = extract_msg.openMsg(io.BytesIO(data), strict=False, delayAttachments=True)
    except Exception:
        raise MessageError(
            _(
                "This Office file could not be read as an Outlook message; it may be damaged, or another kind of Office document."
            )
        ) from None
    try:
        return _read(outlook, limits)
    finally:
        with contextlib.suppress(Exception):
            outlook.close()


def _read(outlook, limits: Limits) -> ParsedMessage:
    warnings: list[str] = []
    header = _transport_header(outlook)
    recipients = list(getattr(outlook, "recipients", None) or [])
    if len(recipients) > 3 * limits.max_addresses:
        raise too_many_addresses(limits.max_addresses)
    fields: dict[str, list[Address]] = {field: [] for field in RecipientField}
    seen: set[str] = set()
    for recipient in recipients:
        address = (_text(getattr(recipient, "smtpAddress", None)) or _text(recipient.email)).strip().lower()
        if "@" not in address or address in seen:
            continue
        seen.add(address)
        kind = KIND_FOR_TYPE.get(int(getattr(recipient, "type", 1) or 1), RecipientField.TO)
        fields[kind].append(Address(address, one_line(_text(recipient.name), 200)))
    if header is not None and not any(fields.values()):
        for kind in fields:
            fields[kind] = list(addresses(header, (kind,), limits, None))
    if not any(fields.values()):
        raise MessageError(_("No recipients found in this message."))
    sender = _sender(outlook, header, limits)
    when = getattr(outlook, "date", None)
    if not isinstance(when, datetime):
        when = None
    if header is not None and when is None:
        when, _missing = sent_at(header)
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    if when is None:
        warnings.append(_("The message has no readable sent time; please enter it."))
    body = _text(getattr(outlook, "body", None))
    if not body.strip():
        html = getattr(outlook, "htmlBody", None)
        if html:
            body = html_to_text(html.decode("utf-8", "replace") if isinstance(html, bytes) else str(html))
            warnings.append(_("The HTML body was turned into text."))
    body = tidy_body(body)
    if len(body) > MAX_BODY_CHARS:
        body = body[:MAX_BODY_CHARS]
        warnings.append(_("The email text was shortened to fit the report."))
    attachments = list(getattr(outlook, "attachments", None) or [])
    if len(attachments) > limits.max_parts:
        raise too_many_parts(limits.max_parts)
    domain = sender.address.rpartition("@")[2] if sender else ""
    return ParsedMessage(
        subject=one_line(_text(outlook.subject), MAX_SUBJECT_CHARS),
        sent_at=when,
        mail_system=guess_mail_system(header_values(header, domain)) if header is not None else None,
        sender=sender,
        to=tuple(fields[RecipientField.TO]),
        cc=tuple(fields[RecipientField.CC]),
        bcc=tuple(fields[RecipientField.BCC]),
        message_id=normalised_message_id(_text(getattr(outlook, "messageId", None))) or "",
        body=body,
        attachments=tuple(name for name in (_attachment_name(a) for a in attachments) if name),
        warnings=tuple(dict.fromkeys(warnings)),
        source_format="msg",
    )


def tidy_body(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\x00", "").strip()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _transport_header(outlook) -> Message | None:
    """The internet headers Outlook kept (received messages and some sent ones), parsed."""
    raw = _text(outlook.getStringStream("__substg1.0_007D")) if hasattr(outlook, "getStringStream") else ""
    if not raw.strip():
        return None
    return message_from_string(raw.replace("\r\n", "\n"), policy=policy.compat32)


def _sender(outlook, header: Message | None, limits: Limits) -> Address | None:
    stream = getattr(outlook, "getStringStream", lambda _name: None)
    name = one_line(_text(stream("__substg1.0_0C1A")), 200)
    for candidate in (stream("__substg1.0_5D01"), stream("__substg1.0_0C1F"), stream("__substg1.0_0065")):
        address = _text(candidate).strip().lower()
        if "@" in address and " " not in address:
            return Address(address, name)
    if header is not None:
        found = addresses(header, ("from",), limits, None)
        if found:
            return found[0]
    return None


def _attachment_name(attachment) -> str:
    for attribute in ("longFilename", "shortFilename", "displayName", "name"):
        value = _text(getattr(attachment, attribute, None)).strip()
        if value:
            return one_line(value, 255)
    inner = getattr(attachment, "data", None)
    subject = _text(getattr(inner, "subject", None))
    return one_line(subject, 200) + ".msg" if subject else _("Attached message.msg")
