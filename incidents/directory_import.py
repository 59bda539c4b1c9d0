"""Importing the client directory from CSV: good rows are saved, bad rows come back numbered."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .choices import OrganisationKind
from .services.directory import organisation_save

REQUIRED_COLUMNS = ("name", "kind", "domains")
_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_DOMAIN = re.compile(rf"^(?:{_LABEL}\.)+(?:[a-z]{{2,63}}|xn--[a-z0-9-]{{1,59}})$")


class DirectoryFileError(Exception):
    """The file as a whole cannot be read (encoding, header)."""


@dataclass
class DirectoryImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)


def normalise_domain(raw: str) -> str:
    """Lower-case, strip a leading @ and convert international names; ValueError if not a domain."""
    domain = raw.strip().lower().lstrip("@").rstrip(".")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValueError(raw) from None
    if len(domain) > 253 or not _DOMAIN.match(domain):
        raise ValueError(raw)
    return domain


LANGUAGE_ALIASES = {"en": "en", "english": "en", "zh": "zh-hans", "zh-hans": "zh-hans", "zh-cn": "zh-hans",
                    "chinese": "zh-hans", "中文": "zh-hans", "auto": ""}


def _parse_language(row: dict) -> str | None:
    """None when the file has no language column (keep what is stored); "" means from the domain."""
    if "language" not in row:
        return None
    raw = (row.get("language") or "").strip()
    if raw.lower() in LANGUAGE_ALIASES or not raw:
        return LANGUAGE_ALIASES.get(raw.lower(), "")
    raise ValueError(_("unknown language “%(language)s” (use en or zh-hans, or leave it empty)") % {"language": raw})


def _parse_row(row: dict) -> tuple[str, str, list[str]]:
    name = (row.get("name") or "").strip()
    kind = (row.get("kind") or "").strip().lower()
    if not name:
        raise ValueError(_("the name is empty"))
    if len(name) > 200:
        raise ValueError(_("the name is longer than 200 characters"))
    if kind not in OrganisationKind.values:
        raise ValueError(
            _("unknown kind “%(kind)s” (use internal, client or competitor)") % {"kind": row.get("kind") or ""}
        )
    raw_domains = [d for d in re.split(r"[\s;,]+", row.get("domains") or "") if d]
    if not raw_domains:
        raise ValueError(_("no mail domain given"))
    domains, bad = [], []
    for raw in raw_domains:
        try:
            domains.append(normalise_domain(raw))
        except ValueError:
            bad.append(raw)
    if bad:
        raise ValueError(_("not a mail domain: %(domains)s") % {"domains": ", ".join(bad)})
    return name, kind, list(dict.fromkeys(domains))


def import_directory(stream: io.TextIOBase) -> DirectoryImportResult:
    """Create or update organisations from CSV text with the header name,kind,domains."""
    reader = csv.DictReader(stream)
    try:
        header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    except (UnicodeDecodeError, csv.Error) as error:
        raise DirectoryFileError(_("The file cannot be read as UTF-8 CSV: %(error)s") % {"error": error}) from None
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise DirectoryFileError(
            _("The header must name the columns name,kind,domains; missing: %(missing)s") % {"missing": ", ".join(missing)}
        )
    reader.fieldnames = header
    result = DirectoryImportResult()
    row_number = 1
    # A second row for the same organisation would replace the first one's domains on every run.
    named_in_row: dict[str, int] = {}
    try:
        for row in reader:
            row_number = reader.line_num
            if not any((v or "").strip() for k, v in row.items() if k):
                continue
            try:
                name, kind, domains = _parse_row(row)
                language = _parse_language(row)
                earlier = named_in_row.setdefault(name.casefold(), row_number)
                if earlier != row_number:
                    raise ValueError(_("“%(name)s” is already in row %(row)d") % {"name": name, "row": earlier})
                outcome = organisation_save(name=name, kind=kind, domains=domains, language=language)
                setattr(result, outcome, getattr(result, outcome) + 1)
            except ValueError as error:
                result.rejected.append((row_number, str(error)))
    except (UnicodeDecodeError, csv.Error) as error:
        result.rejected.append((row_number + 1, _("unreadable from here on: %(error)s") % {"error": error}))
    return result
