"""Writes to the client directory: organisations, their mail domains, and their contacts (whom drafts greet)."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from incidents.audit import services as audit
from incidents.models import Contact, DirectoryStamp, MailDomain, Organisation


def directory_stamp_renew() -> None:
    """A new stamp: every process reads the directory (and the pre-send check's copy of it) afresh."""
    DirectoryStamp.objects.update_or_create(pk=1, defaults={"token": secrets.token_hex(16)})


def organisation_row(*, name: str, kind: str, language: str) -> Organisation:
    """A new organisation (not saved)."""
    return Organisation(name=name, kind=kind, language=language)


def domain_rows(organisation: Organisation, domains: list[str]) -> list[MailDomain]:
    """The organisation's new mail domains (not saved)."""
    return [MailDomain(organisation=organisation, domain=d) for d in domains]


def contact_row(*, organisation: Organisation, name: str, title: str, email: str, phone: str, language: str) -> Contact:
    """A new contact of an organisation (not saved)."""
    return Contact(organisation=organisation, name=name, title=title, email=email, phone=phone, language=language)


@transaction.atomic
def organisation_ensure(*, name: str, kind: str, domains: list[str]) -> Organisation:
    """The organisation, created when missing, with those of the domains that nobody has yet; nothing else
    changes (what an admin or an import changed since stays)."""
    organisation = Organisation.objects.filter(name=name).first()
    if organisation is None:
        organisation = organisation_row(name=name, kind=kind, language="")
        organisation.save()
    taken = set(MailDomain.objects.filter(domain__in=domains).values_list("domain", flat=True))
    for row in domain_rows(organisation, [d for d in domains if d not in taken]):
        row.save()
    return organisation


@transaction.atomic
def organisation_save(*, name: str, kind: str, domains: list[str], language: str | None) -> str:
    """Create or update one organisation and its domains; answers "created", "updated" or "unchanged".

    language None keeps the current preference. Raises ValueError when a domain belongs to another
    organisation (nothing is saved then).
    """
    organisation = Organisation.objects.filter(name__iexact=name).first()
    taken = (
        MailDomain.objects.filter(domain__in=domains).exclude(organisation=organisation).select_related("organisation")
    )
    clashes = [f"{d.domain} ({d.organisation.name})" for d in taken]
    if clashes:
        raise ValueError(
            _("domain already belongs to another organisation: %(clashes)s") % {"clashes": ", ".join(clashes)}
        )
    if organisation is None:
        organisation = organisation_row(name=name, kind=kind, language=language or "")
        organisation.save()
        audit.record_created(MailDomain.objects.bulk_create(domain_rows(organisation, domains)))
        directory_stamp_renew()  # bulk_create sends no signal (nor does it audit)
        return "created"
    current = set(organisation.domains.values_list("domain", flat=True))
    language = organisation.language if language is None else language
    if organisation.kind == kind and current == set(domains) and organisation.language == language:
        return "unchanged"
    # The file is the whole truth for the organisations it names: their domains become the row's.
    organisation.kind, organisation.language = kind, language
    organisation.save(update_fields=["kind", "language"])
    organisation.domains.exclude(domain__in=domains).delete()
    audit.record_created(
        MailDomain.objects.bulk_create(domain_rows(organisation, [d for d in domains if d not in current]))
    )
    directory_stamp_renew()  # bulk_create sends no signal (nor does it audit)
    return "updated"


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
        contact_row(organisation=owner, **{"language": "", **values}).save()
        return "created"
    if all(getattr(contact, field) == value for field, value in values.items()):
        return "unchanged"
    for field, value in values.items():
        setattr(contact, field, value)
    contact.save(update_fields=list(values))
    return "updated"
