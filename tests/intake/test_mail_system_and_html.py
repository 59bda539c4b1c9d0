"""The mail system guessed from headers, and HTML-only bodies turned into readable text."""

from __future__ import annotations

import pytest

from incidents.message import parse_message
from incidents.message.html_text import html_to_text
from tests.intake.builders import simple


@pytest.mark.parametrize(
    "headers, expected",
    [
        ({"X-Mailer": "Microsoft Outlook 16.0"}, "microsoft365"),
        (
            {"Received": "from HK0PR01MB1234.apcprd01.prod.exchangelabs.com by mail.protection.outlook.com"},
            "microsoft365",
        ),
        ({"X-MimeOLE": "Produced By Microsoft Exchange V6.5"}, "exchange"),
        ({"Received": "from EXCH01.corp.local by EXCH02.corp.local with Microsoft SMTP Server id 15.1"}, "exchange"),
        ({"X-Mailer": "Microsoft Outlook 16.0", "X-MimeOLE": "Produced By Microsoft Exchange V6.5"}, "exchange"),
        ({"Received": "by mail-ej1-f41.google.com with SMTP id x"}, "gmail"),
        ({"X-Mailer": "Foxmail 7.2.25"}, "qq"),
        ({"Received": "from smtpbg.qq.com (unknown [1.2.3.4])"}, "qq"),
        ({"Received": "from m15-112.126.com (unknown [1.2.3.4])"}, "netease"),
        ({"X-Mailer": "Coremail Webmail Server Version XT5.0.13 build 20210104(Coremail netease)"}, "netease"),
        ({"Received": "from out30-133.freemail.mail.aliyun.com"}, "aliyun"),
        ({"X-Mailer": "Lotus Notes Release 9.0.1 October 14, 2013"}, "lotus_notes"),
        ({"X-MIMETrack": "Serialize by Router on Domino01/ACME at 2025/07/01"}, "lotus_notes"),
        ({"X-Mailer": "Thunderbird 128"}, None),
        ({}, None),
    ],
)
def test_mail_system_from_headers(headers, expected):
    assert parse_message(simple(headers=headers)).mail_system == expected


@pytest.mark.parametrize(
    "message_id, expected",
    [
        ("<CAB1x=abc@mail.gmail.com>", "gmail"),
        ("<tencent_ABC@qq.com>", "qq"),
        ("<5e.1a@163.com>", "netease"),
        ("<AM0PR01MB.abc@AM0PR01MB1234.eurprd01.prod.outlook.com>", "microsoft365"),
        ("<x@ourco.com>", None),
    ],
)
def test_mail_system_from_the_message_id_domain(message_id, expected):
    data = simple().replace(b"<quote-1@ourco.com>", message_id.encode())
    assert parse_message(data).mail_system == expected


def test_the_senders_public_mailbox_domain_counts():
    data = simple().replace(b"alice@ourco.com", b"alice@gmail.com")
    assert parse_message(data).mail_system == "gmail"


def test_received_from_the_senders_side_wins_over_the_recipients_side():
    data = simple().replace(
        b"Subject:",
        b"Received: by mx.google.com (recipient side)\nReceived: from x by smtpbg.qq.com (sender side)\nSubject:",
    )
    assert parse_message(data).mail_system == "qq"


HTML = """<html><head><title>t</title><style>p {color: red}</style><script>alert(1)</script></head>
<body><p>Dear Bob,</p><p>Our price: <b>USD&nbsp;12.50</b> per unit.<br>Valid until Friday.</p>
<table><tr><th>Item</th><th>Price</th></tr><tr><td>Widget</td><td>12.50</td></tr></table>
<ul><li>first</li><li>second</li></ul><!-- hidden comment --><div>Regards,<br>Alice</div></body></html>"""


def test_html_to_text_keeps_blocks_and_drops_markup():
    assert html_to_text(HTML) == (
        "Dear Bob,\n\nOur price: USD 12.50 per unit.\nValid until Friday.\n\n"
        "Item\tPrice\nWidget\t12.50\n\n- first\n- second\n\nRegards,\nAlice"
    )


def test_html_only_message_body_is_readable_text():
    data = simple(body="x").replace(b"Content-Type: text/plain", b"Content-Type: text/html")
    data = data.replace(b"\n\nx\n", b"\n\n<p>Unit price&nbsp;<b>USD 9</b></p><p>internal only</p>\n")
    parsed = parse_message(data)
    assert parsed.body == "Unit price USD 9\n\ninternal only"
    assert "The HTML body was turned into text." in parsed.warnings


def test_plain_text_is_preferred_to_html():
    data = (
        b"From: a@ourco.com\nTo: b@acme-trading.com\nContent-Type: multipart/alternative; boundary=B\n\n"
        b"--B\nContent-Type: text/plain\n\nplain words\n--B\nContent-Type: text/html\n\n<p>html words</p>\n--B--\n"
    )
    parsed = parse_message(data)
    assert parsed.body.strip() == "plain words" and parsed.warnings[-1:] != ("The HTML body was turned into text.",)
