"""Drafts greet the directory's contact as a writer of the draft's language would: surname and title in
Chinese when the title is known (王经理), the full name otherwise, never a guessed 先生/女士 or Mr/Ms, and
a neutral greeting when nobody is known. Call scripts say whom to call and on which number."""

from dataclasses import replace

import pytest

from incidents.correspondence import Mailbox, Person, choose_drafts, render_draft
from tests.correspondence.builders import facts

P = pytest.param


def to_person(
    person: Person | None, *, name="", organisation="环球贸易", kind="client", address="wang.wei@globex.com.cn"
):
    return Mailbox(address, name, organisation, kind, person=person)


WANG = Person("王伟", "采购经理", "+86 21 5555 0100", "wang.wei@globex.com.cn")
OUYANG = Person("欧阳娜娜", "销售总监", "", "ouyang@globex.com.cn")
LATIN_TITLE = Person("王伟", "Purchasing Manager")
NO_TITLE = Person("王伟")
LATIN_NAME = Person("Wang Wei", "经理")

GREETINGS = [
    # who reads it, language, tone, the greeting line(s) the draft opens with
    P(WANG, "zh-hans", "polite", "王经理，您好！", id="surname-and-title-polite"),
    P(WANG, "zh-hans", "formal", "尊敬的王经理：\n\n您好！", id="surname-and-title-formal"),
    P(OUYANG, "zh-hans", "formal", "尊敬的欧阳总监：", id="compound-surname"),
    P(LATIN_TITLE, "zh-hans", "formal", "王伟，您好！", id="a-title-in-english-is-not-used-in-chinese"),
    P(NO_TITLE, "zh-hans", "formal", "王伟，您好！", id="no-title-full-name"),
    P(LATIN_NAME, "zh-hans", "polite", "Wang Wei，您好！", id="a-latin-name-has-no-surname-to-tell"),
    P(WANG, "zh-hant", "polite", "王经理 您好：", id="traditional-keeps-the-directorys-title"),
    P(Person("陳大文", "經理"), "zh-hant", "formal", "陳經理 台鑒：", id="traditional-formal"),
    P(Person("陳大文"), "zh-hant", "formal", "陳大文 您好：", id="traditional-full-name"),
    P(WANG, "en", "polite", "Dear 王伟,", id="english-full-name"),
    P(LATIN_NAME, "en", "formal", "Dear Wang Wei,", id="english-never-mr-or-ms"),
]


@pytest.mark.parametrize("person, language, tone, opening", GREETINGS)
def test_the_greeting_names_the_contact_as_the_language_does(person, language, tone, opening):
    incident = facts(
        actual=(to_person(person),), intended=(to_person(person),), factor_codes=frozenset({"content_error"})
    )
    [spec] = choose_drafts(incident, language=language, tone=tone)
    draft = render_draft(spec, incident)
    assert draft.text.startswith(opening)
    for guessed in ("先生", "女士", "Mr ", "Mr.", "Ms ", "Ms.", "Mrs"):
        assert guessed not in draft.text and guessed not in (draft.html or "")


NEUTRAL = [
    P("client", "zh-hans", "formal", "尊敬的客户：\n\n您好！", id="a-client"),
    P("competitor", "zh-hans", "formal", "您好！", id="a-competitor-is-no-client"),
    P("client", "zh-hans", "polite", "您好！", id="polite"),
    P("client", "zh-hant", "formal", "敬啟者：", id="traditional-formal"),
    P("client", "zh-hant", "polite", "您好：", id="traditional-polite"),
    P("client", "en", "formal", "Dear Sir or Madam,", id="english-formal"),
]


@pytest.mark.parametrize("kind, language, tone, opening", NEUTRAL)
def test_nobody_known_gets_a_neutral_greeting_that_fits_who_they_are(kind, language, tone, opening):
    reader = to_person(None, kind=kind)
    incident = facts(actual=(reader,), intended=(reader,), factor_codes=frozenset({"content_error"}))
    [spec] = choose_drafts(incident, language=language, tone=tone)
    assert render_draft(spec, incident).text.startswith(opening)


def test_two_known_readers_are_greeted_together_and_an_unknown_one_makes_it_neutral():
    li = to_person(Person("李强", "总监"), address="li@globex.com.cn")
    wang = to_person(WANG)
    stranger = to_person(None, address="info@globex.com.cn")
    incident = facts(actual=(wang, li), intended=(wang, li), factor_codes=frozenset({"content_error"}))
    [spec] = choose_drafts(incident, language="zh-hans", tone="formal")
    assert render_draft(spec, incident).text.startswith("尊敬的王经理、李总监：")
    incident = replace(incident, actual=(wang, stranger), intended=(wang, stranger))
    [spec] = choose_drafts(incident, language="zh-hans", tone="formal")
    assert render_draft(spec, incident).text.startswith("尊敬的客户：")


CALLS = [
    P("zh-hans", [WANG], ["找王伟（采购经理）：电话 +86 21 5555 0100"], id="chinese-with-phone"),
    P("zh-hant", [WANG], ["找王伟（采购经理）：電話 +86 21 5555 0100"], id="traditional-with-phone"),
    P("en", [WANG], ["Ask for 王伟, 采购经理: +86 21 5555 0100 (wang.wei@globex.com.cn)"], id="english-with-phone"),
    P("zh-hans", [NO_TITLE], ["找王伟：客户名录中没有电话号码，请先查到号码"], id="no-phone-known"),
    P(
        "en",
        [None],
        ["Ask for whoever reads wang.wei@globex.com.cn: no phone number in the directory"],
        id="nobody-known",
    ),
]


@pytest.mark.parametrize("language, people, lines", CALLS)
def test_the_call_script_names_whom_to_call_and_the_number(language, people, lines):
    readers = tuple(to_person(p) for p in people)
    incident = facts(
        actual=readers,
        intended=(),
        unintended=readers,
        severity="high",
        factor_codes=frozenset({"unintended_external"}),
    )
    [call] = [s for s in choose_drafts(incident, language=language) if s.kind == "call_script"]
    text = render_draft(call, incident).text
    for line in lines:
        assert line in text
