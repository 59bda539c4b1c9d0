"""What drafts say agrees with the incident: notes stay with the sender, call scripts follow legal's
approval, the internal note names only what exists and states the price gap with its direction."""

from dataclasses import replace
from decimal import Decimal

import pytest

from incidents.correspondence import TEMPLATE_VARIABLES, build_context, choose_drafts, render_draft
from incidents.correspondence.samples import sample_facts, sample_spec
from incidents.vocabulary import DraftLanguage, Tone
from tests.correspondence.builders import ANNA, COLLEAGUE, KIND_LANGUAGES, RIVAL, WANG, facts, low_quote, personal_data

P = pytest.param
WITHDRAWAL_KEY = "offer_withdrawal:example-client.com"
NOT_NEEDED = dict(firm_offer=False, recipient_status="unknown", factor_codes=frozenset({"low_quote"}))
APPROVAL_STATES = {
    "legal-pending": {},
    "legal-approved": {"approved_keys": frozenset({WITHDRAWAL_KEY})},
    "no-approval-needed": NOT_NEEDED,
}
SENDER_ONLY = ("FOR THE SENDER", "DELETE THIS", "发件人注意", "删除本段")
# Call scripts and the internal note are read by our own people; everything else goes to clients.
OWN_PEOPLE = ("call_script", "internal_summary")


def sample_draft(kind, language, tone, state):
    incident = replace(sample_facts(), **APPROVAL_STATES[state])
    spec = sample_spec(kind, language, tone)
    if state == "no-approval-needed":
        spec = replace(spec, needs_legal_approval=False)
    return render_draft(spec, incident)


@pytest.mark.parametrize("state", APPROVAL_STATES)
@pytest.mark.parametrize("tone", Tone)
@pytest.mark.parametrize("kind, language", KIND_LANGUAGES)
def test_notes_for_the_sender_never_reach_the_text_of_any_draft(kind, language, tone, state):
    draft = sample_draft(kind, language, tone, state)
    parts = [draft.subject, draft.text, draft.html or ""]
    for part in parts:
        for note in draft.notes_for_sender:
            assert note not in part
        for marker in SENDER_ONLY:
            assert marker not in part
        if kind not in OWN_PEOPLE:
            assert "legal" not in part.lower() and "法务" not in part and "法務" not in part


NOTES = [
    P(
        "offer_withdrawal",
        "en",
        "legal-pending",
        ["Legal must approve this withdrawal", "firm offer", "Do not send it until they have."],
        id="withdrawal-pending-en",
    ),
    P(
        "offer_withdrawal",
        "zh-hans",
        "legal-pending",
        ["须经法务批准", "实盘", "批准前请勿发送"],
        id="withdrawal-pending-zh",
    ),
    P("offer_withdrawal", "en", "legal-approved", [], id="withdrawal-approved"),
    P("offer_withdrawal", "en", "no-approval-needed", [], id="withdrawal-not-needed"),
    P("call_script", "en", "legal-pending", ["Legal has not approved the withdrawal yet"], id="call-pending-en"),
    P("call_script", "zh-hans", "legal-pending", ["法务尚未批准"], id="call-pending-zh"),
    P("call_script", "en", "legal-approved", ["Legal has approved the withdrawal"], id="call-approved"),
    P("call_script", "en", "no-approval-needed", [], id="call-not-needed"),
    P("deletion_request", "en", "legal-pending", [], id="deletion"),
]


@pytest.mark.parametrize("kind, language, state, phrases", NOTES)
def test_notes_for_the_sender_say_what_legal_has_decided_in_the_drafts_language(kind, language, state, phrases):
    notes = " ".join(sample_draft(kind, language, "polite", state).notes_for_sender)
    assert bool(notes) is bool(phrases)
    for phrase in phrases:
        assert phrase in notes


# What a call script may say about the quotation, by language: words that withdraw it.
WITHDRAWING_WORDS = {
    "en": ("we withdraw", "we're withdrawing", "withdrawn"),
    "zh-hans": ("撤回", "撤销"),
    "zh-hant": ("撤回", "撤銷"),
}
NO_PRICES = {"en": "do not discuss prices", "zh-hans": "不要谈价格", "zh-hant": "不要談價格"}


@pytest.mark.parametrize("tone", Tone)
@pytest.mark.parametrize("language", DraftLanguage)
@pytest.mark.parametrize(
    "state, withdraws",
    [
        P("legal-pending", False, id="pending"),
        P("legal-approved", True, id="approved"),
        P("no-approval-needed", True, id="not-needed"),
    ],
)
def test_a_call_script_withdraws_the_quotation_only_once_legal_allows_it(language, tone, state, withdraws):
    text = sample_draft("call_script", language, tone, state).text.lower()
    said = [word for word in WITHDRAWING_WORDS[language] if word in text]
    if withdraws:
        assert said
    else:
        assert said == []
        assert NO_PRICES[language] in text


def test_only_withdrawals_that_need_approval_are_gated():
    incidents = [
        low_quote(
            actual=(ANNA, WANG),
            unintended=(WANG,),
            firm_offer=True,
            severity="critical",
            route_legal=True,
            factor_codes=frozenset({"low_quote", "firm_offer", "unintended_external"}),
        ),
        low_quote(
            recipient_status="accepted",
            severity="critical",
            factor_codes=frozenset({"low_quote", "low_quote_answered"}),
        ),
        low_quote(severity="high"),
        personal_data(),
    ]
    for incident in incidents:
        for spec in choose_drafts(incident):
            assert spec.needs_legal_approval is (
                spec.kind == "offer_withdrawal" and (incident.firm_offer or incident.recipient_status == "accepted")
            )


@pytest.mark.parametrize(
    "kind, approved, expected",
    [
        P("offer_withdrawal", frozenset(), False, id="withdrawal-not-yet"),
        P("offer_withdrawal", frozenset({WITHDRAWAL_KEY}), True, id="withdrawal-approved"),
        P("call_script", frozenset({WITHDRAWAL_KEY}), True, id="call-follows-its-organisations-withdrawal"),
        P("call_script", frozenset({"offer_withdrawal:other.com"}), False, id="call-ignores-other-organisations"),
        P("deletion_request", frozenset({WITHDRAWAL_KEY}), False, id="other-drafts-are-not-approved"),
    ],
)
def test_legal_approved_reads_the_approved_keys(kind, approved, expected):
    context = build_context(sample_spec(kind), replace(sample_facts(), approved_keys=approved))
    assert context["legal_approved"] is expected
    assert {"legal_approved", "needs_legal_approval", "sent_in_error"} <= TEMPLATE_VARIABLES.keys()


def test_a_call_script_needs_approval_only_for_a_withdrawal_among_its_purposes():
    deletion_only = replace(sample_spec("call_script"), purposes=("deletion_request",))
    assert build_context(sample_spec("call_script"), sample_facts())["needs_legal_approval"] is True
    assert build_context(deletion_only, sample_facts())["needs_legal_approval"] is False


def test_the_withdrawal_to_the_wrong_client_says_it_was_not_meant_for_them_and_keeps_the_right_price():
    incident = low_quote(
        actual=(ANNA, WANG),
        unintended=(WANG,),
        firm_offer=True,
        severity="high",
        factor_codes=frozenset({"low_quote", "firm_offer", "unintended_external"}),
    )
    specs = {s.key: s for s in choose_drafts(incident, language="en", tone="formal")}
    draft = render_draft(specs["offer_withdrawal:globex.com.cn"], incident)
    assert "sent to you in error" in draft.text and "withdraw and revoke" in draft.text
    assert "USD 14.00" not in draft.text and "Anna" not in draft.text and "Acme" not in draft.text
    call = render_draft(specs["call_script:globex.com.cn"], replace(incident, approved_keys=frozenset(specs)))
    assert "not intended for you" in call.text and "USD 14.00" not in call.text
    zh = render_draft(replace(specs["offer_withdrawal:globex.com.cn"], language="zh-hans"), incident)
    assert "误发" in zh.text and "USD 14.00" not in zh.text


def internal_note(incident, language="en"):
    [spec] = [s for s in choose_drafts(incident, language=language) if s.kind == "internal_summary"]
    return render_draft(spec, incident)


GAPS = [
    P("12.50", "14.00", "en", "(10.7% too low)", id="too-low-en"),
    P("120.00", "100.00", "en", "(20.0% too high)", id="too-high-en"),
    P("12.50", "14.00", "zh-hans", "（比正确价格低 10.7%）", id="too-low-zh"),
    P("120.00", "100.00", "zh-hans", "（比正确价格高 20.0%）", id="too-high-zh"),
]


@pytest.mark.parametrize("quoted, correct, language, shown", GAPS)
def test_the_internal_note_states_the_gap_with_its_direction(quoted, correct, language, shown):
    quoted, correct = Decimal(quoted), Decimal(correct)
    incident = personal_data(
        quoted_price=quoted, correct_price=correct, currency="USD", gap=(correct - quoted) / correct
    )
    draft = internal_note(incident, language)
    for part in (draft.text, draft.html):
        assert shown in part
        assert "-20.0" not in part


def test_the_gap_variables_are_absolute_with_a_direction():
    context = build_context(sample_spec("internal_summary"), replace(sample_facts(), gap=Decimal("-0.2")))
    assert (context["gap_percent"], context["gap_direction"]) == ("20.0%", "high")
    context = build_context(sample_spec("internal_summary"), replace(sample_facts(), gap=None))
    assert (context["gap_percent"], context["gap_direction"]) == ("", "")


NEEDS = [
    P(
        personal_data(quoted_price=Decimal("9"), correct_price=Decimal("10"), currency="USD"),
        "en",
        ["whether the breach must be notified"],
        ["withdrawal"],
        id="prices-but-no-withdrawal-en",
    ),
    P(
        personal_data(quoted_price=Decimal("9"), correct_price=Decimal("10"), currency="USD"),
        "zh-hans",
        ["是否需要报告个人信息泄露"],
        ["撤回"],
        id="prices-but-no-withdrawal-zh",
    ),
    P(
        low_quote(
            firm_offer=True, severity="high", route_manager=True, factor_codes=frozenset({"low_quote", "firm_offer"})
        ),
        "en",
        [
            "Legal: please review the withdrawal of the quotation",
            "Withdrawal of the quotation: Acme Trading",
            "before anything is sent out",
        ],
        [],
        id="withdrawal-planned-en",
    ),
    P(
        low_quote(
            firm_offer=True, severity="high", route_manager=True, factor_codes=frozenset({"low_quote", "firm_offer"})
        ),
        "zh-hans",
        ["法务：请审核撤回报价事宜", "撤回报价函：Acme Trading"],
        [],
        id="withdrawal-planned-zh",
    ),
    P(
        facts(
            actual=(COLLEAGUE, RIVAL),
            intended=(COLLEAGUE, RIVAL),
            factor_codes=frozenset({"harsh_tone"}),
            severity="medium",
            route_manager=True,
        ),
        "en",
        ["Apology: Rival Exports", "before anything is sent out"],
        ["withdrawal"],
        id="apology-planned",
    ),
    P(
        facts(
            actual=(COLLEAGUE,), intended=(COLLEAGUE,), factor_codes=frozenset({"internal_only"}), route_manager=True
        ),
        "en",
        ["Manager: please acknowledge and agree the plan."],
        ["Drafts prepared", "before anything"],
        id="nothing-planned",
    ),
]


@pytest.mark.parametrize("incident, language, present, absent", NEEDS)
def test_the_internal_note_asks_only_about_drafts_that_exist(incident, language, present, absent):
    draft = internal_note(incident, language)
    for phrase in present:
        assert phrase in draft.text
    for phrase in absent:
        assert phrase not in draft.text
