"""Where the signal factors found their signals (subject, body, attachment names), and what the assessment
counts as pricing content or internal information."""

import pytest

from tests.assessment.builders import AMY, BOB, facts, run

P = pytest.param


WHERE_FOUND = [
    P(
        "leaked_pricing",
        facts(BOB, intended=[AMY], subject="Quotation for Client A"),
        {"signals": ["quotation"], "subject_signals": ["quotation"], "attachments": []},
        id="pricing-in-subject",
    ),
    P(
        "leaked_pricing",
        facts(BOB, intended=[AMY], subject="Re: order", body="Price: USD 9"),
        {"signals": ["price", "USD 9"], "subject_signals": [], "attachments": []},
        id="pricing-in-body-only",
    ),
    P(
        "internal_info_external",
        facts(AMY, intended=[AMY], attachments=("Acme margin calc.xlsx", "spec.pdf")),
        {"signals": ["margin"], "subject_signals": [], "attachments": ["Acme margin calc.xlsx"]},
        id="internal-in-attachment-name",
    ),
    P(
        "internal_info_external",
        facts(AMY, intended=[AMY], subject="CONFIDENTIAL: our cost", body="see the margin"),
        {
            "signals": ["margin", "our cost", "confidential"],
            "subject_signals": ["our cost", "confidential"],
            "attachments": [],
        },
        id="internal-in-subject-and-body",
    ),
]


@pytest.mark.parametrize("code, incident, found", WHERE_FOUND)
def test_signal_factors_record_where_each_signal_was_found(code, incident, found):
    factor = next(f for f in run(incident).factors if f.code == code)
    assert {key: factor.params[key] for key in found} == found


@pytest.mark.parametrize(
    "incident, pricing, internal",
    [
        P(facts(AMY, problems=["wrong_price"]), True, False, id="wrong-price-problem-is-pricing"),
        P(facts(AMY, quoted="1"), True, False, id="quoted-price-is-pricing"),
        P(facts(AMY, attachments=("price-list-v2.xlsx",)), True, False, id="attachment-name-is-pricing"),
        P(facts(AMY, body="RMB 1,200 per carton"), True, False, id="amount-is-pricing"),
        P(facts(AMY, body="Please pay in RMB."), False, False, id="bare-currency-is-not-pricing"),
        P(facts(AMY, problems=["internal_info"]), False, True, id="internal-info-problem"),
        P(facts(AMY, body="Internal only: floor price 7.80"), True, True, id="floor-price-is-both"),
        P(facts(AMY, attachments=("margin_calc.xlsx",)), False, True, id="internal-read-from-attachment-names"),
        P(facts(AMY, subject="Quotation Q-7 for valves"), True, False, id="pricing-word-in-subject"),
        P(facts(AMY, subject="Offer: USD 12.50 per unit"), True, False, id="amount-in-subject"),
        P(facts(AMY, subject="报价单 - 阀门"), True, False, id="chinese-pricing-in-subject"),
        P(facts(AMY, subject="INTERNAL ONLY: pricing discussion"), True, True, id="internal-and-pricing-in-subject"),
        P(facts(AMY, subject="Our margin on the Acme order"), False, True, id="internal-word-in-subject"),
        P(facts(AMY, subject="Re: delivery dates"), False, False, id="plain-subject-is-neither"),
        P(facts(AMY, body="Thanks!\n-- \nJane, OurCo | Confidential"), False, False, id="signature-not-scanned"),
    ],
)
def test_pricing_content_and_internal_info(incident, pricing, internal):
    assessment = run(incident)
    assert (assessment.pricing_content, assessment.internal_info) == (pricing, internal)
