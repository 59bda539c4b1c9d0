"""Who is asking: the client's address behind our proxies, and the request django-axes reads for a password
offered over SMTP AUTH (the relay shares the login pages' lockout)."""

from __future__ import annotations

from django.http import HttpRequest

from incidents.conf import missend


def client_address(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or behind MISSEND_PROXY_COUNT proxies the address the outermost of them saw."""
    proxies = missend.PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR")


def relay_request(address: str | None) -> HttpRequest:
    """What django-axes reads of a request, for a password offered over SMTP AUTH from this address."""
    request = HttpRequest()
    request.method = "POST"
    request.path = request.path_info = "/smtp-auth"
    request.META.update(
        {
            "REMOTE_ADDR": address or "",
            "PATH_INFO": request.path_info,
            "HTTP_USER_AGENT": "SMTP AUTH (hold-and-check relay)",
            "HTTP_ACCEPT": "",
        }
    )
    return request


def locked_out(request: HttpRequest) -> bool:
    return bool(getattr(request, "axes_locked_out", False))
