"""Plain data going into and coming out of the assessment engine (no ORM, no Django models)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from incidents.vocabulary import (
    EXTERNAL_KINDS,  # noqa: F401 - re-exported for the engine's callers
    FactorCode,
    MailSystem,
    Problem,
    RecipientField,
    RecipientStatus,
)


@dataclass(frozen=True)
class Party:
    """An actual recipient: an address and the header field it was in (to, cc, bcc)."""

    address: str
    field: str = RecipientField.TO


@dataclass(frozen=True)
class DirectoryEntry:
    """An organisation of the directory: name and kind (internal, client, competitor)."""

    name: str
    kind: str


@dataclass(frozen=True)
class IncidentFacts:
    """What the reporter told us about the mis-sent email."""

    recipients: tuple[Party, ...]
    filed_at: datetime
    intended: tuple[str, ...] = ()
    problems: frozenset[str] = frozenset()
    mail_system: str = MailSystem.OTHER
    recipient_status: str = RecipientStatus.UNKNOWN
    quoted_price: Decimal | None = None
    correct_price: Decimal | None = None
    currency: str = ""
    firm_offer: bool = False
    body: str = ""
    attachments: tuple[str, ...] = ()
    subject: str = ""
    # The reporter's reason why detected personal data is none (e.g. "it is an order number").
    personal_data_dismissal: str = ""


@dataclass(frozen=True)
class Signals:
    """Word lists that mark pricing, internal-only or personal content; tuned per company in settings."""

    pricing_words: tuple[str, ...]
    currency_markers: tuple[str, ...]
    internal_words: tuple[str, ...]
    personal_data_words: tuple[str, ...] = ()


@dataclass(frozen=True)
class Thresholds:
    low_quote_high_gap: Decimal = Decimal("0.10")
    breach_notification_hours: int = 72


@dataclass(frozen=True)
class Factor:
    """One reason behind a severity: a stable code and the names and figures it concerns."""

    code: str
    params: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def detail(self) -> str:
        from incidents.assessment.explanations import describe_factor

        return describe_factor(self)

    @property
    def detected_only(self) -> bool:
        """Personal data the text showed but the reporter did not report: they may dismiss it, with a reason."""
        params = self.params or {}
        return (
            self.code == FactorCode.PERSONAL_DATA_EXTERNAL
            and bool(params.get("found"))
            and Problem.PERSONAL_DATA not in (params.get("problems") or [])
        )


@dataclass(frozen=True)
class Routing:
    """Whether the incident goes to managers, to legal, to both or to neither."""

    manager: bool = False
    legal: bool = False


@dataclass(frozen=True)
class RecipientRecall:
    address: str
    verdict: str  # RECIPIENT_RECALL_VERDICTS: maybe or no


@dataclass(frozen=True)
class Recall:
    verdict: str  # a RecallVerdict
    mail_system: str
    recipients: tuple[RecipientRecall, ...]
    # False when nobody needs a corrected email (e.g. it only went to colleagues): the advice
    # then says what to do instead of "send a correction".
    correction_needed: bool = True

    @property
    def advice(self) -> str:
        from incidents.assessment.explanations import recall_advice

        return recall_advice(self)


@dataclass(frozen=True)
class Assessment:
    severity: str
    factors: tuple[Factor, ...]
    route: Routing
    recall: Recall
    regulatory_deadline: datetime | None
    pricing_content: bool
    internal_info: bool
    gap: Decimal | None  # (correct - quoted) / correct, when both prices are given

    @property
    def factor_codes(self) -> frozenset[str]:
        return frozenset(f.code for f in self.factors)
