"""Every factor explains itself with the addresses, organisations and figures involved."""

import json

import pytest

from incidents.assessment import FACTOR_CODES, Factor, describe_factor
from tests.assessment.builders import AMY, BOB, EVE, ME, STRANGER, facts, quote, run

P = pytest.param


def detail(incident, code):
    factor = next(f for f in run(incident).factors if f.code == code)
    return factor.detail


@pytest.mark.parametrize(
    "incident, code, phrases",
    [
        P(
            facts(ME, "li@ourco.cn"),
            "internal_only",
            ["All 2 recipients are internal", ME, "li@ourco.cn"],
            id="internal_only",
        ),
        P(
            facts(AMY, EVE, intended=[AMY]),
            "unintended_external",
            ["eve@rival.com (Rival Ltd, a competitor) received it unintentionally"],
            id="unintended_external",
        ),
        P(
            facts(AMY, STRANGER, intended=[AMY]),
            "unintended_external",
            [f"{STRANGER} (foo-trading.com, not in the directory)"],
            id="unintended_external-unknown-domain",
        ),
        P(
            facts(AMY, BOB, intended=[AMY]),
            "wrong_client",
            [f"{BOB} (Client B, a client)", "intended organisation (Client A)"],
            id="wrong_client",
        ),
        P(
            facts(BOB, problems=["wrong_recipient"]),
            "wrong_client",
            [BOB, "no intended recipient was given"],
            id="wrong_client-without-intended",
        ),
        P(
            facts(AMY, EVE, intended=[AMY]),
            "competitor_exposure",
            ["competitor", EVE, "Rival Ltd"],
            id="competitor_exposure",
        ),
        P(
            facts(BOB, intended=[AMY], body="Quotation: USD 12.50", attachments=("price-list.xlsx",)),
            "leaked_pricing",
            ["quotation", "USD 12.50", "attachment price-list.xlsx", f"{BOB} (Client B, a client)"],
            id="leaked_pricing",
        ),
        P(
            facts(BOB, intended=[AMY], quoted="9.80", currency="EUR"),
            "leaked_pricing",
            ["a quoted price of 9.80 EUR", BOB],
            id="leaked_pricing-quoted",
        ),
        P(
            facts(BOB, intended=[AMY], subject="Quotation Q-7", body="Price: USD 12.50"),
            "leaked_pricing",
            ["price, USD 12.50, quotation in the subject", BOB],
            id="leaked_pricing-in-subject",
        ),
        P(
            facts(AMY, intended=[AMY], subject="Internal only: Acme offer", attachments=("margin.xlsx",)),
            "internal_info_external",
            ["internal only in the subject", "attachment margin.xlsx"],
            id="internal_info_external-subject-and-attachment-name",
        ),
        P(
            facts(AMY, intended=[AMY], body="our cost is 5, margin 20%"),
            "internal_info_external",
            ["our cost", "margin", f"{AMY} (Client A, a client)"],
            id="internal_info_external",
        ),
        P(
            quote("10"),
            "low_quote",
            ["Quoted 90.00 USD against a correct 100.00 USD: 10.0% too low", AMY],
            id="low_quote",
        ),
        P(
            quote("9.99"),
            "low_quote",
            ["Quoted 90.01 USD against a correct 100.00 USD: 9.9% too low"],
            id="low_quote-percent-is-cut-not-rounded-up",
        ),
        P(
            quote("12.5", recipient_status="accepted"),
            "low_quote_answered",
            ["already accepted", "12.5% too low"],
            id="low_quote_answered-accepted",
        ),
        P(
            quote("12.5", recipient_status="replied"),
            "low_quote_answered",
            ["already replied", "87.50 USD"],
            id="low_quote_answered-replied",
        ),
        P(quote("10", firm_offer=True), "firm_offer", ["90.00 USD", "firm offer", AMY], id="firm_offer"),
        P(
            facts(AMY, BOB, intended=[AMY], problems=["personal_data"]),
            "personal_data_external",
            ["Personal data", BOB, "72 hours"],
            id="personal_data_external",
        ),
        P(
            facts(AMY, intended=[AMY], problems=["wrong_attachment", "wrong_price"]),
            "content_error",
            ["a wrong or outdated attachment, a wrong price", AMY],
            id="content_error",
        ),
        P(
            facts(AMY, ME, intended=[AMY, ME], problems=["tone"]),
            "harsh_tone",
            ["tone was harsh", f"{AMY} (Client A, a client), {ME} (OurCo, internal) received it", "apology"],
            id="harsh_tone",
        ),
    ],
)
def test_factor_detail_names_who_and_what(incident, code, phrases):
    text = detail(incident, code)
    for phrase in phrases:
        assert phrase in text


def test_every_factor_code_has_its_own_explanation():
    for code in FACTOR_CODES:
        assert describe_factor(Factor(code, {})) != code


def test_unknown_code_falls_back_to_the_code():
    assert describe_factor(Factor("something_new", {})) == "something_new"


def test_params_are_plain_json_and_render_the_same_after_a_round_trip():
    incident = facts(
        AMY,
        EVE,
        intended=[AMY],
        problems=["wrong_price", "personal_data", "internal_info"],
        quoted="80.00",
        correct="100.00",
        currency="USD",
        firm_offer=True,
        recipient_status="accepted",
        body="Quotation USD 80, our cost 60",
        attachments=("q.pdf",),
    )
    factors = run(incident).factors
    assert len(factors) == 10
    for factor in factors:
        stored = json.loads(json.dumps(factor.params))
        assert stored == factor.params
        assert describe_factor(Factor(factor.code, stored)) == factor.detail


@pytest.mark.parametrize(
    "code, params, text",
    [
        P(
            "leaked_pricing",
            {"recipients": [BOB], "signals": ["quotation"], "attachments": ["q.pdf"]},
            f"Pricing (quotation, attachment q.pdf) reached the wrong organisation: {BOB}.",
            id="leaked_pricing",
        ),
        P(
            "internal_info_external",
            {"recipients": [AMY], "signals": ["margin"], "problems": []},
            f"Internal-only content (margin) went outside the company, to {AMY}.",
            id="internal_info_external",
        ),
    ],
)
def test_params_stored_before_subjects_were_scanned_still_read_as_before(code, params, text):
    assert describe_factor(Factor(code, params)) == text


def test_gap_is_stored_as_a_four_place_string():
    factor = next(f for f in run(quote("10")).factors if f.code == "low_quote")
    assert factor.params["gap"] == "0.1000"
    assert (factor.params["quoted"], factor.params["correct"], factor.params["currency"]) == ("90.00", "100.00", "USD")


@pytest.mark.parametrize(
    "stored,shown", [("9.5000", "9.50"), ("12.1250", "12.125"), ("1000.0000", "1000.00"), ("0.0000", "0.00")]
)
def test_prices_as_stored_with_four_places_read_as_people_write_them(stored, shown):
    factor = next(
        f
        for f in run(facts(AMY, intended=[AMY], quoted=stored, correct="2000", currency="USD")).factors
        if f.code == "low_quote"
    )
    assert factor.params["quoted"] == shown
