"""A message forwarded as an attachment, the report form prefilled, and the intended client suggested."""

from __future__ import annotations

from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage

import pytest

from incidents.assessment import Directory, DirectoryEntry
from incidents.core.addresses import Address
from incidents.directory.selectors import DirectoryData
from incidents.message import (
    MessageError,
    ParsedMessage,
    forwarded_message,
    parse_message,
    report_fields,
    suggest_intended_organisations,
)
from incidents.message.message import MAX_BODY_CHARS, MAX_SUBJECT_CHARS
from incidents.reports.forms import IncidentForm
from incidents.reports.report import MAX_BODY, MAX_SUBJECT
from tests.intake.builders import simple
from tests.intake.outlook_builder import build_msg


def _carrier(attach) -> bytes:
    """What Outlook or Gmail sends for "Forward as attachment" to the desk."""
    outer = EmailMessage()
    outer["From"] = "alice@ourco.com"
    outer["To"] = "desk@ourco.com"
    outer["Subject"] = "FW: Quotation for March"
    outer.set_content("Sent to the wrong client, please help.")
    attach(outer)
    return outer.as_bytes(policy=policy.SMTP)


def test_attached_message_rfc822_is_returned():
    inner = EmailMessage()
    inner["From"] = "Alice <alice@ourco.com>"
    inner["To"] = "Bob <bob@rival-exports.com>"
    inner["Bcc"] = "boss@ourco.com"
    inner["Subject"] = "报价单"
    inner["Message-ID"] = "<orig@ourco.com>"
    inner.set_content("单价 USD 12.50")
    data = _carrier(lambda outer: outer.add_attachment(inner))
    parsed = forwarded_message(data)
    assert parsed.subject == "报价单" and parsed.message_id == "<orig@ourco.com>"
    assert parsed.to == (Address("bob@rival-exports.com", "Bob"),) and parsed.bcc == (Address("boss@ourco.com"),)
    assert parsed.body.strip() == "单价 USD 12.50"
    # Read as a message of its own, the carrier lists the forwarded email as an attachment.
    assert parse_message(data).attachments == ("报价单.eml",)


def test_attached_eml_file_is_returned():
    data = _carrier(
        lambda outer: outer.add_attachment(
            simple(), maintype="application", subtype="octet-stream", filename="Quotation.eml"
        )
    )
    assert forwarded_message(data).subject == "Quotation for March"


def test_attached_outlook_file_is_returned():
    msg = build_msg(
        subject="Offer",
        body="Price",
        sender=("A", "alice@ourco.com"),
        recipients=[("Bob", "bob@acme-trading.com", "to")],
    )
    data = _carrier(
        lambda outer: outer.add_attachment(msg, maintype="application", subtype="vnd.ms-outlook", filename="Offer.msg")
    )
    parsed = forwarded_message(data)
    assert (parsed.subject, parsed.source_format) == ("Offer", "msg")


def test_a_plain_forward_has_no_attached_message():
    with pytest.raises(MessageError, match="forward the email as an attachment"):
        forwarded_message(simple(subject="FW: Quotation", body="---------- Forwarded message ---------"))


def test_report_fields_fill_the_form(db):
    data = simple(headers={"Cc": '"Lee, Ann" <ann@acme-trading.com>', "X-Mailer": "Microsoft Outlook 16.0"})
    fields = report_fields(parse_message(data))
    assert fields == {
        "subject": "Quotation for March",
        "sent_at": datetime(2025, 7, 1, 2, 0, tzinfo=UTC),
        "mail_system": "microsoft365",
        "sender": "alice@ourco.com",
        "to_recipients": "bob@acme-trading.com",
        "cc_recipients": '"Lee, Ann" <ann@acme-trading.com>',
        "message_id": "<quote-1@ourco.com>",
        "body": "Unit price USD 12.50\n",
    }
    form = IncidentForm(
        data={
            **fields,
            "problems": ["wrong_recipient"],
            "recipient_status": "unknown",
            "sent_at": "2025-07-01T02:00:00",
        }
    )
    assert form.is_valid(), form.errors
    assert [a.address for a in form.cleaned_data["cc_recipients"]] == ["ann@acme-trading.com"]


def test_report_fields_leave_unknown_fields_out():
    data = b"To: bob@acme-trading.com\n\n"
    assert report_fields(parse_message(data)) == {"to_recipients": "bob@acme-trading.com"}


def test_attachment_names_one_a_line():
    parsed = ParsedMessage(
        "s", None, None, None, (Address("b@x.com"),), (), (), "", "", ("a, b.pdf", "c.xlsx"), (), "eml"
    )
    assert report_fields(parsed)["attachments"] == "a, b.pdf\nc.xlsx"


def test_the_parser_limits_match_the_form():
    assert (MAX_BODY_CHARS, MAX_SUBJECT_CHARS) == (MAX_BODY, MAX_SUBJECT)


DIRECTORY = DirectoryData(
    Directory(
        {
            "ourco.com": DirectoryEntry("OurCo", "internal"),
            "acme-trading.com": DirectoryEntry("Acme Trading", "client"),
            "globex.com.cn": DirectoryEntry("Globex China", "client"),
            "huaxin.cn": DirectoryEntry("华信贸易", "client"),
            "rival-exports.com": DirectoryEntry("Rival Exports", "competitor"),
        }
    ),
    languages={},
    company_name="OurCo",
)


@pytest.mark.parametrize(
    "subject, body, to, expected",
    [
        ("Quotation for Acme Trading", "Dear Acme Trading team", "bob@rival-exports.com", ["Acme Trading"]),
        (
            "Quote",
            "Globex China, please see; cc acme-trading.com. Globex China again.",
            "x@rival-exports.com",
            ["Globex China", "Acme Trading"],
        ),
        ("Quotation for Acme Trading", "", "bob@acme-trading.com", []),  # it did reach Acme
        ("华信贸易报价单", "致华信贸易：单价如下", "bob@rival-exports.com", ["华信贸易"]),
        ("Rival Exports and OurCo", "", "bob@acme-trading.com", []),  # only clients are suggested
        ("Acme Tradingville", "", "x@rival-exports.com", []),  # whole words only
    ],
)
def test_intended_organisation_suggested(subject, body, to, expected):
    data = simple(subject=subject, body=body or "-", to=to)
    assert suggest_intended_organisations(parse_message(data), DIRECTORY) == expected
