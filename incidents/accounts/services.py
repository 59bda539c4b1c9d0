"""Writes about people's own settings: a profile is created the first time one of them is set."""

from __future__ import annotations

from incidents.accounts.selectors import forget_settings, forget_time_zone, known_language
from incidents.models import Profile


def profile_for(user) -> Profile:
    """The user's profile, created with the defaults the first time it is asked for."""
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def profile_set_time_zone(*, user, time_zone: str) -> None:
    """The zone (an IANA name the caller validated) this user sees and types times in."""
    profile = profile_for(user)
    profile.time_zone = time_zone
    profile.full_clean(validate_unique=False)
    profile.save(update_fields=["time_zone"])
    forget_time_zone(user)


def profile_set_language(*, user, language: str) -> None:
    """The language (one of settings.LANGUAGES, or "" for the browser's) of this user's pages and emails."""
    profile = profile_for(user)
    profile.language = known_language(language)
    profile.full_clean(validate_unique=False)
    profile.save(update_fields=["language"])
    forget_settings(user)
