"""Header values read from the raw text, so a broken header spoils only itself.

The email package's policy parses a header when it is first read and may raise or take long
on hostile input; here each header is unfolded from its raw text, checked against the
limits, and decoded with fallbacks.
"""

from __future__ import annotations

import contextlib
import re
from datetime import UTC, datetime
from email import policy
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime

from incidents.core.addresses import Address
from incidents.message.charsets import decode_header_text
from incidents.message.limits import Limits, too_many_addresses

_FOLD = re.compile(r"\r?\n(?=[ \t])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_SURROGATES = re.compile("[\udc80-\udcff]")
_MAILBOX = re.compile(r"^[^\s@<>(),;:\"\[\]\\]+@[^\s@<>(),;:\"\[\]\\]+\.[^\s@<>(),;:\"\[\]\\]+$")


def raw_header(message: Message, name: str) -> str | None:
    """The first value of the header, unfolded, as written (8-bit bytes kept as surrogates)."""
    wanted = name.lower()
    for key, value in message.raw_items():
        if key.strip().lower() == wanted:
            return _FOLD.sub("", str(value)).strip()
    return None


def raw_headers(message: Message, name: str) -> list[str]:
    wanted = name.lower()
    return [_FOLD.sub("", str(v)).strip() for k, v in message.raw_items() if k.strip().lower() == wanted]


def one_line(text: str, limit: int) -> str:
    return " ".join(_CONTROL.sub(" ", text or "").split())[:limit]


def text_header(message: Message, name: str, charset: str | None) -> str:
    """An unstructured header (Subject) decoded: RFC 2047 words, or raw bytes in any charset."""
    raw = raw_header(message, name)
    if raw is None:
        return ""
    if not _SURROGATES.search(raw) and "=?" in raw:
        # The policy's decoder copes with more broken encoded words; the lenient one is the fallback.
        with contextlib.suppress(Exception):
            return str(policy.default.header_factory(name, raw))
    return decode_header_text(raw, charset)


def addresses(message: Message, names: tuple[str, ...], limits: Limits, charset: str | None) -> tuple[Address, ...]:
    """Every mailbox in the headers, lower-cased and de-duplicated in order; groups flattened."""
    found: list[Address] = []
    seen: set[str] = set()
    for name in names:
        for raw in raw_headers(message, name):
            if raw.count("@") > limits.max_addresses or raw.count(",") >= limits.max_addresses:
                raise too_many_addresses(limits.max_addresses)
            if _SURROGATES.search(raw):
                raw = decode_header_text(raw, charset)
            for display_name, address in _mailboxes(name, raw):
                address = address.strip().lower()
                if _MAILBOX.match(address) and address not in seen:
                    seen.add(address)
                    found.append(Address(address=address, name=one_line(display_name, 200)))
    return tuple(found)


def _mailboxes(name: str, raw: str) -> list[tuple[str, str]]:
    with contextlib.suppress(Exception):  # the older, more lenient parser below
        header = policy.default.header_factory(name, raw)
        return [(a.display_name, a.addr_spec) for a in header.addresses]
    try:
        return [(decode_header_text(n), a) for n, a in getaddresses([raw])]
    except Exception:
        return []


def sent_at(message: Message) -> tuple[datetime | None, bool]:
    """The Date header as an aware datetime, and whether its zone was missing (then read as UTC)."""
    raw = raw_header(message, "date")
    if not raw:
        return None, False
    try:
        value = parsedate_to_datetime(one_line(raw, 200))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None, False
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC), True
    return value, False
