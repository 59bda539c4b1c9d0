"""Drafts as ready-to-send .eml files in the original thread, and as mailto: links."""

from dataclasses import replace
from email import policy
from email.parser import BytesParser
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from incidents.correspondence import Mailbox, build_eml, choose_drafts, mailto_url, message_id, render_draft
from tests.correspondence.builders import ANNA, BOB, COLLEAGUE, SENDER, WANG, facts, personal_data


def parse(raw: bytes):
    return BytesParser(policy=policy.default).parsebytes(raw)


def content(message, subtype: str) -> str:
    """A body part as text; the .eml uses CRLF line ends, as mail on the wire does."""
    return message.get_body((subtype,)).get_content().replace("\r\n", "\n").rstrip("\n")


def correction(**changes):
    incident = facts(
        actual=(ANNA, BOB, COLLEAGUE),
        intended=(ANNA, BOB, COLLEAGUE),
        problems=frozenset({"wrong_content"}),
        factor_codes=frozenset({"content_error"}),
        **changes,
    )
    [spec] = choose_drafts(incident)
    return render_draft(spec, incident)


def test_the_eml_is_an_unsent_draft_from_the_sender_threaded_under_the_original():
    draft = correction()
    message = parse(build_eml(draft, sender=SENDER, in_reply_to="<q118@ourco.com>"))
    assert message["From"] == "Li Na <li.na@ourco.com>"
    assert message["To"] == "Anna Schmidt <anna@acme-trading.com>, Bob Brown <bob@acme-trading.com>"
    assert message["Cc"] == "Sam Lee <sam@ourco.com>"
    assert message["Subject"] == "Correction: Quotation Q-118 for valves"
    assert message["X-Unsent"] == "1"
    assert message["In-Reply-To"] == "<q118@ourco.com>"
    assert message["References"] == "<q118@ourco.com>"
    assert message.get_content_type() == "multipart/alternative"
    assert content(message, "plain") == draft.text
    assert content(message, "html") == draft.html


def test_message_ids_are_normalised_and_references_extend_the_thread():
    message = parse(
        build_eml(correction(), sender=SENDER, in_reply_to=" q118@ourco.com ", references="<a@x.com>\r\n <b@x.com>")
    )
    assert message["In-Reply-To"] == "<q118@ourco.com>"
    assert message["References"] == "<a@x.com> <b@x.com> <q118@ourco.com>"
    assert message_id("not one id") is None and message_id(None) is None


def test_without_an_original_id_there_are_no_thread_headers():
    message = parse(build_eml(correction(), sender=SENDER, in_reply_to=None))
    assert message["In-Reply-To"] is None and message["References"] is None


def test_chinese_drafts_survive_the_round_trip():
    [spec] = [s for s in choose_drafts(personal_data()) if s.kind == "deletion_request"]
    draft = render_draft(spec, personal_data())
    raw = build_eml(draft, sender=SENDER, in_reply_to="<q118@ourco.com>")
    assert raw.isascii()  # encoded headers and bodies: safe for any relay
    message = parse(raw)
    assert message["Subject"] == draft.subject and draft.subject.startswith("邮件误发")
    assert message["To"] == "Wang Wei <wang@globex.com.cn>"
    assert "个人信息" in content(message, "plain")


def test_crlf_in_subject_or_name_cannot_add_headers():
    draft = replace(correction(), subject="Hi\r\nBcc: evil@example.com")
    sender = Mailbox("li.na@ourco.com", "Li Na\r\nBcc: evil@example.com\r\nX-Evil: 1")
    to = (Mailbox("anna@acme-trading.com", "Anna\nCc: evil@example.com"),)
    message = parse(
        build_eml(replace(draft, to=to), sender=sender, in_reply_to="<q118@ourco.com>\r\nBcc: evil@example.com")
    )
    assert message["Bcc"] is None and message["X-Evil"] is None
    assert message["Cc"] == "Sam Lee <sam@ourco.com>"
    assert message["Subject"] == "Hi Bcc: evil@example.com"
    assert [a.addr_spec for a in message["To"].addresses] == ["anna@acme-trading.com"]
    assert message["From"].addresses[0].addr_spec == "li.na@ourco.com"
    assert message["In-Reply-To"] is None  # not one message id: dropped, not pasted


@pytest.mark.parametrize(
    "address",
    [
        "anna@acme-trading.com\r\nBcc: evil@example.com",
        "anna@acme-trading.com, evil@example.com",
        "Anna <a@b.com>",
        "no-at-sign",
        "",
    ],
)
def test_an_address_that_is_not_one_mailbox_is_refused(address):
    draft = replace(correction(), to=(Mailbox(address),))
    with pytest.raises(ValueError):
        build_eml(draft, sender=SENDER, in_reply_to=None)
    with pytest.raises(ValueError):
        mailto_url(draft)


def test_call_scripts_are_not_emails():
    incident = personal_data()
    [spec] = [s for s in choose_drafts(incident) if s.kind == "call_script"]
    script = render_draft(spec, incident)
    with pytest.raises(ValueError):
        build_eml(script, sender=SENDER, in_reply_to=None)
    with pytest.raises(ValueError):
        mailto_url(script)


def test_mailto_carries_to_cc_subject_and_body_percent_encoded():
    draft = correction()
    url = mailto_url(draft)
    parts = urlsplit(url)
    assert parts.scheme == "mailto"
    assert unquote(parts.path) == "anna@acme-trading.com,bob@acme-trading.com"
    query = parse_qs(parts.query)
    assert query["cc"] == ["sam@ourco.com"]
    assert query["subject"] == ["Correction: Quotation Q-118 for valves"]
    assert query["body"] == [draft.text.replace("\n", "\r\n")]
    assert " " not in url and "\n" not in url


def test_a_long_mailto_body_is_cut_with_a_note():
    draft = replace(correction(), text="这是一段很长的正文。" * 500, language="zh-hans")
    url = mailto_url(draft)
    assert len(url) <= 2000
    body = parse_qs(urlsplit(url).query)["body"][0]
    assert body.startswith("这是一段很长的正文。") and body.endswith("[内容过长，已截断：请从 Missend Desk 复制全文。]")


def test_wang_alone_gets_his_deletion_request():
    incident = personal_data()
    [spec] = [s for s in choose_drafts(incident) if s.kind == "deletion_request"]
    message = parse(build_eml(render_draft(spec, incident), sender=SENDER, in_reply_to=incident.message_id))
    assert [a.addr_spec for a in message["To"].addresses] == [WANG.address]
    assert message["Cc"] is None
    assert ANNA.address not in content(message, "plain")
