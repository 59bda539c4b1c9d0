"""Importing the client directory from CSV: good rows are saved, bad rows come back numbered.

Two kinds of file, told apart by their header: organisations (name,kind,domains[,language]) and
their contacts (organisation,name[,title,email,phone,language]).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from incidents.directory.services import contact_save, organisation_save
from incidents.vocabulary import DraftLanguage, OrganisationKind

REQUIRED_COLUMNS = ("name", "kind", "domains")
CONTACT_COLUMNS = ("organisation", "name")
_PHONE = re.compile(r"^\+?[0-9 ()./-]{5,40}(?:\s*(?:ext\.?|x|#|转|轉|分机|分機)\s*[0-9]{1,6})?$", re.IGNORECASE)
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


LANGUAGE_ALIASES = {
    **{language.value: language for language in DraftLanguage},  # the codes themselves
    "english": DraftLanguage.EN,
    "zh": DraftLanguage.ZH_HANS,
    "zh-cn": DraftLanguage.ZH_HANS,
    "chinese": DraftLanguage.ZH_HANS,
    "中文": DraftLanguage.ZH_HANS,
    "简体中文": DraftLanguage.ZH_HANS,
    "簡體中文": DraftLanguage.ZH_HANS,
    "zh-tw": DraftLanguage.ZH_HANT,
    "zh-hk": DraftLanguage.ZH_HANT,
    "zh-mo": DraftLanguage.ZH_HANT,
    "繁體中文": DraftLanguage.ZH_HANT,
    "繁体中文": DraftLanguage.ZH_HANT,
    "auto": "",
}


def _parse_language(row: dict) -> str | None:
    """None when the file has no language column (keep what is stored); "" means from the domain."""
    if "language" not in row:
        return None
    raw = (row.get("language") or "").strip()
    key = raw.lower().replace("_", "-")
    if key in LANGUAGE_ALIASES or not raw:
        return LANGUAGE_ALIASES.get(key, "")
    raise ValueError(
        _("unknown language “%(language)s” (use en, zh-hans or zh-hant, or leave it empty)") % {"language": raw}
    )


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


def _parse_contact(row: dict) -> dict[str, str]:
    values = {
        column: " ".join((row.get(column) or "").split()) for column in ("organisation", "name", "title", "phone")
    }
    values["email"] = (row.get("email") or "").strip().lower()
    if not values["organisation"]:
        raise ValueError(_("the organisation is empty"))
    if not values["name"]:
        raise ValueError(_("the name is empty"))
    for column, limit in (("name", 200), ("title", 100)):
        if len(values[column]) > limit:
            raise ValueError(
                _("the %(column)s is longer than %(limit)d characters") % {"column": column, "limit": limit}
            )
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            raise ValueError(_("not an email address: %(email)s") % {"email": values["email"]}) from None
    if values["phone"] and not (_PHONE.match(values["phone"]) and len(values["phone"]) <= 50):
        raise ValueError(_("not a phone number: %(phone)s") % {"phone": values["phone"]})
    return values


def _organisation_row(row: dict, seen: dict[str, int], row_number: int) -> str:
    name, kind, domains = _parse_row(row)
    language = _parse_language(row)
    # A second row for the same organisation would replace the first one's domains on every run.
    earlier = seen.setdefault(name.casefold(), row_number)
    if earlier != row_number:
        raise ValueError(_("“%(name)s” is already in row %(row)d") % {"name": name, "row": earlier})
    return organisation_save(name=name, kind=kind, domains=domains, language=language)


def _contact_row(row: dict, seen: dict[str, int], row_number: int) -> str:
    values = _parse_contact(row)
    language = _parse_language(row)
    person = values["email"] or values["name"].casefold()
    earlier = seen.setdefault(f"{values['organisation'].casefold()}\n{person}", row_number)
    if earlier != row_number:
        raise ValueError(
            _("“%(name)s” is already in row %(row)d") % {"name": values["email"] or values["name"], "row": earlier}
        )
    return contact_save(language=language, **values)


def import_directory(stream: io.TextIOBase) -> DirectoryImportResult:
    """Create or update organisations (header name,kind,domains) or their contacts (header organisation,name)."""
    reader = csv.DictReader(stream)
    try:
        header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    except (UnicodeDecodeError, csv.Error) as error:
        raise DirectoryFileError(_("The file cannot be read as UTF-8 CSV: %(error)s") % {"error": error}) from None
    contacts = all(c in header for c in CONTACT_COLUMNS) and "domains" not in header
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing and not contacts:
        raise DirectoryFileError(
            _(
                "The header must name the columns name,kind,domains (organisations) or organisation,name (contacts); "
                "missing: %(missing)s"
            )
            % {"missing": ", ".join(missing)}
        )
    reader.fieldnames = header
    save_row = _contact_row if contacts else _organisation_row
    result = DirectoryImportResult()
    row_number = 1
    seen: dict[str, int] = {}
    try:
        for row in reader:
            row_number = reader.line_num
            if not any((v or "").strip() for k, v in row.items() if k):
                continue
            try:
                outcome = save_row(row, seen, row_number)
                setattr(result, outcome, getattr(result, outcome) + 1)
            except ValueError as error:
                result.rejected.append((row_number, str(error)))
    except (UnicodeDecodeError, csv.Error) as error:
        result.rejected.append((row_number + 1, _("unreadable from here on: %(error)s") % {"error": error}))
    return result
