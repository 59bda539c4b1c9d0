"""A parsed message as the report form's prefilled fields, and who it was probably meant for."""

from __future__ import annotations

import re
from collections.abc import Iterable

from incidents.core.addresses import Address
from incidents.message.message import ParsedMessage
from incidents.vocabulary import OrganisationKind


def _joined(addresses: Iterable[Address]) -> str:
    return ", ".join(str(address) for address in addresses)


def report_fields(parsed: ParsedMessage) -> dict:
    """IncidentForm field names mapped to values; a field the message did not give is left out."""
    values = {
        "subject": parsed.subject,
        "sent_at": parsed.sent_at,
        "mail_system": parsed.mail_system,
        "sender": parsed.sender.address if parsed.sender else None,
        "to_recipients": _joined(parsed.to),
        "cc_recipients": _joined(parsed.cc),
        "bcc_recipients": _joined(parsed.bcc),
        "message_id": parsed.message_id,
        "body": parsed.body,
        "attachments": "\n".join(parsed.attachments),
    }
    return {key: value for key, value in values.items() if value not in (None, "")}


def _mentions(text: str, term: str) -> list[int]:
    """Where term occurs in text as a whole word (Latin letters) or anywhere (CJK has no spaces)."""
    term = term.strip().lower()
    if not term:
        return []
    pattern = re.escape(term)
    if term[0].isascii() and term[0].isalnum():
        pattern = r"(?<![a-z0-9])" + pattern
    if term[-1].isascii() and term[-1].isalnum():
        pattern += r"(?![a-z0-9])"
    return [match.start() for match in re.finditer(pattern, text)]


def suggest_intended_organisations(parsed: ParsedMessage, directory_data) -> list[str]:
    """Client organisations the subject or body names (by name or mail domain) that did not receive
    the message: the likely intended recipients. Most mentioned first, then the earliest mentioned."""
    directory = directory_data.directory
    text = f"{parsed.subject}\n{parsed.body}".lower()
    received = {entry.name for entry in (directory.entry_for(a.address) for a in parsed.recipients) if entry}
    terms: dict[str, set[str]] = {}
    for domain, entry in directory.entries().items():
        if entry.kind.strip().lower() == OrganisationKind.CLIENT and entry.name not in received:
            terms.setdefault(entry.name, {entry.name}).add(domain)
    ranked = []
    for name, words in terms.items():
        positions = [position for word in words for position in _mentions(text, word)]
        if positions:
            ranked.append((-len(positions), min(positions), name))
    return [name for _count, _first, name in sorted(ranked)]
