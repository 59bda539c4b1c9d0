"""Chinese and Japanese mail as the common mail programs encode it, and mislabelled text."""

from __future__ import annotations

import pytest

from incidents.message import parse_message
from incidents.message.charsets import decode_text
from tests.intake.builders import legacy, simple

CJK = [
    ("gb2312", "关于三月份报价的更正", "您好，附件是最新的报价单，单价为每件十二元。"),
    ("gbk", "報價單更正（镕）", "请查收，单价以此为准。"),  # 镕 is outside GB2312
    ("gb18030", "报价单𠀀更正", "内部成本价请勿外传。"),
    ("big5", "報價單更正", "您好，附件是最新的報價單。"),
    ("shift_jis", "見積書の訂正について", "お世話になっております。見積書を再送いたします。"),
    ("iso-2022-jp", "見積書の訂正", "単価は十二ドルです。"),
    ("utf-8", "报价单 Quote ✓", "单价 USD 12.50 — 含税"),
]


@pytest.mark.parametrize("charset, subject, body", CJK, ids=[c[0] for c in CJK])
def test_subject_names_and_body_in_each_charset(charset, subject, body):
    parsed = parse_message(legacy(subject, body, charset))
    assert parsed.subject == subject
    assert parsed.body.strip() == body
    assert parsed.sender.name == "王小明"
    assert parsed.to[0].name == "李四"


@pytest.mark.parametrize("charset", ["shift_jis", "euc-jp", "gb2312", "big5"])
def test_body_sent_in_the_charset_itself(charset):
    body = {
        "shift_jis": "見積書を再送いたします。",
        "euc-jp": "単価は十二ドルです。",
        "gb2312": "单价为每件十二元。",
        "big5": "單價為每件十二元。",
    }[charset]
    assert parse_message(legacy("x", body, charset, raw_body=True)).body.strip() == body


def test_gbk_characters_in_a_gb2312_labelled_body():
    """Mail programs label GBK text gb2312; read as the superset, nothing is lost."""
    body = "镕基公司的报价"
    data = legacy("报价", "PLACEHOLDER", "gb2312").replace(
        b"Content-Transfer-Encoding: base64", b"Content-Transfer-Encoding: 8bit"
    )
    head, _sep, _rest = data.partition(b'Content-Type: text/plain; charset="gb2312"')
    data = (
        head
        + b'Content-Type: text/plain; charset="gb2312"\nContent-Transfer-Encoding: 8bit\n\n'
        + body.encode("gbk")
        + b"\n"
    )
    parsed = parse_message(data)
    assert parsed.body.strip() == body


@pytest.mark.parametrize(
    "name, charset",
    [("报价单-内部.pdf", "gbk"), ("報價單.pdf", "big5"), ("見積書.pdf", "shift_jis"), ("Prix révisés.pdf", "utf-8")],
)
def test_rfc2231_file_names(name, charset):
    parsed = parse_message(legacy("报价", "见附件", "gb18030", attachment=(name, charset)))
    assert parsed.attachments == (name,)


def test_rfc2047_file_name_as_outlook_writes_it():
    data = simple(body="see attached").replace(
        b"Content-Type: text/plain",
        b'Content-Type: application/pdf; name="=?UTF-8?B?5oql5Lu35Y2VLnBkZg==?="\n'
        b"Content-Disposition: attachment\nX-Was: text/plain",
        1,
    )
    assert parse_message(data).attachments == ("报价单.pdf",)


def test_raw_8bit_gbk_subject_without_encoded_words():
    data = simple().replace(b"Subject: Quotation for March", "Subject: 报价单更正".encode("gbk"))
    data = data.replace(b'Content-Type: text/plain; charset="utf-8"', b'Content-Type: text/plain; charset="gbk"')
    assert parse_message(data).subject == "报价单更正"


def _latin1_labelled(body: bytes) -> bytes:
    return (
        b"From: a@ourco.com\nTo: b@acme-trading.com\nSubject: x\nDate: Tue, 01 Jul 2025 10:00:00 +0800\n"
        b"Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit\n\n" + body
    )


MISLABELLED = [
    ("gbk", "您好，这是我们最新的报价单，单价为每件十二元，含税，请查收。如有问题请随时联系我们。谢谢！"),
    ("utf-8", "您好，这是我们最新的报价单，单价为每件十二元。"),
    ("utf-8", "Prix unitaire révisé : 12,50 €"),
]


@pytest.mark.parametrize("real, text", MISLABELLED)
def test_text_labelled_latin1_but_really_another_charset(real, text):
    parsed = parse_message(_latin1_labelled(text.encode(real)))
    assert parsed.body.strip() == text
    assert any("character set" in warning for warning in parsed.warnings)


def test_real_latin1_stays_latin1():
    text = "Prix unitaire révisé : 12,50 EUR, livraison à Besançon, façade incluse."
    parsed = parse_message(_latin1_labelled(text.encode("latin-1")))
    assert parsed.body.strip() == text
    assert parsed.warnings == ()


@pytest.mark.parametrize(
    "data, declared, expected",
    [
        (
            "您好，这是我们最新的报价单，单价为每件十二元，含税，请查收。如有问题请随时联系。".encode("gb18030"),
            "x-unknown-charset",
            "您好，这是我们最新的报价单",
        ),
        (
            "Prix unitaire révisé pour la livraison de février, façade incluse.".encode("cp1252"),
            None,
            "Prix unitaire révisé",
        ),
        ("単価".encode("cp932"), "shift_jis", "単価"),
        ("①".encode("cp932"), "shift_jis", "①"),  # a Microsoft extension to Shift_JIS
    ],
)
def test_decode_text_fallbacks(data, declared, expected):
    assert decode_text(data, declared)[0].startswith(expected)
