"""Reading evidence: the kept files a person may download."""

from __future__ import annotations

from django.db.models import Q

from incidents import access
from incidents.models import Evidence


def evidence_visible_to(user):
    """Kept files of incidents the user may see, and their own files still held for a report."""
    if not user.is_authenticated:
        return Evidence.objects.none()
    return Evidence.objects.filter(
        Q(incident__in=access.incidents_visible_to(user)) | Q(incident__isnull=True, uploaded_by=user)
    )
