"""A small directory and a facts builder, so each test states only what it is about."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from incidents.assessment import (
    Assessment,
    Directory,
    DirectoryEntry,
    IncidentFacts,
    Party,
    Thresholds,
    assess,
    signals_from_settings,
)

FILED_AT = datetime(2025, 3, 3, 9, 30, tzinfo=UTC)

OURCO = DirectoryEntry("OurCo", "internal")
CLIENT_A = DirectoryEntry("Client A", "client")
CLIENT_B = DirectoryEntry("Client B", "client")
RIVAL = DirectoryEntry("Rival Ltd", "competitor")

DIRECTORY = Directory(
    {
        "ourco.com": OURCO,
        "ourco.cn": OURCO,
        "clienta.com": CLIENT_A,
        "clientb.com": CLIENT_B,
        "rival.com": RIVAL,
    }
)

ME = "me@ourco.com"
COLLEAGUE = "li@ourco.cn"
AMY = "amy@clienta.com"  # Client A, usually the intended client
CARL = "carl@clienta.com"  # Client A too
BOB = "bob@clientb.com"  # another client
EVE = "eve@rival.com"  # a competitor
STRANGER = "x@foo-trading.com"  # a domain not in the directory


def facts(*recipients: str, intended=(), problems=(), quoted=None, correct=None, **overrides) -> IncidentFacts:
    """Facts of an email sent to the given addresses; prices as strings for readability."""
    return IncidentFacts(
        recipients=tuple(Party(address) for address in recipients),
        intended=tuple(intended),
        problems=frozenset(problems),
        filed_at=FILED_AT,
        quoted_price=Decimal(quoted) if quoted is not None else None,
        correct_price=Decimal(correct) if correct is not None else None,
        **overrides,
    )


def quote(percent_low: str, **overrides) -> IncidentFacts:
    """A quote to the intended client Amy that was percent_low % under the correct 100.00 USD."""
    quoted = Decimal("100.00") - Decimal(percent_low)
    return facts(AMY, intended=[AMY], quoted=str(quoted), correct="100.00", currency="USD", **overrides)


def run(
    incident: IncidentFacts, *, directory: Directory = DIRECTORY, thresholds: Thresholds | None = None
) -> Assessment:
    return assess(incident, directory, signals=signals_from_settings(), thresholds=thresholds or Thresholds())
