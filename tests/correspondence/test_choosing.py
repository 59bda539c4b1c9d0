"""Which drafts an incident gets, to whom and in which language."""

from dataclasses import replace
from decimal import Decimal

import pytest

from incidents.correspondence import Mailbox, Person, choose_drafts, language_for, needs_legal_approval, render_draft
from tests.correspondence.builders import (
    ANNA,
    BOB,
    COLLEAGUE,
    LEGAL,
    MANAGER,
    RIVAL,
    SENDER,
    STRANGER,
    WANG,
    facts,
    low_quote,
    personal_data,
)

CASES = {
    "wrong client with pricing": (
        facts(
            actual=(ANNA, WANG),
            unintended=(WANG,),
            problems=frozenset({"wrong_recipient"}),
            factor_codes=frozenset({"unintended_external", "wrong_client", "leaked_pricing"}),
            severity="high",
            route_manager=True,
        ),
        ["call_script:globex.com.cn", "deletion_request:globex.com.cn", "internal_summary"],
    ),
    "competitor exposure": (
        facts(
            actual=(ANNA, RIVAL),
            unintended=(RIVAL,),
            factor_codes=frozenset({"unintended_external", "competitor_exposure", "leaked_pricing"}),
            severity="critical",
            route_manager=True,
            route_legal=True,
        ),
        ["call_script:rival-exports.com", "deletion_request:rival-exports.com", "internal_summary"],
    ),
    "low quote": (low_quote(), ["offer_withdrawal:acme-trading.com", "internal_summary"]),
    "low quote, firm offer": (
        low_quote(
            factor_codes=frozenset({"low_quote", "firm_offer"}), firm_offer=True, severity="high", route_manager=True
        ),
        ["call_script:acme-trading.com", "offer_withdrawal:acme-trading.com", "internal_summary"],
    ),
    "low quote, answered": (
        low_quote(factor_codes=frozenset({"low_quote", "low_quote_answered"}), recipient_status="replied"),
        ["offer_withdrawal:acme-trading.com", "internal_summary"],
    ),
    "personal data to another client": (
        personal_data(),
        ["call_script:globex.com.cn", "deletion_request:globex.com.cn", "internal_summary"],
    ),
    "internal only": (
        facts(actual=(COLLEAGUE,), intended=(COLLEAGUE,), factor_codes=frozenset({"internal_only"})),
        [],
    ),
    "content error to the intended client": (
        facts(problems=frozenset({"wrong_attachment"}), factor_codes=frozenset({"content_error"}), severity="medium"),
        ["correction:acme-trading.com"],
    ),
    "internal notes sent to the client, high": (
        facts(factor_codes=frozenset({"internal_info_external"}), severity="high", route_manager=True),
        ["call_script:acme-trading.com", "correction:acme-trading.com", "internal_summary"],
    ),
    "content error, medium: no call": (
        facts(
            actual=(ANNA, WANG),
            unintended=(WANG,),
            problems=frozenset({"wrong_content"}),
            factor_codes=frozenset({"unintended_external", "content_error"}),
            severity="medium",
        ),
        ["deletion_request:globex.com.cn", "correction:acme-trading.com"],
    ),
}


@pytest.mark.parametrize("incident, keys", CASES.values(), ids=CASES.keys())
def test_each_kind_of_incident_gets_the_drafts_that_fit_it(incident, keys):
    assert [spec.key for spec in choose_drafts(incident)] == keys


def test_a_withdrawal_needs_legal_approval_only_for_a_firm_or_answered_offer():
    def approval(incident):
        return {s.kind: s.needs_legal_approval for s in choose_drafts(incident)}

    assert approval(low_quote())["offer_withdrawal"] is False
    firm = low_quote(factor_codes=frozenset({"low_quote", "firm_offer"}), firm_offer=True, severity="high")
    # The gate is on the email; a call script is not sent, so it is never gated itself.
    assert approval(firm) == {"call_script": False, "offer_withdrawal": True, "internal_summary": False}
    answered = low_quote(factor_codes=frozenset({"low_quote", "low_quote_answered"}), recipient_status="accepted")
    assert approval(answered)["offer_withdrawal"] is True


def test_the_withdrawal_replaces_the_correction_for_the_offeree():
    kinds = [s.kind for s in choose_drafts(low_quote())]
    assert "correction" not in kinds and "offer_withdrawal" in kinds


def test_two_unintended_organisations_get_one_deletion_request_each_and_never_see_each_other():
    incident = facts(
        actual=(ANNA, WANG, RIVAL),
        unintended=(WANG, RIVAL),
        factor_codes=frozenset({"unintended_external", "competitor_exposure"}),
        severity="high",
        route_manager=True,
    )
    deletions = [s for s in choose_drafts(incident) if s.kind == "deletion_request"]
    assert [s.to for s in deletions] == [(WANG,), (RIVAL,)]
    assert [s.organisation for s in deletions] == ["Globex China", "Rival Exports"]
    for spec, other in ((deletions[0], RIVAL), (deletions[1], WANG)):
        draft = render_draft(spec, incident)
        for text in (draft.subject, draft.text, draft.html):
            for leak in (other.name, other.organisation, other.address, other.domain, ANNA.address):
                assert leak not in text


def test_call_scripts_cover_every_organisation_that_must_be_called_with_its_purposes():
    incident = low_quote(
        actual=(ANNA, WANG),
        unintended=(WANG,),
        factor_codes=frozenset({"low_quote", "firm_offer", "unintended_external"}),
        firm_offer=True,
        severity="high",
    )
    calls = {s.key: s for s in choose_drafts(incident) if s.kind == "call_script"}
    assert calls["call_script:acme-trading.com"].purposes == ("offer_withdrawal",)
    # The firm offer reached Globex too, so Globex could accept it: withdrawn there as well.
    assert calls["call_script:globex.com.cn"].purposes == ("offer_withdrawal", "deletion_request")


def test_people_of_one_organisation_share_a_draft():
    incident = facts(
        actual=(ANNA, BOB, SENDER, COLLEAGUE),
        intended=(ANNA, BOB, COLLEAGUE),
        factor_codes=frozenset({"content_error"}),
        problems=frozenset({"wrong_content"}),
    )
    [correction] = choose_drafts(incident)
    assert correction.to == (ANNA, BOB)
    assert correction.cc == (COLLEAGUE,)  # colleagues who got the wrong version, not the sender


def test_unknown_organisations_are_grouped_by_domain():
    other = Mailbox("buyer@unknown-shop.net")
    incident = facts(
        actual=(ANNA, STRANGER, other), unintended=(STRANGER, other), factor_codes=frozenset({"unintended_external"})
    )
    [deletion] = choose_drafts(incident)
    assert deletion.key == "deletion_request:unknown-shop.net"
    assert deletion.to == (STRANGER, other)
    assert deletion.organisation == "unknown-shop.net"


def test_the_internal_note_goes_to_manager_and_legal_in_their_language():
    [note] = [s for s in choose_drafts(personal_data()) if s.kind == "internal_summary"]
    assert note.to == (MANAGER, LEGAL) and note.language == "en"
    cn_manager = Mailbox("boss@ourco.com.cn", "周敏", "OurCo", "internal")
    [note] = [
        s for s in choose_drafts(personal_data(internal_recipients=(cn_manager,))) if s.kind == "internal_summary"
    ]
    assert note.language == "zh-hans"


LANGUAGES = {
    "a .cn domain": (Mailbox("a@globex.cn"), "zh-hans"),
    "a .com.cn domain": (Mailbox("a@globex.com.cn"), "zh-hans"),
    "a subdomain of .com.cn": (Mailbox("a@mail.globex.com.cn"), "zh-hans"),
    "an English-speaking domain": (Mailbox("a@acme.com"), "en"),
    "a German domain": (Mailbox("a@acme.de"), "en"),
    "a domain that merely contains cn": (Mailbox("a@cnn.com"), "en"),
    "the directory prefers English for a .cn client": (Mailbox("a@globex.com.cn", language="en"), "en"),
    "the directory prefers Chinese for a .de client": (Mailbox("a@acme.de", language="zh-hans"), "zh-hans"),
    "a zh-CN preference": (Mailbox("a@acme.com", language="zh-CN"), "zh-hans"),
    "an unsupported preference falls back to the domain": (Mailbox("a@globex.cn", language="de"), "zh-hans"),
    "a Chinese consumer mailbox": (Mailbox("a@qq.com"), "zh-hans"),
    "a Taiwan domain": (Mailbox("a@acme.com.tw"), "zh-hant"),
    "a Hong Kong domain": (Mailbox("a@acme.com.hk"), "zh-hant"),
    "a Macao domain": (Mailbox("a@acme.com.mo"), "zh-hant"),
    "a Taiwan ISP mailbox": (Mailbox("a@ms12.hinet.net"), "zh-hant"),
    "a domain that merely ends in tw letters": (Mailbox("a@acmetw.com"), "en"),
    "the directory prefers Traditional Chinese for a .com client": (
        Mailbox("a@acme.com", language="zh-hant"),
        "zh-hant",
    ),
    "a zh-TW preference": (Mailbox("a@acme.com", language="zh_TW"), "zh-hant"),
    "a zh-HK preference on a .cn domain": (Mailbox("a@acme.cn", language="zh-HK"), "zh-hant"),
    "the directory prefers Simplified Chinese for a .hk client": (Mailbox("a@acme.hk", language="zh-hans"), "zh-hans"),
    "the contact's own language beats the organisation's": (
        Mailbox("a@acme.com.tw", language="en", person=Person("陳大文", language="zh-hant")),
        "zh-hant",
    ),
    "a contact without a preference takes the organisation's": (
        Mailbox("a@acme.com.tw", language="en", person=Person("陳大文")),
        "en",
    ),
}


@pytest.mark.parametrize("contact, language", LANGUAGES.values(), ids=LANGUAGES.keys())
def test_language_per_recipient(contact, language):
    assert language_for(contact) == language


def test_each_organisation_gets_its_own_language_unless_one_is_forced():
    incident = facts(
        actual=(ANNA, WANG, RIVAL), unintended=(WANG, RIVAL), factor_codes=frozenset({"unintended_external"})
    )
    assert {s.organisation: s.language for s in choose_drafts(incident)} == {
        "Globex China": "zh-hans",
        "Rival Exports": "en",
    }
    assert {s.language for s in choose_drafts(incident, language="zh-hans")} == {"zh-hans"}
    assert {s.language for s in choose_drafts(incident, language="en")} == {"en"}


def test_a_language_can_be_switched_for_one_draft():
    [spec] = choose_drafts(facts(factor_codes=frozenset({"content_error"})))
    draft = render_draft(replace(spec, language="zh-hans"), facts(factor_codes=frozenset({"content_error"})))
    assert draft.subject.startswith("更正：")


def test_tone_and_language_are_checked():
    with pytest.raises(ValueError, match="tone"):
        choose_drafts(facts(), tone="angry")
    with pytest.raises(ValueError, match="language"):
        choose_drafts(facts(), language="fr")


def test_keys_are_stable_and_unique():
    incident = low_quote(
        actual=(ANNA, WANG, RIVAL),
        unintended=(WANG, RIVAL),
        factor_codes=frozenset({"low_quote", "unintended_external"}),
        severity="critical",
        route_manager=True,
        gap=Decimal("0.2"),
    )
    keys = [s.key for s in choose_drafts(incident)]
    assert len(keys) == len(set(keys))
    assert keys == [s.key for s in choose_drafts(incident, tone="formal", language="en")]


def harsh(**changes):
    defaults = dict(problems=frozenset({"tone"}), factor_codes=frozenset({"harsh_tone"}), severity="medium")
    defaults.update(changes)
    return facts(**defaults)


APOLOGIES = {
    "the intended client": (harsh(), [("apology:acme-trading.com", (ANNA,), ())]),
    "the client, with a colleague in copy": (
        harsh(actual=(ANNA, COLLEAGUE, SENDER), intended=(ANNA, COLLEAGUE)),
        [("apology:acme-trading.com", (ANNA,), (COLLEAGUE,))],
    ),
    "colleagues only": (
        harsh(
            actual=(COLLEAGUE, MANAGER),
            intended=(COLLEAGUE, MANAGER),
            factor_codes=frozenset({"harsh_tone", "internal_only"}),
            severity="low",
        ),
        [("apology:ourco.com", (COLLEAGUE, MANAGER), ())],
    ),
    "two intended organisations, one apology each": (
        harsh(actual=(ANNA, BOB, WANG), intended=(ANNA, BOB, WANG)),
        [("apology:acme-trading.com", (ANNA, BOB), ()), ("apology:globex.com.cn", (WANG,), ())],
    ),
    "not to whoever got it by mistake": (
        harsh(actual=(ANNA, WANG), unintended=(WANG,), factor_codes=frozenset({"harsh_tone", "unintended_external"})),
        [("apology:acme-trading.com", (ANNA,), ())],
    ),
    "no apology without the tone factor": (facts(problems=frozenset({"tone"})), []),
}


@pytest.mark.parametrize("incident, apologies", APOLOGIES.values(), ids=APOLOGIES.keys())
def test_a_harsh_email_gets_an_apology_per_organisation_to_those_meant_to_read_it(incident, apologies):
    specs = [s for s in choose_drafts(incident) if s.kind == "apology"]
    assert [(s.key, s.to, s.cc) for s in specs] == apologies
    assert not any(s.needs_legal_approval for s in specs)


def test_whoever_got_the_harsh_email_by_mistake_is_asked_to_delete_it_instead():
    incident = harsh(
        actual=(ANNA, WANG), unintended=(WANG,), factor_codes=frozenset({"harsh_tone", "unintended_external"})
    )
    assert [s.key for s in choose_drafts(incident)] == ["deletion_request:globex.com.cn", "apology:acme-trading.com"]


def firm_low_quote_to(*actual, unintended=(), **changes):
    codes = {"low_quote", "firm_offer"} | ({"unintended_external"} if unintended else set())
    defaults = dict(
        actual=actual, unintended=unintended, factor_codes=frozenset(codes), firm_offer=True, severity="high"
    )
    defaults.update(changes)
    return low_quote(**defaults)


WITHDRAWALS = {
    "firm offer that also reached another client": (
        firm_low_quote_to(ANNA, WANG, unintended=(WANG,)),
        ["offer_withdrawal:acme-trading.com", "offer_withdrawal:globex.com.cn"],
    ),
    "answered offer that also reached a competitor": (
        firm_low_quote_to(
            ANNA,
            RIVAL,
            unintended=(RIVAL,),
            firm_offer=False,
            recipient_status="replied",
            factor_codes=frozenset({"low_quote", "low_quote_answered", "unintended_external"}),
        ),
        ["offer_withdrawal:acme-trading.com", "offer_withdrawal:rival-exports.com"],
    ),
    "firm offer sent only to the wrong client": (
        firm_low_quote_to(WANG, unintended=(WANG,)),
        ["offer_withdrawal:globex.com.cn"],
    ),
    "unintended person of the intended organisation": (
        firm_low_quote_to(ANNA, BOB, unintended=(BOB,)),
        ["offer_withdrawal:acme-trading.com"],
    ),
    "neither firm nor answered: deletion only": (
        low_quote(
            actual=(ANNA, WANG), unintended=(WANG,), factor_codes=frozenset({"low_quote", "unintended_external"})
        ),
        ["offer_withdrawal:acme-trading.com"],
    ),
    "firm offer, but the quote was not low": (
        facts(
            actual=(ANNA, WANG), unintended=(WANG,), firm_offer=True, factor_codes=frozenset({"unintended_external"})
        ),
        [],
    ),
}


@pytest.mark.parametrize("incident, keys", WITHDRAWALS.values(), ids=WITHDRAWALS.keys())
def test_a_firm_or_answered_low_quote_is_withdrawn_from_every_organisation_that_could_accept_it(incident, keys):
    withdrawals = [s for s in choose_drafts(incident) if s.kind == "offer_withdrawal"]
    assert [s.key for s in withdrawals] == keys
    assert all(s.needs_legal_approval is needs_legal_approval(incident) for s in withdrawals)


def test_the_wrong_client_gets_the_withdrawal_besides_the_deletion_request_and_one_call_for_both():
    incident = firm_low_quote_to(ANNA, WANG, unintended=(WANG,))
    specs = {s.key: s for s in choose_drafts(incident)}
    withdrawal = specs["offer_withdrawal:globex.com.cn"]
    assert (withdrawal.to, withdrawal.cc, withdrawal.needs_legal_approval) == ((WANG,), (), True)
    assert "deletion_request:globex.com.cn" in specs
    assert specs["call_script:globex.com.cn"].purposes == ("offer_withdrawal", "deletion_request")
    assert specs["offer_withdrawal:acme-trading.com"].to == (ANNA,)
