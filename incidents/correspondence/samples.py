"""Invented sample facts, used to try out an edited template and for the admin page's preview."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from incidents.correspondence.context import build_context
from incidents.correspondence.facts import Contact, DraftFacts, DraftSpec, Explanations, Person

SENDER = Contact("li.na@example-exports.com", "Li Na", "Example Exports", "internal")
OFFEREE = Contact(
    "anna.schmidt@example-client.com",
    "Anna Schmidt",
    "Example Client GmbH",
    "client",
    person=Person("Anna Schmidt", "Purchasing Manager", "+49 40 5555 0100", "anna.schmidt@example-client.com"),
)
WRONG = Contact(
    "buyer@example-other.com.cn",
    "王伟",
    "Example Other Co.",
    "client",
    person=Person("王伟", "采购经理", "+86 21 5555 0100", "buyer@example-other.com.cn"),
)
MANAGER = Contact("manager@example-exports.com", "Zhou Min", "Example Exports", "internal")


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
        problems=frozenset({"wrong_recipient", "wrong_price", "personal_data"}),
        factor_codes=frozenset(
            {
                "unintended_external",
                "wrong_client",
                "leaked_pricing",
                "low_quote",
                "firm_offer",
                "personal_data_external",
            }
        ),
        factor_details=("Sent to buyer@example-other.com.cn (Example Other Co., a client).",),
        severity="high",
        route_manager=True,
        route_legal=True,
        regulatory_deadline=sent_at + timedelta(hours=72),
        quoted_price=Decimal("12.50"),
        correct_price=Decimal("14.00"),
        currency="USD",
        gap=Decimal("0.1071"),
        firm_offer=True,
        recipient_status="read",
        attachments=("Q-2026-118.pdf",),
        actual=(OFFEREE, WRONG),
        intended=(OFFEREE,),
        unintended=(WRONG,),
        internal_recipients=(MANAGER,),
        incident_url="https://missend.example/incidents/118/",
        item="DN50 stainless steel ball valves",
        recall_advice="Gmail has no recall: Undo send only works for a few seconds after sending. Send a correction now.",
        explanations={
            "zh-hans": Explanations(
                ("已发给 buyer@example-other.com.cn（Example Other Co.，客户）。",),
                "Gmail 无法撤回邮件：“撤消发送”只在发送后几秒内有效。请立即发送更正邮件。",
            ),
        },
    )


def sample_spec(kind: str, language: str = "en", tone: str = "polite") -> DraftSpec:
    internal = kind == "internal_summary"
    to = (MANAGER,) if internal else (OFFEREE,)
    return DraftSpec(
        kind=kind,
        key=kind if internal else f"{kind}:example-client.com",
        language=language,
        tone=tone,
        to=to,
        organisation="Example Exports Ltd" if internal else "Example Client GmbH",
        # The gate is on the withdrawal only; the call script reads it through needs_legal_approval
        # and legal_approved (sample_facts approves nothing, so the preview shows the cautious script).
        needs_legal_approval=kind == "offer_withdrawal",
        purposes=("offer_withdrawal", "deletion_request") if kind == "call_script" else (),
    )


def sample_context(kind: str | None, language: str = "en") -> dict[str, object]:
    """All variables when kind is None (the internal note has them all)."""
    return build_context(sample_spec(kind or "internal_summary", language), sample_facts())
