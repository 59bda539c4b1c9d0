"""What a reporter sends: the report form's fields and the API's JSON, for a quote to Acme that went to Globex."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

REPORT_URL = reverse("incidents:report")
API_URL = "/api/incidents/"


def form_data(**overrides) -> dict:
    """What an employee types for a quote to Acme that went to Globex instead."""
    data = {
        "subject": "Quotation Q-7 for Acme",
        "sent_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "mail_system": "microsoft365",
        "sender": "erin@ourco.com",
        "to_recipients": "Li Wei <li.wei@globex.com.cn>",
        "cc_recipients": "",
        "bcc_recipients": "",
        "intended_recipients": "buyer@acme-trading.com",
        "problems": ["wrong_recipient"],
        "quoted_price": "",
        "correct_price": "",
        "currency": "",
        "recipient_status": "unknown",
        "body": "",
        "attachments": "",
    }
    data.update(overrides)
    return data


def payload(**overrides) -> dict:
    """A quote for Acme that went to Globex instead, as a JSON client sends it."""
    body = {
        "subject": "Quotation Q-7",
        "sent_at": (timezone.now() - timedelta(hours=1)).replace(microsecond=0).isoformat(),
        "mail_system": "gmail",
        "sender": "erin@ourco.com",
        "recipients": [{"address": "li.wei@globex.com.cn", "field": "to"}],
        "intended_recipients": ["buyer@acme-trading.com"],
        "problems": ["wrong_recipient"],
        "quoted_price": None,
        "correct_price": None,
        "currency": "",
        "firm_offer": False,
        "recipient_status": "read",
        "body": "",
        "attachments": [],
    }
    body.update(overrides)
    return body
