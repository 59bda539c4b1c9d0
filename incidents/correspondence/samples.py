"""Invented sample facts, used to try out an edited template and for the admin page's preview."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from incidents.correspondence.context import build_context
from incidents.correspondence.facts import DraftFacts, DraftSpec, Explanations, Mailbox, Person
from incidents.vocabulary import (
    DraftKind,
    DraftLanguage,
    FactorCode,
    OrganisationKind,
    Problem,
    RecipientStatus,
    Severity,
    Tone,
)

SENDER = Mailbox("li.na@example-exports.com", "Li Na", "Example Exports", OrganisationKind.INTERNAL)
OFFEREE = Mailbox(
    "anna.schmidt@example-client.com",
    "Anna Schmidt",
    "Example Client GmbH",
    OrganisationKind.CLIENT,
    person=Person("Anna Schmidt", "Purchasing Manager", "+49 40 5555 0100", "anna.schmidt@example-client.com"),
)
WRONG = Mailbox(
    "buyer@example-other.com.cn",
    "王伟",
    "Example Other Co.",
    OrganisationKind.CLIENT,
    person=Person("王伟", "采购经理", "+86 21 5555 0100", "buyer@example-other.com.cn"),
)
MANAGER = Mailbox("manager@example-exports.com", "Zhou Min", "Example Exports", OrganisationKind.INTERNAL)


def sample_facts() -> DraftFacts:
    """A firm low quote sent to the right client and, by mistake, to another one."""
    sent_at = datetime(2026, 11, 27, 14, 5, tzinfo=UTC)
    return DraftFacts(
        subject="Quotation Q-2026-118: stainless valves",
        sent_at=sent_at,
        sender=SENDER,
        company_name="Example Exports Ltd",
        reporter_name="Li Na",
        message_id="<sample-118@example-exports.com>",
        problems=frozenset({Problem.WRONG_RECIPIENT, Problem.WRONG_PRICE, Problem.PERSONAL_DATA}),
        factor_codes=frozenset(
            {
                FactorCode.UNINTENDED_EXTERNAL,
                FactorCode.WRONG_CLIENT,
                FactorCode.LEAKED_PRICING,
                FactorCode.LOW_QUOTE,
                FactorCode.FIRM_OFFER,
                FactorCode.PERSONAL_DATA_EXTERNAL,
            }
        ),
        factor_details=("Sent to buyer@example-other.com.cn (Example Other Co., a client).",),
        severity=Severity.HIGH,
        route_manager=True,
        route_legal=True,
        regulatory_deadline=sent_at + timedelta(hours=72),
        quoted_price=Decimal("12.50"),
        correct_price=Decimal("14.00"),
        currency="USD",
        gap=Decimal("0.1071"),
        firm_offer=True,
        recipient_status=RecipientStatus.READ,
        attachments=("Q-2026-118.pdf",),
        actual=(OFFEREE, WRONG),
        intended=(OFFEREE,),
        unintended=(WRONG,),
        internal_recipients=(MANAGER,),
        incident_url="https://missend.example/incidents/118/",
        item="DN50 stainless steel ball valves",
        recall_advice="Gmail has no recall: Undo send only works for a few seconds after sending. Send a correction now.",
        explanations={
            DraftLanguage.ZH_HANS: Explanations(
                ("已发给 buyer@example-other.com.cn（Example Other Co.，客户）。",),
                "Gmail 无法撤回邮件：“撤消发送”只在发送后几秒内有效。请立即发送更正邮件。",
            ),
        },
    )


def sample_spec(kind: str, language: str = DraftLanguage.EN, tone: str = Tone.POLITE) -> DraftSpec:
    internal = kind == DraftKind.INTERNAL_SUMMARY
    to = (MANAGER,) if internal else (OFFEREE,)
    return DraftSpec(
        kind=kind,
        key=f"{kind}" if internal else f"{kind}:example-client.com",
        language=language,
        tone=tone,
        to=to,
        organisation="Example Exports Ltd" if internal else "Example Client GmbH",
        # The gate is on the withdrawal only; the call script reads it through needs_legal_approval
        # and legal_approved (sample_facts approves nothing, so the preview shows the cautious script).
        needs_legal_approval=kind == DraftKind.OFFER_WITHDRAWAL,
        purposes=(DraftKind.OFFER_WITHDRAWAL, DraftKind.DELETION_REQUEST) if kind == DraftKind.CALL_SCRIPT else (),
    )


def sample_context(kind: str | None, language: str = DraftLanguage.EN) -> dict[str, object]:
    """All variables when kind is None (the internal note has them all)."""
    return build_context(sample_spec(kind or DraftKind.INTERNAL_SUMMARY, language), sample_facts())
