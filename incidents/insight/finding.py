"""What lists find an incident by: plain text keys written with each assessment.

Filtering a JSON list of factors or joining recipients to the directory for every row of a list
would make each filtered page read the whole table. Instead, every assessment also writes three
short text columns that any database filters in the order of the list's own index:

- ``factor_codes``: " wrong_recipient low_quote " (a space before and after each code),
- ``organisation_names``: "|Acme Ltd|Globex|" (every organisation on the To/Cc/Bcc or intended lines),
- ``search_text``: the subject, sender, recipients' addresses and names and organisation names,
  case-folded, for the search box (PostgreSQL indexes it for full-text search).
"""

from __future__ import annotations

from collections.abc import Iterable

from incidents.assessment import Directory


def factor_codes_text(codes: Iterable[str]) -> str:
    codes = sorted(set(codes))
    return f" {' '.join(codes)} " if codes else ""


def factor_key(code: str) -> str:
    """The text to look for in ``factor_codes`` to find incidents with this factor."""
    return f" {code.strip()} "


def organisation_names_text(names: Iterable[str]) -> str:
    names = sorted({n.replace("|", "/").strip() for n in names if n and n.strip()})
    return f"|{'|'.join(names)}|" if names else ""


def organisation_key(name: str) -> str:
    return f"|{name.replace('|', '/').strip()}|"


def recipient_organisations(addresses: Iterable[str], directory: Directory) -> list[str]:
    """Listed organisations of these addresses (unknown domains are left to the search text)."""
    names = []
    for address in addresses:
        entry = directory.entry_for(address)
        if entry is not None and entry.name not in names:
            names.append(entry.name)
    return names


def search_text(
    *, subject: str, sender: str, recipients: Iterable[tuple[str, str]], organisations: Iterable[str]
) -> str:
    """One case-folded line: what the search box matches (subject, addresses, names, organisations)."""
    parts = [subject, sender]
    for address, name in recipients:
        parts += [address, name]
    parts += list(organisations)
    return " ".join(p.strip() for p in parts if p and p.strip()).casefold()
