"""What the parser found in a message, as plain data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from incidents.core.addresses import Address

# The report form takes this much text; the rest of a longer body is left out, with a warning.
MAX_BODY_CHARS = 1_000_000
MAX_SUBJECT_CHARS = 998


@dataclass(frozen=True)
class ParsedMessage:
    subject: str
    sent_at: datetime | None
    mail_system: str | None
    sender: Address | None
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    bcc: tuple[Address, ...]
    message_id: str
    body: str
    attachments: tuple[str, ...]
    warnings: tuple[str, ...]
    source_format: str

    @property
    def recipients(self) -> tuple[Address, ...]:
        return self.to + self.cc + self.bcc
