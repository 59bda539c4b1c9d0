"""Limits on JSON request bodies, checked before decoding: size and nesting depth.

Python's decoder recurses once per level, so 100,000 nested lists end in a RecursionError (a 500)
unless refused first; no body the API documents nests deeper than a few levels.
"""

from __future__ import annotations

import json
import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.utils import json as drf_json

MAX_DEPTH = 32
# A JSON string (escapes included) and the brackets left once strings are blanked out.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_BRACKET = re.compile(r"[\[\]{}]")


class TooDeep(ValueError):
    pass


def check_depth(text: str, limit: int = MAX_DEPTH) -> None:
    """Raise TooDeep when arrays and objects nest deeper than `limit`, without decoding."""
    depth = 0
    for bracket in _BRACKET.finditer(_STRING.sub('""', text)):
        if bracket.group() in "[{":
            depth += 1
            if depth > limit:
                raise TooDeep(_("The JSON nests deeper than %(limit)s levels.") % {"limit": limit})
        else:
            depth -= 1


def loads(text: str, **options):
    """json.loads that refuses deep nesting with a ValueError instead of recursing into a RecursionError."""
    check_depth(text)
    try:
        return json.loads(text, **options)
    except RecursionError:
        raise TooDeep(_("The JSON nests deeper than %(limit)s levels.") % {"limit": MAX_DEPTH}) from None


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser behind the depth check (the size is capped when the body is read)."""

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as error:
            raise ParseError(
                _("The body is not valid %(encoding)s: %(error)s") % {"encoding": encoding, "error": error}
            ) from None
        try:
            # As DRF's parser: NaN and Infinity are not JSON.
            return loads(text, parse_constant=drf_json.strict_constant if self.strict else None)
        except TooDeep as error:
            raise ParseError(str(error)) from None
        except ValueError as error:
            raise ParseError(_("JSON parse error - %(error)s") % {"error": error}) from None
