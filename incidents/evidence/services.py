"""Keeping the sent message as evidence: only when the user asks, with its SHA-256, on the timeline."""

from __future__ import annotations

import hashlib
import mimetypes
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents import access
from incidents.conf import missend
from incidents.models import Evidence, Incident
from incidents.timeline import events
from incidents.timeline import services as timeline

MESSAGE_TYPES = {".eml": "message/rfc822", ".msg": "application/vnd.ms-outlook"}


def _content_type(filename: str) -> str:
    suffix = ("." + filename.rsplit(".", 1)[-1].lower()) if "." in filename else ""
    return MESSAGE_TYPES.get(suffix) or mimetypes.guess_type(filename)[0] or "application/octet-stream"


def _display_name(filename: str) -> str:
    # A browser may send a path (C:\Users\...\quote.eml); keep the last part, printable, bounded.
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:255] or "message.eml"


def evidence_keep(*, data: bytes, filename: str, user, source: str, incident: Incident | None = None) -> Evidence:
    """Store the file and its SHA-256; with an incident, it goes on the timeline, else it is held for the uploader."""
    if incident is not None:
        access.require_edit(user, incident, _("Only the reporter and their managers can add evidence."))
    name = _display_name(filename)
    evidence = Evidence(
        incident=incident,
        uploaded_by=user,
        source=source,
        original_name=name,
        content_type=_content_type(name),
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    with transaction.atomic():
        evidence.file.save(name, ContentFile(data), save=False)
        evidence.save()
        if incident is not None:
            timeline.write(events.EVIDENCE_KEPT, incident=incident, actor=user, evidence=evidence)
    return evidence


def evidence_claim(*, evidence_ids, user, incident: Incident) -> list[Evidence]:
    """Attach the user's own held files to the incident their report became; other ids are ignored."""
    ids = [int(value) for value in evidence_ids if str(value).isdigit()]
    if not ids:
        return []
    with transaction.atomic():
        held = list(Evidence.objects.select_for_update().filter(pk__in=ids, incident__isnull=True, uploaded_by=user))
        for evidence in held:
            evidence.incident = incident
        Evidence.objects.bulk_update(held, ["incident"])
        timeline.record(*(events.EVIDENCE_KEPT.row(incident=incident, actor=user, evidence=e) for e in held))
    return held


def held_evidence_purge(now: datetime | None = None) -> int:
    """Delete held files no report claimed in time (their files go with the rows)."""
    cutoff = (now or timezone.now()) - timedelta(hours=missend.HELD_EVIDENCE_HOURS)
    stale = list(Evidence.objects.filter(incident__isnull=True, uploaded_at__lt=cutoff))
    for evidence in stale:
        evidence.delete()
    return len(stale)
