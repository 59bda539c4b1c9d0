"""What the audit tests share: the people and the incident they act on, and reading the trail and its export."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from incidents.models import AuditEntry, Incident

CREATE, UPDATE, DELETE = 0, 1, 2
EXPORT_URL = reverse("admin:incidents_auditentry_export")
CHANGELIST_URL = reverse("admin:incidents_auditentry_changelist")


def api_for(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return api


def entries_for(obj):
    return AuditEntry.objects.get_for_object(obj).order_by("id")


def change_of(obj, field: str) -> AuditEntry:
    """The latest entry of the object that records the field."""
    found = [entry for entry in entries_for(obj) if field in (entry.changes or {})]
    assert found, f"no audit entry of {obj!r} records {field}: {[e.changes for e in entries_for(obj)]}"
    return found[-1]


@dataclass
class World:
    client: object
    employee: object
    manager: object
    legal: object
    superuser: object
    incident: Incident  # high, routed to managers: an escalation waits for the manager


def csv_of(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-trail-')
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


HEADER = [
    "When (UTC)",
    "Who",
    "Action",
    "Object type",
    "Object ID",
    "Object",
    "Field",
    "Before",
    "After",
    "Remote address",
]
