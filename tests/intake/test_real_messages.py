"""CPython's own test messages (written by others, for the email package): each one reads or is refused clearly."""

from __future__ import annotations

import email
from pathlib import Path

import pytest

from incidents.core.addresses import Address
from incidents.message import MessageError, forwarded_message, parse_message

DATA = Path(email.__file__).parent.parent / "test" / "test_email" / "data"
FILES = sorted(DATA.glob("msg_*.txt")) if DATA.is_dir() else []


@pytest.fixture(autouse=True)
def corpus(service_missing):
    """CPython's own test messages, which every test here reads."""
    if not FILES:
        service_missing("CPython's test_email data", "install the python3 test suite")


def _data(name: str) -> bytes:
    return (DATA / name).read_bytes()


def test_the_corpus_is_here():
    assert len(FILES) >= 40


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_message_parses_or_says_why(path):
    try:
        parsed = parse_message(path.read_bytes())
    except MessageError as error:
        assert error.message.endswith(".") and len(error.message) > 15
        return
    assert parsed.recipients and parsed.source_format == "eml"
    assert "\n" not in parsed.subject


def test_quoted_display_names_and_the_zone_of_the_sent_time():
    parsed = parse_message(_data("msg_41.txt"))
    assert parsed.subject == "64423"
    assert parsed.sender == Address("xxx@example.com", "Allison Dunlap")
    assert parsed.sent_at.isoformat() == "2004-07-11T16:09:27-03:00"


def test_quoted_printable_and_base64_parts_are_decoded():
    parsed = parse_message(_data("msg_10.txt"))
    assert parsed.body.strip() == "This is a 7bit encoded message."
    assert parsed.attachments == ()


def test_a_forwarded_message_is_found_inside_its_carrier():
    inner = forwarded_message(_data("msg_46.txt"))
    assert inner.message_id == "<4B66B890.4070408@teconcept.de>"
    assert inner.to == (Address("recipient@example.com", "Recipient"),)
    assert inner.sender.name == "Dr. Sender"


def test_multipart_attachment_names():
    parsed = parse_message(_data("msg_07.txt"))
    assert parsed.subject == "Here is your dingus fish"
    assert parsed.attachments == ("dingusfish.gif",)
    assert parsed.to[0].address == "cravindogs@cravindogs.com"
    assert "Hi there" in parsed.body


def test_non_ascii_quoted_printable_body_and_sent_time():
    parsed = parse_message(_data("msg_32.txt"))
    assert parsed.sender.name == "Anne Person"
    assert parsed.sent_at is not None and parsed.sent_at.utcoffset() is not None


def test_attached_messages_are_listed_not_read_as_the_body():
    parsed = parse_message(_data("msg_02.txt"))
    assert parsed.attachments[0] == "[Ppp] testing #1.eml"
    assert len(parsed.attachments) == 5


def test_empty_parts_leave_the_body_empty_without_a_warning():
    parsed = parse_message(_data("msg_08.txt"))
    assert parsed.body == "" and parsed.warnings == ()


def test_a_message_without_recipients_is_refused_with_that_reason():
    with pytest.raises(MessageError, match=r"No recipients found in this message\."):
        parse_message(_data("msg_05.txt"))
