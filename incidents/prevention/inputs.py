"""What a draft sent to the pre-send check may hold: its fields and limits, the same for the page's form and the
API's serializer (README: "Before you send")."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from incidents.conf import missend
from incidents.vocabulary import RecipientField

# The same limits on the page and in POST /api/precheck/ (README: "Before you send").
MAX_ATTACHMENTS = 200


MAX_ATTACHMENT_NAME = 255


# The form's (and the API's) field names are the header lines' codes.
FIELDS = tuple((field.value, field) for field in RecipientField)


NEEDS_A_RECIPIENT = _("Add at least one recipient: the check is first about who the draft goes to.")


def max_addresses() -> int:
    return missend.MAX_ADDRESSES_PER_FIELD
