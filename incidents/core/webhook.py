"""Where a policy's webhook may post, checked when the policy is saved and again right before each call.

Only https to hosts whose every address is public; plain http only to the loopback interface while
DEBUG is on. The call connects to the address that was checked (the Host header and TLS name stay
the host's), so a DNS answer that changes between the check and the connection cannot steer the POST
to an internal service. Redirects are not followed, and the answer is read only up to a cap.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

Resolver = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Cloud instance metadata: handing out credentials to whoever can make the server ask.
METADATA_ADDRESSES = frozenset({ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")})
RESPONSE_CAP = 64 * 1024


class WebhookTargetRefused(ValueError):
    """The URL may not be called; `code` is stable, the message is for the person who set it."""

    def __init__(self, message, code: str):
        super().__init__(str(message))
        self.message, self.code = message, code


class WebhookFailed(OSError):
    """The target was called and did not accept the POST (an error status or a redirect)."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str  # the checked address the call connects to


def system_resolver(host: str, port: int) -> list[str]:
    return [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def _address(text: str) -> IPAddress:
    address = ipaddress.ip_address(text.split("%", 1)[0])  # drop an IPv6 zone id
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def is_public(address: IPAddress) -> bool:
    """Global unicast and not a metadata service."""
    return not (
        address in METADATA_ADDRESSES
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def check(url: str, *, debug: bool, resolve: Resolver | None = None) -> Target:
    """The target to connect to, or WebhookTargetRefused saying why not."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise WebhookTargetRefused(_("Give a full address such as https://chat.example.com/hook."), "invalid") from None
    scheme, host = parts.scheme.lower(), parts.hostname
    if scheme not in ("http", "https") or not host:
        raise WebhookTargetRefused(_("Give a full address such as https://chat.example.com/hook."), "invalid")
    if parts.username or parts.password:
        raise WebhookTargetRefused(_("Put no user name or password in the webhook address."), "credentials")
    port = port or (443 if scheme == "https" else 80)
    try:
        addresses = [_address(a) for a in (resolve or system_resolver)(host, port)]
    except (OSError, UnicodeError, ValueError):
        addresses = []
    if not addresses:
        raise WebhookTargetRefused(
            _("The webhook host %(host)s could not be resolved.") % {"host": host}, "unresolvable"
        )
    loopback_only = all(a.is_loopback for a in addresses)
    local_development = debug and loopback_only
    if scheme == "http" and not local_development:
        raise WebhookTargetRefused(
            _("Use an https address (http is allowed only to this machine while DEBUG is on)."), "not_https"
        )
    if not local_development and not all(is_public(a) for a in addresses):
        raise WebhookTargetRefused(
            _(
                "The webhook host %(host)s resolves to a private, local or metadata address; only public "
                "addresses may be called."
            )
            % {"host": host},
            "not_public",
        )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(scheme=scheme, host=host, port=port, path=path, address=str(addresses[0]))


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._pinned = target.address

    def connect(self):
        self.sock = socket.create_connection((self._pinned, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float, context: ssl.SSLContext | None):
        super().__init__(target.host, target.port, timeout=timeout, context=context or ssl.create_default_context())
        self._pinned = target.address

    def connect(self):
        sock = socket.create_connection((self._pinned, self.port), self.timeout)
        # The certificate is checked against the host's name, not the address connected to.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(
    target: Target,
    body: bytes,
    headers: dict[str, str],
    *,
    timeout: float,
    response_cap: int = RESPONSE_CAP,
    context: ssl.SSLContext | None = None,
) -> int:
    """POST to the checked address; answers the status, raises WebhookFailed for anything but 2xx."""
    if target.scheme == "https":
        connection = _PinnedHTTPSConnection(target, timeout, context)
    else:
        connection = _PinnedHTTPConnection(target, timeout)
    deadline = time.monotonic() + timeout
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        read = 0
        # Read (and drop) at most the cap, within the time allowed: a target cannot hold a worker.
        while read < response_cap and time.monotonic() < deadline:
            chunk = response.read(min(8192, response_cap - read))
            if not chunk:
                break
            read += len(chunk)
    finally:
        connection.close()
    if 300 <= response.status < 400:
        raise WebhookFailed(f"webhook answered {response.status} (a redirect, not followed)")
    if not 200 <= response.status < 300:
        raise WebhookFailed(f"webhook answered {response.status}")
    return response.status
