"""Pure rules of the hold-and-check relay: plain values in, plain values out (no Django, no database).

SMTP replies are English ASCII with enhanced status codes (RFC 3463): they reach the sender in a bounce
or in their mail program's error box, so each says what to do.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from incidents.core.retry import retry_delay  # noqa: F401 (the relay's retries follow the one rule)
from incidents.vocabulary import HeldStatus, RecipientField

OK_SENDER = "250 2.1.0 Sender OK"
OK_RECIPIENT = "250 2.1.5 Recipient OK"
AUTH_REQUIRED = (
    "530 5.7.0 Authentication required: this relay takes mail only from the company network or signed-in users"
)
ENCRYPTION_REQUIRED = "538 5.7.11 Encryption required: use STARTTLS before AUTH"
AUTH_INVALID = "535 5.7.8 Authentication credentials invalid"
NOT_A_USER = "550 5.7.1 Sender is not a Missend Desk user"
AMBIGUOUS_USER = "550 5.7.1 Sender address belongs to more than one Missend Desk user; ask an administrator"
NOT_YOUR_ADDRESS = "553 5.7.1 Sender address is not one of the signed-in user's addresses"
TOO_BIG = "552 5.3.4 Message too big for the relay"
TOO_MANY_RECIPIENTS = "452 4.5.3 Too many recipients: send the rest in another message"
UNREADABLE = "554 5.6.0 The message could not be checked"
TRY_LATER = "451 4.3.0 Temporary failure in the relay, please try again later"
MAX_REPLY_TEXT = 400


def locked_out(minutes: int) -> str:
    """The reply once a login has had too many wrong passwords from this address (the login pages' 429)."""
    return (
        f"454 4.7.0 Too many failed attempts: try again {minutes} minutes after the last one, "
        "or ask an administrator to unlock the account"
    )


@dataclass(frozen=True)
class Held:
    """What a stored message answers to its SMTP client."""

    held_id: int
    due_at: datetime
    already: bool = False  # the same message (sender and Message-ID) was held before


def accepted(held: Held) -> str:
    when = held.due_at.astimezone(UTC).strftime("%H:%M")
    if held.already:
        return f"250 2.0.0 Already held as {held.held_id}: not held again"
    return f"250 2.0.0 Held until {when} UTC as {held.held_id}: the sender can cancel it until then"


def unreadable(sentence: str) -> str:
    """554 with the parser's sentence made one ASCII line (a reply may carry nothing else)."""
    detail = " ".join(sentence.split()).encode("ascii", "replace").decode()[:MAX_REPLY_TEXT]
    return f"{UNREADABLE} ({detail})" if detail else UNREADABLE


def hold_seconds(*, user: int | None, teams: Iterable[int | None], default: int) -> int:
    """The user's own delay, else the longest of their teams' (the most careful), else the site's."""
    if user is not None:
        return max(int(user), 0)
    set_by_teams = [int(t) for t in teams if t is not None]
    if set_by_teams:
        return max(max(set_by_teams), 0)
    return max(int(default), 0)


def parse_networks(cidrs: Iterable[str]) -> tuple:
    """The trusted networks; a malformed entry raises ValueError naming it (the relay refuses to start)."""
    networks = []
    for cidr in cidrs:
        try:
            networks.append(ipaddress.ip_network(cidr.strip(), strict=False))
        except ValueError:
            raise ValueError(f"not a network: {cidr!r}") from None
    return tuple(networks)


def _address(peer_host: str | None):
    if not peer_host:
        return None
    try:
        address = ipaddress.ip_address(peer_host.split("%", 1)[0])
    except ValueError:
        return None
    # An IPv4 client on a dual-stack socket arrives as ::ffff:a.b.c.d.
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def trusted_peer(peer_host: str | None, networks: Iterable) -> bool:
    address = _address(peer_host)
    return address is not None and any(address.version == n.version and address in n for n in networks)


def loopback_peer(peer_host: str | None) -> bool:
    address = _address(peer_host)
    return address is not None and address.is_loopback


def may_relay(*, trusted: bool, authenticated: bool) -> bool:
    """Never an open relay: only the configured networks or a signed-in user."""
    return trusted or authenticated


def may_authenticate(*, tls: bool, loopback: bool) -> bool:
    """A password crosses the network only encrypted; over loopback it crosses none."""
    return tls or loopback


def sender_refusal(*, users: int, authenticated_user_id: int | None, sender_user_id: int | None) -> str | None:
    """At MAIL FROM, with the users the address belongs to counted: a refusal, or None to go on."""
    if users == 0:
        return NOT_A_USER
    if users > 1:
        return AMBIGUOUS_USER
    if authenticated_user_id is not None and sender_user_id != authenticated_user_id:
        return NOT_YOUR_ADDRESS
    return None


def size_refusal(size: int | None, limit: int) -> str | None:
    return TOO_BIG if size is not None and size > limit else None


def recipients_refusal(already: int, limit: int) -> str | None:
    """Before accepting one more recipient."""
    return TOO_MANY_RECIPIENTS if already >= limit else None


def due_at(now: datetime, seconds: int) -> datetime:
    return now + timedelta(seconds=seconds)


def is_due(*, status: str, due: datetime, now: datetime) -> bool:
    return status == HeldStatus.HELD and due <= now


def claim_abandoned(*, status: str, claimed_at: datetime | None, now: datetime, lease_seconds: float) -> bool:
    """A claim still releasing after its lease means the worker holding it died."""
    return (
        status == HeldStatus.RELEASING
        and claimed_at is not None
        and claimed_at <= now - timedelta(seconds=lease_seconds)
    )


def upstream_failure_is_permanent(code: int | None) -> bool:
    """A 5xx from the upstream will not change by retrying; anything else (4xx, no answer) may."""
    return code is not None and 500 <= code < 600


def split_host_port(value: str, default_port: int = 25) -> tuple[str, int]:
    """ "host:port", "[::1]:25" or "host" -> (host, port); ValueError for anything else."""
    value = value.strip()
    if not value:
        raise ValueError("empty")
    if value.startswith("["):
        host, _, rest = value[1:].partition("]")
        port = rest.removeprefix(":") or str(default_port)
    elif value.count(":") == 1:
        host, port = value.split(":")
    else:
        host, port = value, str(default_port)
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"not host:port: {value!r}")
    return host, int(port)


def field_for(address: str, *, to: Iterable[str], cc: Iterable[str]) -> str:
    """The header field an envelope recipient was in; one in neither To nor Cc is a Bcc recipient."""
    folded = address.strip().lower()
    if folded in {a.strip().lower() for a in to}:
        return RecipientField.TO
    if folded in {a.strip().lower() for a in cc}:
        return RecipientField.CC
    return RecipientField.BCC
