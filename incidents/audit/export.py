"""The audit trail as CSV, streamed: one line per changed field, in chunks, never all in memory.

Times are ISO 8601 in UTC, whatever the reader's zone, so exports from anywhere line up. Words (the
header, the actions, the object types) are looked up in the reader's language before streaming
starts; cells that a spreadsheet would read as a formula get an apostrophe (export.guarded).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC

from auditlog.registry import auditlog
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from incidents.insight.export import CHUNK_SIZE, csv_text, guarded
from incidents.models.audit import action_labels

FIELDS = (
    "timestamp",
    "actor__username",
    "actor_email",
    "action",
    "content_type__app_label",
    "content_type__model",
    "object_pk",
    "object_repr",
    "changes",
    "remote_addr",
)


def header() -> list[str]:
    return [
        _("When (UTC)"),
        _("Who"),
        _("Action"),
        _("Object type"),
        _("Object ID"),
        _("Object"),
        _("Field"),
        _("Before"),
        _("After"),
        _("Remote address"),
    ]


class AuditLabels:
    """The words the rows use, in the reader's language, looked up before the response streams: actions,
    object types, each field's name and the words of its choices and yes/no values."""

    def __init__(self):
        self.system = _("system")
        self.action = action_labels()
        self.object_type = {}
        self.fields: dict[tuple[str, str], dict[str, tuple[str, dict]]] = {}
        yes_no = {"True": pgettext("a yes/no value", "yes"), "False": pgettext("a yes/no value", "no")}
        for model in auditlog.get_models():
            kind = (model._meta.app_label, model._meta.model_name)
            self.object_type[kind] = capfirst(model._meta.verbose_name)
            fields = {}
            for field in model._meta.get_fields():
                if not hasattr(field, "verbose_name"):
                    continue
                if field.get_internal_type() == "BooleanField":
                    words = yes_no
                else:
                    words = {str(value): str(label) for value, label in getattr(field, "flatchoices", None) or ()}
                fields[field.name] = (capfirst(field.verbose_name), words)
            self.fields[kind] = fields

    def changes(self, kind: tuple[str, str], changes) -> list[tuple[str, str, str]]:
        """(field name, before, after) in the reader's words: "None" as empty, choices and yes/no as words."""
        fields = self.fields.get(kind, {})
        lines = []
        for field, before, after in changed_fields(changes):
            name, words = fields.get(field, (field, {}))
            lines.append((str(name), *(_readable(value, words) for value in (before, after))))
        return lines


def _readable(value: str, words: dict) -> str:
    if value == "None":
        return ""
    return words.get(value, value)


def changed_fields(changes) -> list[tuple[str, str, str]]:
    """(field, before, after) for each change of an entry, as stored; one empty line for an entry without any."""
    if isinstance(changes, str):
        changes = json.loads(changes or "{}")
    lines = []
    for field, values in sorted((changes or {}).items()):
        if isinstance(values, (list, tuple)) and len(values) == 2:
            lines.append((field, str(values[0]), str(values[1])))
        else:  # another shape (auditlog's own many-to-many entries): kept whole, as JSON
            lines.append((field, "", json.dumps(values, ensure_ascii=False, sort_keys=True)))
    return lines or [("", "", "")]


def entry_rows(row: dict, labels: AuditLabels) -> Iterator[list[str]]:
    """One entry (a ``values()`` row of FIELDS) as CSV rows, one per changed field."""
    who = row["actor__username"] or row["actor_email"] or labels.system
    kind = (row["content_type__app_label"], row["content_type__model"])
    cells = [
        row["timestamp"].astimezone(UTC).isoformat(timespec="milliseconds"),
        who,
        labels.action.get(row["action"], str(row["action"])),
        labels.object_type.get(kind, ".".join(kind)),
        row["object_pk"],
        row["object_repr"],
    ]
    for field, before, after in labels.changes(kind, row["changes"]):
        yield [guarded(cell) for cell in (*cells, field, before, after, row["remote_addr"] or "")]


def csv_lines(rows: Iterable[dict], *, labels: AuditLabels, heading: list[str]) -> Iterator[str]:
    """The CSV text, a line at a time, the byte-order mark first (so Excel reads UTF-8)."""
    yield from csv_text(heading, (cells for row in rows for cells in entry_rows(row, labels)))


def export_rows(queryset: QuerySet) -> Iterator[dict]:
    """The entries of ``queryset`` (already filtered) as plain rows, read in chunks over one query."""
    return queryset.values(*FIELDS).iterator(chunk_size=CHUNK_SIZE)
