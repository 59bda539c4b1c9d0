"""The one mapping from models to the pure engines (assessment and correspondence).

An incident and its recipients (saved rows, or rows about to be saved when a report is filed)
become IncidentFacts and DraftFacts. The directory is read once per filing or page and handed
in, so nothing here queries it again."""

from __future__ import annotations

from dataclasses import dataclass, field

from incidents.assessment import (
    Directory,
    DirectoryEntry,
)
from incidents.correspondence import Mailbox, Person
from incidents.models import Contact, DirectoryStamp, MailDomain
from incidents.vocabulary import OrganisationKind


@dataclass(frozen=True)
class DirectoryData:
    """The whole directory as plain data: domains, each organisation's preferred language and
    contacts, and our own name."""

    directory: Directory
    languages: dict[str, str]
    company_name: str
    people: dict[str, tuple[Person, ...]] = field(default_factory=dict)  # organisation name -> its contacts
    listed: dict[str, tuple[str, str, Person]] = field(default_factory=dict)  # email -> (organisation, kind, person)

    def contact(self, address: str, name: str = "") -> Mailbox:
        """The mailbox with its organisation (by domain, else by a contact listing the address) and its reader.

        The reader is the contact whose email it is; for a mailbox nobody is listed for and the report
        names nobody at, the organisation's only contact when it has exactly one (say sales@ read by her).
        """
        entry = self.directory.entry_for(address)
        listed = self.listed.get(address.strip().lower())
        if entry is None and listed is None:
            return Mailbox(address=address, name=name)
        organisation, kind = (entry.name, entry.kind) if entry else listed[:2]
        person = listed[2] if listed else None
        known = self.people.get(organisation, ())
        if person is None and not name and kind != OrganisationKind.INTERNAL and len(known) == 1:
            person = known[0]
        return Mailbox(
            address=address,
            name=name or (person.name if listed else ""),
            organisation=organisation,
            organisation_kind=kind,
            language=self.languages.get(organisation, ""),
            person=person,
        )


_directory_copy: tuple[str, DirectoryData] | None = None


def load_directory() -> DirectoryData:
    """Everything the engines need to know about organisations and their people.

    Built once per process and per directory change (its DirectoryStamp): one small read while
    nothing changed, instead of reading and building every organisation, domain and contact for
    each filing and each incident page.
    """
    global _directory_copy
    token = DirectoryStamp.current()
    if token is not None and _directory_copy is not None and _directory_copy[0] == token:
        return _directory_copy[1]
    data = read_directory()
    # No stamp yet (a database just emptied): nothing tells when a copy would go stale, so keep none.
    _directory_copy = (token, data) if token is not None else None
    return data


def read_directory() -> DirectoryData:
    """Two queries for everything the engines need to know about organisations and their people."""
    rows = list(
        MailDomain.objects.select_related("organisation")
        .only("domain", "organisation__name", "organisation__kind", "organisation__language")
        .order_by("organisation_id", "domain")
    )
    directory = Directory({row.domain: DirectoryEntry(row.organisation.name, row.organisation.kind) for row in rows})
    company = next((row.organisation.name for row in rows if row.organisation.kind == OrganisationKind.INTERNAL), "")
    languages = {row.organisation.name: row.organisation.language for row in rows}
    people: dict[str, list[Person]] = {}
    listed: dict[str, tuple[str, str, Person]] = {}
    for row in Contact.objects.select_related("organisation").order_by("organisation_id", "name", "id"):
        person = Person(row.name, row.title, row.phone, row.email, row.language)
        people.setdefault(row.organisation.name, []).append(person)
        languages.setdefault(row.organisation.name, row.organisation.language)
        if row.email:
            listed.setdefault(row.email.strip().lower(), (row.organisation.name, row.organisation.kind, person))
    return DirectoryData(directory, languages, company, {k: tuple(v) for k, v in people.items()}, listed)


def directory_with_languages() -> tuple[Directory, dict[str, str]]:
    """The whole directory as plain data, and each organisation's preferred language, in one query."""
    rows = MailDomain.objects.select_related("organisation").only(
        "domain", "organisation__name", "organisation__kind", "organisation__language"
    )
    directory = Directory({row.domain: DirectoryEntry(row.organisation.name, row.organisation.kind) for row in rows})
    return directory, {row.organisation.name: row.organisation.language for row in rows}


def directory_snapshot() -> Directory:
    """The whole directory as plain data for the assessment engine."""
    return directory_with_languages()[0]
