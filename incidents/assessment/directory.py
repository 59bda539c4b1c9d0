"""Which organisation an address belongs to: the client directory as plain data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from incidents.assessment.types import DirectoryEntry
from incidents.vocabulary import UNKNOWN_KIND, OrganisationKind


@dataclass(frozen=True)
class UnknownOrganisation:
    """A domain nobody put in the directory; all its addresses are one organisation."""

    domain: str
    name: str = ""
    kind: str = UNKNOWN_KIND


def normalise_address(address: str) -> str:
    """The bare lower-cased address; tolerates "Name <a@b.com>" and surrounding spaces."""
    address = (address or "").strip()
    if "<" in address and address.endswith(">"):
        address = address[address.rindex("<") + 1 : -1]
    return address.strip().lower()


def ascii_domain(domain: str) -> str:
    """One spelling per domain: international names in their ASCII (punycode) form."""
    domain = domain.strip().strip(".").lower()
    if domain.isascii():
        return domain
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return domain


def domain_of(address: str) -> str:
    """The lower-cased ASCII domain of an address, without a trailing dot."""
    return ascii_domain(normalise_address(address).rpartition("@")[2])


class Directory:
    """Domains mapped to organisations; a domain also covers its subdomains."""

    def __init__(self, entries: Mapping[str, DirectoryEntry] | None = None) -> None:
        self._entries = {ascii_domain(domain): entry for domain, entry in (entries or {}).items() if domain.strip()}

    def __len__(self) -> int:
        return len(self._entries)

    def entries(self) -> dict[str, DirectoryEntry]:
        """Every listed domain and its organisation (a copy)."""
        return dict(self._entries)

    def entry_for(self, address: str) -> DirectoryEntry | None:
        """The entry of the most specific listed domain the address's domain belongs to."""
        labels = domain_of(address).split(".")
        # Walking from the full domain towards the root meets the longest match first.
        for start in range(len(labels)):
            entry = self._entries.get(".".join(labels[start:]))
            if entry is not None:
                return entry
        return None

    def organisation_of(self, address: str) -> DirectoryEntry | UnknownOrganisation:
        """A hashable key: the directory entry, or one key per unknown domain."""
        return self.entry_for(address) or UnknownOrganisation(domain_of(address))

    def organisation_name(self, address: str) -> str:
        entry = self.entry_for(address)
        return entry.name if entry is not None else domain_of(address)

    def kind_of(self, address: str) -> str:
        """An OrganisationKind, or UNKNOWN_KIND for a domain not in the directory."""
        entry = self.entry_for(address)
        return entry.kind.strip().lower() if entry is not None else UNKNOWN_KIND

    def is_internal(self, address: str) -> bool:
        return self.kind_of(address) == OrganisationKind.INTERNAL

    def is_external(self, address: str) -> bool:
        # Unknown domains are external too: only the directory can vouch for "internal".
        return not self.is_internal(address)

    def is_competitor(self, address: str) -> bool:
        return self.kind_of(address) == OrganisationKind.COMPETITOR


__all__ = ["Directory", "UnknownOrganisation", "domain_of", "normalise_address"]
