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


class UserThrottle(UserRateThrottle):
    """Per signed-in user, whether by token or session; anonymous calls fall back to the address."""

    def get_rate(self) -> str:
        return missend.API_USER_RATE


class AnonThrottle(AnonRateThrottle):
    def get_rate(self) -> str:
        return missend.API_ANON_RATE


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
