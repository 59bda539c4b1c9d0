"""What the pre-send check compares a draft with, read once per directory change."""

from __future__ import annotations

from incidents.assessment import (
    signals_from_settings,
)
from incidents.conf import missend
from incidents.directory.selectors import load_directory
from incidents.models import DirectoryStamp, PriceFloor
from incidents.precheck import CheckContext, FloorPrice
from incidents.vocabulary import OrganisationKind

_precheck_copy: tuple[str, CheckContext] | None = None


def precheck_context() -> CheckContext:
    """What the pre-send check compares a draft with: the directory, the names a draft may call each
    client by (the organisation's name, its contacts' names), the price floors and the word lists.
    Kept per process and directory stamp, like load_directory (a price floor's change renews the stamp)."""
    global _precheck_copy
    token = DirectoryStamp.current()
    if token is not None and _precheck_copy is not None and _precheck_copy[0] == token:
        return _precheck_copy[1]
    data = load_directory()
    clients = {entry.name for entry in data.directory.entries().values() if entry.kind == OrganisationKind.CLIENT}
    names: dict[str, str] = {}
    for organisation in sorted(clients):
        names.setdefault(organisation, organisation)
        for person in data.people.get(organisation, ()):
            if len(person.name.strip()) >= 2:  # one letter or character names nobody
                names.setdefault(person.name.strip(), organisation)
    floors = tuple(
        FloorPrice(f.currency, f.floor, f.product.strip(), f.words)
        for f in PriceFloor.objects.order_by("product", "currency")
    )
    context = CheckContext(
        directory=data.directory,
        signals=signals_from_settings(),
        client_names=names,
        floors=floors,
        attachment_words=tuple(missend.ATTACHMENT_WORDS),
    )
    _precheck_copy = (token, context) if token is not None else None
    return context
