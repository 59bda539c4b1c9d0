"""Reading the Authentication-Results header (RFC 8601) a trusted mail server adds in front of the desk.

Only a header carrying the trusted server's authserv-id counts: that server removes any copy a sender
forged with its id, so the topmost such header is its own verdict.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class MethodResult:
    method: str  # "dmarc", "spf", "dkim", ... lower case, without a version
    result: str  # "pass", "fail", "none", ...
    properties: dict[str, str] = field(default_factory=dict)  # e.g. {"header.from": "ourco.com"}


@dataclass(frozen=True)
class AuthenticationResults:
    authserv_id: str
    results: tuple[MethodResult, ...]


def _without_comments(text: str) -> str:
    """Drop (comments), which may nest, keeping quoted strings intact."""
    out, depth, quoted, escaped = [], 0, False, False
    for char in text:
        if escaped:
            escaped = False
            if depth == 0:
                out.append(char)
            continue
        if char == "\\":
            escaped = True
            if depth == 0:
                out.append(char)
            continue
        if quoted:
            quoted = char != '"'
            out.append(char)
        elif char == '"' and depth == 0:
            quoted = True
            out.append(char)
        elif char == "(":
            depth += 1
        elif char == ")" and depth:
            depth -= 1
        elif depth == 0:
            out.append(char)
    return "".join(out)


def _split_outside_quotes(text: str, separator: str) -> list[str]:
    parts, current, quoted = [], [], False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char == separator and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def parse_authentication_results(value: str) -> AuthenticationResults | None:
    """The header's authserv-id and method results; None when it has no authserv-id."""
    segments = _split_outside_quotes(_without_comments(value), ";")
    head = segments[0].split()
    if not head:
        return None
    results = []
    for segment in segments[1:]:
        tokens = _split_outside_quotes(" ".join(segment.split()), " ")
        if not tokens or "=" not in tokens[0]:
            continue  # "none" or an empty segment
        method, result = tokens[0].split("=", 1)
        properties = {}
        for token in tokens[1:]:
            if "=" in token:
                name, prop = token.split("=", 1)
                properties[name.lower()] = prop.strip('"')
        results.append(MethodResult(method.split("/")[0].lower(), result.lower(), properties))
    return AuthenticationResults(head[0].lower(), tuple(results))


def _domain(value: str) -> str:
    return value.rsplit("@", 1)[-1].strip().strip("<>").rstrip(".").lower()


def trusted_results(headers: list[str], authserv_id: str) -> AuthenticationResults | None:
    """The topmost header from the trusted server (headers in message order)."""
    for value in headers:
        parsed = parse_authentication_results(value)
        if parsed is not None and parsed.authserv_id == authserv_id.lower():
            return parsed
    return None


def sender_authenticated(
    results: AuthenticationResults | None, *, methods: list[str], header_from: str, envelope_from: str
) -> bool:
    """Whether one of the accepted methods passed for the sender's own domain.

    dmarc must name the From header's domain (header.from), spf the envelope sender's (smtp.mailfrom):
    a pass for some other domain says nothing about this sender.
    """
    if results is None:
        return False
    wanted = {"dmarc": ("header.from", _domain(header_from)), "spf": ("smtp.mailfrom", _domain(envelope_from))}
    for outcome in results.results:
        if outcome.method not in methods or outcome.method not in wanted or outcome.result != "pass":
            continue
        prop, domain = wanted[outcome.method]
        if domain and _domain(outcome.properties.get(prop, "")) == domain:
            return True
    return False
