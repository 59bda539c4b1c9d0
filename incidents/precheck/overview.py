"""What the checklist beside the verdict shows of the draft itself: who it goes to (organisation and kind),
what it carries and the figures it states, so the sender looks at each once more before Send."""

from __future__ import annotations

from dataclasses import dataclass

from incidents.assessment.signals import find_amounts
from incidents.precheck.check import CheckContext, OutgoingDraft, _unquoted


@dataclass(frozen=True)
class Addressee:
    field: str
    address: str
    organisation: str  # "" for a domain nobody put in the directory
    kind: str  # internal, client, competitor or unknown


@dataclass(frozen=True)
class Overview:
    addressees: tuple[Addressee, ...]
    attachments: tuple[str, ...]
    figures: tuple[str, ...]


def draft_overview(draft: OutgoingDraft, context: CheckContext) -> Overview:
    directory = context.directory
    addressees = []
    for party in draft.recipients:
        entry = directory.entry_for(party.address)
        addressees.append(
            Addressee(party.field, party.address, entry.name if entry else "", directory.kind_of(party.address))
        )
    text = f"{draft.subject}\n{_unquoted(draft.body)}"
    return Overview(tuple(addressees), draft.attachments, tuple(find_amounts(text, context.signals.currency_markers)))
