"""Parsing pasted address lists such as "Name <a@b.com>, c@d.com; e@f.com"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import getaddresses

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from incidents.conf import missend

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Characters that would split or mangle an unquoted display name when the list is read back.
_NAME_SPECIALS = re.compile(r'[,;<>"\\()@:\[\]]')


@dataclass(frozen=True)
class Address:
    address: str
    name: str = ""

    def __str__(self) -> str:
        """The address as it can be pasted back: names with separators are quoted."""
        if not self.name:
            return self.address
        name = self.name
        if _NAME_SPECIALS.search(name):
            name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return f"{name} <{self.address}>"


def _split(text: str) -> list[str]:
    """Split on commas and semicolons that are not inside quotes or angle brackets."""
    parts, current, quoted, angle, escaped = [], [], False, False, False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\" and quoted:
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == "<" and not quoted:
            angle = True
        elif char == ">" and not quoted:
            angle = False
        if char in ",;\n" and not quoted and not angle:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def validate_single_address(value: str) -> str:
    """One address, no display name, no header-splitting characters; returns it lower-cased."""
    value = (value or "").strip()
    if not value or _CONTROL.search(value) or "," in value or ";" in value:
        raise ValidationError(_("“%(value)s” is not one valid email address.") % {"value": value}, code="invalid")
    validate_email(value)
    return value.lower()


def parse_address_list(text: str) -> list[Address]:
    """Every address in the text, de-duplicated in order; ValidationError naming each bad item."""
    items = _split(text or "")
    limit = missend.MAX_ADDRESSES_PER_FIELD
    if len(items) > limit:
        raise ValidationError(
            _("At most %(limit)d addresses per field; %(count)d were given.") % {"limit": limit, "count": len(items)},
            code="too_many",
        )
    found: list[Address] = []
    bad: list[str] = []
    seen: set[str] = set()
    for item in items:
        parsed = getaddresses([item])
        name, address = parsed[0] if len(parsed) == 1 else ("", "")
        try:
            address = validate_single_address(address)
        except ValidationError:
            bad.append(item)
            continue
        if address not in seen:
            seen.add(address)
            found.append(Address(address=address, name=_CONTROL.sub(" ", name).strip()[:200]))
    if bad:
        raise ValidationError(
            ngettext(
                "This is not a valid email address: %(items)s",
                "These are not valid email addresses: %(items)s",
                len(bad),
            )
            % {"items": ", ".join(bad)},
            code="invalid",
        )
    return found
