"""Per-user settings read by pages, forms and draft sending; profiles are created when first needed."""
from __future__ import annotations

import zoneinfo

from django.conf import settings

from .models import Profile


def profile_for(user) -> Profile:
    """The user's profile, created with the defaults the first time it is asked for."""
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def _stored_time_zone(user) -> str:
    # Reading must not write: most requests only need the name, and most users keep the default.
    cached = getattr(user, "_missend_time_zone", None)
    if cached is None:
        cached = Profile.objects.filter(user=user).values_list("time_zone", flat=True).first() or ""
        user._missend_time_zone = cached
    return cached


def user_time_zone(user) -> zoneinfo.ZoneInfo:
    """The zone the user reads and types times in; the site's zone for anonymous users or a stale name."""
    default = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    if user is None or not user.is_authenticated:
        return default
    name = _stored_time_zone(user)
    if not name:
        return default
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return default


def forget_time_zone(user) -> None:
    """Drop the per-request copy after the zone was changed."""
    try:
        del user._missend_time_zone
    except AttributeError:
        pass


def sending_address_for(user) -> str:
    """The address drafts go out from: the one an admin bound to the user, else their account email, else ""."""
    if user is None or not user.is_authenticated:
        return ""
    bound = Profile.objects.filter(user=user).values_list("sending_address", flat=True).first()
    return bound or user.email or ""
