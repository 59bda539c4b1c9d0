"""Outlook .msg files: recognised by content and read with extract-msg."""

from __future__ import annotations

import pytest

from incidents.core.addresses import Address
from incidents.message import MessageError, parse_message
from tests.intake.outlook_builder import build_msg

HEADERS = (
    "Date: Tue, 01 Jul 2025 10:00:00 +0800\r\nX-Mailer: Microsoft Outlook 16.0\r\nMessage-ID: <msg-1@ourco.com>\r\n\r\n"
)


def _msg(**overrides) -> bytes:
    fields = {
        "subject": "报价单更正 Quote",
        "body": "单价 USD 12.50，含税。",
        "sender": ("Alice Wong", "alice@ourco.com"),
        "recipients": [
            ("Bob", "bob@acme-trading.com", "to"),
            ("Carol", "carol@globex.com.cn", "cc"),
            ("Dave", "dave@ourco.com", "bcc"),
        ],
        "attachments": ["价格表.xlsx", "winmail.dat"],
        "headers": HEADERS,
    }
    fields.update(overrides)
    return build_msg(**fields)


def test_an_outlook_message_fills_every_field():
    parsed = parse_message(_msg(), filename="whatever.eml")  # the content decides, not the name
    assert parsed.source_format == "msg"
    assert parsed.subject == "报价单更正 Quote"
    assert parsed.body == "单价 USD 12.50，含税。"
    assert parsed.sender == Address("alice@ourco.com", "Alice Wong")
    assert parsed.to == (Address("bob@acme-trading.com", "Bob"),)
    assert parsed.cc == (Address("carol@globex.com.cn", "Carol"),)
    assert parsed.bcc == (Address("dave@ourco.com", "Dave"),)
    assert parsed.attachments == ("价格表.xlsx", "winmail.dat")
    assert parsed.message_id == "<msg-1@ourco.com>"
    assert parsed.mail_system == "microsoft365"
    assert parsed.sent_at.isoformat() == "2025-07-01T10:00:00+08:00"


def test_an_outlook_message_with_html_only():
    parsed = parse_message(_msg(body="", html=b"<p>Price <b>USD 9</b></p><p>internal only</p>"))
    assert parsed.body == "Price USD 9\n\ninternal only"
    assert "The HTML body was turned into text." in parsed.warnings


def test_an_outlook_message_without_recipients():
    with pytest.raises(MessageError, match=r"No recipients found in this message\."):
        parse_message(_msg(recipients=[]))


def test_a_damaged_outlook_file():
    data = _msg()
    with pytest.raises(MessageError, match="could not be read as an Outlook message"):
        parse_message(data[:1024] + b"\xff" * 1024)
