"""An .eml file read with the email package, into a ParsedMessage."""

from __future__ import annotations

from email import policy
from email.feedparser import BytesFeedParser
from email.message import Message

from incidents.correspondence.eml import message_id as normalised_message_id
from incidents.message.charsets import decode_header_text, decode_text
from incidents.message.errors import MessageError, _
from incidents.message.headers import addresses, one_line, raw_header, raw_headers, sent_at, text_header
from incidents.message.html_text import html_to_text
from incidents.message.limits import Limits, too_deep, too_many_headers, too_many_parts
from incidents.message.message import MAX_BODY_CHARS, MAX_SUBJECT_CHARS, ParsedMessage
from incidents.message.system_guess import guess_mail_system, header_values

TNEF_TYPES = ("application/ms-tnef", "application/vnd.ms-tnef")
FEED_CHUNK = 256 * 1024
KNOWN_HEADERS = ("from", "to", "cc", "bcc", "subject", "date", "message-id", "received", "mime-version", "sender")


def load_eml(data: bytes) -> Message:
    """The message tree; the strict modern policy first, the lenient legacy one if it gives up."""
    try:
        return feed_parse(data, policy.default)
    except Exception:
        return feed_parse(data, policy.compat32)


def feed_parse(data: bytes, chosen_policy) -> Message:
    # Fed in pieces, the parser turns lines into parts as they come instead of first holding the
    # whole file as one string and again as a list of lines: a third of the peak memory.
    parser = BytesFeedParser(policy=chosen_policy)
    view = memoryview(data)
    for start in range(0, len(data), FEED_CHUNK):
        parser.feed(bytes(view[start : start + FEED_CHUNK]))
    return parser.close()


def parse_eml(data: bytes, limits: Limits) -> ParsedMessage:
    return read_message(load_eml(data), limits)


def read_message(message: Message, limits: Limits, *, source_format: str = "eml") -> ParsedMessage:
    """The report's facts from a parsed message (also an attached one)."""
    if not any(key.strip().lower() in KNOWN_HEADERS for key in message):
        raise MessageError(_("This file does not look like an email: it has no message headers."))
    warnings: list[str] = []
    charset = _param(message, "content-type", "charset")
    parts = walk(message, limits)
    sender = addresses(message, ("from",), limits, charset) or addresses(message, ("sender",), limits, charset)
    to = addresses(message, ("to",), limits, charset)
    cc = addresses(message, ("cc",), limits, charset)
    bcc = addresses(message, ("bcc",), limits, charset)
    if not (to or cc or bcc):
        raise MessageError(_("No recipients found in this message."))
    when, zone_missing = sent_at(message)
    if when is None:
        warnings.append(_("The message has no readable sent time; please enter it."))
    elif zone_missing:
        warnings.append(_("The sent time had no time zone; it was read as UTC."))
    body, body_warnings = _body(parts)
    warnings += body_warnings
    names = [name for part, _depth, _inner in parts if (name := attachment_name(part))]
    if any(name.lower() == "winmail.dat" for name in names):
        warnings.append(_("winmail.dat holds Outlook rich text and attachments that only Outlook can show."))
    domain = sender[0].address.rpartition("@")[2] if sender else ""
    return ParsedMessage(
        subject=one_line(text_header(message, "subject", charset), MAX_SUBJECT_CHARS),
        sent_at=when,
        mail_system=guess_mail_system(header_values(message, domain)),
        sender=sender[0] if sender else None,
        to=to,
        cc=cc,
        bcc=bcc,
        message_id=normalised_message_id(raw_header(message, "message-id") or "") or "",
        body=body,
        attachments=tuple(names),
        warnings=tuple(dict.fromkeys(warnings)),
        source_format=source_format,
    )


def walk(message: Message, limits: Limits) -> list[tuple[Message, int, bool]]:
    """Every part with its depth and whether it sits inside an attached message; limits enforced."""
    found: list[tuple[Message, int, bool]] = []
    stack: list[tuple[Message, int, bool]] = [(message, 0, False)]
    while stack:
        part, depth, inner = stack.pop()
        if depth > limits.max_depth:
            raise too_deep(limits.max_depth)
        found.append((part, depth, inner))
        if len(found) > limits.max_parts:
            raise too_many_parts(limits.max_parts)
        if len(part.keys()) > limits.max_headers:
            raise too_many_headers(limits.max_headers)
        if part.is_multipart():
            children = part.get_payload()
            nested = inner or part.get_content_type() == "message/rfc822"
            if isinstance(children, list):
                stack.extend((child, depth + 1, nested) for child in reversed(children) if isinstance(child, Message))
    return found


def _body(parts: list[tuple[Message, int, bool]]) -> tuple[str, list[str]]:
    """The first plain-text part of the message itself, else its first HTML part as text."""
    plain = html = None
    for part, _depth, inner in parts:
        if inner or part.is_multipart() or attachment_name(part):
            continue
        kind = part.get_content_type()
        if kind == "text/plain" and plain is None:
            plain = part
        elif kind == "text/html" and html is None:
            html = part
    warnings: list[str] = []
    text = ""
    if plain is not None:
        text, replaced = _part_text(plain)
    else:
        replaced = False
    if not text.strip() and html is not None:
        markup, replaced = _part_text(html)
        text = html_to_text(markup)
        if text:
            warnings.append(_("The HTML body was turned into text."))
    if replaced:
        warnings.append(_("The text's declared character set was wrong; it was read as best we could."))
    if len(text) > MAX_BODY_CHARS:
        text = text[:MAX_BODY_CHARS]
        warnings.append(_("The email text was shortened to fit the report."))
    return text, warnings


def _part_text(part: Message) -> tuple[str, bool]:
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        data = str(part.get_payload() or "").encode("utf-8", "surrogateescape")
    text, changed = decode_text(data, _param(part, "content-type", "charset"))
    return text.replace("\r\n", "\n"), changed


def attachment_name(part: Message) -> str:
    """The file name a mail program shows for the part, or "" when the part is not a file."""
    if part.is_multipart() and part.get_content_type() != "message/rfc822":
        return ""
    name = _param(part, "content-disposition", "filename") or _param(part, "content-type", "name")
    kind = part.get_content_type()
    if not name and kind in TNEF_TYPES:
        return "winmail.dat"
    if not name and kind == "message/rfc822":
        inner = part.get_payload(0) if isinstance(part.get_payload(), list) and part.get_payload() else None
        subject = text_header(inner, "subject", None) if inner is not None else ""
        return one_line(subject, 200) + ".eml" if subject.strip() else _("Attached message.eml")
    if not name and (part.get_content_disposition() == "attachment"):
        return _("Unnamed attachment")
    return one_line(name, 255)


def _param(part: Message, header: str, name: str) -> str:
    """A header parameter decoded from its raw text: RFC 2231 (any charset), RFC 2047, or raw 8-bit."""
    raw = raw_headers(part, header)
    if not raw:
        return ""
    scratch = Message()  # the legacy parser keeps RFC 2231 values as (charset, language, bytes)
    scratch[header] = raw[0]
    try:
        value = scratch.get_param(name, header=header)
    except Exception:
        return ""
    if isinstance(value, tuple):
        charset, _language, text = value
        return decode_text(text.encode("latin-1", "replace"), charset or "utf-8")[0]
    if not value:
        return ""
    return decode_header_text(str(value), None) if ("=?" in value or not value.isascii()) else str(value)
