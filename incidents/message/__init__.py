"""Reading a mis-sent message (.eml or Outlook .msg) into the facts of a report.

Pure: bytes in, plain data out, and MessageError is the only exception that leaves it.
"""

from incidents.message.errors import MessageError
from incidents.message.fields import report_fields, suggest_intended_organisations
from incidents.message.limits import Limits
from incidents.message.message import ParsedMessage
from incidents.message.reader import forwarded_message, parse_message

__all__ = [
    "Limits",
    "MessageError",
    "ParsedMessage",
    "forwarded_message",
    "parse_message",
    "report_fields",
    "suggest_intended_organisations",
]
