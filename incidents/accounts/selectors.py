"""Per-user settings as pages, forms, draft sending and notifications read them; reading never writes."""

from __future__ import annotations

import contextlib
import zoneinfo

from django.conf import settings

from incidents.models import Profile


def _stored_settings(user) -> tuple[str, str]:
    """(time zone, language) as stored, "" for unset; one query per request, for both middlewares."""
    # Reading must not write: most requests only need the names, and most users keep the defaults.
    cached = getattr(user, "_missend_settings", None)
    if cached is None:
        row = Profile.objects.filter(user=user).values_list("time_zone", "language").first()
        cached = (row[0] or "", row[1] or "") if row else ("", "")
        user._missend_settings = cached
    return cached


def share_settings(user, same_person) -> None:
    """Give another copy of the same user (an incident's reporter, loaded with the incident) the
    settings this request already read for them, instead of reading them again."""
    cached = getattr(user, "_missend_settings", None)
    if cached is not None and same_person is not None and same_person.pk == user.pk:
        same_person._missend_settings = cached


def user_time_zone(user) -> zoneinfo.ZoneInfo:
    """The zone the user reads and types times in; the site's zone for anonymous users or a stale name."""
    default = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    if user is None or not user.is_authenticated:
        return default
    name = _stored_settings(user)[0]
    if not name:
        return default
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return default


def known_language(code: str) -> str:
    return code if code in dict(settings.LANGUAGES) else ""


def user_language(user) -> str:
    """The language the user chose for pages and emails; "" when they chose none (or it is no longer offered)."""
    if user is None or not user.is_authenticated:
        return ""
    return known_language(_stored_settings(user)[1])


def recipient_language(user) -> str:
    """The language an email to this user is written in: their choice, else the site's (never the sender's)."""
    return user_language(user) or settings.LANGUAGE_CODE


def forget_time_zone(user) -> None:
    """Drop the per-request copy after the zone or language was changed."""
    with contextlib.suppress(AttributeError):
        del user._missend_settings


forget_settings = forget_time_zone


def sending_address_for(user) -> str:
    """The address drafts go out from: the one an admin bound to the user, else their account email, else ""."""
    if user is None or not user.is_authenticated:
        return ""
    bound = Profile.objects.filter(user=user).values_list("sending_address", flat=True).first()
    return bound or user.email or ""
