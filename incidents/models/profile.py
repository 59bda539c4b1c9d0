"""Per-user settings: the time zone pages are shown in and the address drafts are sent from."""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def default_time_zone() -> str:
    return settings.TIME_ZONE


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a time zone name; use one such as Europe/Berlin or Asia/Shanghai."),
            code="invalid_time_zone",
            params={"value": value},
        )


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text=_("Times on pages and in forms are shown in this zone, e.g. Asia/Shanghai."),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("The language of pages and notifications; empty: the browser's, else the site default."),
    )
    sending_address = models.EmailField(
        _("sending address"),
        blank=True,
        help_text=_("The address drafts are sent from for this user; empty: their account email."),
    )
    hold_seconds = models.PositiveIntegerField(
        _("hold outgoing mail (seconds)"),
        null=True,
        blank=True,
        help_text=_(
            "How long the hold-and-check relay keeps this user's messages before sending them; "
            "empty: their team's, else the site's."
        ),
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return str(self.user)
