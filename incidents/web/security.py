"""Who is asking (the client's address behind our proxies) and how often they may: the API's throttles
and the password lockout shared by the login pages and the relay's SMTP AUTH."""

from __future__ import annotations

import base64
import hashlib
import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

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


class UserThrottle(UserRateThrottle):
    """Per signed-in user, whether by token or session; anonymous calls fall back to the address."""

    def get_rate(self) -> str:
        return missend.API_USER_RATE


class AnonThrottle(AnonRateThrottle):
    def get_rate(self) -> str:
        return missend.API_ANON_RATE


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


def lockout_response(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """django-axes' answer to a locked-out login: 429 and a page saying when to try again."""
    return render(request, "registration/locked_out.html", {"minutes": missend.LOGIN_LOCKOUT_MINUTES}, status=429)


_STYLE_BLOCK = re.compile(r"<style>(.*?)</style>", re.S)


def allow_style_blocks(response: HttpResponse, html: str) -> HttpResponse:
    """Let the <style> blocks of this (cached, so nonce-less) HTML apply: their hashes join style-src."""
    hashes = [
        f"'sha256-{base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()}'"
        for block in _STYLE_BLOCK.findall(html)
    ]
    if hashes:
        response._csp_update = {"style-src": hashes}
    return response
