"""Chinese drafts read as a Chinese business writer would write them, in Simplified and Traditional
Chinese: every kind, tone and approval state, with no ASCII punctuation in Chinese sentences, no
English words but codes, trade terms and names, and dates the Chinese way."""

from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from incidents.correspondence import (
    DraftFacts,
    Explanations,
    Mailbox,
    Person,
    build_context,
    choose_drafts,
    render_draft,
)
from incidents.correspondence.dates import format_datetime
from incidents.vocabulary import Tone
from tests.correspondence.chinese_text import problems_in, user_values, visible_text

SHANGHAI = ZoneInfo("Asia/Shanghai")
SENT_AT = datetime(2026, 12, 1, 15, 30, tzinfo=SHANGHAI)
SENDER = Mailbox("li.na@huayuan-export.com", "李娜", "华远进出口", "internal")
MANAGER = Mailbox(
    "zhou.min@huayuan-export.com", "周敏", "华远进出口", "internal", person=Person("周敏", "经理", language="zh-hans")
)
WANG = Mailbox(
    "wang.wei@globex.com.cn",
    "王伟",
    "环球贸易",
    "client",
    person=Person("王伟", "采购经理", "+86 21 5555 0100", "wang.wei@globex.com.cn"),
)
CHAN = Mailbox(
    "chan@acme.com.tw",
    "陳大文",
    "台灣精密",
    "client",
    person=Person("陳大文", "業務經理", "+886 2 2555 0100", "chan@acme.com.tw"),
)
RIVAL = Mailbox("sales@rival.com.cn", "", "竞争者贸易", "competitor")
EXPLAINED = {
    "zh-hans": Explanations(
        ("已发给 chan@acme.com.tw（台灣精密，客户）。", "报价 USD 8.20，正确价格为 USD 9.50，低 13.6%。"),
        "Gmail 无法撤回邮件：“撤消发送”只在发送后几秒内有效。请立即发送更正邮件。",
    ),
}


def firm_low_quote(**changes):
    """A firm FOB quote for 环球贸易 also went to a Taiwan client and a competitor; it carried personal data."""
    facts = dict(
        subject="报价单 Q-77：不锈钢球阀 FOB 上海",
        sent_at=SENT_AT,
        sender=SENDER,
        company_name="华远进出口有限公司",
        reporter_name="李娜",
        problems=frozenset({"wrong_recipient", "wrong_price", "personal_data"}),
        factor_codes=frozenset(
            {
                "unintended_external",
                "wrong_client",
                "low_quote",
                "firm_offer",
                "personal_data_external",
                "competitor_exposure",
            }
        ),
        severity="critical",
        route_manager=True,
        route_legal=True,
        regulatory_deadline=SENT_AT + timedelta(hours=72),
        quoted_price=Decimal("8.20"),
        correct_price=Decimal("9.50"),
        currency="USD",
        gap=Decimal("0.1368"),
        firm_offer=True,
        recipient_status="read",
        attachments=("报价单_Q-77_v2.xlsx",),
        actual=(WANG, CHAN, RIVAL),
        intended=(WANG,),
        unintended=(CHAN, RIVAL),
        internal_recipients=(MANAGER,),
        incident_url="https://missend.example/incidents/77/",
        item="DN50 不锈钢球阀",
        explanations=EXPLAINED,
    )
    facts.update(changes)
    return DraftFacts(**facts)


def wrong_content():
    """Internal cost notes and a wrong file sent to the right clients, in a harsh tone."""
    return firm_low_quote(
        problems=frozenset({"wrong_attachment", "wrong_price", "wrong_content", "internal_info", "tone"}),
        factor_codes=frozenset({"content_error", "internal_info_external", "harsh_tone"}),
        actual=(WANG, CHAN),
        intended=(WANG, CHAN),
        unintended=(),
        firm_offer=False,
        regulatory_deadline=None,
        severity="high",
        quoted_price=None,
        correct_price=None,
        gap=None,
    )


APPROVALS = {
    "legal-pending": {},
    "legal-approved": {
        "approved_keys": frozenset(
            {"offer_withdrawal:globex.com.cn", "offer_withdrawal:acme.com.tw", "offer_withdrawal:rival.com.cn"}
        )
    },
    "no-approval-needed": {
        "firm_offer": False,
        "recipient_status": "unknown",
        "factor_codes": frozenset({"unintended_external", "low_quote", "personal_data_external"}),
    },
}
INCIDENTS = {f"firm-low-quote-{state}": firm_low_quote(**changes) for state, changes in APPROVALS.items()}
INCIDENTS["wrong-content-and-tone"] = wrong_content()
INCIDENTS["nobody-named"] = firm_low_quote(
    actual=(replace(WANG, name="", person=None), RIVAL),
    intended=(replace(WANG, name="", person=None),),
    unintended=(RIVAL,),
)


def chinese_drafts(incident, language, tone):
    for spec in choose_drafts(incident, language=language, tone=tone):
        yield spec, render_draft(spec, incident), user_values(build_context(spec, incident))


@pytest.mark.parametrize("tone", Tone)
@pytest.mark.parametrize("language", ["zh-hans", "zh-hant"])
@pytest.mark.parametrize("incident", INCIDENTS.values(), ids=INCIDENTS.keys())
def test_every_chinese_draft_reads_as_chinese(incident, language, tone):
    kinds = set()
    for spec, draft, values in chinese_drafts(incident, language, tone):
        kinds.add(spec.kind)
        for name, part in (
            ("subject", draft.subject),
            ("text", draft.text),
            ("html", draft.html or ""),
            ("notes", "\n".join(draft.notes_for_sender)),
        ):
            text = visible_text(part, is_html=name == "html")
            assert problems_in(text, language=draft.language, values=values) == [], (spec.key, name, text)
    assert kinds >= {"call_script", "internal_summary"}


def test_the_checker_catches_what_a_chinese_reader_would():
    bad = {
        "我方于11/27/2026发送的邮件": "a date not written the Chinese way",
        "报价有误, 请忽略.": "ASCII ','",
        "发送时间：2026年12月1日 15:30": "a time without its Chinese date, weekday and zone",
        "Dear 王经理，您好！": "an English word 'Dear'",
        "請刪除該郵件，谢谢": "characters of the other script",
        "尊敬的先生/女士：": "ASCII '/'",
        "- 王伟 <wang@globex.com.cn>，环球贸易": "ASCII '<'",
        "电话沟通要点：环球贸易 -“报价”": "ASCII '-'",
    }
    for text, problem in bad.items():
        language = "zh-hant" if "請" in text else "zh-hans"
        assert any(problem in found for found in problems_in(text, language=language)), text
    good = "我方于2026年12月1日 星期二 15:30（北京时间）报价 USD 9.50 FOB 上海，编号 Q-77。"
    assert problems_in(good, language="zh-hans") == []


def test_all_kinds_are_covered_in_both_scripts():
    covered = {
        (language, spec.kind)
        for incident in INCIDENTS.values()
        for language in ("zh-hans", "zh-hant")
        for spec in choose_drafts(incident, language=language)
    }
    kinds = {"call_script", "offer_withdrawal", "deletion_request", "correction", "apology"}
    assert covered >= {(language, kind) for language in ("zh-hans", "zh-hant") for kind in kinds}
    assert ("zh-hans", "internal_summary") in covered


TIMES = [
    pytest.param("zh-hans", SHANGHAI, "2026年12月1日 星期二 15:30（北京时间）", id="beijing"),
    pytest.param("zh-hant", ZoneInfo("Asia/Taipei"), "2026年12月1日 星期二 15:30（台北時間）", id="taipei"),
    pytest.param("zh-hant", ZoneInfo("Asia/Hong_Kong"), "2026年12月1日 星期二 15:30（香港時間）", id="hong-kong"),
    pytest.param("zh-hans", ZoneInfo("UTC"), "2026年12月1日 星期二 07:30（UTC）", id="utc"),
    pytest.param("zh-hans", ZoneInfo("Europe/Berlin"), "2026年12月1日 星期二 08:30（UTC+1）", id="berlin"),
    pytest.param("zh-hans", ZoneInfo("Asia/Kolkata"), "2026年12月1日 星期二 13:00（UTC+5:30）", id="kolkata"),
    pytest.param("en", ZoneInfo("Asia/Shanghai"), "1 December 2026, 15:30 CST", id="english"),
]


@pytest.mark.parametrize("language, zone, written", TIMES)
def test_times_are_written_with_date_weekday_and_a_named_zone(language, zone, written):
    assert format_datetime(SENT_AT.astimezone(zone), language) == written


def test_the_internal_summary_gives_the_send_time_and_the_breach_deadline_the_chinese_way():
    incident = firm_low_quote()
    [note] = [s for s in choose_drafts(incident, language="zh-hans") if s.kind == "internal_summary"]
    text = render_draft(note, incident).text
    assert "发送时间：2026年12月1日 星期二 15:30（北京时间）" in text
    assert "须在2026年12月4日 星期五 15:30（北京时间）之前通知监管机构" in text
