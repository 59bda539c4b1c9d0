"""Severity is the first level whose rule holds; routing and the breach clock follow from it."""

from datetime import timedelta
from decimal import Decimal

import pytest

from incidents.assessment import Thresholds
from tests.assessment.builders import AMY, BOB, CARL, COLLEAGUE, EVE, FILED_AT, ME, STRANGER, facts, quote, run

P = pytest.param


@pytest.mark.parametrize(
    "incident, severity",
    [
        # critical
        P(facts(AMY, EVE, intended=[AMY], body="Price list attached."), "critical", id="competitor-with-pricing"),
        P(facts(EVE, intended=[AMY], problems=["internal_info"]), "critical", id="competitor-with-internal-info"),
        P(facts(EVE, intended=[AMY], body="我们的利润很低"), "critical", id="competitor-with-chinese-internal-words"),
        P(quote("10", recipient_status="accepted"), "critical", id="gap-10pct-accepted"),
        P(quote("25", recipient_status="replied"), "critical", id="gap-25pct-replied"),
        # high
        P(facts(AMY, EVE, intended=[AMY]), "high", id="competitor-exposure-alone"),
        P(facts(AMY, BOB, intended=[AMY], attachments=("Quotation_ClientA.pdf",)), "high", id="leaked-pricing"),
        P(facts(AMY, intended=[AMY], body="Do not forward: our cost is 8.10"), "high", id="internal-info-external"),
        P(quote("10"), "high", id="gap-exactly-10pct"),
        P(quote("10", recipient_status="read"), "high", id="gap-10pct-read-not-answered"),
        P(quote("5", firm_offer=True), "high", id="small-gap-firm-offer"),
        P(facts(AMY, BOB, intended=[AMY], problems=["personal_data"]), "high", id="personal-data-external"),
        # medium
        P(quote("9.99"), "medium", id="gap-9.99pct"),
        P(quote("9.99", recipient_status="accepted"), "medium", id="gap-9.99pct-accepted"),
        P(facts(AMY, BOB, intended=[AMY]), "medium", id="unintended-external"),
        P(facts(AMY, intended=[AMY], problems=["wrong_attachment"]), "medium", id="content-error"),
        P(facts(AMY, CARL, intended=[AMY]), "medium", id="colleague-at-same-client-is-still-unintended"),
        P(facts(AMY, intended=[AMY], problems=["tone"]), "medium", id="harsh-tone-to-intended-client"),
        P(facts(ME, STRANGER, intended=[ME, STRANGER], problems=["tone"]), "medium", id="harsh-tone-to-unknown-domain"),
        # low
        P(facts(ME, COLLEAGUE, problems=["wrong_recipient", "internal_info"]), "low", id="internal-only"),
        P(facts(AMY, intended=[AMY], body="Price list attached."), "low", id="pricing-to-intended-client"),
        P(facts(ME, COLLEAGUE, intended=[COLLEAGUE], problems=["tone"]), "low", id="harsh-tone-to-colleagues-only"),
        P(facts(AMY, intended=[AMY], quoted="110", correct="100"), "low", id="quote-too-high"),
    ],
)
def test_severity(incident, severity):
    assert run(incident).severity == severity


@pytest.mark.parametrize(
    "threshold, percent_low, severity",
    [
        P("0.05", "5", "high", id="custom-threshold-boundary"),
        P("0.05", "4.99", "medium", id="custom-threshold-below"),
        P("0.20", "10", "medium", id="raised-threshold"),
    ],
)
def test_severity_follows_the_configured_gap_threshold(threshold, percent_low, severity):
    thresholds = Thresholds(low_quote_high_gap=Decimal(threshold))
    assert run(quote(percent_low), thresholds=thresholds).severity == severity


@pytest.mark.parametrize(
    "incident, manager, legal",
    [
        P(facts(ME, COLLEAGUE), False, False, id="low-nobody"),
        P(facts(AMY, BOB, intended=[AMY]), False, False, id="medium-nobody"),
        P(quote("5"), False, True, id="medium-low-quote-goes-to-legal"),
        P(facts(AMY, BOB, intended=[AMY], body="quotation"), True, False, id="high-manager-only"),
        P(quote("10"), True, True, id="high-low-quote-manager-and-legal"),
        P(
            facts(AMY, BOB, intended=[AMY], problems=["personal_data"]),
            True,
            True,
            id="personal-data-manager-and-legal",
        ),
        P(facts(EVE, intended=[AMY], body="USD 3.20/pc"), True, True, id="critical-manager-and-legal"),
    ],
)
def test_routing(incident, manager, legal):
    route = run(incident).route
    assert (route.manager, route.legal) == (manager, legal)


def test_personal_data_external_starts_the_72_hour_clock_at_filing():
    assessment = run(facts(AMY, BOB, intended=[AMY], problems=["personal_data"]))
    assert assessment.regulatory_deadline == FILED_AT + timedelta(hours=72)


def test_breach_clock_hours_are_configurable():
    thresholds = Thresholds(breach_notification_hours=24)
    assessment = run(facts(BOB, problems=["personal_data", "wrong_recipient"]), thresholds=thresholds)
    assert assessment.regulatory_deadline == FILED_AT + timedelta(hours=24)


@pytest.mark.parametrize(
    "incident",
    [
        P(facts(AMY, intended=[AMY], problems=["personal_data"]), id="personal-data-to-intended-only"),
        P(facts(AMY, BOB, intended=[AMY]), id="unintended-without-personal-data"),
        P(facts(ME, COLLEAGUE, problems=["personal_data", "wrong_recipient"]), id="personal-data-internal"),
    ],
)
def test_no_deadline_without_personal_data_external(incident):
    assert run(incident).regulatory_deadline is None


@pytest.mark.parametrize(
    "quoted, correct, gap",
    [
        P("90.00", "100.00", Decimal("0.1"), id="ten-percent"),
        P("110", "100", Decimal("-0.1"), id="too-high-is-negative"),
        P(None, "100", None, id="no-quoted"),
        P("90", "0", None, id="zero-correct-has-no-gap"),
    ],
)
def test_gap(quoted, correct, gap):
    assert run(facts(AMY, quoted=quoted, correct=correct)).gap == gap
