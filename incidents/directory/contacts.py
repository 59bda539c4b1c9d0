"""Writes to the client directory's contacts: the people drafts greet and call scripts ask for."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from incidents.models import Contact, Organisation


@transaction.atomic
def contact_save(*, organisation: str, name: str, title: str, email: str, phone: str, language: str | None) -> str:
    """Create or update one contact of an organisation; answers "created", "updated" or "unchanged".

    A contact is the same person when the email matches, else (without an email) when the name does.
    language None keeps the current preference. Raises ValueError for an organisation not in the
    directory or an email that is already another organisation's contact (nothing is saved then).
    """
    owner = Organisation.objects.filter(name__iexact=organisation).first()
    if owner is None:
        raise ValueError(
            _("no organisation named “%(name)s” in the directory (import it first)") % {"name": organisation}
        )
    contact = None
    if email:
        elsewhere = (
            Contact.objects.filter(email__iexact=email).exclude(organisation=owner).select_related("organisation")
        )
        taken = elsewhere.first()
        if taken:
            raise ValueError(
                _("%(email)s is already a contact of %(organisation)s")
                % {"email": email, "organisation": taken.organisation.name}
            )
        contact = owner.contacts.filter(email__iexact=email).first()
    if contact is None:
        contact = owner.contacts.filter(name__iexact=name, email="").first()
    values = {"name": name, "title": title, "phone": phone, "email": email}
    if language is not None:
        values["language"] = language
    if contact is None:
        Contact.objects.create(organisation=owner, **{"language": "", **values})
        return "created"
    if all(getattr(contact, field) == value for field, value in values.items()):
        return "unchanged"
    for field, value in values.items():
        setattr(contact, field, value)
    contact.save(update_fields=list(values))
    return "updated"
