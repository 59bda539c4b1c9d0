"""Each factor fires exactly when its condition from the contract holds."""

import pytest

from incidents.assessment import FACTOR_CODES
from tests.assessment.builders import AMY, BOB, CARL, COLLEAGUE, EVE, ME, STRANGER, facts, run
from tests.assessment.emails import ID_NUMBER

P = pytest.param

FACTOR_CASES = [
    # internal_only: every recipient is internal
    P("internal_only", facts(ME, "li@mail.ourco.com"), True, id="internal_only-all-internal-incl-subdomain"),
    P("internal_only", facts(COLLEAGUE, "Me@OURCO.com"), True, id="internal_only-case-insensitive"),
    P("internal_only", facts(ME, AMY), False, id="internal_only-not-with-a-client"),
    P("internal_only", facts(ME, STRANGER), False, id="internal_only-not-with-unknown-domain"),
    P("internal_only", facts(), False, id="internal_only-not-without-recipients"),
    # unintended_external: some unintended recipient is external
    P("unintended_external", facts(AMY, BOB, intended=[AMY]), True, id="unintended_external-other-client"),
    P("unintended_external", facts(AMY, STRANGER, intended=[AMY]), True, id="unintended_external-unknown-domain"),
    P("unintended_external", facts(AMY, EVE, intended=[AMY]), True, id="unintended_external-competitor"),
    P("unintended_external", facts(AMY, intended=[AMY]), False, id="unintended_external-not-when-intended"),
    P(
        "unintended_external",
        facts("Amy@ClientA.COM", intended=[AMY]),
        False,
        id="unintended_external-case-insensitive",
    ),
    P("unintended_external", facts(AMY, ME, intended=[AMY]), False, id="unintended_external-not-for-internal-extra"),
    P("unintended_external", facts(BOB), False, id="unintended_external-not-without-intended"),
    P(
        "unintended_external",
        facts(BOB, problems=["wrong_recipient"]),
        True,
        id="unintended_external-wrong-recipient-without-intended",
    ),
    P(
        "unintended_external",
        facts(ME, problems=["wrong_recipient"]),
        False,
        id="unintended_external-wrong-recipient-internal-only",
    ),
    # wrong_client: unintended external recipient outside every intended recipient's organisation
    P("wrong_client", facts(AMY, BOB, intended=[AMY]), True, id="wrong_client-another-client"),
    P("wrong_client", facts(AMY, EVE, intended=[AMY]), True, id="wrong_client-competitor"),
    P("wrong_client", facts(AMY, CARL, intended=[AMY]), False, id="wrong_client-not-same-organisation"),
    P(
        "wrong_client",
        facts(AMY, "li@eu.clienta.com", intended=[AMY]),
        False,
        id="wrong_client-not-same-organisation-subdomain",
    ),
    P("wrong_client", facts(BOB, CARL, intended=[AMY, BOB]), False, id="wrong_client-not-any-intended-organisation"),
    P(
        "wrong_client",
        facts(STRANGER, "y@foo-trading.com", intended=[STRANGER]),
        False,
        id="wrong_client-not-same-unknown-domain",
    ),
    P(
        "wrong_client",
        facts(STRANGER, "y@bar-trading.com", intended=[STRANGER]),
        True,
        id="wrong_client-other-unknown-domain",
    ),
    P(
        "wrong_client",
        facts(STRANGER, "y@mail.foo-trading.com", intended=[STRANGER]),
        True,
        id="wrong_client-unknown-subdomain-is-another-organisation",
    ),
    P("wrong_client", facts(AMY, ME, intended=[AMY]), False, id="wrong_client-not-internal-extra"),
    P("wrong_client", facts(AMY, problems=["wrong_recipient"]), True, id="wrong_client-no-intended-wrong-recipient"),
    P("wrong_client", facts(AMY), False, id="wrong_client-not-without-intended-or-problem"),
    # competitor_exposure: an unintended recipient belongs to a competitor
    P("competitor_exposure", facts(AMY, EVE, intended=[AMY]), True, id="competitor_exposure-competitor-in-cc"),
    P(
        "competitor_exposure",
        facts("eve@sales.rival.com", intended=[AMY]),
        True,
        id="competitor_exposure-competitor-subdomain",
    ),
    P("competitor_exposure", facts(EVE, intended=[EVE]), False, id="competitor_exposure-not-when-intended"),
    P("competitor_exposure", facts(AMY, BOB, intended=[AMY]), False, id="competitor_exposure-not-for-client"),
    P(
        "competitor_exposure",
        facts(EVE, problems=["wrong_recipient"]),
        True,
        id="competitor_exposure-no-intended-wrong-recipient",
    ),
    # leaked_pricing: pricing_content and wrong_client
    P("leaked_pricing", facts(AMY, BOB, intended=[AMY], quoted="9.50"), True, id="leaked_pricing-quoted-price"),
    P(
        "leaked_pricing",
        facts(BOB, intended=[AMY], body="Our quotation for 500 pcs."),
        True,
        id="leaked_pricing-body-word",
    ),
    P(
        "leaked_pricing",
        facts(BOB, intended=[AMY], attachments=("Quotation_ClientA.pdf",)),
        True,
        id="leaked_pricing-attachment-name",
    ),
    P("leaked_pricing", facts(BOB, intended=[AMY], problems=["wrong_price"]), True, id="leaked_pricing-wrong-price"),
    P("leaked_pricing", facts(BOB, intended=[AMY], body="单价：45元，含税。"), True, id="leaked_pricing-chinese"),
    P("leaked_pricing", facts(AMY, intended=[AMY], quoted="9.50"), False, id="leaked_pricing-not-to-intended-client"),
    P(
        "leaked_pricing",
        facts(AMY, CARL, intended=[AMY], quoted="9.50"),
        False,
        id="leaked_pricing-not-within-same-client",
    ),
    P(
        "leaked_pricing",
        facts(BOB, intended=[AMY], body="See you on Monday."),
        False,
        id="leaked_pricing-not-without-pricing",
    ),
    P(
        "leaked_pricing",
        facts(BOB, intended=[AMY], body="See you.\n-- \nAsk for our price list!"),
        False,
        id="leaked_pricing-not-from-signature",
    ),
    # internal_info_external: internal_info and any external recipient
    P(
        "internal_info_external",
        facts(AMY, intended=[AMY], problems=["internal_info"]),
        True,
        id="internal_info_external-problem-to-intended-client",
    ),
    P(
        "internal_info_external",
        facts(AMY, intended=[AMY], body="Our cost is 8.20, keep the margin."),
        True,
        id="internal_info_external-body-words",
    ),
    P(
        "internal_info_external",
        facts(AMY, intended=[AMY], body="底价是每件30元。"),
        True,
        id="internal_info_external-chinese",
    ),
    P(
        "internal_info_external",
        facts(ME, COLLEAGUE, problems=["internal_info"]),
        False,
        id="internal_info_external-not-all-internal",
    ),
    P(
        "internal_info_external",
        facts(AMY, intended=[AMY], body="Hi.\n\nThis email is confidential and intended only for the addressee."),
        False,
        id="internal_info_external-not-from-disclaimer",
    ),
    # low_quote: quoted < correct with some external recipient
    P("low_quote", facts(AMY, quoted="90", correct="100"), True, id="low_quote-lower"),
    P("low_quote", facts(AMY, quoted="99.99", correct="100"), True, id="low_quote-a-cent-lower"),
    P("low_quote", facts(AMY, quoted="100", correct="100"), False, id="low_quote-not-equal"),
    P("low_quote", facts(AMY, quoted="110", correct="100"), False, id="low_quote-not-higher"),
    P("low_quote", facts(ME, quoted="90", correct="100"), False, id="low_quote-not-internal-only"),
    P("low_quote", facts(AMY, quoted="90"), False, id="low_quote-not-without-correct"),
    P("low_quote", facts(AMY, correct="100"), False, id="low_quote-not-without-quoted"),
    # low_quote_answered: low_quote and replied or accepted
    P(
        "low_quote_answered",
        facts(AMY, quoted="90", correct="100", recipient_status="replied"),
        True,
        id="low_quote_answered-replied",
    ),
    P(
        "low_quote_answered",
        facts(AMY, quoted="90", correct="100", recipient_status="accepted"),
        True,
        id="low_quote_answered-accepted",
    ),
    P(
        "low_quote_answered",
        facts(AMY, quoted="90", correct="100", recipient_status="read"),
        False,
        id="low_quote_answered-not-read",
    ),
    P("low_quote_answered", facts(AMY, quoted="90", correct="100"), False, id="low_quote_answered-not-unknown"),
    P(
        "low_quote_answered",
        facts(AMY, quoted="110", correct="100", recipient_status="accepted"),
        False,
        id="low_quote_answered-not-without-low-quote",
    ),
    # firm_offer: low_quote and firm_offer
    P("firm_offer", facts(AMY, quoted="90", correct="100", firm_offer=True), True, id="firm_offer-low-and-firm"),
    P("firm_offer", facts(AMY, quoted="90", correct="100"), False, id="firm_offer-not-without-firm"),
    P(
        "firm_offer",
        facts(AMY, quoted="100", correct="100", firm_offer=True),
        False,
        id="firm_offer-not-without-low-quote",
    ),
    # personal_data_external: personal_data and some unintended external recipient
    P(
        "personal_data_external",
        facts(AMY, BOB, intended=[AMY], problems=["personal_data"]),
        True,
        id="personal_data_external-other-client",
    ),
    P(
        "personal_data_external",
        facts(BOB, problems=["personal_data", "wrong_recipient"]),
        True,
        id="personal_data_external-no-intended-wrong-recipient",
    ),
    P(
        "personal_data_external",
        facts(AMY, intended=[AMY], problems=["personal_data"]),
        False,
        id="personal_data_external-not-to-intended",
    ),
    P(
        "personal_data_external",
        facts(AMY, ME, intended=[AMY], problems=["personal_data"]),
        False,
        id="personal_data_external-not-unintended-internal",
    ),
    P(
        "personal_data_external",
        facts(AMY, BOB, intended=[AMY]),
        False,
        id="personal_data_external-not-without-problem",
    ),
    P(
        "personal_data_external",
        facts(AMY, BOB, intended=[AMY], body=f"身份证号：{ID_NUMBER}"),
        True,
        id="personal_data_external-detected-without-the-box",
    ),
    P(
        "personal_data_external",
        facts(AMY, BOB, intended=[AMY], body=f"身份证号：{ID_NUMBER}", personal_data_dismissal="test data"),
        False,
        id="personal_data_external-not-when-dismissed",
    ),
    # personal_data_dismissed: detected, not ticked, and dismissed with a reason (a note of no weight)
    P(
        "personal_data_dismissed",
        facts(AMY, BOB, intended=[AMY], body=f"订单号 {ID_NUMBER}", personal_data_dismissal="an order number"),
        True,
        id="personal_data_dismissed-detected-and-dismissed",
    ),
    P(
        "personal_data_dismissed",
        facts(AMY, intended=[AMY], body=f"订单号 {ID_NUMBER}", personal_data_dismissal="an order number"),
        True,
        id="personal_data_dismissed-shown-whoever-received-it",
    ),
    P(
        "personal_data_dismissed",
        facts(AMY, BOB, intended=[AMY], personal_data_dismissal="an order number"),
        False,
        id="personal_data_dismissed-not-when-nothing-detected",
    ),
    P(
        "personal_data_dismissed",
        facts(AMY, BOB, intended=[AMY], body=f"订单号 {ID_NUMBER}", personal_data_dismissal="   "),
        False,
        id="personal_data_dismissed-not-without-a-reason",
    ),
    P(
        "personal_data_dismissed",
        facts(
            AMY,
            BOB,
            intended=[AMY],
            body=f"订单号 {ID_NUMBER}",
            problems=["personal_data"],
            personal_data_dismissal="x",
        ),
        False,
        id="personal_data_dismissed-not-when-ticked",
    ),
    # content_error: wrong attachment/content/price with some external recipient
    P("content_error", facts(AMY, intended=[AMY], problems=["wrong_attachment"]), True, id="content_error-attachment"),
    P("content_error", facts(AMY, intended=[AMY], problems=["wrong_content"]), True, id="content_error-content"),
    P("content_error", facts(AMY, intended=[AMY], problems=["wrong_price"]), True, id="content_error-price"),
    P("content_error", facts(AMY, intended=[AMY], problems=["tone"]), False, id="content_error-not-tone"),
    P("content_error", facts(ME, problems=["wrong_attachment"]), False, id="content_error-not-internal-only"),
    # harsh_tone: the tone problem, whoever received it
    P("harsh_tone", facts(AMY, intended=[AMY], problems=["tone"]), True, id="harsh_tone-to-the-client"),
    P("harsh_tone", facts(ME, COLLEAGUE, problems=["tone"]), True, id="harsh_tone-to-colleagues"),
    P("harsh_tone", facts(AMY, intended=[AMY], problems=["wrong_content"]), False, id="harsh_tone-not-without-tone"),
    P("harsh_tone", facts(problems=["tone"]), False, id="harsh_tone-not-without-recipients"),
]


@pytest.mark.parametrize("code, incident, expected", FACTOR_CASES)
def test_factor_fires_exactly_when_its_condition_holds(code, incident, expected):
    assert (code in run(incident).factor_codes) is expected


def test_every_factor_has_positive_and_negative_cases():
    covered = {(case.values[0], case.values[2]) for case in FACTOR_CASES}
    assert covered == {(code, outcome) for code in FACTOR_CODES for outcome in (True, False)}


def test_factors_come_in_a_fixed_order():
    incident = facts(
        AMY,
        EVE,
        intended=[AMY],
        problems=["wrong_price", "personal_data"],
        quoted="80",
        correct="100",
        firm_offer=True,
        recipient_status="accepted",
        body="Our cost: USD 50.",
    )
    codes = [factor.code for factor in run(incident).factors]
    assert codes == [code for code in FACTOR_CODES if code in codes]
    assert codes == [
        "unintended_external",
        "wrong_client",
        "competitor_exposure",
        "leaked_pricing",
        "internal_info_external",
        "low_quote",
        "low_quote_answered",
        "firm_offer",
        "personal_data_external",
        "content_error",
    ]
