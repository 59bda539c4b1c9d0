"""Signed, expiring acknowledge links that work only for the person they were sent to."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from incidents.conf import missend

SALT = "missend.acknowledge"


def acknowledge_token(notification) -> str:
    return signing.dumps({"n": notification.pk, "u": notification.recipient_id}, salt=SALT, compress=True)


def acknowledge_url(notification) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("acknowledge_link", args=[acknowledge_token(notification)])


def read_token(token: str) -> dict:
    """The claim behind a token; raises signing.BadSignature (or SignatureExpired) otherwise."""
    return signing.loads(token, salt=SALT, max_age=missend.ACK_LINK_MAX_AGE_HOURS * 3600)
