"""The filtered incident list as CSV, streamed: rows as plain data, one chunk of incidents at a time.

100,000 incidents are never in memory together: the rows come from ``.iterator(chunk_size=...)``
over one query (the incident and its reporter and team), each becomes a list of strings, and the
csv module writes them one line at a time. UTF-8 with a byte-order mark, so Excel shows Chinese;
a cell that a spreadsheet would read as a formula (starting with = + - @, or a tab or carriage
return) gets a leading apostrophe.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import datetime, tzinfo

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.vocabulary import FactorCode, IncidentStatus, MailSystem, Route, Severity

BOM = "\ufeff"
CHUNK_SIZE = 2000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = (
    "id",
    "reported_at",
    "sent_at",
    "severity",
    "status",
    "routes",
    "team",
    "reporter",
    "subject",
    "organisations",
    "factors",
    "mail_system",
    "regulatory_deadline",
    "resolved_at",
)
FIELDS = (
    "id",
    "created_at",
    "sent_at",
    "severity",
    "status",
    "route_manager",
    "route_legal",
    "team__name",
    "reporter__username",
    "reporter__first_name",
    "reporter__last_name",
    "subject",
    "organisation_names",
    "factor_codes",
    "mail_system",
    "regulatory_deadline",
    "resolved_at",
)


def guarded(value: str) -> str:
    """A cell a spreadsheet shows as text: formulas (=, +, -, @ and tab or CR first) get an apostrophe."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def header(zone_name: str) -> list[str]:
    at = _("%(what)s (%(zone)s)")
    return [
        _("ID"),
        at % {"what": _("Reported at"), "zone": zone_name},
        at % {"what": _("Sent at"), "zone": zone_name},
        _("Severity"),
        _("Status"),
        _("Routed to"),
        _("Team"),
        _("Reporter"),
        _("Subject"),
        _("Organisations"),
        _("Factors"),
        _("Mail system"),
        at % {"what": _("Regulatory deadline"), "zone": zone_name},
        at % {"what": _("Resolved at"), "zone": zone_name},
    ]


class IncidentLabels:
    """The words the rows use, looked up once in the reader's language (streaming runs after the view)."""

    def __init__(self):
        self.severity = {k: str(v) for k, v in Severity.choices}
        self.status = {k: str(v) for k, v in IncidentStatus.choices}
        self.mail_system = {k: str(v) for k, v in MailSystem.choices}
        self.factor = {k: str(v) for k, v in FactorCode.choices}
        self.manager, self.legal = str(Route.MANAGER.label), str(Route.LEGAL.label)


def _when(value: datetime | None, zone: tzinfo) -> str:
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M") if value else ""


def incident_row(row: dict, zone: tzinfo, labels: IncidentLabels) -> list[str]:
    """One incident (a ``values()`` row of FIELDS) as the CSV's cells."""
    routes = [
        name for flag, name in ((row["route_manager"], labels.manager), (row["route_legal"], labels.legal)) if flag
    ]
    reporter = f"{row['reporter__first_name']} {row['reporter__last_name']}".strip() or row["reporter__username"]
    organisations = [n for n in (row["organisation_names"] or "").split("|") if n]
    factors = [labels.factor.get(code, code) for code in (row["factor_codes"] or "").split()]
    cells = [
        str(row["id"]),
        _when(row["created_at"], zone),
        _when(row["sent_at"], zone),
        labels.severity.get(row["severity"], row["severity"]),
        labels.status.get(row["status"], row["status"]),
        ", ".join(routes),
        row["team__name"] or "",
        reporter,
        row["subject"],
        "; ".join(organisations),
        "; ".join(factors),
        labels.mail_system.get(row["mail_system"], row["mail_system"]),
        _when(row["regulatory_deadline"], zone),
        _when(row["resolved_at"], zone),
    ]
    return [guarded(cell) for cell in cells]


class _Line:
    """A file-like object the csv writer writes one line to, which is handed on at once."""

    def write(self, value: str) -> str:
        return value


def csv_text(heading: list[str], rows: Iterable[list[str]]) -> Iterator[str]:
    """CSV text a line at a time, the byte-order mark first (so Excel reads UTF-8); the incident list and the
    audit trail both stream theirs through it."""
    writer = csv.writer(_Line())
    yield BOM + writer.writerow(heading)
    for cells in rows:
        yield writer.writerow(cells)


def csv_lines(rows: Iterable[dict], *, zone: tzinfo, zone_name: str, labels: IncidentLabels) -> Iterator[str]:
    """The CSV text, a line at a time, the BOM first."""
    yield from csv_text(header(zone_name), (incident_row(row, zone, labels) for row in rows))


def export_rows(queryset: QuerySet) -> Iterator[dict]:
    """The incidents of ``queryset`` (already scoped to the user and filtered) as plain rows, in chunks."""
    return queryset.values(*FIELDS).iterator(chunk_size=CHUNK_SIZE)


def csv_response(queryset) -> StreamingHttpResponse:
    """Streams ``queryset`` (scoped and filtered) as CSV, times in the current zone, words in the current language."""
    zone = timezone.get_current_timezone()
    lines = csv_lines(
        export_rows(queryset), zone=zone, zone_name=timezone.get_current_timezone_name(), labels=IncidentLabels()
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime(timezone.now(), zone).strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="incidents-{stamp}.csv"'
    return response
