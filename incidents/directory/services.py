"""Writes to the client directory: organisations and their mail domains."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from incidents.audit import services as audit
from incidents.models import DirectoryStamp, MailDomain, Organisation


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
        organisation = Organisation.objects.create(name=name, kind=kind, language=language or "")
        audit.record_created(
            MailDomain.objects.bulk_create([MailDomain(organisation=organisation, domain=d) for d in domains])
        )
        DirectoryStamp.bump()  # bulk_create sends no signal (nor does it audit)
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
        MailDomain.objects.bulk_create(
            [MailDomain(organisation=organisation, domain=d) for d in domains if d not in current]
        )
    )
    DirectoryStamp.bump()  # bulk_create sends no signal (nor does it audit)
    return "updated"
