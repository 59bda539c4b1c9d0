"""Contacts of a small directory and a facts builder, so each test states only what it is about."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from incidents.correspondence import DraftFacts, Mailbox
from incidents.vocabulary import DRAFT_ORDER, INTERNAL_NOTE_LANGUAGES, DraftLanguage

# Every draft kind with every language it is written in: the internal note is for our own staff.
KIND_LANGUAGES = [
    (kind, language)
    for kind in DRAFT_ORDER
    for language in (INTERNAL_NOTE_LANGUAGES if kind == "internal_summary" else DraftLanguage)
]
SENT_AT = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
SUBJECT = "Quotation Q-118 for valves"

SENDER = Mailbox("li.na@ourco.com", "Li Na", "OurCo", "internal")
COLLEAGUE = Mailbox("sam@ourco.com", "Sam Lee", "OurCo", "internal")
MANAGER = Mailbox("boss@ourco.com", "Zhou Min", "OurCo", "internal")
LEGAL = Mailbox("legal@ourco.com", "Legal Team", "OurCo", "internal")
ANNA = Mailbox("anna@acme-trading.com", "Anna Schmidt", "Acme Trading", "client")
BOB = Mailbox("bob@acme-trading.com", "Bob Brown", "Acme Trading", "client")
WANG = Mailbox("wang@globex.com.cn", "Wang Wei", "Globex China", "client")
RIVAL = Mailbox("eve@rival-exports.com", "Eve Rivers", "Rival Exports", "competitor")
STRANGER = Mailbox("someone@unknown-shop.net")  # a domain nobody put in the directory


def facts(**changes) -> DraftFacts:
    """A medium incident to Acme with nothing wrong yet; tests add factors and recipients."""
    base = DraftFacts(
        subject=SUBJECT,
        sent_at=SENT_AT,
        sender=SENDER,
        company_name="OurCo Ltd",
        reporter_name="Li Na",
        message_id="<q118@ourco.com>",
        actual=(ANNA,),
        intended=(ANNA,),
        internal_recipients=(MANAGER, LEGAL),
        incident_url="https://missend.example/incidents/7/",
    )
    return replace(base, **changes)


def low_quote(**changes) -> DraftFacts:
    """Acme was quoted USD 12.50 instead of USD 14.00."""
    defaults = dict(
        problems=frozenset({"wrong_price"}),
        factor_codes=frozenset({"low_quote", "content_error"}),
        severity="medium",
        route_legal=True,
        quoted_price=Decimal("12.50"),
        correct_price=Decimal("14.00"),
        currency="USD",
        gap=Decimal("0.1071"),
        attachments=("Q-118.pdf",),
        item="DN50 ball valves",
    )
    defaults.update(changes)
    return facts(**defaults)


def personal_data(**changes) -> DraftFacts:
    """Payroll meant for Acme also went to Globex."""
    defaults = dict(
        actual=(ANNA, WANG),
        unintended=(WANG,),
        problems=frozenset({"wrong_recipient", "personal_data"}),
        factor_codes=frozenset({"unintended_external", "wrong_client", "personal_data_external"}),
        severity="high",
        route_manager=True,
        route_legal=True,
        regulatory_deadline=SENT_AT + timedelta(hours=72),
    )
    defaults.update(changes)
    return facts(**defaults)
