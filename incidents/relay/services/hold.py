"""Taking a message in: who sent it, what the pre-send check says, and keeping it until it is due.

Plain synchronous functions (the ORM and the parser), called by the SMTP server in a worker thread.
"""

from __future__ import annotations

import logging
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from incidents.assessment import Party
from incidents.conf import missend
from incidents.desk.receiver import users_for_address
from incidents.message import ParsedMessage, parse_message
from incidents.models import HeldMessage, Profile, Team
from incidents.platform import jobs
from incidents.platform.requests import locked_out, relay_request
from incidents.precheck import OutgoingDraft, check_draft
from incidents.prevention.selectors import precheck_context
from incidents.relay import policy

log = logging.getLogger(__name__)
STILL_HELD = (HeldMessage.Status.HELD, HeldMessage.Status.RELEASING, HeldMessage.Status.RELEASED)


def hold_delay(user) -> int:
    """Seconds to hold this user's messages: their own setting, else their teams', else the site's."""
    own = Profile.objects.filter(user=user).values_list("hold_seconds", flat=True).first()
    teams = Team.objects.filter(members=user).values_list("hold_seconds", flat=True)
    return policy.hold_seconds(user=own, teams=list(teams), default=missend.HOLD_SECONDS)


def sender_refusal(address: str, authenticated_user_id: int | None) -> str | None:
    """At MAIL FROM: the envelope sender must be exactly one user (the signed-in one, if any)."""
    users = users_for_address(address)
    return policy.sender_refusal(
        users=len(users),
        authenticated_user_id=authenticated_user_id,
        sender_user_id=users[0].pk if len(users) == 1 else None,
    )


class LockedOut(Exception):
    """Too many wrong passwords for this login from this address: refused without checking the password."""


def authenticate(login: str, password: str, address: str | None = None) -> int | None:
    """The id of the active user with this username (or account email) and password, else None.

    Each attempt counts in the login pages' lockout (django-axes) for the client's address; raises
    LockedOut once that (login, address) is locked out."""
    from django.contrib.auth import authenticate as django_authenticate

    request = relay_request(address)
    login = login.strip()
    user = django_authenticate(request, username=login, password=password)
    if user is None and "@" in login and not locked_out(request):
        found = users_for_address(login)
        if len(found) == 1:
            user = django_authenticate(request, username=found[0].get_username(), password=password)
    if locked_out(request):
        raise LockedOut(login)
    return user.pk if user is not None and user.is_active else None


def _with_message_id(raw: bytes) -> tuple[bytes, str]:
    """Mail programs give each message a Message-ID; one that came without gets ours (RFC 6409 8.3)."""
    message_id = f"<hold.{secrets.token_hex(12)}@{missend.RELAY_HOSTNAME}>"
    return f"Message-ID: {message_id}\r\n".encode() + raw, message_id


def checked_recipients(parsed: ParsedMessage, envelope_recipients: list[str]) -> list[dict]:
    """Who actually gets the message: the envelope's recipients, each with the header field naming it."""
    to = [a.address for a in parsed.to]
    cc = [a.address for a in parsed.cc]
    seen, recipients = set(), []
    for address in envelope_recipients:
        if address.lower() not in seen:
            seen.add(address.lower())
            recipients.append({"address": address, "field": policy.field_for(address, to=to, cc=cc)})
    return recipients


def warnings_for(parsed: ParsedMessage, recipients: list[dict]) -> list[dict]:
    draft = OutgoingDraft(
        recipients=tuple(Party(r["address"], r["field"]) for r in recipients),
        subject=parsed.subject,
        body=parsed.body,
        attachments=tuple(parsed.attachments),
    )
    return [{"code": w.code, "params": w.params} for w in check_draft(draft, precheck_context())]


def read(raw: bytes) -> ParsedMessage:
    """The message as the parser reads it; MessageError (in English, for the SMTP reply) when it cannot."""
    with translation.override("en"):
        return parse_message(raw, max_bytes=missend.RELAY_MAX_BYTES)


def message_hold(*, envelope_from: str, envelope_recipients: list[str], raw: bytes) -> policy.Held:
    """Check and keep one message for its sender; the same message (sender, Message-ID) is kept once."""
    [sender] = users_for_address(envelope_from)
    parsed = read(raw)
    message_id = parsed.message_id
    if not message_id:
        raw, message_id = _with_message_id(raw)
    recipients = checked_recipients(parsed, envelope_recipients)
    warnings = warnings_for(parsed, recipients)
    earlier = _earlier(sender, message_id)
    if earlier is not None:
        return earlier
    now = timezone.now()
    try:
        with transaction.atomic():
            held = HeldMessage.objects.create(
                sender=sender,
                envelope_from=envelope_from,
                envelope_recipients=list(envelope_recipients),
                recipients=recipients,
                message_id=message_id[:998],
                subject=parsed.subject[:998],
                raw=raw,
                size=len(raw),
                warnings=warnings,
                created_at=now,
                due_at=policy.due_at(now, hold_delay(sender)),
            )
            jobs.enqueue_after_commit(jobs.NOTIFY_HELD_MESSAGE, [held.pk])
    except IntegrityError:  # the same message arrived on another connection at the same moment
        earlier = _earlier(sender, message_id)
        if earlier is None:
            raise
        return earlier
    log.info(
        "Held message %s from %s for %s recipient(s) until %s with %s warning(s)",
        held.pk,
        envelope_from,
        len(envelope_recipients),
        held.due_at.isoformat(),
        len(warnings),
    )
    return policy.Held(held.pk, held.due_at)


def _earlier(sender, message_id: str) -> policy.Held | None:
    row = (
        HeldMessage.objects.filter(sender=sender, message_id=message_id[:998], status__in=STILL_HELD)
        .values_list("pk", "due_at")
        .first()
    )
    return policy.Held(row[0], row[1], already=True) if row else None
