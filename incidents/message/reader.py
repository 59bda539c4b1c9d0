"""The entry points: any uploaded bytes in, a ParsedMessage or a MessageError out."""

from __future__ import annotations

from email import policy
from email.message import Message

from incidents.message.errors import MessageError, _, gettext_noop
from incidents.message.limits import Limits, check_size, prescan
from incidents.message.message import ParsedMessage
from incidents.message.outlook import OLE_MAGIC, parse_msg
from incidents.message.parsing import attachment_name, feed_parse, load_eml, read_message, walk

# What a file that is not an email most likely is, from its first bytes.
NOT_EMAIL = (
    (b"%PDF-", gettext_noop("This looks like a PDF, not an email.")),
    (b"PK\x03\x04", gettext_noop("This looks like a ZIP archive or a Word/Excel document, not an email.")),
    (b"\x89PNG", gettext_noop("This looks like an image, not an email.")),
    (b"\xff\xd8\xff", gettext_noop("This looks like an image, not an email.")),
    (b"GIF8", gettext_noop("This looks like an image, not an email.")),
    (b"{\\rtf", gettext_noop("This looks like a rich-text (RTF) document, not an email.")),
    (b"\x1f\x8b", gettext_noop("This looks like a compressed archive, not an email.")),
    (b"Rar!", gettext_noop("This looks like a compressed archive, not an email.")),
    (b"7z\xbc\xaf", gettext_noop("This looks like a compressed archive, not an email.")),
)
_WEB_PAGE = (b"<!doctype html", b"<html")
MESSAGE_FILE_SUFFIXES = (".eml", ".msg")


def parse_message(
    data: bytes, *, filename: str = "", max_bytes: int | None = None, limits: Limits | None = None
) -> ParsedMessage:
    """An .eml or Outlook .msg file (told apart by content, not by filename) as plain facts."""
    limits = limits or Limits.from_settings(max_bytes=max_bytes)
    try:
        return _parse(data if isinstance(data, bytes) else bytes(data), limits)
    except MessageError:
        raise
    except RecursionError:
        raise MessageError(_("The message nests parts too deeply; it cannot be read safely.")) from None
    except Exception:
        raise MessageError(_("This file could not be read as an email; it may be damaged.")) from None


def forwarded_message(data: bytes, *, limits: Limits | None = None) -> ParsedMessage:
    """The message forwarded as an attachment inside data (an attached message, .eml or .msg file)."""
    limits = limits or Limits.from_settings()
    try:
        outer = _load_checked(bytes(data), limits)
        for part, _depth, _inner in walk(outer, limits):
            found = _attached(part, limits)
            if found is not None:
                return found
    except MessageError:
        raise
    except Exception:
        raise MessageError(_("This file could not be read as an email; it may be damaged.")) from None
    raise MessageError(_("No forwarded message was found: forward the email as an attachment."))


def _attached(part: Message, limits: Limits) -> ParsedMessage | None:
    if part.get_content_type() == "message/rfc822":
        payload = part.get_payload()
        if isinstance(payload, list) and payload and isinstance(payload[0], Message):
            return read_message(payload[0], limits)
        return None
    name = attachment_name(part).lower()
    if name.endswith(MESSAGE_FILE_SUFFIXES) or part.get_content_type() == "application/vnd.ms-outlook":
        content = part.get_payload(decode=True)
        if isinstance(content, bytes) and content:
            return _parse(content, limits)
    return None


def _sniff(data: bytes) -> None:
    if not data.strip():
        raise MessageError(_("The file is empty."))
    for magic, sentence in NOT_EMAIL:
        if data.startswith(magic):
            raise MessageError(_(sentence))
    if data[:200].lstrip().lower().startswith(_WEB_PAGE):
        raise MessageError(_("This looks like a web page, not an email."))
    if b"\x00" in data[:4096]:
        raise MessageError(_("This is a binary file, not an email."))


def _load_checked(data: bytes, limits: Limits) -> Message:
    check_size(data, limits)
    data = data.removeprefix(b"\xef\xbb\xbf")
    _sniff(data)
    prescan(data, limits)
    return load_eml(data)


def _parse(data: bytes, limits: Limits) -> ParsedMessage:
    check_size(data, limits)
    if data.startswith(OLE_MAGIC):
        return parse_msg(data, limits)
    message = _load_checked(data, limits)
    try:
        return read_message(message, limits)
    except MessageError:
        raise
    except Exception:
        return read_message(feed_parse(data.removeprefix(b"\xef\xbb\xbf"), policy.compat32), limits)
