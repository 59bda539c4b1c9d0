"""The report an employee files, as plain data shared by the form, the API and imports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incidents.conf import missend
from incidents.core.addresses import Address
from incidents.correspondence.eml import message_id
from incidents.message import ParsedMessage, parse_message, report_fields
from incidents.vocabulary import Problem, RecipientStatus

# A clock a few minutes fast on the reporter's machine is not an error worth stopping for.
SENT_AT_TOLERANCE = timedelta(minutes=5)


@dataclass
class IncidentReport:
    subject: str
    sent_at: datetime
    mail_system: str
    sender: str
    recipients: list[tuple[Address, str]]  # (address, header field)
    intended: list[Address] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    quoted_price: Decimal | None = None
    correct_price: Decimal | None = None
    currency: str = ""
    firm_offer: bool = False
    recipient_status: str = RecipientStatus.UNKNOWN
    body: str = ""
    attachments: list[str] = field(default_factory=list)
    message_id: str = ""
    # {"personal_data": "it is an order number"}: detected, but the reporter says it is not.
    dismissed_signals: dict[str, str] = field(default_factory=dict)


def _unintended_addresses(report: IncidentReport) -> list[str]:
    """Who got the email without being meant to; nobody when the intended recipients were not given."""
    intended = {a.address.strip().lower() for a in report.intended}
    if not intended:
        return []
    return [a.address for a, _field in report.recipients if a.address.strip().lower() not in intended]


def implied_problems(report: IncidentReport) -> list[str]:
    """Problems the facts state although not ticked: someone got it who was not meant to."""
    if Problem.WRONG_RECIPIENT not in report.problems and _unintended_addresses(report):
        return [Problem.WRONG_RECIPIENT]
    return []


def report_errors(report: IncidentReport) -> dict[str, list[str]]:
    """Rules that span fields; keys are the field names the form and the API share."""
    errors: dict[str, list[str]] = {}
    if not report.problems and not implied_problems(report):
        errors.setdefault("problems", []).append(
            _(
                "Say what went wrong: tick at least one problem, or give the intended recipients "
                "so we can see who should not have received it."
            )
        )
    if report.sent_at and report.sent_at > timezone.now() + SENT_AT_TOLERANCE:
        errors.setdefault("sent_at", []).append(_("The sent time is in the future."))
    if not report.recipients:
        errors.setdefault("recipients", []).append(_("Give at least one recipient who actually received the email."))
    if report.correct_price is not None and report.quoted_price is None:
        errors.setdefault("quoted_price", []).append(
            _("Give the quoted price too: a correct price alone says nothing about the mistake.")
        )
    if (report.quoted_price is not None or report.correct_price is not None) and not report.currency:
        errors.setdefault("currency", []).append(_("Give the currency of the prices, e.g. USD."))
    if Problem.PERSONAL_DATA in report.problems and (report.dismissed_signals or {}).get(Problem.PERSONAL_DATA):
        errors.setdefault("dismissed_signals", []).append(
            _(
                "You ticked Personal data as a problem, so it cannot also be dismissed: "
                "untick it or leave the reason empty."
            )
        )
    return errors


def split_attachment_names(text: str) -> list[str]:
    """One file name a line (commas are legal in file names, so lines only)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def normalise_message_id(value: str) -> str:
    """ "<id@host>" from what a user pasted (with or without brackets); ValueError if it is not one."""
    if not (value or "").strip():
        return ""
    normalised = message_id(value) if "\n" not in value and "\r" not in value else None
    if normalised is None:
        raise ValueError(_("A Message-ID looks like <123.abc@mail.example.com>, on one line."))
    return normalised


MAX_SUBJECT = 998


MAX_BODY = 1_000_000


MAX_DISMISSAL = 2000


currency_code = RegexValidator(
    r"^[A-Za-z]{3}$", gettext_lazy("Use a three-letter currency code such as USD, EUR or CNY.")
)


def message_max_bytes() -> int:
    return missend.MESSAGE_MAX_BYTES


def read_message(stream, *, filename: str = "") -> ParsedMessage:
    """Parse an uploaded or opened message; MessageError if it cannot be read.

    At most one byte past the size limit is read, so a huge file costs no memory and the
    parser still refuses it with its own sentence.
    """
    return parse_message(stream.read(message_max_bytes() + 1), filename=filename)


def message_prefill(parsed: ParsedMessage) -> dict:
    """Initial values for IncidentForm from the message; what it cannot tell keeps the form's default."""
    values = {name: value for name, value in report_fields(parsed).items() if value is not None}
    if parsed.sender is not None:
        values["sender"] = parsed.sender.address  # the field takes one bare address
    if values.get("sent_at") is not None:
        # The form reads and shows times in the user's zone; the message says its own zone.
        values["sent_at"] = timezone.localtime(values["sent_at"]).replace(microsecond=0)
    return values
