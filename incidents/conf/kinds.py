"""The types of MISSEND_* settings: how each reads its environment variable and which values it accepts.

A kind has a ``name`` said in messages ("must be an integer"), ``parse(text)`` for the variable's text
(ValueError when the text cannot be read as the kind: start-up stops, naming the variable), ``accepts(value)``
for a value set in a settings module or a test (the system check reports one it refuses) and ``show(value)``:
the default as the README's configuration table writes it. No Django here: settings.py imports this.
"""

from __future__ import annotations

import ipaddress
import math
import os
import re
from decimal import Decimal, InvalidOperation

MB = 1024 * 1024
TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off", ""})


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _strings(value) -> bool:
    return isinstance(value, list | tuple) and all(isinstance(item, str) for item in value)


def _code(text: str) -> str:
    return f"`{text}`" if text else "empty"


class Kind:
    name = "a value"

    def parse(self, text: str):
        return text

    def accepts(self, value) -> bool:
        return True

    def show(self, value) -> str:
        return str(value)


class Int(Kind):
    name = "an integer"

    def parse(self, text: str) -> int:
        return int(text)

    def accepts(self, value) -> bool:
        return isinstance(value, int) and not isinstance(value, bool)

    def show(self, value) -> str:
        return f"{value:,}"


class Bytes(Int):
    """A size in bytes, an integer; the README adds the megabytes people read."""

    name = "an integer (bytes)"

    def show(self, value) -> str:
        return f"{value} ({value / MB:g} MB)"


class Float(Kind):
    name = "a number"

    def parse(self, text: str) -> float:
        value = float(text)
        if not math.isfinite(value):
            raise ValueError(f"{text!r} is not a finite number")
        return value

    def accepts(self, value) -> bool:
        return _number(value) and math.isfinite(value)

    def show(self, value) -> str:
        return repr(float(value)).removesuffix(".0")


class DecimalNumber(Kind):
    name = "a decimal number"

    def parse(self, text: str) -> Decimal:
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{text!r} is not a decimal number") from None
        if not value.is_finite():
            raise ValueError(f"{text!r} is not a finite number")
        return value

    def accepts(self, value) -> bool:
        return (isinstance(value, Decimal) and value.is_finite()) or (_number(value) and math.isfinite(value))


class Bool(Kind):
    """1/true/yes/on or 0/false/no/off (any case); empty is off. Anything else is refused, not read as off."""

    name = "on or off (1 or 0)"

    def parse(self, text: str) -> bool:
        word = text.strip().lower()
        if word in TRUE:
            return True
        if word in FALSE:
            return False
        raise ValueError(f"{text!r} is neither on (1, true, yes, on) nor off (0, false, no, off)")

    def accepts(self, value) -> bool:
        return isinstance(value, bool)

    def show(self, value) -> str:
        return "on" if value else "off"


class Text(Kind):
    name = "text"

    def __init__(self, *, strip: bool = False, lower: bool = False):
        self.strip, self.lower = strip, lower

    def parse(self, text: str) -> str:
        text = text.strip() if self.strip else text
        return text.lower() if self.lower else text

    def accepts(self, value) -> bool:
        return isinstance(value, str)

    def show(self, value) -> str:
        return _code(value)


class Choice(Text):
    """One of a few words (stripped, lower case); empty counts as a word when it is one of them."""

    def __init__(self, *choices: str):
        super().__init__(strip=True, lower=True)
        self.choices = choices
        self.name = "one of " + ", ".join(repr(choice) for choice in choices)

    def parse(self, text: str) -> str:
        value = super().parse(text)
        if value not in self.choices:
            raise ValueError(f"{text!r} is not {self.name}")
        return value

    def accepts(self, value) -> bool:
        return value in self.choices


class Rate(Text):
    """A throttle rate as Django REST framework reads it: requests per second, minute, hour or day."""

    name = "a rate such as 600/min (N/sec, /min, /hour, /day)"
    PATTERN = re.compile(r"[0-9]+/[smhd][a-z]*")

    def parse(self, text: str) -> str:
        if not self.PATTERN.fullmatch(text):
            raise ValueError(f"{text!r} is not {self.name}")
        return text

    def accepts(self, value) -> bool:
        return isinstance(value, str) and bool(self.PATTERN.fullmatch(value))


class Folder(Text):
    """A folder's path; empty is refused (it would silently mean the current directory)."""

    name = "a folder path"

    def parse(self, text: str) -> str:
        if not text.strip():
            raise ValueError("an empty path")
        return text

    def accepts(self, value) -> bool:
        return isinstance(value, str | os.PathLike) and bool(str(value).strip())


class Words(Kind):
    """A comma-separated list: items stripped, empty items dropped, lower case if asked."""

    name = "a list of strings"

    def __init__(self, *, lower: bool = False):
        self.lower = lower

    def parse(self, text: str) -> list[str]:
        items = [item.strip() for item in text.split(",") if item.strip()]
        return [item.lower() for item in items] if self.lower else items

    def accepts(self, value) -> bool:
        return _strings(value)

    def show(self, value) -> str:
        return _code(",".join(value))


class Networks(Words):
    """A comma-separated list of CIDR networks (host bits allowed: 10.0.0.1/8 is 10.0.0.0/8)."""

    name = "a list of CIDR networks"

    def parse(self, text: str) -> list[str]:
        items = super().parse(text)
        for item in items:
            if not _network(item):
                raise ValueError(f"{item!r} is not a network")
        return items

    def accepts(self, value) -> bool:
        return _strings(value) and all(_network(item) for item in value)


def _network(text: str) -> bool:
    try:
        ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return False
    return True
