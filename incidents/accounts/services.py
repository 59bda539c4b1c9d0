"""Writes about people's own settings."""

from __future__ import annotations

from incidents.accounts.selectors import forget_time_zone, profile_for


def profile_set_time_zone(*, user, time_zone: str) -> None:
    """The zone (an IANA name the caller validated) this user sees and types times in."""
    profile = profile_for(user)
    profile.time_zone = time_zone
    profile.full_clean(validate_unique=False)
    profile.save(update_fields=["time_zone"])
    forget_time_zone(user)
