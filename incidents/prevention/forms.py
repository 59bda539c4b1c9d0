"""The "Before you send" page's form: a draft typed, pasted or read from a saved .eml/.msg."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from incidents.assessment import Party
from incidents.message import ParsedMessage
from incidents.precheck import OutgoingDraft
from incidents.prevention.inputs import FIELDS, MAX_ATTACHMENT_NAME, MAX_ATTACHMENTS, NEEDS_A_RECIPIENT
from incidents.reports.forms import MESSAGE_FILE_TYPES, AddressListField, ReadsMessage
from incidents.reports.report import MAX_BODY, MAX_SUBJECT, split_attachment_names
from incidents.vocabulary import MailSystem


class PrecheckForm(forms.Form):
    to = AddressListField(label=_("To"), required=False)
    cc = AddressListField(label=_("Cc"), required=False)
    bcc = AddressListField(label=_("Bcc"), required=False)
    subject = forms.CharField(label=_("Subject"), required=False, max_length=MAX_SUBJECT)
    attachments = forms.CharField(
        label=_("Attachment names"),
        required=False,
        max_length=MAX_ATTACHMENTS * (MAX_ATTACHMENT_NAME + 1),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One file name a line, as attached."),
    )
    body = forms.CharField(
        label=_("Text"), required=False, max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 10})
    )
    mail_system = forms.ChoiceField(
        label=_("Your mail system"),
        choices=MailSystem.choices,
        initial=MailSystem.OTHER,
        help_text=_("For the steps to delay or undo a send below."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page's <form> also holds the message upload and the buttons
        self.helper.layout = Layout(
            Fieldset(_("Recipients"), Row(Column("to"), Column("cc"), Column("bcc"))),
            Fieldset(_("The draft"), "subject", "attachments", "body"),
            "mail_system",
        )

    def is_multipart(self) -> bool:
        return True  # a long Chinese body URL-encoded would pass DATA_UPLOAD_MAX_MEMORY_SIZE; multipart sends UTF-8

    def clean_attachments(self) -> list[str]:
        names = split_attachment_names(self.cleaned_data.get("attachments", ""))
        if len(names) > MAX_ATTACHMENTS:
            raise forms.ValidationError(
                _("At most %(limit)d attachment names.") % {"limit": MAX_ATTACHMENTS}, code="too_many"
            )
        if any(len(name) > MAX_ATTACHMENT_NAME for name in names):
            raise forms.ValidationError(
                _("A file name has at most %(limit)d characters.") % {"limit": MAX_ATTACHMENT_NAME}, code="too_long"
            )
        return names

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(cleaned.get(name) for name, _field in FIELDS):
            self.add_error("to", forms.ValidationError(NEEDS_A_RECIPIENT, code="required"))
        return cleaned

    def draft(self) -> OutgoingDraft:
        """The draft as checked (after is_valid)."""
        data = self.cleaned_data
        recipients = tuple(Party(a.address, field) for name, field in FIELDS for a in data.get(name) or ())
        return OutgoingDraft(
            recipients, data.get("subject", ""), data.get("body", ""), tuple(data.get("attachments") or ())
        )


def draft_values(parsed: ParsedMessage) -> dict[str, str]:
    """The form's fields as a saved draft fills them (only what it says)."""
    values = {name: ", ".join(str(a) for a in getattr(parsed, name)) for name, _field in FIELDS}
    values.update(subject=parsed.subject, body=parsed.body, attachments="\n".join(parsed.attachments))
    if parsed.mail_system:
        values["mail_system"] = parsed.mail_system
    return {name: value for name, value in values.items() if value}


class DraftUploadForm(ReadsMessage, forms.Form):
    """A draft saved from the mail program, read to fill the form; the file is never kept."""

    message = forms.FileField(
        label=_("A saved draft (.eml or .msg)"),
        help_text=_(
            "Drop the file here or choose it: the fields fill in and the draft is checked. The file is not kept."
        ),
        widget=forms.FileInput(attrs={"accept": MESSAGE_FILE_TYPES}),
    )
