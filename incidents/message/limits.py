"""How much of a message the parser accepts, checked before or while parsing.

Python's email package reads a whole message into objects before anyone can look at it, so
a small file with tens of thousands of MIME parts would cost seconds and much memory. The
boundary lines are counted on the raw bytes first, which costs one pass of a regular
expression over the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from incidents.message.errors import MessageError, _

MB = 1024 * 1024
DEFAULTS = {"max_bytes": 25 * MB, "max_depth": 20, "max_parts": 1000, "max_headers": 1000, "max_addresses": 500}
_SETTING_NAMES = {  # of incidents.conf.missend
    "max_bytes": "MESSAGE_MAX_BYTES",
    "max_depth": "MESSAGE_MAX_DEPTH",
    "max_parts": "MESSAGE_MAX_PARTS",
    "max_headers": "MESSAGE_MAX_HEADERS",
    "max_addresses": "MESSAGE_MAX_ADDRESSES",
}
_BOUNDARY_PARAM = re.compile(rb'boundary\s*=\s*(?:"([^"\r\n]{1,200})"|([^\s;"]{1,200}))', re.IGNORECASE)
_DASH_LINE = re.compile(rb"^--([^\r\n]{1,202})", re.MULTILINE)
# A header block longer than this is counted only this far: enough to exceed any header limit.
HEADER_WINDOW = MB
_EMBEDDED = re.compile(rb"^content-type:\s*message/rfc822", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Limits:
    max_bytes: int = DEFAULTS["max_bytes"]
    max_depth: int = DEFAULTS["max_depth"]
    max_parts: int = DEFAULTS["max_parts"]
    max_headers: int = DEFAULTS["max_headers"]
    max_addresses: int = DEFAULTS["max_addresses"]

    @classmethod
    def from_settings(cls, **overrides: int | None) -> Limits:
        """The site's limits when Django is configured, else the defaults; None overrides are ignored."""
        values = dict(DEFAULTS)
        try:
            from django.conf import settings

            from incidents.conf import missend

            if settings.configured:
                for key, name in _SETTING_NAMES.items():
                    values[key] = int(getattr(missend, name))
        except Exception:
            values = dict(DEFAULTS)
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)


def check_size(data: bytes, limits: Limits) -> None:
    if len(data) > limits.max_bytes:
        raise MessageError(_("The file is larger than %(size)s MB.") % {"size": _megabytes(limits.max_bytes)})


def _megabytes(size: int) -> str:
    value = size / MB
    return f"{value:.0f}" if value >= 1 else f"{value:.2f}"


def too_many_parts(limit: int) -> MessageError:
    return MessageError(_("The message has more than %(limit)d parts; it cannot be read safely.") % {"limit": limit})


def too_deep(limit: int) -> MessageError:
    return MessageError(
        _("The message nests parts more than %(limit)d levels deep; it cannot be read safely.") % {"limit": limit}
    )


def too_many_headers(limit: int) -> MessageError:
    return MessageError(
        _("A part of the message has more than %(limit)d header lines; it cannot be read safely.") % {"limit": limit}
    )


def too_many_addresses(limit: int) -> MessageError:
    return MessageError(_("An address field of the message lists more than %(limit)d addresses.") % {"limit": limit})


def prescan(data: bytes, limits: Limits) -> None:
    """Count parts and header lines on the raw bytes, before the email package builds anything."""
    boundaries = {a or b for a, b in _BOUNDARY_PARAM.findall(data)}
    if len(boundaries) > limits.max_parts:
        raise too_many_parts(limits.max_parts)
    parts = 1 + len(_EMBEDDED.findall(data))
    starts = [0]
    if boundaries:
        for match in _DASH_LINE.finditer(data):
            token = match.group(1).rstrip(b" \t")
            if token in boundaries:
                parts += 1
                starts.append(match.end())
            elif token.endswith(b"--") and token[:-2] in boundaries:
                continue
            if parts > limits.max_parts:
                raise too_many_parts(limits.max_parts)
    if parts > limits.max_parts:
        raise too_many_parts(limits.max_parts)
    # Per header block: a message with hundreds of attachments legitimately has thousands in all.
    if any(_header_lines(data, start) > limits.max_headers for start in starts):
        raise too_many_headers(limits.max_headers)


def _header_lines(data: bytes, start: int) -> int:
    """Header fields in the block that starts at start and ends at the first empty line."""
    stop = min(len(data), start + HEADER_WINDOW)
    ends = [i for i in (data.find(b"\n\n", start, stop), data.find(b"\n\r\n", start, stop)) if i >= 0]
    block = data[start : min(ends) if ends else stop]
    # Continuation lines start with white space and belong to the field above.
    return block.count(b"\n") + 1 - block.count(b"\n ") - block.count(b"\n\t")
