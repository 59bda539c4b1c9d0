from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from incidents.core.addresses import Address, parse_address_list, validate_single_address
from incidents.message import MessageError, ParsedMessage
from incidents.models import Incident, Recipient
from incidents.reports.report import (
    MAX_BODY,
    MAX_DISMISSAL,
    MAX_SUBJECT,
    IncidentReport,
    currency_code,
    normalise_message_id,
    read_message,
    report_errors,
    split_attachment_names,
)
from incidents.vocabulary import MailSystem, Problem, RecipientField, RecipientStatus


class AddressListField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 2, "placeholder": _("Name <a@b.com>, c@d.com; e@f.com")})

    def clean(self, value) -> list[Address]:
        value = super().clean(value)
        return parse_address_list(value)


class IncidentForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=MAX_SUBJECT)
    sent_at = forms.DateTimeField(
        # Read in the zone active for the request (the user's), so the label names that zone.
        label=lazy(lambda: _("Sent at (%(zone)s)") % {"zone": timezone.get_current_timezone_name()}, str)(),
        help_text=_("In your time zone; change it on your account page."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M:%S"),
    )
    mail_system = forms.ChoiceField(label=_("Mail system"), choices=MailSystem.choices)
    sender = forms.CharField(label=_("Sender"), max_length=254, help_text=_("Your address, as the email was sent."))
    to_recipients = AddressListField(label=_("To"), required=False)
    cc_recipients = AddressListField(label=_("Cc"), required=False)
    bcc_recipients = AddressListField(label=_("Bcc"), required=False)
    intended_recipients = AddressListField(
        label=_("Intended recipients"), required=False, help_text=_("Who should have received it.")
    )
    problems = forms.MultipleChoiceField(
        label=_("What went wrong"), choices=Problem.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    personal_data_dismissal = forms.CharField(
        label=_("Not personal data? Say why"),
        required=False,
        max_length=MAX_DISMISSAL,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("e.g. it is an order number, not an ID number")}),
        help_text=_(
            "Only when the assessment found personal data (an ID, mobile or bank card number, or words "
            "such as payroll) that is not. Legal still sees what was found and your reason."
        ),
    )
    quoted_price = forms.DecimalField(
        label=_("Quoted price"), required=False, min_value=0, max_digits=18, decimal_places=4
    )
    correct_price = forms.DecimalField(
        label=_("Correct price"), required=False, min_value=0, max_digits=18, decimal_places=4
    )
    currency = forms.CharField(label=_("Currency"), required=False, max_length=3, validators=[currency_code])
    firm_offer = forms.BooleanField(label=_("The email stated a firm offer or a validity period"), required=False)
    recipient_status = forms.ChoiceField(
        label=_("What the recipient has done"), choices=RecipientStatus.choices, initial=RecipientStatus.UNKNOWN
    )
    body = forms.CharField(
        label=_("Email text"),
        required=False,
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Optional: paste the text so pricing and internal content can be recognised."),
    )
    attachments = forms.CharField(
        label=_("Attachment names"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One file name a line."),
    )

    message_id = forms.CharField(
        label=_("Original Message-ID"),
        required=False,
        max_length=998,
        help_text=_("Optional, from the sent message's headers: lets corrections thread under it."),
    )

    # A new report's one-time token, made when the page is shown: a double submit, or the browser
    # sending the form again after a dropped connection, finds the incident this token already filed.
    filing_token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        # The page writes the <form> tag itself, so the message upload above the fields posts with them.
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("The email"), "subject", Row(Column("sent_at"), Column("mail_system")), "sender"),
            Fieldset(
                _("Recipients"),
                Row(Column("to_recipients"), Column("cc_recipients"), Column("bcc_recipients")),
                "intended_recipients",
            ),
            Fieldset(_("What went wrong"), "problems", "personal_data_dismissal", "recipient_status"),
            Fieldset(
                _("Prices"),
                Row(Column("quoted_price"), Column("correct_price"), Column("currency", css_class="col-md-2")),
                "firm_offer",
            ),
            Fieldset(_("Content"), "body", "attachments", "message_id"),
            "filing_token",
            Submit("submit", _("Save and assess")),
        )

    def is_multipart(self) -> bool:
        # URL-encoded, Chinese text takes 9 bytes a character and a long body would exceed
        # DATA_UPLOAD_MAX_MEMORY_SIZE (a bare 400, all input lost); multipart sends it as UTF-8.
        return True

    def clean_message_id(self) -> str:
        try:
            return normalise_message_id(self.cleaned_data.get("message_id", ""))
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid") from None

    def clean_sender(self) -> str:
        return validate_single_address(self.cleaned_data["sender"])

    def clean_currency(self) -> str:
        return (self.cleaned_data.get("currency") or "").upper()

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        report = self.to_report()
        field_for = {"recipients": "to_recipients", "dismissed_signals": "personal_data_dismissal"}
        for key, messages in report_errors(report).items():
            for message in messages:
                self.add_error(field_for.get(key, key), message)
        return cleaned

    def to_report(self) -> IncidentReport:
        data = self.cleaned_data
        recipients = [
            (address, field)
            for field, key in (
                (RecipientField.TO, "to_recipients"),
                (RecipientField.CC, "cc_recipients"),
                (RecipientField.BCC, "bcc_recipients"),
            )
            for address in data.get(key) or []
        ]
        return IncidentReport(
            subject=data["subject"],
            sent_at=data["sent_at"],
            mail_system=data["mail_system"],
            sender=data["sender"],
            recipients=recipients,
            intended=data.get("intended_recipients") or [],
            problems=list(data.get("problems") or []),
            quoted_price=data.get("quoted_price"),
            correct_price=data.get("correct_price"),
            currency=data.get("currency") or "",
            firm_offer=bool(data.get("firm_offer")),
            recipient_status=data["recipient_status"],
            body=data.get("body") or "",
            attachments=split_attachment_names(data.get("attachments") or ""),
            message_id=data.get("message_id") or "",
            dismissed_signals=self._dismissed_signals(),
        )

    def _dismissed_signals(self) -> dict[str, str]:
        reason = (self.cleaned_data.get("personal_data_dismissal") or "").strip()
        return {Problem.PERSONAL_DATA: reason} if reason else {}

    @classmethod
    def initial_for(cls, incident: Incident) -> dict:
        recipients = list(incident.recipients.all())

        def joined(role, field=""):
            chosen = (r for r in recipients if r.role == role and r.field == field)
            return ", ".join(str(Address(r.address, r.name)) for r in chosen)

        return {
            "subject": incident.subject,
            "sent_at": timezone.localtime(incident.sent_at),
            "mail_system": incident.mail_system,
            "sender": incident.sender,
            "to_recipients": joined(Recipient.ACTUAL, RecipientField.TO),
            "cc_recipients": joined(Recipient.ACTUAL, RecipientField.CC),
            "bcc_recipients": joined(Recipient.ACTUAL, RecipientField.BCC),
            "intended_recipients": joined(Recipient.INTENDED),
            "problems": incident.problems,
            "quoted_price": incident.quoted_price,
            "correct_price": incident.correct_price,
            "currency": incident.currency,
            "firm_offer": incident.firm_offer,
            "recipient_status": incident.recipient_status,
            "body": incident.body,
            "attachments": "\n".join(incident.attachments),
            "message_id": incident.message_id,
            "personal_data_dismissal": (incident.dismissed_signals or {}).get(Problem.PERSONAL_DATA, ""),
        }


# What the file choosers offer: saved messages (.eml, Outlook's .msg).
MESSAGE_FILE_TYPES = ".eml,.msg,message/rfc822,application/vnd.ms-outlook"


class ReadsMessage:
    """A form whose `message` file field is read as an email (the parsed message is its cleaned value)."""

    def clean_message(self) -> ParsedMessage:
        upload = self.cleaned_data["message"]
        try:
            return read_message(upload, filename=upload.name or "")
        except MessageError as error:
            raise forms.ValidationError(error.message, code="unreadable") from None


class MessageUploadForm(ReadsMessage, forms.Form):
    """The sent message, read to fill the report; the file itself is never kept."""

    message = forms.FileField(
        label=_("The sent message (.eml or .msg)"),
        help_text=_(
            "Drop the file here or choose it: the report fills itself. The file is not kept unless you "
            "tick the box below."
        ),
        widget=forms.FileInput(attrs={"accept": MESSAGE_FILE_TYPES}),
    )
    keep = forms.BooleanField(
        label=_("Keep the message as evidence with this report"),
        help_text=_(
            "Stored with its SHA-256 fingerprint; only people who may see the incident can download it, "
            "and it is deleted with the incident."
        ),
        required=False,
    )

    def message_bytes(self) -> tuple[bytes, str]:
        """The file as read (after is_valid): its bytes and the name it came with."""
        upload = self.files[self.add_prefix("message")]
        upload.seek(0)
        return upload.read(), upload.name or ""
