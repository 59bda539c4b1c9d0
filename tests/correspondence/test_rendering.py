"""Drafts render in both languages and both tones, from what is known and nothing more."""

import re
from dataclasses import replace

import pytest

from incidents.correspondence import (
    TEMPLATE_VARIABLES,
    Mailbox,
    TemplateProblem,
    build_context,
    choose_drafts,
    render_draft,
    sample_facts,
)
from incidents.correspondence.rendering import render_part
from incidents.correspondence.samples import sample_spec
from tests.correspondence.builders import ANNA, KIND_LANGUAGES, SUBJECT, WANG, facts, low_quote, personal_data


def only(incident, kind, **choice):
    [spec] = [s for s in choose_drafts(incident, **choice) if s.kind == kind]
    return render_draft(spec, incident)


SUBJECTS = {
    "correction, en": ("correction", "en", frozenset({"wrong_price"}), f"Correction: {SUBJECT}"),
    "correction, zh": ("correction", "zh-hans", frozenset({"wrong_price"}), f"更正：{SUBJECT}"),
    "wrong attachment, en": (
        "correction",
        "en",
        frozenset({"wrong_attachment"}),
        "Urgent: please disregard my previous email - corrected version attached",
    ),
    "wrong attachment, zh": (
        "correction",
        "zh-hans",
        frozenset({"wrong_attachment"}),
        "紧急：请忽略我上一封邮件，更正版本见附件",
    ),
    "deletion, en": (
        "deletion_request",
        "en",
        frozenset(),
        f'Sent to you in error: please delete my email "{SUBJECT}"',
    ),
    "deletion, zh": ("deletion_request", "zh-hans", frozenset(), f"邮件误发，烦请删除：“{SUBJECT}”"),
    "withdrawal, en": ("offer_withdrawal", "en", frozenset(), f"Correction: {SUBJECT} - quotation withdrawn"),
    "withdrawal, zh": ("offer_withdrawal", "zh-hans", frozenset(), f"更正：{SUBJECT}（原报价撤回）"),
}


@pytest.mark.parametrize("kind, language, problems, subject", SUBJECTS.values(), ids=SUBJECTS.keys())
def test_subjects_follow_the_conventions(kind, language, problems, subject):
    incident = low_quote(
        actual=(ANNA, WANG),
        unintended=(WANG,),
        problems=problems,
        factor_codes=frozenset({"low_quote", "unintended_external"})
        if kind != "correction"
        else frozenset({"content_error"}),
    )
    assert only(incident, kind, language=language).subject == subject


@pytest.mark.parametrize("kind, language", KIND_LANGUAGES)
def test_every_kind_renders_in_each_of_its_languages_and_the_tones_differ(kind, language):
    polite = render_draft(sample_spec(kind, language, "polite"), sample_facts())
    formal = render_draft(sample_spec(kind, language, "formal"), sample_facts())
    assert polite.text != formal.text
    for draft in (polite, formal):
        assert draft.subject and "\n" not in draft.subject
        assert (draft.html is None) == (kind == "call_script")
        assert "None" not in draft.text and "Undefined" not in draft.text
        if language != "en":
            assert re.search(r"[\u4e00-\u9fff]", draft.text)


def test_the_deletion_request_asks_to_delete_not_forward_and_confirm():
    text = only(personal_data(), "deletion_request", language="en").text
    assert "Dear Wang Wei," in text
    assert "delete the email" in text and "not forward" in text and "confirm" in text
    assert "personal data" in text
    zh = only(personal_data(), "deletion_request").text  # Globex is .com.cn
    assert "删除" in zh and "不要转发" in zh and "个人信息" in zh


def test_the_withdrawal_states_date_item_and_both_prices():
    draft = only(low_quote(), "offer_withdrawal")
    assert "27 November 2026" in draft.text
    assert "DN50 ball valves" in draft.text and "USD 12.50" in draft.text and "USD 14.00" in draft.text
    assert "withdrawn" in draft.text
    assert draft.needs_legal_approval is False and not draft.placeholders
    zh = only(low_quote(), "offer_withdrawal", language="zh-hans", tone="formal")
    assert "2026年11月27日" in zh.text and "撤回并撤销上述报价" in zh.text
    hant = only(low_quote(), "offer_withdrawal", language="zh-hant", tone="formal")
    assert "2026年11月27日" in hant.text and "撤回並撤銷上述報價" in hant.text and "此致\n敬禮" in hant.text


def test_a_firm_offer_withdrawal_carries_a_legal_note_for_the_sender_only():
    incident = low_quote(factor_codes=frozenset({"low_quote", "firm_offer"}), firm_offer=True)
    draft = only(incident, "offer_withdrawal")
    assert draft.needs_legal_approval is True
    [note] = draft.notes_for_sender
    assert note.startswith(
        "Legal must approve this withdrawal before it is sent, because the quotation was a firm offer"
    )
    assert "Do not send it until they have." in note
    assert not draft.placeholders
    assert draft.text.startswith("Dear Anna Schmidt,")
    for part in (draft.subject, draft.text, draft.html):
        assert "legal" not in part.lower()


def test_an_unknown_correct_price_is_not_invented():
    incident = facts(problems=frozenset({"wrong_price"}), factor_codes=frozenset({"content_error"}))
    draft = only(incident, "correction")
    assert "revised version attached" in draft.text
    assert "USD" not in draft.text and "None" not in draft.text


def test_the_internal_note_summarises_everything_for_manager_and_legal():
    draft = only(
        personal_data(factor_details=("Sent to wang@globex.com.cn (Globex China, a client).",)), "internal_summary"
    )
    assert "high" in draft.subject
    for expected in (
        "wang@globex.com.cn",
        "Globex China",
        "30 November 2026, 09:30 UTC",
        "Deletion request: Globex China",
    ):
        assert expected in draft.text
    assert "https://missend.example/incidents/7/" in draft.html


def test_hostile_facts_cannot_break_the_subject_or_the_html():
    incident = facts(
        subject="Offer\r\nBcc: evil@example.com <script>alert(1)</script>" + "x" * 1000,
        factor_codes=frozenset({"content_error"}),
        actual=(Mailbox("anna@acme-trading.com", "Anna\n<b>Boss</b>", "Acme Trading", "client"),),
    )
    draft = only(incident, "correction")
    assert "\r" not in draft.subject and "\n" not in draft.subject and len(draft.subject) <= 250
    assert "<script>" not in draft.html and "&lt;script&gt;" in draft.html
    assert "<b>Boss</b>" not in draft.html


def test_a_missing_variable_fails_loudly():
    spec = sample_spec("deletion_request")
    draft = render_draft(
        spec, sample_facts(), overrides={("deletion_request", "en", "text"): "Dear {{ client_name }},"}
    )
    assert "'client_name' is undefined" in draft.template_warnings[0]  # an admin's template: the shipped one stands in
    context = build_context(spec, sample_facts())
    del context["greeting_name"]
    with pytest.raises(TemplateProblem, match="greeting_name"):
        render_part("deletion_request", "en", "text", context)


def test_overrides_apply_to_their_kind_language_and_part_only():
    overrides = {("deletion_request", "en", "subject"): "Please delete: {{ original_subject }}"}
    spec = sample_spec("deletion_request")
    assert render_draft(spec, sample_facts(), overrides=overrides).subject.startswith("Please delete: ")
    assert not render_draft(replace(spec, language="zh-hans"), sample_facts(), overrides=overrides).subject.startswith(
        "Please"
    )


def test_external_drafts_get_no_variable_naming_other_organisations():
    internal_only = {"actual_recipients", "intended_recipients", "unintended_recipients", "factor_details"}
    external = build_context(sample_spec("deletion_request"), sample_facts())
    assert not internal_only & external.keys()
    assert set(build_context(sample_spec("internal_summary"), sample_facts())) == set(TEMPLATE_VARIABLES)


@pytest.mark.parametrize(
    "language, tone, phrases",
    [
        ("en", "polite", ["Dear Anna Schmidt,", "apologise for the tone of my email of 27 November 2026", SUBJECT]),
        ("en", "formal", ["Dear Anna Schmidt,", "sincere apologies for the tone of our email", "Yours sincerely,"]),
        ("zh-hans", "polite", ["Anna Schmidt，您好！", "语气不妥", "诚恳致歉", "2026年11月27日"]),
        ("zh-hans", "formal", ["Anna Schmidt，您好！", "措辞欠妥", "郑重致歉", "此致"]),
        ("zh-hant", "polite", ["Anna Schmidt 您好：", "語氣不妥", "誠摯致歉", "敬祝\n商祺"]),
        ("zh-hant", "formal", ["Anna Schmidt 您好：", "措辭欠妥", "鄭重致歉", "此致\n敬禮"]),
    ],
)
def test_the_apology_is_brief_and_sincere_in_both_languages_and_tones(language, tone, phrases):
    incident = facts(problems=frozenset({"tone"}), factor_codes=frozenset({"harsh_tone"}), severity="medium")
    draft = only(incident, "apology", language=language, tone=tone)
    for phrase in phrases:
        assert phrase in draft.text
    assert draft.html and draft.subject
    assert len(draft.text) < 700  # brief: one apology and an offer to talk, no more


def test_a_failing_traditional_chinese_override_falls_back_to_the_shipped_traditional_text():
    incident = facts(factor_codes=frozenset({"content_error"}), problems=frozenset({"wrong_content"}))
    [spec] = choose_drafts(incident, language="zh-hant")
    broken = {("correction", "zh-hant", "text"): "{{ 1 // 0 }}", ("correction", "zh-hant", "subject"): "改過的主旨"}
    draft = render_draft(spec, incident, overrides=broken)
    assert draft.subject == "改過的主旨"
    assert draft.text.startswith("Anna Schmidt 您好：") and "郵件裡有部分內容寫錯了" in draft.text
    [warning] = draft.template_warnings
    assert "(correction, zh-hant, text)" in warning
