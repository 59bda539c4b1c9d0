"""Signed, expiring acknowledge links that work only for the person they were sent to."""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

from incidents.conf import missend
from incidents.platform.mail import site_link

SALT = "missend.acknowledge"


def acknowledge_token(notification) -> str:
    return signing.dumps({"n": notification.pk, "u": notification.recipient_id}, salt=SALT, compress=True)


def acknowledge_path(notification) -> str:
    return reverse("acknowledge_link", args=[acknowledge_token(notification)])


def acknowledge_url(notification) -> str:
    return site_link(acknowledge_path(notification))


def read_token(token: str) -> dict:
    """The claim behind a token; raises signing.BadSignature (or SignatureExpired) otherwise."""
    return signing.loads(token, salt=SALT, max_age=missend.ACK_LINK_MAX_AGE_HOURS * 3600)
