"""Plain data the correspondence package works from: no ORM, no request, no Django models.

The caller (services or the API) copies what it knows about an incident into DraftFacts;
everything here is immutable so one DraftFacts can be rendered many times, in any order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from incidents.vocabulary import OrganisationKind, RecipientStatus, Severity


@dataclass(frozen=True)
class Person:
    """Someone the directory lists at an organisation: whom a draft greets and a call script asks for.

    language is their own preferred language, "" for the organisation's.
    """

    name: str
    title: str = ""
    phone: str = ""
    email: str = ""
    language: str = ""


@dataclass(frozen=True)
class Mailbox:
    """One mailbox and what the directory says about its organisation and the person reading it.

    organisation_kind is an OrganisationKind or "" (not in the directory);
    language is the directory's preferred language for the organisation, "" when not set;
    person is the directory contact whose email this is, else the organisation's only contact
    (the one who reads its mail, as far as we know), else None.
    """

    address: str
    name: str = ""
    organisation: str = ""
    organisation_kind: str = ""
    language: str = ""
    person: Person | None = None

    @property
    def key(self) -> str:
        """The address as compared: trimmed and lower-cased."""
        return self.address.strip().lower()

    @property
    def domain(self) -> str:
        return self.key.rpartition("@")[2].rstrip(".")

    @property
    def is_internal(self) -> bool:
        return self.organisation_kind.strip().lower() == OrganisationKind.INTERNAL

    @property
    def is_external(self) -> bool:
        # Unknown organisations count as external, as in the assessment: only the directory
        # can vouch for an internal mailbox.
        return not self.is_internal

    @property
    def display(self) -> str:
        return self.name.strip() or self.address.strip()

    @property
    def person_language(self) -> str:
        """The reader's own preference, which beats the organisation's for this mailbox."""
        return self.person.language if self.person else ""


@dataclass(frozen=True)
class Explanations:
    """The assessment's sentences in one language, for the internal note: one per factor, and the recall advice."""

    factor_details: tuple[str, ...] = ()
    recall_advice: str = ""


@dataclass(frozen=True)
class DraftFacts:
    """Everything known about one incident that a draft may use; nothing is guessed.

    factor_details are human sentences for the internal note; explanations holds them (and the
    recall advice) per language, so a Chinese note does not quote English sentences whatever the
    language of the page it was opened from (factor_details is the fallback); unintended lists the actual recipients who should not have got the email;
    internal_recipients are the managers and legal reviewers who receive the internal note.
    item is what the quotation was for, "" when unknown (the drafts then name the subject).
    """

    subject: str
    sent_at: datetime
    sender: Mailbox
    company_name: str = ""
    reporter_name: str = ""
    message_id: str | None = None
    problems: frozenset[str] = frozenset()
    factor_codes: frozenset[str] = frozenset()
    factor_details: tuple[str, ...] = ()
    severity: str = Severity.LOW
    route_manager: bool = False
    route_legal: bool = False
    regulatory_deadline: datetime | None = None
    quoted_price: Decimal | None = None
    correct_price: Decimal | None = None
    currency: str = ""
    gap: Decimal | None = None
    firm_offer: bool = False
    recipient_status: str = RecipientStatus.UNKNOWN
    attachments: tuple[str, ...] = ()
    actual: tuple[Mailbox, ...] = ()
    intended: tuple[Mailbox, ...] = ()
    unintended: tuple[Mailbox, ...] = ()
    internal_recipients: tuple[Mailbox, ...] = ()
    incident_url: str = ""
    item: str = ""
    approved_keys: frozenset[str] = frozenset()  # keys of the drafts legal has approved
    recall_advice: str = ""
    explanations: Mapping[str, Explanations] = field(default_factory=dict)

    def explained_in(self, language: str) -> Explanations:
        """The factor sentences and recall advice written in language, else the ones given without one."""
        return self.explanations.get(language) or Explanations(self.factor_details, self.recall_advice)


@dataclass(frozen=True)
class DraftSpec:
    """Which draft to write, to whom and how; choose_drafts makes these, render_draft uses them.

    key is stable for an incident ("deletion_request:globex.com.cn") so the app can store a
    user's edits against it. purposes names the emails that go with a call script, so the
    script says what those emails say. Use dataclasses.replace to switch language or tone.
    """

    kind: str
    key: str
    language: str
    tone: str
    to: tuple[Mailbox, ...]
    cc: tuple[Mailbox, ...] = ()
    organisation: str = ""
    needs_legal_approval: bool = False
    purposes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Draft:
    """A rendered draft. html is None for call scripts; placeholders lists the marked gaps
    ("[corrected figure]") the sender must fill or remove before sending. notes_for_sender are
    for the sender's eyes only (why legal must approve first, what not to say yet): they are
    never part of the subject, text or html, so nothing meant for the sender can reach a client.
    template_warnings name each administrator's template that failed on this incident and was
    replaced by the shipped one."""

    kind: str
    key: str
    language: str
    tone: str
    to: tuple[Mailbox, ...]
    cc: tuple[Mailbox, ...]
    subject: str
    text: str
    html: str | None
    needs_legal_approval: bool
    organisation: str
    placeholders: tuple[str, ...] = ()
    notes_for_sender: tuple[str, ...] = ()
    template_warnings: tuple[str, ...] = ()
